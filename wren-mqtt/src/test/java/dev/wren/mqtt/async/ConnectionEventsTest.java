package dev.wren.mqtt.async;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.MqttEvent;
import dev.wren.mqtt.Qos;
import dev.wren.testing.FaultyProxy;
import dev.wren.testing.Mosquitto;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Connection events reach the listener at once, whatever backlog slow handlers have (against Mosquitto). */
class ConnectionEventsTest {
    private static final Mosquitto BROKER = Mosquitto.shared();

    @Test
    void aLostConnectionIsReportedAtOnceWhileAHandlerIsBehindWithItsMessages() throws Exception {
        String topic = "events/" + UUID.randomUUID();
        CountDownLatch lost = new CountDownLatch(1);
        AtomicLong lostAt = new AtomicLong();
        AtomicInteger handled = new AtomicInteger();
        try (FaultyProxy proxy = FaultyProxy.to(BROKER.port());
             AsyncMqttClient sub = AsyncMqttClient.builder(MqttClientConfig.builder()
                             .broker(BROKER.host(), proxy.port()).clientId("events-sub").build())
                     .automaticReconnect(false)
                     .connectionListener(e -> {
                         if (e instanceof MqttEvent.Disconnect) {
                             lostAt.set(System.nanoTime());
                             lost.countDown();
                         }
                     }).build();
             AsyncMqttClient pub = AsyncMqttClient.builder(MqttClientConfig.builder()
                     .broker(BROKER.host(), BROKER.port()).clientId("events-pub").build()).build()) {
            sub.connect().get(5, TimeUnit.SECONDS);
            pub.connect().get(5, TimeUnit.SECONDS);
            sub.subscribe(topic, Qos.AT_MOST_ONCE, m -> {
                handled.incrementAndGet();
                Thread.sleep(100); // 100 messages: ten seconds of backlog
            }).get(5, TimeUnit.SECONDS);
            for (int i = 0; i < 100; i++) {
                pub.publish(topic, new byte[] {(byte) i}, Qos.AT_LEAST_ONCE, false).get(5, TimeUnit.SECONDS);
            }
            AsyncClientTest.await(() -> handled.get() >= 1, 5_000);
            long cutAt = System.nanoTime();
            proxy.cutAll();
            assertThat(lost.await(2, TimeUnit.SECONDS)).as("the listener was told of the lost connection").isTrue();
            assertThat(Duration.ofNanos(lostAt.get() - cutAt)).isLessThan(Duration.ofSeconds(1));
            assertThat(handled.get()).as("the handler is still behind").isLessThan(100);
        }
    }
}
