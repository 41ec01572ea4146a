package dev.wren.mqtt;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * An outgoing QoS 1 or 2 message the server has not completed: reported by {@link MqttEvent.SessionLost} when the
 * server forgot it, and given to {@link MqttClient#restore} to carry the session state over a process restart.
 *
 * @param messageId the packet identifier it was sent with, 1..65535
 * @param payload   the payload from its position to its limit (read-only view when reported)
 * @param released  whether the server had answered the QoS 2 message with PUBREC, so that only PUBREL is left
 */
public record UnacknowledgedMessage(int messageId, String topic, Qos qos, boolean retain, ByteBuffer payload,
                                    boolean released) {
    /**
     * Checks and keeps the values.
     *
     * @param messageId the packet identifier
     * @param topic the topic
     * @param qos the QoS, 1 or 2
     * @param retain the RETAIN flag
     * @param payload the payload
     * @param released whether the broker has answered with PUBREC
     */
    public UnacknowledgedMessage {
        if (messageId < 1 || messageId > 65535) {
            throw new IllegalArgumentException("messageId must be 1..65535, was " + messageId);
        }
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        if (Objects.requireNonNull(qos, "qos") == Qos.AT_MOST_ONCE) {
            throw new IllegalArgumentException("a QoS 0 message is never acknowledged, so never unacknowledged");
        }
        if (released && qos != Qos.EXACTLY_ONCE) {
            throw new IllegalArgumentException("only a QoS 2 message can be released");
        }
    }
}
