package dev.wren.mqtt.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wren.mqtt.DisconnectReason;
import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.MqttEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Which configuration each reconnect attempt uses and whether there is one: no socket, no loop, no clock. */
class ReconnectorTest {
    private static final MqttClientConfig BASE = MqttClientConfig.builder().broker("127.0.0.1", 1).clientId("r")
            .build();
    private static final MqttEvent.Disconnect LOST = new MqttEvent.Disconnect(DisconnectReason.IO_ERROR, null,
            "cut", null);

    private static Reconnector reconnector(AsyncMqttClientBuilder b) {
        return new Reconnector(new Options(b), null); // no loop: schedule() is not used here
    }

    @Test
    void serversAreTriedInTurnOnePerAttempt() {
        Reconnector r = reconnector(AsyncMqttClient.builder(BASE).servers(List.of("127.0.0.1:2", "127.0.0.1:3")));
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ports.add(r.next(BASE, LOST, UnaryOperator.identity()).port());
        }
        assertThat(ports).containsExactly(2, 3, 2, 3, 2);
    }

    @Test
    void theHookSeesTheAttemptAndWhyTheLastConnectionEndedButNotTheFirstConnect() {
        List<String> calls = new ArrayList<>();
        Reconnector r = reconnector(AsyncMqttClient.builder(BASE).beforeReconnect((attempt, last, next) -> {
            calls.add(attempt + " " + (last == null ? "-" : last.message()));
            return next.toBuilder().userName("fresh").build();
        }));
        r.start();
        assertThat(r.next(BASE, null, UnaryOperator.identity()).userName()).as("the first connect").isNull();
        assertThat(r.next(BASE, LOST, UnaryOperator.identity()).userName()).isEqualTo("fresh");
        assertThat(calls).containsExactly("0 cut");
    }

    @Test
    void aHookThatReturnsNullIsNamed() {
        Reconnector r = reconnector(AsyncMqttClient.builder(BASE).beforeReconnect((attempt, last, next) -> null));
        assertThatThrownBy(() -> r.next(BASE, LOST, UnaryOperator.identity()))
                .hasMessageContaining("the reconnect hook returned null");
    }

    @Test
    void aFailedFirstConnectIsRetriedOnlyWhenAskedAndALostConnectionAlways() {
        Reconnector plain = reconnector(AsyncMqttClient.builder(BASE));
        plain.start();
        assertThat(plain.retry()).as("first connect failed").isFalse();
        plain.connected();
        assertThat(plain.retry()).as("an accepted connection lost").isTrue();
        Reconnector eager = reconnector(AsyncMqttClient.builder(BASE).reconnectOnInitialFailure(true));
        eager.start();
        assertThat(eager.retry()).isTrue();
        Reconnector off = reconnector(AsyncMqttClient.builder(BASE).automaticReconnect(false)
                .reconnectDelay(Duration.ZERO, Duration.ZERO));
        off.connected();
        assertThat(off.retry()).isFalse();
    }
}
