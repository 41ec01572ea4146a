package dev.wren.mqtt.async;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.MqttEvent;
import dev.wren.mqtt.Qos;
import dev.wren.testing.FaultyProxy;
import dev.wren.testing.Mosquitto;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Automatic reconnect and session resumption, with the network cut at random moments by a proxy. */
@Tag("broker") // starts Mosquitto: left out of the fast run
class AsyncReconnectTest {
    private static final Mosquitto BROKER = Mosquitto.shared();
    private static final int MESSAGES = 20_000;

    private static AsyncMqttClientBuilder client(String id, int port) {
        return client(id, port, dev.wren.mqtt.ProtocolVersion.MQTT_3_1_1);
    }

    private static AsyncMqttClientBuilder client(String id, int port, dev.wren.mqtt.ProtocolVersion version) {
        return AsyncMqttClient.builder(MqttClientConfig.builder().broker("127.0.0.1", port).clientId(id)
                        .protocolVersion(version).cleanSession(false).keepAlive(Duration.ofSeconds(10)).connectTimeout(Duration.ofSeconds(3))
                        .build())
                .reconnectDelay(Duration.ofMillis(5), Duration.ofMillis(100))
                .maxInflight(200)
                .maxQueued(2_000)
                .blockWhenQueueFull(true);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = dev.wren.mqtt.ProtocolVersion.class,
            names = {"MQTT_3_1_1", "MQTT_5"})
    void noMessageIsLostAndNoQos2MessageIsDuplicatedAcrossFiftyForcedDisconnects(dev.wren.mqtt.ProtocolVersion version)
            throws Exception {
        String base = "faults/" + UUID.randomUUID();
        ConcurrentHashMap<Integer, AtomicInteger> qos1 = new ConcurrentHashMap<>();
        ConcurrentHashMap<Integer, AtomicInteger> qos2 = new ConcurrentHashMap<>();
        AtomicInteger subLost = new AtomicInteger();
        AtomicInteger pubLost = new AtomicInteger();
        try (FaultyProxy proxy = FaultyProxy.to(BROKER.port());
             AsyncMqttClient sub = client("faults-sub-" + UUID.randomUUID().toString().substring(0, 8), proxy.port(), version)
                     .connectionListener(e -> lost(e, subLost)).build();
             AsyncMqttClient pub = client("faults-pub-" + UUID.randomUUID().toString().substring(0, 8), proxy.port(), version)
                     .connectionListener(e -> lost(e, pubLost)).build()) {
            sub.connect().get(5, TimeUnit.SECONDS);
            pub.connect().get(5, TimeUnit.SECONDS);
            sub.subscribe(base + "/1", Qos.AT_LEAST_ONCE, m -> count(qos1, m)).get(5, TimeUnit.SECONDS);
            sub.subscribe(base + "/2", Qos.EXACTLY_ONCE, m -> count(qos2, m)).get(5, TimeUnit.SECONDS);

            AtomicBoolean publishing = new AtomicBoolean(true);
            Thread cutter = new Thread(() -> {
                java.util.Random r = new java.util.Random(11);
                while (publishing.get() || subLost.get() < 50 || pubLost.get() < 50) {
                    try {
                        Thread.sleep(40 + r.nextInt(120));
                    } catch (InterruptedException e) {
                        return;
                    }
                    proxy.cutAll();
                }
            }, "cutter");
            cutter.start();
            List<CompletableFuture<Void>> futures = new ArrayList<>(2 * MESSAGES);
            for (int i = 0; i < MESSAGES; i++) {
                byte[] payload = ByteBuffer.allocate(4).putInt(i).array();
                futures.add(pub.publish(base + "/1", payload, Qos.AT_LEAST_ONCE, false));
                futures.add(pub.publish(base + "/2", payload, Qos.EXACTLY_ONCE, false));
            }
            CompletableFuture.allOf(futures.toArray(new CompletableFuture[0])).get(240, TimeUnit.SECONDS);
            publishing.set(false);
            cutter.join(60_000);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while ((qos1.size() < MESSAGES || qos2.size() < MESSAGES) && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            assertThat(proxy.cuts()).isGreaterThanOrEqualTo(50);
            assertThat(subLost.get()).as("subscriber connections lost").isGreaterThanOrEqualTo(50);
            assertThat(pubLost.get()).as("publisher connections lost").isGreaterThanOrEqualTo(50);
            assertThat(qos1).as("QoS 1 messages received at least once").hasSize(MESSAGES);
            assertThat(qos2).as("QoS 2 messages received").hasSize(MESSAGES);
            List<Integer> duplicated = new ArrayList<>();
            qos2.forEach((k, v) -> {
                if (v.get() != 1) {
                    duplicated.add(k);
                }
            });
            assertThat(duplicated).as("QoS 2 messages delivered more than once").isEmpty();
            sub.unsubscribe(base + "/1", base + "/2").get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theBrokerRestartingWithPersistenceLosesNothing() throws Exception {
        String base = "restart/" + UUID.randomUUID();
        ConcurrentHashMap<Integer, AtomicInteger> got = new ConcurrentHashMap<>();
        try (Mosquitto broker = Mosquitto.start("persistence true", "autosave_interval 1")) {
            try (AsyncMqttClient sub = client("restart-sub", broker.port()).build();
                 AsyncMqttClient pub = client("restart-pub", broker.port()).build()) {
                sub.connect().get(5, TimeUnit.SECONDS);
                pub.connect().get(5, TimeUnit.SECONDS);
                sub.subscribe(base, Qos.EXACTLY_ONCE, m -> count(got, m)).get(5, TimeUnit.SECONDS);
                List<CompletableFuture<Void>> futures = new ArrayList<>();
                for (int i = 0; i < 2_000; i++) {
                    if (i == 700) {
                        broker.restart(); // SIGTERM: mosquitto saves its database, then starts again on the same port
                    }
                    futures.add(pub.publish(base, ByteBuffer.allocate(4).putInt(i).array(),
                            i % 2 == 0 ? Qos.AT_LEAST_ONCE : Qos.EXACTLY_ONCE, false));
                }
                CompletableFuture.allOf(futures.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (got.size() < 2_000 && System.nanoTime() < end) {
                    Thread.sleep(20);
                }
                assertThat(got).hasSize(2_000);
            }
        }
    }

    @Test
    void reconnectTriesTheServersInTurnAndCallsTheHookBeforeEachAttempt() throws Exception {
        int dead = Mosquitto.freePort();
        List<String> tried = new CopyOnWriteArrayList<>();
        try (AsyncMqttClient client = AsyncMqttClient.builder(MqttClientConfig.builder()
                        .broker("127.0.0.1", dead).clientId("servers").build())
                .servers(List.of("127.0.0.1:" + dead, "127.0.0.1:" + BROKER.port()))
                .reconnectOnInitialFailure(true)
                .reconnectDelay(Duration.ofMillis(10), Duration.ofMillis(50))
                .beforeReconnect((attempt, last, next) -> {
                    tried.add(next.port() + " after " + (last == null ? "-" : last.reason()));
                    return next;
                })
                .build()) {
            MqttEvent.ConnAck ack = client.connect().get(5, TimeUnit.SECONDS);
            assertThat(ack.accepted()).isTrue();
            assertThat(tried).first().asString().isEqualTo(BROKER.port() + " after IO_ERROR");
        }
    }

    @Test
    void subscriptionsAreMadeAgainWhenTheBrokerHasNoSession() throws Exception {
        String topic = "resub/" + UUID.randomUUID();
        List<String> got = new CopyOnWriteArrayList<>();
        try (FaultyProxy proxy = FaultyProxy.to(BROKER.port());
             AsyncMqttClient sub = AsyncMqttClient.builder(MqttClientConfig.builder().broker("127.0.0.1", proxy.port())
                     .clientId("resub").cleanSession(true).build())
                     .reconnectDelay(Duration.ofMillis(10), Duration.ofMillis(50)).build();
             AsyncMqttClient pub = AsyncMqttClient.builder(MqttClientConfig.builder()
                     .broker(BROKER.host(), BROKER.port()).clientId("resub-pub").build()).build()) {
            sub.connect().get(5, TimeUnit.SECONDS);
            pub.connect().get(5, TimeUnit.SECONDS);
            sub.subscribe(topic, Qos.AT_LEAST_ONCE, m -> got.add(m.payloadAsString())).get(5, TimeUnit.SECONDS);
            proxy.cutAll();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (got.isEmpty() && System.nanoTime() < end) {
                pub.publish(topic, "again".getBytes(), Qos.AT_LEAST_ONCE, false).get(5, TimeUnit.SECONDS);
                Thread.sleep(50);
            }
            assertThat(got).contains("again"); // clean session: the broker forgot; the client subscribed again
        }
    }

    private static void lost(MqttEvent e, AtomicInteger lost) {
        if (e instanceof MqttEvent.Disconnect) {
            lost.incrementAndGet();
        }
    }

    private static void count(ConcurrentHashMap<Integer, AtomicInteger> counts, MqttEvent.Publish m) {
        counts.computeIfAbsent(m.payload().getInt(), k -> new AtomicInteger()).incrementAndGet();
    }
}
