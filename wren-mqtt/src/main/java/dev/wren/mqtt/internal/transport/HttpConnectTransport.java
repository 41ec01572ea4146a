package dev.wren.mqtt.internal.transport;

import dev.wren.mqtt.Transport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A tunnel through an HTTP proxy (RFC 9110 section 9.3.6, {@code CONNECT host:port}), with Basic authentication
 * when given credentials: {@link #finishConnect()} connects to the proxy, sends the request and reads the answer a
 * step at a time, never blocking; once the proxy answers 2xx, bytes pass through unchanged. Knows nothing of MQTT,
 * so TLS and WebSocket run over it like over TCP.
 *
 * <p>Not thread-safe: used by one client on one thread at a time.
 */
public final class HttpConnectTransport extends ProxyTunnel {
    /** The most a proxy's answer may take, headers included, before the tunnel is given up. */
    private static final int MAX_RESPONSE = 8192;

    private final String target;
    private final ByteBuffer request;
    private final ByteBuffer[] requestArray;
    private final HttpResponseHead response;

    /**
     * @param proxy    a transport being opened to the proxy
     * @param userName null for none; with {@code password}, sent as Basic credentials
     */
    public HttpConnectTransport(Transport proxy, String host, int port, String userName, String password) {
        super(proxy, "HTTP");
        String authority = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        this.target = authority;
        StringBuilder r = new StringBuilder("CONNECT ").append(authority).append(" HTTP/1.1\r\nHost: ")
                .append(authority).append("\r\n");
        if (userName != null) {
            String credentials = userName + ":" + (password == null ? "" : password);
            r.append("Proxy-Authorization: Basic ")
                    .append(Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                    .append("\r\n");
        }
        r.append("\r\n");
        this.request = ByteBuffer.wrap(r.toString().getBytes(StandardCharsets.ISO_8859_1));
        this.requestArray = new ByteBuffer[] {request};
        this.response = new HttpResponseHead(MAX_RESPONSE, "the HTTP proxy's answer to CONNECT " + authority
                + " is longer than " + MAX_RESPONSE + " bytes", "the HTTP proxy closed the connection before "
                + "answering CONNECT " + authority, ProxyRefusedException::new);
    }

    @Override
    String failedWhere() {
        return "while answering CONNECT " + target;
    }

    @Override
    boolean handshakeWantsWrite() {
        return request.hasRemaining();
    }

    /** Sends the CONNECT request and reads the answer as far as the proxy allows; true once the tunnel is open. */
    @Override
    boolean exchange() throws IOException {
        if (request.hasRemaining()) {
            proxy.write(requestArray, 0, 1);
            if (request.hasRemaining()) {
                return false;
            }
        }
        if (!response.read(proxy)) {
            return false;
        }
        checkStatus();
        return true;
    }

    private void checkStatus() throws IOException {
        String statusLine = response.lines()[0];
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new ProxyRefusedException("not an HTTP proxy: it answered CONNECT " + target + " with '"
                    + statusLine + "'");
        }
        if (!parts[1].startsWith("2") || parts[1].length() != 3) {
            throw new ProxyRefusedException("the HTTP proxy refused CONNECT " + target + ": " + statusLine.substring(
                    parts[0].length() + 1) + (parts[1].equals("407") ? " (credentials missing or wrong)" : ""));
        }
        opened(response.after());
    }
}
