package dev.wren.mqtt.internal.codec;

import dev.wren.mqtt.ProtocolViolation;
import dev.wren.mqtt.Qos;
import dev.wren.mqtt.internal.codec.Property.Where;
import java.nio.ByteBuffer;

/**
 * The variable header of a received MQTT 5.0 PUBLISH (section 3.3.2): topic name, packet identifier and
 * properties, read strictly; the payload follows, from the buffer's position to the packet's end.
 *
 * @param topic      the topic name; empty when the sender uses a Topic Alias already set on this connection
 * @param packetId   the packet identifier, 0 for QoS 0
 * @param properties its properties (subscription identifiers, topic alias, expiry, ...)
 */
public record Mqtt5Publish(String topic, Qos qos, boolean dup, boolean retain, int packetId, Properties properties) {

    /** The topic alias it carries, or 0 for none. */
    public int topicAlias() {
        Object a = properties.get(Property.TOPIC_ALIAS);
        return a == null ? 0 : (int) (long) (Long) a;
    }

    /**
     * Reads the variable header after a fixed header with {@code flags} (its low four bits), from {@code in}'s
     * position; leaves the position at the payload.
     */
    public static Mqtt5Publish readHeader(int flags, ByteBuffer in, int end) throws MalformedPacketException {
        int qos = (flags >>> 1) & 0x03;
        if (qos == 3) {
            throw new MalformedPacketException(ProtocolViolation.INVALID_QOS, "PUBLISH with QoS 3 [MQTT-3.3.1-4]");
        }
        if (end - in.position() < 2) {
            throw new MalformedPacketException(ProtocolViolation.LENGTH_MISMATCH, "PUBLISH without its topic name");
        }
        int len = in.getShort() & 0xFFFF;
        if (end - in.position() < len) {
            throw new MalformedPacketException(ProtocolViolation.LENGTH_MISMATCH, "PUBLISH topic name of " + len
                    + " bytes runs past the packet");
        }
        String topic = Utf8.decode(in, in.position(), len, null);
        in.position(in.position() + len);
        if (topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
            throw new MalformedPacketException(ProtocolViolation.INVALID_TOPIC_NAME,
                    "PUBLISH topic name with a wildcard [MQTT-3.3.2-2]");
        }
        int id = 0;
        if (qos > 0) {
            if (end - in.position() < 2) {
                throw new MalformedPacketException(ProtocolViolation.LENGTH_MISMATCH, "PUBLISH without its packet "
                        + "identifier");
            }
            id = in.getShort() & 0xFFFF;
            if (id == 0) {
                throw new MalformedPacketException(ProtocolViolation.ZERO_PACKET_ID, "PUBLISH QoS " + qos
                        + " with packet identifier 0");
            }
        }
        Properties props = Properties.decode(in, end, Where.PUBLISH);
        Mqtt5Publish p = new Mqtt5Publish(topic, Qos.of(qos), (flags & 0x08) != 0, (flags & 0x01) != 0, id, props);
        if (topic.isEmpty() && p.topicAlias() == 0) {
            throw new MalformedPacketException(ProtocolViolation.INVALID_TOPIC_NAME,
                    "PUBLISH with neither a topic name nor a Topic Alias");
        }
        return p;
    }
}
