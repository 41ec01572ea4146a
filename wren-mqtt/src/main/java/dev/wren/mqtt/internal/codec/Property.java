package dev.wren.mqtt.internal.codec;

import java.util.EnumSet;
import java.util.Set;

/**
 * The properties of MQTT 5.0 (section 2.2.2.2): each with its identifier, its data type, the packets it may
 * appear on, whether it may appear more than once, and the values the specification allows.
 */
public enum Property {
    PAYLOAD_FORMAT_INDICATOR(0x01, Type.BYTE, Range.FLAG, false, Where.PUBLISH, Where.WILL),
    MESSAGE_EXPIRY_INTERVAL(0x02, Type.FOUR_BYTE, Range.ANY, false, Where.PUBLISH, Where.WILL),
    CONTENT_TYPE(0x03, Type.UTF8, Range.ANY, false, Where.PUBLISH, Where.WILL),
    RESPONSE_TOPIC(0x08, Type.UTF8, Range.ANY, false, Where.PUBLISH, Where.WILL),
    CORRELATION_DATA(0x09, Type.BINARY, Range.ANY, false, Where.PUBLISH, Where.WILL),
    /** More than once on PUBLISH (one per matching subscription), once on SUBSCRIBE. */
    SUBSCRIPTION_IDENTIFIER(0x0B, Type.VARIABLE, Range.NOT_ZERO, true, Where.PUBLISH, Where.SUBSCRIBE),
    SESSION_EXPIRY_INTERVAL(0x11, Type.FOUR_BYTE, Range.ANY, false, Where.CONNECT, Where.CONNACK, Where.DISCONNECT),
    ASSIGNED_CLIENT_IDENTIFIER(0x12, Type.UTF8, Range.ANY, false, Where.CONNACK),
    SERVER_KEEP_ALIVE(0x13, Type.TWO_BYTE, Range.ANY, false, Where.CONNACK),
    AUTHENTICATION_METHOD(0x15, Type.UTF8, Range.ANY, false, Where.CONNECT, Where.CONNACK, Where.AUTH),
    AUTHENTICATION_DATA(0x16, Type.BINARY, Range.ANY, false, Where.CONNECT, Where.CONNACK, Where.AUTH),
    REQUEST_PROBLEM_INFORMATION(0x17, Type.BYTE, Range.FLAG, false, Where.CONNECT),
    WILL_DELAY_INTERVAL(0x18, Type.FOUR_BYTE, Range.ANY, false, Where.WILL),
    REQUEST_RESPONSE_INFORMATION(0x19, Type.BYTE, Range.FLAG, false, Where.CONNECT),
    RESPONSE_INFORMATION(0x1A, Type.UTF8, Range.ANY, false, Where.CONNACK),
    SERVER_REFERENCE(0x1C, Type.UTF8, Range.ANY, false, Where.CONNACK, Where.DISCONNECT),
    REASON_STRING(0x1F, Type.UTF8, Range.ANY, false, Where.CONNACK, Where.PUBACK, Where.PUBREC, Where.PUBREL,
            Where.PUBCOMP, Where.SUBACK, Where.UNSUBACK, Where.DISCONNECT, Where.AUTH),
    RECEIVE_MAXIMUM(0x21, Type.TWO_BYTE, Range.NOT_ZERO, false, Where.CONNECT, Where.CONNACK),
    TOPIC_ALIAS_MAXIMUM(0x22, Type.TWO_BYTE, Range.ANY, false, Where.CONNECT, Where.CONNACK),
    TOPIC_ALIAS(0x23, Type.TWO_BYTE, Range.NOT_ZERO, false, Where.PUBLISH),
    MAXIMUM_QOS(0x24, Type.BYTE, Range.FLAG, false, Where.CONNACK),
    RETAIN_AVAILABLE(0x25, Type.BYTE, Range.FLAG, false, Where.CONNACK),
    /** Any number of times, on every packet and the will, kept in the order given. */
    USER_PROPERTY(0x26, Type.UTF8_PAIR, Range.ANY, true, Where.values()),
    MAXIMUM_PACKET_SIZE(0x27, Type.FOUR_BYTE, Range.NOT_ZERO, false, Where.CONNECT, Where.CONNACK),
    WILDCARD_SUBSCRIPTION_AVAILABLE(0x28, Type.BYTE, Range.FLAG, false, Where.CONNACK),
    SUBSCRIPTION_IDENTIFIER_AVAILABLE(0x29, Type.BYTE, Range.FLAG, false, Where.CONNACK),
    SHARED_SUBSCRIPTION_AVAILABLE(0x2A, Type.BYTE, Range.FLAG, false, Where.CONNACK);

    /** How a property's value is encoded (section 1.5). */
    public enum Type { BYTE, TWO_BYTE, FOUR_BYTE, VARIABLE, UTF8, BINARY, UTF8_PAIR }

    /** The packets (and the will) that carry properties. */
    public enum Where { CONNECT, WILL, CONNACK, PUBLISH, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBSCRIBE, SUBACK,
        UNSUBSCRIBE, UNSUBACK, DISCONNECT, AUTH }

    /** The values allowed beyond the type's own range. */
    enum Range { ANY, FLAG, NOT_ZERO }

    private static final Property[] BY_ID = new Property[0x2B];

    static {
        for (Property p : values()) {
            BY_ID[p.id] = p;
        }
    }

    private final int id;
    private final Type type;
    private final Range range;
    private final boolean repeatable;
    private final Set<Where> where;

    Property(int id, Type type, Range range, boolean repeatable, Where... where) {
        this.id = id;
        this.type = type;
        this.range = range;
        this.repeatable = repeatable;
        this.where = EnumSet.copyOf(java.util.List.of(where));
    }

    /** The property with identifier {@code id}, or null if the specification defines none. */
    public static Property of(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }

    public int id() {
        return id;
    }

    public Type type() {
        return type;
    }

    /** Whether it may appear more than once in one packet. */
    public boolean repeatable() {
        return repeatable;
    }

    /** Whether it may appear in the properties of {@code w}. */
    public boolean allowedIn(Where w) {
        return where.contains(w);
    }

    /** Whether {@code value} (a number-typed property's) is one the specification allows. */
    boolean allows(long value) {
        return switch (range) {
            case ANY -> true;
            case FLAG -> value == 0 || value == 1;
            case NOT_ZERO -> value != 0;
        };
    }
}
