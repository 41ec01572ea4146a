package dev.wren.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.testing.HiveMq;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * MQTT 5.0 against a second real broker, the HiveMQ Community Edition embedded in the test JVM: what its CONNACK
 * grants and the client keeping to it, properties and subscription identifiers at every QoS, topic aliases over its
 * maximum, and its DISCONNECT on a session takeover, which Mosquitto 2.0.11 does not send (it closes the socket).
 */
@Tag("broker") // starts a broker: left out of the fast run
class HiveMqTest {

    private static HiveMq broker;

    @BeforeAll
    static void start() {
        broker = HiveMq.start();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static MqttClientConfig.Builder config(String id) {
        return MqttClientConfig.builder().broker(broker.host(), broker.port()).clientId(id)
                .protocolVersion(ProtocolVersion.MQTT_5).keepAlive(Duration.ofSeconds(30));
    }

    private static MqttClient connected(MqttClientConfig config, Events events) {
        MqttClient c = new MqttClient(config, events);
        Poll.connect(c, events);
        return c;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "QoS {0}")
    @EnumSource(Qos.class)
    void propertiesAndTheSubscriptionIdentifierArriveAtEveryQos(Qos qos) {
        String topic = "hive/" + UUID.randomUUID();
        Events subEvents = new Events();
        Events pubEvents = new Events();
        MqttClient sub = connected(config("h-sub-" + qos.code()).build(), subEvents);
        MqttClient pub = connected(config("h-pub-" + qos.code()).build(), pubEvents);
        sub.subscribe(List.of(Subscription.of(topic, qos)), 9, MqttProperties.none());
        Poll.until(() -> subEvents.count(MqttEvent.SubAck.class) == 1, 5_000, sub);
        assertThat(subEvents.last(MqttEvent.SubAck.class).returnCodes()).containsExactly(qos.code());
        for (int i = 0; i < 20; i++) {
            // HiveMQ's Receive Maximum (10) is the send window: wait for acknowledgements when it is full
            Poll.until(() -> !pub.sendWindowFull(), 5_000, pub, sub);
            int id = pub.publish(topic, ByteBuffer.wrap(utf8("m" + i)), qos, false, MqttProperties.builder()
                    .contentType("text/plain").userProperty("i", String.valueOf(i)).build());
            assertThat(id).isNotEqualTo(MqttClient.WOULD_BLOCK);
        }
        Poll.until(() -> subEvents.count(MqttEvent.Publish.class) == 20 && pub.inflight() == 0, 10_000, sub, pub);
        List<MqttEvent.Publish> got = subEvents.of(MqttEvent.Publish.class);
        for (int i = 0; i < 20; i++) {
            MqttEvent.Publish p = got.get(i);
            assertThat(p.payloadAsString()).isEqualTo("m" + i);
            assertThat(p.properties().contentType()).contains("text/plain");
            assertThat(p.properties().userProperties()).containsExactly(new UserProperty("i", String.valueOf(i)));
            assertThat(p.properties().subscriptionIdentifiers()).containsExactly(9);
        }
        pub.disconnect();
        sub.disconnect();
    }

    @Test
    void theClientKeepsToWhatHiveMqGrantsAndItsAliasesReachTheRightTopics() {
        String base = "hive/" + UUID.randomUUID();
        Events subEvents = new Events();
        Events pubEvents = new Events();
        MqttClient sub = connected(config("h-grants-sub").build(), subEvents);
        MqttClient pub = connected(config("h-grants-pub").build(), pubEvents);
        MqttEvent.ConnAck a = pubEvents.last(MqttEvent.ConnAck.class);
        int window = a.properties().receiveMaximum().orElse(65535);
        int aliases = a.properties().topicAliasMaximum().orElse(0);
        assertThat(window).as("HiveMQ CE grants a Receive Maximum").isLessThan(65535);
        assertThat(aliases).as("HiveMQ CE grants topic aliases").isPositive();
        sub.subscribe(base + "/#", Qos.AT_LEAST_ONCE);
        Poll.until(() -> subEvents.count(MqttEvent.SubAck.class) == 1, 5_000, sub);
        int topics = aliases * 2 + 1; // more topics than aliases: some are evicted and reassigned
        int sent = 0;
        while (!pub.sendWindowFull()) {
            pub.publish(base + "/" + (sent % topics), utf8("m" + sent), Qos.AT_LEAST_ONCE, false);
            sent++;
        }
        assertThat(sent).as("the send window is HiveMQ's Receive Maximum").isEqualTo(Math.min(window, 100));
        int total = sent;
        Poll.until(() -> subEvents.count(MqttEvent.Publish.class) == total && pub.inflight() == 0, 10_000, sub, pub);
        List<MqttEvent.Publish> got = subEvents.of(MqttEvent.Publish.class);
        for (int i = 0; i < total; i++) {
            assertThat(got.get(i).topic()).isEqualTo(base + "/" + (i % topics));
            assertThat(got.get(i).payloadAsString()).isEqualTo("m" + i);
        }
        pub.disconnect();
        sub.disconnect();
    }

    @ParameterizedTest(name = "QoS {0}")
    @EnumSource(Qos.class)
    void everyQosGoesBothWaysOverTheBrokersOwnWebSocketListener(Qos qos) {
        // a broker's own WebSocket listener, which Debian's Mosquitto 2.0.11 cannot open here
        String topic = "hive/ws/" + UUID.randomUUID();
        Events subEvents = new Events();
        Events pubEvents = new Events();
        MqttClientConfig.Builder ws = MqttClientConfig.builder().protocolVersion(ProtocolVersion.MQTT_5)
                .url("ws://127.0.0.1:" + broker.webSocketPort() + "/mqtt").receiveBufferSize(512)
                .transmitBufferSize(512);
        MqttClient sub = connected(ws.clientId("h-ws-sub-" + qos.code()).build(), subEvents);
        MqttClient pub = connected(ws.clientId("h-ws-pub-" + qos.code()).build(), pubEvents);
        sub.subscribe(topic, qos);
        Poll.until(() -> subEvents.count(MqttEvent.SubAck.class) == 1, 5_000, sub);
        byte[] big = new byte[20_000]; // larger than the buffers: streamed through WebSocket frames
        new java.util.Random(7).nextBytes(big);
        for (int i = 0; i < 5; i++) {
            Poll.until(() -> !pub.sendWindowFull(), 5_000, pub, sub);
            assertThat(pub.publishCopy(topic, i == 4 ? big : utf8("m" + i), qos, false))
                    .isNotEqualTo(MqttClient.WOULD_BLOCK);
        }
        java.util.List<byte[]> payloads = new java.util.ArrayList<>();
        java.nio.ByteBuffer into = java.nio.ByteBuffer.allocate(big.length);
        Poll.until(() -> {
            for (MqttEvent.Publish p : subEvents.of(MqttEvent.Publish.class)) {
                if (p.streamed() && sub.payload().remaining() > 0) {
                    sub.payload().read(into);
                }
            }
            return subEvents.count(MqttEvent.Publish.class) == 5 && !into.hasRemaining() && pub.inflight() == 0;
        }, 10_000, sub, pub);
        java.util.List<MqttEvent.Publish> got = subEvents.of(MqttEvent.Publish.class);
        for (int i = 0; i < 4; i++) {
            assertThat(got.get(i).payloadAsString()).isEqualTo("m" + i);
        }
        assertThat(into.array()).isEqualTo(big);
        pub.disconnect();
        sub.disconnect();
    }

    @Test
    void aSessionTakeoverReachesTheFirstClientAsTheServersDisconnect() {
        Events first = new Events();
        Events second = new Events();
        MqttClient one = connected(config("h-takeover").build(), first);
        MqttClient two = connected(config("h-takeover").build(), second);
        Poll.until(() -> !one.isOpen(), 5_000, one, two);
        MqttEvent.Disconnect d = first.disconnect();
        assertThat(d.reason()).isEqualTo(DisconnectReason.SERVER_DISCONNECT);
        assertThat(d.reasonCode()).isEqualTo(ReasonCode.SESSION_TAKEN_OVER);
        two.disconnect();
    }
}
