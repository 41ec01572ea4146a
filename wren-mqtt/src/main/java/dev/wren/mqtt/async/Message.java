package dev.wren.mqtt.async;

import dev.wren.mqtt.Qos;

/**
 * An application message received by an {@link AsyncMqttClient}.
 *
 * @param topic   the topic name
 * @param payload the payload (the handler owns this array)
 * @param qos     the QoS it was delivered with
 * @param retain  whether it was a retained message sent on subscribing
 * @param dup     whether the server says it may have sent it before (QoS 1)
 */
public record Message(String topic, byte[] payload, Qos qos, boolean retain, boolean dup) {
    /** The payload as UTF-8 text. */
    public String payloadAsString() {
        return new String(payload, java.nio.charset.StandardCharsets.UTF_8);
    }
}
