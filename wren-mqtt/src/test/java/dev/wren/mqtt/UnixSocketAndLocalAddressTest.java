package dev.wren.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.testing.Mosquitto;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A Unix domain socket and a chosen local address, against Mosquitto (its {@code listener 0 /path}). */
@Tag("broker") // starts Mosquitto: left out of the fast run
class UnixSocketAndLocalAddressTest {
    private static Path socket;
    private static Mosquitto broker;

    @BeforeAll
    static void start() throws Exception {
        broker = Mosquitto.startWithUnixSocket();
        socket = broker.unixSocket();
    }

    @AfterAll
    static void stop() throws Exception {
        broker.close();
    }

    @Test
    void everyQosGoesBothWaysOverAUnixDomainSocket() {
        Events events = new Events();
        java.util.List<String> payloads = new java.util.ArrayList<>();
        MqttClient client = new MqttClient(MqttClientConfig.builder().broker("localhost", 1).clientId("wren-unix")
                .transport(TransportFactory.unix(socket)).build(), (c, e) -> {
                    if (e instanceof MqttEvent.Publish p) {
                        payloads.add(p.payloadAsString()); // a view of the receive buffer: read it now
                    }
                    events.onEvent(c, e);
                });
        Poll.connect(client, events);
        String topic = "unix/" + UUID.randomUUID();
        client.subscribe(topic, Qos.EXACTLY_ONCE);
        Poll.until(() -> events.count(MqttEvent.SubAck.class) == 1, 5_000, client);
        for (Qos q : Qos.values()) {
            client.publish(topic, ("over unix " + q.code()).getBytes(StandardCharsets.UTF_8), q, false);
        }
        Poll.until(() -> events.count(MqttEvent.Publish.class) == 3 && client.inflight() == 0, 5_000, client);
        assertThat(payloads).containsExactlyInAnyOrder("over unix 0", "over unix 1", "over unix 2");
        client.disconnect();
        assertThat(events.disconnect().reason()).isEqualTo(DisconnectReason.NORMAL);
    }

    @Test
    void aClientConnectsFromTheLocalAddressItIsGiven() throws Exception {
        int localPort = Mosquitto.freePort();
        Events events = new Events();
        MqttClient client = new MqttClient(MqttClientConfig.builder().broker(broker.host(), broker.port())
                .clientId("wren-bound").transport(TransportFactory.tcp(new InetSocketAddress("127.0.0.1", localPort)))
                .build(), events);
        Poll.connect(client, events);
        InetSocketAddress local = (InetSocketAddress) ((SocketChannel) client.channel()).getLocalAddress();
        assertThat(local.getPort()).isEqualTo(localPort);
        assertThat(local.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        client.disconnect();
    }
}
