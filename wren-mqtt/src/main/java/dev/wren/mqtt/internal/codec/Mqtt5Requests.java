package dev.wren.mqtt.internal.codec;

import dev.wren.mqtt.Qos;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * The MQTT 5.0 packets a client sends that differ from 3.1.1 beyond their properties' place (sections 3.1, 3.3,
 * 3.8, 3.10): CONNECT with its and the will's properties, PUBLISH headers with properties, SUBSCRIBE with
 * subscription options, UNSUBSCRIBE. Each is a value that knows its remaining length and writes itself whole.
 *
 * <p>Stateless and thread-safe; the values are immutable (arrays are the caller's, not copied).
 */
public final class Mqtt5Requests {
    private Mqtt5Requests() {
    }

    /** CONNECT (section 3.1), protocol level 5. A password needs no user name in 5.0. */
    public record Connect(String clientId, boolean cleanStart, int keepAliveSeconds, Properties properties,
                          String willTopic, byte[] willPayload, Qos willQos, boolean willRetain,
                          Properties willProperties, String userName, byte[] password) {
        public Connect {
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(properties, "properties");
            if ((willTopic == null) != (willPayload == null)) {
                throw new IllegalArgumentException("a will needs a topic and a payload");
            }
        }

        public int remainingLength() {
            int n = 2 + 4 + 1 + 1 + 2 + properties.encodedLength() + 2 + Utf8.encodedLength(clientId);
            if (willTopic != null) {
                n += willProperties.encodedLength() + 2 + Utf8.encodedLength(willTopic) + 2 + willPayload.length;
            }
            if (userName != null) {
                n += 2 + Utf8.encodedLength(userName);
            }
            if (password != null) {
                n += 2 + password.length;
            }
            return n;
        }

        public void encode(ByteBuffer out) {
            out.put((byte) 0x10);
            VariableByteInteger.write(remainingLength(), out);
            PacketEncoder.writeString(out, "MQTT");
            out.put((byte) 5);
            int flags = (userName != null ? 0x80 : 0) | (password != null ? 0x40 : 0) | (cleanStart ? 0x02 : 0);
            if (willTopic != null) {
                flags |= 0x04 | (willQos.code() << 3) | (willRetain ? 0x20 : 0);
            }
            out.put((byte) flags);
            out.putShort((short) keepAliveSeconds);
            properties.encode(out);
            PacketEncoder.writeString(out, clientId);
            if (willTopic != null) {
                willProperties.encode(out);
                PacketEncoder.writeString(out, willTopic);
                PacketEncoder.writeBinary(out, willPayload);
            }
            if (userName != null) {
                PacketEncoder.writeString(out, userName);
            }
            if (password != null) {
                PacketEncoder.writeBinary(out, password);
            }
        }
    }

    /**
     * One filter of a SUBSCRIBE with its options (section 3.8.3.1).
     *
     * @param retainHandling 0: send retained messages on subscribing; 1: only for a new subscription; 2: never
     */
    public record SubscriptionOption(String filter, Qos maxQos, boolean noLocal, boolean retainAsPublished,
                                     int retainHandling) {
        public SubscriptionOption {
            Topics.checkFilter("filter", filter);
            Objects.requireNonNull(maxQos, "maxQos");
            if (retainHandling < 0 || retainHandling > 2) {
                throw new IllegalArgumentException("retainHandling must be 0, 1 or 2, was " + retainHandling);
            }
            if (noLocal && filter.startsWith(Topics.SHARE_PREFIX)) {
                throw new IllegalArgumentException("noLocal may not be set on a shared subscription [MQTT-3.8.3-4]");
            }
        }

        /** The options byte: QoS in bits 0-1, No Local 2, Retain As Published 3, Retain Handling 4-5. */
        int optionsByte() {
            return maxQos.code() | (noLocal ? 0x04 : 0) | (retainAsPublished ? 0x08 : 0) | (retainHandling << 4);
        }
    }

    /** SUBSCRIBE (section 3.8). */
    public record Subscribe(int packetId, Properties properties, List<SubscriptionOption> filters) {
        public Subscribe {
            if (filters.isEmpty()) {
                throw new IllegalArgumentException("subscriptions must not be empty [MQTT-3.8.3-2]");
            }
            filters = List.copyOf(filters);
        }

        public int remainingLength() {
            int n = 2 + properties.encodedLength();
            for (SubscriptionOption f : filters) {
                n += 2 + Utf8.encodedLength(f.filter()) + 1;
            }
            return n;
        }

        public void encode(ByteBuffer out) {
            out.put((byte) 0x82);
            VariableByteInteger.write(remainingLength(), out);
            out.putShort((short) packetId);
            properties.encode(out);
            for (SubscriptionOption f : filters) {
                PacketEncoder.writeString(out, f.filter());
                out.put((byte) f.optionsByte());
            }
        }
    }

    /** UNSUBSCRIBE (section 3.10). */
    public record Unsubscribe(int packetId, Properties properties, List<String> filters) {
        public Unsubscribe {
            if (filters.isEmpty()) {
                throw new IllegalArgumentException("filters must not be empty [MQTT-3.10.3-2]");
            }
            filters = List.copyOf(filters);
        }

        public int remainingLength() {
            int n = 2 + properties.encodedLength();
            for (String f : filters) {
                n += 2 + Utf8.encodedLength(f);
            }
            return n;
        }

        public void encode(ByteBuffer out) {
            out.put((byte) 0xA2);
            VariableByteInteger.write(remainingLength(), out);
            out.putShort((short) packetId);
            properties.encode(out);
            for (String f : filters) {
                PacketEncoder.writeString(out, f);
            }
        }
    }

    /**
     * A PUBLISH's fixed header, topic, packet identifier and properties, for {@code payloadLength} bytes that follow
     * (section 3.3): the header of a 5.0 publish whose payload goes out from the caller's buffer.
     */
    public static void encodePublishHeader(String topic, int qos, boolean dup, boolean retain, int packetId,
                                           Properties properties, int payloadLength, ByteBuffer out) {
        int first = 0x30 | (dup ? 0x08 : 0) | (qos << 1) | (retain ? 0x01 : 0);
        out.put((byte) first);
        VariableByteInteger.write(publishRemainingLength(topic, qos, properties, payloadLength), out);
        PacketEncoder.writeString(out, topic);
        if (qos > 0) {
            out.putShort((short) packetId);
        }
        properties.encode(out);
    }

    /** The remaining length of a 5.0 PUBLISH. */
    public static int publishRemainingLength(String topic, int qos, Properties properties, int payloadLength) {
        return 2 + Utf8.encodedLength(topic) + (qos > 0 ? 2 : 0) + properties.encodedLength() + payloadLength;
    }
}
