package dev.wren.mqtt.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.MqttEvent;
import dev.wren.mqtt.Qos;
import dev.wren.testing.Mosquitto;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The bound on received messages not yet handled ({@link AsyncMqttClientBuilder#maxPending}): a handler slower than
 * the stream makes the client stop reading, nothing is lost, the connection survives, and what the handlers hold
 * stays within the bound plus one read's worth.
 */
@Tag("broker") // starts Mosquitto: left out of the fast run
class InboundBackpressureTest {
    /** A broker of its own that queues without limit for a slow subscriber, as a broker with room to spare would. */
    private static final Mosquitto BROKER = Mosquitto.start("max_queued_messages 0", "max_queued_bytes 0",
            "max_inflight_messages 100");

    @AfterAll
    static void stop() {
        BROKER.close();
    }

    private static MqttClientConfig config(String id, boolean clean) {
        return MqttClientConfig.builder().broker(BROKER.host(), BROKER.port()).clientId(id).cleanSession(clean).build();
    }

    @Test
    void aOneMillisecondHandlerUnderAFloodOfQos1MessagesKeepsThePendingBytesBoundedAndLosesNothing() throws Exception {
        int size = 16 * 1024;
        int count = 1_600; // 25 MiB: ahead of the handler by far (1 ms each), which is what the bound is for
        long maxBytes = 2L << 20;
        String topic = "bp/" + UUID.randomUUID();
        AtomicInteger handled = new AtomicInteger();
        List<Integer> order = new CopyOnWriteArrayList<>();
        List<MqttEvent> connectionEvents = new CopyOnWriteArrayList<>();
        try (AsyncMqttClient sub = AsyncMqttClient.builder(config("bp-sub", true)).maxPending(1_000, maxBytes)
                .connectionListener(connectionEvents::add).build();
             AsyncMqttClient pub = AsyncMqttClient.builder(config("bp-pub", true)).build()) {
            sub.connect().get(5, TimeUnit.SECONDS);
            sub.subscribe(topic, Qos.AT_LEAST_ONCE, m -> {
                ByteBuffer p = m.payload();
                order.add(p.getInt(0));
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                handled.incrementAndGet();
            }).get(5, TimeUnit.SECONDS);
            pub.connect().get(5, TimeUnit.SECONDS);
            List<CompletableFuture<Void>> acks = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                byte[] payload = new byte[size];
                ByteBuffer.wrap(payload).putInt(i);
                acks.add(pub.publish(topic, payload, Qos.AT_LEAST_ONCE, false));
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            AsyncClientTest.await(() -> handled.get() == count, 60_000);
            InboundStats stats = sub.inboundStats();
            // one receive buffer's worth past the bound at most (it grows to 64 KiB), and the message it ends in
            assertThat(stats.peakBytes()).as("most payload bytes pending at once")
                    .isLessThanOrEqualTo(maxBytes + 64 * 1024 + size);
            assertThat(stats.pauses()).as("times reading stopped").isPositive();
            assertThat(stats.pendingMessages()).isZero();
            assertThat(order).hasSize(count);
            for (int i = 0; i < count; i++) {
                assertThat(order.get(i)).as("message %d in order", i).isEqualTo(i);
            }
            assertThat(sub.isConnected()).isTrue();
            assertThat(connectionEvents).noneMatch(e -> e instanceof MqttEvent.Disconnect);
        }
    }

    @Test
    void aStalledHandlerWithDropNewestKeepsTheBoundAndCountsTheQos0MessagesItDropped() throws Exception {
        String topic = "bp0/" + UUID.randomUUID();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        AtomicInteger handled = new AtomicInteger();
        try (AsyncMqttClient sub = AsyncMqttClient.builder(config("bp0-sub", true)).maxPending(10, 1L << 20)
                .inboundOverflow(InboundOverflow.DROP_NEWEST_QOS0).build();
             AsyncMqttClient pub = AsyncMqttClient.builder(config("bp0-pub", true)).build()) {
            sub.connect().get(5, TimeUnit.SECONDS);
            sub.subscribe(topic, Qos.AT_MOST_ONCE, m -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                handled.incrementAndGet();
            }).get(5, TimeUnit.SECONDS);
            pub.connect().get(5, TimeUnit.SECONDS);
            for (int i = 0; i < 100; i++) {
                pub.publish(topic, new byte[8], Qos.AT_MOST_ONCE, false);
            }
            AsyncClientTest.await(() -> sub.inboundStats().droppedQos0() == 90, 10_000);
            assertThat(sub.inboundStats().pendingMessages()).isEqualTo(10);
            release.countDown();
            AsyncClientTest.await(() -> handled.get() == 10, 5_000);
            assertThat(sub.inboundStats().pauses()).as("QoS 0 dropped, so reading never stopped").isZero();
        }
    }

    @Test
    void aStalledHandlerWithDropOldestKeepsTheNewestQos0Messages() throws Exception {
        String topic = "bp1/" + UUID.randomUUID();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        List<Integer> got = new CopyOnWriteArrayList<>();
        try (AsyncMqttClient sub = AsyncMqttClient.builder(config("bp1-sub", true)).maxPending(10, 1L << 20)
                .inboundOverflow(InboundOverflow.DROP_OLDEST_QOS0).build();
             AsyncMqttClient pub = AsyncMqttClient.builder(config("bp1-pub", true)).build()) {
            sub.connect().get(5, TimeUnit.SECONDS);
            java.util.concurrent.CountDownLatch firstBegun = new java.util.concurrent.CountDownLatch(1);
            sub.subscribe(topic, Qos.AT_MOST_ONCE, m -> {
                firstBegun.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                got.add(m.payload().getInt(0));
            }).get(5, TimeUnit.SECONDS);
            pub.connect().get(5, TimeUnit.SECONDS);
            pub.publish(topic, new byte[4], Qos.AT_MOST_ONCE, false); // message 0, whose handling stalls
            assertThat(firstBegun.await(5, TimeUnit.SECONDS)).isTrue();
            for (int i = 1; i < 100; i++) {
                byte[] p = new byte[4];
                ByteBuffer.wrap(p).putInt(i);
                pub.publish(topic, p, Qos.AT_MOST_ONCE, false);
            }
            // the first is being handled (stalled) and cannot be dropped; the other nine slots hold the newest
            AsyncClientTest.await(() -> sub.inboundStats().droppedQos0() == 90, 10_000);
            release.countDown();
            AsyncClientTest.await(() -> got.size() == 10, 5_000);
            assertThat(got).containsExactly(0, 91, 92, 93, 94, 95, 96, 97, 98, 99);
        }
    }

    @Test
    void whileReadingIsStoppedAPingrespBehindUnreadMessagesIsFoundAndTheConnectionLives() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        String qos0 = "300400017478"; // PUBLISH QoS 0, topic "t", payload "x"
        try (dev.wren.testing.FakeBroker broker = dev.wren.testing.FakeBroker.start(c -> {
            c.expect(dev.wren.testing.FakeBroker.CONNECT);
            c.send("20020000");
            for (int i = 0; i < 20; i++) {
                c.send(qos0); // far past the bound of 5: the client stops reading
            }
            c.expect(dev.wren.testing.FakeBroker.PINGREQ); // keep-alive 1 s: nothing sent meanwhile
            for (int i = 0; i < 20; i++) {
                c.send(qos0); // what the broker sent before the PINGRESP, still unread when it is due
            }
            c.send("d000");
            c.expect(dev.wren.testing.FakeBroker.PINGREQ); // alive past the 1.5 s ping timeout: it was found
            c.send("d000");
            release.countDown();
            c.expect(dev.wren.testing.FakeBroker.DISCONNECT);
        })) {
            AtomicInteger handled = new AtomicInteger();
            List<MqttEvent> events = new CopyOnWriteArrayList<>();
            try (AsyncMqttClient client = AsyncMqttClient.builder(MqttClientConfig.builder()
                            .broker(broker.host(), broker.port()).clientId("bp-ping")
                            .keepAlive(java.time.Duration.ofSeconds(1)).pingTimeout(java.time.Duration.ofMillis(1_500))
                            .build())
                    .automaticReconnect(false).maxPending(5, 1L << 20).connectionListener(events::add)
                    .fallbackHandler(m -> {
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        handled.incrementAndGet();
                    }).build()) {
                client.connect().get(5, TimeUnit.SECONDS);
                AsyncClientTest.await(() -> handled.get() == 40, 10_000);
                assertThat(client.isConnected()).isTrue();
                assertThat(events).noneMatch(e -> e instanceof MqttEvent.Disconnect);
                assertThat(client.inboundStats().pauses()).isPositive();
                client.disconnect().get(5, TimeUnit.SECONDS);
            }
            broker.await();
        }
    }

    @Test
    void aBoundBelowOneFailsAtBuildTimeNamingTheField() {
        assertThatThrownBy(() -> AsyncMqttClient.builder(config("x", true)).maxPending(0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxPending messages");
        assertThatThrownBy(() -> AsyncMqttClient.builder(config("x", true)).maxPending(1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxPending bytes");
    }
}
