package dev.wren.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.testing.FakeBroker;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * A scripted server for tests of large payloads: after CONNACK it sends a QoS 1 PUBLISH on "big" (id 0x42) with
 * {@link #PAYLOAD} (3000 bytes), then a QoS 0 PUBLISH on "small" with "ok", in pieces of 500 bytes 2 ms apart; it
 * expects the PUBACK for 0x42 and then DISCONNECT.
 */
public final class TwoPublishesServer {
    /** The large payload: byte i is {@code i * 7}. */
    public static final byte[] PAYLOAD = new byte[3000];

    static {
        for (int i = 0; i < PAYLOAD.length; i++) {
            PAYLOAD[i] = (byte) (i * 7);
        }
    }

    private TwoPublishesServer() {
    }

    /** The two PUBLISH packets, as sent. */
    static byte[] twoPublishes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int remaining = 2 + 3 + 2 + PAYLOAD.length;
        out.write(0x32);
        out.write(0x80 | (remaining & 0x7F));
        out.write(remaining >> 7);
        out.writeBytes(FakeBroker.hex("0003626967 0042"));
        out.writeBytes(PAYLOAD);
        out.writeBytes(FakeBroker.hex("3009 0005736d616c6c 6f6b"));
        return out.toByteArray();
    }

    /** Starts the server. */
    public static FakeBroker start() {
        return FakeBroker.start(c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("20020000");
            byte[] bytes = twoPublishes();
            for (int i = 0; i < bytes.length; i += 500) {
                c.send(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + 500)));
                c.pause(2);
            }
            assertThat(c.expectWithId(FakeBroker.PUBACK)).isEqualTo(0x42); // acknowledged once consumed
            c.expect(FakeBroker.DISCONNECT);
        });
    }
}
