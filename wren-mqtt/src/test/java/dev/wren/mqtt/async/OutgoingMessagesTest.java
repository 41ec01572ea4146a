package dev.wren.mqtt.async;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.mqtt.Qos;
import dev.wren.mqtt.UnacknowledgedMessage;
import dev.wren.mqtt.async.OutgoingMessages.Outgoing;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The async client's bookkeeping on its own: no socket, no loop thread, no broker. */
class OutgoingMessagesTest {

    /** Records what the client tells the store, in order. */
    private static final class RecordingStore implements SessionStore {
        final List<String> calls = new ArrayList<>();
        private long keys;

        @Override
        public long add(String topic, Qos qos, boolean retain, byte[] payload) {
            return ++keys;
        }

        @Override
        public void assigned(long key, int packetId) {
            calls.add("assigned " + key + " " + packetId);
        }

        @Override
        public void released(long key) {
            calls.add("released " + key);
        }

        @Override
        public void remove(long key) {
            calls.add("remove " + key);
        }

        @Override
        public List<StoredMessage> load() {
            return List.of(new StoredMessage(7, "old", Qos.EXACTLY_ONCE, false, new byte[] {7}, 41, true),
                    new StoredMessage(8, "old", Qos.AT_LEAST_ONCE, false, new byte[] {8}, 0, false));
        }
    }

    private final RecordingStore store = new RecordingStore();

    @Test
    void aPubRecMarksTheMessageReleasedAndItsAcknowledgementFinishesItOnce() {
        OutgoingMessages m = new OutgoingMessages(store, memoryWriter());
        Outgoing o = new Outgoing("t", Qos.EXACTLY_ONCE, false, new byte[0], 3, new CompletableFuture<>());
        m.sent(o, 9);
        m.received(9);
        assertThat(o.released).isTrue();
        m.received(9); // a repeated PUBREC changes nothing
        assertThat(m.writable()).as("the in-memory store is durable at once").isTrue();
        assertThat(m.acknowledged(9)).isSameAs(o);
        assertThat(m.acknowledged(9)).isNull();
    }
    /** Store updates inline, as for the in-memory store; only load() reaches the recording store here. */
    private final StoreWriter writer = memoryWriter();

    private StoreWriter memoryWriter() {
        return new StoreWriter(SessionStore.memory(), "test", e -> { }, null, this, () -> { });
    }

    private static Outgoing message(long key, String topic) {
        return new Outgoing(topic, Qos.AT_LEAST_ONCE, false, new byte[] {(byte) key}, key, new CompletableFuture<>());
    }

    private static UnacknowledgedMessage lost(int id) {
        return new UnacknowledgedMessage(id, "t", Qos.AT_LEAST_ONCE, false, ByteBuffer.allocate(0), false);
    }

    @Test
    void whatAnEarlierProcessSentIsHandedToTheCoreAndTheRestQueued() {
        OutgoingMessages m = new OutgoingMessages(store, writer);
        assertThat(m.load(false)).isEqualTo(2);
        assertThat(m.takeRestorable()).singleElement().satisfies(u -> {
            assertThat(u.messageId()).isEqualTo(41);
            assertThat(u.released()).isTrue();
        });
        assertThat(m.takeRestorable()).as("once").isEmpty();
        assertThat(m.nextQueued().key).isEqualTo(8);
    }

    @Test
    void aCleanStartQueuesEverythingAsNew() {
        OutgoingMessages m = new OutgoingMessages(store, writer);
        m.load(true);
        assertThat(m.takeRestorable()).isEmpty();
        assertThat(m.nextQueued().key).isEqualTo(7);
    }

    @Test
    void aLostSessionsMessagesGoAheadOfNewerOnesInTheirOrder() {
        OutgoingMessages m = new OutgoingMessages(SessionStore.memory(), memoryWriter());
        Outgoing a = message(1, "a");
        Outgoing b = message(2, "b");
        m.sent(a, 10);
        m.sent(b, 11);
        m.queue(message(3, "newer"));
        m.sessionLost(List.of(lost(10), lost(11)));
        List<String> order = new ArrayList<>();
        for (Outgoing o; (o = m.nextQueued()) != null; m.dequeued()) {
            order.add(o.topic + (o.id == 0 ? "" : "#" + o.id));
        }
        assertThat(order).containsExactly("a", "b", "newer");
    }

    @Test
    void givingUpFailsEveryMessageOnceAndKeepsTheInFlightOnesForALateAcknowledgement() {
        OutgoingMessages m = new OutgoingMessages(SessionStore.memory(), memoryWriter());
        Outgoing inFlight = message(1, "sent");
        m.sent(inFlight, 5);
        m.queue(message(2, "queued"));
        assertThat(m.giveUp()).extracting(o -> o.topic).containsExactly("sent", "queued");
        assertThat(m.giveUp()).as("nothing twice").isEmpty();
        assertThat(m.nextQueued()).isNull();
        Outgoing late = m.acknowledged(5);
        assertThat(late).isSameAs(inFlight);
        assertThat(late.abandoned).isTrue(); // the client neither releases its room nor completes it again
    }

    @Test
    void aLostSessionDropsGivenUpMessagesInsteadOfSendingThemAgain() {
        OutgoingMessages m = new OutgoingMessages(SessionStore.memory(), memoryWriter());
        m.sent(message(1, "given up"), 5);
        m.giveUp();
        m.sessionLost(List.of(lost(5)));
        assertThat(m.nextQueued()).isNull();
    }
}
