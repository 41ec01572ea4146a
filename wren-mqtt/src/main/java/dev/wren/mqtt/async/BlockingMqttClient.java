package dev.wren.mqtt.async;

import dev.wren.mqtt.MqttException;
import dev.wren.mqtt.MqttEvent;
import dev.wren.mqtt.Qos;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Blocking shorthands over an {@link AsyncMqttClient}, for scripts and tests: each waits for its future, up to the
 * given timeout.
 *
 * <p>Thread-safe, like the client; {@link #timeout} is not meant to be changed while calls wait.
 */
public final class BlockingMqttClient {
    private final AsyncMqttClient client;
    private Duration timeout = Duration.ofSeconds(30);

    BlockingMqttClient(AsyncMqttClient client) {
        this.client = client;
    }

    /**
     * How long each call waits (default 30 s).
     *
     * @param timeout how long each call waits
     * @return this view
     */
    public BlockingMqttClient timeout(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout);
        return this;
    }

    /**
     * Connects and waits for the CONNACK; throws what the future would fail with.
     *
     * @return the CONNACK
     */
    public MqttEvent.ConnAck connect() {
        return await(client.connect());
    }

    /**
     * Publishes and waits until the message is done (written for QoS 0, acknowledged for QoS 1 and 2).
     *
     * @param topic the topic name
     * @param payload the payload (copied)
     * @param qos the quality of service
     * @param retain whether the server keeps the message for future subscribers
     */
    public void publish(String topic, byte[] payload, Qos qos, boolean retain) {
        await(client.publish(topic, payload, qos, retain));
    }

    /**
     * Subscribes and waits for the SUBACK.
     *
     * @param filter the topic filter
     * @param qos the maximum quality of service asked for
     * @param handler what receives the messages
     * @return the SUBACK
     */
    public MqttEvent.SubAck subscribe(String filter, Qos qos, MessageHandler handler) {
        return await(client.subscribe(filter, qos, handler));
    }

    /**
     * Unsubscribes and waits for the UNSUBACK.
     *
     * @param filters the topic filters
     */
    public void unsubscribe(String... filters) {
        await(client.unsubscribe(filters));
    }

    /** Disconnects and waits until the connection is closed. */
    public void disconnect() {
        await(client.disconnect());
    }

    private <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new MqttException(String.valueOf(e.getCause()), null);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new MqttException("no answer within " + timeout, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MqttException("interrupted", null);
        }
    }
}

