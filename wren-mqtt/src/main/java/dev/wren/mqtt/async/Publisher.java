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
    /** Payload bytes of the messages accepted and not finished, in flight or queued. */
    private long bytesHeld;
    /** When the expiry timer next fires (epoch milliseconds), 0 when none is set. */
    private long expiryTimerAt;
    /** Where this client counts; null for nowhere. */
    private final MqttMetrics metrics;
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
        this.bytesHeld = outgoing.loadedBytes();
        this.metrics = options.metrics;
    }

    /** See {@link AsyncMqttClient#publish}; the topic has been checked. */
    CompletableFuture<Void> publish(String topic, byte[] payload, Qos qos, boolean retain) {
        return publish(topic, payload, qos, retain, (MqttProperties) null);
    }

    /** See {@link AsyncMqttClient#publish}; the topic has been checked; {@code props} null for none. */
    CompletableFuture<Void> publish(String topic, byte[] payload, Qos qos, boolean retain, MqttProperties props) {
        return publish(topic, payload, qos, retain, props, 0, false);
    }

    /** See {@link AsyncMqttClient#publish(String, byte[], Qos, boolean, PublishOptions)}. */
    CompletableFuture<Void> publish(String topic, byte[] payload, Qos qos, boolean retain, PublishOptions opts) {
        return publish(topic, payload, qos, retain, opts.properties(), opts.expiryMillis(), opts.onlyIfConnected());
    }

    private CompletableFuture<Void> publish(String topic, byte[] payload, Qos qos, boolean retain,
                                            MqttProperties props, long expiryMillis, boolean onlyIfConnected) {
        CompletableFuture<Void> f = qos == Qos.AT_MOST_ONCE ? new WrenFuture<>()
                : new WrenFuture.Publish(writeNowAction());
        if (owner.isClosed()) {
            f.completeExceptionally(new IllegalStateException("client closed"));
            return f;
        }
        long expiresAt = expiryMillis == 0 ? 0 : System.currentTimeMillis() + expiryMillis;
        if (qos == Qos.AT_MOST_ONCE) {
            synchronized (lock) {
                if (!publishAtMostOnceNow(topic, retain, payload, withExpiry(props, expiryMillis))) {
                    if (!refusedWhileDisconnected(f, onlyIfConnected) && reserve(f, payload.length)) {
                        if (props == null && expiryMillis == 0 && !onlyIfConnected
                                && payload.length <= AtMostOnceRun.MAX_PAYLOAD) {
                            queueInRun(topic, retain, payload, f);
                            return f;
                        }
                        Outgoing o = new Outgoing(topic, qos, retain, payload.clone(), 0, f);
                        o.properties = props;
                        o.expiresAt = expiresAt;
                        o.expiryMillis = expiryMillis;
                        o.onlyIfConnected = onlyIfConnected;
                        enqueue(o);
                    }
                    return f;
                }
            }
            f.complete(null); // in the transmit buffer: what a QoS 0 future promises
            return f;
        }
        synchronized (lock) {
            if (refusedWhileDisconnected(f, onlyIfConnected) || !reserve(f, payload.length)) {
                return f;
            }
        }
        byte[] copy = payload.clone();
        long storeKey;
        try {
            // outside the lock: a durable store writes a file
            storeKey = expiresAt == 0 ? store.add(topic, qos, retain, copy) : store.add(topic, qos, retain, copy, expiresAt);
        } catch (RuntimeException e) {
            synchronized (lock) {
                release(copy.length);
            }
            f.completeExceptionally(e);
            return f;
        }
        Outgoing o = new Outgoing(topic, qos, retain, copy, storeKey, f);
        o.properties = props;
        o.expiresAt = expiresAt;
        o.expiryMillis = expiryMillis;
        o.onlyIfConnected = onlyIfConnected;
        synchronized (lock) {
            if (!publishNow(o)) {
                enqueue(o);
            }
        }
        return f;
    }

    /**
     * MQTT 5.0: {@code props} with a Message Expiry Interval of what is left of {@code leftMillis}, rounded up to a
     * whole second; {@code props} itself without an expiry or without MQTT 5.0.
     */
    private MqttProperties withExpiry(MqttProperties props, long leftMillis) {
        if (leftMillis <= 0) {
            return props;
        }
        MqttClient client = owner.core();
        if (client == null || !client.config().protocolVersion().isMqtt5()) {
            return props;
        }
        dev.wren.mqtt.internal.codec.Properties base = props == null ? dev.wren.mqtt.internal.codec.Properties.NONE
                : (dev.wren.mqtt.internal.codec.Properties) props;
        return base.with(dev.wren.mqtt.internal.codec.Property.MESSAGE_EXPIRY_INTERVAL, (leftMillis + 999) / 1000);
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
        if (metrics != null) {
            owner.counts.sent(Qos.AT_MOST_ONCE, payload.length);
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
        MqttProperties props = o.expiresAt == 0 ? o.properties
                : withExpiry(o.properties, Math.max(1, o.expiresAt - System.currentTimeMillis()));
        try {
            id = props == null ? client.publish(o.topic, o.buffer, o.qos, o.retain)
                    : client.publish(o.topic, o.buffer, o.qos, o.retain, props);
        } catch (IllegalArgumentException e) {
            // MQTT 5.0: beyond what this server granted (maximum QoS, retain, packet size): the message fails alone
            release(o.size);
            if (o.key != 0) {
                store.remove(o.key);
            }
            owner.complete(o.future, null, e);
            return SENT;
        }
        if (id == MqttClient.WOULD_BLOCK || !client.isConnected()) {
            return BLOCKED;
        }
        if (metrics != null) {
            owner.counts.sent(o.qos, o.size);
            o.sentAtNanos = System.nanoTime();
        }
        if (o.qos == Qos.AT_MOST_ONCE) {
            release(o.size);
            owner.complete(o.future, null, null);
        } else {
            outgoing.sent(o, id);
            owner.gateWrites();
        }
        return SENT;
    }

    /**
     * Queues a QoS 0 message in the newest run of them, or in a new one at the end of the queue: twice the size of
     * the one before when that one is full (a burst goes on), the smallest size otherwise.
     */
    private void queueInRun(String topic, boolean retain, byte[] payload, CompletableFuture<Void> f) {
        Outgoing last = outgoing.lastQueued();
        if (!(last instanceof AtMostOnceRun run && run.add(topic, retain, payload, f))) {
            int bytes = last instanceof AtMostOnceRun full
                    ? Math.min(AtMostOnceRun.MAX_BYTES, full.capacity() * 2) : AtMostOnceRun.MIN_BYTES;
            AtMostOnceRun run = new AtMostOnceRun(Math.max(bytes, payload.length));
            run.add(topic, retain, payload, f);
            outgoing.queue(run);
        }
        owner.scheduleFlush();
    }

    /** Sends the messages of a run while the transmit buffer takes them: SENT when none is left, else BLOCKED. */
    private int sendRun(MqttClient client, AtMostOnceRun run) {
        while (run.remaining() > 0) {
            int size = run.firstSize();
            CompletableFuture<Void> f = run.firstFuture();
            Throwable error = null;
            try {
                int id = client.publishCopy(run.firstTopic(), run.firstPayload(), Qos.AT_MOST_ONCE, run.firstRetain());
                if (id == MqttClient.WOULD_BLOCK || !client.isConnected()) {
                    return BLOCKED;
                }
                if (metrics != null) {
                    owner.counts.sent(Qos.AT_MOST_ONCE, size);
                }
            } catch (IllegalArgumentException e) {
                error = e; // MQTT 5.0: larger than the server's Maximum Packet Size: this message fails alone
            }
            run.takeFirst();
            release(size);
            owner.complete(f, null, error);
        }
        return SENT;
    }

    /** Sends queued messages while the window and the transmit buffer take them; true if the buffer was full. */
    boolean sendQueued(MqttClient client) {
        long now = 0;
        for (Outgoing o; (o = outgoing.nextQueued()) != null; ) {
            if (o instanceof AtMostOnceRun run) {
                if (sendRun(client, run) == BLOCKED) {
                    return client.isConnected();
                }
                outgoing.dequeued();
                continue;
            }
            if (o.expiresAt != 0 && o.expired(now == 0 ? now = System.currentTimeMillis() : now)) {
                outgoing.dequeued();
                expire(o);
                continue;
            }
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
        if (o.expiresAt != 0 && (expiryTimerAt == 0 || o.expiresAt < expiryTimerAt)) {
            scheduleExpiry(o.expiresAt);
        }
        owner.scheduleFlush();
    }

    /** Sets the expiry timer to fire at {@code at}: on the loop, holding the lock, it drops what expired. */
    private void scheduleExpiry(long at) {
        expiryTimerAt = at;
        // a task that reaches the client through its detachable handle: a far-off expiry keeps no closed client
        loop.schedule(owner.link.timedTask(LoopHandle.EXPIRY, at), Math.max(0, at - System.currentTimeMillis()));
    }

    /** The expiry timer set for {@code at} came (on the loop, under the lock); a replaced one does nothing. */
    void expiryTimer(long at) {
        if (expiryTimerAt == at) {
            expiryTimerAt = 0;
            expireQueued();
        }
    }

    /** Drops the queued messages whose expiry has passed, and sets the timer for the next one. */
    private void expireQueued() {
        long now = System.currentTimeMillis();
        for (Outgoing o : outgoing.removeQueuedIf(o -> o.expired(now))) {
            expire(o);
        }
        long earliest = outgoing.earliestQueuedExpiry();
        if (earliest != 0) {
            scheduleExpiry(earliest);
        }
    }

    /** A queued message expired: its room goes, the store forgets it, its future fails. */
    private void expire(Outgoing o) {
        if (metrics != null) {
            metrics.dropped(MqttMetrics.Drop.EXPIRED);
        }
        release(o.size);
        outgoing.forget(o);
        owner.complete(o.future, null, new MessageExpiredException(o.topic, o.expiryMillis));
    }

    /** The connection was lost: queued messages that were only for it fail with {@link NotConnectedException}. */
    void connectionLost(dev.wren.mqtt.MqttEvent.Disconnect d) {
        for (Outgoing o : outgoing.removeQueuedIf(o -> o.onlyIfConnected)) {
            if (metrics != null) {
                metrics.dropped(MqttMetrics.Drop.NOT_CONNECTED);
            }
            release(o.size);
            outgoing.forget(o);
            owner.complete(o.future, null, new NotConnectedException(d));
        }
    }

    /**
     * Fails {@code f} with {@link NotConnectedException} when the client has no connection to send on and was built
     * not to queue publishes meanwhile; true if it did.
     */
    private boolean refusedWhileDisconnected(CompletableFuture<?> f, boolean onlyIfConnected) {
        MqttClient client = owner.core();
        if ((options.queueWhileDisconnected && !onlyIfConnected) || (client != null && client.isConnected())) {
            return false;
        }
        f.completeExceptionally(new NotConnectedException(owner.lastDisconnect()));
        if (metrics != null) {
            metrics.dropped(MqttMetrics.Drop.NOT_CONNECTED);
        }
        return true;
    }

    /** Whether a message of {@code size} bytes finds no room: no permit left, or the bytes would pass the bound. */
    private boolean full(int size) {
        return permits == 0 || (bytesHeld > 0 && bytesHeld + size > options.maxQueuedBytes);
    }

    /**
     * Takes room for one message of {@code size} bytes as the queue-full policy says (waiting, or dropping the
     * oldest queued message); false (and {@code f} failed) if there is none.
     */
    private boolean reserve(CompletableFuture<?> f, int size) {
        while (full(size)) {
            if (owner.isClosed()) {
                f.completeExceptionally(new IllegalStateException("client closed"));
                return false;
            }
            if (options.queueFullPolicy == QueueFullPolicy.DROP_OLDEST) {
                if (dropOldest()) {
                    continue;
                }
            }
            if (options.queueFullPolicy != QueueFullPolicy.BLOCK || loop.inEventLoop()) {
                if (metrics != null) {
                    metrics.dropped(MqttMetrics.Drop.QUEUE_FULL_REFUSED);
                }
                f.completeExceptionally(permits == 0 ? new QueueFullException(options.maxInflight + options.maxQueued)
                        : new QueueFullException(bytesHeld, options.maxQueuedBytes));
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
        bytesHeld += size;
        return true;
    }

    /** Drops the oldest queued message (the first of a run, when a run is oldest); false if none is queued. */
    private boolean dropOldest() {
        Outgoing oldest = outgoing.nextQueued();
        if (oldest == null) {
            return false;
        }
        if (metrics != null) {
            metrics.dropped(MqttMetrics.Drop.QUEUE_FULL_OLDEST);
        }
        if (oldest instanceof AtMostOnceRun run) {
            String topic = run.firstTopic();
            int size = run.firstSize();
            CompletableFuture<Void> f = run.firstFuture();
            run.takeFirst();
            if (run.remaining() == 0) {
                outgoing.dequeued();
            }
            release(size);
            owner.complete(f, null, new MessageDroppedException(topic));
            return true;
        }
        outgoing.dequeued();
        release(oldest.size);
        outgoing.forget(oldest);
        owner.complete(oldest.future, null, new MessageDroppedException(oldest.topic));
        return true;
    }

    /** A message of {@code size} bytes is done (or given up): its room goes to the next publisher. */
    void release(int size) {
        permits++;
        bytesHeld -= size;
        if (blockedPublishers > 0) {
            lock.notify();
        }
    }
}
