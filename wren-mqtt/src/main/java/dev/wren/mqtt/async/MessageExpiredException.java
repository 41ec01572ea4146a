package dev.wren.mqtt.async;

import dev.wren.mqtt.MqttException;

/** A message was not sent within its {@linkplain PublishOptions.Builder#expiry expiry} and was dropped. */
public final class MessageExpiredException extends MqttException {
    private static final long serialVersionUID = 1L;

    /**
     * The message for {@code topic} expired, {@code expiryMillis} after it was published, before it went out.
     *
     * @param topic the expired message's topic
     * @param expiryMillis its expiry in milliseconds
     */
    public MessageExpiredException(String topic, long expiryMillis) {
        super("message on " + topic + " not sent within its expiry of " + expiryMillis + " ms; dropped", null);
    }
}
