package dev.wren.cli.broker;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.util.Properties;

/**
 * Moquette on a given loopback port, for {@code wren demo} and the class-data training run. Persistence,
 * telemetry, metrics and error reporting are off, so it writes nothing and talks to nobody.
 *
 * <p>In {@code wren.jar} this class and Moquette's live in a jar of their own inside it, loaded only when a
 * broker is started (see {@code EmbeddedBroker}), so that {@code pub} and {@code sub} never open them.
 *
 * <p>Not thread-safe: start and stop from one thread.
 */
public final class MoquetteBroker implements AutoCloseable {
    private final Server server = new Server();

    /**
     * Starts Moquette on 127.0.0.1.
     *
     * @param port the port to listen on
     * @throws IOException when the broker cannot start
     */
    public MoquetteBroker(int port) throws IOException {
        Properties p = new Properties();
        p.setProperty("host", "127.0.0.1");
        p.setProperty("port", String.valueOf(port));
        p.setProperty("websocket_port", "disabled");
        p.setProperty("allow_anonymous", "true");
        p.setProperty("persistence_enabled", "false");
        p.setProperty("telemetry_enabled", "false");
        p.setProperty("use_metrics", "false");
        p.setProperty("use_bugsnag", "false");
        p.setProperty("immediate_buffer_flush", "true");
        p.setProperty("netty.mqtt.message_size", String.valueOf(1024 * 1024));
        server.startServer(new MemoryConfig(p));
    }

    /** Stops the broker. */
    @Override
    public void close() {
        server.stopServer();
    }
}
