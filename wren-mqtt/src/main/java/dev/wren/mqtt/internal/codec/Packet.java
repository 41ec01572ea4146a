package dev.wren.mqtt.internal.codec;

import dev.wren.mqtt.ProtocolVersion;
import dev.wren.mqtt.Qos;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An MQTT control packet as a value: one small record per type (MQTT 3.1.1 chapter 3, MQTT 5.0 chapter 3).
 *
 * <p>One record serves every protocol version. The MQTT 5.0 parts are {@code properties} (null on a packet of an
 * MQTT 3.1 / 3.1.1 connection, which has no property section; {@link Properties#NONE} for a 5.0 packet without
 * properties) and reason codes (the raw wire value; 0, success, on 3.1.1 packets). The shorter constructors make
 * 3.1.1 packets. A packet value thus says how it is encoded: {@link PacketEncoder} needs no version.
 *
 * <p>The hot publish path does not build these values: {@link PacketEncoder} has direct methods for it. They
 * serve the decoder's output, tests, and any code that wants to see packets whole.
 */
public sealed interface Packet {

    /** The packet's type. */
    PacketType type();

    /** Its MQTT 5.0 properties; null when it has none (PINGREQ, PINGRESP, and every 3.1.1 packet). */
    default Properties properties() {
        return null;
    }

    /** Its MQTT 5.0 reason code (a raw value) where it has one of its own; 0 otherwise. */
    default int reasonCode() {
        return 0;
    }

    /** CONNECT (section 3.1). Strings may be null where the field is absent. */
    record Connect(ProtocolVersion version, String clientId, boolean cleanSession, int keepAliveSeconds,
                   String willTopic, byte[] willMessage, Qos willQos, boolean willRetain,
                   String userName, byte[] password, Properties properties, Properties willProperties)
            implements Packet {
        public Connect {
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(willQos, "willQos");
            if (version.isMqtt5()) {
                properties = properties == null ? Properties.NONE : properties;
                willProperties = willProperties == null && willTopic != null ? Properties.NONE : willProperties;
            } else if (properties != null || willProperties != null) {
                throw new IllegalArgumentException(version + " has no properties");
            }
        }

        /** A CONNECT without properties (the only kind before MQTT 5.0). */
        public Connect(ProtocolVersion version, String clientId, boolean cleanSession, int keepAliveSeconds,
                       String willTopic, byte[] willMessage, Qos willQos, boolean willRetain, String userName,
                       byte[] password) {
            this(version, clientId, cleanSession, keepAliveSeconds, willTopic, willMessage, willQos, willRetain,
                    userName, password, null, null);
        }

        public PacketType type() {
            return PacketType.CONNECT;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Connect c && version == c.version && clientId.equals(c.clientId)
                    && cleanSession == c.cleanSession && keepAliveSeconds == c.keepAliveSeconds
                    && Objects.equals(willTopic, c.willTopic) && Arrays.equals(willMessage, c.willMessage)
                    && willQos == c.willQos && willRetain == c.willRetain
                    && Objects.equals(userName, c.userName) && Arrays.equals(password, c.password)
                    && Objects.equals(properties, c.properties) && Objects.equals(willProperties, c.willProperties);
        }

        @Override
        public int hashCode() {
            return Objects.hash(version, clientId, cleanSession, keepAliveSeconds, willTopic, userName);
        }

        @Override
        public String toString() {
            return "Connect[" + version + ", clientId=" + clientId + ", cleanSession=" + cleanSession
                    + ", keepAlive=" + keepAliveSeconds + (willTopic != null ? ", willTopic=" + willTopic
                    + ", willQos=" + willQos.code() + ", willRetain=" + willRetain : "")
                    + (userName != null ? ", userName=" + userName : "") + (password != null ? ", password=***" : "")
                    + (properties != null && !properties.isEmpty() ? ", " + properties : "")
                    + (willProperties != null && !willProperties.isEmpty() ? ", will " + willProperties : "") + "]";
        }
    }

    /** CONNACK (section 3.2); {@code returnCode} is the raw wire value (a reason code in 5.0). */
    record ConnAck(boolean sessionPresent, int returnCode, Properties properties) implements Packet {
        /** A 3.1.1 CONNACK. */
        public ConnAck(boolean sessionPresent, int returnCode) {
            this(sessionPresent, returnCode, null);
        }

        public PacketType type() {
            return PacketType.CONNACK;
        }
    }

    /**
     * PUBLISH (section 3.3). {@code payload} is null when the decoder hands the payload over for streaming;
     * {@code payloadLength} is always the payload's full length.
     */
    record Publish(String topic, Qos qos, boolean dup, boolean retain, int packetId, ByteBuffer payload,
                   int payloadLength, Properties properties) implements Packet {
        /** A 3.1.1 PUBLISH. */
        public Publish(String topic, Qos qos, boolean dup, boolean retain, int packetId, ByteBuffer payload,
                       int payloadLength) {
            this(topic, qos, dup, retain, packetId, payload, payloadLength, null);
        }

        /** This PUBLISH with {@code topic} as its topic name (a Topic Alias resolved). */
        public Publish withTopic(String topic) {
            return new Publish(topic, qos, dup, retain, packetId, payload, payloadLength, properties);
        }

        public PacketType type() {
            return PacketType.PUBLISH;
        }

        /** A PUBLISH whose payload is given whole. */
        public static Publish of(String topic, Qos qos, boolean dup, boolean retain, int packetId, byte[] payload) {
            return new Publish(topic, qos, dup, retain, packetId, ByteBuffer.wrap(payload), payload.length);
        }

        /** The payload bytes (a copy), or null when streamed. */
        public byte[] payloadBytes() {
            if (payload == null) {
                return null;
            }
            byte[] b = new byte[payload.remaining()];
            payload.duplicate().get(b);
            return b;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Publish p && topic.equals(p.topic) && qos == p.qos && dup == p.dup
                    && retain == p.retain && packetId == p.packetId && payloadLength == p.payloadLength
                    && Objects.equals(payload, p.payload) && Objects.equals(properties, p.properties);
        }

        @Override
        public int hashCode() {
            return Objects.hash(topic, qos, packetId, payloadLength);
        }
    }

    /** PUBACK (section 3.4). */
    record PubAck(int packetId, int reasonCode, Properties properties) implements Packet {
        /** A PUBACK that reports success without properties: the same bytes in 3.1.1 and 5.0. */
        public PubAck(int packetId) {
            this(packetId, 0, null);
        }

        public PacketType type() {
            return PacketType.PUBACK;
        }
    }

    /** PUBREC (section 3.5). */
    record PubRec(int packetId, int reasonCode, Properties properties) implements Packet {
        /** A PUBREC that reports success without properties: the same bytes in 3.1.1 and 5.0. */
        public PubRec(int packetId) {
            this(packetId, 0, null);
        }

        public PacketType type() {
            return PacketType.PUBREC;
        }
    }

    /** PUBREL (section 3.6). */
    record PubRel(int packetId, int reasonCode, Properties properties) implements Packet {
        /** A PUBREL that reports success without properties: the same bytes in 3.1.1 and 5.0. */
        public PubRel(int packetId) {
            this(packetId, 0, null);
        }

        public PacketType type() {
            return PacketType.PUBREL;
        }
    }

    /** PUBCOMP (section 3.7). */
    record PubComp(int packetId, int reasonCode, Properties properties) implements Packet {
        /** A PUBCOMP that reports success without properties: the same bytes in 3.1.1 and 5.0. */
        public PubComp(int packetId) {
            this(packetId, 0, null);
        }

        public PacketType type() {
            return PacketType.PUBCOMP;
        }
    }

    /**
     * SUBSCRIBE (section 3.8): filters with their requested QoS and, in 5.0, the other subscription options of each
     * (No Local 0x04, Retain As Published 0x08, Retain Handling in bits 4 and 5; 0 before 5.0).
     */
    record Subscribe(int packetId, List<String> filters, List<Qos> qos, List<Integer> options, Properties properties)
            implements Packet {
        public Subscribe {
            filters = List.copyOf(filters);
            qos = List.copyOf(qos);
            options = options == null ? java.util.Collections.nCopies(filters.size(), 0) : List.copyOf(options);
            if (filters.size() != qos.size() || filters.size() != options.size()) {
                throw new IllegalArgumentException("filters, qos and options differ in size");
            }
        }

        /** A 3.1.1 SUBSCRIBE. */
        public Subscribe(int packetId, List<String> filters, List<Qos> qos) {
            this(packetId, filters, qos, null, null);
        }

        public PacketType type() {
            return PacketType.SUBSCRIBE;
        }
    }

    /** SUBACK (section 3.9): raw return codes (reason codes in 5.0). */
    record SubAck(int packetId, List<Integer> returnCodes, Properties properties) implements Packet {
        public SubAck {
            returnCodes = List.copyOf(returnCodes);
        }

        /** A 3.1.1 SUBACK. */
        public SubAck(int packetId, List<Integer> returnCodes) {
            this(packetId, returnCodes, null);
        }

        public PacketType type() {
            return PacketType.SUBACK;
        }
    }

    /** UNSUBSCRIBE (section 3.10). */
    record Unsubscribe(int packetId, List<String> filters, Properties properties) implements Packet {
        public Unsubscribe {
            filters = List.copyOf(filters);
        }

        /** A 3.1.1 UNSUBSCRIBE. */
        public Unsubscribe(int packetId, List<String> filters) {
            this(packetId, filters, null);
        }

        public PacketType type() {
            return PacketType.UNSUBSCRIBE;
        }
    }

    /** UNSUBACK (section 3.11): in 5.0 one raw reason code per filter; none before. */
    record UnsubAck(int packetId, List<Integer> reasonCodes, Properties properties) implements Packet {
        public UnsubAck {
            reasonCodes = List.copyOf(reasonCodes);
        }

        /** A 3.1.1 UNSUBACK. */
        public UnsubAck(int packetId) {
            this(packetId, List.of(), null);
        }

        public PacketType type() {
            return PacketType.UNSUBACK;
        }
    }

    /** PINGREQ (section 3.12). */
    record PingReq() implements Packet {
        public static final PingReq INSTANCE = new PingReq();

        public PacketType type() {
            return PacketType.PINGREQ;
        }
    }

    /** PINGRESP (section 3.13). */
    record PingResp() implements Packet {
        public static final PingResp INSTANCE = new PingResp();

        public PacketType type() {
            return PacketType.PINGRESP;
        }
    }

    /** DISCONNECT (section 3.14): a raw reason code and properties in 5.0 (0 and null before). */
    record Disconnect(int reasonCode, Properties properties) implements Packet {
        public static final Disconnect INSTANCE = new Disconnect();

        /** A DISCONNECT with no reason (normal disconnection) and no properties. */
        public Disconnect() {
            this(0, null);
        }

        public PacketType type() {
            return PacketType.DISCONNECT;
        }
    }

    /** AUTH (MQTT 5.0 section 3.15): a raw reason code and properties. */
    record Auth(int reasonCode, Properties properties) implements Packet {
        public PacketType type() {
            return PacketType.AUTH;
        }
    }
}
