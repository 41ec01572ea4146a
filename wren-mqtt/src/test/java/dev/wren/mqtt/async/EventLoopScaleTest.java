package dev.wren.mqtt.async;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.Qos;
import dev.wren.testing.Mosquitto;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Thousands of connections, not thousands of threads: 2,000 clients on one event loop. */
@Tag("broker") // starts Mosquitto: left out of the fast run
class EventLoopScaleTest {
    private static final int CLIENTS = 2_000;

    @Test
    void twoThousandClientsShareOneEventLoopThread() throws Exception {
        try (Mosquitto broker = Mosquitto.start(); EventLoop loop = EventLoop.start("scale-loop")) {
            int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
            String topic = "scale/" + UUID.randomUUID();
            AtomicInteger received = new AtomicInteger();
            List<AsyncMqttClient> clients = new ArrayList<>();
            List<CompletableFuture<?>> connects = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                AsyncMqttClient c = AsyncMqttClient.builder(MqttClientConfig.builder()
                                .broker(broker.host(), broker.port()).clientId("scale-" + i)
                                .receiveBufferSize(256).transmitBufferSize(256).build())
                        .eventLoop(loop).build();
                clients.add(c);
                connects.add(c.connect());
            }
            CompletableFuture.allOf(connects.toArray(new CompletableFuture<?>[0])).get(120, TimeUnit.SECONDS);
            assertThat(clients).allMatch(AsyncMqttClient::isConnected);
            int threadsConnected = ManagementFactory.getThreadMXBean().getThreadCount();

            // every client subscribes; one message reaches all of them through the one loop
            List<CompletableFuture<?>> subs = new ArrayList<>();
            for (AsyncMqttClient c : clients) {
                subs.add(c.subscribe(topic, Qos.AT_LEAST_ONCE, m -> received.incrementAndGet()));
            }
            CompletableFuture.allOf(subs.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
            clients.get(0).publish(topic, new byte[] {1}, Qos.AT_LEAST_ONCE, false).get(10, TimeUnit.SECONDS);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (received.get() < CLIENTS && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            assertThat(received.get()).isEqualTo(CLIENTS);

            // the loop thread and the shared callback thread, not a thread per client
            assertThat(threadsConnected - threadsBefore).as("threads added for 2,000 clients").isLessThanOrEqualTo(2);
            List<CompletableFuture<?>> disconnects = new ArrayList<>();
            for (AsyncMqttClient c : clients) {
                disconnects.add(c.disconnect());
            }
            CompletableFuture.allOf(disconnects.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
            assertThat(clients).noneMatch(AsyncMqttClient::isConnected);
        }
    }
}
