package dev.wren.mqtt;

/**
 * Why a client closed the connection on a packet or behaviour from the server that breaks the protocol.
 *
 * <p>Each value names one rule; {@link MqttEvent.Disconnect#violation()} carries it to the application,
 * together with a message that gives the details (packet type, offending value).
 */
public enum ProtocolViolation {
    /** Packet type 0 or 15, reserved in MQTT 3.1.1 (section 2.2.1). */
    RESERVED_PACKET_TYPE,
    /** A packet that only a client may send (CONNECT, SUBSCRIBE, UNSUBSCRIBE, PINGREQ, DISCONNECT). */
    PACKET_TYPE_NOT_ALLOWED_FROM_SERVER,
    /** A packet that only a server may send, received by a server-side decoder. */
    PACKET_TYPE_NOT_ALLOWED_FROM_CLIENT,
    /** Fixed-header flag bits that differ from those Table 2.2 requires [MQTT-2.2.2-1], [MQTT-2.2.2-2]. */
    INVALID_FIXED_HEADER_FLAGS,
    /** A PUBLISH with both QoS bits set [MQTT-3.3.1-4]. */
    INVALID_QOS,
    /** A QoS 0 PUBLISH with the DUP flag set [MQTT-3.3.1-2]. */
    DUP_ON_QOS_0,
    /** A remaining-length field longer than four bytes (section 2.2.3). */
    MALFORMED_REMAINING_LENGTH,
    /** A packet larger than the configured maximum incoming packet size or than the receive buffer can hold. */
    PACKET_TOO_LARGE,
    /** A packet whose contents are shorter or longer than its remaining length says. */
    LENGTH_MISMATCH,
    /** A packet identifier of 0 where a non-zero one is required [MQTT-2.3.1-1]. */
    ZERO_PACKET_ID,
    /** A string that is not well-formed UTF-8, or that encodes a surrogate [MQTT-1.5.3-1]. */
    INVALID_UTF8,
    /** A string that contains U+0000 [MQTT-1.5.3-2]. */
    NULL_CHARACTER,
    /** A PUBLISH topic name that contains {@code +} or {@code #} [MQTT-3.3.2-2], or is empty. */
    INVALID_TOPIC_NAME,
    /** A topic filter that breaks the wildcard rules of section 4.7.1 (server-side decoder only). */
    INVALID_TOPIC_FILTER,
    /** CONNACK with reserved bits of the acknowledge flags set [MQTT-3.2.2-1]. */
    INVALID_CONNACK_FLAGS,
    /** CONNACK with a return code that MQTT 3.1.1 reserves (6..255). */
    UNKNOWN_CONNACK_RETURN_CODE,
    /** CONNACK with session present set on a refused connection [MQTT-3.2.2-4]. */
    SESSION_PRESENT_ON_REFUSAL,
    /** SUBACK with a return code other than 0, 1, 2 or 0x80 [MQTT-3.9.3-2]. */
    INVALID_SUBACK_RETURN_CODE,
    /** SUBACK whose number of return codes differs from the number of filters subscribed [MQTT-3.8.4-5]. */
    SUBACK_COUNT_MISMATCH,
    /** A first packet from the server that is not CONNACK [MQTT-3.2.0-1], or a second CONNACK. */
    UNEXPECTED_CONNACK_STATE,
    /** PUBACK, PUBREC, PUBCOMP, SUBACK or UNSUBACK for a packet identifier the client has not got in flight. */
    UNEXPECTED_ACKNOWLEDGEMENT,
    /** A malformed packet from a client, as seen by a server-side decoder (CONNECT, SUBSCRIBE, ...). */
    MALFORMED_CLIENT_PACKET,
    /** MQTT 5.0: a variable byte integer longer than four bytes or not in its shortest form [MQTT-1.5.5-1]. */
    MALFORMED_VARIABLE_BYTE_INTEGER,
    /** MQTT 5.0: a property identifier the specification does not define. */
    UNKNOWN_PROPERTY,
    /** MQTT 5.0: a property that may not appear on this packet. */
    PROPERTY_NOT_ALLOWED,
    /** MQTT 5.0: a property that may appear at most once, given twice. */
    DUPLICATE_PROPERTY,
    /** MQTT 5.0: a property value outside what the specification allows (a flag other than 0 or 1, a zero maximum). */
    PROPERTY_VALUE_OUT_OF_RANGE,
    /** MQTT 5.0: the properties do not fill their Property Length exactly. */
    MALFORMED_PROPERTIES,
    /** MQTT 5.0: a reason code this packet may not carry (table 2-6). */
    REASON_CODE_NOT_ALLOWED,
    /** MQTT 5.0: the server sent more unacknowledged QoS 1/2 PUBLISHes than the client's Receive Maximum. */
    RECEIVE_MAXIMUM_EXCEEDED,
    /** MQTT 5.0: a Topic Alias of 0, above the client's Topic Alias Maximum, or not yet set on this connection. */
    TOPIC_ALIAS_INVALID,
    /** MQTT 5.0: a CONNACK with session present after a clean start, when the client has no session. */
    SESSION_PRESENT_WITHOUT_SESSION,
    /** MQTT 5.0: an AUTH packet although the client gave no Authentication Method. */
    UNEXPECTED_AUTH
}
