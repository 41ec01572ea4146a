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
        for (int round = 0; round < 200; round++) {
            OutboundBuffer out = new OutboundBuffer(ByteBuffer.allocate(64));
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
}
