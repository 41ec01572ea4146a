package dev.wren.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wren.testing.FakeBroker;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the public API treats misuse and the end of a connection. */
class ClientApiTest {

    @Test
    void operationsBeforeConnectingFailClearly() {
        MqttClient client = new MqttClient(MqttClientConfig.builder().broker("127.0.0.1", 1).build(), new Events());
        assertThatThrownBy(() -> client.publish("t", new byte[0], Qos.AT_MOST_ONCE, false))
                .isInstanceOf(IllegalStateException.class).hasMessage("not connected");
        assertThatThrownBy(() -> client.subscribe("t", Qos.AT_MOST_ONCE)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(client::disconnect).isInstanceOf(IllegalStateException.class);
        client.abort(); // a no-op when not open
        client.input();
        client.live();
        assertThat(client.keepAliveTimeLeft()).isEqualTo(-1);
        assertThat(client.channel()).isNull();
        assertThat(client.interestOps()).isZero();
        assertThat(client.payload().read(ByteBuffer.allocate(1))).isEqualTo(-1);
    }

    @Test
    void disconnectSendsDisconnectThenClosesAndSendsNothingMore() throws Exception {
        try (FakeBroker broker = FakeBroker.start(c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("20020000");
            c.expect(FakeBroker.DISCONNECT);
            c.expectClosed(); // [MQTT-3.14.4-1], and no packet after DISCONNECT [MQTT-3.14.4-2]
        })) {
            Events events = new Events();
            MqttClient client = new MqttClient(MqttClientConfig.builder().broker(broker.host(), broker.port()).build(),
                    events);
            Poll.connect(client, events);
            client.disconnect();
            assertThat(events.disconnect().reason()).isEqualTo(DisconnectReason.NORMAL);
            assertThat(client.isOpen()).isFalse();
            assertThatThrownBy(() -> client.publish("t", new byte[0], Qos.AT_MOST_ONCE, false))
                    .isInstanceOf(IllegalStateException.class);
            broker.await();
        }
    }

    @Test
    void emptyOrInvalidArgumentsAreRefusedBeforeAnythingIsSent() throws Exception {
        try (FakeBroker broker = FakeBroker.start(c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("20020000");
            c.expect(FakeBroker.DISCONNECT); // nothing else reached the wire
        })) {
            Events events = new Events();
            MqttClient client = new MqttClient(MqttClientConfig.builder().broker(broker.host(), broker.port()).build(),
                    events);
            Poll.connect(client, events);
            assertThatThrownBy(() -> client.subscribe(List.of()))
                    .hasMessageContaining("MQTT-3.8.3-3");
            assertThatThrownBy(() -> client.unsubscribe(List.of()))
                    .hasMessageContaining("MQTT-3.10.3-2");
            assertThatThrownBy(() -> client.publish("a/+", new byte[0], Qos.AT_MOST_ONCE, false))
                    .hasMessageStartingWith("topic ");
            assertThatThrownBy(() -> client.publish("", new byte[0], Qos.AT_MOST_ONCE, false))
                    .hasMessageStartingWith("topic ");
            assertThatThrownBy(() -> client.unsubscribe("a/#/b")).hasMessageStartingWith("filter ");
            assertThatThrownBy(() -> Subscription.of("a+", Qos.AT_MOST_ONCE)).hasMessageStartingWith("filter ");
            assertThatThrownBy(() -> client.pubAck(1)).isInstanceOf(IllegalStateException.class);
            assertThat(client.inflight()).isZero();
            client.disconnect();
            broker.await();
        }
    }

    @Test
    void handlerMayReconnectFromInsideTheDisconnectEvent() throws Exception {
        try (FakeBroker first = FakeBroker.start(c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("20020000");
            c.close();
        })) {
            int[] connects = {0};
            Events events = new Events().reacting((client, e) -> {
                if (e instanceof MqttEvent.Disconnect && connects[0]++ == 0) {
                    client.connect(); // the listener still accepts, nobody answers: a second Disconnect
                }
            });
            MqttClient client = new MqttClient(MqttClientConfig.builder().broker(first.host(), first.port())
                    .connectTimeout(java.time.Duration.ofMillis(500)).build(), events);
            client.connect();
            Poll.until(() -> events.count(MqttEvent.Disconnect.class) == 2, 5_000, client);
            assertThat(events.of(MqttEvent.Disconnect.class)).extracting(MqttEvent.Disconnect::reason)
                    .containsExactly(DisconnectReason.CLOSED_BY_SERVER, DisconnectReason.CONNECT_TIMEOUT);
            first.await();
        }
    }
}
