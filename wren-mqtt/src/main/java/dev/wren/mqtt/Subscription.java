package dev.wren.mqtt;

import dev.wren.mqtt.internal.codec.Topics;
import java.util.Objects;

/**
 * A topic filter with the maximum QoS requested for it, as carried by SUBSCRIBE (MQTT 3.1.1 section 3.8.3), and the
 * further subscription options of MQTT 5.0 (section 3.8.3.1), which a 3.1.1 client may not set.
 *
 * @param filter            a valid topic filter (wildcards {@code +} and {@code #} allowed where section 4.7.1
 *                          allows them; {@code $share/name/filter} for an MQTT 5.0 shared subscription)
 * @param qos               the maximum QoS the client asks for
 * @param noLocal           MQTT 5.0: the server does not send the client's own messages back to it
 * @param retainAsPublished MQTT 5.0: messages keep the RETAIN flag they were published with
 * @param retainHandling    MQTT 5.0: when the server sends retained messages on subscribing
 */
public record Subscription(String filter, Qos qos, boolean noLocal, boolean retainAsPublished,
                           RetainHandling retainHandling) {

    /** When the server sends the retained messages that match a new subscription (MQTT 5.0 section 3.8.3.1). */
    public enum RetainHandling {
        /** 0: on every SUBSCRIBE (what MQTT 3.1.1 always does). */
        SEND_ON_SUBSCRIBE,
        /** 1: only when the subscription did not exist already. */
        SEND_IF_NEW_SUBSCRIPTION,
        /** 2: never. */
        DO_NOT_SEND
    }

    /**
     * @throws IllegalArgumentException if the filter is not a valid topic filter, or No Local is set on a shared one
     *
     * @param filter the topic filter
     * @param qos the maximum QoS asked for
     * @param noLocal MQTT 5.0 No Local
     * @param retainAsPublished MQTT 5.0 Retain As Published
     * @param retainHandling MQTT 5.0 Retain Handling
     */
    public Subscription {
        Topics.checkFilter("filter", filter);
        Objects.requireNonNull(qos, "qos must not be null");
        Objects.requireNonNull(retainHandling, "retainHandling must not be null");
        if (noLocal && filter.startsWith(Topics.SHARE_PREFIX)) {
            throw new IllegalArgumentException("noLocal may not be set on a shared subscription [MQTT-3.8.3-4]");
        }
    }

    /**
     * A subscription with the MQTT 3.1.1 options (the MQTT 5.0 defaults).
     *
     * @param filter the topic filter
     * @param qos the maximum QoS asked for
     */
    public Subscription(String filter, Qos qos) {
        this(filter, qos, false, false, RetainHandling.SEND_ON_SUBSCRIBE);
    }

    /**
     * Shorthand for {@code new Subscription(filter, qos)}.
     *
     * @param filter the topic filter
     * @param qos the maximum QoS asked for
     * @return the subscription
     */
    public static Subscription of(String filter, Qos qos) {
        return new Subscription(filter, qos);
    }

    /**
     * This subscription with No Local set or cleared (MQTT 5.0).
     *
     * @param noLocal the No Local option
     * @return the subscription
     */
    public Subscription withNoLocal(boolean noLocal) {
        return new Subscription(filter, qos, noLocal, retainAsPublished, retainHandling);
    }

    /**
     * This subscription with Retain As Published set or cleared (MQTT 5.0).
     *
     * @param retainAsPublished the Retain As Published option
     * @return the subscription
     */
    public Subscription withRetainAsPublished(boolean retainAsPublished) {
        return new Subscription(filter, qos, noLocal, retainAsPublished, retainHandling);
    }

    /**
     * This subscription with another Retain Handling (MQTT 5.0).
     *
     * @param retainHandling the Retain Handling option
     * @return the subscription
     */
    public Subscription withRetainHandling(RetainHandling retainHandling) {
        return new Subscription(filter, qos, noLocal, retainAsPublished, retainHandling);
    }

    /**
     * Whether it sets an option MQTT 3.1.1 does not have.
     *
     * @return whether it sets one
     */
    public boolean hasMqtt5Options() {
        return noLocal || retainAsPublished || retainHandling != RetainHandling.SEND_ON_SUBSCRIBE;
    }

}
