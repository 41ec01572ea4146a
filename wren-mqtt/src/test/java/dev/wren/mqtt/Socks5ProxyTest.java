package dev.wren.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.testing.Mosquitto;
import dev.wren.testing.Socks5Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** MQTT through a SOCKS5 proxy (one written in the test support) to a real Mosquitto. */
@Tag("broker") // starts Mosquitto: left out of the fast run
class Socks5ProxyTest {
    private static final Mosquitto BROKER = Mosquitto.shared();

    private static MqttClientConfig through(TransportFactory proxy, String id) {
        return MqttClientConfig.builder().broker("localhost", BROKER.port()).clientId(id).transport(proxy).build();
    }

    @Test
    void messagesGoBothWaysAndTheProxyResolvesTheBrokersName() throws Exception {
        try (Socks5Proxy proxy = Socks5Proxy.start()) {
            List<String> got = new ArrayList<>();
            Events events = new Events().reacting((c, e) -> {
                if (e instanceof MqttEvent.Publish p) {
                    got.add(p.payloadAsString());
                }
            });
            MqttClient client = new MqttClient(through(TransportFactory.socks5("127.0.0.1", proxy.port(), null, null),
                    "via-socks"), events);
            Poll.connect(client, events);
            String topic = "socks/" + UUID.randomUUID();
            client.subscribe(topic, Qos.EXACTLY_ONCE);
            Poll.until(() -> events.count(MqttEvent.SubAck.class) == 1, 5_000, client);
            client.publish(topic, "through socks".getBytes(StandardCharsets.UTF_8), Qos.EXACTLY_ONCE, false);
            Poll.until(() -> got.size() == 1 && client.inflight() == 0, 5_000, client);
            assertThat(got).containsExactly("through socks");
            assertThat(proxy.tunnels()).isEqualTo(1);
            assertThat(proxy.lastHost()).as("sent as a name, as socks5h").isEqualTo("localhost");
            client.disconnect();
        }
    }

    @Test
    void credentialsAreAskedForAndAWrongOneIsRefusedAsSuch() throws Exception {
        try (Socks5Proxy proxy = Socks5Proxy.requiring("wren", "s3cret")) {
            Events none = new Events();
            MqttClient without = new MqttClient(through(TransportFactory.socks5("127.0.0.1", proxy.port(), null,
                    null), "socks-none"), none);
            without.connect();
            Poll.until(() -> !without.isOpen(), 5_000, without);
            assertThat(none.disconnect().reason()).isEqualTo(DisconnectReason.PROXY_REFUSED);
            assertThat(none.disconnect().message()).contains("none of the offered authentication methods");
            Events wrong = new Events();
            MqttClient bad = new MqttClient(through(TransportFactory.socks5("127.0.0.1", proxy.port(), "wren",
                    "nope"), "socks-wrong"), wrong);
            bad.connect();
            Poll.until(() -> !bad.isOpen(), 5_000, bad);
            assertThat(wrong.disconnect().reason()).isEqualTo(DisconnectReason.PROXY_REFUSED);
            assertThat(wrong.disconnect().message()).contains("refused the user name and password");
            Events ok = new Events();
            MqttClient good = new MqttClient(through(TransportFactory.socks5("127.0.0.1", proxy.port(), "wren",
                    "s3cret"), "socks-ok"), ok);
            Poll.connect(good, ok);
            good.disconnect();
        }
    }

    @Test
    void aBrokerThatRefusesTheProxysConnectionIsReportedWithTheProxysReply() throws Exception {
        try (Socks5Proxy proxy = Socks5Proxy.start()) {
            Events events = new Events();
            int closed = Mosquitto.freePort(); // nothing listens there
            MqttClient client = new MqttClient(MqttClientConfig.builder().broker("127.0.0.1", closed)
                    .clientId("socks-refused").transport(TransportFactory.socks5("127.0.0.1", proxy.port(), null,
                            null)).build(), events);
            client.connect();
            Poll.until(() -> !client.isOpen(), 10_000, client);
            assertThat(events.disconnect().reason()).isEqualTo(DisconnectReason.PROXY_REFUSED);
            assertThat(events.disconnect().message()).contains("connection refused (5)");
        }
    }
}
