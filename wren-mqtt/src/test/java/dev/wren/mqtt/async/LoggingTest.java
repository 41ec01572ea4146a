package dev.wren.mqtt.async;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.Qos;
import dev.wren.testing.FakeBroker;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the library logs through {@code System.Logger}, captured from its default binding (java.util.logging), as an
 * SLF4J or Log4j bridge would see it: the connection's life at INFO and WARNING, every packet at TRACE (FINER).
 */
class LoggingTest {
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final Logger packets = Logger.getLogger("dev.wren.mqtt.packets");
    private final Logger lifecycle = Logger.getLogger("dev.wren.mqtt.async.AsyncMqttClient");

    @AfterEach
    void detach() {
        packets.removeHandler(capture);
        packets.setLevel(null);
        lifecycle.removeHandler(capture);
    }

    private List<String> at(Level level, String logger) {
        return records.stream().filter(r -> r.getLevel().equals(level) && r.getLoggerName().equals(logger))
                .map(r -> r.getMessage()).toList();
    }

    @Test
    void packetsAreLoggedAtTraceAndTheConnectionsLifeAtInfoAndWarning() throws Exception {
        packets.setLevel(Level.ALL);
        packets.addHandler(capture);
        lifecycle.addHandler(capture);
        try (FakeBroker broker = FakeBroker.start(c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("20020000");
            c.expect(FakeBroker.PUBLISH);
            c.close(); // the connection drops: a problem, at WARNING
        }); AsyncMqttClient client = AsyncMqttClient.builder(MqttClientConfig.builder()
                .broker(broker.host(), broker.port()).clientId("logged").build()).automaticReconnect(false).build()) {
            client.connect().get(5, TimeUnit.SECONDS);
            client.publish("log/t", "hi".getBytes(), Qos.AT_MOST_ONCE, false);
            broker.await();
            AsyncClientTest.await(() -> !at(Level.WARNING, lifecycle.getName()).isEmpty(), 5_000);
        }
        List<String> trace = at(Level.FINER, packets.getName());
        assertThat(trace).as("packets at TRACE").anyMatch(l -> l.contains("logged sending CONNECT"))
                .anyMatch(l -> l.contains("logged received CONNACK"))
                .anyMatch(l -> l.contains("sending PUBLISH") && l.contains("'log/t'"));
        assertThat(at(Level.INFO, lifecycle.getName())).anyMatch(l -> l.contains("logged: connected to 127.0.0.1"));
        assertThat(at(Level.WARNING, lifecycle.getName())).anyMatch(l -> l.contains("logged: connection ended"));
    }

    @Test
    void withoutTraceNoPacketIsLogged() throws Exception {
        packets.setLevel(Level.INFO);
        packets.addHandler(capture);
        try (FakeBroker broker = FakeBroker.start(c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("20020000");
            c.expect(FakeBroker.DISCONNECT);
        }); AsyncMqttClient client = AsyncMqttClient.builder(MqttClientConfig.builder()
                .broker(broker.host(), broker.port()).clientId("quiet").build()).build()) {
            client.connect().get(5, TimeUnit.SECONDS);
            client.disconnect().get(5, TimeUnit.SECONDS);
            broker.await();
        }
        assertThat(records).filteredOn(r -> r.getLoggerName().equals(packets.getName())).isEmpty();
    }
}
