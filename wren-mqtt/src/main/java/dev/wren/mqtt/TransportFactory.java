package dev.wren.mqtt;

import dev.wren.mqtt.internal.tls.TlsTransport;
import dev.wren.mqtt.internal.transport.SocketTransport;
import dev.wren.mqtt.internal.transport.TracingTransport;
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
     * @param host the host
     * @param port the port
     * @return the transport, connecting
     * @throws IOException if the connection cannot even be started (unknown host, no route)
     */
    Transport open(String host, int port) throws IOException;

    /**
     * Plain TCP over a non-blocking {@link java.nio.channels.SocketChannel}, with TCP_NODELAY.
     *
     * @return the factory
     */
    static TransportFactory tcp() {
        return SocketTransport::open;
    }

    /**
     * Plain TCP from a chosen local address: an interface's address to connect from (Zephyr's {@code if_name},
     * mosquitto's {@code --bind-address}), with port 0 for any free port.
     *
     * @param localAddress the local address to bind to
     * @return the factory
     */
    static TransportFactory tcp(java.net.InetSocketAddress localAddress) {
        java.util.Objects.requireNonNull(localAddress, "localAddress must not be null");
        return (host, port) -> SocketTransport.open(host, port, localAddress);
    }

    /**
     * A tunnel through an HTTP proxy at {@code proxyHost:proxyPort} ({@code CONNECT}), with Basic authentication
     * when {@code userName} is not null. The proxy connects to the configuration's broker; wrap it in
     * {@link #tls(TlsConfig, TransportFactory)} for TLS to the broker through the proxy. A refusal ends the
     * connection with {@link DisconnectReason#PROXY_REFUSED}, the proxy's status in the message.
     *
     * @param proxyHost the proxy's host
     * @param proxyPort the proxy's port
     * @param userName the user name, or null
     * @param password the password, or null
     * @return the factory
     */
    static TransportFactory httpProxy(String proxyHost, int proxyPort, String userName, String password) {
        checkProxy(proxyHost, proxyPort);
        return (host, port) -> new dev.wren.mqtt.internal.transport.HttpConnectTransport(
                SocketTransport.open(proxyHost, proxyPort), host, port, userName, password);
    }

    /**
     * A tunnel through a SOCKS5 proxy at {@code proxyHost:proxyPort} (RFC 1928), with user name and password (RFC
     * 1929) when {@code userName} is not null; the proxy resolves the broker's name ({@code socks5h}). Wrap it in
     * {@link #tls(TlsConfig, TransportFactory)} for TLS through the proxy. A refusal ends the connection with
     * {@link DisconnectReason#PROXY_REFUSED}, the proxy's reply in the message.
     *
     * @param proxyHost the proxy's host
     * @param proxyPort the proxy's port
     * @param userName the user name, or null
     * @param password the password, or null
     * @return the factory
     */
    static TransportFactory socks5(String proxyHost, int proxyPort, String userName, String password) {
        checkProxy(proxyHost, proxyPort);
        return (host, port) -> new dev.wren.mqtt.internal.transport.Socks5Transport(
                SocketTransport.open(proxyHost, proxyPort), host, port, userName, password);
    }

    /**
     * MQTT over WebSocket ({@code ws://}) on whatever {@code inner} opens, at {@code path} (usually {@code /mqtt}),
     * with the subprotocol {@code mqtt} ({@code mqttv3.1} for MQTT 3.1). Wrap TLS inside for {@code wss://}:
     * {@code webSocket(tls(config, tcp()), "/mqtt", "mqtt")}.
     *
     * @param inner the transport underneath
     * @param path the request path
     * @param subprotocol the subprotocol
     * @return the factory
     */
    static TransportFactory webSocket(TransportFactory inner, String path, String subprotocol) {
        return webSocket(inner, path, subprotocol, java.util.Map::of);
    }

    /**
     * As {@link #webSocket(TransportFactory, String, String)}, with extra headers on each upgrade request, asked of
     * {@code headers} before every connection (a fresh token on each reconnect, say). It runs on the thread that
     * connects the client.
     *
     * @param inner the transport underneath
     * @param path the request path
     * @param subprotocol the subprotocol
     * @param headers the extra headers, asked for before each connection
     * @return the factory
     */
    static TransportFactory webSocket(TransportFactory inner, String path, String subprotocol,
                                      java.util.function.Supplier<java.util.Map<String, String>> headers) {
        java.util.Objects.requireNonNull(inner, "inner must not be null");
        java.util.Objects.requireNonNull(headers, "headers must not be null");
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/', was " + path);
        }
        java.security.SecureRandom random = new java.security.SecureRandom();
        return (host, port) -> {
            java.util.Map<String, String> h = java.util.Objects.requireNonNull(headers.get(),
                    "the header supplier returned null");
            dev.wren.mqtt.internal.transport.WebSocketTransport.extra(h); // refused before a socket is opened
            return new dev.wren.mqtt.internal.transport.WebSocketTransport(inner.open(host, port), host, port, path,
                    subprotocol, h, random);
        };
    }

    /**
     * A Unix domain socket at {@code path} (Mosquitto 2.0's {@code listener 0 /path}); the configuration's host and
     * port are not used.
     *
     * @param path the socket's path
     * @return the factory
     */
    static TransportFactory unix(java.nio.file.Path path) {
        java.util.Objects.requireNonNull(path, "path must not be null");
        return (host, port) -> SocketTransport.unix(path);
    }

    /**
     * TLS over non-blocking TCP, with the given settings.
     *
     * @param config the TLS settings
     * @return the factory
     */
    static TransportFactory tls(TlsConfig config) {
        return tls(config, tcp());
    }

    /**
     * TLS over whatever {@code inner} opens (a proxy tunnel, a WebSocket, a transport of the application's): the
     * TLS layer moves its records through {@code inner}'s {@link Transport} methods only, and verifies the broker's
     * certificate against the host the client connects to.
     *
     * @param config the TLS settings
     * @param inner the transport underneath
     * @return the factory
     */
    static TransportFactory tls(TlsConfig config, TransportFactory inner) {
        java.util.Objects.requireNonNull(config, "tls must not be null");
        java.util.Objects.requireNonNull(inner, "inner must not be null");
        return (host, port) -> TlsTransport.over(inner.open(host, port), config, host, port);
    }

    /**
     * {@code inner}, with every packet that goes out or comes in reported to {@code sink} as one line in
     * mosquitto's words ({@code "Client id sending PUBLISH (d0, q1, r0, m1, 't', ... (5 bytes))"}), decoded by
     * Wren's codec: for debugging, as {@code -d} of the command-line tools. {@code sink} runs on the thread that
     * polls the client.
     *
     * @param inner the transport underneath
     * @param clientId the client identifier the lines name
     * @param version the protocol version, to decode the packets
     * @param sink where the lines go
     * @return the factory
     */
    static TransportFactory traced(TransportFactory inner, String clientId, ProtocolVersion version,
                                   java.util.function.Consumer<String> sink) {
        java.util.Objects.requireNonNull(inner, "inner must not be null");
        java.util.Objects.requireNonNull(sink, "sink must not be null");
        return (host, port) -> new TracingTransport(inner.open(host, port), clientId, version, sink);
    }

    private static void checkProxy(String proxyHost, int proxyPort) {
        java.util.Objects.requireNonNull(proxyHost, "proxyHost must not be null");
        if (proxyPort < 1 || proxyPort > 65535) {
            throw new IllegalArgumentException("proxyPort must be 1..65535, was " + proxyPort);
        }
    }
}
