package dev.wren.mqtt.async;

import dev.wren.mqtt.MqttEvent;
import dev.wren.mqtt.MqttProperties;
import dev.wren.mqtt.Qos;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * MQTT 5.0 request / response for an {@link AsyncMqttClient} (section 4.10), as {@code mosquitto_rr} does it: each
 * request carries the response topic and correlation data of its own; the client subscribes to each response topic
 * once, and a response completes the request whose correlation data it carries. A response that matches none (late,
 * or someone else's) is dropped.
 *
 * <p>Thread-safe: requests may be made from any thread.
 */
final class Requester {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AsyncMqttClient client;
    private final ConcurrentHashMap<ByteBuffer, CompletableFuture<MqttEvent.Publish>> pending = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<MqttEvent.SubAck>> responseTopics = new ConcurrentHashMap<>();

    Requester(AsyncMqttClient client) {
        this.client = client;
    }

    CompletableFuture<MqttEvent.Publish> request(String topic, byte[] payload, Qos qos, String responseTopic,
                                                 Duration timeout) {
        byte[] correlation = new byte[16];
        RANDOM.nextBytes(correlation);
        ByteBuffer key = ByteBuffer.wrap(correlation);
        CompletableFuture<MqttEvent.Publish> response = new CompletableFuture<>();
        pending.put(key, response);
        response.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS).whenComplete((r, e) -> pending.remove(key));
        MqttProperties props = MqttProperties.builder().responseTopic(responseTopic).correlationData(correlation)
                .build();
        responseTopics.computeIfAbsent(responseTopic, t -> client.subscribe(t, Qos.AT_LEAST_ONCE, this::onResponse))
                .thenCompose(ack -> {
                    if (ack.returnCodes().get(0) >= 0x80) {
                        responseTopics.remove(responseTopic);
                        throw new IllegalStateException("the broker refused the subscription to the response topic "
                                + responseTopic + ": " + ack.reasonCodes().get(0));
                    }
                    return client.publish(topic, payload, qos, false, props);
                })
                .whenComplete((v, e) -> {
                    if (e != null) {
                        response.completeExceptionally(e);
                    }
                });
        return response;
    }

    private void onResponse(MqttEvent.Publish m) {
        m.properties().correlationData().map(ByteBuffer::wrap).map(pending::remove)
                .ifPresent(f -> f.complete(m));
    }
}
