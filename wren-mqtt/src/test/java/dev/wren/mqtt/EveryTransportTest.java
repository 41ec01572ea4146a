package dev.wren.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.testing.HttpConnectProxy;
import dev.wren.testing.Mosquitto;
import dev.wren.testing.Socks5Proxy;
import dev.wren.testing.WebSocketBridge;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same scenario over every transport, against one Mosquitto: every QoS both ways, a payload larger than the
 * receive buffer streamed, and a persistent session that gets what was published while it was away.
 */
@Tag("broker") // starts Mosquitto: left out of the fast run
class EveryTransportTest {
    private static Path socket;
    private static Mosquitto broker;
    private static WebSocketBridge bridge;
    private static Socks5Proxy socks;
    private static HttpConnectProxy http;

    @BeforeAll
    static void start() throws Exception {
        broker = Mosquitto.startWithUnixSocket();
        socket = broker.unixSocket();
        bridge = WebSocketBridge.to(broker.host(), broker.port());
        socks = Socks5Proxy.start();
        http = HttpConnectProxy.start();
    }

    @AfterAll
    static void stop() throws Exception {
        bridge.close();
        socks.close();
        http.close();
        broker.close();
    }

    private static MqttClientConfig.Builder over(String transport, String clientId) {
        MqttClientConfig.Builder b = MqttClientConfig.builder().clientId(clientId).receiveBufferSize(1024)
                .broker(broker.host(), broker.port());
        return switch (transport) {
            case "tcp" -> b;
            case "unix" -> b.transport(TransportFactory.unix(socket));
            case "websocket" -> b.broker("127.0.0.1", bridge.port())
                    .transport(TransportFactory.webSocket(TransportFactory.tcp(), "/mqtt", "mqtt"));
            case "socks5" -> b.transport(TransportFactory.socks5("127.0.0.1", socks.port(), null, null));
            case "http-proxy" -> b.transport(TransportFactory.httpProxy("127.0.0.1", http.port(), null, null));
            default -> throw new IllegalArgumentException(transport);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix", "websocket", "socks5", "http-proxy"})
    void everyQosAStreamedPayloadAndAResumedSession(String transport) throws Exception {
        String topic = "every/" + transport + "/" + UUID.randomUUID();
        String id = "every-" + transport;
        List<String> got = new ArrayList<>();
        Events events = new Events().reacting((c, e) -> {
            if (e instanceof MqttEvent.Publish p && p.streamed()) {
                ByteBuffer all = ByteBuffer.allocate(p.payloadLength());
                got.add("streamed " + c.payload().readAll(all, 5_000));
            } else if (e instanceof MqttEvent.Publish p) {
                got.add(p.payloadAsString());
            }
        });
        MqttClient client = new MqttClient(over(transport, id).cleanSession(false).build(), events);
        Poll.connect(client, events);
        client.subscribe(topic, Qos.EXACTLY_ONCE);
        Poll.until(() -> events.count(MqttEvent.SubAck.class) == 1, 5_000, client);
        for (Qos q : Qos.values()) {
            client.publish(topic, ("q" + q.code()).getBytes(StandardCharsets.UTF_8), q, false);
        }
        client.publish(topic, new byte[5_000], Qos.AT_LEAST_ONCE, false); // five receive buffers' worth
        Poll.until(() -> got.size() == 4 && client.inflight() == 0, 10_000, client);
        assertThat(got).containsExactlyInAnyOrder("q0", "q1", "q2", "streamed 5000");
        client.disconnect();
        Poll.until(() -> !client.isOpen(), 5_000, client);

        // away: another client publishes QoS 1 and 2 to the session's subscription
        Events other = new Events();
        MqttClient publisher = new MqttClient(MqttClientConfig.builder().broker(broker.host(), broker.port())
                .clientId(id + "-pub").build(), other);
        Poll.connect(publisher, other);
        publisher.publish(topic, "while away 1".getBytes(StandardCharsets.UTF_8), Qos.AT_LEAST_ONCE, false);
        publisher.publish(topic, "while away 2".getBytes(StandardCharsets.UTF_8), Qos.EXACTLY_ONCE, false);
        Poll.until(() -> publisher.inflight() == 0, 5_000, publisher);
        publisher.disconnect();

        got.clear();
        Poll.connect(client, events);
        assertThat(events.of(MqttEvent.ConnAck.class)).last().satisfies(a -> assertThat(a.sessionPresent()).isTrue());
        Poll.until(() -> got.size() == 2, 10_000, client);
        assertThat(got).containsExactlyInAnyOrder("while away 1", "while away 2");
        client.disconnect();
    }
}
