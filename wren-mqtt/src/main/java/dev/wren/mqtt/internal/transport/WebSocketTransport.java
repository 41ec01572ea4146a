package dev.wren.mqtt.internal.transport;

import dev.wren.mqtt.Transport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * MQTT over WebSocket (RFC 6455; MQTT 3.1.1 section 6) on any byte transport, so {@code wss://} is this over TLS:
 * the HTTP/1.1 upgrade with {@code Sec-WebSocket-Protocol: mqtt} and its {@code Sec-WebSocket-Accept} check, then
 * the client's bytes in masked binary frames (a fresh mask per frame) and the server's frames unwrapped, whatever
 * their sizes: a packet split over frames, several in one, continuation frames. Pings are answered, a close is
 * answered and ends the stream. Never blocks.
 *
 * <p>Not thread-safe: used by one client on one thread at a time.
 */
public final class WebSocketTransport implements Transport {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    /** The largest frame accepted from the server; larger ones end the connection. */
    private static final long MAX_FRAME = 16L * 1024 * 1024;
    /** The most of the caller's bytes put in one frame. */
    private static final int MAX_OUT_FRAME = 64 * 1024;

    private final Transport inner;
    private final String key;
    private final SecureRandom random;
    private ByteBuffer handshake;
    private final ByteBuffer[] one = new ByteBuffer[1];
    private final HttpResponseHead response = new HttpResponseHead(16384,
            "the WebSocket upgrade answer is longer than 16 KiB",
            "the server closed the connection during the WebSocket upgrade", IOException::new);
    private boolean innerConnected;
    private boolean open;
    private boolean closed;
    /** Frames to send, in write mode. */
    private ByteBuffer out = ByteBuffer.allocate(4096);
    /** Bytes from the server not yet parsed, in write mode. */
    private ByteBuffer in = ByteBuffer.allocate(8192);
    /** Payload bytes of the current data frame still to hand out. */
    private long payloadLeft;

    public WebSocketTransport(Transport inner, String host, int port, String path, String protocol,
                              SecureRandom random) {
        this(inner, host, port, path, protocol, java.util.Map.of(), random);
    }

    /** With {@code headers} added to the upgrade request (an authorization token, a cookie). */
    public WebSocketTransport(Transport inner, String host, int port, String path, String protocol,
                              java.util.Map<String, String> headers, SecureRandom random) {
        this.inner = inner;
        this.random = random;
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        this.key = Base64.getEncoder().encodeToString(nonce);
        String authority = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        String request = "GET " + path + " HTTP/1.1\r\nHost: " + authority + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: " + protocol + "\r\n" + extra(headers) + "\r\n";
        this.handshake = ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * The extra headers as request lines; checks that none could break the request (a line break, a colon in a
     * name) before anything is opened.
     */
    public static String extra(java.util.Map<String, String> headers) {
        StringBuilder b = new StringBuilder();
        headers.forEach((name, value) -> {
            if (name.indexOf('\r') >= 0 || name.indexOf('\n') >= 0 || value.indexOf('\r') >= 0
                    || value.indexOf('\n') >= 0 || name.indexOf(':') >= 0) {
                throw new IllegalArgumentException("a header may hold no line break, and its name no colon: " + name);
            }
            b.append(name).append(": ").append(value).append("\r\n");
        });
        return b.toString();
    }

    @Override
    public boolean finishConnect() throws IOException {
        if (open) {
            return true;
        }
        if (!innerConnected) {
            if (!inner.finishConnect()) {
                return false;
            }
            innerConnected = true;
        }
        if (handshake.hasRemaining()) {
            one[0] = handshake;
            inner.write(one, 0, 1);
            if (handshake.hasRemaining()) {
                return false;
            }
        }
        if (!response.read(inner)) {
            return false;
        }
        checkUpgrade();
        return true;
    }

    private void checkUpgrade() throws IOException {
        String status = response.lines()[0];
        if (!status.matches("HTTP/1\\.1 101( .*)?")) {
            throw new IOException("the server refused the WebSocket upgrade: " + status);
        }
        String accept = response.header("Sec-WebSocket-Accept");
        if (!expectedAccept().equals(accept)) {
            throw new IOException("the server's Sec-WebSocket-Accept is " + accept + ", not what the key asks");
        }
        ByteBuffer early = response.after(); // frames that came with the answer
        if (early != null) {
            in.put(early);
        }
        open = true;
    }

    private String expectedAccept() throws IOException {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(sha);
        } catch (NoSuchAlgorithmException e) {
            throw new IOException("no SHA-1 in this JDK", e);
        }
    }

    // ------------------------------------------------------------------ writing

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        if (!open || closed || !drainOut()) {
            return 0;
        }
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            total += srcs[i].remaining();
        }
        int n = (int) Math.min(total, MAX_OUT_FRAME);
        if (n == 0) {
            return 0;
        }
        frame(0x82, srcs, offset, length, n);
        drainOut();
        return n;
    }

    /** Appends a masked frame of {@code opcode} (with FIN) carrying {@code n} bytes taken from {@code srcs}. */
    private void frame(int firstByte, ByteBuffer[] srcs, int offset, int length, int n) {
        int header = 2 + (n < 126 ? 0 : n < 65536 ? 2 : 8) + 4;
        if (out.remaining() < header + n) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(out.capacity() * 2, out.position() + header + n));
            out = bigger.put(out.flip());
        }
        out.put((byte) firstByte);
        if (n < 126) {
            out.put((byte) (0x80 | n));
        } else if (n < 65536) {
            out.put((byte) (0x80 | 126)).putShort((short) n);
        } else {
            out.put((byte) (0x80 | 127)).putLong(n);
        }
        byte[] mask = new byte[4];
        random.nextBytes(mask);
        out.put(mask);
        int k = 0;
        for (int i = offset; i < offset + length && k < n; i++) {
            ByteBuffer s = srcs[i];
            while (s.hasRemaining() && k < n) {
                out.put((byte) (s.get() ^ mask[k & 3]));
                k++;
            }
        }
    }

    /** Writes pending frames; true when none is left. */
    private boolean drainOut() throws IOException {
        if (out.position() == 0) {
            return true;
        }
        out.flip();
        try {
            one[0] = out;
            inner.write(one, 0, 1);
        } finally {
            out.compact();
        }
        return out.position() == 0;
    }

    @Override
    public boolean flush() throws IOException {
        return drainOut() && inner.flush();
    }

    // ------------------------------------------------------------------ reading

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!open) {
            return 0;
        }
        if (closed) {
            return -1;
        }
        int total = 0;
        while (dst.hasRemaining()) {
            if (payloadLeft > 0 && in.position() > 0) {
                in.flip();
                int n = (int) Math.min(Math.min(payloadLeft, in.remaining()), dst.remaining());
                ByteBuffer part = in.duplicate();
                part.limit(part.position() + n);
                dst.put(part);
                in.position(in.position() + n);
                in.compact();
                payloadLeft -= n;
                total += n;
                continue;
            }
            if (payloadLeft == 0 && nextFrame()) {
                continue;
            }
            if (closed) {
                drainOut(); // the answer to the close, and any pong before it
                return total > 0 ? total : -1;
            }
            if (!in.hasRemaining()) {
                in = ByteBuffer.allocate(in.capacity() * 2).put(in.flip());
            }
            int r = inner.read(in);
            if (r < 0) {
                return total > 0 ? total : -1;
            }
            if (r == 0) {
                break;
            }
        }
        drainOut(); // pongs and the close answer
        return total;
    }

    /** Parses the next frame header if it is all in; handles control frames whole. True if one was taken. */
    private boolean nextFrame() throws IOException {
        if (in.position() < 2) {
            return false;
        }
        int b0 = in.get(0) & 0xFF;
        int b1 = in.get(1) & 0xFF;
        if ((b1 & 0x80) != 0) {
            throw new IOException("the server masked a WebSocket frame (RFC 6455 section 5.1)");
        }
        if ((b0 & 0x70) != 0) {
            throw new IOException("a WebSocket frame with reserved bits set, and no extension agreed");
        }
        int len7 = b1 & 0x7F;
        int header = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0);
        if (in.position() < header) {
            return false;
        }
        long len = len7 == 126 ? in.getShort(2) & 0xFFFF : len7 == 127 ? in.getLong(2) : len7;
        if (len < 0 || len > MAX_FRAME) {
            throw new IOException("a WebSocket frame of " + len + " bytes, over the limit of " + MAX_FRAME);
        }
        int opcode = b0 & 0x0F;
        switch (opcode) {
            case 0, 2 -> { // continuation or binary: payload for the client, as it comes
                consume(header);
                payloadLeft = len;
                return true;
            }
            case 8, 9, 10 -> { // close, ping, pong: small (at most 125 bytes), handled once whole
                if (len > 125) {
                    throw new IOException("a WebSocket control frame of " + len + " bytes");
                }
                if (in.position() < header + len) {
                    return false;
                }
                ByteBuffer body = ByteBuffer.allocate((int) len);
                body.put(in.array(), header, (int) len).flip();
                consume(header + (int) len);
                if (opcode == 9) {
                    frame(0x8A, new ByteBuffer[] {body}, 0, 1, (int) len); // pong with the ping's data
                } else if (opcode == 8) {
                    frame(0x88, new ByteBuffer[] {body.limit(Math.min(2, body.limit()))}, 0, 1,
                            Math.min(2, (int) len)); // answer the close with its status
                    closed = true;
                }
                return true;
            }
            default -> throw new IOException("a WebSocket frame with opcode " + opcode + " (MQTT uses binary frames)");
        }
    }

    private void consume(int n) {
        in.flip().position(n);
        in.compact();
    }

    @Override
    public boolean hasBufferedInput() {
        return open && ((payloadLeft > 0 && in.position() > 0) || (payloadLeft == 0 && in.position() >= 2)
                || inner.hasBufferedInput());
    }

    @Override
    public SelectableChannel channel() {
        return inner.channel();
    }

    @Override
    public int interestOps(boolean clientWantsWrite) {
        if (!innerConnected) {
            return inner.interestOps(false);
        }
        if (!open) {
            return handshake.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ;
        }
        return inner.interestOps(clientWantsWrite || out.position() > 0);
    }

    @Override
    public void awaitReadable(long timeoutMillis) throws IOException {
        if (!hasBufferedInput()) {
            inner.awaitReadable(timeoutMillis);
        }
    }

    @Override
    public void close() {
        if (open && !closed) {
            frame(0x88, new ByteBuffer[] {ByteBuffer.wrap(new byte[] {0x03, (byte) 0xE8})}, 0, 1, 2); // 1000
            try {
                drainOut();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        inner.close();
    }
}
