package dev.wren.mqtt.internal.codec;

import dev.wren.mqtt.ProtocolViolation;
import java.nio.ByteBuffer;

/**
 * Strict UTF-8 for MQTT strings (MQTT 3.1.1 section 1.5.3): well-formed per RFC 3629, no encoded surrogates,
 * no U+0000. Works on buffers directly, without a {@code CharsetDecoder} and without intermediate arrays.
 *
 * <p>Stateless and thread-safe.
 */
public final class Utf8 {
    /** The longest string MQTT can carry: a two-byte length prefix. */
    public static final int MAX_STRING_BYTES = 65535;

    private Utf8() {
    }

    /**
     * The UTF-8 length of {@code s}.
     *
     * @throws IllegalArgumentException if {@code s} holds an unpaired surrogate or U+0000
     */
    public static int encodedLength(CharSequence s) {
        int n = 0;
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c == 0) {
                throw new IllegalArgumentException("contains U+0000 at index " + i);
            } else if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 >= len || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    throw new IllegalArgumentException("unpaired surrogate at index " + i);
                }
                n += 4;
                i++;
            } else if (Character.isLowSurrogate(c)) {
                throw new IllegalArgumentException("unpaired surrogate at index " + i);
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** Writes {@code s} as UTF-8; {@code s} must have passed {@link #encodedLength(CharSequence)}. */
    public static void encode(CharSequence s, ByteBuffer out) {
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out.put((byte) c);
            } else if (c < 0x800) {
                out.put((byte) (0xC0 | (c >> 6)));
                out.put((byte) (0x80 | (c & 0x3F)));
            } else if (Character.isHighSurrogate(c)) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out.put((byte) (0xF0 | (cp >> 18)));
                out.put((byte) (0x80 | ((cp >> 12) & 0x3F)));
                out.put((byte) (0x80 | ((cp >> 6) & 0x3F)));
                out.put((byte) (0x80 | (cp & 0x3F)));
            } else {
                out.put((byte) (0xE0 | (c >> 12)));
                out.put((byte) (0x80 | ((c >> 6) & 0x3F)));
                out.put((byte) (0x80 | (c & 0x3F)));
            }
        }
    }

    /**
     * Decodes {@code len} bytes of {@code in} from absolute index {@code from}, strictly.
     *
     * @param scratch a reusable char array of at least {@code len} chars (or null to allocate one)
     * @throws MalformedPacketException with {@link ProtocolViolation#INVALID_UTF8} or
     *                                  {@link ProtocolViolation#NULL_CHARACTER}
     */
    public static String decode(ByteBuffer in, int from, int len, char[] scratch) throws MalformedPacketException {
        char[] chars = scratch != null && scratch.length >= len ? scratch : new char[len];
        int n = 0;
        int i = from;
        int end = from + len;
        while (i < end) {
            int b0 = in.get(i) & 0xFF;
            if (b0 < 0x80) {
                if (b0 == 0) {
                    throw new MalformedPacketException(ProtocolViolation.NULL_CHARACTER,
                            "string contains U+0000 at byte " + (i - from));
                }
                chars[n++] = (char) b0;
                i++;
                continue;
            }
            int need;
            int cp;
            int min;
            if (b0 >= 0xC2 && b0 <= 0xDF) {
                need = 1;
                cp = b0 & 0x1F;
                min = 0x80;
            } else if (b0 >= 0xE0 && b0 <= 0xEF) {
                need = 2;
                cp = b0 & 0x0F;
                min = 0x800;
            } else if (b0 >= 0xF0 && b0 <= 0xF4) {
                need = 3;
                cp = b0 & 0x07;
                min = 0x10000;
            } else {
                throw invalid("invalid lead byte 0x" + Integer.toHexString(b0), i - from);
            }
            if (i + need >= end) {
                throw invalid("truncated sequence", i - from);
            }
            for (int k = 1; k <= need; k++) {
                int b = in.get(i + k) & 0xFF;
                if ((b & 0xC0) != 0x80) {
                    throw invalid("invalid continuation byte 0x" + Integer.toHexString(b), i + k - from);
                }
                cp = (cp << 6) | (b & 0x3F);
            }
            if (cp < min) {
                throw invalid("overlong encoding", i - from);
            }
            if (cp >= 0xD800 && cp <= 0xDFFF) {
                throw invalid("encoded surrogate U+" + Integer.toHexString(cp).toUpperCase(), i - from);
            }
            if (cp > 0x10FFFF) {
                throw invalid("code point above U+10FFFF", i - from);
            }
            if (cp >= 0x10000) {
                chars[n++] = Character.highSurrogate(cp);
                chars[n++] = Character.lowSurrogate(cp);
            } else {
                chars[n++] = (char) cp;
            }
            i += need + 1;
        }
        return new String(chars, 0, n);
    }

    private static MalformedPacketException invalid(String what, int at) {
        return new MalformedPacketException(ProtocolViolation.INVALID_UTF8, "ill-formed UTF-8: " + what + " at byte " + at);
    }
}
