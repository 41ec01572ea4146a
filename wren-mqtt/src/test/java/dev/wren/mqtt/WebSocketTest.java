package dev.wren.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.testing.Mosquitto;
import dev.wren.testing.WebSocketBridge;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * MQTT over WebSocket to a real Mosquitto, through a WebSocket bridge of the test support (Debian's Mosquitto 2.0.11
 * here will not open its own websockets listener), which cuts the broker's bytes into frames of 1 to 7 bytes.
 */
@Tag("broker") // starts Mosquitto: left out of the fast run
class WebSocketTest {
    private static final Mosquitto BROKER = Mosquitto.shared();

    @Test
    void everyQosGoesBothWaysInFramesOfAnySizeAndThePingIsAnswered() throws Exception {
        try (WebSocketBridge bridge = WebSocketBridge.to(BROKER.host(), BROKER.port())) {
            List<String> got = new ArrayList<>();
            Events events = new Events().reacting((c, e) -> {
                if (e instanceof MqttEvent.Publish p && p.streamed()) {
                    java.nio.ByteBuffer all = java.nio.ByteBuffer.allocate(p.payloadLength());
                    int n = c.payload().readAll(all, 5_000);
                    got.add("streamed " + n + (all.flip().get(n - 1) == 'z' ? " z" : ""));
                } else if (e instanceof MqttEvent.Publish p) {
                    got.add(p.payloadAsString());
                }
            });
            MqttClient client = new MqttClient(MqttClientConfig.builder().broker("127.0.0.1", bridge.port())
                    .clientId("over-ws").transport(TransportFactory.webSocket(TransportFactory.tcp(), "/mqtt", "mqtt"))
                    .build(), events);
            Poll.connect(client, events);
            String topic = "ws/" + UUID.randomUUID();
            client.subscribe(topic, Qos.EXACTLY_ONCE);
            Poll.until(() -> events.count(MqttEvent.SubAck.class) == 1, 5_000, client);
            for (Qos q : Qos.values()) {
                client.publish(topic, ("ws " + q.code()).getBytes(StandardCharsets.UTF_8), q, false);
            }
            byte[] big = new byte[20_000]; // larger than the receive buffer: streamed out of many frames
            java.util.Arrays.fill(big, (byte) 'z');
            client.publish(topic, big, Qos.AT_LEAST_ONCE, false);
            Poll.until(() -> got.size() == 4 && client.inflight() == 0, 10_000, client);
            assertThat(got).containsExactlyInAnyOrder("ws 0", "ws 1", "ws 2", "streamed 20000 z");
            assertThat(bridge.lastProtocol()).isEqualTo("mqtt");
            assertThat(bridge.pongs()).as("the bridge's ping answered").isEqualTo(1);
            client.disconnect();
            assertThat(events.disconnect().reason()).isEqualTo(DisconnectReason.NORMAL);
        }
    }

    @Test
    void aRefusedUpgradeEndsTheConnectionWithTheServersAnswer() throws Exception {
        try (WebSocketBridge bridge = WebSocketBridge.to(BROKER.host(), BROKER.port())) {
            bridge.refuseUpgrades();
            Events events = new Events();
            MqttClient client = new MqttClient(MqttClientConfig.builder().broker("127.0.0.1", bridge.port())
                    .clientId("ws-refused").transport(TransportFactory.webSocket(TransportFactory.tcp(), "/mqtt",
                            "mqtt")).build(), events);
            client.connect();
            Poll.until(() -> !client.isOpen(), 5_000, client);
            assertThat(events.disconnect().reason()).isEqualTo(DisconnectReason.IO_ERROR);
            assertThat(events.disconnect().message()).contains("refused the WebSocket upgrade: HTTP/1.1 403");
        }
    }

    @Test
    void eachUpgradeCarriesTheHeadersAskedForJustBeforeIt() throws Exception {
        try (WebSocketBridge bridge = WebSocketBridge.to(BROKER.host(), BROKER.port())) {
            java.util.concurrent.atomic.AtomicInteger token = new java.util.concurrent.atomic.AtomicInteger();
            TransportFactory ws = TransportFactory.webSocket(TransportFactory.tcp(), "/mqtt", "mqtt",
                    () -> java.util.Map.of("Authorization", "Bearer token-" + token.incrementAndGet()));
            Events events = new Events();
            MqttClient client = new MqttClient(MqttClientConfig.builder().broker("127.0.0.1", bridge.port())
                    .clientId("ws-token").transport(ws).build(), events);
            Poll.connect(client, events);
            assertThat(bridge.lastAuthorization()).isEqualTo("Bearer token-1");
            client.disconnect();
            Poll.connect(client, events); // a reconnect asks again
            assertThat(bridge.lastAuthorization()).isEqualTo("Bearer token-2");
            client.disconnect();
        }
    }

    @Test
    void anAsyncClientsServerListMayNameAWebSocketUrl() throws Exception {
        try (WebSocketBridge bridge = WebSocketBridge.to(BROKER.host(), BROKER.port());
             dev.wren.mqtt.async.AsyncMqttClient client = dev.wren.mqtt.async.AsyncMqttClient.builder(
                     MqttClientConfig.builder().broker("127.0.0.1", 1).clientId("ws-async").build())
                     .servers(java.util.List.of("ws://127.0.0.1:" + bridge.port() + "/mqtt")).build()) {
            client.connect().get(10, java.util.concurrent.TimeUnit.SECONDS);
            client.publish("ws/async", new byte[] {1}, Qos.AT_LEAST_ONCE, false).get(10,
                    java.util.concurrent.TimeUnit.SECONDS);
            assertThat(bridge.upgrades()).isEqualTo(1);
        }
        assertThatThrownByUrl();
    }

    @Test
    void thePlainBridgeTheBenchmarksUseSendsNoPingAndCarriesABurstBothWays() throws Exception {
        try (WebSocketBridge bridge = WebSocketBridge.plain(BROKER.host(), BROKER.port());
             dev.wren.mqtt.async.AsyncMqttClient client = dev.wren.mqtt.async.AsyncMqttClient.builder(
                     MqttClientConfig.builder().broker("127.0.0.1", bridge.port()).clientId("ws-plain")
                             .transport(TransportFactory.webSocket(TransportFactory.tcp(), "/mqtt", "mqtt")).build())
                     .build()) {
            client.connect().get(10, java.util.concurrent.TimeUnit.SECONDS);
            String topic = "ws/plain/" + UUID.randomUUID();
            java.util.concurrent.CountDownLatch all = new java.util.concurrent.CountDownLatch(500);
            List<Integer> order = java.util.Collections.synchronizedList(new ArrayList<>());
            client.subscribe(topic, Qos.AT_LEAST_ONCE, m -> {
                order.add(java.nio.ByteBuffer.wrap(m.payloadBytes()).getInt());
                all.countDown();
            }).get(10, java.util.concurrent.TimeUnit.SECONDS);
            for (int i = 0; i < 500; i++) {
                client.publish(topic, java.nio.ByteBuffer.allocate(64).putInt(0, i).array(), Qos.AT_LEAST_ONCE, false);
            }
            assertThat(all.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(order).hasSize(500).isSorted();
            assertThat(bridge.pongs()).as("no ping was sent, so none answered").isZero();
        }
    }

    private static void assertThatThrownByUrl() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> dev.wren.mqtt.async.AsyncMqttClient.builder(
                MqttClientConfig.builder().broker("127.0.0.1", 1).build()).servers(java.util.List.of("coap://x")))
                .hasMessageStartingWith("url must start with mqtt://");
    }
}
