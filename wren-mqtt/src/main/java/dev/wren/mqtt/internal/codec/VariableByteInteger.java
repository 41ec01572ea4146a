package dev.wren.mqtt.internal.codec;

import dev.wren.mqtt.ProtocolViolation;
import java.nio.ByteBuffer;

/**
 * MQTT's variable byte integer (MQTT 5.0 section 1.5.5, the remaining length of 3.1.1 section 2.2.3): seven bits per
 * byte, least significant first, at most four bytes, 0 to 268,435,455. Written in the shortest form
 * [MQTT-1.5.5-1], and read only in it.
 *
 * <p>Stateless and thread-safe.
 */
public final class VariableByteInteger {
    /** The largest value four bytes can hold. */
    public static final int MAX = 268_435_455;

    private VariableByteInteger() {
    }

    /** How many bytes {@code value} takes. */
    public static int size(int value) {
        return value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;
    }

    /** Writes {@code value}, 0..{@link #MAX}, in its shortest form. */
    public static void write(int value, ByteBuffer out) {
        if (value < 0 || value > MAX) {
            throw new IllegalArgumentException("a variable byte integer is 0.." + MAX + ", was " + value);
        }
        do {
            int digit = value & 0x7F;
            value >>>= 7;
            out.put((byte) (value > 0 ? digit | 0x80 : digit));
        } while (value > 0);
    }

    /**
     * Reads a value starting at {@code in}'s position, up to {@code end}, and advances the position past it.
     *
     * @throws MalformedPacketException with {@link ProtocolViolation#MALFORMED_VARIABLE_BYTE_INTEGER} when it runs
     *                                  past {@code end}, past four bytes, or is longer than its shortest form
     */
    public static int read(ByteBuffer in, int end) throws MalformedPacketException {
        int value = 0;
        int start = in.position();
        for (int i = 0; i < 4; i++) {
            if (in.position() >= end) {
                throw malformed("a variable byte integer runs past the end of its packet");
            }
            int b = in.get() & 0xFF;
            value |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (i > 0 && b == 0) {
                    throw malformed("a variable byte integer of " + (i + 1) + " bytes where " + size(value)
                            + " would do [MQTT-1.5.5-1]");
                }
                return value;
            }
        }
        in.position(start);
        throw malformed("a variable byte integer longer than four bytes");
    }

    private static MalformedPacketException malformed(String message) {
        return new MalformedPacketException(ProtocolViolation.MALFORMED_VARIABLE_BYTE_INTEGER, message);
    }
}
