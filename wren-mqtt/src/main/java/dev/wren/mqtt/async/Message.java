package dev.wren.mqtt.async;

import dev.wren.mqtt.Qos;
import java.util.Arrays;
import java.util.Objects;

/**
 * An application message received by an {@link AsyncMqttClient}.
 *
 * <p>With {@link dev.wren.mqtt.MqttClientConfig.Builder#manualAcks(boolean) manualAcks(true)} a QoS 1 or 2 message is
 * acknowledged to the broker only when the application calls {@link #acknowledge()}; otherwise the client has
 * acknowledged it already and {@code acknowledge()} does nothing.
 *
 * <p>Immutable and thread-safe, apart from the payload array, which the handler owns.
 */
public final class Message {
    private final String topic;
    private final byte[] payload;
    private final Qos qos;
    private final boolean retain;
    private final boolean dup;
    private final Runnable acknowledger;
    private volatile boolean acknowledged;

    /**
     * @param topic   the topic name
     * @param payload the payload (the handler owns this array)
     * @param qos     the QoS it was delivered with
     * @param retain  whether it was a retained message sent on subscribing
     * @param dup     whether the server says it may have sent it before
     */
    public Message(String topic, byte[] payload, Qos qos, boolean retain, boolean dup) {
        this(topic, payload, qos, retain, dup, null);
    }

    Message(String topic, byte[] payload, Qos qos, boolean retain, boolean dup, Runnable acknowledger) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.payload = Objects.requireNonNull(payload, "payload");
        this.qos = Objects.requireNonNull(qos, "qos");
        this.retain = retain;
        this.dup = dup;
        this.acknowledger = acknowledger;
    }

    /** The topic name. */
    public String topic() {
        return topic;
    }

    /** The payload (the handler owns this array). */
    public byte[] payload() {
        return payload;
    }

    /** The QoS it was delivered with. */
    public Qos qos() {
        return qos;
    }

    /** Whether it was a retained message sent on subscribing. */
    public boolean retain() {
        return retain;
    }

    /** Whether the server says it may have sent it before. */
    public boolean dup() {
        return dup;
    }

    /** The payload as UTF-8 text. */
    public String payloadAsString() {
        return new String(payload, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Acknowledges the message to the broker, with {@code manualAcks(true)}: its PUBACK (QoS 1) or PUBREC (QoS 2)
     * goes out once every message of its QoS received before it on the same connection has been acknowledged too,
     * as the specification requires, so acknowledging out of order is safe. A message not acknowledged is sent
     * again by the broker after a reconnect with a session (and then delivered again, with {@link #dup()} set); an
     * acknowledgement given after its connection ended does nothing. Idempotent; any thread. Does nothing for QoS 0
     * and without manual acknowledgements.
     */
    public void acknowledge() {
        if (acknowledger != null && !acknowledged) {
            acknowledged = true;
            acknowledger.run();
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m && topic.equals(m.topic) && Arrays.equals(payload, m.payload) && qos == m.qos
                && retain == m.retain && dup == m.dup;
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, Arrays.hashCode(payload), qos, retain, dup);
    }

    @Override
    public String toString() {
        return "Message[topic=" + topic + ", payload=" + payload.length + " bytes, qos=" + qos.code() + ", retain="
                + retain + ", dup=" + dup + "]";
    }
}
