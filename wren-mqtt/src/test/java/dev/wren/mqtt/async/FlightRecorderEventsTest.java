package dev.wren.mqtt.async;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.mqtt.MqttClientConfig;
import dev.wren.testing.Mosquitto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The Flight Recorder shows a client's life: connected, the connection lost, a reconnect, disconnected. */
@Tag("broker") // starts Mosquitto: left out of the fast run
class FlightRecorderEventsTest {

    @Test
    void aRecordingShowsConnectLossReconnectAndDisconnect() throws Exception {
        Path file = Files.createTempFile("wren", ".jfr");
        try (Mosquitto broker = Mosquitto.start(); Recording recording = new Recording()) {
            recording.enable("dev.wren.Connected");
            recording.enable("dev.wren.Disconnected");
            recording.enable("dev.wren.ReconnectAttempt");
            recording.start();
            try (AsyncMqttClient client = AsyncMqttClient.builder(MqttClientConfig.builder()
                            .broker(broker.host(), broker.port()).clientId("jfr-client").build())
                    .reconnectDelay(java.time.Duration.ofMillis(100), java.time.Duration.ofMillis(200)).build()) {
                client.connect().get(5, TimeUnit.SECONDS);
                // another client with the same identifier takes the session over: this one's connection is lost
                try (AsyncMqttClient thief = AsyncMqttClient.builder(MqttClientConfig.builder()
                        .broker(broker.host(), broker.port()).clientId("jfr-client").build())
                        .automaticReconnect(false).build()) {
                    thief.connect().get(5, TimeUnit.SECONDS);
                    AsyncClientTest.await(() -> !client.isConnected(), 5_000);
                    thief.disconnect().get(5, TimeUnit.SECONDS);
                }
                AsyncClientTest.await(client::isConnected, 5_000);
                client.disconnect().get(5, TimeUnit.SECONDS);
            }
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        List<String> names = events.stream().filter(e -> "jfr-client".equals(e.getString("clientId")))
                .map(e -> e.getEventType().getName()).toList();
        assertThat(names).containsSubsequence("dev.wren.Connected", "dev.wren.Disconnected",
                "dev.wren.ReconnectAttempt", "dev.wren.Connected", "dev.wren.Disconnected");
        assertThat(events).filteredOn(e -> e.getEventType().getName().equals("dev.wren.Connected"))
                .allSatisfy(e -> assertThat(e.getString("server")).startsWith("127.0.0.1:"));
        Files.deleteIfExists(file);
    }
}
