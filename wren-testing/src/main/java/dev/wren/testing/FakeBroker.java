package dev.wren.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A scripted fake MQTT server on a loopback port, for the protocol edges a real broker will not produce:
 * malformed packets, a missing PINGRESP, a connection closed in the middle of a packet.
 *
 * <p>The script runs on its own thread against one accepted connection, with blocking reads that time out after
 * five seconds. It works on raw bytes (hex strings), so that it can send anything, including what no codec would
 * write. {@link #await()} waits for the script and rethrows what it threw.
 *
 * <pre>{@code
 * try (FakeBroker broker = FakeBroker.start(conn -> {
 *     conn.expect(FakeBroker.CONNECT);
 *     conn.send("20020000");        // CONNACK accepted
 *     conn.send("30 02 0000");      // PUBLISH with an empty topic name
 *     conn.expectClosed();
 * })) { ... }
 * }</pre>
 *
 * <p>Thread-safe where it matters: {@link #await()} and {@link #close()} may be called from the test thread.
 */
public final class FakeBroker implements AutoCloseable {
    /** The CONNECT packet type (1), for {@link Connection#expect(int)}. */
    public static final int CONNECT = 1;
    /** The PUBLISH packet type (3). */
    public static final int PUBLISH = 3;
    /** The PUBACK packet type (4). */
    public static final int PUBACK = 4;
    /** The PUBREC packet type (5). */
    public static final int PUBREC = 5;
    /** The PUBREL packet type (6). */
    public static final int PUBREL = 6;
    /** The PUBCOMP packet type (7). */
    public static final int PUBCOMP = 7;
    /** The SUBSCRIBE packet type (8). */
    public static final int SUBSCRIBE = 8;
    /** The UNSUBSCRIBE packet type (10). */
    public static final int UNSUBSCRIBE = 10;
    /** The PINGREQ packet type (12). */
    public static final int PINGREQ = 12;
    /** The DISCONNECT packet type (14). */
    public static final int DISCONNECT = 14;

    /** What the fake server does with one connection. */
    @FunctionalInterface
    public interface Script {
        /**
         * Plays the server's part on one connection.
         *
         * @param connection the accepted connection
         * @throws Exception any failure, which {@link FakeBroker#await()} rethrows
         */
        void run(Connection connection) throws Exception;
    }

    private final ServerSocket server;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    private FakeBroker(Script... scripts) throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            try {
                for (Script script : scripts) {
                    try (Socket s = server.accept()) {
                        s.setSoTimeout(5000);
                        s.setTcpNoDelay(true);
                        script.run(new Connection(s));
                    }
                }
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "fake-broker");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Starts listening; the script runs on the first connection.
     *
     * @param script what the server does on the first connection
     * @return the started fake broker
     */
    public static FakeBroker start(Script script) {
        return startSequence(script);
    }

    /**
     * Starts listening; the scripts run one after the other on successive connections.
     *
     * @param scripts what the server does, one script per connection, in order
     * @return the started fake broker
     */
    public static FakeBroker startSequence(Script... scripts) {
        try {
            return new FakeBroker(scripts);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The port it listens on.
     *
     * @return the TCP port
     */
    public int port() {
        return server.getLocalPort();
    }

    /**
     * The loopback address it listens on.
     *
     * @return the host, {@code 127.0.0.1}
     */
    public String host() {
        return "127.0.0.1";
    }

    /**
     * Waits up to ten seconds for the script to finish; rethrows its failure.
     *
     * @throws Exception the script's failure, or a time-out when it has not finished in ten seconds
     */
    public void await() throws Exception {
        try {
            done.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw (Error) e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("fake broker script did not finish within 10 s");
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    /**
     * Parses hex, ignoring spaces.
     *
     * @param hex hexadecimal digits, spaces allowed between them
     * @return the bytes
     */
    public static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    /** One accepted connection, as the script sees it. */
    public static final class Connection {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        /**
         * Reads one whole packet (fixed header included).
         *
         * @return the packet's bytes
         * @throws IOException when the connection fails or ends before a whole packet
         */
        public byte[] readPacket() throws IOException {
            ByteArrayOutputStream packet = new ByteArrayOutputStream();
            int first = in.read();
            if (first < 0) {
                throw new EOFException("client closed the connection");
            }
            packet.write(first);
            int remaining = 0;
            for (int i = 0; i < 4; i++) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("client closed inside a fixed header");
                }
                packet.write(b);
                remaining |= (b & 0x7F) << (7 * i);
                if ((b & 0x80) == 0) {
                    break;
                }
            }
            byte[] body = in.readNBytes(remaining);
            if (body.length < remaining) {
                throw new EOFException("client closed inside a packet");
            }
            packet.write(body);
            return packet.toByteArray();
        }

        /**
         * Reads a packet and checks its type; returns it.
         *
         * @param type the expected packet type, such as {@link #CONNECT}
         * @return the packet's bytes
         * @throws IOException when the connection fails or ends first
         */
        public byte[] expect(int type) throws IOException {
            byte[] p = readPacket();
            int actual = (p[0] & 0xFF) >>> 4;
            if (actual != type) {
                throw new AssertionError("expected packet type " + type + ", got " + actual + ": "
                        + HexFormat.of().formatHex(p));
            }
            return p;
        }

        /**
         * Reads a packet, checks its type, and returns its packet identifier (bytes after the fixed header).
         *
         * @param type the expected packet type, such as {@link #PUBLISH}
         * @return the packet identifier
         * @throws IOException when the connection fails or ends first
         */
        public int expectWithId(int type) throws IOException {
            byte[] p = expect(type);
            int idx = 1;
            while ((p[idx] & 0x80) != 0) {
                idx++;
            }
            idx++;
            if (type == PUBLISH) {
                int topicLength = ((p[idx] & 0xFF) << 8) | (p[idx + 1] & 0xFF);
                idx += 2 + topicLength;
            }
            return ((p[idx] & 0xFF) << 8) | (p[idx + 1] & 0xFF);
        }

        /**
         * Sends bytes given as hex.
         *
         * @param hex the bytes as hexadecimal digits, spaces allowed
         * @throws IOException when the write fails
         */
        public void send(String hex) throws IOException {
            send(hex(hex));
        }

        /**
         * Sends these bytes as they are.
         *
         * @param bytes what to send
         * @throws IOException when the write fails
         */
        public void send(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        /**
         * Waits until the client closes the connection, failing if it sends another packet first.
         *
         * @throws IOException when the connection fails
         */
        public void expectClosed() throws IOException {
            try {
                int b = in.read();
                if (b >= 0) {
                    throw new AssertionError("expected the client to close, but it sent a byte 0x" + Integer.toHexString(b));
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("client did not close the connection within 5 s");
            } catch (IOException reset) {
                // a reset is a close too
            }
        }

        /**
         * Reads and discards packets until the client closes; returns how many were read.
         *
         * @return the number of packets read
         * @throws IOException when the connection fails
         */
        public int drainUntilClosed() throws IOException {
            int n = 0;
            try {
                while (true) {
                    readPacket();
                    n++;
                }
            } catch (EOFException e) {
                return n;
            } catch (SocketTimeoutException e) {
                throw new AssertionError("client did not close the connection within 5 s");
            } catch (IOException reset) {
                return n;
            }
        }

        /**
         * Half-closes: no more bytes from the server.
         *
         * @throws IOException when the socket fails
         */
        public void shutdownOutput() throws IOException {
            socket.shutdownOutput();
        }

        /**
         * Closes the connection.
         *
         * @throws IOException when the socket fails
         */
        public void close() throws IOException {
            socket.close();
        }

        /**
         * Sleeps, for scripts that let time pass.
         *
         * @param millis how long, in milliseconds
         * @throws InterruptedException when the script's thread is interrupted
         */
        public void pause(long millis) throws InterruptedException {
            Thread.sleep(millis);
        }
    }
}
