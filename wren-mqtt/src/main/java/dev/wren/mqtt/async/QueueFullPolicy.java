package dev.wren.mqtt.async;

/**
 * What an {@link AsyncMqttClient}'s {@code publish} does when the messages it holds (in flight and queued) reach
 * the bounds of {@link AsyncMqttClientBuilder#maxQueued(int)} and {@link AsyncMqttClientBuilder#maxQueuedBytes(long)};
 * the same with the memory and the file store.
 */
public enum QueueFullPolicy {
    /** The new message's future fails at once with {@link QueueFullException} (the default). */
    FAIL,
    /**
     * The publishing thread waits until an acknowledgement (or an expiry, or a drop) makes room; on the event loop
     * itself, where waiting would stop the loop, it fails as {@link #FAIL}.
     */
    BLOCK,
    /**
     * The oldest message not yet sent is dropped (its future fails with {@link MessageDroppedException}, and the
     * store forgets it) to make room for the new one: for data whose newest value matters most. Messages already
     * sent with QoS 1 or 2 are part of the session and never dropped; when there is no queued message to drop, the
     * new one fails as with {@link #FAIL}.
     */
    DROP_OLDEST
}
