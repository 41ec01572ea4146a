package dev.wren.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on a loopback port in front of a broker, that cuts connections on demand: for testing what a client
 * does when the network fails at any moment. It can also swallow everything the broker sends, so that messages go
 * out but are never acknowledged.
 *
 * <p>Two threads per proxied connection; test use only. Thread-safe.
 */
public final class FaultyProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final List<Socket[]> connections = new CopyOnWriteArrayList<>();
    private final AtomicInteger cuts = new AtomicInteger();
    private volatile boolean swallowReplies;
    private volatile boolean closed;

    private FaultyProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "faulty-proxy-accept");
        t.setDaemon(true);
        t.start();
    }

    /** A proxy forwarding to {@code 127.0.0.1:targetPort}. */
    public static FaultyProxy to(int targetPort) {
        try {
            return new FaultyProxy(targetPort);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Closes every connection now (both sides see a reset or end of stream). */
    public void cutAll() {
        for (Socket[] pair : connections) {
            closeQuietly(pair[0]);
            closeQuietly(pair[1]);
            connections.remove(pair); // only those closed: one accepted meanwhile is cut next time
        }
        cuts.incrementAndGet();
    }

    /** How many times {@link #cutAll()} ran. */
    public int cuts() {
        return cuts.get();
    }

    /** Whether bytes from the broker are dropped instead of forwarded. */
    public void swallowReplies(boolean swallow) {
        this.swallowReplies = swallow;
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket broker;
                try {
                    broker = new Socket();
                    broker.connect(new InetSocketAddress("127.0.0.1", targetPort), 2000);
                } catch (IOException unreachable) {
                    closeQuietly(client);
                    continue;
                }
                client.setTcpNoDelay(true);
                broker.setTcpNoDelay(true);
                Socket[] pair = {client, broker};
                connections.add(pair);
                pump(client, broker, false, pair);
                pump(broker, client, true, pair);
            } catch (IOException e) {
                if (!closed) {
                    sleep(10);
                }
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromBroker, Socket[] pair) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (!(fromBroker && swallowReplies)) {
                        out.write(buf, 0, n);
                    }
                }
            } catch (IOException cut) {
                // expected when the connection is cut
            } finally {
                closeQuietly(pair[0]);
                closeQuietly(pair[1]);
                connections.remove(pair);
            }
        }, "faulty-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        cutAll();
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
