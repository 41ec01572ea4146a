package dev.wren.mqtt.async;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.mqtt.MqttEvent;
import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.Qos;
import dev.wren.testing.FakeBroker;
import dev.wren.testing.FaultyProxy;
import dev.wren.testing.Mosquitto;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code manualAcks(true)} on the asynchronous client: the application acknowledges, the client keeps the order. */
@Tag("broker") // starts Mosquitto: left out of the fast run
class ManualAcksTest {
    private static final Mosquitto BROKER = Mosquitto.shared();

    @Test
    void acknowledgementsGoOutInArrivalOrderWhateverOrderTheApplicationGivesThem() throws Exception {
        List<Integer> pubAcks = new CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch pubCompSeen = new java.util.concurrent.CountDownLatch(1);
        try (FakeBroker broker = FakeBroker.start(c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("20020000");
            c.send("3206000174000178"); // QoS 1, id 1
            c.send("3206000174000278"); // QoS 1, id 2
            c.send("3206000174000378"); // QoS 1, id 3
            c.send("3406000174000478"); // QoS 2, id 4
            boolean pubRec = false;
            for (int i = 0; i < 4; i++) { // three PUBACKs and the PUBREC, which keeps no order with them
                byte[] ack = c.readPacket();
                int id = ((ack[2] & 0xFF) << 8) | (ack[3] & 0xFF);
                if ((ack[0] & 0xFF) == 0x40) {
                    pubAcks.add(id);
                } else if ((ack[0] & 0xFF) == 0x50 && id == 4) {
                    pubRec = true;
                } else {
                    throw new AssertionError("unexpected packet " + FakeBroker.class.getSimpleName() + " " + ack[0]);
                }
            }
            if (!pubRec) {
                throw new AssertionError("no PUBREC");
            }
            c.send("62020004"); // PUBREL: answered by the client by itself
            if (c.expectWithId(FakeBroker.PUBCOMP) != 4) {
                throw new AssertionError("PUBCOMP for another identifier");
            }
            pubCompSeen.countDown();
            c.expect(FakeBroker.DISCONNECT);
        })) {
            List<MqttEvent.Publish> got = new CopyOnWriteArrayList<>();
            try (AsyncMqttClient client = AsyncMqttClient.builder(MqttClientConfig.builder()
                            .broker(broker.host(), broker.port()).clientId("manual").manualAcks(true).build())
                    .automaticReconnect(false).fallbackHandler(got::add).build()) {
                client.connect().get(5, TimeUnit.SECONDS);
                AsyncClientTest.await(() -> got.size() == 4, 5_000);
                got.get(2).acknowledge(); // id 3 first: held back behind 1 and 2
                got.get(2).acknowledge(); // twice: still once
                Thread.sleep(200);
                assertThat(pubAcks).isEmpty();
                got.get(0).acknowledge();
                got.get(3).acknowledge(); // the QoS 2 message waits for no QoS 1 one
                got.get(1).acknowledge();
                AsyncClientTest.await(() -> pubAcks.size() == 3, 5_000);
                // the PUBREL comes once the script has read every acknowledgement: disconnect after its PUBCOMP
                assertThat(pubCompSeen.await(5, TimeUnit.SECONDS)).as("PUBCOMP sent by the client").isTrue();
                client.disconnect().get(5, TimeUnit.SECONDS);
            }
            broker.await();
            assertThat(pubAcks).containsExactly(1, 2, 3);
        }
    }

    @Test
    void aMessageNeverAcknowledgedIsDeliveredAgainAfterAReconnectWithASession() throws Exception {
        String topic = "manual/" + UUID.randomUUID();
        List<MqttEvent.Publish> got = new CopyOnWriteArrayList<>();
        try (FaultyProxy proxy = FaultyProxy.to(BROKER.port());
             AsyncMqttClient sub = AsyncMqttClient.builder(MqttClientConfig.builder()
                             .broker(BROKER.host(), proxy.port()).clientId("manual-redeliver").cleanSession(false)
                             .manualAcks(true).build())
                     .reconnectDelay(java.time.Duration.ofMillis(50), java.time.Duration.ofMillis(200)).build();
             AsyncMqttClient pub = AsyncMqttClient.builder(MqttClientConfig.builder()
                     .broker(BROKER.host(), BROKER.port()).clientId("manual-pub").build()).build()) {
            sub.connect().get(5, TimeUnit.SECONDS);
            pub.connect().get(5, TimeUnit.SECONDS);
            sub.subscribe(topic, Qos.AT_LEAST_ONCE, got::add).get(5, TimeUnit.SECONDS);
            pub.publish(topic, "once".getBytes(StandardCharsets.UTF_8), Qos.AT_LEAST_ONCE, false)
                    .get(5, TimeUnit.SECONDS);
            AsyncClientTest.await(() -> got.size() == 1, 5_000);
            proxy.cutAll(); // not acknowledged: the broker keeps it for the session
            AsyncClientTest.await(() -> got.size() == 2, 10_000);
            assertThat(got.get(1).payloadAsString()).isEqualTo("once");
            assertThat(got.get(1).dup()).isTrue();
            got.get(0).acknowledge(); // meant for the old connection: does nothing
            got.get(1).acknowledge();
            pub.publish(topic, "next".getBytes(StandardCharsets.UTF_8), Qos.AT_LEAST_ONCE, false)
                    .get(5, TimeUnit.SECONDS);
            AsyncClientTest.await(() -> got.size() == 3, 5_000);
            got.get(2).acknowledge();
            Thread.sleep(300);
            proxy.cutAll(); // both acknowledged: nothing comes again
            AsyncClientTest.await(sub::isConnected, 10_000);
            Thread.sleep(500);
            assertThat(got).extracting(MqttEvent.Publish::payloadAsString).containsExactly("once", "once", "next");
        }
    }

    @Test
    void withManualAcksAStreamLongerThanTheBrokersQuotaKeepsFlowingWhenTheHandlerAcknowledges() throws Exception {
        String topic = "manual/" + UUID.randomUUID();
        List<String> got = new CopyOnWriteArrayList<>();
        try (AsyncMqttClient sub = AsyncMqttClient.builder(MqttClientConfig.builder()
                             .broker(BROKER.host(), BROKER.port()).clientId("manual-flow").manualAcks(true)
                             .receiveBufferSize(64).build()).build(); // 100-byte payloads are streamed
             AsyncMqttClient pub = AsyncMqttClient.builder(MqttClientConfig.builder()
                     .broker(BROKER.host(), BROKER.port()).clientId("manual-flow-pub").build()).build()) {
            sub.connect().get(5, TimeUnit.SECONDS);
            pub.connect().get(5, TimeUnit.SECONDS);
            sub.subscribe(topic, Qos.EXACTLY_ONCE, m -> {
                got.add(m.payloadAsString().trim());
                m.acknowledge();
            }).get(5, TimeUnit.SECONDS);
            for (int i = 0; i < 200; i++) {
                String body = String.format("%-100s", "m" + i);
                pub.publish(topic, body.getBytes(StandardCharsets.UTF_8), i % 2 == 0 ? Qos.AT_LEAST_ONCE
                        : Qos.EXACTLY_ONCE, false).get(5, TimeUnit.SECONDS);
            }
            AsyncClientTest.await(() -> got.size() == 200, 10_000);
            assertThat(got).startsWith("m0", "m1").endsWith("m199").doesNotHaveDuplicates();
        }
    }
}
