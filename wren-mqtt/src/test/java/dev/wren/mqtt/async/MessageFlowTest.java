package dev.wren.mqtt.async;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.MqttEvent;
import dev.wren.mqtt.Qos;
import dev.wren.testing.Mosquitto;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link AsyncMqttClient#messages}: the Reactive Streams rules that apply to a publisher of MQTT messages (the
 * numbers are the specification's, which {@link java.util.concurrent.Flow} follows), against a real broker.
 */
@Tag("broker") // starts Mosquitto: left out of the fast run
class MessageFlowTest {
    private static final Mosquitto BROKER = Mosquitto.shared();

    /** Records every signal; requests nothing by itself. */
    private static final class Recorder implements Flow.Subscriber<MqttEvent.Publish> {
        final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
        final List<Integer> items = new CopyOnWriteArrayList<>();
        final AtomicReference<Throwable> error = new AtomicReference<>();
        final AtomicInteger signalsBeforeSubscribe = new AtomicInteger();
        final AtomicInteger concurrent = new AtomicInteger();
        volatile boolean overlapped;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription.set(s);
        }

        @Override
        public void onNext(MqttEvent.Publish item) {
            if (subscription.get() == null) {
                signalsBeforeSubscribe.incrementAndGet();
            }
            if (concurrent.incrementAndGet() > 1) {
                overlapped = true;
            }
            items.add(item.payload().getInt(0));
            concurrent.decrementAndGet();
        }

        @Override
        public void onError(Throwable t) {
            error.set(t);
        }

        @Override
        public void onComplete() {
        }
    }

    private static AsyncMqttClient client(String id, int maxPending) {
        return AsyncMqttClient.builder(MqttClientConfig.builder().broker(BROKER.host(), BROKER.port()).clientId(id)
                .build()).maxPending(maxPending, 1L << 20).build();
    }

    private static void publish(AsyncMqttClient pub, String topic, int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            byte[] p = new byte[4];
            ByteBuffer.wrap(p).putInt(i);
            pub.publish(topic, p, Qos.AT_LEAST_ONCE, false).get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void noOnNextBeyondDemandAndTheRestComeInOrderWhenRequested() throws Exception {
        String topic = "flow/" + UUID.randomUUID();
        try (AsyncMqttClient sub = client("flow-sub", 1_000); AsyncMqttClient pub = client("flow-pub", 1_000)) {
            sub.connect().get(5, TimeUnit.SECONDS);
            pub.connect().get(5, TimeUnit.SECONDS);
            Recorder r = new Recorder();
            sub.messages(topic, Qos.AT_LEAST_ONCE).subscribe(r);
            assertThat(r.subscription.get()).as("rule 1.9: onSubscribe first").isNotNull();
            Thread.sleep(300); // the SUBSCRIBE reaches the broker
            publish(pub, topic, 0, 5);
            Thread.sleep(300);
            assertThat(r.items).as("rule 1.1: nothing without demand").isEmpty();
            r.subscription.get().request(2);
            AsyncClientTest.await(() -> r.items.size() == 2, 5_000);
            Thread.sleep(200);
            assertThat(r.items).containsExactly(0, 1);
            r.subscription.get().request(10);
            AsyncClientTest.await(() -> r.items.size() == 5, 5_000);
            assertThat(r.items).containsExactly(0, 1, 2, 3, 4);
            assertThat(r.overlapped).as("rule 1.3: signals one at a time").isFalse();
            assertThat(r.signalsBeforeSubscribe).hasValue(0);
        }
    }

    @Test
    void aSubscriberThatRequestsNothingMakesTheClientStopReadingAndLosesNothing() throws Exception {
        String topic = "flow/" + UUID.randomUUID();
        try (AsyncMqttClient sub = client("flow-bp-sub", 5); AsyncMqttClient pub = client("flow-bp-pub", 1_000)) {
            sub.connect().get(5, TimeUnit.SECONDS);
            pub.connect().get(5, TimeUnit.SECONDS);
            Recorder r = new Recorder();
            sub.messages(topic, Qos.AT_LEAST_ONCE).subscribe(r);
            Thread.sleep(300);
            publish(pub, topic, 0, 50);
            AsyncClientTest.await(() -> sub.inboundStats().pauses() > 0, 5_000);
            assertThat(sub.inboundStats().pendingMessages()).isGreaterThanOrEqualTo(5);
            r.subscription.get().request(Long.MAX_VALUE); // rule 3.17: unbounded
            AsyncClientTest.await(() -> r.items.size() == 50, 10_000);
            for (int i = 0; i < 50; i++) {
                assertThat(r.items.get(i)).isEqualTo(i);
            }
            AsyncClientTest.await(() -> sub.inboundStats().pendingMessages() == 0, 5_000);
        }
    }

    @Test
    void requestOfZeroIsAnErrorAndCancelUnsubscribes() throws Exception {
        String topic = "flow/" + UUID.randomUUID();
        try (AsyncMqttClient sub = client("flow-c-sub", 1_000); AsyncMqttClient pub = client("flow-c-pub", 1_000)) {
            sub.connect().get(5, TimeUnit.SECONDS);
            pub.connect().get(5, TimeUnit.SECONDS);
            Recorder zero = new Recorder();
            sub.messages(topic + "/zero", Qos.AT_LEAST_ONCE).subscribe(zero);
            zero.subscription.get().request(0);
            AsyncClientTest.await(() -> zero.error.get() != null, 5_000);
            assertThat(zero.error.get()).as("rule 3.9").isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("3.9");

            Recorder r = new Recorder();
            sub.messages(topic, Qos.AT_LEAST_ONCE).subscribe(r);
            r.subscription.get().request(Long.MAX_VALUE);
            Thread.sleep(300);
            publish(pub, topic, 0, 1);
            AsyncClientTest.await(() -> r.items.size() == 1, 5_000);
            r.subscription.get().cancel();
            Thread.sleep(300); // the UNSUBSCRIBE reaches the broker
            publish(pub, topic, 1, 3);
            Thread.sleep(300);
            assertThat(r.items).as("rule 3.12 and 3.13: no more after cancel").containsExactly(0);
            assertThat(r.error.get()).isNull();
        }
    }
}
