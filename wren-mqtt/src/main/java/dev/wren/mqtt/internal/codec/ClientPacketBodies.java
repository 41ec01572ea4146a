package dev.wren.mqtt.internal.codec;

import static dev.wren.mqtt.internal.codec.BodyReader.fail;

import dev.wren.mqtt.ProtocolVersion;
import dev.wren.mqtt.ProtocolViolation;
import dev.wren.mqtt.Qos;
import java.util.ArrayList;
import java.util.List;

/**
 * The bodies only a client sends, decoded for the server role (test brokers and tools): CONNECT, SUBSCRIBE and
 * UNSUBSCRIBE, read through a {@link PacketDecoder}'s cursor, each rule they break its own
 * {@link ProtocolViolation}. A Wren client never decodes these: a server sending one is refused by its fixed header.
 *
 * <p>Stateless.
 */
final class ClientPacketBodies {
    private ClientPacketBodies() {
    }

    static Packet connect(BodyReader r, ProtocolVersion version) throws MalformedPacketException {
        String name = r.string("protocol name");
        int level = r.u8();
        ProtocolVersion v;
        if (name.equals("MQTT") && level == 4) {
            v = ProtocolVersion.MQTT_3_1_1;
        } else if (name.equals("MQTT") && level == 5) {
            v = ProtocolVersion.MQTT_5;
        } else if (name.equals("MQIsdp") && level == 3) {
            v = ProtocolVersion.MQTT_3_1;
        } else {
            throw fail(ProtocolViolation.MALFORMED_CLIENT_PACKET, "CONNECT with protocol " + name + " level " + level);
        }
        int cf = r.u8();
        if ((cf & 0x01) != 0) {
            throw fail(ProtocolViolation.MALFORMED_CLIENT_PACKET, "CONNECT reserved flag set [MQTT-3.1.2-3]");
        }
        boolean will = (cf & 0x04) != 0;
        int willQos = (cf >>> 3) & 0x03;
        boolean willRetain = (cf & 0x20) != 0;
        if (!will && (willQos != 0 || willRetain)) {
            throw fail(ProtocolViolation.MALFORMED_CLIENT_PACKET,
                    "CONNECT will QoS/retain without will flag [MQTT-3.1.2-11]");
        }
        if (willQos == 3) {
            throw fail(ProtocolViolation.MALFORMED_CLIENT_PACKET, "CONNECT will QoS 3 [MQTT-3.1.2-14]");
        }
        boolean user = (cf & 0x80) != 0;
        boolean pass = (cf & 0x40) != 0;
        if (v.isMqtt5() != version.isMqtt5()) { // properties or not: the decoder must know before the CONNECT
            throw fail(ProtocolViolation.MALFORMED_CLIENT_PACKET, "CONNECT for " + v + " on a " + version
                    + " decoder");
        }
        if (v == ProtocolVersion.MQTT_3_1_1 && pass && !user) {
            throw fail(ProtocolViolation.MALFORMED_CLIENT_PACKET, "CONNECT password without user name [MQTT-3.1.2-22]");
        }
        int keepAlive = r.u16();
        Properties props = v.isMqtt5() ? r.properties(Property.Where.CONNECT) : null;
        String clientId = r.string("client id");
        Properties willProps = will && v.isMqtt5() ? r.properties(Property.Where.WILL) : null;
        String willTopic = will ? r.string("will topic") : null;
        byte[] willMessage = will ? r.binary() : null;
        String userName = user ? r.string("user name") : null;
        byte[] password = pass ? r.binary() : null;
        return new Packet.Connect(v, clientId, (cf & 0x02) != 0, keepAlive, willTopic, willMessage,
                Qos.of(willQos), willRetain, userName, password, props, willProps);
    }

    static Packet subscribe(BodyReader r, ProtocolVersion version) throws MalformedPacketException {
        int id = r.packetId();
        Properties props = version.isMqtt5() ? r.properties(Property.Where.SUBSCRIBE) : null;
        List<String> filters = new ArrayList<>();
        List<Qos> qos = new ArrayList<>();
        List<Integer> options = new ArrayList<>();
        while (r.pos < r.end) {
            String f = r.string("topic filter");
            String problem = Topics.filterProblem(f);
            if (problem != null) {
                throw fail(ProtocolViolation.INVALID_TOPIC_FILTER, "topic filter " + problem);
            }
            int q = r.u8();
            if (version.isMqtt5()) {
                if ((q & 0xC0) != 0 || ((q >>> 4) & 0x03) == 3) {
                    throw fail(ProtocolViolation.MALFORMED_CLIENT_PACKET, "SUBSCRIBE options byte 0x"
                            + Integer.toHexString(q) + " [MQTT-3.8.3-5]");
                }
                options.add(q & 0x3C);
                q &= 0x03;
            } else {
                options.add(0);
            }
            if (q > 2) {
                throw fail(ProtocolViolation.MALFORMED_CLIENT_PACKET, "SUBSCRIBE requested QoS byte 0x"
                        + Integer.toHexString(q) + " [MQTT-3.8.3-4]");
            }
            filters.add(f);
            qos.add(Qos.of(q));
        }
        if (filters.isEmpty()) {
            throw fail(ProtocolViolation.MALFORMED_CLIENT_PACKET, "SUBSCRIBE without a topic filter [MQTT-3.8.3-2]");
        }
        return new Packet.Subscribe(id, filters, qos, options, props);
    }

    static Packet unsubscribe(BodyReader r, ProtocolVersion version) throws MalformedPacketException {
        int id = r.packetId();
        Properties props = version.isMqtt5() ? r.properties(Property.Where.UNSUBSCRIBE) : null;
        List<String> filters = new ArrayList<>();
        while (r.pos < r.end) {
            filters.add(r.string("topic filter"));
        }
        if (filters.isEmpty()) {
            throw fail(ProtocolViolation.MALFORMED_CLIENT_PACKET, "UNSUBSCRIBE without a topic filter [MQTT-3.10.3-2]");
        }
        return new Packet.Unsubscribe(id, filters, props);
    }
}
