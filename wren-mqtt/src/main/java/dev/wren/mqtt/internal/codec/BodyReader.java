package dev.wren.mqtt.internal.codec;

import dev.wren.mqtt.ProtocolViolation;
import java.nio.ByteBuffer;

/**
 * The cursor over one packet's body that {@link PacketDecoder} and {@link ClientPacketBodies} read fields with:
 * the buffer, the position of the next field and the end of the packet (absolute indices), and the checked readers
 * of MQTT's field types, each failing with the rule the packet breaks when a field runs past the packet's end.
 *
 * <p>Not thread-safe: part of one decoder.
 */
abstract class BodyReader {
    // body cursor, absolute indices into the buffer being decoded
    ByteBuffer buf;
    int pos;
    int end;
    /** The type of the packet being decoded, for messages. */
    PacketType current;

    private char[] scratch; // made on the first string decoded

    final void begin(ByteBuffer in, int from, int to) {
        buf = in;
        pos = from;
        end = to;
    }

    final int packetId() throws MalformedPacketException {
        int id = u16();
        if (id == 0) {
            throw fail(ProtocolViolation.ZERO_PACKET_ID, current + " with packet identifier 0 [MQTT-2.3.1-1]");
        }
        return id;
    }

    final String string(String what) throws MalformedPacketException {
        int len = u16();
        need(len, what);
        String s = Utf8.decode(buf, pos, len, scratch(len));
        pos += len;
        return s;
    }

    final byte[] binary() throws MalformedPacketException {
        int len = u16();
        need(len, "binary field");
        byte[] b = new byte[len];
        for (int k = 0; k < len; k++) {
            b[k] = buf.get(pos + k);
        }
        pos += len;
        return b;
    }

    final int u8() throws MalformedPacketException {
        need(1, "byte field");
        return buf.get(pos++) & 0xFF;
    }

    final int u16() throws MalformedPacketException {
        need(2, "two-byte field");
        int v = ((buf.get(pos) & 0xFF) << 8) | (buf.get(pos + 1) & 0xFF);
        pos += 2;
        return v;
    }

    final void need(int n, String what) throws MalformedPacketException {
        if (end - pos < n) {
            throw fail(ProtocolViolation.LENGTH_MISMATCH, current + " ends inside its " + what + " (needs " + n
                    + " bytes, " + (end - pos) + " left)");
        }
    }

    final char[] scratch(int len) {
        if (scratch == null) {
            scratch = new char[Math.max(len, 32)];
        } else if (scratch.length < len) {
            scratch = new char[Math.max(len, scratch.length * 2)];
        }
        return scratch;
    }

    /** The packet being decoded as a buffer positioned at the cursor, for the 5.0 body readers. */
    final ByteBuffer view() {
        ByteBuffer v = buf.duplicate();
        v.limit(end).position(pos);
        return v;
    }

    /** A 5.0 property section at the cursor, for a packet of kind {@code w}: one byte when empty (the common case). */
    final Properties properties(Property.Where w) throws MalformedPacketException {
        need(1, "Property Length");
        if (buf.get(pos) == 0) {
            pos++;
            return Properties.NONE;
        }
        ByteBuffer v = view();
        Properties props = Properties.decode(v, end, w);
        pos = v.position();
        return props;
    }

    static MalformedPacketException fail(ProtocolViolation v, String message) {
        return new MalformedPacketException(v, message);
    }
}
