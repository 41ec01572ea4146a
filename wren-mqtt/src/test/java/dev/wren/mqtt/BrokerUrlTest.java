package dev.wren.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wren.testing.Mosquitto;
import dev.wren.testing.WebSocketBridge;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** One URL names the broker and the stack that reaches it: each scheme connects for real. */
@Tag("broker") // starts Mosquitto: left out of the fast run
class BrokerUrlTest {
    private static final Mosquitto BROKER = Mosquitto.shared();

    private static void connectsAndDisconnects(MqttClientConfig config) {
        Events events = new Events();
        MqttClient client = new MqttClient(config, events);
        Poll.connect(client, events);
        client.disconnect();
        assertThat(events.disconnect().reason()).isEqualTo(DisconnectReason.NORMAL);
    }

    @Test
    void mqttUrlsAreTcp() {
        MqttClientConfig c = MqttClientConfig.builder().url("mqtt://127.0.0.1:" + BROKER.port()).clientId("url-tcp")
                .build();
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(BROKER.port());
        connectsAndDisconnects(c);
        assertThat(MqttClientConfig.builder().url("mqtts://broker.example").build().port()).isEqualTo(8883);
        assertThat(MqttClientConfig.builder().url("mqtt://broker.example").build().port()).isEqualTo(1883);
    }

    @Test
    void wsUrlsAreWebSocket() throws Exception {
        try (WebSocketBridge bridge = WebSocketBridge.to(BROKER.host(), BROKER.port())) {
            connectsAndDisconnects(MqttClientConfig.builder().url("ws://127.0.0.1:" + bridge.port() + "/mqtt")
                    .clientId("url-ws").build());
            assertThat(bridge.upgrades()).isEqualTo(1);
        }
    }

    @Test
    void unixUrlsAreUnixDomainSockets() throws Exception {
        try (Mosquitto unix = Mosquitto.startWithUnixSocket()) {
            connectsAndDisconnects(MqttClientConfig.builder().url("unix://" + unix.unixSocket()).clientId("url-unix")
                    .build());
        }
    }

    @Test
    void otherUrlsAreRefusedByName() {
        assertThatThrownBy(() -> MqttClientConfig.builder().url("coap://x"))
                .hasMessageStartingWith("url must start with mqtt://");
        assertThatThrownBy(() -> MqttClientConfig.builder().url("mqtt:///topic")).hasMessageContaining("no host");
        assertThatThrownBy(() -> MqttClientConfig.builder().url("unix://")).hasMessageStartingWith("url")
                .hasMessageContaining("unix://");
        assertThatThrownBy(() -> MqttClientConfig.builder().url("unix:x")).hasMessageContaining("socket path");
    }
}
