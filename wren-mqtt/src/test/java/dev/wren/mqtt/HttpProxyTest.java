package dev.wren.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.testing.HttpConnectProxy;
import dev.wren.testing.Mosquitto;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** MQTT through an HTTP CONNECT proxy (one written in the test support) to a real Mosquitto. */
@Tag("broker") // starts Mosquitto: left out of the fast run
class HttpProxyTest {
    private static final Mosquitto BROKER = Mosquitto.shared();

    private static MqttClientConfig through(TransportFactory proxy, String id) {
        return MqttClientConfig.builder().broker(BROKER.host(), BROKER.port()).clientId(id).transport(proxy).build();
    }

    @Test
    void messagesGoBothWaysThroughTheTunnel() throws Exception {
        try (HttpConnectProxy proxy = HttpConnectProxy.start()) {
            List<String> got = new ArrayList<>();
            Events events = new Events().reacting((c, e) -> {
                if (e instanceof MqttEvent.Publish p) {
                    got.add(p.payloadAsString());
                }
            });
            MqttClient client = new MqttClient(through(TransportFactory.httpProxy("127.0.0.1", proxy.port(), null,
                    null), "via-proxy"), events);
            Poll.connect(client, events);
            String topic = "proxy/" + UUID.randomUUID();
            client.subscribe(topic, Qos.AT_LEAST_ONCE);
            Poll.until(() -> events.count(MqttEvent.SubAck.class) == 1, 5_000, client);
            client.publish(topic, "through the proxy".getBytes(StandardCharsets.UTF_8), Qos.AT_LEAST_ONCE, false);
            Poll.until(() -> got.size() == 1 && client.inflight() == 0, 5_000, client);
            assertThat(got).containsExactly("through the proxy");
            assertThat(proxy.tunnels()).isEqualTo(1);
            client.disconnect();
        }
    }

    @Test
    void aProxyThatWantsCredentialsRefusesWithoutThemAndTunnelsWithThem() throws Exception {
        try (HttpConnectProxy proxy = HttpConnectProxy.requiring("wren", "s3cret")) {
            Events refused = new Events();
            MqttClient without = new MqttClient(through(TransportFactory.httpProxy("127.0.0.1", proxy.port(), null,
                    null), "proxy-no-creds"), refused);
            without.connect();
            Poll.until(() -> !without.isOpen(), 5_000, without);
            assertThat(refused.disconnect().reason()).isEqualTo(DisconnectReason.PROXY_REFUSED);
            assertThat(refused.disconnect().message()).contains("407").contains("credentials missing or wrong");
            Events events = new Events();
            MqttClient with = new MqttClient(through(TransportFactory.httpProxy("127.0.0.1", proxy.port(), "wren",
                    "s3cret"), "proxy-creds"), events);
            Poll.connect(with, events);
            with.disconnect();
            assertThat(proxy.tunnels()).isEqualTo(1);
        }
    }

    @Test
    void somethingThatIsNotAnHttpProxyIsReportedAsSuch() {
        // Mosquitto itself: it closes the connection on the CONNECT line, which is no MQTT packet
        Events events = new Events();
        MqttClient client = new MqttClient(through(TransportFactory.httpProxy(BROKER.host(), BROKER.port(), null,
                null), "not-a-proxy"), events);
        client.connect();
        Poll.until(() -> !client.isOpen(), 5_000, client);
        assertThat(events.disconnect().reason()).isEqualTo(DisconnectReason.PROXY_REFUSED);
        // end of stream or a reset, as the broker's TCP stack decides; either way not a tunnel
        assertThat(events.disconnect().message()).containsAnyOf("closed the connection before answering CONNECT",
                "failed while answering CONNECT");
    }
}
