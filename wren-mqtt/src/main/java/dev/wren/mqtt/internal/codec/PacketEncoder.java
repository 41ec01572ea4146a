package dev.wren.mqtt.internal.codec;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Writes MQTT 3.1 / 3.1.1 packets into a {@link ByteBuffer}: size first, then write (MQTT 3.1.1 chapter 2 and 3).
 *
 * <p>This is the only place that writes packet bytes. The PUBLISH path has direct methods
 * ({@link #publishHeaderLength}, {@link #encodePublishHeader}) that write only the header, so that the payload can go
 * out from the caller's own buffer. Callers must check that
 * the buffer has room for {@link #encodedLength(Packet)} bytes. Arguments are assumed valid: the public API checks
 * them before they reach the encoder.
 *
 * <p>Stateless and thread-safe.
 */
public final class PacketEncoder {
    /** The largest remaining length the four-byte variable integer can express. */
    public static final int MAX_REMAINING_LENGTH = 268_435_455;

    private PacketEncoder() {
    }

    /** The number of bytes the remaining-length field takes for {@code n}. */
    public static int varIntSize(int n) {
        return VariableByteInteger.size(n);
    }

    /** Writes the first byte and the remaining length. */
    private static void writeFixedHeader(ByteBuffer out, int firstByte, int remaining) {
        out.put((byte) firstByte);
        VariableByteInteger.write(remaining, out);
    }

    /** The total encoded length of a packet with {@code remaining} bytes after its fixed header. */
    public static int totalLength(int remaining) {
        return 1 + varIntSize(remaining) + remaining;
    }

    /** The total encoded length of a packet, PUBLISH payload included. */
    public static int encodedLength(Packet p) {
        int remaining = remainingLength(p);
        return 1 + varIntSize(remaining) + remaining;
    }

    /** Writes a whole packet, PUBLISH payload included. */
    public static void encode(Packet p, ByteBuffer out) {
        switch (p.type()) {
            case CONNECT -> writeConnect((Packet.Connect) p, out);
            case CONNACK -> {
                Packet.ConnAck c = (Packet.ConnAck) p;
                writeFixedHeader(out, 0x20, 2);
                out.put((byte) (c.sessionPresent() ? 1 : 0));
                out.put((byte) c.returnCode());
            }
            case PUBLISH -> {
                Packet.Publish pub = (Packet.Publish) p;
                writePublishHeader(out, pub.topic(), Utf8.encodedLength(pub.topic()), pub.qos().code(), pub.dup(),
                        pub.retain(), pub.packetId(), pub.payloadLength());
                out.put(pub.payload().duplicate());
            }
            case PUBACK -> writeAck(out, 0x40, ((Packet.PubAck) p).packetId());
            case PUBREC -> writeAck(out, 0x50, ((Packet.PubRec) p).packetId());
            case PUBREL -> writeAck(out, 0x62, ((Packet.PubRel) p).packetId());
            case PUBCOMP -> writeAck(out, 0x70, ((Packet.PubComp) p).packetId());
            case SUBSCRIBE -> {
                Packet.Subscribe s = (Packet.Subscribe) p;
                writeFixedHeader(out, 0x82, remainingLength(p));
                out.putShort((short) s.packetId());
                for (int i = 0; i < s.filters().size(); i++) {
                    writeString(out, s.filters().get(i));
                    out.put((byte) s.qos().get(i).code());
                }
            }
            case SUBACK -> {
                Packet.SubAck s = (Packet.SubAck) p;
                writeFixedHeader(out, 0x90, remainingLength(p));
                out.putShort((short) s.packetId());
                for (int code : s.returnCodes()) {
                    out.put((byte) code);
                }
            }
            case UNSUBSCRIBE -> {
                Packet.Unsubscribe u = (Packet.Unsubscribe) p;
                writeFixedHeader(out, 0xA2, remainingLength(p));
                out.putShort((short) u.packetId());
                for (String f : u.filters()) {
                    writeString(out, f);
                }
            }
            case UNSUBACK -> writeAck(out, 0xB0, ((Packet.UnsubAck) p).packetId());
            case PINGREQ -> writeFixedHeader(out, 0xC0, 0);
            case PINGRESP -> writeFixedHeader(out, 0xD0, 0);
            case DISCONNECT -> writeFixedHeader(out, 0xE0, 0);
            default -> throw new AssertionError(p.type());
        }
    }

    /** The remaining length of a packet, PUBLISH payload included. */
    public static int remainingLength(Packet p) {
        return switch (p.type()) {
            case CONNECT -> connectRemainingLength((Packet.Connect) p);
            case CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK -> 2;
            case PUBLISH -> {
                Packet.Publish pub = (Packet.Publish) p;
                yield publishRemainingLength(Utf8.encodedLength(pub.topic()), pub.qos().code(), pub.payloadLength());
            }
            case SUBSCRIBE -> {
                int n = 2;
                for (String f : ((Packet.Subscribe) p).filters()) {
                    n += 2 + Utf8.encodedLength(f) + 1;
                }
                yield n;
            }
            case SUBACK -> 2 + ((Packet.SubAck) p).returnCodes().size();
            case UNSUBSCRIBE -> {
                int n = 2;
                for (String f : ((Packet.Unsubscribe) p).filters()) {
                    n += 2 + Utf8.encodedLength(f);
                }
                yield n;
            }
            case PINGREQ, PINGRESP, DISCONNECT -> 0;
        };
    }

    /** Writes PUBACK, PUBREC, PUBREL, PUBCOMP or UNSUBACK: {@code firstByte}, length 2, the packet id. */
    private static void writeAck(ByteBuffer out, int firstByte, int packetId) {
        out.put((byte) firstByte);
        out.put((byte) 2);
        out.putShort((short) packetId);
    }

    /** The remaining length of a PUBLISH. */
    public static int publishRemainingLength(int topicUtf8Length, int qos, int payloadLength) {
        return 2 + topicUtf8Length + (qos > 0 ? 2 : 0) + payloadLength;
    }

    /** The length of a PUBLISH's fixed and variable header, without the payload. */
    public static int publishHeaderLength(int topicUtf8Length, int qos, int payloadLength) {
        int remaining = publishRemainingLength(topicUtf8Length, qos, payloadLength);
        return 1 + varIntSize(remaining) + remaining - payloadLength;
    }

    /**
     * Writes a PUBLISH's fixed header, topic and packet identifier, for {@code payloadLength} payload bytes that the
     * caller sends after it (from its own buffer, or copied). The PUBLISH is given by its fields, not as a
     * {@link Packet.Publish}: this is the hot path of every publish, which must not depend on escape analysis to
     * avoid allocating a packet value per message.
     *
     * @param topicLength the topic's UTF-8 length, which the caller has from checking the topic
     */
    public static void encodePublishHeader(String topic, int topicLength, int qos, boolean dup, boolean retain,
                                           int packetId, int payloadLength, ByteBuffer out) {
        writePublishHeader(out, topic, topicLength, qos, dup, retain, packetId, payloadLength);
    }

    private static void writePublishHeader(ByteBuffer out, String topic, int topicLength, int qos, boolean dup,
                                           boolean retain, int packetId, int payloadLength) {
        int first = 0x30 | (dup ? 0x08 : 0) | (qos << 1) | (retain ? 0x01 : 0);
        writeFixedHeader(out, first, publishRemainingLength(topicLength, qos, payloadLength));
        out.putShort((short) topicLength);
        Utf8.encode(topic, out);
        if (qos > 0) {
            out.putShort((short) packetId);
        }
    }

    private static int connectRemainingLength(Packet.Connect c) {
        int n = 2 + Utf8.encodedLength(c.version().protocolName()) + 1 + 1 + 2;
        n += 2 + Utf8.encodedLength(c.clientId());
        if (c.willTopic() != null) {
            n += 2 + Utf8.encodedLength(c.willTopic()) + 2 + c.willMessage().length;
        }
        if (c.userName() != null) {
            n += 2 + Utf8.encodedLength(c.userName());
        }
        if (c.password() != null) {
            n += 2 + c.password().length;
        }
        return n;
    }

    private static void writeConnect(Packet.Connect c, ByteBuffer out) {
        writeFixedHeader(out, 0x10, connectRemainingLength(c));
        writeString(out, c.version().protocolName());
        out.put((byte) c.version().level());
        int flags = 0;
        if (c.userName() != null) {
            flags |= 0x80;
        }
        if (c.password() != null) {
            flags |= 0x40;
        }
        if (c.willTopic() != null) {
            flags |= 0x04 | (c.willQos().code() << 3) | (c.willRetain() ? 0x20 : 0);
        }
        if (c.cleanSession()) {
            flags |= 0x02;
        }
        out.put((byte) flags);
        out.putShort((short) c.keepAliveSeconds());
        writeString(out, c.clientId());
        if (c.willTopic() != null) {
            writeString(out, c.willTopic());
            writeBinary(out, c.willMessage());
        }
        if (c.userName() != null) {
            writeString(out, c.userName());
        }
        if (c.password() != null) {
            writeBinary(out, c.password());
        }
    }

    /** Writes a length-prefixed UTF-8 string (section 1.5.4 of 5.0, 1.5.3 of 3.1.1). */
    static void writeString(ByteBuffer out, String s) {
        out.putShort((short) Utf8.encodedLength(s));
        Utf8.encode(s, out);
    }

    /** Writes length-prefixed binary data. */
    static void writeBinary(ByteBuffer out, byte[] b) {
        out.putShort((short) b.length);
        out.put(b);
    }
}
