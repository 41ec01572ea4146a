package dev.wren.mqtt.async;

/**
 * What an {@link AsyncMqttClient} does when its received messages not yet handled reach the bound set with
 * {@link AsyncMqttClientBuilder#maxPending(int, long)}.
 */
public enum InboundOverflow {
    /**
     * Stop reading from the socket until the handlers catch up, so that TCP pushes back on the broker (the default).
     * Nothing is lost; the broker holds what it has not sent, under its own limits.
     */
    STOP_READING,
    /**
     * Drop the oldest QoS 0 message still waiting for its handler to make room for the new one, counted in
     * {@link InboundStats#droppedQos0()}; QoS 1 and 2 messages are never dropped, and when no QoS 0 message waits
     * the client stops reading as with {@link #STOP_READING}.
     */
    DROP_OLDEST_QOS0,
    /**
     * Drop a new QoS 0 message that finds the bound reached, counted in {@link InboundStats#droppedQos0()}; QoS 1
     * and 2 messages stop the reading as with {@link #STOP_READING}.
     */
    DROP_NEWEST_QOS0
}
