package dev.wren.mqtt.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.MqttEvent;
import dev.wren.mqtt.MqttProperties;
import dev.wren.mqtt.ProtocolVersion;
import dev.wren.mqtt.Qos;
import dev.wren.testing.Mosquitto;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** MQTT 5.0 on the asynchronous client against Mosquitto: request / response (with a responder written here) and messages routed to handlers by their subscription identifier. */
@Tag("broker") // starts Mosquitto: left out of the fast run
class RequestResponseTest {
    private static final Mosquitto BROKER = Mosquitto.shared();

    private static MqttClientConfig config(String id) {
        return MqttClientConfig.builder().broker(BROKER.host(), BROKER.port()).clientId(id)
                .protocolVersion(ProtocolVersion.MQTT_5).build();
    }

    @Test
    void concurrentRequestsEachGetTheirOwnResponseAndAnUnansweredOneTimesOut() throws Exception {
        String service = "svc/" + UUID.randomUUID();
        String replies = "replies/" + UUID.randomUUID();
        try (AsyncMqttClient responder = AsyncMqttClient.builder(config("rr-responder")).build();
             AsyncMqttClient requester = AsyncMqttClient.builder(config("rr-requester")).build()) {
            responder.connect().get(5, TimeUnit.SECONDS);
            requester.connect().get(5, TimeUnit.SECONDS);
            // echoes the request, upper-cased, to its response topic with its correlation data; answers in reverse
            // order of arrival, so that matching by order would fail
            List<MqttEvent.Publish> held = new ArrayList<>();
            responder.subscribe(service, Qos.AT_LEAST_ONCE, m -> {
                synchronized (held) {
                    held.add(m);
                    if (held.size() == 5) {
                        for (int i = held.size() - 1; i >= 0; i--) {
                            MqttEvent.Publish r = held.get(i);
                            responder.publish(r.properties().responseTopic().orElseThrow(),
                                    r.payloadAsString().toUpperCase().getBytes(StandardCharsets.UTF_8),
                                    Qos.AT_LEAST_ONCE, false, MqttProperties.builder()
                                            .correlationData(r.properties().correlationData().orElseThrow()).build());
                        }
                    }
                }
            }).get(5, TimeUnit.SECONDS);
            List<CompletableFuture<MqttEvent.Publish>> answers = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                answers.add(requester.request(service, ("ask " + i).getBytes(StandardCharsets.UTF_8),
                        Qos.AT_LEAST_ONCE, replies, Duration.ofSeconds(10)));
            }
            for (int i = 0; i < 5; i++) {
                assertThat(answers.get(i).get(10, TimeUnit.SECONDS).payloadAsString()).isEqualTo("ASK " + i);
            }
            CompletableFuture<MqttEvent.Publish> unanswered = requester.request("nobody/" + UUID.randomUUID(),
                    new byte[0], Qos.AT_MOST_ONCE, replies, Duration.ofMillis(300));
            assertThatThrownBy(() -> unanswered.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TimeoutException.class);
        }
    }

    @Test
    void aSharedAndAPlainSubscriptionEachGetTheirOwnCopyByIdentifier() throws Exception {
        String topic = "route/" + UUID.randomUUID();
        List<String> shared = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> plain = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (AsyncMqttClient c = AsyncMqttClient.builder(config("route")).build()) {
            c.connect().get(5, TimeUnit.SECONDS);
            // both filters match the topic, and the broker sends one copy for each subscription: by filter alone
            // each handler would get both copies; by the identifier each copy carries, each gets its own
            c.subscribe(List.of(dev.wren.mqtt.Subscription.of("$share/g/" + topic, Qos.AT_LEAST_ONCE)), 1,
                    m -> shared.add(m.payloadAsString())).get(5, TimeUnit.SECONDS);
            c.subscribe(List.of(dev.wren.mqtt.Subscription.of(topic, Qos.AT_LEAST_ONCE)), 2,
                    m -> plain.add(m.payloadAsString())).get(5, TimeUnit.SECONDS);
            c.publish(topic, "once".getBytes(StandardCharsets.UTF_8), Qos.AT_LEAST_ONCE, false)
                    .get(5, TimeUnit.SECONDS);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while ((shared.isEmpty() || plain.isEmpty()) && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            Thread.sleep(200); // a second copy, if one were misrouted, has arrived by now on loopback
            assertThat(shared).containsExactly("once");
            assertThat(plain).containsExactly("once");
        }
    }

    @Test
    void aSubscriptionMadeAgainAfterAReconnectKeepsItsIdentifier() throws Exception {
        String topic = "again/" + UUID.randomUUID();
        List<MqttEvent.Publish> got = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (dev.wren.testing.FaultyProxy proxy = dev.wren.testing.FaultyProxy.to(BROKER.port());
             AsyncMqttClient c = AsyncMqttClient.builder(MqttClientConfig.builder().broker("127.0.0.1", proxy.port())
                     .clientId("again").protocolVersion(ProtocolVersion.MQTT_5).build())
                     .reconnectDelay(Duration.ofMillis(10), Duration.ofMillis(50)).build();
             AsyncMqttClient pub = AsyncMqttClient.builder(config("again-pub")).build()) {
            c.connect().get(5, TimeUnit.SECONDS);
            pub.connect().get(5, TimeUnit.SECONDS);
            c.subscribe(List.of(dev.wren.mqtt.Subscription.of(topic, Qos.AT_LEAST_ONCE)), 42, got::add)
                    .get(5, TimeUnit.SECONDS);
            proxy.cutAll(); // a clean session: the broker forgets the subscription, the client makes it again
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (got.isEmpty() && System.nanoTime() < end) {
                pub.publish(topic, "after".getBytes(StandardCharsets.UTF_8), Qos.AT_LEAST_ONCE, false)
                        .get(5, TimeUnit.SECONDS);
                Thread.sleep(50);
            }
            assertThat(got).isNotEmpty().allSatisfy(m -> assertThat(m.properties().subscriptionIdentifiers())
                    .containsExactly(42));
        }
    }

    @Test
    void aMqtt311ClientRefusesRequests() throws Exception {
        try (AsyncMqttClient c = AsyncMqttClient.builder(MqttClientConfig.builder().broker(BROKER.host(),
                BROKER.port()).build()).build()) {
            assertThatThrownBy(() -> c.request("a", new byte[0], Qos.AT_MOST_ONCE, "b", Duration.ofSeconds(1)))
                    .hasMessageContaining("needs MQTT 5.0");
        }
    }
}
