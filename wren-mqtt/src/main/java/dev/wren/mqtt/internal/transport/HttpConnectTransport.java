package dev.wren.mqtt.internal.transport;

import dev.wren.mqtt.Transport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
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
public final class HttpConnectTransport implements Transport {
    /** The most a proxy's answer may take, headers included, before the tunnel is given up. */
    private static final int MAX_RESPONSE = 8192;

    private final Transport proxy;
    private final String target;
    private final ByteBuffer request;
    private final ByteBuffer[] requestArray;
    private final HttpResponseHead response;
    /** Bytes that came after the proxy's answer: the broker's, handed out first. */
    private ByteBuffer early;
    private boolean proxyConnected;
    private boolean open;

    /**
     * @param proxy    a transport being opened to the proxy
     * @param userName null for none; with {@code password}, sent as Basic credentials
     */
    public HttpConnectTransport(Transport proxy, String host, int port, String userName, String password) {
        this.proxy = proxy;
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
    public boolean finishConnect() throws IOException {
        if (open) {
            return true;
        }
        if (!proxyConnected) {
            try {
                if (!proxy.finishConnect()) {
                    return false;
                }
            } catch (IOException e) {
                throw new IOException("cannot connect to the HTTP proxy: " + e.getMessage(), e);
            }
            proxyConnected = true;
        }
        try {
            return exchange();
        } catch (ProxyRefusedException e) {
            throw e;
        } catch (IOException e) {
            throw new ProxyRefusedException("the HTTP proxy failed while answering CONNECT " + target + ": "
                    + e.getMessage());
        }
    }

    /** Sends the CONNECT request and reads the answer as far as the proxy allows; true once the tunnel is open. */
    private boolean exchange() throws IOException {
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
        return open;
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
        early = response.after();
        open = true;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!open) {
            return 0;
        }
        if (early != null) {
            int n = Math.min(dst.remaining(), early.remaining());
            ByteBuffer part = early.duplicate();
            part.limit(part.position() + n);
            dst.put(part);
            early.position(early.position() + n);
            if (!early.hasRemaining()) {
                early = null;
            }
            return n;
        }
        return proxy.read(dst);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return open ? proxy.write(srcs, offset, length) : 0;
    }

    @Override
    public boolean flush() throws IOException {
        return proxy.flush();
    }

    @Override
    public boolean hasBufferedInput() {
        return early != null || (open && proxy.hasBufferedInput());
    }

    @Override
    public SelectableChannel channel() {
        return proxy.channel();
    }

    @Override
    public int interestOps(boolean clientWantsWrite) {
        if (!proxyConnected) {
            return proxy.interestOps(false);
        }
        if (!open) {
            return request.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ;
        }
        return proxy.interestOps(clientWantsWrite);
    }

    @Override
    public void awaitReadable(long timeoutMillis) throws IOException {
        if (early == null) {
            proxy.awaitReadable(timeoutMillis);
        }
    }

    @Override
    public void close() {
        proxy.close();
    }
}
