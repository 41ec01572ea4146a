package dev.wren.mqtt.async;

import dev.wren.mqtt.MqttProperties;
import java.time.Duration;
import java.util.Objects;

/**
 * What one publish of an {@link AsyncMqttClient} asks beyond topic, payload, QoS and retain: how long it may wait to
 * be sent ({@link Builder#expiry}), whether it may wait for a connection at all ({@link Builder#onlyIfConnected}),
 * and MQTT 5.0 properties. Given to {@link AsyncMqttClient#publish(String, byte[], dev.wren.mqtt.Qos, boolean,
 * PublishOptions)}.
 *
 * <p>Immutable and thread-safe; one instance may serve any number of publishes.
 */
public final class PublishOptions {
    private static final PublishOptions NONE = new PublishOptions(0, false, null);

    private final long expiryMillis;
    private final boolean onlyIfConnected;
    private final MqttProperties properties;

    private PublishOptions(long expiryMillis, boolean onlyIfConnected, MqttProperties properties) {
        this.expiryMillis = expiryMillis;
        this.onlyIfConnected = onlyIfConnected;
        this.properties = properties;
    }

    /**
     * No expiry, may wait for a connection, no properties: what the plain {@code publish} does.
     *
     * @return the options
     */
    public static PublishOptions none() {
        return NONE;
    }

    /**
     * A builder with no expiry, sent also while disconnected, no properties.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * How long the message may wait to be sent, in milliseconds; 0 for no limit.
     *
     * @return the time in milliseconds, or 0
     */
    public long expiryMillis() {
        return expiryMillis;
    }

    /**
     * Whether the message is refused (or dropped from the queue) when there is no connection to send it on.
     *
     * @return whether it is only for the current connection
     */
    public boolean onlyIfConnected() {
        return onlyIfConnected;
    }

    /**
     * MQTT 5.0 properties, or null for none.
     *
     * @return the properties, or null
     */
    public MqttProperties properties() {
        return properties;
    }

    /** Builds {@link PublishOptions}; checks each value as it is set. Not thread-safe. */
    public static final class Builder {
        private long expiryMillis;
        private boolean onlyIfConnected;
        private MqttProperties properties;

        private Builder() {
        }

        /**
         * The message is dropped, its future failing with {@link MessageExpiredException}, if it has not been sent
         * within {@code expiry} of the publish (queued behind the window, or while offline; in a file store across a
         * restart too). Once sent with QoS 1 or 2 it is part of the session and is not dropped. With MQTT 5.0 it also
         * goes out with a Message Expiry Interval of the time it has left, rounded up to a whole second, so that the
         * broker drops it too (this replaces an interval given in {@link #properties}).
         *
         * @param expiry at least one millisecond, at most 4,294,967,295 seconds
         * @return this builder
         */
        public Builder expiry(Duration expiry) {
            Objects.requireNonNull(expiry, "expiry");
            if (expiry.toMillis() < 1 || expiry.getSeconds() > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("expiry must be 1 ms to 4,294,967,295 s, was " + expiry);
            }
            this.expiryMillis = expiry.toMillis();
            return this;
        }

        /**
         * The message is only for the connection of the moment: a publish without one fails at once with
         * {@link NotConnectedException}, and one still queued (not yet sent) when the connection drops fails the
         * same way instead of waiting for the next connection (default false).
         *
         * @param only {@code true} for a message only for the current connection
         * @return this builder
         */
        public Builder onlyIfConnected(boolean only) {
            this.onlyIfConnected = only;
            return this;
        }

        /**
         * MQTT 5.0 properties of the message (null or empty for none).
         *
         * @param properties the properties, or null
         * @return this builder
         */
        public Builder properties(MqttProperties properties) {
            this.properties = properties == null || properties.isEmpty() ? null : properties;
            return this;
        }

        /**
         * The options set so far.
         *
         * @return the options
         */
        public PublishOptions build() {
            return expiryMillis == 0 && !onlyIfConnected && properties == null ? NONE
                    : new PublishOptions(expiryMillis, onlyIfConnected, properties);
        }
    }
}
