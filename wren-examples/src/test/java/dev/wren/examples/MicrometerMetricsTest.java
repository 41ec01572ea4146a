package dev.wren.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.Qos;
import dev.wren.mqtt.async.AsyncMqttClient;
import dev.wren.mqtt.async.MqttMetrics;
import dev.wren.testing.Mosquitto;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Micrometer adapter shows what a client against Mosquitto did. */
class MicrometerMetricsTest {

    @Test
    void aRegistryShowsTheMessagesAndRoundTripsOfAClient() throws Exception {
        Mosquitto broker = Mosquitto.shared();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MqttMetrics metrics = new MqttMetrics();
        MicrometerMetrics.bind(metrics, registry, Tags.of("client", "test"), 0);
        try (AsyncMqttClient client = AsyncMqttClient.builder(MqttClientConfig.builder()
                .broker(broker.host(), broker.port()).clientId("micrometer-" + UUID.randomUUID()).build())
                .metrics(metrics).build()) {
            client.connect().get(5, TimeUnit.SECONDS);
            CompletableFuture<?>[] f = new CompletableFuture<?>[10];
            for (int i = 0; i < f.length; i++) {
                f[i] = client.publish("micrometer/t", new byte[100], Qos.AT_LEAST_ONCE, false);
            }
            CompletableFuture.allOf(f).get(5, TimeUnit.SECONDS);
        }
        assertThat(registry.get("mqtt.client.messages.sent").tags("qos", "1").functionCounter().count()).isEqualTo(10);
        assertThat(registry.get("mqtt.client.bytes.sent").tags("qos", "1").functionCounter().count()).isEqualTo(1000);
        assertThat(registry.get("mqtt.client.connections.made").functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("mqtt.client.ack.roundtrip.count").tags("qos", "1").functionCounter().count())
                .isEqualTo(10);
        assertThat(registry.get("mqtt.client.ack.roundtrip").tags("qos", "1", "percentile", "99.0").gauge().value())
                .as("p99 of the QoS 1 round trip, seconds").isPositive().isLessThan(5);
        assertThat(registry.get("mqtt.client.messages.inflight").gauge().value()).isZero();
    }
}
