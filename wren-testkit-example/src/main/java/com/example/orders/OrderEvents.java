package com.example.orders;

import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.Qos;
import dev.wren.mqtt.async.AsyncMqttClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The kind of class Wren's users write and want to test: it announces each placed order on
 * {@code orders/<id>/placed}, at least once, in a session that outlives a dropped connection.
 *
 * <p>Thread-safe: the client it wraps is.
 */
public final class OrderEvents implements AutoCloseable {
    private final AsyncMqttClient client;

    private OrderEvents(AsyncMqttClient client) {
        this.client = client;
    }

    /** Connects to the broker at {@code host:port}; the future fails if the broker refuses. */
    public static CompletableFuture<OrderEvents> connect(String host, int port, String clientId) {
        AsyncMqttClient client = AsyncMqttClient.builder(MqttClientConfig.builder().broker(host, port)
                        .clientId(clientId).cleanSession(false).connectTimeout(Duration.ofSeconds(5)).build())
                .reconnectDelay(Duration.ofMillis(50), Duration.ofSeconds(1)).build();
        return client.connect().handle((ack, failure) -> {
            if (failure != null) {
                client.close();
                throw new IllegalStateException("the order events broker refused us: " + failure.getMessage(), failure);
            }
            return new OrderEvents(client);
        });
    }

    /** Announces an order; the future completes when the broker has it. */
    public CompletableFuture<Void> placed(String orderId, int quantity) {
        return client.publish("orders/" + orderId + "/placed",
                ("quantity=" + quantity).getBytes(StandardCharsets.UTF_8), Qos.AT_LEAST_ONCE, false);
    }

    @Override
    public void close() {
        client.close();
    }
}
