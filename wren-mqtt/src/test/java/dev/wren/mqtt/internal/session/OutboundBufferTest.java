package dev.wren.mqtt.internal.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OutboundBufferTest {

    @Test
    void partialWritesKeepOrderAcrossReferencedPayloadsAndReleasesOfTheBuffer() {
        Random r = new Random(7);
        for (int round = 0; round < 400; round++) {
            // half the rounds with a buffer that may grow to 256 bytes, shrunk back now and then
            OutboundBuffer out = round % 2 == 0 ? new OutboundBuffer(ByteBuffer.allocate(64))
                    : new OutboundBuffer(ByteBuffer.allocateDirect(64), 256);
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            ByteArrayOutputStream written = new ByteArrayOutputStream();
            int counter = 0;
            for (int step = 0; step < 100; step++) {
                if (r.nextBoolean()) {
                    int n = 1 + r.nextInt(20);
                    ByteBuffer tx = out.reserve(n);
                    if (tx != null) {
                        for (int i = 0; i < n; i++) {
                            tx.put((byte) counter);
                            expected.write(counter++);
                        }
                    }
                } else if (out.canReference()) {
                    byte[] payload = new byte[r.nextInt(40) == 0 ? 65_000 + r.nextInt(10_000) : r.nextInt(300)];
                    for (int i = 0; i < payload.length; i++) {
                        payload[i] = (byte) counter;
                        expected.write(counter++);
                    }
                    out.reference(ByteBuffer.wrap(payload));
                }
                if (r.nextInt(3) == 0) {
                    drainSome(out, written, r);
                }
                if (r.nextInt(4) == 0) {
                    boolean wasEmpty = out.isEmpty();
                    assertThat(out.release()).isEqualTo(wasEmpty); // given up only when nothing is pending
                }
                if (r.nextInt(5) == 0) {
                    out.shrinkIfUnused();
                }
                assertThat(out.currentCapacity()).isLessThanOrEqualTo(round % 2 == 0 ? 64 : 256);
            }
            while (!out.isEmpty()) {
                drainSome(out, written, r);
            }
            assertThat(written.toByteArray()).isEqualTo(expected.toByteArray());
        }
    }

    @Test
    void theBufferIsGivenUpOnlyWhileNothingIsPendingAndTakenAgainAtTheSameSizeByTheNextReserve() {
        OutboundBuffer out = new OutboundBuffer(ByteBuffer.allocateDirect(64));
        out.reserve(3).put(new byte[] {1, 2, 3});
        assertThat(out.release()).isFalse();
        assertThat(out.released()).isFalse();
        assertThat(out.gather()).isEqualTo(1);
        assertThat(out.release()).isFalse(); // laid out for a write: kept until afterWrite
        out.segments()[0].position(out.segments()[0].limit());
        out.afterWrite();
        assertThat(out.isEmpty()).isTrue();
        assertThat(out.release()).isTrue();
        assertThat(out.released()).isTrue();
        assertThat(out.isEmpty()).isTrue();
        assertThat(out.gather()).isZero();
        assertThat(out.capacity()).isEqualTo(64);
        ByteBuffer again = out.reserve(64);
        assertThat(again).isNotNull();
        assertThat(again.capacity()).isEqualTo(64);
        assertThat(again.isDirect()).isTrue();
        assertThat(out.released()).isFalse();
        again.put((byte) 9);
        assertThat(out.gather()).isEqualTo(1);
        assertThat(out.segments()[0].remaining()).isEqualTo(1);
        assertThat(out.segments()[0].get(0)).isEqualTo((byte) 9);
    }

    @Test
    void aBufferWithALimitGrowsToTheNextPowerOfTwoThatTakesWhatIsPendingKeepingItsBytesInOrder() {
        OutboundBuffer out = new OutboundBuffer(ByteBuffer.allocateDirect(64), 1024);
        fill(out.reserve(60), 60, 0);
        ByteBuffer tx = out.reserve(100); // 160 pending: 256
        assertThat(tx).isNotNull();
        assertThat(out.currentCapacity()).isEqualTo(256);
        assertThat(out.capacity()).isEqualTo(64); // what packets are measured against does not change
        fill(tx, 100, 60);
        assertThat(out.reserve(1000)).isNull(); // 1160 pending would pass the limit
        assertThat(out.gather()).isEqualTo(1);
        ByteBuffer all = out.segments()[0];
        assertThat(all.remaining()).isEqualTo(160);
        for (int i = 0; i < 160; i++) {
            assertThat(all.get()).isEqualTo((byte) i);
        }
        out.afterWrite();
        assertThat(out.isEmpty()).isTrue();
    }

    @Test
    void aFixedBufferRefusesWhatDoesNotFitUntilAWriteMakesRoom() {
        OutboundBuffer out = new OutboundBuffer(ByteBuffer.allocateDirect(64));
        fill(out.reserve(60), 60, 0);
        assertThat(out.reserve(10)).isNull();
        assertThat(out.currentCapacity()).isEqualTo(64);
    }

    @Test
    void theBufferDoesNotGrowWhileViewsOfItAreLaidOutForAWrite() {
        OutboundBuffer out = new OutboundBuffer(ByteBuffer.allocateDirect(64), 1024);
        fill(out.reserve(40), 40, 0);
        out.reference(ByteBuffer.wrap(new byte[10])); // with a referenced payload the write goes through views
        assertThat(out.gather()).isEqualTo(2);
        assertThat(out.reserve(10)).isNotNull(); // encoding on while the views are out is allowed
        assertThat(out.reserve(100)).isNull(); // but the views point into this buffer: no growth now
        out.segments()[0].position(out.segments()[0].position() + 20); // the socket took 20 bytes
        out.afterWrite();
        assertThat(out.reserve(100)).isNotNull(); // now it grows: 20 bytes pending and 100 to come take 128
        assertThat(out.currentCapacity()).isEqualTo(128);
    }

    @Test
    void compactingComesBeforeGrowing() {
        OutboundBuffer out = new OutboundBuffer(ByteBuffer.allocateDirect(64), 1024);
        fill(out.reserve(60), 60, 0);
        assertThat(out.gather()).isEqualTo(1);
        out.segments()[0].position(out.segments()[0].position() + 20); // the socket took 20 bytes
        out.afterWrite();
        assertThat(out.reserve(20)).isNotNull(); // 40 pending + 20 fit in 64 once compacted
        assertThat(out.currentCapacity()).isEqualTo(64);
    }

    @Test
    void referencedPayloadsKeepTheirPlaceWhenTheBufferGrows() {
        OutboundBuffer out = new OutboundBuffer(ByteBuffer.allocateDirect(64), 512);
        fill(out.reserve(50), 50, 0);
        byte[] payload = new byte[30];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (50 + i);
        }
        out.reference(ByteBuffer.wrap(payload));
        fill(out.reserve(40), 40, 80); // grows: the payload's anchor moves with the bytes before it
        assertThat(out.currentCapacity()).isEqualTo(128);
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        Random r = new Random(3);
        while (!out.isEmpty()) {
            drainSome(out, written, r);
        }
        byte[] got = written.toByteArray();
        assertThat(got).hasSize(120);
        for (int i = 0; i < got.length; i++) {
            assertThat(got[i]).isEqualTo((byte) i);
        }
    }

    @Test
    void aGrownBufferGoesBackToItsSizeOnlyAfterASpellInWhichNothingNeededMore() {
        OutboundBuffer out = new OutboundBuffer(ByteBuffer.allocateDirect(64), 1024);
        fill(out.reserve(200), 200, 0); // grows to 256 at once
        assertThat(out.currentCapacity()).isEqualTo(256);
        drainAll(out);
        out.shrinkIfUnused(); // needed during this spell: kept
        assertThat(out.currentCapacity()).isEqualTo(256);
        fill(out.reserve(10), 10, 0); // small packets only during the next spell
        drainAll(out);
        out.shrinkIfUnused();
        assertThat(out.released()).isTrue(); // the next reserve takes a buffer of the configured size
        assertThat(out.reserve(10).capacity()).isEqualTo(64);
    }

    @Test
    void aGrownBufferThatStillHoldsBytesIsNotGivenUp() {
        OutboundBuffer out = new OutboundBuffer(ByteBuffer.allocateDirect(64), 1024);
        fill(out.reserve(200), 200, 0);
        out.shrinkIfUnused(); // used: the flag is cleared, the buffer kept
        out.shrinkIfUnused(); // not used beyond 64 since, but 200 bytes are pending
        assertThat(out.currentCapacity()).isEqualTo(256);
        assertThat(out.isEmpty()).isFalse();
    }

    private static void fill(ByteBuffer tx, int n, int from) {
        assertThat(tx).isNotNull();
        for (int i = 0; i < n; i++) {
            tx.put((byte) (from + i));
        }
    }

    private static void drainAll(OutboundBuffer out) {
        out.gather();
        for (ByteBuffer b : out.segments()) {
            if (b != null) {
                b.position(b.limit());
            }
        }
        out.afterWrite();
        assertThat(out.isEmpty()).isTrue();
    }

    /** A socket that takes a random number of bytes. */
    private static void drainSome(OutboundBuffer out, ByteArrayOutputStream written, Random r) {
        int n = out.gather();
        int budget = r.nextInt(4) == 0 ? r.nextInt(100_000) : r.nextInt(100);
        long total = 0;
        for (int i = 0; i < n && budget > 0; i++) {
            ByteBuffer b = out.segments()[i];
            int take = Math.min(budget, b.remaining());
            for (int k = 0; k < take; k++) {
                written.write(b.get());
            }
            budget -= take;
            total += take;
        }
        out.afterWrite();
        assertThat(total).isGreaterThanOrEqualTo(0);
    }

    @Test
    void aTransmitBufferGivenUpWhileIdleIsTakenBackFromThePoolByTheNextPacket() throws Exception {
        java.util.concurrent.FutureTask<Void> run = new java.util.concurrent.FutureTask<>(() -> {
            OutboundBuffer out = new OutboundBuffer(ByteBuffer.allocateDirect(96), 4096);
            ByteBuffer first = out.reserve(10);
            assertThat(out.release()).isTrue(); // nothing pending: given up, to this thread's pool
            ByteBuffer again = out.reserve(10);
            assertThat(again).isSameAs(first);
            again.put(new byte[] {1, 2, 3});
            assertThat(out.isEmpty()).isFalse();
            // one that grew is not pooled: the next one taken after it is a buffer of the configured size
            OutboundBuffer grows = new OutboundBuffer(ByteBuffer.allocateDirect(96), 4096);
            ByteBuffer grown = grows.reserve(200);
            assertThat(grown.capacity()).isEqualTo(256);
            assertThat(grows.release()).isTrue();
            ByteBuffer next = grows.reserve(10);
            assertThat(next).isNotSameAs(grown);
            assertThat(next.capacity()).isEqualTo(96);
            return null;
        });
        new Thread(run).start();
        run.get(10, java.util.concurrent.TimeUnit.SECONDS);
    }
}
