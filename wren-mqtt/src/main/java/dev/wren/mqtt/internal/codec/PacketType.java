package dev.wren.mqtt.internal.codec;

/**
 * The MQTT control packet types with their wire code, the fixed-header flags Table 2.2 requires, and who may send
 * them (MQTT 3.1.1 section 2.2, MQTT 5.0 section 2.1.2): fourteen in 3.1.1; MQTT 5.0 adds AUTH and lets a server
 * send DISCONNECT too ({@link FixedHeaderRules} applies the version).
 */
public enum PacketType {
    CONNECT(1, 0b0000, Sender.CLIENT),
    CONNACK(2, 0b0000, Sender.SERVER),
    /** PUBLISH flags are DUP, QoS and RETAIN; they are checked by the decoder, not by a constant. */
    PUBLISH(3, -1, Sender.BOTH),
    PUBACK(4, 0b0000, Sender.BOTH),
    PUBREC(5, 0b0000, Sender.BOTH),
    PUBREL(6, 0b0010, Sender.BOTH),
    PUBCOMP(7, 0b0000, Sender.BOTH),
    SUBSCRIBE(8, 0b0010, Sender.CLIENT),
    SUBACK(9, 0b0000, Sender.SERVER),
    UNSUBSCRIBE(10, 0b0010, Sender.CLIENT),
    UNSUBACK(11, 0b0000, Sender.SERVER),
    PINGREQ(12, 0b0000, Sender.CLIENT),
    PINGRESP(13, 0b0000, Sender.SERVER),
    /** Client only in MQTT 3.1.1; either side in 5.0. */
    DISCONNECT(14, 0b0000, Sender.BOTH),
    /** MQTT 5.0 only: code 15 is reserved in 3.1.1. */
    AUTH(15, 0b0000, Sender.BOTH);

    /** Who may send a packet type. */
    public enum Sender { CLIENT, SERVER, BOTH }

    private static final PacketType[] BY_CODE = new PacketType[16];

    static {
        for (PacketType type : values()) {
            if (BY_CODE[type.code] != null) {
                throw new AssertionError("packet type code already in use: " + type.code);
            }
            BY_CODE[type.code] = type;
        }
    }

    private final int code;
    private final int requiredFlags;
    private final Sender sender;

    PacketType(int code, int requiredFlags, Sender sender) {
        this.code = code;
        this.requiredFlags = requiredFlags;
        this.sender = sender;
    }

    /** The four-bit type code. */
    public int code() {
        return code;
    }

    /** The flags the low nibble of the first byte must hold, or -1 for PUBLISH whose flags vary. */
    public int requiredFlags() {
        return requiredFlags;
    }

    /** Who may send this type. */
    public Sender sender() {
        return sender;
    }

    /** The type for a code, or {@code null} for the reserved code 0 (15, AUTH, is reserved before MQTT 5.0). */
    public static PacketType ofOrNull(int code) {
        return BY_CODE[code & 0x0F];
    }
}
