package dev.wren.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A minimal MQTT server that acknowledges everything and forwards nothing, on one thread: the "sink" that
 * publish-only benchmarks write into, so that a broker is not what is measured. CONNECT gets CONNACK, QoS 1 PUBLISH
 * a PUBACK, QoS 2 PUBLISH a PUBREC and PUBREL a PUBCOMP, SUBSCRIBE a SUBACK, PINGREQ a PINGRESP. Answers are
 * batched per read.
 *
 * <p>Thread-safe: {@link #published()} may be read from any thread.
 */
final class SinkServer implements AutoCloseable {
    private final ServerSocketChannel server;
    private final Selector selector;
    private final Thread thread;
    private final AtomicLong published = new AtomicLong();
    private volatile boolean running = true;

    private static final class Conn {
        final ByteBuffer in = ByteBuffer.allocateDirect(1 << 20);
        final ByteBuffer out = ByteBuffer.allocateDirect(1 << 20);
    }

    SinkServer() {
        try {
            server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
            server.configureBlocking(false);
            selector = Selector.open();
            server.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        thread = new Thread(this::run, "sink");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return server.socket().getLocalPort();
    }

    /** PUBLISH packets received so far. */
    long published() {
        return published.get();
    }

    private void run() {
        try {
            while (running) {
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        SocketChannel ch;
                        while ((ch = server.accept()) != null) {
                            ch.configureBlocking(false);
                            ch.socket().setTcpNoDelay(true);
                            ch.register(selector, SelectionKey.OP_READ, new Conn());
                        }
                        continue;
                    }
                    SocketChannel ch = (SocketChannel) key.channel();
                    Conn c = (Conn) key.attachment();
                    try {
                        if (key.isWritable()) {
                            flush(ch, c, key);
                        }
                        if (key.isReadable() && c.out.position() < c.out.capacity() / 2) {
                            int n = ch.read(c.in);
                            if (n < 0) {
                                key.cancel();
                                ch.close();
                                continue;
                            }
                            c.in.flip();
                            handle(c);
                            c.in.compact();
                            flush(ch, c, key);
                        }
                    } catch (IOException e) {
                        key.cancel();
                        ch.close();
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(Conn c) {
        ByteBuffer in = c.in;
        ByteBuffer out = c.out;
        while (in.remaining() >= 2 && out.remaining() >= 64) {
            int start = in.position();
            int b0 = in.get(start) & 0xFF;
            int remaining = 0;
            int i = 1;
            int b;
            do {
                if (start + i >= in.limit()) {
                    return;
                }
                b = in.get(start + i) & 0xFF;
                remaining |= (b & 0x7F) << (7 * (i - 1));
                i++;
            } while ((b & 0x80) != 0);
            int body = start + i;
            if (in.limit() - body < remaining) {
                return;
            }
            switch (b0 >> 4) {
                // CONNECT: a 5.0 CONNACK (with its empty properties) to a client of protocol level 5 ("MQTT" at body)
                case 1 -> out.put(remaining > 6 && in.get(body + 6) == 5 ? new byte[] {0x20, 3, 0, 0, 0}
                        : new byte[] {0x20, 2, 0, 0});
                case 3 -> {
                    published.incrementAndGet();
                    int qos = (b0 >> 1) & 3;
                    if (qos > 0) {
                        int topicLength = ((in.get(body) & 0xFF) << 8) | (in.get(body + 1) & 0xFF);
                        int idAt = body + 2 + topicLength;
                        out.put((byte) (qos == 1 ? 0x40 : 0x50)).put((byte) 2).put(in.get(idAt)).put(in.get(idAt + 1));
                    }
                }
                case 6 -> out.put((byte) 0x70).put((byte) 2).put(in.get(body)).put(in.get(body + 1));
                case 8 -> {
                    int filters = 0;
                    int p = body + 2;
                    while (p < body + remaining) {
                        p += 2 + (((in.get(p) & 0xFF) << 8) | (in.get(p + 1) & 0xFF)) + 1;
                        filters++;
                    }
                    out.put((byte) 0x90).put((byte) (2 + filters)).put(in.get(body)).put(in.get(body + 1));
                    for (int f = 0; f < filters; f++) {
                        out.put((byte) 2);
                    }
                }
                case 10 -> out.put((byte) 0xB0).put((byte) 2).put(in.get(body)).put(in.get(body + 1));
                case 12 -> out.put((byte) 0xD0).put((byte) 0);
                default -> { } // DISCONNECT, PUBACK, PUBCOMP and the rest need no answer
            }
            in.position(body + remaining);
        }
    }

    private static void flush(SocketChannel ch, Conn c, SelectionKey key) throws IOException {
        c.out.flip();
        ch.write(c.out);
        c.out.compact();
        key.interestOps(c.out.position() > 0 ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(2000);
            selector.close();
            server.close();
        } catch (IOException | InterruptedException ignored) {
            // closing
        }
    }
}
