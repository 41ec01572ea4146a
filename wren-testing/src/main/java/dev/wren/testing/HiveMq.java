package dev.wren.testing;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The HiveMQ Community Edition broker embedded in the test JVM, on a free loopback port, with a configuration and data
 * folder of its own, a WebSocket listener of its own ({@link #webSocketPort()}), and an extension that lets every
 * client in (HiveMQ CE refuses clients when no security extension is present). Its queue per client holds 10 million
 * messages instead of 1,000, so that a subscriber falling behind a fast publisher is not dropped from (the default
 * discards the newest beyond 1,000, QoS 1 and 2 alike). Started once per test class that uses it; stopped by {@link #close()}. The broker and its
 * dependencies (Netty, RocksDB, ...) come with this module only, which is a test-scope dependency.
 */
public final class HiveMq implements AutoCloseable {
    private final EmbeddedHiveMQ hivemq;
    private final int port;
    private final int webSocketPort;
    private final Path dir;

    private HiveMq(EmbeddedHiveMQ hivemq, int port, int webSocketPort, Path dir) {
        this.hivemq = hivemq;
        this.port = port;
        this.webSocketPort = webSocketPort;
        this.dir = dir;
    }

    /** Lets every client connect. */
    public static final class AllowAll implements ExtensionMain {
        @Override
        public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
            Services.securityRegistry().setAuthenticatorProvider(
                    providerInput -> (SimpleAuthenticator) (in, out) -> out.authenticateSuccessfully());
        }

        @Override
        public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
        }
    }

    /**
     * Starts a broker; blocks until it listens.
     *
     * @return the started broker
     */
    public static HiveMq start() {
        try {
            int port = Mosquitto.freePort();
            int webSocketPort = Mosquitto.freePort();
            Path dir = Files.createTempDirectory("wren-hivemq");
            Path conf = Files.createDirectories(dir.resolve("conf"));
            Files.writeString(conf.resolve("config.xml"), """
                    <?xml version="1.0"?>
                    <hivemq>
                        <listeners>
                            <tcp-listener>
                                <port>%d</port>
                                <bind-address>127.0.0.1</bind-address>
                            </tcp-listener>
                            <websocket-listener>
                                <port>%d</port>
                                <bind-address>127.0.0.1</bind-address>
                                <path>/mqtt</path>
                                <subprotocols>
                                    <subprotocol>mqtt</subprotocol>
                                </subprotocols>
                            </websocket-listener>
                        </listeners>
                        <mqtt>
                            <queued-messages>
                                <max-queue-size>10000000</max-queue-size>
                            </queued-messages>
                        </mqtt>
                        <anonymous-usage-statistics>
                            <enabled>false</enabled>
                        </anonymous-usage-statistics>
                    </hivemq>
                    """.formatted(port, webSocketPort));
            EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
                    .withConfigurationFolder(conf)
                    .withDataFolder(Files.createDirectories(dir.resolve("data")))
                    .withExtensionsFolder(Files.createDirectories(dir.resolve("extensions")))
                    .withEmbeddedExtension(EmbeddedExtension.builder().withId("wren-allow-all")
                            .withName("allow all").withVersion("1").withPriority(0).withStartPriority(1000)
                            .withAuthor("wren").withExtensionMain(new AllowAll()).build())
                    .build();
            hivemq.start().get(60, TimeUnit.SECONDS);
            return new HiveMq(hivemq, port, webSocketPort, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start HiveMQ CE: " + e, e);
        }
    }

    /**
     * The loopback address it listens on.
     *
     * @return the host
     */
    public String host() {
        return "127.0.0.1";
    }

    /**
     * The port it listens on for MQTT over TCP.
     *
     * @return the port
     */
    public int port() {
        return port;
    }

    /**
     * The broker's own WebSocket listener, at path {@code /mqtt}, subprotocol {@code mqtt}.
     *
     * @return the WebSocket port
     */
    public int webSocketPort() {
        return webSocketPort;
    }

    @Override
    public void close() {
        try {
            hivemq.stop().get(30, TimeUnit.SECONDS);
            hivemq.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop HiveMQ CE: " + e, e);
        }
    }

    /**
     * Its configuration and data folders.
     *
     * @return the directory
     */
    public Path directory() {
        return dir;
    }
}
