package dev.wren.testing;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Moquette, an MQTT 3.1.1 broker written in Java, started in this JVM on a free loopback port and stopped by
 * {@link #close()}: the test kit's broker where Mosquitto is not installed. It keeps nothing on disk and sends no
 * telemetry; anonymous clients may connect.
 *
 * <p>Thread-safe: {@link #close()} may be called from any thread, more than once.
 */
public final class Moquette implements AutoCloseable {
    private final Server server = new Server();
    private final int port;
    private boolean closed;

    private Moquette(int port) throws IOException {
        this.port = port;
        Properties settings = new Properties();
        settings.setProperty("host", "127.0.0.1");
        settings.setProperty("port", Integer.toString(port));
        settings.setProperty("websocket_port", "disabled");
        settings.setProperty("allow_anonymous", "true");
        settings.setProperty("persistence_enabled", "false");
        settings.setProperty("telemetry_enabled", "false");
        settings.setProperty("use_metrics", "false");
        settings.setProperty("use_bugsnag", "false");
        settings.setProperty("immediate_buffer_flush", "true"); // or Moquette holds small writes back
        settings.setProperty("netty.mqtt.message_size", Integer.toString(1 << 20));
        server.startServer(new MemoryConfig(settings));
    }

    /**
     * Starts Moquette on a free loopback port; fails with an {@link UncheckedIOException} if it cannot listen.
     *
     * @return the started broker
     */
    public static Moquette start() {
        try {
            return new Moquette(Mosquitto.freePort());
        } catch (IOException e) {
            throw new UncheckedIOException("Moquette did not start", e);
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
     * The port it listens on.
     *
     * @return the port
     */
    public int port() {
        return port;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            server.stopServer();
        }
    }
}
