package dev.wren.mqtt.async;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.Qos;
import dev.wren.testing.FakeBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Exactly-once on the receiving side across a process restart: the file store keeps the incoming QoS 2 identifiers
 * received and not yet released, so a copy the broker sends again to the next process (it never saw the PUBREC) is
 * answered and not delivered a second time. A scripted broker, because a real one cannot be made to lose the PUBREC
 * at the right moment. The "restart" is a second client, with a second store over the same directory.
 */
class IncomingQos2StoreTest {
    /** PUBLISH QoS 2, packet id 7, topic "t", payload "x"; and the same with DUP set. */
    private static final String PUBLISH_7 = "3406 0001 74 0007 78";
    private static final String PUBLISH_7_DUP = "3c06 0001 74 0007 78";

    private static AsyncMqttClient client(FakeBroker broker, SessionStore store, List<String> got) throws Exception {
        AsyncMqttClient c = AsyncMqttClient.builder(MqttClientConfig.builder().broker(broker.host(), broker.port())
                        .clientId("q2store").cleanSession(false).build())
                .sessionStore(store).automaticReconnect(false).fallbackHandler(
                        m -> got.add(StandardCharsets.UTF_8.decode(m.payload()).toString())).build();
        c.connect().get(5, TimeUnit.SECONDS);
        return c;
    }

    @Test
    void aCopyOfAQos2MessageSentAgainToTheNextProcessIsAnsweredAndNotDeliveredTwice() throws Exception {
        Path dir = Files.createTempDirectory("wren-q2");
        List<String> got = new CopyOnWriteArrayList<>();
        try (FakeBroker broker = FakeBroker.startSequence(c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("20020000");
            c.send(PUBLISH_7);
            assertThat(c.expectWithId(FakeBroker.PUBREC)).isEqualTo(7); // the broker "loses" it: the process dies
        }, c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("20020100"); // session present: the broker sends the message again, as it must
            c.send(PUBLISH_7_DUP);
            assertThat(c.expectWithId(FakeBroker.PUBREC)).isEqualTo(7);
            c.send("62020007"); // PUBREL
            assertThat(c.expectWithId(FakeBroker.PUBCOMP)).isEqualTo(7);
            c.expect(FakeBroker.DISCONNECT);
        })) {
            AsyncMqttClient first = client(broker, SessionStore.files(dir), got);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (got.isEmpty() && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            Thread.sleep(100);
            assertThat(Files.exists(dir.resolve("incoming.qos2"))).as("the identifier kept on disk").isTrue();
            first.close(); // as if the process died: nothing is released

            SessionStore second = SessionStore.files(dir);
            assertThat(second.loadIncoming()).as("what the next process finds").containsExactly(7);
            try (AsyncMqttClient again = client(broker, second, got)) {
                end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (second.loadIncoming().length > 0 && System.nanoTime() < end) {
                    Thread.sleep(10);
                }
                assertThat(second.loadIncoming()).as("released: forgotten").isEmpty();
                again.disconnect().get(5, TimeUnit.SECONDS);
            }
            broker.await();
        }
        assertThat(got).as("deliveries across both processes").containsExactly("x");
    }

    @Test
    void whenTheBrokerHasNoSessionTheKeptIdentifiersAreForgottenAndANewMessageWithOneIsDelivered() throws Exception {
        Path dir = Files.createTempDirectory("wren-q2");
        SessionStore store = SessionStore.files(dir);
        store.incomingReceived(7); // left by an earlier process
        List<String> got = new CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch completed = new java.util.concurrent.CountDownLatch(1);
        try (FakeBroker broker = FakeBroker.start(c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("20020000"); // no session
            c.send(PUBLISH_7); // a new message that happens to use identifier 7
            assertThat(c.expectWithId(FakeBroker.PUBREC)).isEqualTo(7);
            c.send("62020007");
            assertThat(c.expectWithId(FakeBroker.PUBCOMP)).isEqualTo(7);
            completed.countDown();
            c.expect(FakeBroker.DISCONNECT);
        }); AsyncMqttClient client = client(broker, store, got)) {
            // the exchange ends with the PUBCOMP, which leaves only once the store has forgotten the identifier; the
            // store alone cannot say when to disconnect (it is empty too between the CONNACK and the PUBLISH's write)
            assertThat(completed.await(5, TimeUnit.SECONDS)).as("PUBCOMP received by the server").isTrue();
            client.disconnect().get(5, TimeUnit.SECONDS);
            broker.await();
        }
        assertThat(got).containsExactly("x");
        assertThat(SessionStore.files(dir).loadIncoming()).isEmpty();
    }

    @Test
    void withManualAcknowledgementsTheIdentifierIsKeptOnlyOnceTheApplicationAcknowledges() throws Exception {
        Path dir = Files.createTempDirectory("wren-q2");
        SessionStore store = SessionStore.files(dir);
        List<dev.wren.mqtt.MqttEvent.Publish> got = new CopyOnWriteArrayList<>();
        try (FakeBroker broker = FakeBroker.start(c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("20020000");
            c.send(PUBLISH_7);
            assertThat(c.expectWithId(FakeBroker.PUBREC)).isEqualTo(7);
            c.send("62020007");
            assertThat(c.expectWithId(FakeBroker.PUBCOMP)).isEqualTo(7);
            c.expect(FakeBroker.DISCONNECT);
        }); AsyncMqttClient client = AsyncMqttClient.builder(MqttClientConfig.builder()
                .broker(broker.host(), broker.port()).clientId("q2manual").cleanSession(false).manualAcks(true).build())
                .sessionStore(store).automaticReconnect(false).fallbackHandler(got::add).build()) {
            client.connect().get(5, TimeUnit.SECONDS);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (got.isEmpty() && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            Thread.sleep(100);
            assertThat(store.loadIncoming()).as("delivered, not yet acknowledged: a restart must deliver it again")
                    .isEmpty();
            got.get(0).acknowledge();
            end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (Files.notExists(dir.resolve("incoming.qos2")) && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            assertThat(Files.exists(dir.resolve("incoming.qos2"))).as("kept once acknowledged").isTrue();
            client.disconnect().get(5, TimeUnit.SECONDS);
            broker.await();
        }
        assertThat(store.loadIncoming()).as("released").isEmpty();
    }
}
