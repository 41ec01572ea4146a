package dev.wren.mqtt.internal.codec;

import dev.wren.mqtt.ProtocolVersion;
import dev.wren.mqtt.ProtocolViolation;
import dev.wren.mqtt.Qos;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes MQTT 3.1, 3.1.1 and 5.0 packets from bytes that arrive in any chunking (MQTT 3.1.1 chapters 2 and 3,
 * MQTT 5.0 chapters 2 and 3). For 5.0 connections the packets carry their properties and reason codes (see
 * {@link Packet}); each malformed property, a property not allowed on the packet, a duplicate, a value out of range
 * and a reason code the packet may not carry is its own {@link ProtocolViolation}.
 *
 * <h2>Use</h2>
 * The caller accumulates received bytes in a buffer and calls {@link #decode(ByteBuffer)}: it returns the next
 * whole packet and advances the buffer's position past it, or returns {@code null} and leaves the position alone
 * when more bytes are needed. A PUBLISH larger than {@code bufferSize} is handed over as soon as its header is
 * in: {@link Packet.Publish#payload()} is then {@code null} and the next {@link #payloadRemaining()} bytes of the
 * stream are its payload, which the caller consumes with {@link #readPayload}, {@link #skipPayload} or
 * {@link #payloadConsumed} before decoding again.
 *
 * <h2>Strictness</h2>
 * Every rule a packet from the peer breaks ends in a {@link MalformedPacketException} naming the rule. The
 * fixed header is checked as soon as its bytes arrive: type, flags and remaining length, against the maximum
 * packet size too, before any byte of the body is awaited. Nothing is allocated from a length field: only
 * strings and lists whose bytes are already in the buffer. Once failed, the decoder stays failed (it throws the
 * same exception again).
 *
 * <p>Not thread-safe: one decoder per connection, used by one thread at a time.
 */
public final class PacketDecoder extends BodyReader {

    /** Which side of the connection the decoder serves. */
    public enum Role {
        /** Decodes what a server sends: the role of every Wren client. */
        CLIENT,
        /** Decodes what a client sends: for test brokers and tools. */
        SERVER
    }

    private static final int TOPIC_CACHE_MAX = 256;

    private final Role role;
    private final ProtocolVersion version;
    private final int maxPacketSize;
    private final int bufferSize;

    private MalformedPacketException failure;
    private int payloadRemaining;

    private byte[] cachedTopicBytes;
    private String cachedTopic;

    /**
     * @param role          which side's packets are decoded
     * @param version       the protocol version of the connection
     * @param maxPacketSize the largest packet accepted, fixed header included
     * @param bufferSize    the largest packet that is delivered whole; larger PUBLISH payloads are streamed
     */
    public PacketDecoder(Role role, ProtocolVersion version, int maxPacketSize, int bufferSize) {
        if (maxPacketSize < 2) {
            throw new IllegalArgumentException("maxPacketSize must be at least 2");
        }
        if (bufferSize < 2) {
            throw new IllegalArgumentException("bufferSize must be at least 2");
        }
        this.role = role;
        this.version = version;
        this.maxPacketSize = maxPacketSize;
        this.bufferSize = bufferSize;
    }

    /** A client-role decoder that delivers every packet whole (no streaming), for tests and tools. */
    public static PacketDecoder unbounded(Role role, ProtocolVersion version) {
        return new PacketDecoder(role, version, Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    /** Bytes of the current streamed PUBLISH payload not yet consumed; 0 when none. */
    public int payloadRemaining() {
        return payloadRemaining;
    }

    /** Copies payload bytes of a streamed PUBLISH from {@code in} to {@code dst}; returns the number copied. */
    public int readPayload(ByteBuffer in, ByteBuffer dst) {
        int n = Math.min(payloadRemaining, Math.min(in.remaining(), dst.remaining()));
        if (n > 0) {
            ByteBuffer slice = in.duplicate();
            slice.limit(slice.position() + n);
            dst.put(slice);
            in.position(in.position() + n);
            payloadRemaining -= n;
        }
        return n;
    }

    /** Skips payload bytes of a streamed PUBLISH held in {@code in}; returns the number skipped. */
    public int skipPayload(ByteBuffer in) {
        int n = Math.min(payloadRemaining, in.remaining());
        in.position(in.position() + n);
        payloadRemaining -= n;
        return n;
    }

    /** Records {@code n} payload bytes consumed without passing through the decoder (read straight from the socket). */
    public void payloadConsumed(int n) {
        if (n < 0 || n > payloadRemaining) {
            throw new IllegalArgumentException("consumed " + n + " of " + payloadRemaining + " payload bytes");
        }
        payloadRemaining -= n;
    }

    /**
     * The length of the packet that starts at {@code in}'s position, fixed header included, read from its fixed
     * header without consuming anything; -1 while the fixed header is not all in (or is malformed, which
     * {@link #decode} reports). For a receive buffer that grows to take the next packet whole.
     */
    public static long packetLength(ByteBuffer in) {
        int start = in.position();
        int avail = in.remaining();
        long remaining = 0;
        for (int i = 1; i <= 4 && i < avail; i++) {
            int b = in.get(start + i) & 0xFF;
            remaining |= (long) (b & 0x7F) << (7 * (i - 1));
            if ((b & 0x80) == 0) {
                return i + 1 + remaining;
            }
        }
        return -1;
    }

    /** Whether the decoder has failed; it then throws its failure on every call. */
    public boolean failed() {
        return failure != null;
    }

    /**
     * Decodes the next packet from {@code in}.
     *
     * @return the packet, or {@code null} if {@code in} does not hold enough bytes yet
     * @throws MalformedPacketException if the bytes break the protocol
     * @throws IllegalStateException    if a streamed payload has not been consumed
     */
    public Packet decode(ByteBuffer in) throws MalformedPacketException {
        if (failure != null) {
            throw failure;
        }
        if (payloadRemaining > 0) {
            throw new IllegalStateException(payloadRemaining + " bytes of a streamed PUBLISH payload not consumed");
        }
        try {
            return decodeNext(in);
        } catch (MalformedPacketException e) {
            failure = e;
            throw e;
        } finally {
            buf = null;
        }
    }

    private Packet decodeNext(ByteBuffer in) throws MalformedPacketException {
        int start = in.position();
        int avail = in.remaining();
        if (avail < 1) {
            return null;
        }
        int b0 = in.get(start) & 0xFF;
        PacketType type = PacketType.ofOrNull(b0 >>> 4);
        if (type == null) {
            throw fail(ProtocolViolation.RESERVED_PACKET_TYPE, "reserved packet type " + (b0 >>> 4));
        }
        current = type;
        FixedHeaderRules.checkSender(role, type, version);
        int flags = b0 & 0x0F;
        int qos = 0;
        if (type == PacketType.PUBLISH) {
            qos = (flags >>> 1) & 0x03;
            if (qos == 3) {
                throw fail(ProtocolViolation.INVALID_QOS, "PUBLISH with QoS 3 [MQTT-3.3.1-4]");
            }
            if (qos == 0 && (flags & 0x08) != 0) {
                throw fail(ProtocolViolation.DUP_ON_QOS_0, "PUBLISH with QoS 0 and DUP set [MQTT-3.3.1-2]");
            }
        } else if (flags != type.requiredFlags()) {
            throw fail(ProtocolViolation.INVALID_FIXED_HEADER_FLAGS, type + " with fixed-header flags 0b"
                    + Integer.toBinaryString(flags) + ", must be 0b" + Integer.toBinaryString(type.requiredFlags())
                    + " [MQTT-2.2.2-2]");
        }

        int remaining = 0;
        int i = 1;
        while (true) {
            if (i >= avail) {
                return null;
            }
            int b = in.get(start + i) & 0xFF;
            remaining |= (b & 0x7F) << (7 * (i - 1));
            i++;
            if ((b & 0x80) == 0) {
                break;
            }
            if (i == 5) {
                throw fail(ProtocolViolation.MALFORMED_REMAINING_LENGTH,
                        type + " remaining length longer than four bytes");
            }
        }
        int headerLength = i;
        long total = (long) headerLength + remaining;
        if (total > maxPacketSize) {
            throw fail(ProtocolViolation.PACKET_TOO_LARGE, type + " of " + total
                    + " bytes exceeds the maximum incoming packet size of " + maxPacketSize);
        }
        FixedHeaderRules.checkRemainingLength(type, qos, remaining, version);

        int packetEnd = start + (int) total;
        if (avail >= total) {
            begin(in, start + headerLength, packetEnd);
            Packet p = decodeBody(type, flags, remaining);
            in.position(packetEnd);
            return p;
        }
        if (total <= bufferSize) {
            return null;
        }
        if (type != PacketType.PUBLISH) {
            throw fail(ProtocolViolation.PACKET_TOO_LARGE, type + " of " + total
                    + " bytes does not fit the receive buffer of " + bufferSize + " bytes");
        }
        // A PUBLISH too large for the buffer: hand over its header, stream its payload.
        if (avail < headerLength + 2) {
            return null;
        }
        int topicLength = ((in.get(start + headerLength) & 0xFF) << 8) | (in.get(start + headerLength + 1) & 0xFF);
        int varHeader = 2 + topicLength + (qos > 0 ? 2 : 0);
        if (varHeader > remaining) {
            throw fail(ProtocolViolation.LENGTH_MISMATCH, "PUBLISH topic of " + topicLength
                    + " bytes overruns its remaining length of " + remaining);
        }
        if (version.isMqtt5()) {
            // the Property Length follows the packet identifier: read it (a variable byte integer) once it is in
            int at = start + headerLength + varHeader;
            int propertyLength = 0;
            int k = 0;
            while (true) {
                if (at + k >= start + avail) {
                    return null;
                }
                int b = in.get(at + k) & 0xFF;
                propertyLength |= (b & 0x7F) << (7 * k);
                k++;
                if ((b & 0x80) == 0) {
                    break;
                }
                if (k == 4) {
                    throw fail(ProtocolViolation.MALFORMED_VARIABLE_BYTE_INTEGER,
                            "PUBLISH Property Length longer than four bytes");
                }
            }
            varHeader += k + propertyLength;
            if (varHeader > remaining) {
                throw fail(ProtocolViolation.MALFORMED_PROPERTIES, "PUBLISH Property Length of " + propertyLength
                        + " overruns its remaining length of " + remaining);
            }
        }
        if (headerLength + varHeader > bufferSize) {
            throw fail(ProtocolViolation.PACKET_TOO_LARGE, "PUBLISH header of " + (headerLength + varHeader)
                    + " bytes does not fit the receive buffer of " + bufferSize + " bytes");
        }
        if (avail < headerLength + varHeader) {
            return null;
        }
        begin(in, start + headerLength, packetEnd);
        Packet.Publish header = decodePublish(flags, remaining, false);
        in.position(start + headerLength + varHeader);
        payloadRemaining = header.payloadLength();
        return header;
    }

    private Packet decodeBody(PacketType type, int flags, int remaining) throws MalformedPacketException {
        Packet p = version.isMqtt5() ? decodeBody5(type, flags, remaining) : switch (type) {
            case CONNACK -> decodeConnAck();
            case PUBLISH -> decodePublish(flags, remaining, true);
            case PUBACK -> new Packet.PubAck(packetId());
            case PUBREC -> new Packet.PubRec(packetId());
            case PUBREL -> new Packet.PubRel(packetId());
            case PUBCOMP -> new Packet.PubComp(packetId());
            case SUBACK -> decodeSubAck();
            case UNSUBACK -> new Packet.UnsubAck(packetId());
            case PINGREQ -> Packet.PingReq.INSTANCE;
            case PINGRESP -> Packet.PingResp.INSTANCE;
            case DISCONNECT -> Packet.Disconnect.INSTANCE;
            case CONNECT -> ClientPacketBodies.connect(this, version);
            case SUBSCRIBE -> ClientPacketBodies.subscribe(this, version);
            case UNSUBSCRIBE -> ClientPacketBodies.unsubscribe(this, version);
            case AUTH -> throw new AssertionError("AUTH is refused before MQTT 5.0 by its fixed header");
        };
        if (pos != end) {
            throw fail(ProtocolViolation.LENGTH_MISMATCH, type + " has " + (end - pos)
                    + " bytes left over after its last field");
        }
        return p;
    }

    // ------------------------------------------------------------------ MQTT 5.0 bodies

    private Packet decodeBody5(PacketType type, int flags, int remaining) throws MalformedPacketException {
        return switch (type) {
            case CONNACK -> {
                Mqtt5Acknowledgements.ConnAck a = Mqtt5Acknowledgements.connAck(view(), end);
                pos = end;
                yield new Packet.ConnAck(a.sessionPresent(), a.reason().value(), a.properties());
            }
            case PUBLISH -> decodePublish(flags, remaining, true);
            case PUBACK, PUBREC, PUBREL, PUBCOMP -> decodeAck5(type);
            case SUBACK, UNSUBACK -> {
                Property.Where kind = type == PacketType.SUBACK ? Property.Where.SUBACK : Property.Where.UNSUBACK;
                Mqtt5Acknowledgements.SubAck a = Mqtt5Acknowledgements.subAck(kind, view(), end);
                pos = end;
                List<Integer> codes = new ArrayList<>(a.reasons().size());
                for (dev.wren.mqtt.ReasonCode r : a.reasons()) {
                    codes.add(r.value());
                }
                yield type == PacketType.SUBACK ? new Packet.SubAck(a.packetId(), codes, a.properties())
                        : new Packet.UnsubAck(a.packetId(), codes, a.properties());
            }
            case PINGREQ -> Packet.PingReq.INSTANCE;
            case PINGRESP -> Packet.PingResp.INSTANCE;
            case DISCONNECT, AUTH -> {
                if (pos == end) {
                    yield type == PacketType.DISCONNECT ? Packet.Disconnect.INSTANCE : new Packet.Auth(0, null);
                }
                Property.Where kind = type == PacketType.DISCONNECT ? Property.Where.DISCONNECT : Property.Where.AUTH;
                ReasonedPacket r = ReasonedPacket.decode(kind, view(), end, role == Role.CLIENT);
                pos = end;
                Properties props = r.properties().isEmpty() ? null : r.properties();
                yield type == PacketType.DISCONNECT ? new Packet.Disconnect(r.reason().value(), props)
                        : new Packet.Auth(r.reason().value(), props);
            }
            case CONNECT -> ClientPacketBodies.connect(this, version);
            case SUBSCRIBE -> ClientPacketBodies.subscribe(this, version);
            case UNSUBSCRIBE -> ClientPacketBodies.unsubscribe(this, version);
        };
    }

    private Packet decodeAck5(PacketType type) throws MalformedPacketException {
        if (end - pos == 2) { // success without properties: the 3.1.1 form, the common case
            int id = packetId();
            return switch (type) {
                case PUBACK -> new Packet.PubAck(id);
                case PUBREC -> new Packet.PubRec(id);
                case PUBREL -> new Packet.PubRel(id);
                default -> new Packet.PubComp(id);
            };
        }
        Property.Where kind = switch (type) {
            case PUBACK -> Property.Where.PUBACK;
            case PUBREC -> Property.Where.PUBREC;
            case PUBREL -> Property.Where.PUBREL;
            default -> Property.Where.PUBCOMP;
        };
        ReasonedPacket r = ReasonedPacket.decode(kind, view(), end, role == Role.CLIENT);
        pos = end;
        int code = r.reason().value();
        Properties props = r.properties().isEmpty() ? null : r.properties(); // null: none, as in the short form
        return switch (type) {
            case PUBACK -> new Packet.PubAck(r.packetId(), code, props);
            case PUBREC -> new Packet.PubRec(r.packetId(), code, props);
            case PUBREL -> new Packet.PubRel(r.packetId(), code, props);
            default -> new Packet.PubComp(r.packetId(), code, props);
        };
    }

    private Packet decodeConnAck() throws MalformedPacketException {
        int ackFlags = u8();
        int code = u8();
        if ((ackFlags & 0xFE) != 0) {
            throw fail(ProtocolViolation.INVALID_CONNACK_FLAGS, "CONNACK acknowledge flags 0x"
                    + Integer.toHexString(ackFlags) + " have reserved bits set [MQTT-3.2.2-1]");
        }
        if (code > 5) {
            throw fail(ProtocolViolation.UNKNOWN_CONNACK_RETURN_CODE, "CONNACK return code " + code
                    + " is reserved");
        }
        boolean sessionPresent = version != ProtocolVersion.MQTT_3_1 && (ackFlags & 1) != 0;
        if (sessionPresent && code != 0) {
            throw fail(ProtocolViolation.SESSION_PRESENT_ON_REFUSAL, "CONNACK refuses with return code " + code
                    + " but sets session present [MQTT-3.2.2-4]");
        }
        return new Packet.ConnAck(sessionPresent, code);
    }

    private Packet.Publish decodePublish(int flags, int remaining, boolean whole) throws MalformedPacketException {
        int qos = (flags >>> 1) & 0x03;
        String topic = topicName();
        int id = qos > 0 ? packetId() : 0;
        Properties props = null;
        if (version.isMqtt5()) {
            props = properties(Property.Where.PUBLISH);
            if (topic.isEmpty() && props.topicAliasOrZero() == 0) {
                throw fail(ProtocolViolation.INVALID_TOPIC_NAME, "PUBLISH with neither a topic name nor a Topic Alias "
                        + "[MQTT-3.3.2-1]");
            }
            if (role == Role.SERVER && !props.subscriptionIdentifiers().isEmpty()) {
                throw fail(ProtocolViolation.PROPERTY_NOT_ALLOWED, "a client's PUBLISH may not carry a Subscription "
                        + "Identifier [MQTT-3.3.4-6]");
            }
        }
        int payloadLength = end - pos;
        ByteBuffer payload = null;
        if (whole) {
            payload = buf.duplicate();
            payload.limit(end).position(pos);
            payload = payload.slice();
            pos = end;
        }
        return new Packet.Publish(topic, Qos.of(qos), (flags & 0x08) != 0, (flags & 0x01) != 0, id, payload,
                payloadLength, props);
    }

    private String topicName() throws MalformedPacketException {
        int len = u16();
        need(len, "topic name");
        String topic = null;
        if (cachedTopicBytes != null && cachedTopicBytes.length == len) {
            int k = 0;
            while (k < len && buf.get(pos + k) == cachedTopicBytes[k]) {
                k++;
            }
            if (k == len) {
                topic = cachedTopic;
            }
        }
        if (topic == null) {
            topic = Utf8.decode(buf, pos, len, scratch(len));
            if (topic.isEmpty() && !version.isMqtt5()) { // 5.0: empty with a Topic Alias, checked with the properties
                throw fail(ProtocolViolation.INVALID_TOPIC_NAME, "PUBLISH with an empty topic name [MQTT-4.7.3-1]");
            }
            for (int k = 0; k < topic.length(); k++) {
                char c = topic.charAt(k);
                if (c == '+' || c == '#') {
                    throw fail(ProtocolViolation.INVALID_TOPIC_NAME, "PUBLISH topic name contains wildcard '" + c
                            + "' [MQTT-3.3.2-2]");
                }
            }
            if (len <= TOPIC_CACHE_MAX) {
                byte[] copy = new byte[len];
                for (int k = 0; k < len; k++) {
                    copy[k] = buf.get(pos + k);
                }
                cachedTopicBytes = copy;
                cachedTopic = topic;
            }
        }
        pos += len;
        return topic;
    }

    private Packet decodeSubAck() throws MalformedPacketException {
        int id = packetId();
        List<Integer> codes = new ArrayList<>(end - pos);
        while (pos < end) {
            int code = u8();
            if (code > 2 && code != 0x80) {
                throw fail(ProtocolViolation.INVALID_SUBACK_RETURN_CODE, "SUBACK return code 0x"
                        + Integer.toHexString(code) + " is reserved [MQTT-3.9.3-2]");
            }
            codes.add(code);
        }
        return new Packet.SubAck(id, codes);
    }

}
