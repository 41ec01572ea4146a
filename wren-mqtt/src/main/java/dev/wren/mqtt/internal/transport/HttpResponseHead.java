package dev.wren.mqtt.internal.transport;

import dev.wren.mqtt.Transport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * An HTTP/1.1 response head read a step at a time from a non-blocking transport, up to the blank line that ends
 * it, within a size bound: what a proxy answers to CONNECT and a WebSocket server to the upgrade.
 *
 * <p>Not thread-safe: part of one transport.
 */
final class HttpResponseHead {
    private final int max;
    private final String tooLong;
    private final String closed;
    private final Function<String, IOException> failure;
    private ByteBuffer buf = ByteBuffer.allocate(512);
    private int end = -1;

    /**
     * @param tooLong what to say when the head passes {@code max} bytes
     * @param closed  what to say when the connection ends before the head does
     * @param failure makes the exception to throw with such a message
     */
    HttpResponseHead(int max, String tooLong, String closed, Function<String, IOException> failure) {
        this.max = max;
        this.tooLong = tooLong;
        this.closed = closed;
        this.failure = failure;
    }

    /** Reads what {@code t} has; true once the whole head is in. */
    boolean read(Transport t) throws IOException {
        while (end < 0) {
            if (!buf.hasRemaining()) {
                if (buf.capacity() >= max) {
                    throw failure.apply(tooLong);
                }
                buf = ByteBuffer.allocate(buf.capacity() * 2).put(buf.flip());
            }
            int n = t.read(buf);
            if (n < 0) {
                throw failure.apply(closed);
            }
            end = headerEnd();
            if (end < 0 && n == 0) {
                return false;
            }
        }
        return true;
    }

    private int headerEnd() {
        for (int i = 3; i < buf.position(); i++) {
            if (buf.get(i - 3) == '\r' && buf.get(i - 2) == '\n' && buf.get(i - 1) == '\r' && buf.get(i) == '\n') {
                return i + 1;
            }
        }
        return -1;
    }

    /** The head's lines, the status line first. */
    String[] lines() {
        return new String(buf.array(), 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
    }

    /** The value of header {@code name} (case-insensitive), or null. */
    String header(String name) {
        String[] lines = lines();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).trim().equalsIgnoreCase(name)) {
                return lines[i].substring(colon + 1).trim();
            }
        }
        return null;
    }

    /** The bytes that came after the head (the peer's next ones), as a buffer of their own, or null. */
    ByteBuffer after() {
        return buf.position() > end ? ByteBuffer.wrap(buf.array(), end, buf.position() - end).slice() : null;
    }
}
