package dev.wren.mqtt.async;

import dev.wren.mqtt.MqttClient;
import dev.wren.mqtt.MqttProperties;
import dev.wren.mqtt.Qos;
import dev.wren.mqtt.async.OutgoingMessages.Outgoing;
import java.util.concurrent.CompletableFuture;

/**
 * The publishing side of an {@link AsyncMqttClient}: takes room for each message (the send window of the core plus
 * the client's queue), hands a message straight to the protocol core on the caller's thread when nothing waits
 * ahead of it and the window has room, queues it otherwise, and sends the queue as acknowledgements make room.
 * The send window itself is the core's ({@code MqttClientConfig.maxInflight}).
 *
 * <p>Not thread-safe on its own: every method but {@link #publish} and {@link #writeNow} is called holding the
 * client's lock; those two take it.
 */
final class Publisher {
    static final int SENT = 0;
    static final int WINDOW_FULL = 1;
    static final int BLOCKED = 2;

    private final AsyncConnection owner;
    private final Object lock;
    private final Options options;
    private final EventLoop loop;
    private final SessionStore store;
    final OutgoingMessages outgoing;
    private int permits; // messages that may still be accepted (window plus queue)
    private int blockedPublishers;
    /** QoS 1/2 publishes encoded on callers' threads since the transmit buffer was last written. */
    private int publishedSinceWrite;
    /** {@link #writeNow()} as what a publish's future runs before its first waiter waits; made on first publish. */
    private volatile Runnable writeNowAction;

    Publisher(AsyncConnection owner, Object lock, Options options, EventLoop loop, SessionStore store,
              StoreWriter writer, boolean cleanSession) {
        this.owner = owner;
        this.lock = lock;
        this.options = options;
        this.loop = loop;
        this.store = store;
        this.outgoing = new OutgoingMessages(store, writer);
        // what an earlier process left in the store: sent ones re-sent if the broker kept the session
        this.permits = options.maxInflight + options.maxQueued - outgoing.load(cleanSession);
    }

    /** See {@link AsyncMqttClient#publish}; the topic has been checked. */
    CompletableFuture<Void> publish(String topic, byte[] payload, Qos qos, boolean retain) {
        return publish(topic, payload, qos, retain, null);
    }

    /** See {@link AsyncMqttClient#publish}; the topic has been checked; {@code props} null for none. */
    CompletableFuture<Void> publish(String topic, byte[] payload, Qos qos, boolean retain, MqttProperties props) {
        CompletableFuture<Void> f = new WrenFuture<>(qos == Qos.AT_MOST_ONCE ? null : writeNowAction());
        if (owner.isClosed()) {
            f.completeExceptionally(new IllegalStateException("client closed"));
            return f;
        }
        if (qos == Qos.AT_MOST_ONCE) {
            synchronized (lock) {
                if (!publishAtMostOnceNow(topic, retain, payload, props)) {
                    if (!refusedWhileDisconnected(f) && reserve(f)) {
                        Outgoing o = new Outgoing(topic, qos, retain, payload.clone(), 0, f);
                        o.properties = props;
                        enqueue(o);
                    }
                    return f;
                }
            }
            f.complete(null); // in the transmit buffer: what a QoS 0 future promises
            return f;
        }
        synchronized (lock) {
            if (refusedWhileDisconnected(f) || !reserve(f)) {
                return f;
            }
        }
        byte[] copy = payload.clone();
        long storeKey;
        try {
            storeKey = store.add(topic, qos, retain, copy); // outside the lock: a durable store writes a file
        } catch (RuntimeException e) {
            synchronized (lock) {
                release();
            }
            f.completeExceptionally(e);
            return f;
        }
        Outgoing o = new Outgoing(topic, qos, retain, copy, storeKey, f);
        o.properties = props;
        synchronized (lock) {
            if (!publishNow(o)) {
                enqueue(o);
            }
        }
        return f;
    }

    /** Whether a publish may go out at once: connected, and nothing queued that must go before it. */
    private boolean mayPublishNow(MqttClient client) {
        return client != null && client.isConnected() && outgoing.nothingWaiting();
    }

    /** Encodes a QoS 0 message now if nothing waits ahead of it; false if it must be queued instead. */
    private boolean publishAtMostOnceNow(String topic, boolean retain, byte[] payload, MqttProperties props) {
        MqttClient client = owner.core();
        if (!mayPublishNow(client)) {
            return false;
        }
        // the caller may reuse the array once this returns: the core copies it (into the transmit buffer if it fits)
        int id = props == null ? client.publishCopy(topic, payload, Qos.AT_MOST_ONCE, retain)
                : client.publishCopy(topic, payload, Qos.AT_MOST_ONCE, retain, props);
        if (id == MqttClient.WOULD_BLOCK) {
            return false;
        }
        owner.scheduleFlush();
        return true;
    }

    /** Sends a QoS 1/2 message now if nothing waits ahead of it and the window has room; false to queue it. */
    private boolean publishNow(Outgoing o) {
        MqttClient client = owner.core();
        if (!mayPublishNow(client) || send(client, o) != SENT) {
            return false;
        }
        publishedSinceWrite++;
        if (client.sendWindowFull() && publishedSinceWrite >= Math.max(1, options.maxInflight / 4)
                && !loop.inEventLoop()) {
            // the window is full, so the caller's next publish waits for acknowledgements: a burst of a quarter of
            // the window or more is written now rather than wake the loop to do it (a hand-off less per window);
            // a few messages go with the loop's next write, with its acknowledgements, as one write
            writeNow();
            return true;
        }
        owner.scheduleFlush();
        return true;
    }

    /** {@link #writeNow()} for a publish's future to run before its first waiter waits. */
    private Runnable writeNowAction() {
        Runnable r = writeNowAction;
        if (r == null) {
            r = this::writeNow; // two threads may both make one: either does
            writeNowAction = r;
        }
        return r;
    }

    /**
     * Writes what publishes left in the transmit buffer, on the calling thread, when the caller waits for an
     * acknowledgement next (a full window, or a wait on a publish's future): its message need not wait for the event
     * loop to wake up and write it. What the socket does not take is left to the loop.
     */
    void writeNow() {
        synchronized (lock) {
            MqttClient client = owner.core();
            if (client == null || !client.isConnected() || !client.wantsWrite() || loop.inEventLoop()) {
                return;
            }
            client.flush();
            publishedSinceWrite = 0;
            if (client.wantsWrite()) {
                owner.scheduleFlush();
            }
        }
    }

    /** The transmit buffer was written out by the loop. */
    void written() {
        publishedSinceWrite = 0;
    }

    /** Hands one message to the connection: SENT, WINDOW_FULL (acknowledgements make room) or BLOCKED (socket). */
    private int send(MqttClient client, Outgoing o) {
        if (o.qos != Qos.AT_MOST_ONCE && client.sendWindowFull()) {
            return WINDOW_FULL;
        }
        int id;
        try {
            id = o.properties == null ? client.publish(o.topic, o.buffer, o.qos, o.retain)
                    : client.publish(o.topic, o.buffer, o.qos, o.retain, o.properties);
        } catch (IllegalArgumentException e) {
            // MQTT 5.0: beyond what this server granted (maximum QoS, retain, packet size): the message fails alone
            release();
            if (o.key != 0) {
                store.remove(o.key);
            }
            owner.complete(o.future, null, e);
            return SENT;
        }
        if (id == MqttClient.WOULD_BLOCK || !client.isConnected()) {
            return BLOCKED;
        }
        if (o.qos == Qos.AT_MOST_ONCE) {
            release();
            owner.complete(o.future, null, null);
        } else {
            outgoing.sent(o, id);
            owner.gateWrites();
        }
        return SENT;
    }

    /** Sends queued messages while the window and the transmit buffer take them; true if the buffer was full. */
    boolean sendQueued(MqttClient client) {
        for (Outgoing o; (o = outgoing.nextQueued()) != null; ) {
            int result = send(client, o);
            if (result == WINDOW_FULL) {
                return false; // acknowledgements (reads) make room
            }
            if (result == BLOCKED) {
                return client.isConnected();
            }
            outgoing.dequeued();
        }
        return false;
    }

    private void enqueue(Outgoing o) {
        outgoing.queue(o);
        owner.scheduleFlush();
    }

    /**
     * Fails {@code f} with {@link NotConnectedException} when the client has no connection to send on and was built
     * not to queue publishes meanwhile; true if it did.
     */
    private boolean refusedWhileDisconnected(CompletableFuture<?> f) {
        MqttClient client = owner.core();
        if (options.queueWhileDisconnected || (client != null && client.isConnected())) {
            return false;
        }
        f.completeExceptionally(new NotConnectedException(owner.lastDisconnect()));
        return true;
    }

    /** Takes room for one message, waiting for it if so configured; false (and {@code f} failed) if there is none. */
    private boolean reserve(CompletableFuture<?> f) {
        while (permits == 0) {
            if (owner.isClosed()) {
                f.completeExceptionally(new IllegalStateException("client closed"));
                return false;
            }
            if (!options.blockWhenQueueFull || loop.inEventLoop()) {
                f.completeExceptionally(new QueueFullException(options.maxInflight + options.maxQueued));
                return false;
            }
            blockedPublishers++;
            try {
                lock.wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                f.completeExceptionally(e);
                return false;
            } finally {
                blockedPublishers--;
            }
        }
        permits--;
        return true;
    }

    /** A message is done (or given up): its room goes to the next publisher. */
    void release() {
        permits++;
        if (blockedPublishers > 0) {
            lock.notify();
        }
    }
}
