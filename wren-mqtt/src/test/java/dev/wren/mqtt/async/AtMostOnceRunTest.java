package dev.wren.mqtt.async;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The compact queue entry for QoS 0 messages: what goes in comes out, in order, and it refuses what does not fit. */
class AtMostOnceRunTest {

    private static String text(ByteBuffer b) {
        return StandardCharsets.UTF_8.decode(b.duplicate()).toString();
    }

    @Test
    void messagesComeOutInOrderWithTheirTopicRetainFlagPayloadAndFuture() {
        AtMostOnceRun run = new AtMostOnceRun(AtMostOnceRun.MIN_BYTES);
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        String[] topics = {"a", "a", "b", "a", "c", "c", "c", "a"};
        for (int i = 0; i < topics.length; i++) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            futures.add(f);
            assertThat(run.add(topics[i], i % 3 == 1, ("p" + i).getBytes(StandardCharsets.UTF_8), f)).isTrue();
        }
        assertThat(run.remaining()).isEqualTo(topics.length);
        for (int i = 0; i < topics.length; i++) {
            assertThat(run.firstTopic()).as("topic of %d", i).isEqualTo(topics[i]);
            assertThat(run.firstRetain()).as("retain of %d", i).isEqualTo(i % 3 == 1);
            assertThat(text(run.firstPayload())).isEqualTo("p" + i);
            assertThat(run.firstSize()).isEqualTo(("p" + i).length());
            assertThat(run.firstFuture()).isSameAs(futures.get(i));
            run.takeFirst();
        }
        assertThat(run.remaining()).isZero();
    }

    @Test
    void aMessageThatDoesNotFitThePayloadArrayIsRefusedAndChangesNothing() {
        AtMostOnceRun run = new AtMostOnceRun(100);
        assertThat(run.add("t", false, new byte[60], new CompletableFuture<>())).isTrue();
        assertThat(run.add("t", true, new byte[41], new CompletableFuture<>())).isFalse();
        assertThat(run.add("t", true, new byte[40], new CompletableFuture<>())).isTrue();
        assertThat(run.remaining()).isEqualTo(2);
        run.takeFirst();
        assertThat(run.firstSize()).isEqualTo(40);
        assertThat(run.firstRetain()).isTrue();
    }

    @Test
    void emptyPayloadsAndManyTopicsGrowTheArraysUpToTheMessageLimit() {
        AtMostOnceRun run = new AtMostOnceRun(AtMostOnceRun.MIN_BYTES);
        int added = 0;
        while (run.add("t/" + added, false, new byte[0], new CompletableFuture<>())) {
            added++;
        }
        assertThat(added).as("messages one run takes").isEqualTo(1024);
        for (int i = 0; i < added; i++) {
            assertThat(run.firstTopic()).isEqualTo("t/" + i);
            assertThat(run.firstPayload().remaining()).isZero();
            run.takeFirst();
        }
    }

    @Test
    void thePayloadViewShowsOnlyTheFirstMessageAndCopiesWereTakenAtAdd() {
        AtMostOnceRun run = new AtMostOnceRun(AtMostOnceRun.MIN_BYTES);
        byte[] reused = "one".getBytes(StandardCharsets.UTF_8);
        run.add("t", false, reused, new CompletableFuture<>());
        reused[0] = 'X'; // the caller may reuse its array once publish returns
        run.add("t", false, "two!".getBytes(StandardCharsets.UTF_8), new CompletableFuture<>());
        assertThat(text(run.firstPayload())).isEqualTo("one");
        run.takeFirst();
        assertThat(text(run.firstPayload())).isEqualTo("two!");
    }
}
