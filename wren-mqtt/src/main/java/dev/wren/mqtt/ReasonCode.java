package dev.wren.mqtt;

/**
 * The reason codes of MQTT 5.0 (section 2.4, table 2-6): what a CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK,
 * UNSUBACK, DISCONNECT or AUTH says happened. A value below 0x80 means success, 0x80 and above failure. The value
 * 0x00 has three names, one per packet kind ({@link #SUCCESS}, {@link #NORMAL_DISCONNECTION}, {@link #GRANTED_QOS_0}).
 *
 * <p>MQTT 3.1.1 has no reason codes; a 3.1.1 client reports its acknowledgements as {@link #SUCCESS} and a refused
 * subscription as {@link #UNSPECIFIED_ERROR} (0x80, its SUBACK failure code).
 */
public enum ReasonCode {
    /** 0x00: Success (in an acknowledgement or AUTH). */
    SUCCESS(0x00),
    /** 0x00: Normal disconnection (in a DISCONNECT). */
    NORMAL_DISCONNECTION(0x00),
    /** 0x00: Granted QoS 0 (in a SUBACK). */
    GRANTED_QOS_0(0x00),
    /** 0x01: Granted QoS 1. */
    GRANTED_QOS_1(0x01),
    /** 0x02: Granted QoS 2. */
    GRANTED_QOS_2(0x02),
    /** 0x04: Disconnect with will message. */
    DISCONNECT_WITH_WILL_MESSAGE(0x04),
    /** 0x10: No matching subscribers. */
    NO_MATCHING_SUBSCRIBERS(0x10),
    /** 0x11: No subscription existed. */
    NO_SUBSCRIPTION_EXISTED(0x11),
    /** 0x18: Continue authentication. */
    CONTINUE_AUTHENTICATION(0x18),
    /** 0x19: Re authenticate. */
    RE_AUTHENTICATE(0x19),
    /** 0x80: Unspecified error. */
    UNSPECIFIED_ERROR(0x80),
    /** 0x81: Malformed packet. */
    MALFORMED_PACKET(0x81),
    /** 0x82: Protocol error. */
    PROTOCOL_ERROR(0x82),
    /** 0x83: Implementation specific error. */
    IMPLEMENTATION_SPECIFIC_ERROR(0x83),
    /** 0x84: Unsupported protocol version. */
    UNSUPPORTED_PROTOCOL_VERSION(0x84),
    /** 0x85: Client identifier not valid. */
    CLIENT_IDENTIFIER_NOT_VALID(0x85),
    /** 0x86: Bad user name or password. */
    BAD_USER_NAME_OR_PASSWORD(0x86),
    /** 0x87: Not authorized. */
    NOT_AUTHORIZED(0x87),
    /** 0x88: Server unavailable. */
    SERVER_UNAVAILABLE(0x88),
    /** 0x89: Server busy. */
    SERVER_BUSY(0x89),
    /** 0x8A: Banned. */
    BANNED(0x8A),
    /** 0x8B: Server shutting down. */
    SERVER_SHUTTING_DOWN(0x8B),
    /** 0x8C: Bad authentication method. */
    BAD_AUTHENTICATION_METHOD(0x8C),
    /** 0x8D: Keep alive timeout. */
    KEEP_ALIVE_TIMEOUT(0x8D),
    /** 0x8E: Session taken over. */
    SESSION_TAKEN_OVER(0x8E),
    /** 0x8F: Topic filter invalid. */
    TOPIC_FILTER_INVALID(0x8F),
    /** 0x90: Topic name invalid. */
    TOPIC_NAME_INVALID(0x90),
    /** 0x91: Packet identifier in use. */
    PACKET_IDENTIFIER_IN_USE(0x91),
    /** 0x92: Packet identifier not found. */
    PACKET_IDENTIFIER_NOT_FOUND(0x92),
    /** 0x93: Receive maximum exceeded. */
    RECEIVE_MAXIMUM_EXCEEDED(0x93),
    /** 0x94: Topic alias invalid. */
    TOPIC_ALIAS_INVALID(0x94),
    /** 0x95: Packet too large. */
    PACKET_TOO_LARGE(0x95),
    /** 0x96: Message rate too high. */
    MESSAGE_RATE_TOO_HIGH(0x96),
    /** 0x97: Quota exceeded. */
    QUOTA_EXCEEDED(0x97),
    /** 0x98: Administrative action. */
    ADMINISTRATIVE_ACTION(0x98),
    /** 0x99: Payload format invalid. */
    PAYLOAD_FORMAT_INVALID(0x99),
    /** 0x9A: Retain not supported. */
    RETAIN_NOT_SUPPORTED(0x9A),
    /** 0x9B: QoS not supported. */
    QOS_NOT_SUPPORTED(0x9B),
    /** 0x9C: Use another server. */
    USE_ANOTHER_SERVER(0x9C),
    /** 0x9D: Server moved. */
    SERVER_MOVED(0x9D),
    /** 0x9E: Shared subscriptions not supported. */
    SHARED_SUBSCRIPTIONS_NOT_SUPPORTED(0x9E),
    /** 0x9F: Connection rate exceeded. */
    CONNECTION_RATE_EXCEEDED(0x9F),
    /** 0xA0: Maximum connect time. */
    MAXIMUM_CONNECT_TIME(0xA0),
    /** 0xA1: Subscription identifiers not supported. */
    SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED(0xA1),
    /** 0xA2: Wildcard subscriptions not supported. */
    WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED(0xA2);

    private final int value;

    ReasonCode(int value) {
        this.value = value;
    }

    /**
     * The byte on the wire.
     *
     * @return the byte value
     */
    public int value() {
        return value;
    }

    /**
     * Whether it reports a failure (0x80 and above).
     *
     * @return whether it is an error
     */
    public boolean isError() {
        return value >= 0x80;
    }
}
