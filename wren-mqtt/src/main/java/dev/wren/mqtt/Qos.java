package dev.wren.mqtt;

/**
 * MQTT quality-of-service levels (MQTT 3.1.1 section 4.3).
 *
 * <p>A SUBACK failure is not a QoS level: see {@link MqttEvent.SubAck#FAILURE}.
 */
public enum Qos {
    /** QoS 0: at most once, fire and forget. */
    AT_MOST_ONCE(0),
    /** QoS 1: at least once, acknowledged by PUBACK. */
    AT_LEAST_ONCE(1),
    /** QoS 2: exactly once, four-packet handshake PUBLISH, PUBREC, PUBREL, PUBCOMP. */
    EXACTLY_ONCE(2);

    private static final Qos[] BY_CODE = {AT_MOST_ONCE, AT_LEAST_ONCE, EXACTLY_ONCE};

    private final int code;

    Qos(int code) {
        this.code = code;
    }

    /**
     * The two-bit wire value: 0, 1 or 2.
     *
     * @return the wire value
     */
    public int code() {
        return code;
    }

    /**
     * The QoS for a wire value.
     *
     * @param code the wire value
     * @return the QoS
     * @throws IllegalArgumentException if {@code code} is not 0, 1 or 2
     */
    public static Qos of(int code) {
        if (code < 0 || code > 2) {
            throw new IllegalArgumentException("qos must be 0, 1 or 2, was " + code);
        }
        return BY_CODE[code];
    }
}
