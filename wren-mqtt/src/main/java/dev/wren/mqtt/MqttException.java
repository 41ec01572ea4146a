package dev.wren.mqtt;

/**
 * Why an MQTT operation failed: carried by a failed future of the asynchronous client, with the end of the
 * connection that caused it when there was one.
 *
 * <p>Immutable.
 */
public class MqttException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient MqttEvent.Disconnect disconnect;
    /** The MQTT 5.0 reason code, or null. */
    private final ReasonCode reasonCode;

    /**
     * A failure caused by the end of a connection ({@code disconnect}, or null when there was none).
     *
     * @param message what failed
     * @param disconnect the end of the connection, or null
     */
    public MqttException(String message, MqttEvent.Disconnect disconnect) {
        super(message + (disconnect == null ? "" : ": " + disconnect.reason()
                + (disconnect.message() == null ? "" : " (" + disconnect.message() + ")")),
                disconnect == null ? null : disconnect.cause());
        this.disconnect = disconnect;
        this.reasonCode = disconnect == null ? null : disconnect.reasonCode();
    }

    /**
     * An MQTT 5.0 server refused the operation with {@code reasonCode} (a PUBACK or PUBREC of 0x80 and above, for
     * instance); the connection goes on.
     *
     * @param message what was refused
     * @param reasonCode the server's reason code
     * @return the exception
     */
    public static MqttException refused(String message, ReasonCode reasonCode) {
        return new MqttException(message + ": " + reasonCode, reasonCode);
    }

    private MqttException(String message, ReasonCode reasonCode) {
        super(message);
        this.disconnect = null;
        this.reasonCode = reasonCode;
    }

    /**
     * The MQTT 5.0 reason code of the refusal, or of the DISCONNECT that caused this failure; null if none.
     *
     * @return the reason code, or null
     */
    public ReasonCode reasonCode() {
        return reasonCode;
    }

    /**
     * The end of the connection that caused this failure, if any.
     *
     * @return the end of the connection, or null
     */
    public MqttEvent.Disconnect disconnect() {
        return disconnect;
    }
}
