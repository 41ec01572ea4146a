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
}
