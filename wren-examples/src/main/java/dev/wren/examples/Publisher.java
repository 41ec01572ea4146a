package dev.wren.examples;

import dev.wren.mqtt.MqttClient;
import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.MqttEvent;
import dev.wren.mqtt.ProtocolVersion;
import dev.wren.mqtt.Qos;
import dev.wren.mqtt.TlsConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.SelectableChannel;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Zephyr's {@code samples/net/mqtt_publisher} in Java, on Wren's poll-driven client.
 *
 * <p>It connects (up to ten tries), then for each iteration pings and publishes {@code DOORS:OPEN_QoS0},
 * {@code _QoS1} and {@code _QoS2} to topic {@code sensors}, each followed by the sample's
 * "process and sleep" step: wait on the socket, {@code input()}, {@code live()}. Then it disconnects. Every
 * event is printed. It exits 0 when every acknowledgement arrived.
 */
@Command(name = "publisher", mixinStandardHelpOptions = true,
        description = "Zephyr's mqtt_publisher sample on Wren: connect, then ping and publish at QoS 0, 1 and 2.")
public final class Publisher implements Callable<Integer> {
    private static final int APP_CONNECT_TRIES = 10;
    private static final long APP_CONNECT_TIMEOUT_MS = 2000;

    @Option(names = {"-h", "--host"}, description = "broker host (default: ${DEFAULT-VALUE})")
    String host = "localhost";

    @Option(names = {"-p", "--port"}, description = "broker port (default: ${DEFAULT-VALUE})")
    int port = 1883;

    @Option(names = {"-n", "--iterations"}, description = "publish rounds (default: ${DEFAULT-VALUE})")
    int iterations = 5;

    @Option(names = {"-t", "--topic"}, description = "topic (default: ${DEFAULT-VALUE})")
    String topic = "sensors";

    @Option(names = {"-i", "--id"}, description = "client id (default: ${DEFAULT-VALUE})")
    String clientId = "zephyr_publisher";

    @Option(names = {"-V", "--protocol"}, description = "mqttv31 or mqttv311 (default: ${DEFAULT-VALUE})")
    String protocol = "mqttv311";

    @Option(names = "--sleep-ms", description = "time per process-and-sleep step (default: ${DEFAULT-VALUE})")
    long sleepMillis = 500;

    @Option(names = "--cafile", description = "connect over TLS, trusting the CA certificates in this PEM file")
    java.nio.file.Path caFile;

    @Option(names = "--cert", description = "TLS client certificate (PEM), with --key")
    java.nio.file.Path certFile;

    @Option(names = "--key", description = "TLS client private key (PEM)")
    java.nio.file.Path keyFile;

    @Option(names = "--insecure", description = "TLS without checking the server's certificate (tests only)")
    boolean insecure;

    private final PrintStream out;
    private int published;
    private int acknowledged;

    public Publisher() {
        this(System.out);
    }

    Publisher(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(System.out, args));
    }

    /** Runs the sample with {@code args}, printing to {@code out}; returns the exit code. */
    public static int run(PrintStream out, String... args) {
        return new CommandLine(new Publisher(out)).execute(args);
    }

    @Override
    public Integer call() throws IOException {
        ProtocolVersion version = switch (protocol) {
            case "mqttv31", "31", "3.1" -> ProtocolVersion.MQTT_3_1;
            case "mqttv311", "311", "3.1.1" -> ProtocolVersion.MQTT_3_1_1;
            default -> throw new CommandLine.ParameterException(new CommandLine(this),
                    "--protocol must be mqttv31 or mqttv311, was " + protocol);
        };
        MqttClientConfig.Builder builder = MqttClientConfig.builder();
        if (caFile != null || certFile != null || insecure) {
            TlsConfig.Builder tls = TlsConfig.builder();
            if (caFile != null) {
                tls.caFile(caFile);
            }
            if (certFile != null) {
                if (keyFile == null) {
                    throw new CommandLine.ParameterException(new CommandLine(this), "--cert needs --key");
                }
                tls.clientCertificate(certFile, keyFile, null);
            }
            if (insecure) {
                tls.verification(TlsConfig.PeerVerification.NONE);
            }
            builder.tls(tls.build());
        }
        MqttClientConfig config = builder
                .broker(host, port)
                .clientId(clientId)
                .protocolVersion(version)
                .receiveBufferSize(128)   // the sample's APP_MQTT_BUFFER_SIZE
                .transmitBufferSize(128)
                .build();
        MqttClient client = new MqttClient(config, this::onEvent);
        try (Selector selector = Selector.open()) {
            if (!tryToConnect(client, selector)) {
                out.println("could not connect to " + host + ":" + port + " after " + APP_CONNECT_TRIES + " tries");
                return 2;
            }
            for (int i = 0; i < iterations && client.isConnected(); i++) {
                client.ping();
                processAndSleep(client, selector);
                for (Qos qos : Qos.values()) {
                    byte[] payload = ("DOORS:OPEN_QoS" + qos.code()).getBytes(StandardCharsets.UTF_8);
                    int id = client.publish(topic, payload, qos, false);
                    out.println("PUBLISH " + topic + " qos=" + qos.code() + " id=" + id + " payload=DOORS:OPEN_QoS" + qos.code());
                    if (id == MqttClient.WOULD_BLOCK) {
                        out.println("transmit side busy, message not sent");
                    } else {
                        published += qos == Qos.AT_MOST_ONCE ? 0 : 1;
                    }
                    processAndSleep(client, selector);
                }
            }
            // wait for the last acknowledgements, then disconnect
            long deadline = System.currentTimeMillis() + 5_000;
            while (client.isConnected() && client.inflight() > 0 && System.currentTimeMillis() < deadline) {
                waitAndProcess(client, selector, 100);
            }
            if (client.isConnected()) {
                client.disconnect();
            }
        }
        boolean ok = acknowledged == published;
        out.println((ok ? "OK: " : "FAILED: ") + acknowledged + " of " + published + " QoS 1/2 messages acknowledged");
        return ok ? 0 : 1;
    }

    private boolean tryToConnect(MqttClient client, Selector selector) throws IOException {
        for (int attempt = 1; attempt <= APP_CONNECT_TRIES; attempt++) {
            out.println("connecting to " + host + ":" + port + " (attempt " + attempt + ")");
            client.connect();
            long deadline = System.currentTimeMillis() + APP_CONNECT_TIMEOUT_MS;
            while (client.isOpen() && !client.isConnected() && System.currentTimeMillis() < deadline) {
                waitAndProcess(client, selector, deadline - System.currentTimeMillis());
            }
            if (client.isConnected()) {
                return true;
            }
            client.abort();
            sleep(Math.min(sleepMillis, 500));
        }
        return false;
    }

    /** The sample's process_mqtt_and_sleep: poll, input, live, for {@code sleepMillis}. */
    private void processAndSleep(MqttClient client, Selector selector) throws IOException {
        long end = System.currentTimeMillis() + sleepMillis;
        long left;
        while ((left = end - System.currentTimeMillis()) > 0 && client.isOpen()) {
            waitAndProcess(client, selector, left);
        }
    }

    private static void waitAndProcess(MqttClient client, Selector selector, long maxMillis) throws IOException {
        SelectableChannel channel = client.channel();
        if (channel == null) {
            return;
        }
        channel.register(selector, client.interestOps());
        long keepAlive = client.keepAliveTimeLeft();
        long timeout = keepAlive < 0 ? maxMillis : Math.min(maxMillis, keepAlive);
        selector.select(Math.max(1, timeout));
        selector.selectedKeys().clear();
        client.input();
        client.live();
    }

    private void onEvent(MqttClient client, MqttEvent event) {
        out.println("event: " + event);
        if (event instanceof MqttEvent.PubAck || event instanceof MqttEvent.PubComp) {
            acknowledged++;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
