package dev.wren.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wren.mqtt.async.AsyncMqttClient;
import dev.wren.testing.Mosquitto;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * MQTT 5.0 against a real Mosquitto 2.0: properties end to end, what the broker grants and what the client asks,
 * topic aliases, subscription options and identifiers, shared subscriptions, reason codes, session takeover and
 * expiry. The poll-driven client is driven as an application would; the asynchronous client's futures are checked
 * where they carry MQTT 5.0 results.
 */
@Tag("broker") // starts Mosquitto: left out of the fast run
class Mqtt5MosquittoTest {

    private static final Mosquitto BROKER = Mosquitto.shared();

    private static MqttClientConfig.Builder config(Mosquitto broker, String id) {
        return MqttClientConfig.builder().broker(broker.host(), broker.port()).clientId(id)
                .protocolVersion(ProtocolVersion.MQTT_5).keepAlive(Duration.ofSeconds(30));
    }

    private static MqttClientConfig.Builder config(String id) {
        return config(BROKER, id);
    }

    private static String unique(String prefix) {
        return prefix + "/" + UUID.randomUUID();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static MqttClient connected(MqttClientConfig config, Events events) {
        MqttClient c = new MqttClient(config, events);
        Poll.connect(c, events);
        return c;
    }

    @Test
    void everyMessagePropertyArrivesAsSentWithTheSubscriptionIdentifier() {
        String topic = unique("props");
        Events subEvents = new Events();
        Events pubEvents = new Events();
        MqttClient sub = connected(config("p5-sub").build(), subEvents);
        MqttClient pub = connected(config("p5-pub").build(), pubEvents);
        sub.subscribe(List.of(Subscription.of(topic, Qos.AT_LEAST_ONCE)), 42, MqttProperties.none());
        Poll.until(() -> subEvents.count(MqttEvent.SubAck.class) == 1, 5_000, sub);
        MqttProperties props = MqttProperties.builder().messageExpiryInterval(3600).payloadIsUtf8(true)
                .contentType("text/plain").responseTopic("reply/here").correlationData(new byte[] {1, 2, 3})
                .userProperty("b", "1").userProperty("a", "2").userProperty("b", "3").build();
        pub.publish(topic, java.nio.ByteBuffer.wrap(utf8("hello")), Qos.AT_LEAST_ONCE, false, props);
        Poll.until(() -> subEvents.count(MqttEvent.Publish.class) == 1 && pub.inflight() == 0, 5_000, sub, pub);

        MqttEvent.Publish got = subEvents.last(MqttEvent.Publish.class);
        assertThat(got.payloadAsString()).isEqualTo("hello");
        MqttProperties p = got.properties();
        assertThat(p.payloadIsUtf8()).as(p.toString()).isTrue();
        assertThat(p.contentType()).contains("text/plain");
        assertThat(p.responseTopic()).contains("reply/here");
        assertThat(p.correlationData()).hasValueSatisfying(d -> assertThat(d).containsExactly(1, 2, 3));
        assertThat(p.userProperties()).containsExactly(new UserProperty("b", "1"), new UserProperty("a", "2"),
                new UserProperty("b", "3"));
        assertThat(p.subscriptionIdentifiers()).containsExactly(42);
        assertThat(p.messageExpiryInterval().orElseThrow()).isBetween(3590L, 3600L);
        assertThat(pubEvents.last(MqttEvent.PubAck.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        pub.disconnect();
        sub.disconnect();
    }

    @Test
    void theConnAckSaysWhatTheBrokerGrantsAndTheClientKeepsToIt() throws Exception {
        try (Mosquitto broker = Mosquitto.start("max_qos 1", "retain_available false", "max_keepalive 10",
                "max_inflight_messages 3", "max_topic_alias 2")) {
            Events events = new Events();
            MqttClient c = connected(config(broker, "grants").build(), events);
            MqttEvent.ConnAck a = events.last(MqttEvent.ConnAck.class);
            assertThat(a.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            assertThat(a.properties().maximumQos()).hasValue(1);
            assertThat(a.properties().retainAvailable()).contains(false);
            assertThat(a.properties().serverKeepAlive()).hasValue(10);
            assertThat(a.properties().receiveMaximum()).hasValue(3);
            assertThat(a.properties().topicAliasMaximum()).hasValue(2);
            assertThat(c.keepAliveTimeLeft()).as("the server's keep-alive of 10 s replaces the client's 30 s")
                    .isLessThanOrEqualTo(10_000);
            assertThatThrownBy(() -> c.publish("t", utf8("x"), Qos.EXACTLY_ONCE, false))
                    .hasMessageContaining("Maximum QoS of 1");
            assertThatThrownBy(() -> c.publish("t", utf8("x"), Qos.AT_MOST_ONCE, true))
                    .hasMessageContaining("retain");
            for (int i = 0; i < 3; i++) {
                assertThat(c.publish("window", utf8("m" + i), Qos.AT_LEAST_ONCE, false)).isPositive();
            }
            assertThat(c.sendWindowFull()).as("the broker's Receive Maximum of 3 is the send window").isTrue();
            Poll.until(() -> c.inflight() == 0, 5_000, c);
            c.disconnect();
        }
    }

    @Test
    void topicAliasesThatOutnumberTheBrokersMaximumStillReachTheRightTopics() throws Exception {
        try (Mosquitto broker = Mosquitto.start("max_topic_alias 2")) {
            String base = unique("alias");
            Events subEvents = new Events();
            Events pubEvents = new Events();
            MqttClient sub = connected(config(broker, "alias-sub").build(), subEvents);
            MqttClient pub = connected(config(broker, "alias-pub").build(), pubEvents);
            sub.subscribe(base + "/#", Qos.AT_LEAST_ONCE);
            Poll.until(() -> subEvents.count(MqttEvent.SubAck.class) == 1, 5_000, sub);
            // five topics over two aliases, in an order that reuses, evicts and reassigns them
            String[] order = {"a", "b", "a", "c", "a", "d", "b", "e", "a", "a", "c", "e"};
            for (int i = 0; i < order.length; i++) {
                pub.publish(base + "/" + order[i], utf8(order[i] + i), Qos.AT_LEAST_ONCE, false);
                Poll.until(() -> pub.inflight() == 0, 5_000, pub, sub);
            }
            Poll.until(() -> subEvents.count(MqttEvent.Publish.class) == order.length, 5_000, sub, pub);
            List<String> got = subEvents.of(MqttEvent.Publish.class).stream()
                    .map(p -> p.topic().substring(base.length() + 1) + "=" + p.payloadAsString()).toList();
            for (int i = 0; i < order.length; i++) {
                assertThat(got.get(i)).isEqualTo(order[i] + "=" + order[i] + i);
            }
            pub.disconnect();
            sub.disconnect();
        }
    }

    @Test
    void noLocalAndRetainHandlingAreHonouredByTheBroker() {
        String topic = unique("options");
        Events events = new Events();
        MqttClient c = connected(config("options").build(), events);
        c.publish(topic + "/retained", utf8("kept"), Qos.AT_LEAST_ONCE, true);
        Poll.until(() -> c.inflight() == 0, 5_000, c);
        c.subscribe(List.of(new Subscription(topic + "/retained", Qos.AT_LEAST_ONCE)
                        .withRetainHandling(Subscription.RetainHandling.DO_NOT_SEND),
                new Subscription(topic + "/own", Qos.AT_LEAST_ONCE).withNoLocal(true),
                new Subscription(topic + "/echo", Qos.AT_LEAST_ONCE)), 0, MqttProperties.none());
        Poll.until(() -> events.count(MqttEvent.SubAck.class) == 1, 5_000, c);
        c.publish(topic + "/own", utf8("not back to me"), Qos.AT_LEAST_ONCE, false);
        c.publish(topic + "/echo", utf8("back to me"), Qos.AT_LEAST_ONCE, false);
        Poll.until(() -> events.count(MqttEvent.Publish.class) >= 1 && c.inflight() == 0, 5_000, c);
        c.ping();
        Poll.until(() -> events.count(MqttEvent.PingResp.class) > 0, 5_000, c); // everything before it has arrived
        assertThat(events.of(MqttEvent.Publish.class)).extracting(MqttEvent.Publish::payloadAsString)
                .containsExactly("back to me");
        c.publish(topic + "/retained", new byte[0], Qos.AT_LEAST_ONCE, true); // clears the retained message
        Poll.until(() -> c.inflight() == 0, 5_000, c);
        c.disconnect();
    }

    @Test
    void aSharedSubscriptionSplitsTheMessagesBetweenItsMembers() {
        String topic = unique("shared");
        Events a = new Events();
        Events b = new Events();
        Events pubEvents = new Events();
        MqttClient ca = connected(config("share-a").build(), a);
        MqttClient cb = connected(config("share-b").build(), b);
        MqttClient pub = connected(config("share-pub").build(), pubEvents);
        ca.subscribe("$share/group/" + topic, Qos.AT_LEAST_ONCE);
        cb.subscribe("$share/group/" + topic, Qos.AT_LEAST_ONCE);
        Poll.until(() -> a.count(MqttEvent.SubAck.class) == 1 && b.count(MqttEvent.SubAck.class) == 1, 5_000, ca, cb);
        for (int i = 0; i < 20; i++) {
            pub.publish(topic, utf8("m" + i), Qos.AT_LEAST_ONCE, false);
        }
        Poll.until(() -> a.count(MqttEvent.Publish.class) + b.count(MqttEvent.Publish.class) == 20, 10_000,
                ca, cb, pub);
        Set<String> all = java.util.stream.Stream.concat(a.of(MqttEvent.Publish.class).stream(),
                b.of(MqttEvent.Publish.class).stream()).map(MqttEvent.Publish::payloadAsString)
                .collect(Collectors.toSet());
        assertThat(all).hasSize(20);
        assertThat(a.count(MqttEvent.Publish.class)).as("each member gets a share").isPositive();
        assertThat(b.count(MqttEvent.Publish.class)).isPositive();
        ca.disconnect();
        cb.disconnect();
        pub.disconnect();
    }

    @Test
    void unsubscribeReportsAReasonPerFilter() {
        String topic = unique("unsub");
        Events events = new Events();
        MqttClient c = connected(config("unsub").build(), events);
        c.subscribe(topic, Qos.AT_MOST_ONCE);
        Poll.until(() -> events.count(MqttEvent.SubAck.class) == 1, 5_000, c);
        c.unsubscribe(List.of(topic, topic + "/never"), MqttProperties.none());
        Poll.until(() -> events.count(MqttEvent.UnsubAck.class) == 1, 5_000, c);
        assertThat(events.last(MqttEvent.UnsubAck.class).reasonCodes()).containsExactly(ReasonCode.SUCCESS,
                ReasonCode.NO_SUBSCRIPTION_EXISTED);
        c.disconnect();
    }

    @Test
    void theSessionLastsAsLongAsItsExpiryIntervalAndNoLonger() throws Exception {
        String topic = unique("expiry");
        Events events = new Events();
        MqttClient c = connected(config("expiry").cleanSession(false).sessionExpiryInterval(1).build(), events);
        c.disconnect();
        MqttClient again = connected(config("expiry").cleanSession(false).sessionExpiryInterval(1).build(), events);
        assertThat(events.last(MqttEvent.ConnAck.class).sessionPresent()).as("within the interval").isTrue();
        again.disconnect();
        Thread.sleep(2_500); // the interval passes: the broker discards the session
        MqttClient late = connected(config("expiry").cleanSession(false).sessionExpiryInterval(1).build(), events);
        assertThat(events.last(MqttEvent.ConnAck.class).sessionPresent()).as("after the interval").isFalse();
        late.disconnect(ReasonCode.NORMAL_DISCONNECTION, MqttClient.sessionExpiry(0)); // and none kept now
        assertThat(events.disconnect().reasonCode()).isEqualTo(ReasonCode.NORMAL_DISCONNECTION);
        assertThat(topic).isNotEmpty();
    }

    @Test
    void theClientsReceiveMaximumHoldsTheBrokerBackAndNothingIsLostWhenItsExcessIsTaken() {
        String topic = unique("recvmax");
        Events subEvents = new Events();
        Events pubEvents = new Events();
        // Mosquitto 2.0.11 keeps to a Receive Maximum of 2 at first, but was seen to send four messages on the next
        // two PUBACKs: enforcement off, the client takes them (with it on, Mqtt5ProtocolTest shows the 0x93)
        MqttClient sub = connected(config("rm-sub").receiveMaximum(2).deferredAcks(true).enforceReceiveMaximum(false)
                .build(), subEvents);
        MqttClient pub = connected(config("rm-pub").build(), pubEvents);
        sub.subscribe(topic, Qos.AT_LEAST_ONCE);
        Poll.until(() -> subEvents.count(MqttEvent.SubAck.class) == 1, 5_000, sub);
        for (int i = 0; i < 6; i++) {
            pub.publish(topic, utf8("m" + i), Qos.AT_LEAST_ONCE, false);
        }
        Poll.until(() -> pub.inflight() == 0 && subEvents.count(MqttEvent.Publish.class) >= 2, 5_000, pub, sub);
        sub.ping();
        Poll.until(() -> subEvents.count(MqttEvent.PingResp.class) > 0, 5_000, sub, pub);
        assertThat(subEvents.count(MqttEvent.Publish.class)).as("two unacknowledged at most").isEqualTo(2);
        while (subEvents.count(MqttEvent.Publish.class) < 6) {
            int before = subEvents.count(MqttEvent.Publish.class);
            for (MqttEvent.Publish p : subEvents.of(MqttEvent.Publish.class)) {
                sub.acknowledge(p.messageId());
            }
            Poll.until(() -> subEvents.count(MqttEvent.Publish.class) > before, 5_000, sub, pub);
        }
        for (MqttEvent.Publish p : subEvents.of(MqttEvent.Publish.class)) {
            sub.acknowledge(p.messageId());
        }
        assertThat(subEvents.of(MqttEvent.Publish.class)).extracting(MqttEvent.Publish::payloadAsString)
                .containsExactly("m0", "m1", "m2", "m3", "m4", "m5");
        assertThat(subEvents.count(MqttEvent.Disconnect.class)).isZero();
        pub.disconnect();
        sub.disconnect();
    }

    @Test
    void theAsyncClientsUnsubscribeCarriesReasonCodesAndItsDisconnectCanAskForTheWill() throws Exception {
        String topic = unique("async5");
        Events watcherEvents = new Events();
        MqttClient watcher = connected(config("will-watcher").build(), watcherEvents);
        watcher.subscribe(topic + "/will", Qos.AT_LEAST_ONCE);
        Poll.until(() -> watcherEvents.count(MqttEvent.SubAck.class) == 1, 5_000, watcher);
        try (AsyncMqttClient c = AsyncMqttClient.builder(config("async5").will(new Will(topic + "/will",
                utf8("gone"), Qos.AT_LEAST_ONCE, false)).build()).build()) {
            c.connect().get(5, TimeUnit.SECONDS);
            c.subscribe(topic, Qos.AT_MOST_ONCE, m -> { }).get(5, TimeUnit.SECONDS);
            MqttEvent.UnsubAck ack = c.unsubscribe(List.of(topic, topic + "/never")).get(5, TimeUnit.SECONDS);
            assertThat(ack.reasonCodes()).containsExactly(ReasonCode.SUCCESS, ReasonCode.NO_SUBSCRIPTION_EXISTED);
            c.disconnect(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE, null).get(5, TimeUnit.SECONDS);
        }
        Poll.until(() -> watcherEvents.count(MqttEvent.Publish.class) == 1, 5_000, watcher);
        assertThat(watcherEvents.last(MqttEvent.Publish.class).payloadAsString()).as("the will, asked for")
                .isEqualTo("gone");
        watcher.disconnect();
    }

    @Test
    void aDelayedWillWaitsItsDelayAndIsNotSentWhenTheClientComesBackFirst() {
        String topic = unique("willdelay");
        Events watcherEvents = new Events();
        MqttClient watcher = connected(config("wd-watcher").build(), watcherEvents);
        watcher.subscribe(topic, Qos.AT_LEAST_ONCE);
        Poll.until(() -> watcherEvents.count(MqttEvent.SubAck.class) == 1, 5_000, watcher);
        Will will = new Will(topic, utf8("late"), Qos.AT_LEAST_ONCE, false).withDelay(1)
                .withProperties(MqttProperties.builder().contentType("text/plain").build());
        MqttClientConfig withWill = config("wd").will(will).cleanSession(false).sessionExpiryInterval(60).build();

        Events first = new Events();
        MqttClient c = connected(withWill, first);
        c.abort(); // no DISCONNECT: the will is due, after its delay
        long lost = System.nanoTime();
        Poll.until(() -> watcherEvents.count(MqttEvent.Publish.class) == 1, 5_000, watcher);
        assertThat((System.nanoTime() - lost) / 1_000_000).as("published after the delay of 1 s")
                .isGreaterThanOrEqualTo(900);
        MqttEvent.Publish w = watcherEvents.last(MqttEvent.Publish.class);
        assertThat(w.payloadAsString()).isEqualTo("late");
        assertThat(w.properties().contentType()).contains("text/plain");

        Events second = new Events();
        MqttClient again = connected(withWill, second);
        again.abort();
        MqttClient back = connected(withWill, second); // back within the delay: no will
        watcher.ping();
        Poll.until(() -> watcherEvents.count(MqttEvent.PingResp.class) > 0, 5_000, watcher);
        long until = System.nanoTime() + 1_500_000_000L;
        Poll.until(() -> System.nanoTime() > until, 3_000, watcher, back);
        assertThat(watcherEvents.count(MqttEvent.Publish.class)).as("no second will").isEqualTo(1);
        back.disconnect(ReasonCode.NORMAL_DISCONNECTION, MqttClient.sessionExpiry(0));
        watcher.disconnect();
    }

    @Test
    void theAsyncClientsFutureFailsWithTheReasonCodeWhenTheBrokerRefusesAMessage() throws Exception {
        Path acl = Files.createTempFile("wren-acl", ".txt");
        Files.writeString(acl, "topic readwrite allowed/#\n");
        try (Mosquitto broker = Mosquitto.start("acl_file " + acl);
             AsyncMqttClient client = AsyncMqttClient.builder(config(broker, "refused").build()).build()) {
            client.connect().get(5, TimeUnit.SECONDS);
            List<MqttEvent.Publish> got = new CopyOnWriteArrayList<>();
            client.subscribe("allowed/#", Qos.AT_LEAST_ONCE, got::add).get(5, TimeUnit.SECONDS);
            CompletableFuture<Void> ok = client.publish("allowed/x", utf8("y"), Qos.AT_LEAST_ONCE, false,
                    MqttProperties.builder().userProperty("k", "v").build());
            ok.get(5, TimeUnit.SECONDS);
            CompletableFuture<Void> denied = client.publish("denied/x", utf8("n"), Qos.AT_LEAST_ONCE, false,
                    MqttProperties.none());
            assertThatThrownBy(() -> denied.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(MqttException.class,
                            e -> assertThat(e.reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED));
            CompletableFuture<Void> deniedQos2 = client.publish("denied/x", utf8("n"), Qos.EXACTLY_ONCE, false);
            assertThatThrownBy(() -> deniedQos2.get(5, TimeUnit.SECONDS)).cause()
                    .isInstanceOfSatisfying(MqttException.class,
                            e -> assertThat(e.reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED));
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (got.isEmpty() && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            assertThat(got).singleElement().satisfies(m -> assertThat(m.properties().userProperties())
                    .containsExactly(new UserProperty("k", "v")));
            assertThat(client.isConnected()).as("a refusal does not end the connection").isTrue();
            client.disconnect().get(5, TimeUnit.SECONDS);
        } finally {
            Files.deleteIfExists(acl);
        }
    }
}
