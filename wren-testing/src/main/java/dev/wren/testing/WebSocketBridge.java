package dev.wren.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A WebSocket server for tests (RFC 6455) that bridges each connection to a TCP broker, standing in for a broker's
 * own WebSocket listener: it answers the upgrade (checking the key and the {@code mqtt} subprotocol), unmasks the
 * client's frames for the broker, and sends the broker's bytes back in binary frames of random sizes (so MQTT
 * packets come split across frames and several to a frame), with a ping before the first one. A {@link #plain}
 * bridge frames as a broker's own listener mostly does instead: what it reads from the broker in one frame, no ping
 * (for benchmarks; Paho's WebSocket client 1.2.5 drops the connection on a server's ping).
 *
 * <p>Thread-safe.
 */
public final class WebSocketBridge implements AutoCloseable {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final ServerSocket server;
    private final InetSocketAddress broker;
    private final AtomicInteger upgrades = new AtomicInteger();
    private final AtomicInteger pongs = new AtomicInteger();
    private volatile String lastProtocol;
    private volatile String lastAuthorization;
    private volatile boolean refuse;
    /** Random small frames and a ping first (the tests'), or one frame per read and no ping ({@link #plain}). */
    private final boolean testFraming;

    private WebSocketBridge(InetSocketAddress broker, javax.net.ssl.SSLContext tls) throws IOException {
        this(broker, tls, true);
    }

    private WebSocketBridge(InetSocketAddress broker, javax.net.ssl.SSLContext tls, boolean testFraming)
            throws IOException {
        this.testFraming = testFraming;
        this.server = tls == null ? new ServerSocket(0, 50, InetAddress.getLoopbackAddress())
                : tls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.broker = broker;
        Relay.acceptEach(server, "ws", this::serve);
    }

    /**
     * A bridge to the broker at {@code host:port}.
     *
     * @param host the broker's host
     * @param port the broker's port
     * @return the started bridge
     * @throws IOException when it cannot listen
     */
    public static WebSocketBridge to(String host, int port) throws IOException {
        return new WebSocketBridge(new InetSocketAddress(host, port), null);
    }

    /**
     * A bridge to the broker at {@code host:port} that frames as a broker's own WebSocket listener mostly does: each
     * read from the broker (up to 8 KB) in one binary frame, and no ping. For measuring a client over WebSocket
     * rather than testing how it takes frames apart.
     *
     * @param host the broker's host
     * @param port the broker's port
     * @return the started bridge
     * @throws IOException when it cannot listen
     */
    public static WebSocketBridge plain(String host, int port) throws IOException {
        return new WebSocketBridge(new InetSocketAddress(host, port), null, false);
    }

    /**
     * A bridge that speaks TLS with {@code serverContext} to its clients ({@code wss://}), plain TCP to the broker.
     *
     * @param host the broker's host
     * @param port the broker's port
     * @param serverContext the TLS context the bridge serves its clients with
     * @return the started bridge
     * @throws IOException when it cannot listen
     */
    public static WebSocketBridge secure(String host, int port, javax.net.ssl.SSLContext serverContext)
            throws IOException {
        return new WebSocketBridge(new InetSocketAddress(host, port), serverContext);
    }

    /**
     * The loopback port WebSocket clients connect to.
     *
     * @return the port
     */
    public int port() {
        return server.getLocalPort();
    }

    /**
     * WebSocket upgrades the bridge accepted so far.
     *
     * @return the number of upgrades
     */
    public int upgrades() {
        return upgrades.get();
    }

    /**
     * Pongs the clients sent back to the bridge's pings.
     *
     * @return the number of pongs
     */
    public int pongs() {
        return pongs.get();
    }

    /**
     * The Sec-WebSocket-Protocol the last client asked for.
     *
     * @return the subprotocol, or null
     */
    public String lastProtocol() {
        return lastProtocol;
    }

    /**
     * The Authorization header of the last upgrade request, or null.
     *
     * @return the header's value, or null
     */
    public String lastAuthorization() {
        return lastAuthorization;
    }

    /** From now on, answer upgrades with 403. */
    public void refuseUpgrades() {
        refuse = true;
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            String head = Relay.readHead(in);
            String key = header(head, "Sec-WebSocket-Key");
            lastProtocol = header(head, "Sec-WebSocket-Protocol");
            lastAuthorization = header(head, "Authorization");
            if (refuse || key == null) {
                out.write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                return;
            }
            String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1)));
            try (Socket target = new Socket()) {
                target.connect(broker, 5_000);
                upgrades.incrementAndGet();
                synchronized (out) {
                    out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Accept: " + accept + "\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    if (testFraming) {
                        sendFrame(out, 0x89, "are you there".getBytes(StandardCharsets.UTF_8)); // a ping first
                    }
                }
                Thread down = new Thread(() -> brokerToClient(target, out, testFraming), "ws-down");
                down.setDaemon(true);
                down.start();
                clientToBroker(new DataInputStream(in), target.getOutputStream(), out);
            }
        } catch (Exception ignored) {
            // the connection ended
        }
    }

    private void clientToBroker(DataInputStream in, OutputStream broker, OutputStream client) throws IOException {
        while (true) {
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            if ((b1 & 0x80) == 0) {
                throw new IOException("an unmasked client frame");
            }
            long len = b1 & 0x7F;
            if (len == 126) {
                len = in.readUnsignedShort();
            } else if (len == 127) {
                len = in.readLong();
            }
            byte[] mask = new byte[4];
            in.readFully(mask);
            byte[] payload = new byte[(int) len];
            in.readFully(payload);
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i & 3];
            }
            int opcode = b0 & 0x0F;
            if (opcode == 0x2 || opcode == 0x0) {
                broker.write(payload);
                broker.flush();
            } else if (opcode == 0xA) {
                pongs.incrementAndGet();
            } else if (opcode == 0x8) {
                synchronized (client) {
                    sendFrame(client, 0x88, payload);
                }
                return;
            }
        }
    }

    private static void brokerToClient(Socket broker, OutputStream client, boolean testFraming) {
        Random random = new Random(9);
        byte[] buf = new byte[8192];
        try {
            InputStream in = broker.getInputStream();
            for (int n; (n = in.read(buf)) > 0; ) {
                int at = 0;
                while (at < n) { // frames of 1..7 bytes: packets split across frames and several to one
                    int size = testFraming ? Math.min(n - at, 1 + random.nextInt(7)) : n;
                    byte[] part = java.util.Arrays.copyOfRange(buf, at, at + size);
                    synchronized (client) {
                        sendFrame(client, 0x82, part);
                    }
                    at += size;
                }
            }
        } catch (IOException ignored) {
            // one side went away
        }
    }

    private static void sendFrame(OutputStream out, int firstByte, byte[] payload) throws IOException {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(firstByte);
        if (payload.length < 126) {
            f.write(payload.length);
        } else {
            f.write(126);
            f.write(payload.length >>> 8);
            f.write(payload.length & 0xFF);
        }
        f.write(payload);
        out.write(f.toByteArray());
        out.flush();
    }

    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
