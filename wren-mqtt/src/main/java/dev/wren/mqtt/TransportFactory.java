package dev.wren.mqtt;

import dev.wren.mqtt.internal.tls.TlsTransport;
import dev.wren.mqtt.internal.transport.TcpTransport;
import java.io.IOException;

/**
 * Opens a {@link Transport} to a broker: called once per connection attempt.
 *
 * <p>Implementations must be thread-safe if one factory serves clients on several threads.
 */
@FunctionalInterface
public interface TransportFactory {

    /**
     * Starts connecting to {@code host:port} without waiting for the connection to be established.
     *
     * @throws IOException if the connection cannot even be started (unknown host, no route)
     */
    Transport open(String host, int port) throws IOException;

    /** Plain TCP over a non-blocking {@link java.nio.channels.SocketChannel}, with TCP_NODELAY. */
    static TransportFactory tcp() {
        return TcpTransport::open;
    }

    /** TLS over non-blocking TCP, with the given settings. */
    static TransportFactory tls(TlsConfig config) {
        java.util.Objects.requireNonNull(config, "tls must not be null");
        return (host, port) -> TlsTransport.open(config, host, port);
    }
}
