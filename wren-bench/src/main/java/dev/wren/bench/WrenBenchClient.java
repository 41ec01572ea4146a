package dev.wren.bench;

import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.Qos;
import dev.wren.mqtt.async.AsyncMqttClient;
import dev.wren.mqtt.async.AsyncMqttClientBuilder;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Wren's asynchronous client, MQTT 3.1.1 or (as "Wren5") 5.0, at its defaults (what README's quick start builds:
 * 4 KB receive and transmit buffers, a window of 100, a queue of 10,000); "WrenT" is tuned: 64 KB buffers, which is
 * all that was tuned.
 */
final class WrenBenchClient extends BenchClient {
    /**
     * Section d only: connections spread over this many loopback source addresses, 127.0.0.1 up
     * ({@code -Dwren.bench.sourceAddresses}); with one, the kernel looks for a free ephemeral port for each connect
     * among all those in use towards the broker's one address and port, which grows with every connection.
     */
    private static final int SOURCE_ADDRESSES = Integer.getInteger("wren.bench.sourceAddresses", 1);
    private static final java.util.concurrent.atomic.AtomicInteger NEXT_SOURCE =
            new java.util.concurrent.atomic.AtomicInteger();
    private final dev.wren.mqtt.ProtocolVersion version;
    /** Whether the client counts into an {@link dev.wren.mqtt.async.MqttMetrics} ("WrenM": what metrics cost). */
    private final boolean metrics;
    /** Whether the buffers are 64 KB instead of the default 4 KB ("WrenT"). */
    private final boolean tuned;
    private AsyncMqttClient client;
    private LoopProbe probe;

    WrenBenchClient(int window) {
        this(window, dev.wren.mqtt.ProtocolVersion.MQTT_3_1_1);
    }

    WrenBenchClient(int window, dev.wren.mqtt.ProtocolVersion version) {
        this(window, version, false);
    }

    WrenBenchClient(int window, dev.wren.mqtt.ProtocolVersion version, boolean metrics) {
        this(window, version, metrics, false);
    }

    WrenBenchClient(int window, dev.wren.mqtt.ProtocolVersion version, boolean metrics, boolean tuned) {
        this(window, version, metrics, tuned, Boolean.getBoolean("wren.bench.inlineCallbacks"));
    }

    /**
     * @param inline callbacks on the event loop ({@code executor(Runnable::run)}, "WrenI"): what an application with
     *               quick handlers may choose, a setting of its own in section f, never Wren's defaults
     */
    WrenBenchClient(int window, dev.wren.mqtt.ProtocolVersion version, boolean metrics, boolean tuned,
                    boolean inline) {
        super(window);
        this.version = version;
        this.metrics = metrics;
        this.tuned = tuned;
        this.inline = inline;
    }

    /** Whether callbacks run on the event loop instead of Wren's callback thread ("WrenI"). */
    private final boolean inline;

    @Override
    String name() {
        return (version.isMqtt5() ? "Wren5" : "Wren") + (metrics ? "M" : "") + (tuned ? "T" : "")
                + (inline ? "I" : "");
    }

    @Override
    void connect(String host, int port, String clientId) throws Exception {
        dev.wren.mqtt.TransportFactory t = switch (transport) {
            case "tls" -> dev.wren.mqtt.TransportFactory.tls(dev.wren.mqtt.TlsConfig.builder()
                    .caFile(BenchTransport.caFile()).build());
            case "ws", "hivews" -> dev.wren.mqtt.TransportFactory.webSocket(dev.wren.mqtt.TransportFactory.tcp(), "/mqtt", "mqtt");
            default -> SOURCE_ADDRESSES > 1 ? dev.wren.mqtt.TransportFactory.tcp(new java.net.InetSocketAddress(
                    "127.0.0." + (1 + NEXT_SOURCE.getAndIncrement() % SOURCE_ADDRESSES), 0))
                    : dev.wren.mqtt.TransportFactory.tcp();
        };
        MqttClientConfig.Builder config = MqttClientConfig.builder()
                .broker(host, BenchTransport.port(transport, host, port)).clientId(clientId)
                .protocolVersion(version).transport(t);
        if (tuned) {
            config.receiveBufferSize(64 * 1024).transmitBufferSize(64 * 1024);
        }
        // the bench's own window of 100 (a semaphore) equals Wren's default send window: nothing else is set
        AsyncMqttClientBuilder b = AsyncMqttClient.builder(config.build()).automaticReconnect(false);
        if (metrics) {
            b.metrics(new dev.wren.mqtt.async.MqttMetrics());
        }
        if (inline) {
            // callbacks on the event loop, as HiveMQ runs them by default: what the hand-off to Wren's callback
            // thread costs (WrenI in section f; -Dwren.bench.inlineCallbacks=true for any Wren cell)
            b.executor(Runnable::run);
        }
        String store = System.getProperty("wren.bench.fileStore");
        if (store != null) {
            // not in the main tables: QoS 1/2 messages kept in files (fsync per step), and how long the shared
            // event loop, which every client's keep-alive and I/O needs, takes to run a task meanwhile
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory(java.nio.file.Path.of(store), clientId);
            b.sessionStore(dev.wren.mqtt.async.SessionStore.files(dir));
            probe = new LoopProbe();
        }
        client = b.build();
        client.connect().get(10, TimeUnit.SECONDS);
    }

    @Override
    void send(String topic, byte[] payload, int qos) {
        client.publish(topic, payload, Qos.of(qos), false).whenComplete((v, e) -> done(e));
    }

    @Override
    void subscribe(String topic, int qos, Consumer<byte[]> onMessage) throws Exception {
        client.subscribe(topic, Qos.of(qos), m -> onMessage.accept(m.payloadBytes())).get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
        if (probe != null) {
            probe.close();
        }
    }

    /**
     * Every millisecond, a task on the shared event loop; reports, at close, how late such tasks ran (what another
     * client on the loop would wait for its reads, writes and pings).
     */
    static final class LoopProbe implements AutoCloseable {
        private final java.util.concurrent.ScheduledExecutorService timer =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "loop-probe");
                    t.setDaemon(true);
                    return t;
                });
        private final java.util.List<Long> delays = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

        LoopProbe() {
            timer.scheduleAtFixedRate(() -> {
                long at = System.nanoTime();
                dev.wren.mqtt.async.EventLoop.shared().execute(() -> delays.add(System.nanoTime() - at));
            }, 1, 1, TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            timer.shutdownNow();
            long[] d;
            synchronized (delays) {
                d = delays.stream().mapToLong(Long::longValue).sorted().toArray();
            }
            if (d.length > 0) {
                System.out.printf(java.util.Locale.ROOT, "event loop delay over %d probes: median %.0f µs, "
                        + "p99 %.0f µs, max %.0f µs%n", d.length, d[d.length / 2] / 1e3,
                        d[(int) (d.length * 0.99)] / 1e3, d[d.length - 1] / 1e3);
            }
        }
    }
}
