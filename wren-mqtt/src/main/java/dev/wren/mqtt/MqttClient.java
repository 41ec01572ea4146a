package dev.wren.mqtt;

import dev.wren.mqtt.internal.session.ClientSession;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A poll-driven MQTT 3.1 / 3.1.1 client: the Java form of Zephyr's MQTT client library.
 *
 * <p>The application drives it, as with Zephyr's {@code mqtt_input} and {@code mqtt_live}: it connects, waits on
 * the client's {@linkplain #channel() channel} (with a {@link java.nio.channels.Selector}, for at most
 * {@link #keepAliveTimeLeft()} milliseconds), then calls {@link #input()} to process what arrived and
 * {@link #live()} to keep the connection alive. Every packet from the server, and the end of the connection,
 * reaches one {@link MqttEventHandler} as a typed {@link MqttEvent}.
 *
 * <pre>{@code
 * MqttClient client = new MqttClient(config, (c, event) -> System.out.println(event));
 * client.connect();
 * try (Selector selector = Selector.open()) {
 *     while (client.isOpen()) {
 *         SelectionKey key = client.channel().register(selector, client.interestOps());
 *         selector.select(Math.max(1, client.keepAliveTimeLeft()));
 *         client.input();
 *         client.live();
 *     }
 * }
 * }</pre>
 *
 * <p>Unlike Zephyr, the client does the protocol bookkeeping itself: it assigns packet identifiers (never one
 * still in flight), acknowledges QoS 1 and 2 messages in the order the specification requires (unless built with
 * {@link MqttClientConfig.Builder#manualAcks(boolean) manualAcks}), answers repeated QoS 2 messages without
 * delivering them twice, and closes the connection when a PINGRESP or CONNACK does not come in time.
 *
 * <p>Nothing blocks except the explicitly blocking payload reads. An operation the transmit side cannot take
 * right now returns {@link #WOULD_BLOCK} and changes nothing: wait until the channel is writable (the client
 * asks for that through {@link #interestOps()}) and call it again. A write the socket takes only in part is kept
 * and finished by later calls. PUBLISH payloads up to {@value #SMALL_PAYLOAD} bytes are copied into the transmit
 * buffer; so are heap payloads up to half its size while it has room (NIO would copy them into a direct buffer on
 * the write anyway). Others are written from the caller's buffer without being copied: the caller must leave them
 * unchanged until {@link #wantsWrite()} is false, or use {@link #publishCopy}.
 *
 * <h2>Thread safety</h2>
 * Not thread-safe: like a {@link java.nio.channels.SocketChannel} in a selector loop, a client is used by one
 * thread at a time, the thread that polls it. Many clients may share that thread. The event handler runs on it
 * and may call any method of the client, including {@link #readPayload(ByteBuffer)}, {@link #publish} and
 * {@link #disconnect()}.
 */
public final class MqttClient {

    /** Returned by an operation that the transmit side cannot take now. Nothing was queued. */
    public static final int WOULD_BLOCK = ClientSession.WOULD_BLOCK;

    /** Payloads up to this many bytes are copied into the transmit buffer, so several go out in one write. */
    public static final int SMALL_PAYLOAD = 128;

    private final MqttClientConfig config;
    private final MqttEventHandler handler;
    private final ByteBuffer rx;
    private final ClientSession session;
    private Transport transport;
    private boolean transportReady;
    private int inInput;
    private long writtenTotal;
    private boolean transportPending;

    /** A client for {@code config} that reports to {@code handler}. Allocates its buffers; connects nothing. */
    public MqttClient(MqttClientConfig config, MqttEventHandler handler) {
        this.config = Objects.requireNonNull(config, "config");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.rx = ByteBuffer.allocateDirect(config.receiveBufferSize());
        this.rx.limit(0);
        this.session = new ClientSession(config, new ClientSession.Listener() {
            @Override
            public void event(MqttEvent event) {
                handler.onEvent(MqttClient.this, event);
            }

            @Override
            public void closed(MqttEvent.Disconnect event) {
                closeTransport();
                handler.onEvent(MqttClient.this, event);
            }
        }, ByteBuffer.allocateDirect(config.transmitBufferSize()));
    }

    /** The configuration. */
    public MqttClientConfig config() {
        return config;
    }

    /**
     * A new client for {@code next}, reporting to the same handler, that goes on with this client's session: for a
     * reconnect with changed settings (fresh credentials, another keep-alive) where a session should survive. When
     * {@code next} names the same server (host and port) and client id and does not ask for a clean session, the
     * new client knows which incoming QoS 2 messages were delivered and not yet released, and answers a copy the
     * server sends again with PUBREC without delivering it twice (a new client built with the constructor would
     * deliver it again). Another server or client id is another session, and the new client starts with none.
     * Messages this client sent and the server has not acknowledged are the caller's to re-send, as after any
     * reconnect ({@link #republish}, {@link #resendPubRel}).
     *
     * @throws IllegalStateException if this client is open (connected, connecting or closing)
     */
    public MqttClient reconfigured(MqttClientConfig next) {
        Objects.requireNonNull(next, "next");
        if (isOpen()) {
            throw new IllegalStateException("disconnect before reconfiguring");
        }
        MqttClient c = new MqttClient(next, handler);
        if (next.clientId().equals(config.clientId()) && next.host().equals(config.host())
                && next.port() == config.port()) { // a clean session forgets it when connecting
            c.session.continueFrom(session);
        }
        return c;
    }

    // ------------------------------------------------------------------ connection

    /**
     * Starts connecting: opens the transport without waiting and queues CONNECT. CONNACK arrives later through
     * {@link #input()} as a {@link MqttEvent.ConnAck}. A failure (unknown host, refused, timeout) ends in a
     * {@link MqttEvent.Disconnect}, possibly from inside this call.
     *
     * @throws IllegalStateException if the client is already connected or connecting
     */
    public void connect() {
        if (session.state() != ClientSession.State.DISCONNECTED) {
            throw new IllegalStateException("already " + session.state().name().toLowerCase());
        }
        long now = now();
        rx.clear().limit(0);
        transportReady = false;
        session.start(now);
        int epoch = session.epoch();
        try {
            transport = config.transport().open(config.host(), config.port());
        } catch (IOException | RuntimeException e) {
            session.close(DisconnectReason.IO_ERROR, null, "cannot connect to " + config.host() + ":"
                    + config.port() + ": " + e.getMessage(), e);
            return;
        }
        if (finishConnect() && session.epoch() == epoch) {
            flushNow(now);
        }
    }

    /** Whether the client has a connection, established or being set up or closed. */
    public boolean isOpen() {
        return session.state() != ClientSession.State.DISCONNECTED;
    }

    /** Whether CONNACK accepted the connection and it has not ended. */
    public boolean isConnected() {
        return session.state() == ClientSession.State.CONNECTED;
    }

    /**
     * Sends DISCONNECT and closes the connection once it is written; then reports a {@link MqttEvent.Disconnect}
     * with reason {@link DisconnectReason#NORMAL} (from inside this call when the socket takes it at once). The
     * server discards the will.
     *
     * @throws IllegalStateException if not connected
     */
    public void disconnect() {
        long now = now();
        session.disconnect(now);
        flushNow(now);
    }

    /**
     * Closes the connection at once without DISCONNECT, so the server publishes the will, and reports a
     * {@link MqttEvent.Disconnect} with reason {@link DisconnectReason#ABORTED}. Does nothing when not open.
     */
    public void abort() {
        session.close(DisconnectReason.ABORTED, null, "aborted by the application", null);
    }

    // ------------------------------------------------------------------ the poll cycle

    /** Reads per {@link #input()} call at most, so that one busy connection does not starve others on a thread. */
    private static final int INPUT_ROUNDS = 16;

    /**
     * Processes what the connection holds without blocking: finishes connecting, writes what waits, reads what
     * arrived and reports each packet as an event. Returns early while a streamed payload waits to be read.
     * Errors end the connection with a {@link MqttEvent.Disconnect}; they are never thrown. An exception thrown by
     * the handler propagates, with the client's state consistent.
     */
    public void input() {
        if (transport == null) {
            return;
        }
        long now = now();
        if (!transportReady && !finishConnect()) {
            return;
        }
        int epoch = session.epoch();
        inInput++;
        try {
            flush(now);
            boolean drained = false;
            for (int round = 0; round < INPUT_ROUNDS && session.epoch() == epoch; round++) {
                session.receive(rx, now);
                if (session.epoch() != epoch) {
                    return;
                }
                if (!session.outboundEmpty() && !config.batchWrites()) {
                    flush(now);
                    if (session.epoch() != epoch) {
                        return;
                    }
                }
                if (session.payloadRemaining() > 0 && !session.skippingPayload()) {
                    return; // the application has not read the streamed payload yet
                }
                if (drained && !transport.hasBufferedInput()) {
                    break; // the last read left room: the socket is empty, and another read would only say so
                }
                if (round == INPUT_ROUNDS - 1) {
                    // no read in the last round: its bytes would wait undecoded in the buffer, where no readiness
                    // signals them, until more arrived; what is still in the socket keeps the channel readable
                    break;
                }
                rx.compact();
                int room = rx.remaining();
                int n = transport.read(rx);
                if (n > 0) {
                    session.received(now);
                }
                rx.flip();
                drained = n < room;
                if (n < 0) {
                    session.close(DisconnectReason.CLOSED_BY_SERVER, null, "the server closed the connection"
                            + (rx.hasRemaining() || session.payloadRemaining() > 0 ? " in the middle of a packet" : ""),
                            null);
                    return;
                }
                if (n == 0) {
                    break;
                }
            }
            if (session.epoch() == epoch) {
                flush(now);
            }
        } catch (IOException e) {
            if (session.epoch() == epoch) {
                fail(e, "");
            }
        } finally {
            inInput--;
        }
    }

    /**
     * Keeps the connection alive without blocking: sends PINGREQ when the keep-alive interval has passed since the
     * client last sent anything, ends the connection when a PINGRESP or CONNACK is overdue, and writes what waits.
     */
    public void live() {
        if (transport == null) {
            return;
        }
        long now = now();
        if (!transportReady) {
            finishConnect();
        }
        session.tick(now);
        if (transport != null && transportReady) {
            flushNow(now);
        }
    }

    /**
     * Milliseconds until {@link #live()} has something to do (a ping due, a timeout): the timeout for the next
     * select. 0 when the transport already holds input a select would not signal (decrypted TLS records), so that
     * {@link #input()} is called at once. -1 when nothing is scheduled (keep-alive off and connected, or not
     * connected).
     */
    public long keepAliveTimeLeft() {
        if (transport != null && transportReady && transport.hasBufferedInput()) {
            return 0;
        }
        long deadline = session.nextDeadline();
        return deadline == Long.MAX_VALUE ? -1 : Math.max(0, deadline - now());
    }

    /** The channel to wait on, or null when not connected. */
    public SelectableChannel channel() {
        return transport == null ? null : transport.channel();
    }

    /** Whether bytes wait to be written (or the transport is still connecting). */
    public boolean wantsWrite() {
        return transport != null && (!transportReady || !session.outboundEmpty() || transportPending);
    }

    /** The {@link java.nio.channels.SelectionKey} operations to wait for now; 0 when not connected. */
    public int interestOps() {
        return transport == null ? 0 : transport.interestOps(!session.outboundEmpty() || transportPending);
    }

    /**
     * Writes what waits, as far as the socket takes it now.
     *
     * @return true when nothing is left to write
     */
    public boolean flush() {
        flushNow(now());
        return session.outboundEmpty();
    }

    // ------------------------------------------------------------------ operations

    /**
     * Publishes an application message.
     *
     * @param payload the payload from its position to its limit; the buffer's position is left alone. Payloads
     *                above {@value #SMALL_PAYLOAD} bytes may be written from this buffer (see the class
     *                description), so it must stay unchanged until {@link #wantsWrite()} is false.
     * @return the packet identifier for QoS 1 and 2 (its PUBACK or PUBCOMP event carries the same), 0 for QoS 0, or
     * {@link #WOULD_BLOCK}
     * @throws IllegalStateException    if not connected
     * @throws IllegalArgumentException if the topic is not a valid topic name or does not fit the transmit buffer
     */
    public int publish(String topic, Qos qos, boolean retain, ByteBuffer payload) {
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(payload, "payload");
        int id = session.publish(topic, qos, retain, payload);
        if (id == WOULD_BLOCK && makeRoom()) {
            id = session.publish(topic, qos, retain, payload);
        }
        afterOperation();
        return id;
    }

    /**
     * Publishes an application message with the payload copied into the transmit buffer before this returns, so
     * the caller may change or reuse {@code payload} at once (the other {@code publish} methods write larger
     * payloads from the caller's buffer).
     *
     * @return the packet identifier for QoS 1 and 2, 0 for QoS 0, or {@link #WOULD_BLOCK} when the transmit buffer
     * has no room for the whole packet now
     * @throws IllegalStateException    if not connected
     * @throws IllegalArgumentException if the topic is not a valid topic name, or the whole packet is larger than
     *                                  the transmit buffer
     */
    public int publishCopy(String topic, Qos qos, boolean retain, byte[] payload) {
        Objects.requireNonNull(qos, "qos");
        ByteBuffer data = ByteBuffer.wrap(Objects.requireNonNull(payload, "payload"));
        int id = session.publishCopy(topic, qos, retain, data);
        if (id == WOULD_BLOCK && makeRoom()) {
            id = session.publishCopy(topic, qos, retain, data);
        }
        afterOperation();
        return id;
    }

    /**
     * Publishes again, after a reconnect with a session, a QoS 1 or 2 message the server had not acknowledged:
     * with its original packet identifier and the DUP flag set, as MQTT requires [MQTT-4.4.0-1]. The poll-driven
     * client keeps no payloads, so re-sending is the caller's to do; the asynchronous client does it by itself.
     *
     * @return {@code messageId}, or {@link #WOULD_BLOCK}
     * @throws IllegalStateException if not connected or {@code messageId} is in flight already
     */
    public int republish(String topic, Qos qos, boolean retain, ByteBuffer payload, int messageId) {
        int id = session.republish(topic, qos, retain, payload, messageId);
        if (id == WOULD_BLOCK && makeRoom()) {
            id = session.republish(topic, qos, retain, payload, messageId);
        }
        afterOperation();
        return id;
    }

    /**
     * Sends PUBREL again, after a reconnect with a session, for an outgoing QoS 2 message the server had answered
     * with PUBREC [MQTT-4.4.0-1]; the client then awaits its PUBCOMP.
     *
     * @return false if the transmit side cannot take it now
     */
    public boolean resendPubRel(int messageId) {
        boolean ok = session.resendPubRel(messageId) || (makeRoom() && session.resendPubRel(messageId));
        afterOperation();
        return ok;
    }

    /** Publishes {@code payload} (a byte array wrapped, not copied). See {@link #publish(String, Qos, boolean, ByteBuffer)}. */
    public int publish(String topic, Qos qos, boolean retain, byte[] payload) {
        return publish(topic, qos, retain, ByteBuffer.wrap(payload));
    }

    /**
     * Subscribes to topic filters.
     *
     * @return the packet identifier (the SUBACK event carries the same), or {@link #WOULD_BLOCK}
     */
    public int subscribe(List<Subscription> subscriptions) {
        int id = session.subscribe(subscriptions);
        if (id == WOULD_BLOCK && makeRoom()) {
            id = session.subscribe(subscriptions);
        }
        afterOperation();
        return id;
    }

    /** Subscribes to one topic filter. See {@link #subscribe(List)}. */
    public int subscribe(String filter, Qos qos) {
        return subscribe(List.of(new Subscription(filter, qos)));
    }

    /**
     * Unsubscribes from topic filters.
     *
     * @return the packet identifier (the UNSUBACK event carries the same), or {@link #WOULD_BLOCK}
     */
    public int unsubscribe(List<String> filters) {
        int id = session.unsubscribe(filters);
        if (id == WOULD_BLOCK && makeRoom()) {
            id = session.unsubscribe(filters);
        }
        afterOperation();
        return id;
    }

    /** Unsubscribes from topic filters. See {@link #unsubscribe(List)}. */
    public int unsubscribe(String... filters) {
        return unsubscribe(Arrays.asList(filters));
    }

    /**
     * Sends PINGREQ now (live() does this by itself when due).
     *
     * @return false if the transmit side cannot take it now
     */
    public boolean ping() {
        long now = now();
        boolean ok = session.ping(now) || (makeRoom() && session.ping(now));
        afterOperation();
        return ok;
    }

    /**
     * With {@link MqttClientConfig.Builder#deferredAcks(boolean) deferredAcks}: the application has handled the
     * received QoS 1/2 message {@code messageId}; its PUBACK or PUBREC goes out as soon as every earlier message of
     * its QoS has been acknowledged too, so acknowledging out of order is safe.
     *
     * @return false if no received message with that identifier awaits acknowledgement on this connection
     * @throws IllegalStateException if the client was not built with deferredAcks
     */
    public boolean acknowledge(int messageId) {
        boolean found = session.acknowledge(messageId);
        afterOperation();
        return found;
    }

    /** Manual mode: sends PUBACK for a QoS 1 message. Returns false if it cannot be taken now. */
    public boolean pubAck(int messageId) {
        return acknowledge(session::pubAck, messageId);
    }

    /** Manual mode: sends PUBREC for a QoS 2 message. Returns false if it cannot be taken now. */
    public boolean pubRec(int messageId) {
        return acknowledge(session::pubRec, messageId);
    }

    /** Manual mode: sends PUBREL after a PUBREC from the server. Returns false if it cannot be taken now. */
    public boolean pubRel(int messageId) {
        return acknowledge(session::pubRel, messageId);
    }

    /** Manual mode: sends PUBCOMP after a PUBREL from the server. Returns false if it cannot be taken now. */
    public boolean pubComp(int messageId) {
        return acknowledge(session::pubComp, messageId);
    }

    private boolean acknowledge(java.util.function.IntPredicate send, int messageId) {
        boolean ok = send.test(messageId) || (makeRoom() && send.test(messageId));
        afterOperation();
        return ok;
    }

    /** Packet identifiers in flight: QoS 1/2 publishes, subscribes and unsubscribes not yet answered. */
    public int inflight() {
        return session.inflight();
    }

    // ------------------------------------------------------------------ streamed payloads

    /** Bytes of the current streamed PUBLISH payload not yet read; 0 when none. */
    public int payloadRemaining() {
        return session.payloadRemaining();
    }

    /**
     * Reads payload bytes of the current streamed PUBLISH into {@code dst} without blocking, first from the receive
     * buffer, then straight from the socket: Zephyr's {@code mqtt_read_publish_payload}.
     *
     * @return the number of bytes read (0 if none are available yet), or -1 if no payload remains
     */
    public int readPayload(ByteBuffer dst) {
        if (session.payloadRemaining() == 0) {
            return -1;
        }
        int epoch = session.epoch();
        int n = session.readPayload(rx, dst);
        if (dst.hasRemaining() && session.payloadRemaining() > 0 && !rx.hasRemaining() && transport != null) {
            int limit = dst.limit();
            dst.limit(dst.position() + Math.min(dst.remaining(), session.payloadRemaining()));
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
                session.close(DisconnectReason.CLOSED_BY_SERVER, null,
                        "the server closed the connection in the middle of a PUBLISH payload", null);
                return n > 0 ? n : -1;
            }
            session.payloadReadDirectly(r);
            if (r > 0) {
                session.received(now());
            }
            n += r;
        }
        if (session.payloadRemaining() == 0 && session.epoch() == epoch) {
            afterOperation(); // the acknowledgement owed for it
        }
        return n;
    }

    /**
     * Reads payload bytes of the current streamed PUBLISH, waiting up to {@code timeoutMillis} for some to arrive:
     * Zephyr's {@code mqtt_read_publish_payload_blocking}.
     *
     * @return the number of bytes read (0 on time-out), or -1 if no payload remains or the connection ended
     */
    public int readPayloadBlocking(ByteBuffer dst, long timeoutMillis) {
        long deadline = now() + timeoutMillis;
        while (true) {
            int n = readPayload(dst);
            if (n != 0 || !dst.hasRemaining()) {
                return n;
            }
            long left = deadline - now();
            if (left <= 0 || transport == null) {
                return transport == null ? -1 : 0;
            }
            try {
                transport.awaitReadable(left);
            } catch (IOException e) {
                fail(e, " waiting for a payload");
                return -1;
            }
        }
    }

    /**
     * Reads until {@code dst} is full or the payload is consumed, blocking up to {@code timeoutMillis} in all:
     * Zephyr's {@code mqtt_readall_publish_payload}.
     *
     * @return the number of bytes read; fewer than requested only on time-out or when the connection ended
     */
    public int readAllPayload(ByteBuffer dst, long timeoutMillis) {
        long deadline = now() + timeoutMillis;
        int total = 0;
        while (dst.hasRemaining() && session.payloadRemaining() > 0) {
            long left = deadline - now();
            if (left <= 0) {
                break;
            }
            int n = readPayloadBlocking(dst, left);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    /**
     * Discards the rest of the current streamed payload: what is buffered now, the rest as it arrives through
     * {@link #input()}. The acknowledgement is still sent (the message counts as received).
     */
    public void skipPayload() {
        if (session.payloadRemaining() > 0) {
            session.skipPayload(rx);
            if (session.payloadRemaining() == 0) {
                afterOperation();
            }
        }
    }

    // ------------------------------------------------------------------ internals

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

    /** Writes unless writes are deferred (batching, or inside input() where the end of input() writes). */
    private void afterOperation() {
        if (!config.batchWrites() && inInput == 0) {
            flushNow(now());
        }
    }

    /** Tries a write to make room for an operation that did not fit; true if something was written. */
    private boolean makeRoom() {
        if (transport == null || !transportReady || session.outboundEmpty()) {
            return false;
        }
        long before = writtenTotal;
        flushNow(now());
        return transport != null && writtenTotal != before;
    }

    private void flushNow(long now) {
        if (transport == null || !transportReady) {
            return;
        }
        int epoch = session.epoch();
        try {
            flush(now);
        } catch (IOException e) {
            if (session.epoch() == epoch) {
                fail(e, "");
            }
        }
    }

    /** Ends the connection on an exception from the transport: TLS_ERROR for TLS failures, IO_ERROR otherwise. */
    private void fail(IOException e, String while_) {
        if (e instanceof javax.net.ssl.SSLException) {
            session.close(DisconnectReason.TLS_ERROR, null, "TLS error" + while_ + ": " + e.getMessage(), e);
        } else {
            session.close(DisconnectReason.IO_ERROR, null, "I/O error" + while_ + ": " + e.getMessage(), e);
        }
    }

    private void flush(long now) throws IOException {
        int epoch = session.epoch();
        while (!session.outboundEmpty() && session.epoch() == epoch) {
            int n = session.gather();
            long written = transport.write(session.segments(), 0, n);
            writtenTotal += written;
            session.written(written, now);
            if (written == 0) {
                break;
            }
        }
        if (session.epoch() == epoch && transport != null) {
            transportPending = !transport.flush();
        }
    }

    private void closeTransport() {
        if (transport != null) {
            transport.close();
            transport = null;
        }
        transportReady = false;
        transportPending = false;
        rx.clear().limit(0);
    }

    private static long now() {
        return System.nanoTime() / 1_000_000;
    }
}
