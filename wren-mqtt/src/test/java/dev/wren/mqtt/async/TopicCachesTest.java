package dev.wren.mqtt.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.Qos;
import dev.wren.testing.Mosquitto;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The hot path's caches change no outcome: the checked and encoded topic kept from the last publish (a different
 * or an invalid topic is checked again), and the handlers kept per received topic (a subscribe or unsubscribe
 * makes the next message of that topic reach the handlers that match it then).
 */
@Tag("broker") // starts Mosquitto: left out of the fast run
class TopicCachesTest {
    private static final Mosquitto BROKER = Mosquitto.shared();

    private static AsyncMqttClient client(String id) {
        return AsyncMqttClient.builder(MqttClientConfig.builder().broker(BROKER.host(), BROKER.port()).clientId(id)
                .build()).build();
    }

    @Test
    void eachPublishGoesToItsOwnTopicAndAnInvalidTopicIsRefusedEveryTime() throws Exception {
        String base = "cache/" + UUID.randomUUID();
        List<String> got = new CopyOnWriteArrayList<>();
        try (AsyncMqttClient sub = client("cache-sub"); AsyncMqttClient pub = client("cache-pub")) {
            sub.connect().get(5, TimeUnit.SECONDS);
            sub.subscribe(base + "/#", Qos.AT_LEAST_ONCE, m -> got.add(m.topic() + "=" + m.payloadAsString()))
                    .get(5, TimeUnit.SECONDS);
            pub.connect().get(5, TimeUnit.SECONDS);
            String[] topics = {"a", "a", "b", "a", "ü/ñ", "ü/ñ", "b"};
            for (int i = 0; i < topics.length; i++) {
                pub.publish(base + "/" + topics[i], String.valueOf(i).getBytes(StandardCharsets.UTF_8),
                        Qos.AT_LEAST_ONCE, false).get(5, TimeUnit.SECONDS);
                if (i == 1) {
                    for (int k = 0; k < 2; k++) { // refused each time, though it follows a valid topic
                        assertThatThrownBy(() -> pub.publish(base + "/+", new byte[1], Qos.AT_MOST_ONCE, false))
                                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wildcard");
                    }
                }
            }
            AsyncClientTest.await(() -> got.size() == topics.length, 5_000);
            assertThat(got).containsExactly(base + "/a=0", base + "/a=1", base + "/b=2", base + "/a=3",
                    base + "/ü/ñ=4", base + "/ü/ñ=5", base + "/b=6");
        }
    }

    @Test
    void aSubscribeOrUnsubscribeChangesWhichHandlersTheNextMessageOfATopicReaches() throws Exception {
        String topic = "cache/" + UUID.randomUUID() + "/x";
        String wide = topic.substring(0, topic.length() - 2) + "/#";
        List<String> got = new CopyOnWriteArrayList<>();
        try (AsyncMqttClient sub = client("cache-match"); AsyncMqttClient pub = client("cache-match-pub")) {
            sub.connect().get(5, TimeUnit.SECONDS);
            pub.connect().get(5, TimeUnit.SECONDS);
            sub.subscribe(wide, Qos.AT_LEAST_ONCE, m -> got.add("wide:" + m.payloadAsString())).get(5, TimeUnit.SECONDS);
            send(pub, topic, "1");
            AsyncClientTest.await(() -> got.size() == 1, 5_000);
            sub.subscribe(topic, Qos.AT_LEAST_ONCE, m -> got.add("exact:" + m.payloadAsString())).get(5, TimeUnit.SECONDS);
            send(pub, topic, "2");
            AsyncClientTest.await(() -> got.size() == 3, 5_000);
            sub.unsubscribe(wide).get(5, TimeUnit.SECONDS);
            send(pub, topic, "3");
            AsyncClientTest.await(() -> got.size() == 4, 5_000);
            Thread.sleep(200); // nothing more may come
            assertThat(got.subList(0, 1)).containsExactly("wide:1");
            assertThat(got.subList(1, 3)).containsExactlyInAnyOrder("wide:2", "exact:2");
            assertThat(got.subList(3, got.size())).containsExactly("exact:3");
        }
    }

    private static void send(AsyncMqttClient pub, String topic, String payload) throws Exception {
        pub.publish(topic, payload.getBytes(StandardCharsets.UTF_8), Qos.AT_LEAST_ONCE, false).get(5, TimeUnit.SECONDS);
    }
}
