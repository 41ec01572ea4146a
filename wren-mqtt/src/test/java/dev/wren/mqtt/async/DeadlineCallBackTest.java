package dev.wren.mqtt.async;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.mqtt.MqttClientConfig;
import dev.wren.testing.FakeBroker;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;

/**
 * Each connection sets a call-back on the loop for its own next deadline, so that the loop need not sweep every
 * connection often (thousands of idle connections cost it next to nothing). Shown on a loop whose sweep is off
 * for the test's length: the keep-alive is served all the same, on time.
 */
class DeadlineCallBackTest {

    @Test
    void anIdleConnectionPingsOnItsOwnDeadlineWithoutTheLoopsSweep() throws Exception {
        AtomicLongArray pingAt = new AtomicLongArray(2); // milliseconds after the CONNACK, 0 until seen
        try (EventLoop loop = EventLoop.start("no-sweep", TimeUnit.HOURS.toMillis(1));
             FakeBroker broker = FakeBroker.start(c -> {
                 c.expect(FakeBroker.CONNECT);
                 c.send("20020000");
                 long connAck = System.nanoTime();
                 for (int i = 0; i < 2; i++) {
                     c.expect(FakeBroker.PINGREQ);
                     pingAt.set(i, Math.max(1, (System.nanoTime() - connAck) / 1_000_000));
                     c.send("d000");
                 }
                 c.expect(FakeBroker.DISCONNECT);
             })) {
            AsyncMqttClient client = AsyncMqttClient.builder(MqttClientConfig.builder()
                    .broker(broker.host(), broker.port()).clientId("deadline").keepAlive(Duration.ofSeconds(1))
                    .build()).eventLoop(loop).build();
            client.connect().get(5, TimeUnit.SECONDS);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (pingAt.get(1) == 0 && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            client.close();
            broker.await();
            // one PINGREQ per keep-alive second of silence [MQTT-3.1.2-23]: not before it, and not an hour later
            assertThat(pingAt.get(0)).isBetween(900L, 2_500L);
            assertThat(pingAt.get(1) - pingAt.get(0)).isBetween(900L, 2_500L);
        }
    }
}
