package dev.wren.mqtt.internal.client;

import dev.wren.mqtt.DisconnectReason;
import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.Transport;
import dev.wren.mqtt.internal.codec.PacketDecoder;
import dev.wren.mqtt.internal.session.ClientProtocol;
import dev.wren.mqtt.internal.session.DirectBufferPool;
import dev.wren.mqtt.internal.session.ProtocolConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;

/**
 * The bytes between a poll-driven client's protocol core and its transport: opens the transport, finishes
 * connecting, reads into the receive buffer and feeds the core, writes what the core leaves in its transmit buffer
 * (many packets per gathering write), and turns transport failures into the end of the connection. It runs no
 * handler itself: the client hands the core's events over between its steps.
 *
 * <p>Not thread-safe: owned by one {@code MqttClient}, used by the thread that polls it.
 */
public final class ConnectionIo {
    /** Where each packet sent and received is logged, at TRACE (checked when a connection opens). */
    private static final System.Logger PACKETS = System.getLogger("dev.wren.mqtt.packets");

    /** Reads per input call at most, so that one busy connection does not starve others on a thread. */
    private static final int INPUT_ROUNDS = 16;

    /** How long a grown receive buffer is kept after the last read that needed it, in milliseconds. */
    static final long SHRINK_AFTER_MILLIS = 5_000;

    /** How long a connection that may give up its buffers keeps them after its last read or write, in milliseconds. */
    static final long RELEASE_AFTER_MILLIS = 5_000;

    /**
     * The receive buffer of a connection that has given its own up: zero bytes long, so every position and limit
     * on it is 0 whichever thread sets it (it is shared), and nothing is ever read into it; a read first allocates
     * a buffer of the base size again.
     */
    private static final ByteBuffer NO_BUFFER = ByteBuffer.allocateDirect(0);

    /**
     * Where a connection without a receive buffer reads first, one per thread: a read that finds nothing (a time-out
     * or keep-alive step checks the socket too) then allocates nothing; one that finds bytes takes a buffer of its
     * own and moves them there.
     */
    private static final ThreadLocal<ByteBuffer> SCRATCH = new ThreadLocal<>();

    private final MqttClientConfig config;
    /** The receive buffer's size at the start of each connection, and how far it may grow to take a packet whole. */
    private final int baseCapacity;
    private final int limitCapacity;
    private ByteBuffer rx;
    /** When a read last filled a grown receive buffer beyond its base size. */
    private long grownUsedAt;
    /** When {@link #live} next lets a grown transmit buffer go back to its size if it was not needed meanwhile. */
    private long transmitShrinkAt;
    /**
     * Whether the buffers are given up after {@link #RELEASE_AFTER_MILLIS} without a read or a write, and allocated
     * again when needed: when the receive buffer may grow ({@link MqttClientConfig#receiveBufferLimit()} set, as the
     * asynchronous client sets it). The poll-driven client's fixed buffers are otherwise kept for good.
     */
    private final boolean releaseWhenIdle;
    /** When the buffers are given up unless bytes are read or written before (Long.MAX_VALUE: not planned). */
    private long releaseAt = Long.MAX_VALUE;
    private ClientProtocol protocol;
    private Transport transport;
    private boolean transportReady;
    private boolean transportPending;
    private boolean writesHeld;
    /** The handler asked the input in progress to stop reading (see {@code MqttClient.yieldInput()}). */
    private boolean yieldRequested;
    private long writtenTotal;

    public ConnectionIo(MqttClientConfig config) {
        this.config = config;
        this.baseCapacity = config.receiveBufferSize();
        this.limitCapacity = ProtocolConfig.wholePacketLimit(config);
        this.releaseWhenIdle = config.receiveBufferLimit() != 0;
        this.rx = ByteBuffer.allocateDirect(baseCapacity);
        this.rx.limit(0);
    }

    /** The core this feeds; set once, right after both are made (each needs the other). */
    public void attach(ClientProtocol core) {
        this.protocol = core;
    }

    /**
     * The receive buffer: bytes read and not yet consumed by the core, between position and limit. It may be
     * replaced by a larger one (up to the configured limit) and back, so callers ask for it each time.
     */
    public ByteBuffer rx() {
        return rx;
    }

    public Transport transport() {
        return transport;
    }

    /** Opens the transport without waiting and writes CONNECT if it is connected at once; false if it failed. */
    public boolean open(long now) {
        rx.clear().limit(0);
        transportReady = false;
        releaseAt = releaseWhenIdle ? now + RELEASE_AFTER_MILLIS : Long.MAX_VALUE;
        transmitShrinkAt = now + SHRINK_AFTER_MILLIS;
        try {
            transport = config.transport().open(config.host(), config.port());
            if (PACKETS.isLoggable(System.Logger.Level.TRACE)) {
                // every packet, as mosquitto's tools print it for -d: decoded again only while TRACE is on
                transport = new dev.wren.mqtt.internal.transport.TracingTransport(transport, config.clientId(),
                        config.protocolVersion(), line -> PACKETS.log(System.Logger.Level.TRACE, line));
            }
        } catch (IOException | RuntimeException e) {
            protocol.close(DisconnectReason.IO_ERROR, null, "cannot connect to " + config.host() + ":"
                    + config.port() + ": " + e.getMessage(), e);
            return false;
        }
        if (finishConnect()) {
            flushNow(now);
        }
        return true;
    }

    /** Whether there is a transport and it has finished connecting (trying to, if not yet). */
    public boolean ready() {
        return transport != null && (transportReady || finishConnect());
    }

    private boolean finishConnect() {
        try {
            if (transport.finishConnect()) {
                transportReady = true;
            }
        } catch (IOException e) {
            fail(e, " connecting to " + config.host() + ":" + config.port());
        }
        return transportReady;
    }

    /**
     * The rounds of one input call: decode what the buffer holds, hand the events over ({@code deliver}), read more.
     * Returns when the socket has nothing more, when a streamed payload waits for the application, or when the
     * connection ended (possibly from a handler, which may even have opened the next one).
     */
    public void readAndHandle(long now, Runnable deliver) {
        Transport t = transport;
        boolean drained = false;
        yieldRequested = false;
        try {
            flush(now);
            for (int round = 0; round < INPUT_ROUNDS && transport == t; round++) {
                protocol.receive(rx, now);
                deliver.run();
                if (transport != t) {
                    return;
                }
                if (!protocol.outboundEmpty() && !config.batchWrites()) {
                    flush(now);
                    if (transport != t) {
                        return;
                    }
                }
                if (yieldRequested) {
                    yieldRequested = false;
                    return; // the handler has enough for now: the socket keeps the rest, and the channel readable
                }
                if (protocol.payloadRemaining() > 0 && !protocol.skippingPayload()) {
                    return; // the application has not read the streamed payload yet
                }
                if (drained && !t.hasBufferedInput()) {
                    return; // the last read left room: the socket is empty, and another read would only say so
                }
                if (round == INPUT_ROUNDS - 1) {
                    // no read in the last round: its bytes would wait undecoded in the buffer, where no readiness
                    // signals them, until more arrived; what is still in the socket keeps the channel readable
                    return;
                }
                if (limitCapacity > rx.capacity() && rx.hasRemaining() && protocol.payloadRemaining() == 0) {
                    growFor(PacketDecoder.packetLength(rx));
                }
                int room;
                int n;
                if (rx == NO_BUFFER) { // given up while idle: a buffer again only if bytes came
                    ByteBuffer scratch = scratch(baseCapacity);
                    room = scratch.remaining();
                    n = t.read(scratch);
                    if (n > 0) {
                        rx = DirectBufferPool.take(baseCapacity);
                        rx.put(scratch.flip());
                    }
                } else {
                    rx.compact();
                    room = rx.remaining();
                    n = t.read(rx);
                }
                if (n > 0) {
                    protocol.received(now);
                    ioAt(now);
                }
                rx.flip();
                if (rx.capacity() > baseCapacity && rx.remaining() > baseCapacity) {
                    grownUsedAt = now;
                }
                drained = n < room;
                if (n < 0) {
                    protocol.close(DisconnectReason.CLOSED_BY_SERVER, null, "the server closed the connection"
                            + (rx.hasRemaining() || protocol.payloadRemaining() > 0 ? " in the middle of a packet"
                            : ""), null);
                    return;
                }
                if (n == 0) {
                    return;
                }
            }
        } catch (IOException e) {
            if (transport == t) {
                fail(e, "");
            }
        }
    }

    /**
     * A larger receive buffer, holding what this one holds, when the packet at its position ({@code needed} bytes,
     * -1 if not known yet) does not fit: the next power of two that takes it, at most the limit. A packet over the
     * limit gets the limit, so that its header fits and its payload is streamed.
     */
    private void growFor(long needed) {
        if (needed <= rx.capacity()) {
            return;
        }
        int size = needed >= limitCapacity ? limitCapacity
                : Math.min(limitCapacity, Integer.highestOneBit((int) needed - 1) << 1);
        ByteBuffer bigger = ByteBuffer.allocateDirect(size);
        bigger.put(rx).flip();
        rx = bigger;
    }

    /** This thread's scratch buffer, cleared, at least {@code size} bytes, its limit at {@code size}. */
    private static ByteBuffer scratch(int size) {
        ByteBuffer b = SCRATCH.get();
        if (b == null || b.capacity() < size) {
            b = ByteBuffer.allocateDirect(size);
            SCRATCH.set(b);
        }
        b.clear().limit(size);
        return b;
    }

    /** Bytes were read or written at {@code now}: the buffers stay for another quiet spell. */
    private void ioAt(long now) {
        if (releaseWhenIdle) {
            releaseAt = now + RELEASE_AFTER_MILLIS;
        }
    }

    /** Back to the base receive buffer, if it grew and holds nothing now. */
    private void shrink() {
        if (rx.capacity() > baseCapacity && !rx.hasRemaining()) {
            rx = DirectBufferPool.take(baseCapacity);
            rx.limit(0);
        }
    }

    /**
     * Gives up the receive buffer if it holds nothing (no packet begun, no payload being streamed) and the transmit
     * buffer if nothing waits in it: an idle connection then holds no buffer, on the heap or off it. The in-flight
     * table's storage goes too when nothing is in flight.
     */
    private void releaseBuffers() {
        if (rx != NO_BUFFER && !rx.hasRemaining() && protocol.payloadRemaining() == 0) {
            if (rx.capacity() == baseCapacity) { // not a grown one; nothing refers to it (views last a handler)
                DirectBufferPool.give(rx);
            }
            rx = NO_BUFFER;
        }
        protocol.trimIdle();
    }

    /** Whether this connection holds no buffer now (it gave them up while idle). */
    public boolean buffersReleased() {
        return rx == NO_BUFFER && protocol.transmitBufferReleased();
    }

    /** Makes the input in progress return after this round's events (see {@code MqttClient.yieldInput()}). */
    public void yieldInput() {
        yieldRequested = true;
    }

    /** Keep-alive and time-outs at {@code now}, then writes what waits. */
    public void live(long now) {
        if (transport == null) {
            return;
        }
        if (rx.capacity() > baseCapacity && now - grownUsedAt >= SHRINK_AFTER_MILLIS) {
            shrink(); // received nothing larger than the base buffer for a while
        }
        if (now >= transmitShrinkAt) {
            protocol.shrinkTransmitBuffer(); // a grown transmit buffer not needed since the last check
            transmitShrinkAt = now + SHRINK_AFTER_MILLIS;
        }
        if (now >= releaseAt) {
            releaseBuffers();
            // what could not be given up (a packet begun, bytes not yet written) is tried again a spell later
            releaseAt = buffersReleased() ? Long.MAX_VALUE : now + RELEASE_AFTER_MILLIS;
        }
        if (!transportReady) {
            finishConnect();
        }
        protocol.tick(now);
        flushNow(now);
    }

    /** See {@code MqttClient.keepAliveTimeLeft()}. */
    public long keepAliveTimeLeft(long now) {
        if (transport != null && transportReady && transport.hasBufferedInput()) {
            return 0;
        }
        long deadline = Math.min(protocol.nextDeadline(), transport == null ? Long.MAX_VALUE : releaseAt);
        return deadline == Long.MAX_VALUE ? -1 : Math.max(0, deadline - now);
    }

    public SelectableChannel channel() {
        return transport == null ? null : transport.channel();
    }

    public boolean wantsWrite() {
        return transport != null && (!transportReady || !protocol.outboundEmpty() || transportPending);
    }

    public int interestOps() {
        return transport == null ? 0
                : transport.interestOps(!writesHeld && (!protocol.outboundEmpty() || transportPending));
    }

    public void holdWrites(boolean hold) {
        writesHeld = hold;
    }

    /**
     * Reads payload bytes of the current streamed PUBLISH into {@code dst} without blocking, first from the receive
     * buffer, then straight from the socket.
     *
     * @return the number of bytes read (0 if none are available yet), or -1 if the connection ended
     */
    public int readPayload(ByteBuffer dst, long now) {
        int n = protocol.readPayload(rx, dst);
        if (dst.hasRemaining() && protocol.payloadRemaining() > 0 && !rx.hasRemaining() && transport != null) {
            int limit = dst.limit();
            dst.limit(dst.position() + Math.min(dst.remaining(), protocol.payloadRemaining()));
            int r;
            try {
                r = transport.read(dst);
            } catch (IOException e) {
                fail(e, " reading a payload");
                return n > 0 ? n : -1;
            } finally {
                dst.limit(limit);
            }
            if (r < 0) {
                protocol.close(DisconnectReason.CLOSED_BY_SERVER, null,
                        "the server closed the connection in the middle of a PUBLISH payload", null);
                return n > 0 ? n : -1;
            }
            protocol.payloadReadDirectly(r);
            if (r > 0) {
                protocol.received(now);
                ioAt(now);
            }
            n += r;
        }
        return n;
    }

    /**
     * Reads payload with {@code read} (the client's own non-blocking read), waiting for the transport between tries,
     * until some bytes come, {@code dst} is full, the payload ends or {@code deadline} (on {@code clock}) passes.
     *
     * @return the number of bytes read (0 on time-out), or -1 if no payload remains or the connection ended
     */
    public int readPayloadBlocking(ByteBuffer dst, long deadline, java.util.function.ToIntFunction<ByteBuffer> read,
                                   java.util.function.LongSupplier clock) {
        while (true) {
            int n = read.applyAsInt(dst);
            long left = deadline - clock.getAsLong();
            if (n != 0 || !dst.hasRemaining() || left <= 0 || transport == null) {
                return n == 0 && transport == null ? -1 : n;
            }
            if (!awaitReadable(left)) {
                return -1;
            }
        }
    }

    /** Waits up to {@code millis} for the transport to become readable; false if there is none or it failed. */
    public boolean awaitReadable(long millis) {
        if (transport == null) {
            return false;
        }
        try {
            transport.awaitReadable(millis);
            return true;
        } catch (IOException e) {
            fail(e, " waiting for a payload");
            return false;
        }
    }

    /** Tries a write to make room for an operation that did not fit; true if something was written. */
    public boolean makeRoom(long now) {
        if (transport == null || !transportReady || protocol.outboundEmpty() || writesHeld) {
            return false;
        }
        long before = writtenTotal;
        flushNow(now);
        return transport != null && writtenTotal != before;
    }

    /** Writes what waits, as far as the transport takes it; a failure ends the connection. */
    public void flushNow(long now) {
        if (transport == null || !transportReady) {
            return;
        }
        try {
            flush(now);
        } catch (IOException e) {
            fail(e, "");
        }
    }

    /** Ends the connection on an exception from the transport: TLS_ERROR for TLS failures, IO_ERROR otherwise. */
    private void fail(IOException e, String while_) {
        if (e instanceof dev.wren.mqtt.internal.transport.ProxyRefusedException) {
            protocol.close(DisconnectReason.PROXY_REFUSED, null, e.getMessage(), e);
        } else if (e instanceof javax.net.ssl.SSLException) {
            protocol.close(DisconnectReason.TLS_ERROR, null, "TLS error" + while_ + ": " + e.getMessage(), e);
        } else {
            protocol.close(DisconnectReason.IO_ERROR, null, "I/O error" + while_ + ": " + e.getMessage(), e);
        }
    }

    /** Writes what waits; no handler runs inside, so the connection stays the same throughout. */
    private void flush(long now) throws IOException {
        if (writesHeld) {
            return;
        }
        Transport t = transport;
        while (!protocol.outboundEmpty() && transport == t) {
            int n = protocol.gather();
            long written = t.write(protocol.segments(), 0, n);
            writtenTotal += written;
            if (written > 0) {
                ioAt(now);
            }
            protocol.written(written, now);
            if (written == 0) {
                break;
            }
        }
        if (transport == t && t != null) {
            transportPending = !t.flush();
        }
    }

    /** Closes the transport: the core's hook, run the moment the connection ends. */
    public void closeTransport() {
        if (transport != null) {
            transport.close();
            transport = null;
        }
        transportReady = false;
        transportPending = false;
        rx.clear().limit(0);
        shrink();
    }
}
