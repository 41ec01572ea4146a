package dev.wren.mqtt;

import dev.wren.mqtt.internal.codec.Topics;

/**
 * Topic filters and topic names as MQTT defines them (MQTT 3.1.1 section 4.7), checked and matched the way the
 * clients do it: {@code +} and {@code #} wildcards, {@code $}-topics not matched by a leading wildcard
 * [MQTT-4.7.2-1], and shared subscriptions ({@code $share/name/filter}) matched by their filter part.
 *
 * <p>Stateless and thread-safe.
 */
public final class TopicFilter {
    private TopicFilter() {
    }

    /**
     * Whether {@code topicName} matches {@code filter}.
     *
     * @param filter the topic filter
     * @param topicName the topic name
     * @return whether it matches
     */
    public static boolean matches(String filter, String topicName) {
        return Topics.matches(filter, topicName);
    }

    /**
     * Checks that {@code filter} is a valid topic filter.
     *
     * @param field how the caller names it, for the message
     * @param filter the topic filter
     * @throws IllegalArgumentException naming {@code field} and the rule broken
     */
    public static void check(String field, String filter) {
        Topics.checkFilter(field, filter);
    }

    /**
     * Checks that {@code name} is a valid topic name (no wildcards, not empty).
     *
     * @param field how the caller names it, for the message
     * @param name the topic name
     * @throws IllegalArgumentException naming {@code field} and the rule broken
     */
    public static void checkName(String field, String name) {
        Topics.checkName(field, name);
    }
}
