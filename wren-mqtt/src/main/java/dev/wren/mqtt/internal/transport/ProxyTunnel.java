package dev.wren.mqtt.internal.transport;

import dev.wren.mqtt.Transport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;

/**
 * What a tunnel through a proxy does around its own handshake: connect to the proxy, run the handshake a step at a
 * time (a failure in it is the proxy's: {@link ProxyRefusedException}), hand out first the broker's bytes that came
 * with the proxy's last answer, then pass bytes through unchanged.
 *
 * <p>Not thread-safe: used by one client on one thread at a time.
 */
abstract class ProxyTunnel implements Transport {
    protected final Transport proxy;
    private final String kind;
    private boolean proxyConnected;
    private boolean open;
    /** Bytes that came after the proxy's answer: the broker's, handed out first. */
    private ByteBuffer early;

    /** @param kind the proxy, for messages: "HTTP", "SOCKS5" */
    ProxyTunnel(Transport proxy, String kind) {
        this.proxy = proxy;
        this.kind = kind;
    }

    /** One step of the handshake, as far as the proxy allows; true once the tunnel is open. */
    abstract boolean exchange() throws IOException;

    /** Whether the handshake waits to write (rather than to read). */
    abstract boolean handshakeWantsWrite();

    /** Where the handshake failed, for messages: "while answering CONNECT host:port", "during GREETING". */
    abstract String failedWhere();

    /** The handshake is done; {@code brokerBytes} (or null) came after the proxy's answer. */
    final void opened(ByteBuffer brokerBytes) {
        early = brokerBytes != null && brokerBytes.hasRemaining() ? brokerBytes : null;
        open = true;
    }

    @Override
    public final boolean finishConnect() throws IOException {
        if (open) {
            return true;
        }
        if (!proxyConnected) {
            try {
                if (!proxy.finishConnect()) {
                    return false;
                }
            } catch (IOException e) {
                throw new IOException("cannot connect to the " + kind + " proxy: " + e.getMessage(), e);
            }
            proxyConnected = true;
        }
        try {
            return exchange();
        } catch (ProxyRefusedException e) {
            throw e;
        } catch (IOException e) {
            throw new ProxyRefusedException("the " + kind + " proxy failed " + failedWhere() + ": " + e.getMessage());
        }
    }

    @Override
    public final int read(ByteBuffer dst) throws IOException {
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
    public final long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return open ? proxy.write(srcs, offset, length) : 0;
    }

    @Override
    public final boolean flush() throws IOException {
        return proxy.flush();
    }

    @Override
    public final boolean hasBufferedInput() {
        return early != null || (open && proxy.hasBufferedInput());
    }

    @Override
    public final SelectableChannel channel() {
        return proxy.channel();
    }

    @Override
    public final int interestOps(boolean clientWantsWrite) {
        if (!proxyConnected) {
            return proxy.interestOps(false);
        }
        if (!open) {
            return handshakeWantsWrite() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ;
        }
        return proxy.interestOps(clientWantsWrite);
    }

    @Override
    public final void awaitReadable(long timeoutMillis) throws IOException {
        if (early == null) {
            proxy.awaitReadable(timeoutMillis);
        }
    }

    @Override
    public final void close() {
        proxy.close();
    }
}
