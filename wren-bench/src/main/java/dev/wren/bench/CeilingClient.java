package dev.wren.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The ceiling: not a library but what the machine can do. A blocking socket and PUBLISH packets encoded once. QoS 0
 * goes in writes of {@link #CHUNK} bytes (64 KiB; {@code -Dwren.bench.ceilingChunk}) with no window at all, as many
 * as the socket takes; QoS 1 and 2 within the same window of 100 as the libraries, each window's worth in one write,
 * the acknowledgements read in large reads by a reader thread that answers each read's PUBRECs with one write of
 * PUBRELs. As a subscriber it reads in reads of up to 1 MiB, counts PUBLISH packets straight off the socket and
 * answers each read's worth of them in one write.
 *
 * <p>Not thread-safe.
 */
final class CeilingClient extends BenchClient {
    private SocketChannel ch;
    private final ByteBuffer in = ByteBuffer.allocateDirect(1 << 20);
    private final ByteBuffer out = ByteBuffer.allocateDirect(1 << 20);
    private Thread reader;
    /** The size of the QoS 0 writes. */
    static final int CHUNK = Integer.getInteger("wren.bench.ceilingChunk", 64 * 1024);
    private volatile boolean closed;

    CeilingClient(int window) {
        super(window);
    }

    @Override
    String name() {
        return "ceiling";
    }

    @Override
    void connect(String host, int port, String clientId) throws IOException {
        ch = SocketChannel.open(new InetSocketAddress(host, port));
        ch.socket().setTcpNoDelay(true);
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        ByteBuffer c = ByteBuffer.allocate(14 + id.length);
        c.put((byte) 0x10).put((byte) (12 + id.length)).put(new byte[] {0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60})
                .putShort((short) id.length).put(id).flip();
        while (c.hasRemaining()) {
            ch.write(c);
        }
        ByteBuffer ack = ByteBuffer.allocate(4);
        while (ack.hasRemaining()) {
            ch.read(ack);
        }
    }

    @Override
    void send(String topic, byte[] payload, int qos) {
        throw new UnsupportedOperationException("the ceiling only publishes in batches: publishAll");
    }

    /** Writes all packets pre-encoded, many per write; QoS 1/2 within the window, acknowledged by a reader thread. */
    @Override
    void publishAll(String topic, byte[] payload, int qos, int count) throws Exception {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        int remaining = 2 + t.length + (qos > 0 ? 2 : 0) + payload.length;
        ByteBuffer one = ByteBuffer.allocate(1 + 4 + remaining);
        one.put((byte) (0x30 | (qos << 1)));
        int r = remaining;
        do {
            int digit = r & 0x7F;
            r >>>= 7;
            one.put((byte) (r > 0 ? digit | 0x80 : digit));
        } while (r > 0);
        one.putShort((short) t.length).put(t);
        int idAt = one.position();
        if (qos > 0) {
            one.putShort((short) 0);
        }
        one.put(payload).flip();
        if (qos > 0 && reader == null) {
            startReader(qos);
        }
        int id = 0;
        for (int i = 0; i < count; i++) {
            if (qos > 0) {
                window.acquire();
                id = id == 65535 ? 1 : id + 1;
                one.putShort(idAt, (short) id);
            }
            if (out.remaining() < one.remaining() || (qos == 0 && out.position() + one.remaining() > CHUNK)) {
                writeOut();
            }
            out.put(one.duplicate());
            if (qos > 0 && window.availablePermits() == 0) {
                writeOut(); // the window is full: send what we have, wait for acknowledgements
            }
        }
        writeOut();
        if (qos == 0) {
            window.acquire(windowSize);
            window.release(windowSize);
        }
    }

    private void writeOut() throws IOException {
        out.flip();
        while (out.hasRemaining()) {
            ch.write(out);
        }
        out.clear();
    }

    private void startReader(int qos) {
        reader = new Thread(() -> {
            ByteBuffer rel = ByteBuffer.allocate(1 << 16);
            try {
                while (!closed) {
                    if (ch.read(in) < 0) {
                        return;
                    }
                    in.flip();
                    while (in.remaining() >= 4) {
                        int type = (in.get() & 0xFF) >> 4;
                        in.get();
                        byte hi = in.get();
                        byte lo = in.get();
                        if (type == 4 || type == 7) {
                            done(null);
                        } else if (type == 5) {
                            rel.put((byte) 0x62).put((byte) 2).put(hi).put(lo); // one write per read, below
                            if (rel.remaining() < 4) {
                                flushAnswers(rel);
                            }
                        }
                    }
                    in.compact();
                    if (rel.position() > 0) {
                        flushAnswers(rel);
                    }
                }
            } catch (IOException e) {
                // closed
            }
        }, "ceiling-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** As a subscriber: SUBSCRIBE, then count PUBLISH packets off the socket, answering QoS 1/2. */
    @Override
    void subscribe(String topic, int qos, Consumer<byte[]> onMessage) throws IOException {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        ByteBuffer s = ByteBuffer.allocate(7 + t.length);
        s.put((byte) 0x82).put((byte) (5 + t.length)).putShort((short) 1).putShort((short) t.length).put(t)
                .put((byte) qos).flip();
        while (s.hasRemaining()) {
            ch.write(s);
        }
        byte[] none = new byte[0];
        reader = new Thread(() -> {
            ByteBuffer answers = ByteBuffer.allocate(1 << 16);
            try {
                while (!closed) {
                    if (ch.read(in) < 0) {
                        return;
                    }
                    in.flip();
                    while (in.remaining() >= 2) {
                        int start = in.position();
                        int b0 = in.get(start) & 0xFF;
                        int rem = 0;
                        int i = 1;
                        int b;
                        boolean whole = true;
                        do {
                            if (start + i >= in.limit()) {
                                whole = false;
                                break;
                            }
                            b = in.get(start + i) & 0xFF;
                            rem |= (b & 0x7F) << (7 * (i - 1));
                            i++;
                        } while ((b & 0x80) != 0);
                        if (!whole || in.limit() - start - i < rem) {
                            break;
                        }
                        int body = start + i;
                        int type = b0 >> 4;
                        if (type == 3) {
                            int q = (b0 >> 1) & 3;
                            if (q > 0) {
                                int idAt = body + 2 + (((in.get(body) & 0xFF) << 8) | (in.get(body + 1) & 0xFF));
                                answers.put((byte) (q == 1 ? 0x40 : 0x50)).put((byte) 2).put(in.get(idAt)).put(in.get(idAt + 1));
                            }
                            onMessage.accept(none);
                        } else if (type == 6) {
                            answers.put((byte) 0x70).put((byte) 2).put(in.get(body)).put(in.get(body + 1));
                        }
                        in.position(body + rem);
                        if (answers.remaining() < 8) {
                            flushAnswers(answers);
                        }
                    }
                    in.compact();
                    flushAnswers(answers);
                }
            } catch (IOException e) {
                // closed
            }
        }, "ceiling-subscriber");
        reader.setDaemon(true);
        reader.start();
        try {
            Thread.sleep(200); // the SUBACK, read and ignored by the loop above
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void flushAnswers(ByteBuffer answers) throws IOException {
        answers.flip();
        synchronized (this) {
            while (answers.hasRemaining()) {
                ch.write(answers);
            }
        }
        answers.clear();
    }

    @Override
    public void close() {
        closed = true;
        try {
            if (ch != null) {
                ch.close();
            }
        } catch (IOException ignored) {
            // closing
        }
    }
}
