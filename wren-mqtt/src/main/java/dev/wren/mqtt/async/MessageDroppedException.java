package dev.wren.mqtt.async;

import dev.wren.mqtt.MqttException;

/**
 * A queued message was dropped before it was sent, to make room for a newer one
 * ({@link QueueFullPolicy#DROP_OLDEST}).
 */
public final class MessageDroppedException extends MqttException {
    private static final long serialVersionUID = 1L;

    /**
     * The message for {@code topic} was dropped.
     *
     * @param topic the dropped message's topic
     */
    public MessageDroppedException(String topic) {
        super("message on " + topic + " dropped unsent to make room for a newer one (the queue was full)", null);
    }
}
