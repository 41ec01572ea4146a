package dev.wren.mqtt.async;

import dev.wren.mqtt.MqttException;
/**
 * A publish was refused because the in-flight window and the queue behind it are full: the caller should slow
 * down (or build the client with {@link AsyncMqttClientBuilder#blockWhenQueueFull(boolean)}).
 */
public final class QueueFullException extends MqttException {
    private static final long serialVersionUID = 1L;

    public QueueFullException(int capacity) {
        super("publish queue full: " + capacity + " messages are in flight or queued", null);
    }
}
