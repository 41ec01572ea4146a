package com.example.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.Qos;
import dev.wren.mqtt.async.AsyncMqttClient;
import dev.wren.testing.FakeBroker;
import dev.wren.testing.FaultyProxy;
import dev.wren.testing.Mosquitto;
import dev.wren.testing.junit.TestBroker;
import dev.wren.testing.junit.WrenBroker;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * How a user tests MQTT code with the test kit: a broker from {@code @WrenBroker} (one for the class, or one of a
 * chosen kind for a single test), a scripted {@link FakeBroker} for what a real broker will not do on demand, and
 * a {@link FaultyProxy} for a network that fails.
 */
@WrenBroker
class OrderEventsTest {
    private final TestBroker broker;

    OrderEventsTest(TestBroker broker) {
        this.broker = broker; // the class's broker, injected into the constructor
    }

    private static BlockingQueue<String> subscriber(AsyncMqttClient sub) throws Exception {
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        sub.connect().get(5, TimeUnit.SECONDS);
        sub.subscribe("orders/+/placed", Qos.AT_LEAST_ONCE, m -> got.add(m.topic() + " " + m.payloadAsString()))
                .get(5, TimeUnit.SECONDS);
        return got;
    }

    private static AsyncMqttClient watcher(TestBroker broker) {
        return AsyncMqttClient.builder(MqttClientConfig.builder().broker(broker.host(), broker.port())
                .clientId("watcher").build()).build();
    }

    @Test
    void theClassBrokerIsMosquittoWhereItIsInstalledAndMoquetteOtherwise() {
        assertThat(broker.kind()).isEqualTo(Mosquitto.isInstalled() ? WrenBroker.Kind.MOSQUITTO : WrenBroker.Kind.MOQUETTE);
        assertThat(broker.uri()).isEqualTo("tcp://127.0.0.1:" + broker.port());
    }

    @Test
    void aPlacedOrderReachesASubscriber(TestBroker sameBroker) throws Exception {
        assertThat(sameBroker.port()).as("a method parameter gets the class's broker").isEqualTo(broker.port());
        assertThat(placeAndWatch(broker, "shop", "42", 3)).isEqualTo("orders/42/placed quantity=3");
    }

    /** Places one order through {@code via} with a watcher subscribed; what the watcher got. */
    static String placeAndWatch(TestBroker via, String clientId, String order, int quantity) throws Exception {
        try (AsyncMqttClient sub = watcher(via);
             OrderEvents events = OrderEvents.connect(via.host(), via.port(), clientId).get(5, TimeUnit.SECONDS)) {
            BlockingQueue<String> got = subscriber(sub);
            events.placed(order, quantity).get(5, TimeUnit.SECONDS);
            return got.poll(5, TimeUnit.SECONDS);
        }
    }

    @Test
    @WrenBroker(WrenBroker.Kind.MOQUETTE)
    void aTestCanAskForMoquetteInTheJvm(TestBroker moquette) throws Exception {
        assertThat(moquette.kind()).isEqualTo(WrenBroker.Kind.MOQUETTE);
        assertThat(moquette.port()).as("a broker of its own").isNotEqualTo(broker.port());
        assertThat(placeAndWatch(moquette, "shop-m", "7", 1)).isEqualTo("orders/7/placed quantity=1");
    }

    @Test
    void aRefusedConnectionFailsConnectWithTheReason() throws Exception {
        try (FakeBroker refusing = FakeBroker.start(c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("20020005"); // CONNACK, return code 5: not authorized
        })) {
            CompletableFuture<OrderEvents> connecting = OrderEvents.connect(refusing.host(), refusing.port(), "shop-x");
            assertThatThrownBy(() -> connecting.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasMessageContaining("refused us").hasMessageContaining("NOT_AUTHORIZED");
            refusing.await();
        }
    }

    @Test
    void anOrderCutOffMidPacketIsDeliveredAfterTheReconnect() throws Exception {
        try (FaultyProxy network = FaultyProxy.to(broker.port());
             AsyncMqttClient sub = watcher(broker);
             OrderEvents events = OrderEvents.connect("127.0.0.1", network.port(), "shop-cut").get(5, TimeUnit.SECONDS)) {
            BlockingQueue<String> got = subscriber(sub);
            network.cutMidPacket(FaultyProxy.Direction.TO_BROKER); // the PUBLISH arrives in part, then the line drops
            CompletableFuture<Void> placed = events.placed("9", 2);
            placed.get(10, TimeUnit.SECONDS); // re-sent in the resumed session and acknowledged
            assertThat(network.cuts()).isEqualTo(1);
            assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo("orders/9/placed quantity=2");
        }
    }

    @Test
    void anOrderPlacedWhileTheNetworkStallsCompletesWhenItRecovers() throws Exception {
        try (FaultyProxy network = FaultyProxy.to(broker.port());
             OrderEvents events = OrderEvents.connect("127.0.0.1", network.port(), "shop-stall").get(5, TimeUnit.SECONDS)) {
            network.stall(true);
            CompletableFuture<Void> placed = events.placed("11", 5);
            Thread.sleep(300);
            assertThat(placed).as("no acknowledgement through a stalled network").isNotDone();
            network.stall(false);
            placed.get(5, TimeUnit.SECONDS);
        }
    }
}
