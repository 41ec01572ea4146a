package dev.wren.mqtt.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.MqttEvent;
import dev.wren.mqtt.ProtocolVersion;
import dev.wren.mqtt.Qos;
import dev.wren.testing.FaultyProxy;
import dev.wren.testing.Mosquitto;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * What happens to messages that cannot go out yet: per message an expiry and "only if connected"; per client bounds
 * in count and bytes with fail, block or drop-oldest, the memory and the file store alike. Against Mosquitto.
 */
@Tag("broker")
class OfflineQueueTest {
    private static final Mosquitto BROKER = Mosquitto.shared();

    private static MqttClientConfig.Builder config(String id) {
        return MqttClientConfig.builder().broker(BROKER.host(), BROKER.port()).clientId(id);
    }

    private static String id() {
        return "oq-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The store to test with: the memory store, or a file store in a fresh directory. */
    private static Function<AsyncMqttClientBuilder, AsyncMqttClientBuilder> store(String kind) throws Exception {
        if (kind.equals("memory")) {
            return b -> b.sessionStore(SessionStore.memory());
        }
        Path dir = Files.createTempDirectory("wren-oq");
        return b -> b.sessionStore(SessionStore.files(dir));
    }

    private static Throwable failure(CompletableFuture<?> f) {
        return catchThrowable(() -> f.get(5, TimeUnit.SECONDS)) instanceof ExecutionException e ? e.getCause() : null;
    }

    private static List<String> subscribe(AsyncMqttClient sub, String topic) throws Exception {
        List<String> got = new CopyOnWriteArrayList<>();
        sub.connect().get(5, TimeUnit.SECONDS);
        sub.subscribe(topic, Qos.AT_LEAST_ONCE, m -> got.add(StandardCharsets.UTF_8.decode(m.payload()).toString()))
                .get(5, TimeUnit.SECONDS);
        return got;
    }

    private static void awaitSize(List<?> list, int n) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (list.size() < n && System.nanoTime() < end) {
            Thread.sleep(10);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "file"})
    void aMessageNotSentWithinItsExpiryFailsOfflineAndIsNeverDelivered(String kind) throws Exception {
        String topic = "oq/" + UUID.randomUUID();
        try (AsyncMqttClient sub = AsyncMqttClient.builder(config(id()).build()).build();
             AsyncMqttClient pub = store(kind).apply(AsyncMqttClient.builder(config(id()).build())).build()) {
            List<String> got = subscribe(sub, topic);
            long start = System.nanoTime();
            CompletableFuture<Void> stale = pub.publish(topic, utf8("stale"), Qos.AT_LEAST_ONCE, false,
                    PublishOptions.builder().expiry(Duration.ofMillis(200)).build());
            CompletableFuture<Void> kept = pub.publish(topic, utf8("kept"), Qos.AT_LEAST_ONCE, false,
                    PublishOptions.builder().expiry(Duration.ofMinutes(1)).build());
            assertThat(failure(stale)).as("the expired message's future, while never connected")
                    .isInstanceOf(MessageExpiredException.class).hasMessageContaining("200 ms");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("it failed at its expiry")
                    .isBetween(150L, 3000L);
            assertThat(kept).isNotDone();
            pub.connect().get(5, TimeUnit.SECONDS);
            kept.get(5, TimeUnit.SECONDS);
            awaitSize(got, 1);
            Thread.sleep(200);
            assertThat(got).as("what the subscriber got").containsExactly("kept");
        }
    }

    @Test
    void withMqtt5AMessageGoesOutWithTheTimeItHasLeftAsItsMessageExpiry() throws Exception {
        String topic = "oq/" + UUID.randomUUID();
        CompletableFuture<MqttEvent.Publish> got = new CompletableFuture<>();
        try (AsyncMqttClient sub = AsyncMqttClient.builder(config(id()).protocolVersion(ProtocolVersion.MQTT_5)
                     .build()).build();
             AsyncMqttClient pub = AsyncMqttClient.builder(config(id()).protocolVersion(ProtocolVersion.MQTT_5)
                     .build()).build()) {
            sub.connect().get(5, TimeUnit.SECONDS);
            sub.subscribe(topic, Qos.AT_LEAST_ONCE, got::complete).get(5, TimeUnit.SECONDS);
            CompletableFuture<Void> f = pub.publish(topic, utf8("x"), Qos.AT_LEAST_ONCE, false,
                    PublishOptions.builder().expiry(Duration.ofSeconds(30)).build());
            Thread.sleep(1200); // queued, offline: part of its 30 s goes by before it is sent
            pub.connect().get(5, TimeUnit.SECONDS);
            f.get(5, TimeUnit.SECONDS);
            MqttEvent.Publish m = got.get(5, TimeUnit.SECONDS);
            assertThat(m.properties().messageExpiryInterval()).as("the message expiry the subscriber saw")
                    .isPresent();
            assertThat(m.properties().messageExpiryInterval().getAsLong()).isBetween(1L, 29L);
        }
    }

    @Test
    void onlyIfConnectedFailsAtOnceOfflineAndAQueuedOneFailsWhenTheConnectionDrops() throws Exception {
        String topic = "oq/" + UUID.randomUUID();
        PublishOptions live = PublishOptions.builder().onlyIfConnected(true).build();
        try (AsyncMqttClient sub = AsyncMqttClient.builder(config(id()).build()).build();
             FaultyProxy proxy = FaultyProxy.to(BROKER.port());
             AsyncMqttClient pub = AsyncMqttClient.builder(MqttClientConfig.builder().broker("127.0.0.1",
                     proxy.port()).clientId(id()).cleanSession(false).build()).maxInflight(1)
                     .reconnectDelay(Duration.ofMillis(100), Duration.ofMillis(200)).build()) {
            List<String> got = subscribe(sub, topic);
            assertThat(failure(pub.publish(topic, utf8("never"), Qos.AT_LEAST_ONCE, false, live)))
                    .as("offline").isInstanceOf(NotConnectedException.class);

            pub.connect().get(5, TimeUnit.SECONDS);
            proxy.swallowReplies(true); // the PUBACK never comes: the window of 1 stays full
            CompletableFuture<Void> inFlight = pub.publish(topic, utf8("in-flight"), Qos.AT_LEAST_ONCE, false);
            CompletableFuture<Void> liveOne = pub.publish(topic, utf8("live"), Qos.AT_LEAST_ONCE, false, live);
            CompletableFuture<Void> patient = pub.publish(topic, utf8("patient"), Qos.AT_LEAST_ONCE, false);
            Thread.sleep(200);
            proxy.swallowReplies(false);
            proxy.cutAll();
            assertThat(failure(liveOne)).as("queued, only for the connection that dropped")
                    .isInstanceOf(NotConnectedException.class);
            inFlight.get(10, TimeUnit.SECONDS); // re-sent on the resumed session
            patient.get(10, TimeUnit.SECONDS);
            awaitSize(got, 2);
            Thread.sleep(200);
            assertThat(got).as("what the subscriber got (the in-flight one may come twice, QoS 1)")
                    .contains("in-flight", "patient").doesNotContain("live", "never");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "file"})
    void theBoundInBytesRefusesAMessageThatWouldPassIt(String kind) throws Exception {
        try (AsyncMqttClient pub = store(kind).apply(AsyncMqttClient.builder(config(id()).build())
                .maxQueuedBytes(1000)).build()) {
            CompletableFuture<Void> a = pub.publish("oq/bytes", new byte[400], Qos.AT_LEAST_ONCE, false);
            CompletableFuture<Void> b = pub.publish("oq/bytes", new byte[400], Qos.AT_LEAST_ONCE, false);
            CompletableFuture<Void> c = pub.publish("oq/bytes", new byte[400], Qos.AT_LEAST_ONCE, false);
            assertThat(failure(c)).isInstanceOf(QueueFullException.class).hasMessageContaining("800 bytes")
                    .hasMessageContaining("1000");
            assertThat(a).isNotDone();
            assertThat(b).isNotDone();
            CompletableFuture<Void> small = pub.publish("oq/bytes", new byte[200], Qos.AT_MOST_ONCE, false);
            assertThat(small).as("a QoS 0 message that fits").isNotDone(); // queued, offline
            pub.connect().get(5, TimeUnit.SECONDS);
            CompletableFuture.allOf(a, b, small).get(5, TimeUnit.SECONDS);
            pub.publish("oq/bytes", new byte[400], Qos.AT_LEAST_ONCE, false).get(5, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "file"})
    void dropOldestMakesRoomByDroppingTheOldestUnsentMessage(String kind) throws Exception {
        String topic = "oq/" + UUID.randomUUID();
        Path dir = Files.createTempDirectory("wren-oq");
        SessionStore store = kind.equals("memory") ? SessionStore.memory() : SessionStore.files(dir);
        try (AsyncMqttClient sub = AsyncMqttClient.builder(config(id()).build()).build();
             AsyncMqttClient pub = AsyncMqttClient.builder(config(id()).build()).sessionStore(store)
                     .maxInflight(1).maxQueued(2).whenQueueFull(QueueFullPolicy.DROP_OLDEST).build()) {
            List<String> got = subscribe(sub, topic);
            CompletableFuture<?>[] f = new CompletableFuture<?>[5];
            for (int i = 0; i < 5; i++) {
                f[i] = pub.publish(topic, utf8("m" + i), Qos.AT_LEAST_ONCE, false);
            }
            assertThat(failure(f[0])).isInstanceOf(MessageDroppedException.class);
            assertThat(failure(f[1])).isInstanceOf(MessageDroppedException.class);
            if (kind.equals("file")) {
                Thread.sleep(200); // the store forgets them on its own thread
                try (var files = Files.list(dir)) {
                    assertThat(files.filter(p -> p.toString().endsWith(".msg")).count())
                            .as("messages the file store keeps").isEqualTo(3);
                }
            }
            pub.connect().get(5, TimeUnit.SECONDS);
            for (int i = 2; i < 5; i++) {
                f[i].get(5, TimeUnit.SECONDS);
            }
            awaitSize(got, 3);
            assertThat(got).containsExactly("m2", "m3", "m4");
        }
    }

    @Test
    void queuedQos0MessagesGoOutInOrderWithTheirTopicsAndRetainFlagsAmongQos1AndLargeOnes() throws Exception {
        // offline, so everything is queued: QoS 0 messages are kept in runs (several, as the burst is long), with
        // QoS 1 messages, a large QoS 0 one and a retained one between them
        String base = "oq/" + UUID.randomUUID();
        try (AsyncMqttClient sub = AsyncMqttClient.builder(config(id()).build()).build();
             AsyncMqttClient pub = AsyncMqttClient.builder(config(id()).build()).build()) {
            List<MqttEvent.Publish> got = new CopyOnWriteArrayList<>();
            sub.connect().get(5, TimeUnit.SECONDS);
            sub.subscribe(base + "/#", Qos.AT_MOST_ONCE, got::add).get(5, TimeUnit.SECONDS);
            List<CompletableFuture<Void>> futures = new java.util.ArrayList<>();
            List<String> expected = new java.util.ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                String topic = base + (i % 3 == 0 ? "/a" : "/b");
                String text = topic.substring(base.length()) + "-" + i + "-" + "x".repeat(i % 100);
                Qos qos = i % 500 == 7 ? Qos.AT_LEAST_ONCE : Qos.AT_MOST_ONCE;
                byte[] payload = i == 1234 ? utf8(text + "y".repeat(5000)) : utf8(text);
                futures.add(pub.publish(topic, payload, qos, i == 2998));
                expected.add(new String(payload, StandardCharsets.UTF_8));
            }
            assertThat(futures.get(0)).as("a QoS 0 message queued offline").isNotDone();
            pub.connect().get(5, TimeUnit.SECONDS);
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            awaitSize(got, 3000);
            // one subscription at QoS 0, one connection: the broker keeps the publisher's order
            assertThat(got).extracting(m -> StandardCharsets.UTF_8.decode(m.payload()).toString())
                    .containsExactlyElementsOf(expected);
            assertThat(got).extracting(MqttEvent.Publish::topic).allMatch(t -> t.equals(base + "/a")
                    || t.equals(base + "/b"));
            try (AsyncMqttClient late = AsyncMqttClient.builder(config(id()).build()).build()) {
                List<MqttEvent.Publish> retained = new CopyOnWriteArrayList<>();
                late.connect().get(5, TimeUnit.SECONDS);
                late.subscribe(base + "/#", Qos.AT_MOST_ONCE, retained::add).get(5, TimeUnit.SECONDS);
                awaitSize(retained, 1);
                assertThat(retained).as("the one message published with retain set").hasSize(1);
                assertThat(retained.get(0).retain()).isTrue();
                assertThat(StandardCharsets.UTF_8.decode(retained.get(0).payload()).toString())
                        .isEqualTo(expected.get(2998));
                pub.publish(base + "/b", new byte[0], Qos.AT_LEAST_ONCE, true).get(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void dropOldestDropsOneQueuedQos0MessageAtATimeAndClosingFailsTheRest() throws Exception {
        String topic = "oq/" + UUID.randomUUID();
        try (AsyncMqttClient sub = AsyncMqttClient.builder(config(id()).build()).build();
             AsyncMqttClient pub = AsyncMqttClient.builder(config(id()).build())
                     .maxInflight(1).maxQueued(2).whenQueueFull(QueueFullPolicy.DROP_OLDEST).build()) {
            List<String> got = subscribe(sub, topic);
            CompletableFuture<?>[] f = new CompletableFuture<?>[5];
            for (int i = 0; i < 5; i++) {
                f[i] = pub.publish(topic, utf8("m" + i), Qos.AT_MOST_ONCE, false);
            }
            assertThat(failure(f[0])).isInstanceOf(MessageDroppedException.class).hasMessageContaining(topic);
            assertThat(failure(f[1])).isInstanceOf(MessageDroppedException.class);
            assertThat(f[2]).isNotDone();
            pub.connect().get(5, TimeUnit.SECONDS);
            for (int i = 2; i < 5; i++) {
                f[i].get(5, TimeUnit.SECONDS);
            }
            awaitSize(got, 3);
            assertThat(got).containsExactly("m2", "m3", "m4");
        }
        try (AsyncMqttClient offline = AsyncMqttClient.builder(config(id()).build()).build()) {
            CompletableFuture<Void> a = offline.publish(topic, utf8("a"), Qos.AT_MOST_ONCE, false);
            CompletableFuture<Void> b = offline.publish(topic, utf8("b"), Qos.AT_MOST_ONCE, false);
            offline.close();
            assertThat(failure(a)).isInstanceOf(dev.wren.mqtt.MqttException.class).hasMessageContaining("not sent");
            assertThat(failure(b)).isInstanceOf(dev.wren.mqtt.MqttException.class);
        }
    }

    @Test
    void blockWaitsForRoomAndFailIsTheDefault() throws Exception {
        try (AsyncMqttClient failing = AsyncMqttClient.builder(config(id()).build()).maxInflight(1).maxQueued(0)
                .build();
             AsyncMqttClient blocking = AsyncMqttClient.builder(config(id()).build()).maxInflight(1).maxQueued(0)
                     .whenQueueFull(QueueFullPolicy.BLOCK).build()) {
            failing.publish("oq/block", utf8("1"), Qos.AT_LEAST_ONCE, false);
            assertThat(failure(failing.publish("oq/block", utf8("2"), Qos.AT_LEAST_ONCE, false)))
                    .isInstanceOf(QueueFullException.class);

            CompletableFuture<Void> first = blocking.publish("oq/block", utf8("1"), Qos.AT_LEAST_ONCE, false);
            CompletableFuture<CompletableFuture<Void>> second = CompletableFuture.supplyAsync(
                    () -> blocking.publish("oq/block", utf8("2"), Qos.AT_LEAST_ONCE, false));
            Thread.sleep(300);
            assertThat(second).as("the second publish call, while the first holds the only room").isNotDone();
            blocking.connect().get(5, TimeUnit.SECONDS);
            first.get(5, TimeUnit.SECONDS);
            second.get(5, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFileStoreDropsAtStartTheUnsentMessagesThatExpiredWhileTheProcessWasDown() throws Exception {
        Path dir = Files.createTempDirectory("wren-oq");
        String topic = "oq/" + UUID.randomUUID();
        String clientId = id();
        try (AsyncMqttClient first = AsyncMqttClient.builder(config(clientId).build())
                .sessionStore(SessionStore.files(dir)).build()) {
            first.publish(topic, utf8("short"), Qos.AT_LEAST_ONCE, false,
                    PublishOptions.builder().expiry(Duration.ofMillis(300)).build());
            first.publish(topic, utf8("long"), Qos.AT_LEAST_ONCE, false,
                    PublishOptions.builder().expiry(Duration.ofHours(1)).build());
        } // closed before the first expires: both stay in the directory
        Thread.sleep(400);
        try (AsyncMqttClient sub = AsyncMqttClient.builder(config(id()).build()).build();
             AsyncMqttClient second = AsyncMqttClient.builder(config(clientId).build())
                     .sessionStore(SessionStore.files(dir)).build()) {
            List<String> got = subscribe(sub, topic);
            second.connect().get(5, TimeUnit.SECONDS);
            awaitSize(got, 1);
            Thread.sleep(300);
            assertThat(got).containsExactly("long");
        }
    }
}
