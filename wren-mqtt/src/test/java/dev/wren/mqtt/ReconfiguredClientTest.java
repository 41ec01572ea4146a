package dev.wren.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wren.testing.FakeBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@link MqttClient#reconfigured}: a reconnect with changed settings goes on with the session when it is the same
 * one (same server, same client id), and only then. Scripted servers, because a real broker re-sends a QoS 2
 * PUBLISH only when the connection drops between the client's receipt and its PUBREC's arrival.
 */
class ReconfiguredClientTest {

    // PUBLISH QoS 2, topic "a", packet id 7, payload 0x01: first sent, then again with DUP set
    private static final String QOS2_ID7 = "3406000161000701";
    private static final String QOS2_ID7_DUP = "3c06000161000701";

    /** A first connection: the QoS 2 message goes out, is answered with PUBREC, and the connection drops. */
    private static final FakeBroker.Script DELIVER_ID7_THEN_DROP = c -> {
        c.expect(FakeBroker.CONNECT);
        c.send("20020000");
        c.send(QOS2_ID7);
        assertThat(c.expectWithId(FakeBroker.PUBREC)).isEqualTo(7);
        c.close(); // as if the PUBREC had been lost with the connection: the server will send the message again
    };

    @Test
    void aQos2MessageTheSameServerSendsAgainAfterAReconfiguredReconnectIsAnsweredButNotDeliveredTwice()
            throws Exception {
        try (FakeBroker broker = FakeBroker.startSequence(DELIVER_ID7_THEN_DROP, c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("20020100"); // session present
            c.send(QOS2_ID7_DUP);
            assertThat(c.expectWithId(FakeBroker.PUBREC)).isEqualTo(7); // answered [MQTT-4.3.3-2] ...
            c.send("62020007");
            assertThat(c.expectWithId(FakeBroker.PUBCOMP)).isEqualTo(7);
            c.expect(FakeBroker.DISCONNECT);
        })) {
            Events events = new Events();
            MqttClient client = receiveAndLoseTheConnection(broker, events);
            MqttClientConfig first = client.config();

            // new credentials for the reconnect: another configuration, the same session
            MqttClient next = client.reconfigured(first.toBuilder().userName("u")
                    .password("fresh".getBytes(StandardCharsets.UTF_8)).build());
            assertThat(next.config().userName()).isEqualTo("u");
            Poll.connect(next, events);
            Poll.until(() -> events.count(MqttEvent.PubRel.class) == 1, 5_000, next);
            next.disconnect();
            broker.await();
            // ... but delivered once only [MQTT-4.3.3-2]
            assertThat(events.of(MqttEvent.Publish.class)).extracting(MqttEvent.Publish::messageId)
                    .containsExactly(7);
        }
    }

    @Test
    void anotherServerIsAnotherSessionSoAMessageThatReusesAnIdentifierIsDelivered() throws Exception {
        try (FakeBroker one = FakeBroker.start(DELIVER_ID7_THEN_DROP); FakeBroker other = FakeBroker.start(c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("20020100"); // it has a session of this client id too, its own
            c.send("3406000161000702"); // a new message that happens to get identifier 7 there
            assertThat(c.expectWithId(FakeBroker.PUBREC)).isEqualTo(7);
            c.send("62020007");
            assertThat(c.expectWithId(FakeBroker.PUBCOMP)).isEqualTo(7);
            c.expect(FakeBroker.DISCONNECT);
        })) {
            Events events = new Events();
            MqttClient client = receiveAndLoseTheConnection(one, events);
            MqttClientConfig first = client.config();

            MqttClient next = client.reconfigured(first.toBuilder().broker(other.host(), other.port()).build());
            Poll.connect(next, events);
            Poll.until(() -> events.count(MqttEvent.PubRel.class) == 1, 5_000, next);
            next.disconnect();
            one.await();
            other.await();
            assertThat(events.of(MqttEvent.Publish.class)).extracting(MqttEvent.Publish::messageId)
                    .containsExactly(7, 7);
        }
    }

    @Test
    void anOpenClientCannotBeReconfigured() throws Exception {
        try (FakeBroker broker = FakeBroker.start(c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("20020000");
            c.expect(FakeBroker.DISCONNECT);
        })) {
            Events events = new Events();
            MqttClientConfig config = MqttClientConfig.builder().broker(broker.host(), broker.port()).build();
            MqttClient client = new MqttClient(config, events);
            Poll.connect(client, events);
            assertThatThrownBy(() -> client.reconfigured(config.toBuilder().keepAlive(Duration.ofSeconds(5)).build()))
                    .isInstanceOf(IllegalStateException.class).hasMessage("disconnect before reconfiguring");
            client.disconnect();
            broker.await();
        }
    }

    /** Connects a client with a session to {@code broker}, whose script sends one message and drops the connection. */
    private static MqttClient receiveAndLoseTheConnection(FakeBroker broker, Events events) {
        MqttClient client = new MqttClient(MqttClientConfig.builder().broker(broker.host(), broker.port())
                .clientId("keep").cleanSession(false).build(), events);
        Poll.connect(client, events);
        Poll.until(() -> !client.isOpen(), 5_000, client);
        return client;
    }
}
