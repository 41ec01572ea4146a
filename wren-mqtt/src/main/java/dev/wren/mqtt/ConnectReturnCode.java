package dev.wren.mqtt;

/** The CONNACK return codes of MQTT 3.1 and 3.1.1 (MQTT 3.1.1 section 3.2.2.3). */
public enum ConnectReturnCode {
    /** 0: connection accepted. */
    ACCEPTED,
    /** 1: the server does not support the requested protocol level. */
    UNACCEPTABLE_PROTOCOL_VERSION,
    /** 2: the client identifier is not allowed by the server. */
    IDENTIFIER_REJECTED,
    /** 3: the MQTT service is unavailable. */
    SERVER_UNAVAILABLE,
    /** 4: the user name or password is malformed or wrong. */
    BAD_USER_NAME_OR_PASSWORD,
    /** 5: the client is not authorized to connect. */
    NOT_AUTHORIZED;

    private static final ConnectReturnCode[] VALUES = values();

    /**
     * The wire value of this code.
     *
     * @return the wire value
     */
    public int code() {
        return ordinal();
    }

    /**
     * The code for a wire value, or {@code null} if the value is reserved (6..255).
     *
     * @param code the wire value
     * @return the code, or null
     */
    public static ConnectReturnCode ofOrNull(int code) {
        return code >= 0 && code < VALUES.length ? VALUES[code] : null;
    }

    /**
     * The code of the same meaning as an MQTT 5.0 CONNACK reason code ({@link MqttEvent.ConnAck#returnCode()} of a
     * 5.0 CONNACK), or {@code null} when MQTT 3.1.1 has none.
     *
     * @param reason the 5.0 reason code
     * @return the 3.1.1 code, or null
     */
    public static ConnectReturnCode equivalentOf(ReasonCode reason) {
        return switch (reason) {
            case SUCCESS -> ACCEPTED;
            case UNSUPPORTED_PROTOCOL_VERSION -> UNACCEPTABLE_PROTOCOL_VERSION;
            case CLIENT_IDENTIFIER_NOT_VALID -> IDENTIFIER_REJECTED;
            case BAD_USER_NAME_OR_PASSWORD -> BAD_USER_NAME_OR_PASSWORD;
            case NOT_AUTHORIZED -> NOT_AUTHORIZED;
            case SERVER_UNAVAILABLE, SERVER_BUSY -> SERVER_UNAVAILABLE;
            default -> null;
        };
    }
}
