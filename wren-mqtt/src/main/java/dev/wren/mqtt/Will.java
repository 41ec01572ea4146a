package dev.wren.mqtt;

import dev.wren.mqtt.internal.codec.Topics;
import java.util.Arrays;
import java.util.Objects;

/**
 * The will: a message the server publishes for the client when the connection ends without DISCONNECT
 * (MQTT 3.1.1 section 3.1.2.5). Immutable; the payload is copied in and out.
 */
public final class Will {
    private final String topic;
    private final byte[] payload;
    private final Qos qos;
    private final boolean retain;

    /**
     * @throws IllegalArgumentException if the topic is not a valid topic name or the payload exceeds 65535 bytes
     */
    public Will(String topic, byte[] payload, Qos qos, boolean retain) {
        Topics.checkName("will.topic", topic);
        Objects.requireNonNull(payload, "will.payload must not be null");
        if (payload.length > 65535) {
            throw new IllegalArgumentException("will.payload is " + payload.length + " bytes; at most 65535 allowed");
        }
        this.topic = topic;
        this.payload = payload.clone();
        this.qos = Objects.requireNonNull(qos, "will.qos must not be null");
        this.retain = retain;
    }

    public String topic() {
        return topic;
    }

    /** A copy of the payload. */
    public byte[] payload() {
        return payload.clone();
    }

    public Qos qos() {
        return qos;
    }

    public boolean retain() {
        return retain;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Will w && topic.equals(w.topic) && Arrays.equals(payload, w.payload) && qos == w.qos
                && retain == w.retain;
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, Arrays.hashCode(payload), qos, retain);
    }

    @Override
    public String toString() {
        return "Will[topic=" + topic + ", " + payload.length + " bytes, qos=" + qos.code() + ", retain=" + retain + "]";
    }
}
