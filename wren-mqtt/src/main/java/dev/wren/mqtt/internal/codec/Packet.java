package dev.wren.mqtt.internal.codec;

import dev.wren.mqtt.ProtocolVersion;
import dev.wren.mqtt.Qos;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An MQTT control packet as a value: one small record per type (MQTT 3.1.1 chapter 3).
 *
 * <p>The hot publish path does not build these values: {@link PacketEncoder} has direct methods for it. They
 * serve the decoder's output, tests, and any code that wants to see packets whole.
 */
public sealed interface Packet {

    /** The packet's type. */
    PacketType type();

    /** CONNECT (section 3.1). Strings may be null where the field is absent. */
    record Connect(ProtocolVersion version, String clientId, boolean cleanSession, int keepAliveSeconds,
                   String willTopic, byte[] willMessage, Qos willQos, boolean willRetain,
                   String userName, byte[] password) implements Packet {
        public Connect {
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(willQos, "willQos");
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
                    && Objects.equals(userName, c.userName) && Arrays.equals(password, c.password);
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
                    + "]";
        }
    }

    /** CONNACK (section 3.2); {@code returnCode} is the raw wire value. */
    record ConnAck(boolean sessionPresent, int returnCode) implements Packet {
        public PacketType type() {
            return PacketType.CONNACK;
        }
    }

    /**
     * PUBLISH (section 3.3). {@code payload} is null when the decoder hands the payload over for streaming;
     * {@code payloadLength} is always the payload's full length.
     */
    record Publish(String topic, Qos qos, boolean dup, boolean retain, int packetId, ByteBuffer payload,
                   int payloadLength) implements Packet {
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
                    && Objects.equals(payload, p.payload);
        }

        @Override
        public int hashCode() {
            return Objects.hash(topic, qos, packetId, payloadLength);
        }
    }

    /** PUBACK (section 3.4). */
    record PubAck(int packetId) implements Packet {
        public PacketType type() {
            return PacketType.PUBACK;
        }
    }

    /** PUBREC (section 3.5). */
    record PubRec(int packetId) implements Packet {
        public PacketType type() {
            return PacketType.PUBREC;
        }
    }

    /** PUBREL (section 3.6). */
    record PubRel(int packetId) implements Packet {
        public PacketType type() {
            return PacketType.PUBREL;
        }
    }

    /** PUBCOMP (section 3.7). */
    record PubComp(int packetId) implements Packet {
        public PacketType type() {
            return PacketType.PUBCOMP;
        }
    }

    /** SUBSCRIBE (section 3.8): filters with their requested QoS. */
    record Subscribe(int packetId, List<String> filters, List<Qos> qos) implements Packet {
        public Subscribe {
            filters = List.copyOf(filters);
            qos = List.copyOf(qos);
            if (filters.size() != qos.size()) {
                throw new IllegalArgumentException("filters and qos differ in size");
            }
        }

        public PacketType type() {
            return PacketType.SUBSCRIBE;
        }
    }

    /** SUBACK (section 3.9): raw return codes. */
    record SubAck(int packetId, List<Integer> returnCodes) implements Packet {
        public SubAck {
            returnCodes = List.copyOf(returnCodes);
        }

        public PacketType type() {
            return PacketType.SUBACK;
        }
    }

    /** UNSUBSCRIBE (section 3.10). */
    record Unsubscribe(int packetId, List<String> filters) implements Packet {
        public Unsubscribe {
            filters = List.copyOf(filters);
        }

        public PacketType type() {
            return PacketType.UNSUBSCRIBE;
        }
    }

    /** UNSUBACK (section 3.11). */
    record UnsubAck(int packetId) implements Packet {
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

    /** DISCONNECT (section 3.14). */
    record Disconnect() implements Packet {
        public static final Disconnect INSTANCE = new Disconnect();

        public PacketType type() {
            return PacketType.DISCONNECT;
        }
    }
}
