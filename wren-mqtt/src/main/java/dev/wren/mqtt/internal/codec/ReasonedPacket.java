package dev.wren.mqtt.internal.codec;

import dev.wren.mqtt.ReasonCode;
import dev.wren.mqtt.ProtocolViolation;
import dev.wren.mqtt.internal.codec.Property.Where;
import java.nio.ByteBuffer;

/**
 * The body of an MQTT 5.0 PUBACK, PUBREC, PUBREL, PUBCOMP, DISCONNECT or AUTH: a packet identifier (the four
 * acknowledgements only), a reason code and properties (sections 3.4 to 3.7, 3.14, 3.15). Written in the shortest
 * form the specification allows: no reason code and no properties for a success without properties, no Property
 * Length for a reason without properties. Read strictly: a reason code the packet may not carry, and properties it
 * may not carry, are each their own violation.
 *
 * @param kind       which packet
 * @param packetId   1..65535 for the acknowledgements, 0 for DISCONNECT and AUTH
 * @param reason     the reason code, allowed on {@code kind}
 * @param properties its properties, {@link Properties#NONE} for none
 */
public record ReasonedPacket(Where kind, int packetId, ReasonCode reason, Properties properties) {

    public ReasonedPacket {
        if (!hasPacketId(kind) && kind != Where.DISCONNECT && kind != Where.AUTH) {
            throw new IllegalArgumentException(kind + " is not a packet with one reason code");
        }
        if (!ReasonCodes.allowedIn(reason, kind)) {
            throw new IllegalArgumentException(reason + " may not appear on " + kind);
        }
        if (hasPacketId(kind) != (packetId != 0) || packetId < 0 || packetId > 65535) {
            throw new IllegalArgumentException("packet identifier " + packetId + " on " + kind);
        }
    }

    private static boolean hasPacketId(Where kind) {
        return kind == Where.PUBACK || kind == Where.PUBREC || kind == Where.PUBREL || kind == Where.PUBCOMP;
    }

    /** The bytes after the fixed header. */
    public int remainingLength() {
        int id = hasPacketId(kind) ? 2 : 0;
        if (reason.value() == 0 && properties.isEmpty()) {
            return id; // sections 3.4.2.1, 3.14.2.1, 3.15.2.1: both may be left out
        }
        return id + 1 + (properties.isEmpty() ? 0 : properties.encodedLength());
    }

    /** Writes the bytes after the fixed header. */
    public void encodeBody(ByteBuffer out) {
        if (hasPacketId(kind)) {
            out.putShort((short) packetId);
        }
        if (reason.value() == 0 && properties.isEmpty()) {
            return;
        }
        out.put((byte) reason.value());
        if (!properties.isEmpty()) {
            properties.encode(out);
        }
    }

    /**
     * This packet as it may be sent to a receiver whose Maximum Packet Size is {@code maxPacketSize}: without its
     * Reason String, then without its user properties, when they would make it larger than that [MQTT-3.4.2-2],
     * [MQTT-3.4.2-3] (and the same rules of PUBREC, PUBREL, PUBCOMP, DISCONNECT, AUTH).
     */
    public ReasonedPacket within(long maxPacketSize) {
        if (total(this) <= maxPacketSize) {
            return this;
        }
        Properties.Builder b = Properties.builder();
        copyAllBut(b, true, false);
        ReasonedPacket noReasonString = new ReasonedPacket(kind, packetId, reason, b.build());
        if (total(noReasonString) <= maxPacketSize) {
            return noReasonString;
        }
        Properties.Builder c = Properties.builder();
        copyAllBut(c, true, true);
        return new ReasonedPacket(kind, packetId, reason, c.build());
    }

    private void copyAllBut(Properties.Builder b, boolean dropReasonString, boolean dropUser) {
        for (Property p : Property.values()) {
            Object v = properties.get(p);
            if (v == null || (dropReasonString && p == Property.REASON_STRING)) {
                continue;
            }
            if (v instanceof Long n) {
                b.put(p, n);
            } else if (v instanceof String s) {
                b.put(p, s);
            } else {
                b.put(p, (byte[]) v);
            }
        }
        if (!dropUser) {
            for (dev.wren.mqtt.UserProperty u : properties.userProperties()) {
                b.user(u.name(), u.value());
            }
        }
    }

    private static long total(ReasonedPacket p) {
        return PacketEncoder.totalLength(p.remainingLength());
    }

    /**
     * Reads the body of a packet of kind {@code kind} from {@code in}'s position to {@code end}.
     *
     * @param fromServer whether the server sent it: a server's DISCONNECT may not carry a Session Expiry Interval
     *                   [MQTT-3.14.2-2]
     */
    public static ReasonedPacket decode(Where kind, ByteBuffer in, int end, boolean fromServer)
            throws MalformedPacketException {
        int id = 0;
        if (hasPacketId(kind)) {
            if (end - in.position() < 2) {
                throw new MalformedPacketException(ProtocolViolation.LENGTH_MISMATCH, kind + " without its packet "
                        + "identifier");
            }
            id = in.getShort() & 0xFFFF;
            if (id == 0) {
                throw new MalformedPacketException(ProtocolViolation.ZERO_PACKET_ID, kind + " with packet identifier 0");
            }
        }
        if (in.position() == end) {
            return new ReasonedPacket(kind, id, ReasonCodes.of(0, kind), Properties.NONE);
        }
        int value = in.get() & 0xFF;
        ReasonCode reason = ReasonCodes.of(value, kind);
        if (reason == null) {
            throw new MalformedPacketException(ProtocolViolation.REASON_CODE_NOT_ALLOWED, "reason code 0x"
                    + Integer.toHexString(value) + " may not appear on " + kind);
        }
        Properties props = in.position() == end ? Properties.NONE : Properties.decode(in, end, kind);
        if (in.position() != end) {
            throw new MalformedPacketException(ProtocolViolation.LENGTH_MISMATCH, kind + " has "
                    + (end - in.position()) + " bytes after its properties");
        }
        if (fromServer && kind == Where.DISCONNECT && props.get(Property.SESSION_EXPIRY_INTERVAL) != null) {
            throw new MalformedPacketException(ProtocolViolation.PROPERTY_NOT_ALLOWED,
                    "a server's DISCONNECT may not carry a Session Expiry Interval [MQTT-3.14.2-2]");
        }
        return new ReasonedPacket(kind, id, reason, props);
    }
}
