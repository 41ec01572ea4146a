package dev.wren.mqtt.async;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.Qos;
import dev.wren.testing.FakeBroker;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A session store that is slow to make a write durable (a disk under load) stalls only its own client: the event
 * loop it shares with others keeps serving them, and its own packets still wait for the store (scripted servers).
 */
class SlowStoreTest {

    /** Keeps nothing, but makes {@link #assigned} and {@link #released} wait until the test lets them finish. */
    private static final class HeldStore implements SessionStore {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch entered = new CountDownLatch(1);
        final AtomicBoolean assignedDone = new AtomicBoolean();
        final AtomicBoolean releasedDone = new AtomicBoolean();
        private final AtomicLong keys = new AtomicLong();

        @Override
        public long add(String topic, Qos qos, boolean retain, byte[] payload) {
            return keys.incrementAndGet();
        }

        @Override
        public void assigned(long key, int packetId) {
            entered.countDown();
            await();
            assignedDone.set(true);
        }

        @Override
        public void released(long key) {
            releasedDone.set(true);
        }

        @Override
        public void remove(long key) {
        }

        @Override
        public List<StoredMessage> load() {
            return List.of();
        }

        private void await() {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void anotherClientOnTheSameLoopIsServedWhileAStoreWriteWaitsAndThePublishLeavesOnlyOnceItIsDurable()
            throws Exception {
        HeldStore store = new HeldStore();
        AtomicBoolean publishAfterStore = new AtomicBoolean();
        AtomicBoolean pubRelAfterStore = new AtomicBoolean();
        try (EventLoop loop = EventLoop.start("slow-store-test");
             FakeBroker slowSide = FakeBroker.start(c -> {
                 c.expect(FakeBroker.CONNECT);
                 c.send("20020000");
                 c.expect(FakeBroker.PUBLISH);
                 publishAfterStore.set(store.assignedDone.get());
                 c.send("50020001"); // PUBREC
                 c.expect(FakeBroker.PUBREL);
                 pubRelAfterStore.set(store.releasedDone.get());
                 c.send("70020001");
                 c.expect(FakeBroker.DISCONNECT);
             });
             FakeBroker otherSide = FakeBroker.start(c -> {
                 c.expect(FakeBroker.CONNECT);
                 c.send("20020000");
                 int id = c.expectWithId(FakeBroker.PUBLISH);
                 c.send(String.format("4002%04x", id));
                 c.expect(FakeBroker.DISCONNECT);
             })) {
            AsyncMqttClient slow = AsyncMqttClient.builder(MqttClientConfig.builder()
                    .broker(slowSide.host(), slowSide.port()).clientId("slow").build())
                    .eventLoop(loop).sessionStore(store).build();
            AsyncMqttClient other = AsyncMqttClient.builder(MqttClientConfig.builder()
                    .broker(otherSide.host(), otherSide.port()).clientId("other").build()).eventLoop(loop).build();
            slow.connect().get(5, TimeUnit.SECONDS);
            other.connect().get(5, TimeUnit.SECONDS);
            CompletableFuture<CompletableFuture<Void>> slowPublish = CompletableFuture.supplyAsync(
                    () -> slow.publish("t", new byte[] {1}, Qos.EXACTLY_ONCE, false));
            // the slow client's PUBLISH is in its buffer, its store write waiting
            assertThat(store.entered.await(5, TimeUnit.SECONDS)).isTrue();
            // the loop is free: the other client's whole QoS 1 exchange completes meanwhile
            other.publish("t", new byte[] {2}, Qos.AT_LEAST_ONCE, false).get(5, TimeUnit.SECONDS);
            assertThat(store.assignedDone).isFalse();
            store.release.countDown();
            slowPublish.get(5, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
            other.disconnect().get(5, TimeUnit.SECONDS);
            slow.disconnect().get(5, TimeUnit.SECONDS);
            slowSide.await();
            otherSide.await();
            other.close();
            slow.close();
        }
        assertThat(publishAfterStore).as("PUBLISH left only after its identifier was stored").isTrue();
        assertThat(pubRelAfterStore).as("PUBREL left only after the PUBREC was stored").isTrue();
    }
}
