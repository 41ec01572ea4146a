package dev.wren.mqtt.async;

import dev.wren.mqtt.MqttException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.MqttEvent;
import dev.wren.mqtt.Qos;
import dev.wren.testing.Mosquitto;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The asynchronous client against a real Mosquitto: futures, handlers, flow control, slow and failing handlers. */
@Tag("broker") // starts Mosquitto: left out of the fast run
class AsyncClientTest {
    private static final Mosquitto BROKER = Mosquitto.shared();

    static MqttClientConfig.Builder config(String id) {
        return MqttClientConfig.builder().broker(BROKER.host(), BROKER.port()).clientId(id);
    }

    static String topic() {
        return "async/" + UUID.randomUUID();
    }

    static void await(java.util.function.BooleanSupplier condition, long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within " + millis + " ms");
            }
            Thread.sleep(5);
        }
    }

    @ParameterizedTest
    @EnumSource(Qos.class)
    void futuresCompleteWhenTheBrokerAcknowledgesAndHandlersGetEveryMessageInOrder(Qos qos) throws Exception {
        String topic = topic();
        List<String> got = new CopyOnWriteArrayList<>();
        try (AsyncMqttClient sub = AsyncMqttClient.builder(config("a-sub-" + qos.code()).build()).build();
             AsyncMqttClient pub = AsyncMqttClient.builder(config("a-pub-" + qos.code()).build()).build()) {
            MqttEvent.ConnAck ack = sub.connect().get(5, TimeUnit.SECONDS);
            assertThat(ack.accepted()).isTrue();
            pub.connect().get(5, TimeUnit.SECONDS);
            MqttEvent.SubAck subAck = sub.subscribe(topic, qos, m -> got.add(m.payloadAsString())).get(5, TimeUnit.SECONDS);
            assertThat(subAck.returnCodes()).containsExactly(qos.code());
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                futures.add(pub.publish(topic, ("m" + i).getBytes(StandardCharsets.UTF_8), qos, false));
            }
            CompletableFuture.allOf(futures.toArray(new CompletableFuture[0])).get(10, TimeUnit.SECONDS);
            await(() -> got.size() == 500, 10_000);
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                expected.add("m" + i);
            }
            assertThat(got).containsExactlyElementsOf(expected);
            sub.unsubscribe(topic).get(5, TimeUnit.SECONDS);
            pub.disconnect().get(5, TimeUnit.SECONDS);
            assertThat(pub.isConnected()).isFalse();
        }
    }

    /** Whether the client's connection holds no buffer now, read through the private fields that lead to it. */
    static boolean buffersReleased(AsyncMqttClient c) throws ReflectiveOperationException {
        java.lang.reflect.Field conn = AsyncMqttClient.class.getDeclaredField("conn");
        conn.setAccessible(true);
        java.lang.reflect.Field client = AsyncConnection.class.getDeclaredField("client");
        client.setAccessible(true);
        java.lang.reflect.Field io = dev.wren.mqtt.MqttClient.class.getDeclaredField("io");
        io.setAccessible(true);
        Object mqttClient = client.get(conn.get(c));
        return mqttClient != null
                && ((dev.wren.mqtt.internal.client.ConnectionIo) io.get(mqttClient)).buffersReleased();
    }

    @Test
    void anIdleClientGivesUpItsBuffersAndStillReceivesAndSendsEveryMessageAfterwards() throws Exception {
        String topic = topic();
        List<String> got = new CopyOnWriteArrayList<>();
        try (AsyncMqttClient idle = AsyncMqttClient.builder(config("a-idle").build()).build();
             AsyncMqttClient other = AsyncMqttClient.builder(config("a-idle-peer").build()).build()) {
            idle.connect().get(5, TimeUnit.SECONDS);
            other.connect().get(5, TimeUnit.SECONDS);
            idle.subscribe(topic, Qos.AT_LEAST_ONCE, m -> got.add(m.payloadAsString())).get(5, TimeUnit.SECONDS);
            other.subscribe(topic + "/back", Qos.EXACTLY_ONCE, m -> got.add("back " + m.payloadAsString()))
                    .get(5, TimeUnit.SECONDS);
            assertThat(buffersReleased(idle)).isFalse();
            await(() -> {
                try {
                    return buffersReleased(idle);
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }, 8_000); // 5 s without a read or a write
            assertThat(idle.isConnected()).isTrue();
            // a message in: a receive buffer again; a message out (QoS 2, four packets): a transmit buffer again
            other.publish(topic, "in".getBytes(StandardCharsets.UTF_8), Qos.AT_LEAST_ONCE, false).get(5, TimeUnit.SECONDS);
            await(() -> got.contains("in"), 5_000);
            idle.publish(topic + "/back", "out".getBytes(StandardCharsets.UTF_8), Qos.EXACTLY_ONCE, false)
                    .get(5, TimeUnit.SECONDS);
            await(() -> got.contains("back out"), 5_000);
            assertThat(got).containsExactly("in", "back out");
        }
    }

    @Test
    void aQos0PublishWhileConnectedIsDoneWhenItReturnsAndTheArrayMayBeReusedAtOnce() throws Exception {
        String topic = topic();
        List<byte[]> got = new CopyOnWriteArrayList<>();
        try (AsyncMqttClient sub = AsyncMqttClient.builder(config("a-direct-sub").build()).build();
             AsyncMqttClient pub = AsyncMqttClient.builder(config("a-direct-pub").build()).build()) {
            sub.connect().get(5, TimeUnit.SECONDS);
            sub.subscribe(topic, Qos.AT_MOST_ONCE, m -> got.add(m.payloadBytes())).get(5, TimeUnit.SECONDS);
            pub.connect().get(5, TimeUnit.SECONDS);
            byte[] reused = new byte[1000]; // above MqttClient.SMALL_PAYLOAD: not copied by the core itself
            for (int i = 0; i < 50; i++) {
                java.util.Arrays.fill(reused, (byte) i);
                CompletableFuture<Void> f = pub.publish(topic, reused, Qos.AT_MOST_ONCE, false);
                // encoded into the transmit buffer on this thread: no hand-off to wait for
                assertThat(f).isCompleted();
            }
            java.util.Arrays.fill(reused, (byte) -1);
            await(() -> got.size() == 50, 5_000);
            for (int i = 0; i < 50; i++) {
                byte[] expected = new byte[1000];
                java.util.Arrays.fill(expected, (byte) i);
                assertThat(got.get(i)).as("message %d", i).isEqualTo(expected);
            }
        }
    }

    @Test
    void aLongTopicWithAMidSizePayloadIsPublishedThoughTheyDoNotFitTheBufferTogether() throws Exception {
        // over 3,000 topic bytes and 1,500 payload bytes: more than the 4,096-byte transmit buffer together, so the
        // payload cannot be copied in and is written from a copy of the array instead
        String topic = topic() + "/" + "t".repeat(3_000);
        List<byte[]> got = new CopyOnWriteArrayList<>();
        try (AsyncMqttClient sub = AsyncMqttClient.builder(config("a-long-sub").build()).build();
             AsyncMqttClient pub = AsyncMqttClient.builder(config("a-long-pub").build()).build()) {
            sub.connect().get(5, TimeUnit.SECONDS);
            sub.subscribe(topic, Qos.AT_MOST_ONCE, m -> got.add(m.payloadBytes())).get(5, TimeUnit.SECONDS);
            pub.connect().get(5, TimeUnit.SECONDS);
            byte[] payload = new byte[1_500];
            java.util.Arrays.fill(payload, (byte) 7);
            pub.publish(topic, payload, Qos.AT_MOST_ONCE, false).get(5, TimeUnit.SECONDS);
            java.util.Arrays.fill(payload, (byte) 0);
            await(() -> got.size() == 1, 5_000);
            byte[] expected = new byte[1_500];
            java.util.Arrays.fill(expected, (byte) 7);
            assertThat(got.get(0)).isEqualTo(expected);
        }
    }

    @Test
    void aPublishNeverOvertakesOneQueuedBeforeIt() throws Exception {
        // a window of one: most QoS 1 messages wait in the queue, and every later publish (QoS 0 or 1) must go
        // behind them, though the caller's thread could have sent it at once
        String topic = topic();
        List<String> got = new CopyOnWriteArrayList<>();
        try (AsyncMqttClient sub = AsyncMqttClient.builder(config("a-order-sub").build()).build();
             AsyncMqttClient pub = AsyncMqttClient.builder(config("a-order-pub").build()).maxInflight(1).build()) {
            sub.connect().get(5, TimeUnit.SECONDS);
            sub.subscribe(topic, Qos.AT_LEAST_ONCE, m -> got.add(m.payloadAsString())).get(5, TimeUnit.SECONDS);
            pub.connect().get(5, TimeUnit.SECONDS);
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                sent.add("m" + i);
                futures.add(pub.publish(topic, ("m" + i).getBytes(StandardCharsets.UTF_8), Qos.of(i % 3 == 2 ? 0 : 1),
                        false));
            }
            CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).get(10, TimeUnit.SECONDS);
            await(() -> got.size() == 300, 5_000);
            assertThat(got).containsExactlyElementsOf(sent);
        }
    }

    @Test
    void aPublishThatFillsTheWindowIsWrittenByTheCallerWithoutWaitingForTheEventLoop() throws Exception {
        // the caller's next publish must wait for an acknowledgement anyway, so the one that fills the window goes
        // out on the caller's thread
        whileThePublishersLoopIsBusy("a-window", 1, (pub, topic, got) -> {
            CompletableFuture<Void> published = pub.publish(topic, "fills".getBytes(StandardCharsets.UTF_8),
                    Qos.AT_LEAST_ONCE, false);
            assertThat(got.get(5, TimeUnit.SECONDS)).isEqualTo("fills");
            assertThat(published).isNotDone(); // its PUBACK waits for the loop, which is still busy
            return published;
        });
    }

    @Test
    void aThreadThatWaitsOnAPublishWritesItWithoutWaitingForTheEventLoop() throws Exception {
        // the window has room, so the publish itself leaves the message to the loop; the wait writes it
        whileThePublishersLoopIsBusy("a-waiter", 100, (pub, topic, got) -> {
            // QoS 1: Mosquitto forwards a QoS 2 message only once the PUBREL comes, which needs the busy loop
            CompletableFuture<Void> published = pub.publish(topic, "waited".getBytes(StandardCharsets.UTF_8),
                    Qos.AT_LEAST_ONCE, false);
            Thread waiter = new Thread(() -> {
                try {
                    published.get(10, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // the test asserts on the future itself
                }
            }, "a-waiter");
            waiter.start();
            assertThat(got.get(5, TimeUnit.SECONDS)).isEqualTo("waited");
            assertThat(published).isNotDone(); // its PUBACK waits for the loop, which is still busy
            return published;
        });
    }

    /** What a test does with the publisher while its event loop is kept busy; returns the future to await after. */
    private interface BusyLoopScenario {
        CompletableFuture<?> run(AsyncMqttClient pub, String topic, CompletableFuture<String> got) throws Exception;
    }

    /**
     * Runs {@code scenario} with a subscriber on the shared loop and a publisher on a loop of its own that a task
     * keeps busy until the scenario ends; then the future the scenario returns must complete.
     */
    private void whileThePublishersLoopIsBusy(String name, int maxInflight, BusyLoopScenario scenario)
            throws Exception {
        String topic = topic();
        CompletableFuture<String> got = new CompletableFuture<>();
        CountDownLatch loopBusy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (EventLoop loop = EventLoop.start(name + "-loop");
             AsyncMqttClient sub = AsyncMqttClient.builder(config(name + "-sub").build()).build();
             AsyncMqttClient pub = AsyncMqttClient.builder(config(name + "-pub").build()).eventLoop(loop)
                     .maxInflight(maxInflight).build()) {
            sub.connect().get(5, TimeUnit.SECONDS);
            sub.subscribe(topic, Qos.EXACTLY_ONCE, m -> got.complete(m.payloadAsString())).get(5, TimeUnit.SECONDS);
            pub.connect().get(5, TimeUnit.SECONDS);
            loop.execute(() -> {
                loopBusy.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(loopBusy.await(5, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<?> after;
            try {
                after = scenario.run(pub, topic, got);
            } finally {
                release.countDown();
            }
            after.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aHandlerOnTheDefaultCallbackThreadMayWaitForItsOwnPublishAndSubscribe() throws Exception {
        // the deadlock of Paho #310 and HiveMQ #460: a callback that waits for an acknowledgement whose completion
        // would be queued behind the callback itself, on the same single thread
        String topic = topic();
        CompletableFuture<String> outcome = new CompletableFuture<>();
        try (AsyncMqttClient client = AsyncMqttClient.builder(config("a-wait-in-handler").build()).build()) {
            client.connect().get(5, TimeUnit.SECONDS);
            client.subscribe(topic, Qos.AT_LEAST_ONCE, m -> {
                try {
                    client.publish(topic + "/reply", new byte[] {1}, Qos.EXACTLY_ONCE, false).get(5, TimeUnit.SECONDS);
                    client.blocking().timeout(Duration.ofSeconds(5)).subscribe(topic + "/more", Qos.AT_LEAST_ONCE, x -> { });
                    outcome.complete("acknowledged");
                } catch (Exception e) {
                    outcome.completeExceptionally(e);
                }
            }).get(5, TimeUnit.SECONDS);
            client.publish(topic, new byte[] {0}, Qos.AT_LEAST_ONCE, false);
            assertThat(outcome.get(15, TimeUnit.SECONDS)).isEqualTo("acknowledged");
        }
    }

    @Test
    void aClosedClientRefusesToConnectAgain() throws Exception {
        AsyncMqttClient client = AsyncMqttClient.builder(config("a-closed").build()).build();
        client.connect().get(5, TimeUnit.SECONDS);
        client.close();
        CompletableFuture<MqttEvent.ConnAck> again = client.connect();
        assertThatThrownBy(() -> again.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(IllegalStateException.class)
                .hasMessage("client closed");
        Thread.sleep(200);
        assertThat(client.isConnected()).isFalse();
    }

    @Test
    void blockingViewForScripts() throws Exception {
        String topic = topic();
        List<String> got = new CopyOnWriteArrayList<>();
        try (AsyncMqttClient client = AsyncMqttClient.builder(config("a-blocking").build()).build()) {
            BlockingMqttClient b = client.blocking().timeout(Duration.ofSeconds(5));
            assertThat(b.connect().accepted()).isTrue();
            b.subscribe(topic, Qos.AT_LEAST_ONCE, m -> got.add(m.payloadAsString()));
            b.publish(topic, "hello".getBytes(StandardCharsets.UTF_8), Qos.EXACTLY_ONCE, false);
            // the PUBCOMP that ends the wait and the delivery of the message to this client's own handler (on the
            // callback thread) come in either order
            await(() -> got.size() == 1, 5_000);
            b.disconnect();
        }
        assertThat(got).containsExactly("hello");
    }

    @Test
    void aFirstConnectThatFailsFailsTheFutureWithTheReason() throws Exception {
        int port = Mosquitto.freePort();
        try (AsyncMqttClient client = AsyncMqttClient.builder(MqttClientConfig.builder().broker("127.0.0.1", port)
                .build()).build()) {
            assertThatThrownBy(() -> client.connect().get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(MqttException.class).hasMessageContaining("IO_ERROR");
        }
    }

    @Test
    void publishesBeyondWindowAndQueueFailClearlyInsteadOfGrowingTheHeap() throws Exception {
        // offline (never connected): the window and the queue fill, the next publish fails at once
        try (AsyncMqttClient client = AsyncMqttClient.builder(config("a-full").build()).maxInflight(2).maxQueued(3)
                .build()) {
            List<CompletableFuture<Void>> accepted = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                accepted.add(client.publish(topic(), new byte[] {1}, Qos.AT_LEAST_ONCE, false));
            }
            CompletableFuture<Void> refused = client.publish(topic(), new byte[] {1}, Qos.AT_LEAST_ONCE, false);
            assertThat(refused).isCompletedExceptionally();
            assertThatThrownBy(refused::join).cause().isInstanceOf(QueueFullException.class)
                    .hasMessageContaining("5 messages");
            // once connected, the queued five go out and complete
            client.connect().get(5, TimeUnit.SECONDS);
            CompletableFuture.allOf(accepted.toArray(new CompletableFuture[0])).get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void backpressureBlocksTheCallerUntilThereIsRoom() throws Exception {
        try (AsyncMqttClient client = AsyncMqttClient.builder(config("a-block").build()).maxInflight(1).maxQueued(1)
                .blockWhenQueueFull(true).build()) {
            client.publish(topic(), new byte[] {1}, Qos.AT_LEAST_ONCE, false);
            client.publish(topic(), new byte[] {2}, Qos.AT_LEAST_ONCE, false);
            CompletableFuture<CompletableFuture<Void>> third = CompletableFuture.supplyAsync(
                    () -> client.publish(topic(), new byte[] {3}, Qos.AT_LEAST_ONCE, false));
            Thread.sleep(300);
            assertThat(third).isNotDone(); // the calling thread waits: nothing is refused, nothing grows
            client.connect().get(5, TimeUnit.SECONDS);
            third.get(5, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSlowHandlerDoesNotCostTheConnectionAndKeepsOrder() throws Exception {
        String topic = topic();
        List<String> got = new CopyOnWriteArrayList<>();
        List<MqttEvent.Disconnect> lost = new CopyOnWriteArrayList<>();
        try (AsyncMqttClient sub = AsyncMqttClient.builder(config("a-slow").keepAlive(Duration.ofSeconds(1))
                .pingTimeout(Duration.ofMillis(800)).build()).build();
             AsyncMqttClient pub = AsyncMqttClient.builder(config("a-slow-pub").build()).build()) {
            sub.connect().get(5, TimeUnit.SECONDS);
            pub.connect().get(5, TimeUnit.SECONDS);
            sub.subscribe(topic, Qos.AT_LEAST_ONCE, m -> {
                Thread.sleep(1_500); // much longer than the keep-alive
                got.add(m.payloadAsString());
            }).get(5, TimeUnit.SECONDS);
            for (int i = 0; i < 3; i++) {
                pub.publish(topic, ("slow" + i).getBytes(StandardCharsets.UTF_8), Qos.AT_LEAST_ONCE, false);
            }
            await(() -> got.size() == 3, 15_000);
            assertThat(got).containsExactly("slow0", "slow1", "slow2");
            assertThat(sub.isConnected()).isTrue();
        }
        assertThat(lost).isEmpty();
    }

    @Test
    void aFailingHandlerIsReportedAndTheConnectionStays() throws Exception {
        String topic = topic();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        List<String> got = new CopyOnWriteArrayList<>();
        try (AsyncMqttClient client = AsyncMqttClient.builder(config("a-fail").build()).errorHandler(errors::add)
                .build()) {
            client.connect().get(5, TimeUnit.SECONDS);
            client.subscribe(topic, Qos.AT_LEAST_ONCE, m -> {
                got.add(m.payloadAsString());
                if (m.payloadAsString().equals("bad")) {
                    throw new IllegalStateException("handler bug");
                }
            }).get(5, TimeUnit.SECONDS);
            client.publish(topic, "bad".getBytes(StandardCharsets.UTF_8), Qos.AT_LEAST_ONCE, false).get(5, TimeUnit.SECONDS);
            client.publish(topic, "good".getBytes(StandardCharsets.UTF_8), Qos.AT_LEAST_ONCE, false).get(5, TimeUnit.SECONDS);
            await(() -> got.size() == 2, 5_000);
            assertThat(errors).singleElement().extracting(Throwable::getMessage).isEqualTo("handler bug");
            assertThat(client.isConnected()).isTrue();
        }
    }

    @Test
    void messagesWithoutAHandlerGoToTheFallback() throws Exception {
        String topic = topic();
        List<String> fallback = new CopyOnWriteArrayList<>();
        try (AsyncMqttClient client = AsyncMqttClient.builder(config("a-fallback").build())
                .fallbackHandler(m -> fallback.add(m.topic())).build()) {
            client.connect().get(5, TimeUnit.SECONDS);
            client.subscribe(List.of(dev.wren.mqtt.Subscription.of(topic + "/#", Qos.AT_LEAST_ONCE)), null)
                    .get(5, TimeUnit.SECONDS);
            client.publish(topic + "/x", new byte[] {1}, Qos.AT_LEAST_ONCE, false).get(5, TimeUnit.SECONDS);
            await(() -> fallback.size() == 1, 5_000);
            assertThat(fallback).containsExactly(topic + "/x");
        }
    }

    @Test
    void withItsDefaultsTheClientsReceiveBufferGrowsTo64KiBUnlessTheConfigurationSetsALimit() {
        Options options = new Options(AsyncMqttClient.builder(config("a-limit").build()));
        assertThat(options.forCore(config("a-limit").build()).receiveBufferLimit()).isEqualTo(64 * 1024);
        assertThat(options.forCore(config("a-limit").receiveBufferSize(100_000).build()).receiveBufferLimit())
                .isEqualTo(100_000);
        assertThat(options.forCore(config("a-limit").receiveBufferLimit(4096).build()).receiveBufferLimit())
                .isEqualTo(4096); // set to the buffer size: a fixed buffer, as the poll-driven client keeps
    }

    @Test
    void withItsDefaultsTheClientsTransmitBufferGrowsTo64KiBUnlessTheConfigurationSetsALimit() {
        Options options = new Options(AsyncMqttClient.builder(config("a-limit").build()));
        assertThat(config("a-limit").build().transmitBufferLimit()).isZero(); // the poll-driven client: fixed
        assertThat(options.forCore(config("a-limit").build()).transmitBufferLimit()).isEqualTo(64 * 1024);
        assertThat(options.forCore(config("a-limit").transmitBufferSize(100_000).build()).transmitBufferLimit())
                .isEqualTo(100_000);
        assertThat(options.forCore(config("a-limit").transmitBufferLimit(4096).build()).transmitBufferLimit())
                .isEqualTo(4096);
    }

    @Test
    void messagesJustOverTheDefaultBufferAndOverTheGrowthLimitArriveWholeAndInOrder() throws Exception {
        String topic = topic();
        java.util.Random random = new java.util.Random(5);
        byte[][] sent = {new byte[5_000], new byte[1], new byte[70_000], new byte[4_090], new byte[65_000]};
        for (byte[] b : sent) {
            random.nextBytes(b);
        }
        List<byte[]> got = Collections.synchronizedList(new ArrayList<>());
        try (AsyncMqttClient sub = AsyncMqttClient.builder(config("a-grow").build()).build();
             AsyncMqttClient pub = AsyncMqttClient.builder(config("a-grow-pub").build()).build()) {
            sub.connect().get(5, TimeUnit.SECONDS);
            pub.connect().get(5, TimeUnit.SECONDS);
            sub.subscribe(topic, Qos.AT_LEAST_ONCE, m -> got.add(m.payloadBytes())).get(5, TimeUnit.SECONDS);
            for (byte[] b : sent) {
                pub.publish(topic, b, Qos.AT_LEAST_ONCE, false);
            }
            await(() -> got.size() == sent.length, 5_000);
            for (int i = 0; i < sent.length; i++) {
                assertThat(got.get(i)).as("message " + i + " of " + sent[i].length + " bytes").isEqualTo(sent[i]);
            }
        }
    }

    @Test
    void largeMessagesArriveWholeThroughSmallBuffers() throws Exception {
        String topic = topic();
        byte[] big = new byte[200_000];
        new java.util.Random(3).nextBytes(big);
        List<byte[]> got = Collections.synchronizedList(new ArrayList<>());
        try (AsyncMqttClient sub = AsyncMqttClient.builder(config("a-big").receiveBufferSize(256)
                .transmitBufferSize(256).build()).build();
             AsyncMqttClient pub = AsyncMqttClient.builder(config("a-big-pub").build()).build()) {
            sub.connect().get(5, TimeUnit.SECONDS);
            pub.connect().get(5, TimeUnit.SECONDS);
            sub.subscribe(topic, Qos.AT_LEAST_ONCE, m -> got.add(m.payloadBytes())).get(5, TimeUnit.SECONDS);
            pub.publish(topic, big, Qos.AT_LEAST_ONCE, false).get(5, TimeUnit.SECONDS);
            pub.publish(topic, new byte[] {7}, Qos.AT_LEAST_ONCE, false).get(5, TimeUnit.SECONDS);
            await(() -> got.size() == 2, 5_000);
            assertThat(got.get(0)).isEqualTo(big);
            assertThat(got.get(1)).containsExactly(7);
        }
    }

    /**
     * Makes a persistent session subscribed to {@code topic}, disconnects it, and publishes "queued0".."queued2" at
     * QoS 1 while it is offline; returns the session's configuration.
     */
    private static MqttClientConfig queueThreeForAnOfflineSession(String idPrefix, String topic) throws Exception {
        String id = idPrefix + UUID.randomUUID().toString().substring(0, 8);
        MqttClientConfig persistent = config(id).cleanSession(false).build();
        try (AsyncMqttClient first = AsyncMqttClient.builder(persistent).build()) {
            first.connect().get(5, TimeUnit.SECONDS);
            first.subscribe(topic, Qos.AT_LEAST_ONCE, m -> { }).get(5, TimeUnit.SECONDS);
            first.disconnect().get(5, TimeUnit.SECONDS);
        }
        try (AsyncMqttClient pub = AsyncMqttClient.builder(config(id + "-pub").build()).build()) {
            pub.connect().get(5, TimeUnit.SECONDS);
            for (int i = 0; i < 3; i++) {
                pub.publish(topic, ("queued" + i).getBytes(StandardCharsets.UTF_8), Qos.AT_LEAST_ONCE, false)
                        .get(5, TimeUnit.SECONDS);
            }
        }
        return persistent;
    }

    @Test
    void messagesOfAResumedSessionWaitForTheirHandlerInsteadOfVanishing() throws Exception {
        String topic = topic();
        MqttClientConfig persistent = queueThreeForAnOfflineSession("a-resume-", topic);
        List<String> got = new CopyOnWriteArrayList<>();
        try (AsyncMqttClient second = AsyncMqttClient.builder(persistent).build()) {
            assertThat(second.connect().get(5, TimeUnit.SECONDS).sessionPresent()).isTrue();
            Thread.sleep(300); // the queued messages arrive now, with no handler and no fallback: they are kept
            second.subscribe(topic, Qos.AT_LEAST_ONCE, m -> got.add(m.payloadAsString())).get(5, TimeUnit.SECONDS);
            await(() -> got.size() == 3, 5_000);
            assertThat(got).containsExactly("queued0", "queued1", "queued2");
            second.unsubscribe(topic).get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void messagesBeyondTheUnhandledBufferAreCountedNotSilentlyLost() throws Exception {
        String topic = topic();
        MqttClientConfig persistent = queueThreeForAnOfflineSession("a-drop-", topic);
        List<String> got = new CopyOnWriteArrayList<>();
        try (AsyncMqttClient second = AsyncMqttClient.builder(persistent).maxUnhandled(1).build()) {
            second.connect().get(5, TimeUnit.SECONDS);
            await(() -> second.droppedUnhandled() == 2, 5_000); // three arrive, one fits the buffer
            second.subscribe(topic, Qos.AT_LEAST_ONCE, m -> got.add(m.payloadAsString())).get(5, TimeUnit.SECONDS);
            await(() -> got.size() == 1, 5_000);
            assertThat(got).containsExactly("queued2");
            second.unsubscribe(topic).get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aGroupSpreadsClientsOverItsLoops() throws Exception {
        try (EventLoopGroup group = EventLoopGroup.start(Math.min(2, Runtime.getRuntime().availableProcessors()), "g");
             AsyncMqttClient a = AsyncMqttClient.builder(config("a-g1").build()).eventLoop(group).build();
             AsyncMqttClient b = AsyncMqttClient.builder(config("a-g2").build()).eventLoop(group).build()) {
            a.connect().get(5, TimeUnit.SECONDS);
            b.connect().get(5, TimeUnit.SECONDS);
            assertThat(a.isConnected() && b.isConnected()).isTrue();
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EventLoopGroup.start(
                Runtime.getRuntime().availableProcessors() + 1, "too-many")).hasMessageStartingWith("threads ");
    }

    @Test
    void reconnectDelaysDoubleFromMinToMaxWithJitterAround() {
        // random 0.5 means no jitter: the bare schedule
        assertThat(List.of(0, 1, 2, 3, 4, 5, 6, 40)).extracting(a ->
                ReconnectPolicy.delay(a, 1_000, 30_000, 0.25, 0.5))
                .containsExactly(1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 30_000L, 30_000L, 30_000L);
        // the extremes of the jitter: plus or minus 25 %
        assertThat(ReconnectPolicy.delay(2, 1_000, 30_000, 0.25, 0.0)).isEqualTo(3_000L);
        assertThat(ReconnectPolicy.delay(2, 1_000, 30_000, 0.25, 0.999_999)).isEqualTo(5_000L);
        // many failed attempts: the doubling cannot overflow past the cap
        assertThat(ReconnectPolicy.delay(1_000_000, 1_000, 30_000, 0, 0.5)).isEqualTo(30_000L);
    }

    @Test
    void messagesPublishedWhileOfflineGoOutInOrderOnceConnected() throws Exception {
        String topic = topic();
        List<String> got = new CopyOnWriteArrayList<>();
        try (AsyncMqttClient sub = AsyncMqttClient.builder(config("a-offline-sub").build()).build();
             AsyncMqttClient pub = AsyncMqttClient.builder(config("a-offline-pub").build()).maxInflight(3).build()) {
            sub.connect().get(5, TimeUnit.SECONDS);
            sub.subscribe(topic, Qos.EXACTLY_ONCE, m -> got.add(m.payloadAsString())).get(5, TimeUnit.SECONDS);
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            for (int i = 0; i < 30; i++) { // not connected yet: all wait in the queue
                futures.add(pub.publish(topic, ("off" + i).getBytes(StandardCharsets.UTF_8), Qos.of(1 + i % 2), false));
            }
            Thread.sleep(100);
            assertThat(futures).noneMatch(CompletableFuture::isDone);
            pub.connect().get(5, TimeUnit.SECONDS);
            CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).get(10, TimeUnit.SECONDS);
            await(() -> got.size() == 30, 5_000);
            // in order per QoS, as MQTT orders them [MQTT-4.6.0-6]: the broker releases QoS 2 messages on PUBREL,
            // so the two QoS levels may interleave
            List<String> qos1 = new ArrayList<>();
            List<String> qos2 = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                (i % 2 == 0 ? qos1 : qos2).add("off" + i);
            }
            assertThat(got).filteredOn(qos1::contains).containsExactlyElementsOf(qos1);
            assertThat(got).filteredOn(qos2::contains).containsExactlyElementsOf(qos2);
        }
    }

    @Test
    void withoutQueueingWhileDisconnectedAPublishWithNoConnectionFailsAtOnceAndNeverGoesOutLater() throws Exception {
        String topic = topic();
        List<String> got = new CopyOnWriteArrayList<>();
        try (AsyncMqttClient sub = AsyncMqttClient.builder(config("a-live-sub").build()).build();
             AsyncMqttClient pub = AsyncMqttClient.builder(config("a-live-pub").build())
                     .queueWhileDisconnected(false).build()) {
            sub.connect().get(5, TimeUnit.SECONDS);
            sub.subscribe(topic, Qos.AT_LEAST_ONCE, m -> got.add(m.payloadAsString())).get(5, TimeUnit.SECONDS);
            List<CompletableFuture<Void>> before = new ArrayList<>();
            for (Qos qos : Qos.values()) { // not connected yet
                before.add(pub.publish(topic, ("stale" + qos.code()).getBytes(StandardCharsets.UTF_8), qos, false));
            }
            for (CompletableFuture<Void> f : before) {
                assertThat(f).isCompletedExceptionally();
                assertThatThrownBy(f::join).hasCauseInstanceOf(NotConnectedException.class);
            }
            pub.connect().get(5, TimeUnit.SECONDS);
            pub.publish(topic, "live".getBytes(StandardCharsets.UTF_8), Qos.AT_LEAST_ONCE, false).get(5, TimeUnit.SECONDS);
            await(() -> got.contains("live"), 5_000);
            assertThat(got).containsExactly("live"); // a queued message would have gone out first, in order
            pub.disconnect().get(5, TimeUnit.SECONDS);
            CompletableFuture<Void> after = pub.publish(topic, "late".getBytes(StandardCharsets.UTF_8),
                    Qos.AT_MOST_ONCE, false);
            assertThatThrownBy(after::join).hasCauseInstanceOf(NotConnectedException.class)
                    .hasMessageContaining("nothing queued");
        }
    }

    @Test
    void aTransmitBufferThatFillsAndDrainsNeverStallsThePublisher() throws Exception {
        // Regression: pump() stopped on a full transmit buffer, its flush then drained the buffer, and with nothing
        // left to write the loop asked for no write readiness: the queue sat still until the next keep-alive ping.
        // Here every seventh write takes nothing, as a full socket would, and the next takes everything; keep-alive
        // is off, so a stall would never end and the get() below would time out.
        dev.wren.mqtt.TransportFactory tcp = dev.wren.mqtt.TransportFactory.tcp();
        dev.wren.mqtt.TransportFactory sometimesFull = (host, port) -> new SometimesFull(tcp.open(host, port), 7);
        try (AsyncMqttClient client = AsyncMqttClient.builder(config("a-drain").keepAlive(Duration.ZERO)
                .transmitBufferSize(256).transport(sometimesFull).build())
                .maxInflight(50).maxQueued(500).blockWhenQueueFull(true).build()) {
            client.connect().get(5, TimeUnit.SECONDS);
            byte[] payload = new byte[64];
            for (int round = 0; round < 10; round++) {
                CompletableFuture<Void> last = null;
                for (int i = 0; i < 5_000; i++) {
                    last = client.publish("a/drain", payload, Qos.AT_MOST_ONCE, false); // no acks to wake the loop
                }
                last.get(20, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aDisconnectTheSocketCannotTakeAtOnceGoesOutWhenItCanAndCompletes() throws Exception {
        // Regression: the DISCONNECT stayed in the transmit buffer when the socket took nothing at that moment, as
        // nothing asked the loop to wait for write readiness; the future waited for the disconnect deadline (the
        // connect timeout), and close() gave up after five seconds.
        dev.wren.mqtt.TransportFactory tcp = dev.wren.mqtt.TransportFactory.tcp();
        List<SometimesFull> transports = new CopyOnWriteArrayList<>();
        dev.wren.mqtt.TransportFactory full = (host, port) -> {
            SometimesFull t = new SometimesFull(tcp.open(host, port), 0);
            transports.add(t);
            return t;
        };
        try (AsyncMqttClient client = AsyncMqttClient.builder(config("a-full-disconnect").keepAlive(Duration.ZERO)
                .connectTimeout(Duration.ofSeconds(60)).transport(full).build()).build()) {
            client.connect().get(5, TimeUnit.SECONDS);
            transports.get(0).refuseNext = true;
            client.disconnect().get(3, TimeUnit.SECONDS);
            assertThat(client.isConnected()).isFalse();
            assertThat(transports.get(0).refuseNext).isFalse(); // the refused write did happen
        }
    }

    /**
     * A TCP transport whose every {@code every}th write (none when 0), and the next write once {@link #refuseNext}
     * is set, take nothing, like a socket whose send buffer is full.
     */
    private static final class SometimesFull extends dev.wren.mqtt.ForwardingTransport {
        private final int every;
        private int writes;
        volatile boolean refuseNext;

        SometimesFull(dev.wren.mqtt.Transport inner, int every) {
            super(inner);
            this.every = every;
        }

        @Override
        public long write(java.nio.ByteBuffer[] srcs, int offset, int length) throws java.io.IOException {
            if (refuseNext) {
                refuseNext = false;
                return 0;
            }
            return every > 0 && ++writes % every == 0 ? 0 : inner.write(srcs, offset, length);
        }
    }

    @Test
    void aClosedClientIsNotKeptReachableByItsPendingDeadlineTimer() throws Exception {
        java.lang.ref.WeakReference<Object> connection = closedClientsConnection();
        // its next deadline (buffers given up after 5 s without I/O; the ping after 60 s) is seconds away: only the
        // timer's detached call-back may still be pending then, holding nothing of the client
        long deadline = System.currentTimeMillis() + 3_000;
        while (connection.get() != null && System.currentTimeMillis() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
        assertThat(connection.get()).as("the closed client's connection, 3 s after close").isNull();
    }

    @Test
    void aClosedClientIsNotKeptReachableByAReconnectBackOffOfAMinute() throws Exception {
        assertCollectedSoonAfterClose(closedWhileWaiting(false));
    }

    @Test
    void aClosedClientIsNotKeptReachableByTheExpiryTimerOfAQueuedMessage() throws Exception {
        assertCollectedSoonAfterClose(closedWhileWaiting(true));
    }

    private static void assertCollectedSoonAfterClose(java.lang.ref.WeakReference<Object> connection)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + 3_000;
        while (connection.get() != null && System.currentTimeMillis() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
        assertThat(connection.get()).as("the closed client's connection, 3 s after close").isNull();
    }

    /**
     * A client whose first attempt is refused waits a minute to try again (its back-off timer pending); with
     * {@code queued}, a message waits in its queue with ten minutes to expire (the expiry timer pending too). Closed;
     * a weak reference to its connection state.
     */
    private static java.lang.ref.WeakReference<Object> closedWhileWaiting(boolean queued) throws Exception {
        int refused = dev.wren.testing.Mosquitto.freePort(); // nothing listens there
        AsyncMqttClient client = AsyncMqttClient.builder(MqttClientConfig.builder().broker("127.0.0.1", refused)
                        .clientId("a-waiting").build())
                .automaticReconnect(true).reconnectOnInitialFailure(true)
                .reconnectDelay(java.time.Duration.ofSeconds(60), java.time.Duration.ofSeconds(120)).build();
        client.connect();
        CompletableFuture<Void> message = queued ? client.publish("async/waiting", new byte[] {1}, Qos.AT_LEAST_ONCE,
                false, PublishOptions.builder().expiry(java.time.Duration.ofMinutes(10)).build()) : null;
        Thread.sleep(300); // the first attempt refused: the back-off timer is set
        client.close();
        if (message != null) {
            assertThat(message).failsWithin(5, TimeUnit.SECONDS);
        }
        java.lang.reflect.Field f = AsyncMqttClient.class.getDeclaredField("conn");
        f.setAccessible(true);
        return new java.lang.ref.WeakReference<>(f.get(client));
    }

    /** Connects, subscribes, disconnects and closes; returns a weak reference to the client's connection state. */
    private static java.lang.ref.WeakReference<Object> closedClientsConnection() throws Exception {
        AsyncMqttClient client = AsyncMqttClient.builder(config("a-unreachable").keepAlive(
                java.time.Duration.ofSeconds(60)).build()).build();
        client.connect().get(5, TimeUnit.SECONDS);
        client.subscribe(topic(), Qos.AT_MOST_ONCE, m -> { }).get(5, TimeUnit.SECONDS);
        client.disconnect().get(5, TimeUnit.SECONDS);
        client.close();
        java.lang.reflect.Field f = AsyncMqttClient.class.getDeclaredField("conn");
        f.setAccessible(true);
        return new java.lang.ref.WeakReference<>(f.get(client));
    }
}
