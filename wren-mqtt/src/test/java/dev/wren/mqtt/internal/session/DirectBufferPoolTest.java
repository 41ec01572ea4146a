package dev.wren.mqtt.internal.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each case on a thread of its own: the pools are per thread, and the test thread's serves the other tests. */
class DirectBufferPoolTest {

    private static void onAFreshThread(Runnable body) throws Exception {
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        t.start();
        t.join();
        if (failure[0] instanceof Error e) {
            throw e;
        }
        if (failure[0] != null) {
            throw new AssertionError(failure[0]);
        }
    }

    @Test
    void aBufferGivenBackIsTakenAgainClearedOnTheSameThreadForTheSameSize() throws Exception {
        onAFreshThread(DirectBufferPoolTest::takenAgainCleared);
    }

    private static void takenAgainCleared() {
        ByteBuffer b = DirectBufferPool.take(1000);
        b.put((byte) 7).limit(10);
        DirectBufferPool.give(b);
        long allocated = DirectBufferPool.allocated();
        ByteBuffer again = DirectBufferPool.take(1000);
        assertThat(again).isSameAs(b);
        assertThat(again.position()).isZero();
        assertThat(again.limit()).isEqualTo(1000);
        assertThat(DirectBufferPool.allocated()).isEqualTo(allocated);
        assertThat(DirectBufferPool.take(1001)).isNotSameAs(b).satisfies(x -> assertThat(x.capacity()).isEqualTo(1001));
    }

    @Test
    void anotherThreadDoesNotGetThisThreadsBuffers() throws Exception {
        onAFreshThread(() -> {
            try {
                notForAnotherThread();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
    }

    private static void notForAnotherThread() throws InterruptedException {
        ByteBuffer b = DirectBufferPool.take(1100);
        DirectBufferPool.give(b);
        ByteBuffer[] there = new ByteBuffer[1];
        Thread t = new Thread(() -> there[0] = DirectBufferPool.take(1100));
        t.start();
        t.join();
        assertThat(there[0]).isNotSameAs(b);
        assertThat(DirectBufferPool.take(1100)).isSameAs(b);
    }

    @Test
    void atMostItsBoundOfOneSizeIsKeptAndLargeHeapOrReadOnlyBuffersNever() throws Exception {
        onAFreshThread(DirectBufferPoolTest::bounded);
    }

    private static void bounded() {
        List<ByteBuffer> given = new ArrayList<>();
        for (int i = 0; i < DirectBufferPool.MAX_PER_SIZE + 5; i++) {
            given.add(ByteBuffer.allocateDirect(1200));
        }
        given.forEach(DirectBufferPool::give);
        Set<ByteBuffer> taken = Collections.newSetFromMap(new IdentityHashMap<>());
        long allocated = DirectBufferPool.allocated();
        for (int i = 0; i < DirectBufferPool.MAX_PER_SIZE + 5; i++) {
            taken.add(DirectBufferPool.take(1200));
        }
        assertThat(DirectBufferPool.allocated() - allocated).isEqualTo(5);
        given.retainAll(taken);
        assertThat(given).hasSize(DirectBufferPool.MAX_PER_SIZE);

        ByteBuffer large = ByteBuffer.allocateDirect(DirectBufferPool.MAX_POOLED_CAPACITY + 1);
        DirectBufferPool.give(large);
        assertThat(DirectBufferPool.take(large.capacity())).isNotSameAs(large);
        ByteBuffer heap = ByteBuffer.allocate(1300);
        DirectBufferPool.give(heap);
        assertThat(DirectBufferPool.take(1300)).isNotSameAs(heap).satisfies(x -> assertThat(x.isDirect()).isTrue());
        ByteBuffer readOnly = ByteBuffer.allocateDirect(1400).asReadOnlyBuffer();
        DirectBufferPool.give(readOnly);
        assertThat(DirectBufferPool.take(1400)).isNotSameAs(readOnly);
    }

    @Test
    void onlyTheFirstFewSizesAThreadGivesAreKept() throws Exception {
        onAFreshThread(() -> {
            for (int i = 0; i < DirectBufferPool.MAX_SIZES; i++) {
                DirectBufferPool.give(ByteBuffer.allocateDirect(2000 + i));
            }
            ByteBuffer oneSizeTooMany = ByteBuffer.allocateDirect(3000);
            DirectBufferPool.give(oneSizeTooMany);
            assertThat(DirectBufferPool.take(3000)).isNotSameAs(oneSizeTooMany);
            assertThat(DirectBufferPool.take(2000).capacity()).isEqualTo(2000);
        });
    }
}
