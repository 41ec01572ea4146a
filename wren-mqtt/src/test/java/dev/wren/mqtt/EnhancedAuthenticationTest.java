package dev.wren.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.mqtt.internal.codec.Packet;
import dev.wren.mqtt.internal.codec.PacketDecoder;
import dev.wren.mqtt.internal.codec.PacketEncoder;
import dev.wren.mqtt.internal.codec.Properties;
import dev.wren.mqtt.internal.codec.Property;
import dev.wren.testing.FakeBroker;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * MQTT 5.0 enhanced authentication (section 4.12) with SCRAM-SHA-256, against a scripted server that plays the
 * server side of RFC 7677's example exchange (no real broker here speaks it: Mosquitto's authentication plugins are
 * C, and HiveMQ CE's need an extension of their own): at connect, on re-authentication, and a server that fails the
 * client's check.
 */
class EnhancedAuthenticationTest {
    private static final String METHOD = "SCRAM-SHA-256";

    private static MqttClientConfig.Builder config(FakeBroker broker) {
        return MqttClientConfig.builder().broker(broker.host(), broker.port()).clientId("auth")
                .protocolVersion(ProtocolVersion.MQTT_5).keepAlive(Duration.ofSeconds(30))
                .authenticator(ScramSha256AuthenticatorTest.rfcClient());
    }

    /** The next packet the client sent, decoded as a server does. */
    private static Packet read(FakeBroker.Connection c) throws Exception {
        return PacketDecoder.unbounded(PacketDecoder.Role.SERVER, ProtocolVersion.MQTT_5)
                .decode(ByteBuffer.wrap(c.readPacket()));
    }

    private static void send(FakeBroker.Connection c, Packet p) throws IOException {
        ByteBuffer out = ByteBuffer.allocate(PacketEncoder.encodedLength(p));
        PacketEncoder.encode(p, out);
        c.send(out.array());
    }

    private static Properties auth(String data) {
        return Properties.builder().put(Property.AUTHENTICATION_METHOD, METHOD)
                .put(Property.AUTHENTICATION_DATA, data.getBytes(StandardCharsets.UTF_8)).build();
    }

    private static String data(Packet p) {
        return new String((byte[]) p.properties().get(Property.AUTHENTICATION_DATA), StandardCharsets.UTF_8);
    }

    /** The server side of RFC 7677's exchange at connect, then once more on re-authentication. */
    private static void scramTwice(FakeBroker.Connection c) throws Exception {
        Packet connect = read(c);
        assertThat(connect.properties().authenticationMethod()).contains(METHOD);
        assertThat(data(connect)).isEqualTo("n,,n=user,r=" + ScramSha256AuthenticatorTest.CLIENT_NONCE);
        send(c, new Packet.Auth(0x18, auth(ScramSha256AuthenticatorTest.SERVER_FIRST)));
        Packet answer = read(c);
        assertThat(answer).isInstanceOf(Packet.Auth.class);
        assertThat(answer.reasonCode()).isEqualTo(0x18);
        assertThat(data(answer)).isEqualTo(ScramSha256AuthenticatorTest.CLIENT_FINAL);
        send(c, new Packet.ConnAck(false, 0, auth(ScramSha256AuthenticatorTest.SERVER_FINAL)));
        // re-authentication [MQTT-4.12.1-1]: the same method, a new exchange
        Packet again = read(c);
        assertThat(again.reasonCode()).isEqualTo(0x19);
        assertThat(data(again)).startsWith("n,,n=user,r=");
        send(c, new Packet.Auth(0x18, auth(ScramSha256AuthenticatorTest.SERVER_FIRST)));
        assertThat(data(read(c))).isEqualTo(ScramSha256AuthenticatorTest.CLIENT_FINAL);
        send(c, new Packet.Auth(0x00, auth(ScramSha256AuthenticatorTest.SERVER_FINAL)));
        c.expect(FakeBroker.DISCONNECT);
    }

    @Test
    void scramRunsAtConnectAndAgainOnReauthentication() throws Exception {
        try (FakeBroker broker = FakeBroker.start(EnhancedAuthenticationTest::scramTwice)) {
            Events events = new Events();
            MqttClient client = new MqttClient(config(broker).build(), events);
            Poll.connect(client, events);
            assertThat(events.of(MqttEvent.Auth.class)).extracting(MqttEvent.Auth::reasonCode)
                    .containsExactly(ReasonCode.CONTINUE_AUTHENTICATION);
            assertThat(client.reauthenticate()).isTrue();
            Poll.until(() -> events.count(MqttEvent.Auth.class) == 3, 5_000, client);
            assertThat(events.last(MqttEvent.Auth.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            client.disconnect();
            broker.await();
        }
    }

    @Test
    void theAsyncClientAuthenticatesAndReauthenticatesToo() throws Exception {
        try (FakeBroker broker = FakeBroker.start(EnhancedAuthenticationTest::scramTwice)) {
            java.util.List<MqttEvent> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            try (dev.wren.mqtt.async.AsyncMqttClient client = dev.wren.mqtt.async.AsyncMqttClient
                    .builder(config(broker).build()).connectionListener(seen::add).build()) {
                assertThat(client.connect().get(5, java.util.concurrent.TimeUnit.SECONDS).accepted()).isTrue();
                client.reauthenticate();
                long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
                while (seen.stream().noneMatch(e -> e instanceof MqttEvent.Auth a
                        && a.reasonCode() == ReasonCode.SUCCESS) && System.nanoTime() < end) {
                    Thread.sleep(10);
                }
                assertThat(seen).filteredOn(e -> e instanceof MqttEvent.Auth).extracting(e -> ((MqttEvent.Auth) e)
                        .reasonCode()).containsExactly(ReasonCode.CONTINUE_AUTHENTICATION,
                        ReasonCode.CONTINUE_AUTHENTICATION, ReasonCode.SUCCESS);
                client.disconnect().get(5, java.util.concurrent.TimeUnit.SECONDS);
            }
            broker.await();
        }
    }

    @Test
    void aServerThatCannotProveItKnowsThePasswordIsDisconnected() throws Exception {
        try (FakeBroker broker = FakeBroker.start(c -> {
            read(c);
            send(c, new Packet.Auth(0x18, auth(ScramSha256AuthenticatorTest.SERVER_FIRST)));
            read(c);
            send(c, new Packet.ConnAck(false, 0, auth("v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")));
            assertThat(c.readPacket()).containsExactly(0xe0, 0x01, 0x87); // DISCONNECT, Not authorized
            c.expectClosed();
        })) {
            Events events = new Events();
            MqttClient client = new MqttClient(config(broker).build(), events);
            client.connect();
            Poll.until(() -> !client.isOpen(), 5_000, client);
            assertThat(events.disconnect().reason()).isEqualTo(DisconnectReason.AUTHENTICATION_FAILED);
            assertThat(events.disconnect().message()).contains("signature is wrong");
            broker.await();
        }
    }

    @Test
    void anAuthWithAnotherMethodIsAProtocolError() throws Exception {
        try (FakeBroker broker = FakeBroker.start(c -> {
            read(c);
            send(c, new Packet.Auth(0x18, Properties.builder().put(Property.AUTHENTICATION_METHOD, "OTHER").build()));
            assertThat(c.readPacket()).containsExactly(0xe0, 0x01, 0x82);
            c.expectClosed();
        })) {
            Events events = new Events();
            MqttClient client = new MqttClient(config(broker).build(), events);
            client.connect();
            Poll.until(() -> !client.isOpen(), 5_000, client);
            assertThat(events.disconnect().violation()).isEqualTo(ProtocolViolation.UNEXPECTED_AUTH);
            broker.await();
        }
    }
}
