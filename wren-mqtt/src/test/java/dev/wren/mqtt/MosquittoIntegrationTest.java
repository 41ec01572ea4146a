package dev.wren.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.testing.Mosquitto;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Wren against a real Mosquitto, started by the test suite on a free loopback port with its own config. */
@Tag("broker") // starts Mosquitto: left out of the fast run
class MosquittoIntegrationTest {

    private static final Mosquitto BROKER = Mosquitto.shared();

    private static MqttClientConfig.Builder config(String id) {
        return MqttClientConfig.builder().broker(BROKER.host(), BROKER.port()).clientId(id)
                .keepAlive(Duration.ofSeconds(30));
    }

    private static String unique(String prefix) {
        return prefix + "/" + UUID.randomUUID();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Stream<Arguments> versionsAndQos() {
        List<Arguments> args = new ArrayList<>();
        for (ProtocolVersion v : ProtocolVersion.values()) {
            for (Qos q : Qos.values()) {
                args.add(Arguments.of(v, q));
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0} QoS {1}")
    @MethodSource("versionsAndQos")
    void publishesAndReceivesAtEveryQosInBothDirections(ProtocolVersion version, Qos qos) {
        String topic = unique("qos");
        Events subEvents = new Events();
        Events pubEvents = new Events();
        MqttClient sub = new MqttClient(config("sub-" + qos.code() + version.level()).protocolVersion(version).build(), subEvents);
        MqttClient pub = new MqttClient(config("pub-" + qos.code() + version.level()).protocolVersion(version).build(), pubEvents);
        Poll.connect(sub, subEvents);
        Poll.connect(pub, pubEvents);
        int subId = sub.subscribe(topic, qos);
        Poll.until(() -> subEvents.count(MqttEvent.SubAck.class) == 1, 5_000, sub);
        assertThat(subEvents.last(MqttEvent.SubAck.class)).isEqualTo(new MqttEvent.SubAck(subId, List.of(qos.code())));

        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(pub.publish(topic, utf8("message " + i), qos, false));
        }
        Poll.until(() -> subEvents.count(MqttEvent.Publish.class) == 20
                && (qos == Qos.AT_MOST_ONCE || pub.inflight() == 0)
                && (qos != Qos.EXACTLY_ONCE || subEvents.count(MqttEvent.PubRel.class) == 20), 10_000, sub, pub);

        List<MqttEvent.Publish> received = subEvents.of(MqttEvent.Publish.class);
        for (int i = 0; i < 20; i++) {
            MqttEvent.Publish p = received.get(i);
            assertThat(p.topic()).isEqualTo(topic);
            assertThat(p.qos()).isEqualTo(qos);
            assertThat(p.retain()).isFalse();
            assertThat(p.dup()).isFalse();
            assertThat(p.payloadLength()).isEqualTo(utf8("message " + i).length);
            assertThat(p.messageId() == 0).isEqualTo(qos == Qos.AT_MOST_ONCE);
        }
        if (qos == Qos.AT_LEAST_ONCE) {
            assertThat(pubEvents.of(MqttEvent.PubAck.class)).extracting(MqttEvent.PubAck::messageId)
                    .containsExactlyElementsOf(ids);
        } else if (qos == Qos.EXACTLY_ONCE) {
            assertThat(pubEvents.of(MqttEvent.PubRec.class)).extracting(MqttEvent.PubRec::messageId)
                    .containsExactlyElementsOf(ids);
            assertThat(pubEvents.of(MqttEvent.PubComp.class)).extracting(MqttEvent.PubComp::messageId)
                    .containsExactlyElementsOf(ids);
        } else {
            assertThat(ids).containsOnly(0);
        }
        pub.disconnect();
        sub.disconnect();
        assertThat(pubEvents.disconnect().reason()).isEqualTo(DisconnectReason.NORMAL);
        assertThat(subEvents.disconnect().reason()).isEqualTo(DisconnectReason.NORMAL);
    }

    @Test
    void payloadsAreDeliveredByteForByte() {
        String topic = unique("bytes");
        List<String> payloads = new ArrayList<>();
        Events subEvents = new Events().reacting((c, e) -> {
            if (e instanceof MqttEvent.Publish p) {
                payloads.add(new String(p.payloadBytes(), StandardCharsets.UTF_8));
            }
        });
        Events pubEvents = new Events();
        MqttClient sub = new MqttClient(config("bytes-sub").build(), subEvents);
        MqttClient pub = new MqttClient(config("bytes-pub").build(), pubEvents);
        Poll.connect(sub, subEvents);
        Poll.connect(pub, pubEvents);
        sub.subscribe(topic, Qos.AT_LEAST_ONCE);
        Poll.until(() -> subEvents.count(MqttEvent.SubAck.class) == 1, 5_000, sub);
        pub.publish(topic, utf8("héllo wörld ✓"), Qos.AT_LEAST_ONCE, false);
        pub.publish(topic, new byte[0], Qos.AT_MOST_ONCE, false);
        pub.publish(topic, utf8("x".repeat(3000)), Qos.AT_LEAST_ONCE, false);
        Poll.until(() -> payloads.size() == 3, 5_000, sub, pub);
        assertThat(payloads).containsExactly("héllo wörld ✓", "", "x".repeat(3000));
        pub.disconnect();
        sub.disconnect();
    }

    @Test
    void retainedMessageReachesLaterSubscribersFlaggedRetainedAndCanBeCleared() {
        String topic = unique("retained");
        Events pubEvents = new Events();
        MqttClient pub = new MqttClient(config("ret-pub").build(), pubEvents);
        Poll.connect(pub, pubEvents);
        pub.publish(topic, utf8("kept"), Qos.AT_LEAST_ONCE, true);
        Poll.until(() -> pubEvents.count(MqttEvent.PubAck.class) == 1, 5_000, pub);

        Events subEvents = new Events();
        MqttClient sub = new MqttClient(config("ret-sub").build(), subEvents);
        Poll.connect(sub, subEvents);
        sub.subscribe(topic, Qos.AT_LEAST_ONCE);
        Poll.until(() -> subEvents.count(MqttEvent.Publish.class) == 1, 5_000, sub);
        MqttEvent.Publish p = subEvents.last(MqttEvent.Publish.class);
        assertThat(p.retain()).isTrue();
        assertThat(p.payloadBytes()).isEqualTo(utf8("kept"));

        // a live message to a subscribed client is not flagged retained [MQTT-3.3.1-9]
        pub.publish(topic, utf8("live"), Qos.AT_LEAST_ONCE, true);
        Poll.until(() -> subEvents.count(MqttEvent.Publish.class) == 2, 5_000, sub, pub);
        assertThat(subEvents.last(MqttEvent.Publish.class).retain()).isFalse();

        // an empty retained message clears it [MQTT-3.3.1-10]
        pub.publish(topic, new byte[0], Qos.AT_LEAST_ONCE, true);
        Poll.until(() -> pubEvents.count(MqttEvent.PubAck.class) == 3, 5_000, pub);
        Events lateEvents = new Events();
        MqttClient late = new MqttClient(config("ret-late").build(), lateEvents);
        Poll.connect(late, lateEvents);
        late.subscribe(topic, Qos.AT_LEAST_ONCE);
        Poll.until(() -> lateEvents.count(MqttEvent.SubAck.class) == 1, 5_000, late);
        Poll.forMillis(300, late);
        assertThat(lateEvents.count(MqttEvent.Publish.class)).isZero();
        pub.disconnect();
        sub.disconnect();
        late.disconnect();
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void willIsPublishedAfterAbortButNotAfterDisconnect(ProtocolVersion version) {
        String willTopic = unique("will");
        Events watchEvents = new Events();
        MqttClient watcher = new MqttClient(config("will-watch" + version.level()).build(), watchEvents);
        Poll.connect(watcher, watchEvents);
        watcher.subscribe(willTopic, Qos.AT_LEAST_ONCE);
        Poll.until(() -> watchEvents.count(MqttEvent.SubAck.class) == 1, 5_000, watcher);

        Will will = new Will(willTopic, utf8("gone"), Qos.AT_LEAST_ONCE, false);
        Events politeEvents = new Events();
        MqttClient polite = new MqttClient(config("will-polite" + version.level()).protocolVersion(version).will(will).build(),
                politeEvents);
        Poll.connect(polite, politeEvents);
        polite.disconnect();
        Poll.forMillis(500, watcher);
        assertThat(watchEvents.count(MqttEvent.Publish.class)).isZero();

        Events rudeEvents = new Events();
        MqttClient rude = new MqttClient(config("will-rude" + version.level()).protocolVersion(version).will(will).build(),
                rudeEvents);
        Poll.connect(rude, rudeEvents);
        rude.abort();
        assertThat(rudeEvents.disconnect().reason()).isEqualTo(DisconnectReason.ABORTED);
        Poll.until(() -> watchEvents.count(MqttEvent.Publish.class) == 1, 5_000, watcher);
        MqttEvent.Publish p = watchEvents.last(MqttEvent.Publish.class);
        assertThat(p.topic()).isEqualTo(willTopic);
        assertThat(p.payloadBytes()).isEqualTo(utf8("gone"));
        watcher.disconnect();
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    void persistentSessionReceivesMessagesQueuedWhileOffline(ProtocolVersion version) {
        String topic = unique("offline");
        String id = "offline-" + UUID.randomUUID().toString().substring(0, 8);
        Events subEvents = new Events();
        MqttClient sub = new MqttClient(config(id).protocolVersion(version).cleanSession(false).build(), subEvents);
        Poll.connect(sub, subEvents);
        assertThat(subEvents.last(MqttEvent.ConnAck.class).sessionPresent()).isFalse();
        sub.subscribe(topic, Qos.EXACTLY_ONCE);
        Poll.until(() -> subEvents.count(MqttEvent.SubAck.class) == 1, 5_000, sub);
        sub.disconnect();

        Events pubEvents = new Events();
        MqttClient pub = new MqttClient(config("offline-pub").protocolVersion(version).build(), pubEvents);
        Poll.connect(pub, pubEvents);
        for (int i = 0; i < 5; i++) {
            pub.publish(topic, utf8("queued " + i), i % 2 == 0 ? Qos.AT_LEAST_ONCE : Qos.EXACTLY_ONCE, false);
        }
        Poll.until(() -> pub.inflight() == 0, 5_000, pub);
        pub.disconnect();

        subEvents.all.clear();
        sub.connect();
        Poll.until(() -> subEvents.count(MqttEvent.Publish.class) == 5, 5_000, sub);
        assertThat(subEvents.last(MqttEvent.ConnAck.class).sessionPresent()).isTrue();
        // the broker keeps order per topic and QoS [MQTT-4.6.0-6]; QoS 1 and QoS 2 may interleave
        assertThat(subEvents.of(MqttEvent.Publish.class)).filteredOn(p -> p.qos() == Qos.AT_LEAST_ONCE)
                .extracting(p -> new String(p.payloadBytes(), StandardCharsets.UTF_8))
                .containsExactly("queued 0", "queued 2", "queued 4");
        assertThat(subEvents.of(MqttEvent.Publish.class)).filteredOn(p -> p.qos() == Qos.EXACTLY_ONCE)
                .extracting(p -> new String(p.payloadBytes(), StandardCharsets.UTF_8))
                .containsExactly("queued 1", "queued 3");
        Poll.until(() -> subEvents.count(MqttEvent.PubRel.class) == 2, 5_000, sub);
        sub.disconnect();

        // clean up the stored session
        MqttClient cleaner = new MqttClient(config(id).protocolVersion(version).build(), new Events());
        Poll.connect(cleaner, new Events());
        cleaner.disconnect();
    }

    @Test
    void subscribesAndUnsubscribesOneHundredFilters() {
        String base = unique("many");
        List<Subscription> subs = new ArrayList<>();
        List<String> filters = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String f = i % 3 == 0 ? base + "/" + i + "/+" : i % 3 == 1 ? base + "/" + i + "/#" : base + "/" + i;
            subs.add(Subscription.of(f, Qos.of(i % 3)));
            filters.add(f);
        }
        Events events = new Events();
        // 256-byte buffers: the SUBSCRIBE of 100 filters (about 4.8 KB) is larger than the transmit buffer
        MqttClient client = new MqttClient(config("many").receiveBufferSize(256).transmitBufferSize(256).build(), events);
        Poll.connect(client, events);
        int id = client.subscribe(subs);
        Poll.until(() -> events.count(MqttEvent.SubAck.class) == 1, 5_000, client);
        MqttEvent.SubAck ack = events.last(MqttEvent.SubAck.class);
        assertThat(ack.messageId()).isEqualTo(id);
        assertThat(ack.returnCodes()).hasSize(100);
        for (int i = 0; i < 100; i++) {
            assertThat(ack.returnCodes().get(i)).isEqualTo(i % 3);
        }
        client.publish(base + "/3/x", utf8("a"), Qos.AT_MOST_ONCE, false);
        client.publish(base + "/4/x/y", utf8("b"), Qos.AT_MOST_ONCE, false);
        client.publish(base + "/5", utf8("c"), Qos.AT_MOST_ONCE, false);
        Poll.until(() -> events.count(MqttEvent.Publish.class) == 3, 5_000, client);

        int unsubId = client.unsubscribe(filters);
        Poll.until(() -> events.count(MqttEvent.UnsubAck.class) == 1, 5_000, client);
        assertThat(events.last(MqttEvent.UnsubAck.class).messageId()).isEqualTo(unsubId);
        client.publish(base + "/3/x", utf8("after"), Qos.AT_LEAST_ONCE, false);
        Poll.until(() -> client.inflight() == 0, 5_000, client);
        Poll.forMillis(200, client);
        assertThat(events.count(MqttEvent.Publish.class)).isEqualTo(3);
        client.disconnect();
    }

    @Test
    void keepAliveSendsPingsAndTheBrokerAnswers() {
        Events events = new Events();
        MqttClient client = new MqttClient(config("pinger").keepAlive(Duration.ofSeconds(1)).build(), events);
        Poll.connect(client, events);
        Poll.forMillis(3_500, client);
        assertThat(events.count(MqttEvent.PingResp.class)).isBetween(2, 4);
        assertThat(client.isConnected()).isTrue();
        assertThat(client.ping()).isTrue();
        int before = events.count(MqttEvent.PingResp.class);
        Poll.until(() -> events.count(MqttEvent.PingResp.class) == before + 1, 2_000, client);
        client.disconnect();
    }

    @Test
    void manualAcknowledgementsWorkAsInZephyr() {
        String topic = unique("manual");
        List<String> log = new ArrayList<>();
        Events subEvents = new Events().reacting((c, e) -> {
            if (e instanceof MqttEvent.Publish p && p.qos() == Qos.AT_LEAST_ONCE) {
                c.pubAck(p.messageId());
            } else if (e instanceof MqttEvent.Publish p && p.qos() == Qos.EXACTLY_ONCE) {
                c.pubRec(p.messageId());
            } else if (e instanceof MqttEvent.PubRel r) {
                c.pubComp(r.messageId());
            }
            log.add(e.getClass().getSimpleName());
        });
        Events pubEvents = new Events().reacting((c, e) -> {
            if (e instanceof MqttEvent.PubRec r) {
                c.pubRel(r.messageId());
            }
        });
        MqttClient sub = new MqttClient(config("manual-sub").manualAcks(true).build(), subEvents);
        MqttClient pub = new MqttClient(config("manual-pub").manualAcks(true).build(), pubEvents);
        Poll.connect(sub, subEvents);
        Poll.connect(pub, pubEvents);
        sub.subscribe(topic, Qos.EXACTLY_ONCE);
        Poll.until(() -> subEvents.count(MqttEvent.SubAck.class) == 1, 5_000, sub);
        pub.publish(topic, utf8("one"), Qos.AT_LEAST_ONCE, false);
        pub.publish(topic, utf8("two"), Qos.EXACTLY_ONCE, false);
        Poll.until(() -> pub.inflight() == 0 && subEvents.count(MqttEvent.PubRel.class) == 1, 5_000, sub, pub);
        assertThat(pubEvents.count(MqttEvent.PubComp.class)).isEqualTo(1);
        assertThat(log).containsSubsequence("Publish", "Publish", "PubRel");
        pub.disconnect();
        sub.disconnect();
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    void tenMegabytesRoundTripThroughTwoHundredFiftySixByteBuffersWithoutGrowingTheHeap(ProtocolVersion version) {
        String topic = unique("big");
        int size = 10 * 1024 * 1024;
        byte[] payload = new byte[size];
        new java.util.Random(1).nextBytes(payload);
        CRC32 sent = new CRC32();
        sent.update(payload);
        CRC32 received = new CRC32();
        ByteBuffer piece = ByteBuffer.allocateDirect(256);
        long[] got = {0};
        MqttEvent.Publish[] header = {null};
        Events subEvents = new Events().reacting((c, e) -> {
            if (e instanceof MqttEvent.Publish p) {
                header[0] = p;
            }
        });
        Events pubEvents = new Events();
        MqttClientConfig.Builder small = config("big").protocolVersion(version).receiveBufferSize(256).transmitBufferSize(256);
        MqttClient sub = new MqttClient(small.clientId("big-sub").build(), subEvents);
        MqttClient pub = new MqttClient(small.clientId("big-pub").build(), pubEvents);
        Poll.connect(sub, subEvents);
        Poll.connect(pub, pubEvents);
        sub.subscribe(topic, Qos.AT_LEAST_ONCE);
        Poll.until(() -> subEvents.count(MqttEvent.SubAck.class) == 1, 5_000, sub);

        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        int id = pub.publish(topic, payload, Qos.AT_LEAST_ONCE, false);
        assertThat(id).isPositive();
        Poll.until(() -> {
            got[0] += Poll.readArrivedPayload(sub, piece, received);
            return got[0] == size && pubEvents.count(MqttEvent.PubAck.class) == 1;
        }, 60_000, sub, pub);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(header[0].streamed()).isTrue();
        assertThat(header[0].payloadLength()).isEqualTo(size);
        assertThat(received.getValue()).isEqualTo(sent.getValue());
        assertThat(allocated).as("bytes allocated by the client thread").isLessThan(1024 * 1024);
        pub.disconnect();
        sub.disconnect();
    }

    @Test
    void threeClientsShareOneThread() {
        String topic = unique("three");
        Events a = new Events();
        Events b = new Events();
        Events c = new Events();
        MqttClient ca = new MqttClient(config("three-a").build(), a);
        MqttClient cb = new MqttClient(config("three-b").build(), b);
        MqttClient cc = new MqttClient(config("three-c").build(), c);
        ca.connect();
        cb.connect();
        cc.connect();
        Poll.until(() -> ca.isConnected() && cb.isConnected() && cc.isConnected(), 5_000, ca, cb, cc);
        ca.subscribe(topic, Qos.AT_LEAST_ONCE);
        cb.subscribe(topic, Qos.EXACTLY_ONCE);
        Poll.until(() -> a.count(MqttEvent.SubAck.class) == 1 && b.count(MqttEvent.SubAck.class) == 1, 5_000, ca, cb, cc);
        for (int i = 0; i < 50; i++) {
            cc.publish(topic, utf8("m" + i), Qos.of(i % 3), false);
        }
        Poll.until(() -> a.count(MqttEvent.Publish.class) == 50 && b.count(MqttEvent.Publish.class) == 50
                && cc.inflight() == 0, 10_000, ca, cb, cc);
        ca.disconnect();
        cb.disconnect();
        cc.disconnect();
    }

    @Test
    void inputStopsAfterAReadThatLeftRoomInsteadOfReadingAnEmptySocketAgain() throws Exception {
        int[] reads = {0};
        TransportFactory tcp = TransportFactory.tcp();
        TransportFactory counting = (host, port) -> {
            Transport inner = tcp.open(host, port);
            return (Transport) java.lang.reflect.Proxy.newProxyInstance(Transport.class.getClassLoader(),
                    new Class<?>[] {Transport.class}, (proxy, method, args) -> {
                        if (method.getName().equals("read")) {
                            reads[0]++;
                        }
                        try {
                            return method.invoke(inner, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        };
        Events events = new Events();
        MqttClient client = new MqttClient(config("short-read").transport(counting).build(), events);
        Poll.connect(client, events);
        String topic = unique("short-read");
        client.subscribe(topic, Qos.AT_MOST_ONCE);
        Poll.until(() -> events.count(MqttEvent.SubAck.class) == 1, 5_000, client);
        client.publish(topic, utf8("one small message"), Qos.AT_MOST_ONCE, false);
        client.flush();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (events.count(MqttEvent.Publish.class) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20); // let the broker's PUBLISH arrive whole before reading
            int before = reads[0];
            client.input();
            if (events.count(MqttEvent.Publish.class) == 1) {
                // 20-odd bytes into a 4 KB buffer: one read, and no second read to learn the socket is empty
                assertThat(reads[0] - before).isEqualTo(1);
            }
        }
        assertThat(events.count(MqttEvent.Publish.class)).isEqualTo(1);
        client.disconnect();
    }

    @Test
    void qos0PublishWithAReusedPayloadAllocatesNothingOnThePollDrivenPath() {
        Events events = new Events();
        MqttClient client = new MqttClient(config("zero-alloc").build(), events);
        Poll.connect(client, events);
        ByteBuffer payload = ByteBuffer.allocateDirect(64);
        String topic = unique("alloc");
        for (int i = 0; i < 20_000; i++) { // warm up: JIT, NIO's per-thread caches
            assertThat(client.publish(topic, payload, Qos.AT_MOST_ONCE, false)).isZero();
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        // the least of five rounds: a JIT deoptimization in one round allocates what compiled code had scalar-replaced
        // (a few hundred bytes, once); allocating per message would cost at least 160 KB in every round
        long least = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 10_000; i++) {
                client.publish(topic, payload, Qos.AT_MOST_ONCE, false);
            }
            least = Math.min(least, threads.getCurrentThreadAllocatedBytes() - before);
        }
        assertThat(least).as("bytes allocated by 10,000 QoS 0 publishes (least of five rounds)").isLessThan(1024);
        client.disconnect();
    }

    @Test
    void aTransmitBufferWithALimitTakesABurstThatAFixedOneRefusesAndItAllArrivesInOrder() {
        String topic = unique("burst");
        Events subEvents = new Events();
        MqttClient sub = new MqttClient(config("burst-sub").build(), subEvents);
        Poll.connect(sub, subEvents);
        sub.subscribe(topic, Qos.AT_MOST_ONCE);
        Poll.until(() -> subEvents.count(MqttEvent.SubAck.class) == 1, 5_000, sub);
        int[] accepted = new int[2];
        int total = 0;
        for (int limit : new int[] {0, 64 * 1024}) {
            Events pubEvents = new Events();
            MqttClientConfig.Builder b = config("burst-pub-" + limit);
            if (limit > 0) {
                b.transmitBufferLimit(limit);
            }
            MqttClient pub = new MqttClient(b.build(), pubEvents);
            Poll.connect(pub, pubEvents);
            pub.holdWrites(true); // nothing leaves: what is accepted sits in the transmit buffer
            int n = 0;
            while (n < 2_000 && pub.publish(topic, utf8(String.format("%05d", total + n)), Qos.AT_MOST_ONCE, false)
                    != MqttClient.WOULD_BLOCK) {
                n++;
            }
            accepted[limit == 0 ? 0 : 1] = n;
            total += n;
            pub.holdWrites(false);
            pub.flush();
            int expected = total;
            Poll.until(() -> subEvents.count(MqttEvent.Publish.class) == expected, 10_000, sub, pub);
            pub.disconnect();
            Poll.until(() -> !pub.isOpen(), 5_000, pub);
        }
        // a 5-byte message on this 42-character topic is a 51-byte packet: 80 fit 4 KB, 1,285 fit 64 KiB
        assertThat(accepted[0]).isEqualTo(4096 / 51);
        assertThat(accepted[1]).isEqualTo(64 * 1024 / 51);
        List<String> got = new ArrayList<>();
        for (MqttEvent e : subEvents.all) {
            if (e instanceof MqttEvent.Publish p) {
                got.add(new String(p.payloadBytes(), StandardCharsets.UTF_8));
            }
        }
        for (int i = 0; i < got.size(); i++) {
            assertThat(got.get(i)).isEqualTo(String.format("%05d", i));
        }
        sub.disconnect();
    }
}
