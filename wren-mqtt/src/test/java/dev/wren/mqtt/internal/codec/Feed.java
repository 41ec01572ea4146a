package dev.wren.mqtt.internal.codec;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Feeds bytes to a decoder whole, one byte at a time, or in given chunks, the way a socket might deliver them. */
final class Feed {
    private Feed() {
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** Decodes everything at once. */
    static List<Packet> whole(PacketDecoder decoder, byte[] bytes) throws MalformedPacketException {
        return chunked(decoder, bytes, bytes.length);
    }

    /** Decodes with bytes arriving one at a time. */
    static List<Packet> oneByteAtATime(PacketDecoder decoder, byte[] bytes) throws MalformedPacketException {
        return chunked(decoder, bytes, 1);
    }

    /** Decodes with bytes arriving in chunks of {@code chunk}; asserts no bytes are left over. */
    static List<Packet> chunked(PacketDecoder decoder, byte[] bytes, int chunk) throws MalformedPacketException {
        List<Packet> packets = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        buf.limit(0);
        while (buf.limit() < bytes.length) {
            buf.limit(Math.min(bytes.length, buf.limit() + chunk));
            Packet p;
            while ((p = decoder.decode(buf)) != null) {
                packets.add(p);
            }
        }
        if (buf.hasRemaining()) {
            throw new AssertionError(buf.remaining() + " bytes left undecoded");
        }
        return packets;
    }

    /** Encodes a packet into a fresh array of exactly its length. */
    static byte[] encode(Packet p) {
        ByteBuffer out = ByteBuffer.allocate(PacketEncoder.encodedLength(p));
        PacketEncoder.encode(p, out);
        if (out.hasRemaining()) {
            throw new AssertionError("encodedLength over-estimated by " + out.remaining());
        }
        return out.array();
    }
}
