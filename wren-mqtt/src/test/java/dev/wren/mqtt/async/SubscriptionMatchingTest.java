package dev.wren.mqtt.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.Qos;
import dev.wren.mqtt.Subscription;
import dev.wren.testing.Mosquitto;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which handler a received message reaches, against a real Mosquitto: shared subscriptions ({@code $share/...}),
 * overlapping filters with one handler and with several.
 */
@Tag("broker") // starts Mosquitto: left out of the fast run
class SubscriptionMatchingTest {
    private static final Mosquitto BROKER = Mosquitto.shared();

    private static MqttClientConfig config(String id) {
        return MqttClientConfig.builder().broker(BROKER.host(), BROKER.port()).clientId(id).build();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @EnumSource(Qos.class)
    void aSharedSubscriptionsMessagesReachItsHandlerNotTheFallback(Qos qos) throws Exception {
        String topic = "share/" + UUID.randomUUID();
        List<String> handled = new CopyOnWriteArrayList<>();
        List<String> fallback = new CopyOnWriteArrayList<>();
        try (AsyncMqttClient sub = AsyncMqttClient.builder(config("share-sub-" + qos.code()))
                     .fallbackHandler(m -> fallback.add(m.payloadAsString())).build();
             AsyncMqttClient pub = AsyncMqttClient.builder(config("share-pub-" + qos.code())).build()) {
            sub.connect().get(5, TimeUnit.SECONDS);
            pub.connect().get(5, TimeUnit.SECONDS);
            sub.subscribe("$share/workers/" + topic + "/+", qos, m -> handled.add(m.payloadAsString()))
                    .get(5, TimeUnit.SECONDS);
            for (int i = 0; i < 20; i++) {
                pub.publish(topic + "/job", bytes("j" + i), qos, false).get(5, TimeUnit.SECONDS);
            }
            AsyncClientTest.await(() -> handled.size() == 20, 5_000);
            assertThat(handled).startsWith("j0", "j1").hasSize(20);
            assertThat(fallback).isEmpty();
        }
    }

    @Test
    void aSharedSubscriptionWithoutAHandlerOfItsOwnBuffersNothingForAnotherFilter() throws Exception {
        // the message matches only the shared filter's topic part: a plain subscription made later must not get it
        // as if it were unclaimed, and the shared handler gets it once
        String topic = "share/" + UUID.randomUUID();
        List<String> shared = new CopyOnWriteArrayList<>();
        try (AsyncMqttClient sub = AsyncMqttClient.builder(config("share-buf-sub")).build();
             AsyncMqttClient pub = AsyncMqttClient.builder(config("share-buf-pub")).build()) {
            sub.connect().get(5, TimeUnit.SECONDS);
            pub.connect().get(5, TimeUnit.SECONDS);
            sub.subscribe("$share/g/" + topic, Qos.AT_LEAST_ONCE, m -> shared.add(m.payloadAsString()))
                    .get(5, TimeUnit.SECONDS);
            pub.publish(topic, bytes("x"), Qos.AT_LEAST_ONCE, false).get(5, TimeUnit.SECONDS);
            AsyncClientTest.await(() -> shared.size() == 1, 5_000);
            List<String> later = new CopyOnWriteArrayList<>();
            sub.subscribe("nothing/" + topic, Qos.AT_LEAST_ONCE, m -> later.add(m.topic())).get(5, TimeUnit.SECONDS);
            Thread.sleep(200);
            assertThat(later).isEmpty();
            assertThat(shared).containsExactly("x");
        }
    }

    @ParameterizedTest
    @EnumSource(Qos.class)
    void oneHandlerForOverlappingFiltersGetsEachMessageOnce(Qos qos) throws Exception {
        String topic = "overlap/" + UUID.randomUUID();
        List<String> got = new CopyOnWriteArrayList<>();
        MessageHandler handler = m -> got.add(m.payloadAsString());
        try (AsyncMqttClient sub = AsyncMqttClient.builder(config("overlap-sub-" + qos.code())).build();
             AsyncMqttClient pub = AsyncMqttClient.builder(config("overlap-pub-" + qos.code())).build()) {
            sub.connect().get(5, TimeUnit.SECONDS);
            pub.connect().get(5, TimeUnit.SECONDS);
            sub.subscribe(List.of(Subscription.of(topic + "/#", qos), Subscription.of(topic + "/+", qos)), handler)
                    .get(5, TimeUnit.SECONDS);
            sub.subscribe(topic + "/a", qos, handler).get(5, TimeUnit.SECONDS); // same handler, another call
            for (int i = 0; i < 10; i++) {
                pub.publish(topic + "/a", bytes("m" + i), qos, false).get(5, TimeUnit.SECONDS);
            }
            pub.publish(topic + "/end", bytes("end"), qos, false).get(5, TimeUnit.SECONDS);
            AsyncClientTest.await(() -> got.contains("end"), 5_000);
            Thread.sleep(200); // a second copy, if any, would have come by now
            assertThat(got).containsExactly("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9", "end");
        }
    }

    @Test
    void differentHandlersForOverlappingFiltersEachGetTheMessageOnce() throws Exception {
        String topic = "overlap/" + UUID.randomUUID();
        List<String> first = new CopyOnWriteArrayList<>();
        List<String> second = new CopyOnWriteArrayList<>();
        try (AsyncMqttClient sub = AsyncMqttClient.builder(config("overlap2-sub")).build();
             AsyncMqttClient pub = AsyncMqttClient.builder(config("overlap2-pub")).build()) {
            sub.connect().get(5, TimeUnit.SECONDS);
            pub.connect().get(5, TimeUnit.SECONDS);
            sub.subscribe(topic + "/#", Qos.EXACTLY_ONCE, m -> first.add(m.payloadAsString())).get(5, TimeUnit.SECONDS);
            sub.subscribe(topic + "/+", Qos.EXACTLY_ONCE, m -> second.add(m.payloadAsString())).get(5, TimeUnit.SECONDS);
            pub.publish(topic + "/a", bytes("both"), Qos.EXACTLY_ONCE, false).get(5, TimeUnit.SECONDS);
            pub.publish(topic + "/a/b", bytes("deep"), Qos.EXACTLY_ONCE, false).get(5, TimeUnit.SECONDS);
            AsyncClientTest.await(() -> first.size() == 2 && second.size() == 1, 5_000);
            Thread.sleep(200);
            assertThat(first).containsExactly("both", "deep");
            assertThat(second).containsExactly("both");
        }
    }

    @Test
    void unsubscribingOneOfAHandlersFiltersKeepsTheOther() throws Exception {
        String topic = "overlap/" + UUID.randomUUID();
        List<String> got = new CopyOnWriteArrayList<>();
        MessageHandler handler = m -> got.add(m.payloadAsString());
        try (AsyncMqttClient sub = AsyncMqttClient.builder(config("overlap3-sub")).build();
             AsyncMqttClient pub = AsyncMqttClient.builder(config("overlap3-pub")).build()) {
            sub.connect().get(5, TimeUnit.SECONDS);
            pub.connect().get(5, TimeUnit.SECONDS);
            sub.subscribe(List.of(Subscription.of(topic + "/#", Qos.AT_LEAST_ONCE),
                    Subscription.of(topic + "/+", Qos.AT_LEAST_ONCE)), handler).get(5, TimeUnit.SECONDS);
            sub.unsubscribe(topic + "/+").get(5, TimeUnit.SECONDS);
            pub.publish(topic + "/a", bytes("still"), Qos.AT_LEAST_ONCE, false).get(5, TimeUnit.SECONDS);
            AsyncClientTest.await(() -> got.size() == 1, 5_000);
            Thread.sleep(200);
            assertThat(got).containsExactly("still");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"$share//a", "$share/g+/a", "$share/g#/a", "$share/g", "$share/g/", "$share/g/a#"})
    void invalidSharedFiltersAreRefusedWhenSubscribing(String filter) {
        assertThatThrownBy(() -> Subscription.of(filter, Qos.AT_MOST_ONCE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("filter ");
    }
}
