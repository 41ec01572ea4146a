package dev.wren.mqtt.async;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.MqttEvent;
import dev.wren.mqtt.Qos;
import dev.wren.testing.FakeBroker;
import dev.wren.testing.FaultyProxy;
import dev.wren.testing.Mosquitto;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Connection events reach the listener at once, whatever backlog slow handlers have (against Mosquitto). */
@Tag("broker") // starts Mosquitto: left out of the fast run
class ConnectionEventsTest {
    private static final Mosquitto BROKER = Mosquitto.shared();

    @Test
    void aLostConnectionIsReportedAtOnceWhileAHandlerIsBehindWithItsMessages() throws Exception {
        String topic = "events/" + UUID.randomUUID();
        CountDownLatch lost = new CountDownLatch(1);
        AtomicLong lostAt = new AtomicLong();
        AtomicInteger handled = new AtomicInteger();
        // handlers on a thread of this test's, so that their backlog does not delay other tests' callbacks
        java.util.concurrent.ExecutorService handlers = java.util.concurrent.Executors.newSingleThreadExecutor();
        try (FaultyProxy proxy = FaultyProxy.to(BROKER.port());
             AsyncMqttClient sub = AsyncMqttClient.builder(MqttClientConfig.builder()
                             .broker(BROKER.host(), proxy.port()).clientId("events-sub").build())
                     .automaticReconnect(false).executor(handlers)
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
        } finally {
            handlers.shutdownNow();
        }
    }

    @Test
    void unknownAcknowledgementsAreCountedAndReportedAndTheConnectionStays() throws Exception {
        List<MqttEvent> seen = new CopyOnWriteArrayList<>();
        try (FakeBroker broker = FakeBroker.start(c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("20020000");
            c.send("40020031"); // PUBACK 49, never sent
            c.send("50020032"); // PUBREC 50, never sent
            if (c.expectWithId(FakeBroker.PUBREL) != 50) {
                throw new AssertionError("PUBREL for another identifier");
            }
            c.send("70020032");
            c.expect(FakeBroker.PUBLISH);
            c.send("40020001");
            c.expect(FakeBroker.DISCONNECT);
        });
             AsyncMqttClient client = AsyncMqttClient.builder(MqttClientConfig.builder()
                             .broker(broker.host(), broker.port()).clientId("unknown-acks").build())
                     .automaticReconnect(false).connectionListener(seen::add).build()) {
            client.connect().get(5, TimeUnit.SECONDS);
            AsyncClientTest.await(() -> client.unexpectedAcknowledgements() == 2, 5_000);
            client.publish("t", new byte[] {1}, Qos.AT_LEAST_ONCE, false).get(5, TimeUnit.SECONDS);
            client.disconnect().get(5, TimeUnit.SECONDS);
            broker.await();
            AsyncClientTest.await(() -> seen.size() == 4, 5_000);
            assertThat(seen).filteredOn(e -> e instanceof MqttEvent.UnexpectedAck).containsExactly(
                    new MqttEvent.UnexpectedAck("PUBACK", 49), new MqttEvent.UnexpectedAck("PUBREC", 50));
        }
    }
}
