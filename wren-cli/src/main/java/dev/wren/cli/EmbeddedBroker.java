package dev.wren.cli;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Properties;

/**
 * Moquette, in this process, on a free loopback port: the demo's broker when none is given. Persistence,
 * telemetry, metrics and error reporting are off, so it writes nothing and talks to nobody.
 *
 * <p>Not thread-safe: start and stop from one thread.
 */
final class EmbeddedBroker implements AutoCloseable {
    private final Server server = new Server();
    private final int port;

    private EmbeddedBroker(int port) throws IOException {
        this.port = port;
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

    /** Starts Moquette on a free loopback port. */
    static EmbeddedBroker start() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        return new EmbeddedBroker(port);
    }

    int port() {
        return port;
    }

    @Override
    public void close() {
        server.stopServer();
    }
}
