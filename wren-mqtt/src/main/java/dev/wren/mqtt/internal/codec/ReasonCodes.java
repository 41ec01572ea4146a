package dev.wren.mqtt.internal.codec;

import dev.wren.mqtt.ReasonCode;
import dev.wren.mqtt.internal.codec.Property.Where;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;

/**
 * Which packet may carry which {@link ReasonCode} (MQTT 5.0 table 2-6), and what a value means on a packet.
 *
 * <p>Stateless and thread-safe.
 */
public final class ReasonCodes {
    private static final Map<ReasonCode, EnumSet<Where>> WHERE = new EnumMap<>(ReasonCode.class);

    static {
        WHERE.put(ReasonCode.SUCCESS, EnumSet.of(Where.CONNACK, Where.PUBACK, Where.PUBREC, Where.PUBREL, Where.PUBCOMP, Where.UNSUBACK, Where.AUTH));
        WHERE.put(ReasonCode.NORMAL_DISCONNECTION, EnumSet.of(Where.DISCONNECT));
        WHERE.put(ReasonCode.GRANTED_QOS_0, EnumSet.of(Where.SUBACK));
        WHERE.put(ReasonCode.GRANTED_QOS_1, EnumSet.of(Where.SUBACK));
        WHERE.put(ReasonCode.GRANTED_QOS_2, EnumSet.of(Where.SUBACK));
        WHERE.put(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE, EnumSet.of(Where.DISCONNECT));
        WHERE.put(ReasonCode.NO_MATCHING_SUBSCRIBERS, EnumSet.of(Where.PUBACK, Where.PUBREC));
        WHERE.put(ReasonCode.NO_SUBSCRIPTION_EXISTED, EnumSet.of(Where.UNSUBACK));
        WHERE.put(ReasonCode.CONTINUE_AUTHENTICATION, EnumSet.of(Where.AUTH));
        WHERE.put(ReasonCode.RE_AUTHENTICATE, EnumSet.of(Where.AUTH));
        WHERE.put(ReasonCode.UNSPECIFIED_ERROR, EnumSet.of(Where.CONNACK, Where.PUBACK, Where.PUBREC, Where.SUBACK, Where.UNSUBACK,
            Where.DISCONNECT));
        WHERE.put(ReasonCode.MALFORMED_PACKET, EnumSet.of(Where.CONNACK, Where.DISCONNECT));
        WHERE.put(ReasonCode.PROTOCOL_ERROR, EnumSet.of(Where.CONNACK, Where.DISCONNECT));
        WHERE.put(ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, EnumSet.of(Where.CONNACK, Where.PUBACK, Where.PUBREC, Where.SUBACK, Where.UNSUBACK,
            Where.DISCONNECT));
        WHERE.put(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, EnumSet.of(Where.CONNACK));
        WHERE.put(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, EnumSet.of(Where.CONNACK));
        WHERE.put(ReasonCode.BAD_USER_NAME_OR_PASSWORD, EnumSet.of(Where.CONNACK));
        WHERE.put(ReasonCode.NOT_AUTHORIZED, EnumSet.of(Where.CONNACK, Where.PUBACK, Where.PUBREC, Where.SUBACK, Where.UNSUBACK, Where.DISCONNECT));
        WHERE.put(ReasonCode.SERVER_UNAVAILABLE, EnumSet.of(Where.CONNACK));
        WHERE.put(ReasonCode.SERVER_BUSY, EnumSet.of(Where.CONNACK, Where.DISCONNECT));
        WHERE.put(ReasonCode.BANNED, EnumSet.of(Where.CONNACK));
        WHERE.put(ReasonCode.SERVER_SHUTTING_DOWN, EnumSet.of(Where.DISCONNECT));
        WHERE.put(ReasonCode.BAD_AUTHENTICATION_METHOD, EnumSet.of(Where.CONNACK, Where.DISCONNECT));
        WHERE.put(ReasonCode.KEEP_ALIVE_TIMEOUT, EnumSet.of(Where.DISCONNECT));
        WHERE.put(ReasonCode.SESSION_TAKEN_OVER, EnumSet.of(Where.DISCONNECT));
        WHERE.put(ReasonCode.TOPIC_FILTER_INVALID, EnumSet.of(Where.SUBACK, Where.UNSUBACK, Where.DISCONNECT));
        WHERE.put(ReasonCode.TOPIC_NAME_INVALID, EnumSet.of(Where.CONNACK, Where.PUBACK, Where.PUBREC, Where.DISCONNECT));
        WHERE.put(ReasonCode.PACKET_IDENTIFIER_IN_USE, EnumSet.of(Where.PUBACK, Where.PUBREC, Where.SUBACK, Where.UNSUBACK));
        WHERE.put(ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, EnumSet.of(Where.PUBREL, Where.PUBCOMP));
        WHERE.put(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED, EnumSet.of(Where.DISCONNECT));
        WHERE.put(ReasonCode.TOPIC_ALIAS_INVALID, EnumSet.of(Where.DISCONNECT));
        WHERE.put(ReasonCode.PACKET_TOO_LARGE, EnumSet.of(Where.CONNACK, Where.DISCONNECT));
        WHERE.put(ReasonCode.MESSAGE_RATE_TOO_HIGH, EnumSet.of(Where.DISCONNECT));
        WHERE.put(ReasonCode.QUOTA_EXCEEDED, EnumSet.of(Where.CONNACK, Where.PUBACK, Where.PUBREC, Where.SUBACK, Where.DISCONNECT));
        WHERE.put(ReasonCode.ADMINISTRATIVE_ACTION, EnumSet.of(Where.DISCONNECT));
        WHERE.put(ReasonCode.PAYLOAD_FORMAT_INVALID, EnumSet.of(Where.CONNACK, Where.PUBACK, Where.PUBREC, Where.DISCONNECT));
        WHERE.put(ReasonCode.RETAIN_NOT_SUPPORTED, EnumSet.of(Where.CONNACK, Where.DISCONNECT));
        WHERE.put(ReasonCode.QOS_NOT_SUPPORTED, EnumSet.of(Where.CONNACK, Where.DISCONNECT));
        WHERE.put(ReasonCode.USE_ANOTHER_SERVER, EnumSet.of(Where.CONNACK, Where.DISCONNECT));
        WHERE.put(ReasonCode.SERVER_MOVED, EnumSet.of(Where.CONNACK, Where.DISCONNECT));
        WHERE.put(ReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED, EnumSet.of(Where.SUBACK, Where.DISCONNECT));
        WHERE.put(ReasonCode.CONNECTION_RATE_EXCEEDED, EnumSet.of(Where.CONNACK, Where.DISCONNECT));
        WHERE.put(ReasonCode.MAXIMUM_CONNECT_TIME, EnumSet.of(Where.DISCONNECT));
        WHERE.put(ReasonCode.SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED, EnumSet.of(Where.SUBACK, Where.DISCONNECT));
        WHERE.put(ReasonCode.WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED, EnumSet.of(Where.SUBACK, Where.DISCONNECT));
    }

    private ReasonCodes() {
    }

    /** Whether a packet of kind {@code w} may carry {@code c}. */
    public static boolean allowedIn(ReasonCode c, Where w) {
        return WHERE.get(c).contains(w);
    }

    /** The reason code {@code value} means on a packet of kind {@code w}, or null if that packet may not carry it. */
    public static ReasonCode of(int value, Where w) {
        for (ReasonCode c : ReasonCode.values()) {
            if (c.value() == value && WHERE.get(c).contains(w)) {
                return c;
            }
        }
        return null;
    }
}
