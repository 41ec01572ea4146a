package dev.wren.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.testing.Moquette;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A client configured for MQTT 5.0 against a real broker that speaks only MQTT 3.1.1 (Moquette 0.17, in this JVM):
 * the broker's refusal reaches the application as what it is, and the same client connects once configured for
 * 3.1.1.
 */
@Tag("broker")
class OlderBrokerTest {
    private static Moquette broker;

    @BeforeAll
    static void start() {
        broker = Moquette.start();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static Events connectUntilClosedOrConnected(ProtocolVersion version) throws Exception {
        Events events = new Events();
        MqttClient client = new MqttClient(MqttClientConfig.builder().broker(broker.host(), broker.port())
                .clientId("older-" + version).protocolVersion(version).connectTimeout(Duration.ofSeconds(5))
                .build(), events);
        client.connect();
        Poll.until(() -> !client.isOpen() || events.count(MqttEvent.ConnAck.class) > 0, 5_000, client);
        if (client.isOpen()) {
            client.disconnect();
            Poll.until(() -> !client.isOpen(), 5_000, client);
        }
        return events;
    }

    @Test
    void anMqtt5ConnectToAnMqtt311BrokerIsRefusedAsAnUnsupportedProtocolVersion() throws Exception {
        Events events = connectUntilClosedOrConnected(ProtocolVersion.MQTT_5);
        assertThat(events.last(MqttEvent.ConnAck.class).reasonCode())
                .isEqualTo(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION);
        assertThat(events.disconnect().reason()).isEqualTo(DisconnectReason.REFUSED);
        assertThat(events.disconnect().violation()).as("not a protocol violation").isNull();
    }

    @Test
    void theSameBrokerAcceptsMqtt311() throws Exception {
        Events events = connectUntilClosedOrConnected(ProtocolVersion.MQTT_3_1_1);
        assertThat(events.last(MqttEvent.ConnAck.class).returnCode()).isEqualTo(ConnectReturnCode.ACCEPTED);
    }
}
