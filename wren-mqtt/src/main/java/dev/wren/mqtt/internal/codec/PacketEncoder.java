package dev.wren.mqtt.internal.codec;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Writes MQTT packets into a {@link ByteBuffer}: size first, then write (MQTT 3.1.1 chapters 2 and 3, MQTT 5.0
 * chapters 2 and 3). A packet value says which version it is (see {@link Packet}): the 5.0 parts, properties and
 * reason codes, are written when it has them, in the shortest form the specification allows (an acknowledgement
 * that reports success without properties is two bytes, as in 3.1.1).
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
                writeFixedHeader(out, 0x20, remainingLength(p));
                out.put((byte) (c.sessionPresent() ? 1 : 0));
                out.put((byte) c.returnCode());
                writeProperties(out, c.properties());
            }
            case PUBLISH -> {
                Packet.Publish pub = (Packet.Publish) p;
                int first = 0x30 | (pub.dup() ? 0x08 : 0) | (pub.qos().code() << 1) | (pub.retain() ? 0x01 : 0);
                writeFixedHeader(out, first, remainingLength(p));
                writeString(out, pub.topic());
                if (pub.qos().code() > 0) {
                    out.putShort((short) pub.packetId());
                }
                writeProperties(out, pub.properties());
                out.put(pub.payload().duplicate());
            }
            case PUBACK -> writeAck(out, 0x40, ((Packet.PubAck) p).packetId(), ((Packet.PubAck) p).reasonCode(),
                    ((Packet.PubAck) p).properties());
            case PUBREC -> writeAck(out, 0x50, ((Packet.PubRec) p).packetId(), ((Packet.PubRec) p).reasonCode(),
                    ((Packet.PubRec) p).properties());
            case PUBREL -> writeAck(out, 0x62, ((Packet.PubRel) p).packetId(), ((Packet.PubRel) p).reasonCode(),
                    ((Packet.PubRel) p).properties());
            case PUBCOMP -> writeAck(out, 0x70, ((Packet.PubComp) p).packetId(), ((Packet.PubComp) p).reasonCode(),
                    ((Packet.PubComp) p).properties());
            case SUBSCRIBE -> {
                Packet.Subscribe s = (Packet.Subscribe) p;
                writeFixedHeader(out, 0x82, remainingLength(p));
                out.putShort((short) s.packetId());
                writeProperties(out, s.properties());
                for (int i = 0; i < s.filters().size(); i++) {
                    writeString(out, s.filters().get(i));
                    out.put((byte) (s.qos().get(i).code() | s.options().get(i)));
                }
            }
            case SUBACK -> {
                Packet.SubAck s = (Packet.SubAck) p;
                writeFixedHeader(out, 0x90, remainingLength(p));
                out.putShort((short) s.packetId());
                writeProperties(out, s.properties());
                for (int code : s.returnCodes()) {
                    out.put((byte) code);
                }
            }
            case UNSUBSCRIBE -> {
                Packet.Unsubscribe u = (Packet.Unsubscribe) p;
                writeFixedHeader(out, 0xA2, remainingLength(p));
                out.putShort((short) u.packetId());
                writeProperties(out, u.properties());
                for (String f : u.filters()) {
                    writeString(out, f);
                }
            }
            case UNSUBACK -> {
                Packet.UnsubAck u = (Packet.UnsubAck) p;
                writeFixedHeader(out, 0xB0, remainingLength(p));
                out.putShort((short) u.packetId());
                writeProperties(out, u.properties());
                for (int code : u.reasonCodes()) {
                    out.put((byte) code);
                }
            }
            case PINGREQ -> writeFixedHeader(out, 0xC0, 0);
            case PINGRESP -> writeFixedHeader(out, 0xD0, 0);
            case DISCONNECT -> writeReasoned(out, 0xE0, ((Packet.Disconnect) p).reasonCode(),
                    ((Packet.Disconnect) p).properties());
            case AUTH -> writeReasoned(out, 0xF0, ((Packet.Auth) p).reasonCode(), ((Packet.Auth) p).properties());
        }
    }

    /** The remaining length of a packet, PUBLISH payload included. */
    public static int remainingLength(Packet p) {
        return switch (p.type()) {
            case CONNECT -> connectRemainingLength((Packet.Connect) p);
            case CONNACK -> 2 + propertiesLength(((Packet.ConnAck) p).properties());
            case PUBACK -> ackLength(((Packet.PubAck) p).reasonCode(), ((Packet.PubAck) p).properties());
            case PUBREC -> ackLength(((Packet.PubRec) p).reasonCode(), ((Packet.PubRec) p).properties());
            case PUBREL -> ackLength(((Packet.PubRel) p).reasonCode(), ((Packet.PubRel) p).properties());
            case PUBCOMP -> ackLength(((Packet.PubComp) p).reasonCode(), ((Packet.PubComp) p).properties());
            case PUBLISH -> {
                Packet.Publish pub = (Packet.Publish) p;
                yield publishRemainingLength(Utf8.encodedLength(pub.topic()), pub.qos().code(), pub.payloadLength())
                        + propertiesLength(pub.properties());
            }
            case SUBSCRIBE -> {
                int n = 2 + propertiesLength(((Packet.Subscribe) p).properties());
                for (String f : ((Packet.Subscribe) p).filters()) {
                    n += 2 + Utf8.encodedLength(f) + 1;
                }
                yield n;
            }
            case SUBACK -> 2 + propertiesLength(((Packet.SubAck) p).properties())
                    + ((Packet.SubAck) p).returnCodes().size();
            case UNSUBSCRIBE -> {
                int n = 2 + propertiesLength(((Packet.Unsubscribe) p).properties());
                for (String f : ((Packet.Unsubscribe) p).filters()) {
                    n += 2 + Utf8.encodedLength(f);
                }
                yield n;
            }
            case UNSUBACK -> 2 + propertiesLength(((Packet.UnsubAck) p).properties())
                    + ((Packet.UnsubAck) p).reasonCodes().size();
            case PINGREQ, PINGRESP -> 0;
            case DISCONNECT -> reasonedLength(((Packet.Disconnect) p).reasonCode(), ((Packet.Disconnect) p).properties());
            case AUTH -> reasonedLength(((Packet.Auth) p).reasonCode(), ((Packet.Auth) p).properties());
        };
    }

    /** The bytes a property section takes: none for a 3.1.1 packet ({@code null}), else length and properties. */
    private static int propertiesLength(Properties props) {
        return props == null ? 0 : props.encodedLength();
    }

    private static void writeProperties(ByteBuffer out, Properties props) {
        if (props != null) {
            props.encode(out);
        }
    }

    private static boolean bare(int reasonCode, Properties props) {
        return reasonCode == 0 && (props == null || props.isEmpty());
    }

    /** A reason code and properties in their shortest form (sections 3.4.2.1, 3.14.2.1, 3.15.2.1). */
    private static int reasonedLength(int reasonCode, Properties props) {
        if (bare(reasonCode, props)) {
            return 0;
        }
        return 1 + (props == null || props.isEmpty() ? 0 : props.encodedLength());
    }

    private static int ackLength(int reasonCode, Properties props) {
        return 2 + reasonedLength(reasonCode, props);
    }

    private static void writeReasoned(ByteBuffer out, int firstByte, int reasonCode, Properties props) {
        writeFixedHeader(out, firstByte, reasonedLength(reasonCode, props));
        writeReasonAndProperties(out, reasonCode, props);
    }

    private static void writeReasonAndProperties(ByteBuffer out, int reasonCode, Properties props) {
        if (!bare(reasonCode, props)) {
            out.put((byte) reasonCode);
            if (props != null && !props.isEmpty()) {
                props.encode(out);
            }
        }
    }

    private static void writeAck(ByteBuffer out, int firstByte, int packetId, int reasonCode, Properties props) {
        writeFixedHeader(out, firstByte, ackLength(reasonCode, props));
        out.putShort((short) packetId);
        writeReasonAndProperties(out, reasonCode, props);
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
        writePublishHeader(out, topic, null, topicLength, qos, dup, retain, packetId, payloadLength);
    }

    /** {@link #encodePublishHeader(String, int, int, boolean, boolean, int, int, ByteBuffer)} of a checked topic. */
    public static void encodePublishHeader(CheckedTopic topic, int qos, boolean dup, boolean retain, int packetId,
                                           int payloadLength, ByteBuffer out) {
        writePublishHeader(out, null, topic.utf8, topic.utf8.length, qos, dup, retain, packetId, payloadLength);
    }

    /**
     * The MQTT 5.0 form of {@link #encodePublishHeader}: the properties follow the packet identifier, with the Topic
     * Alias {@code topicAlias} (0 for none) written ahead of {@code properties} (which must not hold one). With an
     * alias already known to the server, {@code topic} is empty and {@code topicLength} 0.
     */
    public static void encodePublishHeader5(String topic, int topicLength, int qos, boolean dup, boolean retain,
                                            int packetId, int topicAlias, Properties properties, int payloadLength,
                                            ByteBuffer out) {
        writePublishHeader5(out, topic, null, topicLength, qos, dup, retain, packetId, topicAlias, properties,
                payloadLength);
    }

    /**
     * {@link #encodePublishHeader5(String, int, int, boolean, boolean, int, int, Properties, int, ByteBuffer)} of a
     * checked topic, whose UTF-8 bytes are copied rather than encoded again; {@code withName} false writes an empty
     * name (the server knows the topic by its alias).
     */
    public static void encodePublishHeader5(CheckedTopic topic, boolean withName, int qos, boolean dup, boolean retain,
                                            int packetId, int topicAlias, Properties properties, int payloadLength,
                                            ByteBuffer out) {
        writePublishHeader5(out, null, withName ? topic.utf8 : null, withName ? topic.utf8.length : 0, qos, dup,
                retain, packetId, topicAlias, properties, payloadLength);
    }

    /** The Property Length of a 5.0 PUBLISH with {@code topicAlias} (0 for none) and {@code properties}. */
    public static int publishPropertyLength(int topicAlias, Properties properties) {
        return (topicAlias != 0 ? 3 : 0) + properties.length();
    }

    /** The length of a 5.0 PUBLISH's fixed and variable header, without the payload. */
    public static int publishHeaderLength5(int topicUtf8Length, int qos, int topicAlias, Properties properties,
                                           int payloadLength) {
        int props = publishPropertyLength(topicAlias, properties);
        int remaining = publishRemainingLength(topicUtf8Length, qos, payloadLength) + VariableByteInteger.size(props)
                + props;
        return 1 + varIntSize(remaining) + remaining - payloadLength;
    }

    /**
     * A 3.1.1 PUBLISH header; the name from {@code utf8} when given (copied), else from {@code topic} (encoded), of
     * {@code topicLength} bytes.
     */
    private static void writePublishHeader(ByteBuffer out, String topic, byte[] utf8, int topicLength, int qos,
                                           boolean dup, boolean retain, int packetId, int payloadLength) {
        int first = 0x30 | (dup ? 0x08 : 0) | (qos << 1) | (retain ? 0x01 : 0);
        writeFixedHeader(out, first, publishRemainingLength(topicLength, qos, payloadLength));
        writeName(out, topic, utf8, topicLength);
        if (qos > 0) {
            out.putShort((short) packetId);
        }
    }

    /** A 5.0 PUBLISH header: as {@link #writePublishHeader}, then the properties, the Topic Alias first. */
    private static void writePublishHeader5(ByteBuffer out, String topic, byte[] utf8, int topicLength, int qos,
                                            boolean dup, boolean retain, int packetId, int topicAlias,
                                            Properties properties, int payloadLength) {
        int props = publishPropertyLength(topicAlias, properties);
        int first = 0x30 | (dup ? 0x08 : 0) | (qos << 1) | (retain ? 0x01 : 0);
        writeFixedHeader(out, first, publishRemainingLength(topicLength, qos, payloadLength)
                + VariableByteInteger.size(props) + props);
        writeName(out, topic, utf8, topicLength);
        if (qos > 0) {
            out.putShort((short) packetId);
        }
        VariableByteInteger.write(props, out);
        if (topicAlias != 0) {
            out.put((byte) Property.TOPIC_ALIAS.id());
            out.putShort((short) topicAlias);
        }
        properties.encodeBody(out);
    }

    /** The topic name's length, then its bytes: {@code utf8} copied when given, else {@code topic} encoded. */
    private static void writeName(ByteBuffer out, String topic, byte[] utf8, int length) {
        out.putShort((short) length);
        if (utf8 != null) {
            out.put(utf8);
        } else if (topic != null) {
            Utf8.encode(topic, out);
        }
    }

    private static int connectRemainingLength(Packet.Connect c) {
        int n = 2 + Utf8.encodedLength(c.version().protocolName()) + 1 + 1 + 2 + propertiesLength(c.properties());
        n += 2 + Utf8.encodedLength(c.clientId());
        if (c.willTopic() != null) {
            n += propertiesLength(c.willProperties()) + 2 + Utf8.encodedLength(c.willTopic()) + 2
                    + c.willMessage().length;
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
        writeProperties(out, c.properties());
        writeString(out, c.clientId());
        if (c.willTopic() != null) {
            writeProperties(out, c.willProperties());
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
