package dev.wren.mqtt.async;

import dev.wren.mqtt.MqttEvent;

/**
 * Receives the messages of a subscription (or, as fallback, those no subscription claims). Runs on the client's
 * callback executor, never on the event loop, so it may take its time: keep-alive and acknowledgements go on. An
 * exception it throws is reported to the client's error handler and does not close the connection.
 */
@FunctionalInterface
public interface MessageHandler {
    /**
     * Handles one message; an exception is reported to the client's error handler and the message still counts as handled.
     *
     * @param message the message
     * @throws Exception anything, reported to the error handler
     */
    void onMessage(MqttEvent.Publish message) throws Exception;
}
