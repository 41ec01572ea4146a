package dev.wren.mqtt.internal.codec;

import dev.wren.mqtt.ProtocolVersion;
import dev.wren.mqtt.ProtocolViolation;

/**
 * What a fixed header may say before its body is read: which side may send the packet type (MQTT 3.1.1 section
 * 2.2.1, MQTT 5.0 section 2.1.2) and the remaining lengths each type allows (chapter 3 of each), so that a bad header
 * is refused before anything is buffered or allocated for it.
 *
 * <p>Stateless and thread-safe.
 */
final class FixedHeaderRules {
    private FixedHeaderRules() {
    }

    static void checkSender(PacketDecoder.Role role, PacketType type, ProtocolVersion version)
            throws MalformedPacketException {
        if (!version.isMqtt5()) {
            if (type == PacketType.AUTH) {
                throw new MalformedPacketException(ProtocolViolation.RESERVED_PACKET_TYPE,
                        "reserved packet type 15 (AUTH exists from MQTT 5.0 on)");
            }
            if (type == PacketType.DISCONNECT && role == PacketDecoder.Role.CLIENT) {
                throw new MalformedPacketException(ProtocolViolation.PACKET_TYPE_NOT_ALLOWED_FROM_SERVER,
                        "DISCONNECT may only be sent by a client before MQTT 5.0");
            }
        }
        if (role == PacketDecoder.Role.CLIENT && type.sender() == PacketType.Sender.CLIENT) {
            throw new MalformedPacketException(ProtocolViolation.PACKET_TYPE_NOT_ALLOWED_FROM_SERVER, type + " may only be sent by a client");
        }
        if (role == PacketDecoder.Role.SERVER && type.sender() == PacketType.Sender.SERVER) {
            throw new MalformedPacketException(ProtocolViolation.PACKET_TYPE_NOT_ALLOWED_FROM_CLIENT, type + " may only be sent by a server");
        }
    }

    static void checkRemainingLength(PacketType type, int qos, int remaining, ProtocolVersion version)
            throws MalformedPacketException {
        int min;
        int max;
        if (version.isMqtt5()) {
            switch (type) {
                case PUBACK, PUBREC, PUBREL, PUBCOMP -> { min = 2; max = Integer.MAX_VALUE; } // reason, properties
                case CONNACK -> { min = 2; max = Integer.MAX_VALUE; }
                case UNSUBACK -> { min = 4; max = Integer.MAX_VALUE; } // id, Property Length, one reason code
                case SUBACK -> { min = 4; max = Integer.MAX_VALUE; }
                case DISCONNECT, AUTH -> { min = 0; max = Integer.MAX_VALUE; }
                case PINGREQ, PINGRESP -> min = max = 0;
                case PUBLISH -> { min = 3 + (qos > 0 ? 2 : 0); max = Integer.MAX_VALUE; } // empty topic, alias
                case SUBSCRIBE -> { min = 7; max = Integer.MAX_VALUE; }
                case UNSUBSCRIBE -> { min = 6; max = Integer.MAX_VALUE; }
                case CONNECT -> { min = 13; max = Integer.MAX_VALUE; }
                default -> throw new AssertionError(type);
            }
        } else {
            switch (type) {
                case CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK -> min = max = 2;
                case PINGREQ, PINGRESP, DISCONNECT -> min = max = 0;
                case SUBACK -> { min = 3; max = Integer.MAX_VALUE; }
                case PUBLISH -> { min = 3 + (qos > 0 ? 2 : 0); max = Integer.MAX_VALUE; }
                case SUBSCRIBE -> { min = 6; max = Integer.MAX_VALUE; }
                case UNSUBSCRIBE -> { min = 5; max = Integer.MAX_VALUE; }
                case CONNECT -> { min = 12; max = Integer.MAX_VALUE; }
                default -> throw new AssertionError(type);
            }
        }
        if (remaining < min || remaining > max) {
            throw new MalformedPacketException(ProtocolViolation.LENGTH_MISMATCH, type + " with remaining length " + remaining
                    + (min == max ? ", must be " + min : ", must be at least " + min));
        }
    }
}
