package dev.wren.mqtt.internal.codec;

import dev.wren.mqtt.ReasonCode;
import dev.wren.mqtt.ProtocolViolation;
import dev.wren.mqtt.internal.codec.Property.Where;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The MQTT 5.0 answers a client receives to CONNECT, SUBSCRIBE and UNSUBSCRIBE (sections 3.2, 3.9, 3.11), as values,
 * read strictly from the bytes after the fixed header.
 *
 * <p>Stateless and thread-safe; the values are immutable.
 */
public final class Mqtt5Acknowledgements {
    private Mqtt5Acknowledgements() {
    }

    /** A CONNACK: the session-present flag, the reason code and what the server grants in its properties. */
    public record ConnAck(boolean sessionPresent, ReasonCode reason, Properties properties) {
    }

    /** A SUBACK or UNSUBACK: the packet identifier, its properties, one reason code per filter, in order. */
    public record SubAck(int packetId, Properties properties, List<ReasonCode> reasons) {
    }

    /** MQTT 3.1.1's CONNACK return code 1, "unacceptable protocol version". */
    private static final int V3_UNACCEPTABLE_PROTOCOL_VERSION = 0x01;

    /**
     * Reads a CONNACK body. Return code 1 of MQTT 3.1.1 and 3.1, with which a server of those versions refuses
     * protocol level 5 ({@code 00 01}, or {@code 00 01 00} in 5.0's shape), reads as
     * {@link ReasonCode#UNSUPPORTED_PROTOCOL_VERSION}.
     */
    public static ConnAck connAck(ByteBuffer in, int end) throws MalformedPacketException {
        if (end - in.position() < 2) {
            throw new MalformedPacketException(ProtocolViolation.LENGTH_MISMATCH, "CONNACK shorter than its flags "
                    + "and reason code");
        }
        int flags = in.get() & 0xFF;
        if ((flags & 0xFE) != 0) {
            throw new MalformedPacketException(ProtocolViolation.INVALID_CONNACK_FLAGS, "CONNACK flags 0x"
                    + Integer.toHexString(flags) + ": bits 7 to 1 are reserved [MQTT-3.2.2-1]");
        }
        int value = in.get() & 0xFF;
        ReasonCode reason = ReasonCodes.of(value, Where.CONNACK);
        if (reason == null && value == V3_UNACCEPTABLE_PROTOCOL_VERSION && flags == 0) {
            // a server of MQTT 3.1.1 or 3.1 refuses protocol level 5 with its own return code 1 [MQTT-3.1.2-2 of
            // 3.1.1], in a 3.1.1 CONNACK (00 01) or, as Moquette 0.17 does, in a 5.0 one (00 01 00): the refusal
            // of the version it is (libmosquitto reads both so), not a malformed packet
            reason = ReasonCode.UNSUPPORTED_PROTOCOL_VERSION;
        }
        if (reason == null) {
            throw new MalformedPacketException(ProtocolViolation.REASON_CODE_NOT_ALLOWED, "CONNACK reason code 0x"
                    + Integer.toHexString(value));
        }
        boolean present = (flags & 1) != 0;
        if (present && reason.value() != 0) {
            throw new MalformedPacketException(ProtocolViolation.SESSION_PRESENT_ON_REFUSAL, "CONNACK refusing with "
                    + reason + " and session present set [MQTT-3.2.2-6]");
        }
        Properties props = in.position() == end ? Properties.NONE : Properties.decode(in, end, Where.CONNACK);
        requireEnd(in, end, "CONNACK");
        return new ConnAck(present, reason, props);
    }

    /** Reads a SUBACK body ({@code kind} {@link Where#SUBACK}) or an UNSUBACK body ({@link Where#UNSUBACK}). */
    public static SubAck subAck(Where kind, ByteBuffer in, int end) throws MalformedPacketException {
        if (kind != Where.SUBACK && kind != Where.UNSUBACK) {
            throw new IllegalArgumentException(kind + " is neither SUBACK nor UNSUBACK");
        }
        if (end - in.position() < 3) {
            throw new MalformedPacketException(ProtocolViolation.LENGTH_MISMATCH, kind + " without its packet "
                    + "identifier, Property Length and a reason code");
        }
        int id = in.getShort() & 0xFFFF;
        if (id == 0) {
            throw new MalformedPacketException(ProtocolViolation.ZERO_PACKET_ID, kind + " with packet identifier 0");
        }
        Properties props = Properties.decode(in, end, kind);
        if (in.position() == end) {
            throw new MalformedPacketException(ProtocolViolation.LENGTH_MISMATCH, kind + " without a reason code");
        }
        List<ReasonCode> reasons = new ArrayList<>(end - in.position());
        while (in.position() < end) {
            int value = in.get() & 0xFF;
            ReasonCode r = ReasonCodes.of(value, kind);
            if (r == null) {
                throw new MalformedPacketException(ProtocolViolation.REASON_CODE_NOT_ALLOWED, kind + " reason code 0x"
                        + Integer.toHexString(value));
            }
            reasons.add(r);
        }
        return new SubAck(id, props, List.copyOf(reasons));
    }

    private static void requireEnd(ByteBuffer in, int end, String what) throws MalformedPacketException {
        if (in.position() != end) {
            throw new MalformedPacketException(ProtocolViolation.LENGTH_MISMATCH, what + " has "
                    + (end - in.position()) + " bytes after its properties");
        }
    }
}
