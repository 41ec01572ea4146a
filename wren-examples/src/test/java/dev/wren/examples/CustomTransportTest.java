package dev.wren.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.mqtt.MqttClient;
import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.MqttEvent;
import dev.wren.mqtt.Qos;
import dev.wren.mqtt.Transport;
import dev.wren.mqtt.TransportFactory;
import dev.wren.testing.Mosquitto;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Transports of the application's own: the counting example, and an in-memory pipe. */
class CustomTransportTest {
    private static final Mosquitto BROKER = Mosquitto.shared();

    private static void poll(MqttClient client, java.util.function.BooleanSupplier until) throws IOException {
        long end = System.nanoTime() + 10_000_000_000L;
        try (Selector selector = Selector.open()) {
            while (!until.getAsBoolean()) {
                if (System.nanoTime() > end) {
                    throw new AssertionError("condition not met in time");
                }
                if (client.channel() != null) {
                    client.channel().register(selector, client.interestOps());
                    selector.select(Math.max(1, Math.min(20, client.keepAliveTimeLeft())));
                    selector.selectedKeys().clear();
                }
                client.input();
                client.live();
            }
        }
    }

    @Test
    void theCountingTransportSeesEveryByteBothWays() throws Exception {
        CountingTransport.Factory counting = new CountingTransport.Factory(TransportFactory.tcp());
        List<MqttEvent> events = new ArrayList<>();
        MqttClient client = new MqttClient(MqttClientConfig.builder().broker(BROKER.host(), BROKER.port())
                .clientId("counted").transport(counting).build(), (c, e) -> events.add(e));
        client.connect();
        poll(client, client::isConnected);
        client.publish("counted/" + UUID.randomUUID(), new byte[100], Qos.AT_LEAST_ONCE, false);
        poll(client, () -> client.inflight() == 0);
        client.disconnect();
        poll(client, () -> !client.isOpen());
        // CONNECT (about 20 B) + PUBLISH (100 B payload) + DISCONNECT (2 B) out; CONNACK + PUBACK (8 B) in
        assertThat(counting.sent()).isBetween(120L, 200L);
        assertThat(counting.received()).isEqualTo(8);
    }

    /**
     * An in-memory transport: the client's bytes go into one {@link Pipe} and come back from another; a relay
     * thread of the test carries them to and from the broker, standing for whatever an application would put there
     * (a serial line, a tunnel, another library's socket).
     */
    private static final class PipeTransport implements Transport {
        final Pipe toBroker = Pipe.open();
        final Pipe fromBroker = Pipe.open();

        PipeTransport() throws IOException {
            toBroker.sink().configureBlocking(false);
            fromBroker.source().configureBlocking(false);
        }

        @Override
        public boolean finishConnect() {
            return true;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return fromBroker.source().read(dst);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            return toBroker.sink().write(srcs, offset, length);
        }

        /** The client waits on the source it reads from; writes to a pipe with room never wait. */
        @Override
        public SelectableChannel channel() {
            return fromBroker.source();
        }

        @Override
        public int interestOps(boolean clientWantsWrite) {
            return SelectionKey.OP_READ;
        }

        @Override
        public void awaitReadable(long timeoutMillis) throws IOException {
            try (Selector s = Selector.open()) {
                fromBroker.source().register(s, SelectionKey.OP_READ);
                s.select(Math.max(1, timeoutMillis));
            }
        }

        @Override
        public void close() {
            try {
                toBroker.sink().close();
                fromBroker.source().close();
            } catch (IOException ignored) {
                // closing
            }
        }

        /** Carries the bytes between the pipes and a socket to the broker, on two threads. */
        void relayTo(InetSocketAddress broker) throws IOException {
            SocketChannel socket = SocketChannel.open(broker);
            Thread up = new Thread(() -> copy(toBroker.source(), socket));
            Thread down = new Thread(() -> copy(socket, fromBroker.sink()));
            up.setDaemon(true);
            down.setDaemon(true);
            up.start();
            down.start();
        }

        private static void copy(java.nio.channels.ReadableByteChannel from, java.nio.channels.WritableByteChannel to) {
            ByteBuffer buf = ByteBuffer.allocate(4096);
            try {
                while (from.read(buf) >= 0) {
                    buf.flip();
                    while (buf.hasRemaining()) {
                        to.write(buf);
                    }
                    buf.clear();
                }
                to.close();
            } catch (IOException ignored) {
                // one side closed
            }
        }
    }

    @Test
    void aClientRunsOverAnInMemoryPipeOfTheApplicationsOwn() throws Exception {
        PipeTransport pipe = new PipeTransport();
        pipe.relayTo(new InetSocketAddress(BROKER.host(), BROKER.port()));
        List<String> got = new ArrayList<>();
        MqttClient client = new MqttClient(MqttClientConfig.builder().broker("in-memory", 1).clientId("piped")
                .transport((host, port) -> pipe).build(), (c, e) -> {
                    if (e instanceof MqttEvent.Publish p) {
                        got.add(p.payloadAsString());
                    }
                });
        client.connect();
        poll(client, client::isConnected);
        String topic = "piped/" + UUID.randomUUID();
        client.subscribe(topic, Qos.AT_LEAST_ONCE);
        client.publish(topic, "through a pipe".getBytes(StandardCharsets.UTF_8), Qos.AT_LEAST_ONCE, false);
        poll(client, () -> got.size() == 1 && client.inflight() == 0);
        assertThat(got).containsExactly("through a pipe");
        client.disconnect();
        poll(client, () -> !client.isOpen());
    }
}
