package dev.wren.mqtt.internal.codec;

import dev.wren.mqtt.internal.codec.Property.Where;
import java.util.EnumSet;
import java.util.Set;

/**
 * The reason codes of MQTT 5.0 (section 2.4, table 2-6), each with the packets that may carry it. A value below
 * 0x80 means success, 0x80 and above failure. 0x00 has three names, one per packet kind (success, normal
 * disconnection, granted QoS 0); {@link #of(int, Where)} finds the one a packet means.
 */
public enum ReasonCode {
    SUCCESS(0x00, Where.CONNACK, Where.PUBACK, Where.PUBREC, Where.PUBREL, Where.PUBCOMP, Where.UNSUBACK, Where.AUTH),
    NORMAL_DISCONNECTION(0x00, Where.DISCONNECT),
    GRANTED_QOS_0(0x00, Where.SUBACK),
    GRANTED_QOS_1(0x01, Where.SUBACK),
    GRANTED_QOS_2(0x02, Where.SUBACK),
    DISCONNECT_WITH_WILL_MESSAGE(0x04, Where.DISCONNECT),
    NO_MATCHING_SUBSCRIBERS(0x10, Where.PUBACK, Where.PUBREC),
    NO_SUBSCRIPTION_EXISTED(0x11, Where.UNSUBACK),
    CONTINUE_AUTHENTICATION(0x18, Where.AUTH),
    RE_AUTHENTICATE(0x19, Where.AUTH),
    UNSPECIFIED_ERROR(0x80, Where.CONNACK, Where.PUBACK, Where.PUBREC, Where.SUBACK, Where.UNSUBACK,
            Where.DISCONNECT),
    MALFORMED_PACKET(0x81, Where.CONNACK, Where.DISCONNECT),
    PROTOCOL_ERROR(0x82, Where.CONNACK, Where.DISCONNECT),
    IMPLEMENTATION_SPECIFIC_ERROR(0x83, Where.CONNACK, Where.PUBACK, Where.PUBREC, Where.SUBACK, Where.UNSUBACK,
            Where.DISCONNECT),
    UNSUPPORTED_PROTOCOL_VERSION(0x84, Where.CONNACK),
    CLIENT_IDENTIFIER_NOT_VALID(0x85, Where.CONNACK),
    BAD_USER_NAME_OR_PASSWORD(0x86, Where.CONNACK),
    NOT_AUTHORIZED(0x87, Where.CONNACK, Where.PUBACK, Where.PUBREC, Where.SUBACK, Where.UNSUBACK, Where.DISCONNECT),
    SERVER_UNAVAILABLE(0x88, Where.CONNACK),
    SERVER_BUSY(0x89, Where.CONNACK, Where.DISCONNECT),
    BANNED(0x8A, Where.CONNACK),
    SERVER_SHUTTING_DOWN(0x8B, Where.DISCONNECT),
    BAD_AUTHENTICATION_METHOD(0x8C, Where.CONNACK, Where.DISCONNECT),
    KEEP_ALIVE_TIMEOUT(0x8D, Where.DISCONNECT),
    SESSION_TAKEN_OVER(0x8E, Where.DISCONNECT),
    TOPIC_FILTER_INVALID(0x8F, Where.SUBACK, Where.UNSUBACK, Where.DISCONNECT),
    TOPIC_NAME_INVALID(0x90, Where.CONNACK, Where.PUBACK, Where.PUBREC, Where.DISCONNECT),
    PACKET_IDENTIFIER_IN_USE(0x91, Where.PUBACK, Where.PUBREC, Where.SUBACK, Where.UNSUBACK),
    PACKET_IDENTIFIER_NOT_FOUND(0x92, Where.PUBREL, Where.PUBCOMP),
    RECEIVE_MAXIMUM_EXCEEDED(0x93, Where.DISCONNECT),
    TOPIC_ALIAS_INVALID(0x94, Where.DISCONNECT),
    PACKET_TOO_LARGE(0x95, Where.CONNACK, Where.DISCONNECT),
    MESSAGE_RATE_TOO_HIGH(0x96, Where.DISCONNECT),
    QUOTA_EXCEEDED(0x97, Where.CONNACK, Where.PUBACK, Where.PUBREC, Where.SUBACK, Where.DISCONNECT),
    ADMINISTRATIVE_ACTION(0x98, Where.DISCONNECT),
    PAYLOAD_FORMAT_INVALID(0x99, Where.CONNACK, Where.PUBACK, Where.PUBREC, Where.DISCONNECT),
    RETAIN_NOT_SUPPORTED(0x9A, Where.CONNACK, Where.DISCONNECT),
    QOS_NOT_SUPPORTED(0x9B, Where.CONNACK, Where.DISCONNECT),
    USE_ANOTHER_SERVER(0x9C, Where.CONNACK, Where.DISCONNECT),
    SERVER_MOVED(0x9D, Where.CONNACK, Where.DISCONNECT),
    SHARED_SUBSCRIPTIONS_NOT_SUPPORTED(0x9E, Where.SUBACK, Where.DISCONNECT),
    CONNECTION_RATE_EXCEEDED(0x9F, Where.CONNACK, Where.DISCONNECT),
    MAXIMUM_CONNECT_TIME(0xA0, Where.DISCONNECT),
    SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED(0xA1, Where.SUBACK, Where.DISCONNECT),
    WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED(0xA2, Where.SUBACK, Where.DISCONNECT);

    private final int value;
    private final Set<Where> where;

    ReasonCode(int value, Where... where) {
        this.value = value;
        this.where = EnumSet.copyOf(java.util.List.of(where));
    }

    public int value() {
        return value;
    }

    /** Whether it reports a failure (0x80 and above). */
    public boolean isError() {
        return value >= 0x80;
    }

    /** Whether a packet of kind {@code w} may carry it. */
    public boolean allowedIn(Where w) {
        return where.contains(w);
    }

    /** The reason code {@code value} means on a packet of kind {@code w}, or null if that packet may not carry it. */
    public static ReasonCode of(int value, Where w) {
        for (ReasonCode c : values()) {
            if (c.value == value && c.where.contains(w)) {
                return c;
            }
        }
        return null;
    }
}
