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

    public MqttException(String message, MqttEvent.Disconnect disconnect) {
        super(message + (disconnect == null ? "" : ": " + disconnect.reason()
                + (disconnect.message() == null ? "" : " (" + disconnect.message() + ")")),
                disconnect == null ? null : disconnect.cause());
        this.disconnect = disconnect;
    }

    /** The end of the connection that caused this failure, if any. */
    public MqttEvent.Disconnect disconnect() {
        return disconnect;
    }
}
