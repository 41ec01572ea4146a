package dev.wren.mqtt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;

/**
 * A transport that hands every call to another one: the start of a transport of your own that watches or changes
 * some calls (counting or logging bytes, throttling, injecting faults) and leaves the rest to the transport it
 * wraps. Override what you need; {@link #inner} is the wrapped transport.
 *
 * <p>Not thread-safe, like the transport it wraps.
 */
public abstract class ForwardingTransport implements Transport {
    /** The transport that moves the bytes. */
    protected final Transport inner;

    /**
     * A transport that forwards every call to {@code inner}.
     *
     * @param inner the transport to forward to
     */
    protected ForwardingTransport(Transport inner) {
        this.inner = inner;
    }

    @Override
    public boolean finishConnect() throws IOException {
        return inner.finishConnect();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return inner.read(dst);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return inner.write(srcs, offset, length);
    }

    @Override
    public boolean flush() throws IOException {
        return inner.flush();
    }

    @Override
    public boolean hasBufferedInput() {
        return inner.hasBufferedInput();
    }

    @Override
    public SelectableChannel channel() {
        return inner.channel();
    }

    @Override
    public int interestOps(boolean clientWantsWrite) {
        return inner.interestOps(clientWantsWrite);
    }

    @Override
    public void awaitReadable(long timeoutMillis) throws IOException {
        inner.awaitReadable(timeoutMillis);
    }

    @Override
    public void close() {
        inner.close();
    }
}
