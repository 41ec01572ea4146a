package dev.wren.mqtt.async;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.mqtt.MqttEvent;
import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.Qos;
import dev.wren.testing.FakeBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What goes over the wire when a session resumes, checked byte for byte against a scripted server. */
class SessionResendTest {

    @Test
    void unacknowledgedMessagesAreResentWithTheirIdsAndDupInOrderAndReleasedOnesOnlyAsPubRel() throws Exception {
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        try (FakeBroker broker = FakeBroker.startSequence(c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("20020000");
            for (int i = 0; i < 4; i++) {
                first.add(HexFormat.of().formatHex(c.readPacket()));
            }
            c.send("50020004"); // PUBREC for the QoS 2 message (id 4): from now on only PUBREL may be re-sent
            first.add(HexFormat.of().formatHex(c.expect(FakeBroker.PUBREL)));
            c.close(); // the connection drops with nothing acknowledged
        }, c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("20020100"); // session present
            for (int i = 0; i < 4; i++) {
                second.add(HexFormat.of().formatHex(c.readPacket()));
            }
            c.send("40020001400200024002000370020004"); // PUBACK 1, 2, 3 and PUBCOMP 4
            c.expect(FakeBroker.DISCONNECT);
        })) {
            try (AsyncMqttClient client = AsyncMqttClient.builder(MqttClientConfig.builder()
                            .broker(broker.host(), broker.port()).clientId("resend").cleanSession(false).build())
                    .reconnectDelay(Duration.ofMillis(10), Duration.ofMillis(10)).build()) {
                client.connect().get(5, TimeUnit.SECONDS);
                List<CompletableFuture<Void>> futures = List.of(
                        client.publish("a", new byte[] {1}, Qos.AT_LEAST_ONCE, false),
                        client.publish("a", new byte[] {2}, Qos.AT_LEAST_ONCE, false),
                        client.publish("a", new byte[] {3}, Qos.AT_LEAST_ONCE, false),
                        client.publish("a", new byte[] {4}, Qos.EXACTLY_ONCE, false));
                CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).get(10, TimeUnit.SECONDS);
                client.disconnect().get(5, TimeUnit.SECONDS);
            }
            broker.await();
        }
        // first connection: PUBLISH ids 1..4, DUP clear, then PUBREL 4 after the PUBREC
        assertThat(first).containsExactly("32060001610001" + "01", "32060001610002" + "02", "32060001610003" + "03",
                "34060001610004" + "04", "62020004");
        // second connection: the same identifiers, in the same order, DUP set [MQTT-3.3.1-1], [MQTT-4.4.0-1],
        // [MQTT-4.6.0-1]; the released QoS 2 message only as PUBREL [MQTT-4.3.3-1]
        assertThat(second).containsExactly("3a060001610001" + "01", "3a060001610002" + "02", "3a060001610003" + "03",
                "62020004");
    }

    @Test
    void aQos2MessageTheServerSendsAgainAfterAReconnectWhoseHookChangedTheSettingsIsDeliveredOnce() throws Exception {
        java.util.concurrent.CountDownLatch completed = new java.util.concurrent.CountDownLatch(1);
        List<MqttEvent.Publish> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (FakeBroker broker = FakeBroker.startSequence(c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("20020000");
            c.send("3406000161000701"); // QoS 2, id 7
            assertThat(c.expectWithId(FakeBroker.PUBREC)).isEqualTo(7);
            c.close(); // as if the PUBREC had been lost with the connection: the message comes again
        }, c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("20020100"); // session present
            c.send("3c06000161000701"); // the same, DUP set
            assertThat(c.expectWithId(FakeBroker.PUBREC)).isEqualTo(7);
            c.send("62020007");
            assertThat(c.expectWithId(FakeBroker.PUBCOMP)).isEqualTo(7);
            completed.countDown();
            c.expect(FakeBroker.DISCONNECT);
        })) {
            try (AsyncMqttClient client = AsyncMqttClient.builder(MqttClientConfig.builder()
                            .broker(broker.host(), broker.port()).clientId("hook").cleanSession(false).build())
                    .reconnectDelay(Duration.ofMillis(10), Duration.ofMillis(10))
                    .beforeReconnect((attempt, why, next) -> next.toBuilder().userName("u")
                            .password(new byte[] {(byte) attempt}).build()) // fresh credentials each time
                    .fallbackHandler(received::add).build()) {
                client.connect().get(5, TimeUnit.SECONDS);
                assertThat(completed.await(10, TimeUnit.SECONDS)).isTrue();
                client.disconnect().get(5, TimeUnit.SECONDS);
            }
            broker.await();
        }
        assertThat(received).extracting(MqttEvent.Publish::topic).containsExactly("a"); // once [MQTT-4.3.3-2]
    }

    @Test
    void aPublishLeavesOnlyOnceTheStoreHasItsIdentifierAndAPubRelOnlyOnceTheStoreHasTheRelease() throws Exception {
        SlowStore store = new SlowStore();
        try (FakeBroker broker = FakeBroker.start(c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("20020000");
            int id = c.expectWithId(FakeBroker.PUBLISH);
            // a crash now must find the identifier stored, or a restart would send the message again as a new one
            assertThat(store.assigned).hasValue(id);
            c.send("5002" + String.format("%04x", id));
            assertThat(c.expectWithId(FakeBroker.PUBREL)).isEqualTo(id);
            // a crash now must find the release stored, or a restart would send the PUBLISH again [MQTT-4.3.3-1]
            assertThat(store.released).isTrue();
            c.send("7002" + String.format("%04x", id));
            c.expect(FakeBroker.DISCONNECT);
        })) {
            try (AsyncMqttClient client = AsyncMqttClient.builder(MqttClientConfig.builder()
                    .broker(broker.host(), broker.port()).clientId("order").cleanSession(false).build())
                    .sessionStore(store).build()) {
                client.connect().get(5, TimeUnit.SECONDS);
                CompletableFuture<Void> published = client.publish("a", new byte[] {1}, Qos.EXACTLY_ONCE, false);
                try {
                    published.get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    broker.await(); // the script's own assertion, if it failed, says more than the timeout
                    throw e;
                }
                client.disconnect().get(5, TimeUnit.SECONDS);
            }
            broker.await();
        }
    }

    /** A store as slow as a disk can be, which records what it was told only when its write is done. */
    private static final class SlowStore implements SessionStore {
        final java.util.concurrent.atomic.AtomicInteger assigned = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();

        @Override
        public long add(String topic, Qos qos, boolean retain, byte[] payload) {
            return 1;
        }

        @Override
        public void assigned(long key, int packetId) {
            slowWrite();
            assigned.set(packetId);
        }

        @Override
        public void released(long key) {
            slowWrite();
            released.set(true);
        }

        @Override
        public void remove(long key) {
        }

        @Override
        public List<StoredMessage> load() {
            return List.of();
        }

        private static void slowWrite() {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
