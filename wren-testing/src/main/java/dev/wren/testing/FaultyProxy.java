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
 * A TCP proxy on a loopback port in front of a broker, that injects network faults on demand: for testing what a
 * client does when the network fails at any moment. It can cut every connection ({@link #cutAll()}), cut one in
 * the middle of a packet ({@link #cutMidPacket(Direction)}), drop everything the broker sends so that messages go
 * out but are never acknowledged ({@link #swallowReplies(boolean)}), stall both directions while keeping the
 * connections open ({@link #stall(boolean)}), and delay every chunk it forwards ({@link #delay(long)}).
 *
 * <p>Two threads per proxied connection; test use only. Thread-safe.
 */
public final class FaultyProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final List<Socket[]> connections = new CopyOnWriteArrayList<>();
    private final AtomicInteger cuts = new AtomicInteger();
    private volatile boolean swallowReplies;
    private volatile boolean stalled;
    private volatile long delayMillis;
    /** The direction whose next chunk is forwarded in part before everything is cut, or null. */
    private volatile Direction cutMidPacket;
    private final Object stall = new Object();

    /** Which way bytes flow through the proxy. */
    public enum Direction {
        /** From the client to the broker. */
        TO_BROKER,
        /** From the broker to the client. */
        TO_CLIENT
    }
    private volatile boolean closed;

    private FaultyProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "faulty-proxy-accept");
        t.setDaemon(true);
        t.start();
    }

    /**
     * A proxy forwarding to {@code 127.0.0.1:targetPort}.
     *
     * @param targetPort the broker's port on 127.0.0.1
     * @return the started proxy
     */
    public static FaultyProxy to(int targetPort) {
        try {
            return new FaultyProxy(targetPort);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The loopback port clients connect to.
     *
     * @return the proxy's port
     */
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

    /**
     * How many times connections were cut ({@link #cutAll()}, {@link #cutMidPacket(Direction)}).
     *
     * @return the number of cuts so far
     */
    public int cuts() {
        return cuts.get();
    }

    /**
     * Whether bytes from the broker are dropped instead of forwarded.
     *
     * @param swallow {@code true} to drop the broker's bytes, {@code false} to forward them again
     */
    public void swallowReplies(boolean swallow) {
        this.swallowReplies = swallow;
    }

    /**
     * While {@code true}, nothing is forwarded either way and nothing more is read, so the senders' TCP windows
     * fill; the connections stay open. {@code false} forwards what was held, in order.
     *
     * @param stall {@code true} to stop forwarding, {@code false} to resume
     */
    public void stall(boolean stall) {
        synchronized (this.stall) {
            this.stalled = stall;
            this.stall.notifyAll();
        }
    }

    /**
     * Holds every chunk read, either way, this long before forwarding it (0, the default, forwards at once).
     *
     * @param millis the delay in milliseconds, 0 for none
     */
    public void delay(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("delay: must not be negative, was " + millis);
        }
        this.delayMillis = millis;
    }

    /**
     * The next chunk read in that direction is forwarded in part (its first half, at least one byte, never all of
     * a chunk of two bytes or more), then every connection is cut: the receiving side sees a packet begun and
     * never finished. Counted as a cut.
     *
     * @param direction which way the chunk to cut travels
     */
    public void cutMidPacket(Direction direction) {
        this.cutMidPacket = direction;
    }

    private void awaitUnstalled() throws InterruptedException {
        synchronized (stall) {
            while (stalled && !closed) {
                stall.wait(100);
            }
        }
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
                Direction direction = fromBroker ? Direction.TO_CLIENT : Direction.TO_BROKER;
                while ((n = in.read(buf)) >= 0) {
                    awaitUnstalled();
                    long delay = delayMillis;
                    if (delay > 0) {
                        Thread.sleep(delay);
                    }
                    if (cutMidPacket == direction && n > 0) {
                        cutMidPacket = null;
                        out.write(buf, 0, Math.max(1, n / 2));
                        out.flush();
                        cutAll();
                        break;
                    }
                    if (!(fromBroker && swallowReplies)) {
                        out.write(buf, 0, n);
                    }
                }
            } catch (IOException cut) {
                // expected when the connection is cut
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
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
        stall(false);
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
