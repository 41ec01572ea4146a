package dev.wren.mqtt;

import dev.wren.mqtt.internal.codec.Topics;
import java.util.Objects;

/**
 * A topic filter with the maximum QoS requested for it, as carried by SUBSCRIBE (MQTT 3.1.1 section 3.8.3).
 *
 * @param filter a valid topic filter (wildcards {@code +} and {@code #} allowed where section 4.7.1 allows them)
 * @param qos    the maximum QoS the client asks for
 */
public record Subscription(String filter, Qos qos) {
    /** @throws IllegalArgumentException if the filter is not a valid topic filter */
    public Subscription {
        Topics.checkFilter("filter", filter);
        Objects.requireNonNull(qos, "qos must not be null");
    }

    /** Shorthand for {@code new Subscription(filter, qos)}. */
    public static Subscription of(String filter, Qos qos) {
        return new Subscription(filter, qos);
    }
}
