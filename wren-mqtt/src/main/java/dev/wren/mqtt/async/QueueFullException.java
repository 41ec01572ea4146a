package dev.wren.mqtt.async;

import dev.wren.mqtt.MqttException;
/**
 * A publish was refused because the in-flight window and the queue behind it are full: the caller should slow
 * down (or build the client with {@link AsyncMqttClientBuilder#whenQueueFull(QueueFullPolicy)}).
 */
public final class QueueFullException extends MqttException {
    private static final long serialVersionUID = 1L;

    /**
     * The bound in messages ({@code capacity}, in flight and queued together) was reached.
     *
     * @param capacity the bound in messages
     */
    public QueueFullException(int capacity) {
        super("publish queue full: " + capacity + " messages are in flight or queued", null);
    }

    /**
     * The bound in bytes ({@link AsyncMqttClientBuilder#maxQueuedBytes(long)}) was reached.
     *
     * @param held the bytes held
     * @param bound the bound in bytes
     */
    public QueueFullException(long held, long bound) {
        super("publish queue full: " + held + " bytes are in flight or queued, and the bound is " + bound, null);
    }
}
