package dev.wren.mqtt.async;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.mqtt.Authenticator;
import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.ProtocolVersion;
import dev.wren.mqtt.internal.codec.Packet;
import dev.wren.mqtt.internal.codec.PacketDecoder;
import dev.wren.mqtt.internal.codec.PacketEncoder;
import dev.wren.mqtt.internal.codec.Properties;
import dev.wren.mqtt.internal.codec.Property;
import dev.wren.testing.FakeBroker;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A reconnect hook that hands over a fresh authenticator (a renewed token, say) is obeyed: the next CONNECT carries
 * the new authenticator's data. Against a scripted MQTT 5.0 server, which drops the first connection.
 */
class ReconnectHookAuthenticatorTest {
    private static final String METHOD = "TOKEN";

    /** An authenticator that sends {@code token} in CONNECT and takes the server's success as it comes. */
    private static Authenticator token(String token) {
        return new Authenticator() {
            @Override
            public String method() {
                return METHOD;
            }

            @Override
            public byte[] initialData() {
                return token.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public byte[] challenge(byte[] serverData) {
                return null;
            }

            @Override
            public void accepted(byte[] serverData) {
            }
        };
    }

    /** Reads a CONNECT, records its authentication data, and accepts it with the same method. */
    private static void accept(FakeBroker.Connection c, List<String> tokens) throws Exception {
        Packet connect = PacketDecoder.unbounded(PacketDecoder.Role.SERVER, ProtocolVersion.MQTT_5)
                .decode(ByteBuffer.wrap(c.readPacket()));
        assertThat(connect.properties().authenticationMethod()).contains(METHOD);
        tokens.add(new String((byte[]) connect.properties().get(Property.AUTHENTICATION_DATA),
                StandardCharsets.UTF_8));
        Packet ack = new Packet.ConnAck(false, 0, Properties.builder().put(Property.AUTHENTICATION_METHOD, METHOD)
                .build());
        ByteBuffer out = ByteBuffer.allocate(PacketEncoder.encodedLength(ack));
        PacketEncoder.encode(ack, out);
        c.send(out.array());
    }

    @Test
    void theNextConnectCarriesTheAuthenticatorTheHookHandedOver() throws Exception {
        List<String> tokens = new CopyOnWriteArrayList<>();
        try (FakeBroker broker = FakeBroker.startSequence(c -> accept(c, tokens), // then the connection drops
                c -> {
                    accept(c, tokens);
                    c.expect(FakeBroker.DISCONNECT);
                });
             AsyncMqttClient client = AsyncMqttClient.builder(MqttClientConfig.builder()
                             .broker(broker.host(), broker.port()).clientId("renewing")
                             .protocolVersion(ProtocolVersion.MQTT_5).authenticator(token("token-1")).build())
                     .reconnectDelay(Duration.ofMillis(10), Duration.ofMillis(50))
                     .beforeReconnect((attempt, last, next) -> next.toBuilder().authenticator(token("token-2")).build())
                     .build()) {
            client.connect().get(5, TimeUnit.SECONDS);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (tokens.size() < 2 && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            assertThat(tokens).containsExactly("token-1", "token-2");
            client.disconnect().get(5, TimeUnit.SECONDS);
            broker.await();
        }
    }
}
