package dev.wren.mqtt.async;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.mqtt.DisconnectReason;
import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.Qos;
import dev.wren.testing.FaultyProxy;
import dev.wren.testing.Mosquitto;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@link MqttMetrics} counting what a client does against Mosquitto. */
@Tag("broker")
class MetricsTest {
    private static final Mosquitto BROKER = Mosquitto.shared();

    @Test
    void messagesBytesRoundTripsConnectionsAndDropsAreCounted() throws Exception {
        String topic = "metrics/" + UUID.randomUUID();
        MqttMetrics metrics = new MqttMetrics();
        CountDownLatch all = new CountDownLatch(100 + 50 + 20);
        try (FaultyProxy proxy = FaultyProxy.to(BROKER.port());
             AsyncMqttClient client = AsyncMqttClient.builder(MqttClientConfig.builder().broker("127.0.0.1",
                     proxy.port()).clientId("metrics-" + UUID.randomUUID().toString().substring(0, 8))
                     .cleanSession(false).keepAlive(Duration.ofSeconds(1)).build())
                     .reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(100)).metrics(metrics).build()) {
            CompletableFuture<Void> expired = client.publish(topic, new byte[3], Qos.AT_LEAST_ONCE, false,
                    PublishOptions.builder().expiry(Duration.ofMillis(50)).build());
            assertThat(expired).failsWithin(5, TimeUnit.SECONDS);
            client.connect().get(5, TimeUnit.SECONDS);
            client.subscribe(topic + "/#", Qos.EXACTLY_ONCE, m -> all.countDown()).get(5, TimeUnit.SECONDS);
            for (int i = 0; i < 100; i++) {
                client.publish(topic + "/0", new byte[10], Qos.AT_MOST_ONCE, false);
            }
            CompletableFuture<?>[] acked = new CompletableFuture<?>[70];
            for (int i = 0; i < 50; i++) {
                acked[i] = client.publish(topic + "/1", new byte[20], Qos.AT_LEAST_ONCE, false);
            }
            for (int i = 0; i < 20; i++) {
                acked[50 + i] = client.publish(topic + "/2", new byte[30], Qos.EXACTLY_ONCE, false);
            }
            CompletableFuture.allOf(acked).get(10, TimeUnit.SECONDS);
            assertThat(all.await(10, TimeUnit.SECONDS)).as("every message came back").isTrue();
            Thread.sleep(1600); // a keep-alive interval and a half: at least one ping

            MqttMetrics.Snapshot s = metrics.snapshot();
            assertThat(s.messagesSent(Qos.AT_MOST_ONCE)).isEqualTo(100);
            assertThat(s.messagesSent(Qos.AT_LEAST_ONCE)).isEqualTo(50);
            assertThat(s.messagesSent(Qos.EXACTLY_ONCE)).isEqualTo(20);
            assertThat(s.bytesSent(Qos.AT_MOST_ONCE)).isEqualTo(1000);
            assertThat(s.bytesSent(Qos.AT_LEAST_ONCE)).isEqualTo(1000);
            assertThat(s.bytesSent(Qos.EXACTLY_ONCE)).isEqualTo(600);
            assertThat(s.messagesReceived(Qos.AT_MOST_ONCE)).isEqualTo(100);
            assertThat(s.messagesReceived(Qos.AT_LEAST_ONCE)).isEqualTo(50);
            assertThat(s.messagesReceived(Qos.EXACTLY_ONCE)).isEqualTo(20);
            assertThat(s.bytesReceived(Qos.EXACTLY_ONCE)).isEqualTo(600);
            assertThat(s.acknowledgementRoundTrip(Qos.AT_LEAST_ONCE).count()).isEqualTo(50);
            assertThat(s.acknowledgementRoundTrip(Qos.EXACTLY_ONCE).count()).isEqualTo(20);
            assertThat(s.acknowledgementRoundTrip(Qos.EXACTLY_ONCE).valueAt(50)).as("a QoS 2 round trip, µs")
                    .isPositive().isLessThan(5_000_000);
            assertThat(s.pingRoundTrip().count()).as("pings answered").isPositive();
            assertThat(s.inFlight()).isZero();
            assertThat(s.queued()).isZero();
            assertThat(s.dropped(MqttMetrics.Drop.EXPIRED)).isEqualTo(1);
            assertThat(s.connectionsMade()).isEqualTo(1);
            assertThat(s.connectionsLost()).isZero();

            proxy.cutAll(); // the connection drops; the client connects again
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (metrics.snapshot().connectionsMade() < 2 && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            s = metrics.snapshot();
            assertThat(s.connectionsMade()).isEqualTo(2);
            assertThat(s.connectionsLost()).isEqualTo(1);
            assertThat(s.connectionsLost(DisconnectReason.IO_ERROR) + s.connectionsLost(DisconnectReason.CLOSED_BY_SERVER))
                    .as("lost as a cut connection").isEqualTo(1);
            assertThat(s.reconnectAttempts()).isPositive();
        }
    }

    @Test
    void aClientWithoutMetricsAndOneThatRefusesAtItsBoundCountApart() throws Exception {
        MqttMetrics metrics = new MqttMetrics();
        try (AsyncMqttClient counted = AsyncMqttClient.builder(MqttClientConfig.builder()
                     .broker(BROKER.host(), BROKER.port()).clientId("m-" + UUID.randomUUID()).build())
                     .maxInflight(1).maxQueued(1).metrics(metrics).build();
             AsyncMqttClient uncounted = AsyncMqttClient.builder(MqttClientConfig.builder()
                     .broker(BROKER.host(), BROKER.port()).clientId("u-" + UUID.randomUUID()).build()).build()) {
            for (int i = 0; i < 5; i++) {
                counted.publish("metrics/bound", new byte[1], Qos.AT_LEAST_ONCE, false); // offline: 2 fit
            }
            uncounted.connect().get(5, TimeUnit.SECONDS);
            uncounted.publish("metrics/other", new byte[1], Qos.AT_LEAST_ONCE, false).get(5, TimeUnit.SECONDS);
            MqttMetrics.Snapshot s = metrics.snapshot();
            assertThat(s.dropped(MqttMetrics.Drop.QUEUE_FULL_REFUSED)).isEqualTo(3);
            assertThat(s.queued()).isEqualTo(2);
            assertThat(s.messagesSent(Qos.AT_LEAST_ONCE)).as("the other client's message").isZero();
        }
        assertThat(metrics.snapshot().queued()).as("a closed client's states are gone").isZero();
        assertThat(metrics.snapshot().dropped(MqttMetrics.Drop.QUEUE_FULL_REFUSED)).as("its counts stay").isEqualTo(3);
    }
}
