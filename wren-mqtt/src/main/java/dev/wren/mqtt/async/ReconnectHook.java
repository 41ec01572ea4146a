package dev.wren.mqtt.async;

import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.MqttEvent;

/**
 * Called by an {@link AsyncMqttClient} before each reconnect attempt: may change the server, credentials or anything
 * else. Runs on the event loop: keep it short.
 */
@FunctionalInterface
public interface ReconnectHook {
    /**
     * @param attempt        how many attempts failed since the connection was last up (0 for the first retry)
     * @param lastDisconnect why the last connection (or attempt) ended
     * @param next           the configuration the attempt would use
     * @return the configuration to use
     */
    MqttClientConfig beforeAttempt(int attempt, MqttEvent.Disconnect lastDisconnect, MqttClientConfig next);
}

