package dev.wren.mqtt;

import dev.wren.mqtt.internal.codec.Topics;
import java.util.Arrays;
import java.util.Objects;

/**
 * The will: a message the server publishes for the client when the connection ends without DISCONNECT
 * (MQTT 3.1.1 section 3.1.2.5). With MQTT 5.0 it may carry properties (message expiry, content type, response topic,
 * correlation data, user properties) and a delay ({@link #withDelay}). Immutable; the payload is copied in and out.
 */
public final class Will {
    private final String topic;
    private final byte[] payload;
    private final Qos qos;
    private final boolean retain;
    private final MqttProperties properties;
    private final long delaySeconds;

    /**
     *
     * @param topic the topic
     * @param payload the payload (copied)
     * @param qos the QoS
     * @param retain the RETAIN flag
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
        this.properties = MqttProperties.none();
        this.delaySeconds = 0;
    }

    private Will(Will w, MqttProperties properties, long delaySeconds) {
        this.topic = w.topic;
        this.payload = w.payload;
        this.qos = w.qos;
        this.retain = w.retain;
        this.properties = properties;
        this.delaySeconds = delaySeconds;
    }

    /**
     * This will with MQTT 5.0 properties (section 3.1.3.2; sent only by an MQTT 5.0 client).
     *
     * @param properties the will's properties
     * @return the will
     * @throws IllegalArgumentException naming {@code will.properties} if they hold a property a will may not carry
     */
    public Will withProperties(MqttProperties properties) {
        Objects.requireNonNull(properties, "will.properties must not be null");
        if (properties.topicAlias().isPresent() || !properties.subscriptionIdentifiers().isEmpty()) {
            throw new IllegalArgumentException("will.properties may not hold a topic alias or subscription identifier");
        }
        return new Will(this, properties, delaySeconds);
    }

    /**
     * This will, published by an MQTT 5.0 server only {@code seconds} after the connection is lost (or when the
     * session ends, if sooner), and not at all if the client reconnects first (Will Delay Interval, 3.1.3.2.2).
     *
     * @param seconds the Will Delay Interval in seconds
     * @return the will
     */
    public Will withDelay(long seconds) {
        if (seconds < 0 || seconds > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("will.delay must be 0..4294967295 seconds, was " + seconds);
        }
        return new Will(this, properties, seconds);
    }

    /**
     * The MQTT 5.0 properties (none unless set).
     *
     * @return the properties
     */
    public MqttProperties properties() {
        return properties;
    }

    /**
     * The MQTT 5.0 Will Delay Interval in seconds (0 unless set).
     *
     * @return the delay in seconds
     */
    public long delaySeconds() {
        return delaySeconds;
    }

    /**
     * The topic the will is published to.
     *
     * @return the topic
     */
    public String topic() {
        return topic;
    }

    /**
     * A copy of the payload.
     *
     * @return the payload
     */
    public byte[] payload() {
        return payload.clone();
    }

    /**
     * The QoS the will is published with.
     *
     * @return the QoS
     */
    public Qos qos() {
        return qos;
    }

    /**
     * Whether the will is retained.
     *
     * @return the RETAIN flag
     */
    public boolean retain() {
        return retain;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Will w && topic.equals(w.topic) && Arrays.equals(payload, w.payload) && qos == w.qos
                && retain == w.retain && properties.equals(w.properties) && delaySeconds == w.delaySeconds;
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
