package dev.wren.mqtt.async;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.ProtocolVersion;
import dev.wren.mqtt.Qos;
import dev.wren.testing.FakeBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file session store records the MQTT 5.0 session expiry and when the last connection ended, so that a process
 * started after the broker has discarded the session publishes the stored messages again as new ones, rather than
 * resending them (with DUP and their old identifiers) into a session that no longer holds them.
 */
class SessionExpiryStoreTest {

    @Test
    void theExpiryRecordSurvivesTheStoreAndSaysWhenTheSessionIsGone(@TempDir Path dir) {
        SessionStore store = SessionStore.files(dir);
        assertThat(store.loadSessionExpiry()).isNull();
        store.sessionExpiry(new SessionStore.SessionExpiry(60, 1_000_000));
        store.close();
        SessionStore.SessionExpiry read = SessionStore.files(dir).loadSessionExpiry();
        assertThat(read).isEqualTo(new SessionStore.SessionExpiry(60, 1_000_000));
        assertThat(read.expired(1_000_000 + 60_000)).isFalse();
        assertThat(read.expired(1_000_000 + 60_001)).isTrue();
        assertThat(new SessionStore.SessionExpiry(60, -1).expired(Long.MAX_VALUE)).as("while connected").isFalse();
        assertThat(new SessionStore.SessionExpiry(0xFFFF_FFFFL, 0).expired(Long.MAX_VALUE)).as("never").isFalse();
    }

    /** A store that holds one QoS 1 message sent with identifier 7, in a session whose last connection ended at {@code endedAt}. */
    private static void storeWithOneSentMessage(Path dir, long expirySeconds, long endedAt) {
        SessionStore store = SessionStore.files(dir);
        long key = store.add("t", Qos.AT_LEAST_ONCE, false, "stored".getBytes(StandardCharsets.UTF_8));
        store.assigned(key, 7);
        store.sessionExpiry(new SessionStore.SessionExpiry(expirySeconds, endedAt));
        store.close();
    }

    /** The first PUBLISH the client sends after a CONNACK with session present: its first byte and identifier. */
    private static int[] firstPublishAfterResume(Path dir) throws Exception {
        int[] seen = new int[2];
        try (FakeBroker broker = FakeBroker.start(c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("2003010000"); // MQTT 5.0 CONNACK: session present, success, no properties
            byte[] p = c.expect(FakeBroker.PUBLISH);
            seen[0] = p[0] & 0xFF;
            seen[1] = ((p[5] & 0xFF) << 8) | (p[6] & 0xFF); // after 0x32, length, topic "t" (0001 74)
            c.send(String.format("4002%04x", seen[1]));
            c.expect(FakeBroker.DISCONNECT);
        });
             AsyncMqttClient client = AsyncMqttClient.builder(MqttClientConfig.builder()
                             .broker(broker.host(), broker.port()).clientId("expiry").cleanSession(false)
                             .protocolVersion(ProtocolVersion.MQTT_5).sessionExpiryInterval(60).build())
                     .sessionStore(SessionStore.files(dir)).build()) {
            client.connect().get(5, TimeUnit.SECONDS);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (seen[0] == 0 && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            client.disconnect().get(5, TimeUnit.SECONDS);
            broker.await();
        }
        return seen;
    }

    @Test
    void withinTheExpiryTheStoredMessageIsResentWithDupAndItsIdentifier(@TempDir Path dir) throws Exception {
        storeWithOneSentMessage(dir, 3600, System.currentTimeMillis() - 1_000);
        int[] publish = firstPublishAfterResume(dir);
        assertThat(publish[0] & 0x08).as("DUP").isEqualTo(0x08);
        assertThat(publish[1]).isEqualTo(7);
    }

    @Test
    void afterTheExpiryTheStoredMessageGoesAsANewOne(@TempDir Path dir) throws Exception {
        storeWithOneSentMessage(dir, 1, System.currentTimeMillis() - 10_000);
        int[] publish = firstPublishAfterResume(dir);
        assertThat(publish[0] & 0x08).as("DUP").isZero();
    }
}
