package dev.wren.mqtt.async;

/**
 * A snapshot of one client's received messages not yet handled ({@link AsyncMqttClientBuilder#maxPending}), from
 * {@link AsyncMqttClient#inboundStats()}.
 *
 * @param pendingMessages messages handed to handlers and not yet handled now
 * @param pendingBytes    their payload bytes
 * @param peakMessages    the most messages pending at once since the client was built
 * @param peakBytes       the most payload bytes pending at once since the client was built
 * @param pauses          how many times the client stopped reading because a bound was reached
 * @param droppedQos0     QoS 0 messages dropped at the bound ({@link InboundOverflow})
 */
public record InboundStats(int pendingMessages, long pendingBytes, int peakMessages, long peakBytes, long pauses,
                           long droppedQos0) {
}
