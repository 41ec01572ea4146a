package dev.wren.mqtt.async;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.mqtt.DisconnectReason;
import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.MqttEvent;
import dev.wren.mqtt.ProtocolVersion;
import dev.wren.mqtt.ReasonCode;
import dev.wren.testing.FakeBroker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * MQTT 5.0 server redirection (section 4.11) on the asynchronous client: reported always, followed when asked, with
 * two scripted servers (no broker here redirects).
 */
class ServerRedirectionTest {

    /** A CONNACK refusing with {@code reason} and Server Reference {@code reference}. */
    private static String redirecting(int reason, String reference) {
        byte[] ref = reference.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int props = 3 + ref.length;
        return String.format("20%02x00%02x%02x1c%04x", 2 + 1 + props, reason, props, ref.length)
                + java.util.HexFormat.of().formatHex(ref);
    }

    @Test
    void aRefusalThatNamesAnotherServerIsFollowedWhenAskedAndReportedEitherWay() throws Exception {
        try (FakeBroker target = FakeBroker.start(c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("2003000000");
            c.expect(FakeBroker.DISCONNECT);
        });
             FakeBroker first = FakeBroker.start(c -> {
                 c.expect(FakeBroker.CONNECT);
                 c.send(redirecting(0x9C, "127.0.0.1:" + target.port()));
                 c.expectClosed();
             })) {
            List<MqttEvent> seen = new CopyOnWriteArrayList<>();
            try (AsyncMqttClient client = AsyncMqttClient.builder(MqttClientConfig.builder()
                            .broker(first.host(), first.port()).protocolVersion(ProtocolVersion.MQTT_5).build())
                    .followServerRedirects(true).reconnectOnInitialFailure(true)
                    .reconnectDelay(Duration.ofMillis(10), Duration.ofMillis(50)).connectionListener(seen::add)
                    .build()) {
                MqttEvent.ConnAck accepted = client.connect().get(10, TimeUnit.SECONDS);
                assertThat(accepted.accepted()).isTrue();
                MqttEvent.Disconnect refused = seen.stream().filter(e -> e instanceof MqttEvent.Disconnect)
                        .map(e -> (MqttEvent.Disconnect) e).findFirst().orElseThrow();
                assertThat(refused.reason()).isEqualTo(DisconnectReason.REFUSED);
                assertThat(refused.reasonCode()).isEqualTo(ReasonCode.USE_ANOTHER_SERVER);
                assertThat(refused.properties().serverReference()).contains("127.0.0.1:" + target.port());
                client.disconnect().get(5, TimeUnit.SECONDS);
            }
            first.await();
            target.await();
        }
    }

    @Test
    void theFirstOfSeveralReferencesWithOrWithoutAPortIsTheNextServer() {
        MqttEvent.Disconnect d = new MqttEvent.Disconnect(DisconnectReason.SERVER_DISCONNECT, null, "moved", null,
                ReasonCode.SERVER_MOVED, dev.wren.mqtt.internal.codec.Properties.builder()
                .put(dev.wren.mqtt.internal.codec.Property.SERVER_REFERENCE, "b.example:1884 c.example").build());
        assertThat(Reconnector.redirect(d)).isEqualTo("b.example:1884");
        MqttEvent.Disconnect normal = new MqttEvent.Disconnect(DisconnectReason.SERVER_DISCONNECT, null, "bye", null,
                ReasonCode.SERVER_SHUTTING_DOWN, d.properties());
        assertThat(Reconnector.redirect(normal)).as("only 0x9C and 0x9D redirect").isNull();
    }
}
