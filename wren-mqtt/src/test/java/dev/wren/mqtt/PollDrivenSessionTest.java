package dev.wren.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.testing.FakeBroker;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The poll-driven client keeps its session across connections by itself: against a scripted server that drops the
 * connection with nothing acknowledged (which a real broker does not do on cue).
 */
class PollDrivenSessionTest {

    private static MqttClientConfig config(FakeBroker broker) {
        return MqttClientConfig.builder().broker(broker.host(), broker.port()).clientId("poll-session")
                .cleanSession(false).build();
    }

    @Test
    void afterAReconnectWithASessionTheClientItselfResendsPublishesWithDupThenPubRelsInOriginalOrder()
            throws Exception {
        List<String> second = new CopyOnWriteArrayList<>();
        try (FakeBroker broker = FakeBroker.startSequence(c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("20020000");
            for (int i = 0; i < 3; i++) {
                c.expect(FakeBroker.PUBLISH);
            }
            c.send("50020003"); // PUBREC for the QoS 2 message only
            c.expect(FakeBroker.PUBREL);
            c.close(); // the connection drops with nothing else acknowledged
        }, c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("20020100"); // session present
            for (int i = 0; i < 3; i++) {
                second.add(HexFormat.of().formatHex(c.readPacket()));
            }
            c.send("40020001" + "50020002" + "70020003");
            c.expect(FakeBroker.PUBREL);
            c.send("70020002");
            c.expect(FakeBroker.DISCONNECT);
        })) {
            Events events = new Events();
            MqttClient client = new MqttClient(config(broker), events);
            Poll.connect(client, events);
            assertThat(client.publish("a", new byte[] {1}, Qos.AT_LEAST_ONCE, false)).isEqualTo(1);
            assertThat(client.publish("a", new byte[] {2}, Qos.EXACTLY_ONCE, false)).isEqualTo(2);
            assertThat(client.publish("a", new byte[] {3}, Qos.EXACTLY_ONCE, false)).isEqualTo(3);
            Poll.until(() -> !client.isOpen(), 10_000, client);
            Poll.connect(client, events); // nothing re-sent by the application
            Poll.until(() -> client.inflight() == 0, 10_000, client);
            client.disconnect();
            Poll.until(() -> !client.isOpen(), 10_000, client);
            broker.await();
            assertThat(events.of(MqttEvent.SessionLost.class)).isEmpty();
            assertThat(events.of(MqttEvent.PubComp.class)).extracting(MqttEvent.PubComp::messageId)
                    .containsExactly(3, 2);
        }
        // [MQTT-4.4.0-1], [MQTT-3.3.1-1]: DUP set (0x3a, 0x3c), original identifiers and order; 3 only as PUBREL
        assertThat(second).containsExactly("3a06000161000101", "3c06000161000202", "62020003");
    }

    @Test
    void whenTheServerHasNoSessionTheUnacknowledgedMessagesComeBackToTheApplication() throws Exception {
        try (FakeBroker broker = FakeBroker.startSequence(c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("20020000");
            c.expect(FakeBroker.PUBLISH);
            c.close();
        }, c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("20020000"); // the server lost the session: the message must not be re-sent as if known
            c.expect(FakeBroker.DISCONNECT);
        })) {
            Events events = new Events();
            MqttClient client = new MqttClient(config(broker), events);
            Poll.connect(client, events);
            client.publish("a", ByteBuffer.wrap(new byte[] {42}), Qos.AT_LEAST_ONCE, false);
            Poll.until(() -> !client.isOpen(), 10_000, client);
            Poll.connect(client, events);
            assertThat(events.of(MqttEvent.SessionLost.class)).singleElement().satisfies(lost -> {
                assertThat(lost.messages()).singleElement().satisfies(m -> {
                    assertThat(m.topic()).isEqualTo("a");
                    assertThat(m.payload().get(0)).isEqualTo((byte) 42);
                });
            });
            assertThat(client.inflight()).isZero();
            client.disconnect();
            Poll.until(() -> !client.isOpen(), 10_000, client);
            broker.await();
        }
    }

    @Test
    void aHandlerMayReconnectFromTheDisconnectEventAndFindsTheClientClosed() throws Exception {
        try (FakeBroker broker = FakeBroker.startSequence(c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("20020000");
            c.close();
        }, c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("20020000");
            c.expect(FakeBroker.DISCONNECT);
        })) {
            List<Boolean> openInHandler = new CopyOnWriteArrayList<>();
            Events events = new Events();
            MqttClient client = new MqttClient(config(broker), (cl, e) -> {
                events.onEvent(cl, e);
                if (e instanceof MqttEvent.Disconnect && events.of(MqttEvent.Disconnect.class).size() == 1) {
                    openInHandler.add(cl.isOpen());
                    cl.connect(); // from inside the handler, as Zephyr allows
                }
            });
            Poll.connect(client, events);
            Poll.until(() -> events.of(MqttEvent.ConnAck.class).size() == 2, 10_000, client);
            assertThat(openInHandler).containsExactly(false);
            assertThat(client.isConnected()).isTrue();
            client.disconnect();
            Poll.until(() -> !client.isOpen(), 10_000, client);
            broker.await();
        }
    }
}
