package dev.wren.mqtt.internal.transport;

import dev.wren.mqtt.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * Bytes over a non-blocking {@link SocketChannel}: TCP (with TCP_NODELAY, from a chosen local address if asked) or
 * a Unix domain socket.
 *
 * <p>Not thread-safe: used by one client on one thread at a time.
 */
public final class SocketTransport implements Transport {
    private final SocketChannel channel;
    private boolean connected;
    private Selector readSelector;

    private SocketTransport(SocketChannel channel, boolean connected) {
        this.channel = channel;
        this.connected = connected;
    }

    /** Opens a non-blocking TCP socket and starts connecting; host name resolution happens here. */
    public static SocketTransport open(String host, int port) throws IOException {
        return open(host, port, null);
    }

    /**
     * As {@link #open(String, int)}, from {@code localAddress} (an interface's address; port 0 for any free one)
     * when it is not null.
     */
    public static SocketTransport open(String host, int port, InetSocketAddress localAddress) throws IOException {
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new IOException("cannot resolve host " + host);
        }
        SocketChannel ch = SocketChannel.open();
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (localAddress != null) {
                ch.bind(localAddress);
            }
            boolean done = ch.connect(address);
            return new SocketTransport(ch, done);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Opens a non-blocking Unix domain socket to {@code path} and starts connecting. */
    public static SocketTransport unix(java.nio.file.Path path) throws IOException {
        SocketChannel ch = SocketChannel.open(java.net.StandardProtocolFamily.UNIX);
        try {
            ch.configureBlocking(false);
            boolean done = ch.connect(java.net.UnixDomainSocketAddress.of(path));
            return new SocketTransport(ch, done);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public boolean finishConnect() throws IOException {
        if (!connected) {
            connected = channel.finishConnect();
        }
        return connected;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return channel.read(dst);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        if (length == 1) {
            return channel.write(srcs[offset]);
        }
        return channel.write(srcs, offset, length);
    }

    @Override
    public SelectableChannel channel() {
        return channel;
    }

    @Override
    public int interestOps(boolean clientWantsWrite) {
        if (!connected) {
            return SelectionKey.OP_CONNECT;
        }
        return clientWantsWrite ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ;
    }

    @Override
    public void awaitReadable(long timeoutMillis) throws IOException {
        if (readSelector == null) {
            readSelector = Selector.open();
            channel.register(readSelector, SelectionKey.OP_READ);
        }
        readSelector.selectedKeys().clear();
        readSelector.select(Math.max(1, timeoutMillis));
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing: nothing left to report
        }
        if (readSelector != null) {
            try {
                readSelector.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
