package dev.wren.mqtt.async;

import dev.wren.mqtt.MqttException;
import dev.wren.mqtt.MqttClient;
import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.MqttEvent;
import dev.wren.mqtt.MqttEventHandler;
import dev.wren.mqtt.Qos;
import dev.wren.mqtt.Subscription;
import dev.wren.mqtt.UnacknowledgedMessage;
import dev.wren.mqtt.async.OutgoingMessages.Outgoing;
import dev.wren.mqtt.internal.codec.Topics;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * The everyday client: every operation returns a {@link CompletableFuture} that completes when the broker has
 * acknowledged it, messages arrive at handlers on an executor of the application's choice, and the client
 * reconnects, re-subscribes and re-sends by itself. It runs the poll-driven {@link MqttClient} on an
 * {@link EventLoop}, which thousands of clients can share; it is not a second protocol implementation.
 *
 * <pre>{@code
 * AsyncMqttClient client = AsyncMqttClient.builder(MqttClientConfig.builder()
 *         .broker("localhost", 1883).clientId("sensor-7").cleanSession(false).build())
 *     .build();
 * client.connect().join();
 * client.subscribe("commands/#", Qos.AT_LEAST_ONCE, m -> System.out.println(m.payloadAsString())).join();
 * client.publish("sensors/7", "21.5".getBytes(UTF_8), Qos.AT_LEAST_ONCE, false)
 *       .thenRun(() -> System.out.println("broker has it"));
 * }</pre>
 *
 * <h2>What the futures mean</h2>
 * {@code connect}: the first accepted CONNACK. {@code publish}: PUBACK (QoS 1), PUBCOMP (QoS 2), or handed to the
 * socket (QoS 0). {@code subscribe}: SUBACK, with its return codes. {@code unsubscribe}: UNSUBACK.
 * {@code disconnect}: the connection closed. Futures complete on the callback executor when something depends on
 * them, so that callbacks never run on (and never block) the event loop; use the {@code *Async} methods with your own
 * executor for heavy work all the same.
 *
 * <h2>Flow control</h2>
 * At most {@link AsyncMqttClientBuilder#maxInflight(int)} QoS 1/2 messages are unacknowledged at once; later publishes wait in a
 * queue of {@link AsyncMqttClientBuilder#maxQueued(int)} and go out as acknowledgements come back, while disconnected too. When
 * both are full, {@code publish} returns a future failed with {@link QueueFullException}, or, with
 * {@link AsyncMqttClientBuilder#blockWhenQueueFull(boolean)}, blocks the calling thread until there is room (never the event
 * loop's).
 *
 * <h2>Sessions</h2>
 * After a reconnect with a session ({@code cleanSession(false)} and the broker reporting session present),
 * unacknowledged messages are re-sent with their packet identifiers and DUP set, and pending PUBRELs re-sent, in
 * their original order. When the broker has no session, they are published again as new messages, and every
 * subscription is made again. Incoming QoS 2 messages reach the handlers once across reconnects. With
 * {@link SessionStore#files}, accepted messages survive a process restart too.
 *
 * <h2>Threads</h2>
 * A publish goes straight into the connection's transmit buffer on the calling thread when nothing is queued ahead
 * of it and the window has room; the event loop writes the buffer out, many messages per write. A QoS 0 publish so
 * sent returns a completed future. Everything else (reads, acknowledgements, reconnects, queued messages) happens on
 * the event loop. One lock per client guards its state; the loop and publishing threads hold it briefly.
 *
 * <p>Thread-safe: every method may be called from any thread.
 */
public final class AsyncMqttClient implements AutoCloseable {

    private final Options options;
    private final Completions completions;
    private final EventLoop loop;
    private final SessionStore store;
    private final StoreWriter writer;
    private final java.util.concurrent.atomic.AtomicBoolean resumeScheduled = new java.util.concurrent.atomic.AtomicBoolean();
    /** The event loop's handle on this client, and the lock that guards every field below it. */
    private final Link link = new Link();
    private volatile boolean connected;
    private volatile boolean closed;
    private volatile long unexpectedAcks; // written under the lock
    /** Whether the application acknowledges received messages ({@link Message#acknowledge()}). */
    private final boolean manualAcks;
    /** Counts accepted connections, so that an acknowledgement meant for an earlier one is not sent on this one. */
    private int connectionNumber;

    // ---- guarded by link; the collections are made on first use, so that an idle client costs little heap
    private boolean flushScheduled;
    private MqttClientConfig currentConfig;
    private MqttClient client;
    private SelectableChannel registered;
    private SelectionKey key;
    private boolean added;
    private boolean wantConnected;
    private boolean everConnected;
    private int attempt;
    private int serverIndex;
    private MqttEvent.ConnAck lastConnAck;
    private MqttEvent.Disconnect lastDisconnect;
    private CompletableFuture<MqttEvent.ConnAck> connectFuture;
    private List<CompletableFuture<Void>> disconnectFutures;
    private final OutgoingMessages outgoing;
    private final Publisher publisher;
    /** Made on first use; volatile only so that {@link #droppedUnhandled()} reads it without the lock. */
    private volatile Subscriptions subscriptions;
    private Requests requests;

    AsyncMqttClient(AsyncMqttClientBuilder b) {
        MqttClientConfig config = b.config();
        this.options = new Options(b);
        this.completions = new Completions(options, this::handOverSoon);
        this.loop = b.eventLoop != null ? b.eventLoop : EventLoop.shared();
        this.store = b.sessionStore;
        this.manualAcks = config.manualAcks();
        this.currentConfig = forCore(config);
        this.writer = new StoreWriter(store, config.clientId(), options.errorHandler, this::storeCaughtUp);
        this.publisher = new Publisher(this, link, options, loop, store, writer, config.cleanSession());
        this.outgoing = publisher.outgoing;
    }

    /** A builder for a client with this connection configuration. */
    public static AsyncMqttClientBuilder builder(MqttClientConfig config) {
        return new AsyncMqttClientBuilder(config);
    }

    // ================================================================ public operations (any thread)

    /**
     * Connects. The future completes with the first accepted CONNACK, or fails when the first attempt fails and
     * {@link AsyncMqttClientBuilder#reconnectOnInitialFailure(boolean)} is off. Calling it while connected returns the last CONNACK.
     */
    public CompletableFuture<MqttEvent.ConnAck> connect() {
        CompletableFuture<MqttEvent.ConnAck> f = new WrenFuture<>();
        if (!requireOpen(f)) {
            return f; // closed: it must not connect again
        }
        onLoop(() -> {
            if (wantConnected) {
                if (connectFuture != null && connectFuture != f) {
                    connectFuture.whenComplete((a, e) -> {
                        synchronized (link) {
                            complete(f, a, e);
                        }
                    });
                } else if (lastConnAck != null) {
                    complete(f, lastConnAck, null);
                }
                return;
            }
            wantConnected = true;
            everConnected = false;
            attempt = 0;
            connectFuture = f;
            if (!added) {
                loop.add(link);
                added = true;
            }
            attemptConnect();
        });
        return f;
    }

    /**
     * Publishes a message. The payload is copied (or encoded at once), so the caller may reuse the array when this
     * returns; QoS 1 and 2 messages are also handed to the session store before this returns.
     *
     * @throws IllegalArgumentException if the topic is not a valid topic name
     */
    public CompletableFuture<Void> publish(String topic, byte[] payload, Qos qos, boolean retain) {
        Topics.checkName("topic", topic);
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(qos, "qos");
        return publisher.publish(topic, payload, qos, retain);
    }

    /** Subscribes to one filter, with a handler for its messages. Completes with the SUBACK. */
    public CompletableFuture<MqttEvent.SubAck> subscribe(String filter, Qos qos, MessageHandler handler) {
        return subscribe(List.of(Subscription.of(filter, qos)), handler);
    }

    /**
     * Subscribes to filters, with one handler for their messages (null: messages go to the fallback handler).
     * The handler is in place at once, so messages that arrive before the SUBACK reach it; messages that arrived
     * earlier with no handler (a resumed session) and were buffered for lack of a fallback handler are handed to it
     * first. Completes with the SUBACK and its return codes.
     */
    public CompletableFuture<MqttEvent.SubAck> subscribe(List<Subscription> list, MessageHandler handler) {
        if (list.isEmpty()) {
            throw new IllegalArgumentException("subscriptions must not be empty [MQTT-3.8.3-3]");
        }
        CompletableFuture<MqttEvent.SubAck> f = new WrenFuture<>();
        if (!requireOpen(f)) {
            return f;
        }
        List<Subscription> copy = List.copyOf(list);
        onLoop(() -> {
            for (Subscription s : copy) {
                subscriptions().add(s, handler, completions.callbackExecutor());
            }
            requests().add(Control.subscribe(copy, f));
            pump();
        });
        return f;
    }

    /** Unsubscribes; the handlers go once the UNSUBACK arrives. */
    public CompletableFuture<Void> unsubscribe(String... filters) {
        List<String> list = List.of(filters);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("filters must not be empty [MQTT-3.10.3-2]");
        }
        for (String filter : list) {
            Topics.checkFilter("filter", filter);
        }
        CompletableFuture<Void> f = new WrenFuture<>();
        if (!requireOpen(f)) {
            return f;
        }
        onLoop(() -> {
            requests().add(Control.unsubscribe(list, f));
            pump();
        });
        return f;
    }

    /**
     * Disconnects and stops reconnecting. Messages not yet acknowledged fail their futures; a file session store
     * keeps them for the next start.
     */
    public CompletableFuture<Void> disconnect() {
        CompletableFuture<Void> f = new WrenFuture<>();
        onLoop(() -> {
            wantConnected = false;
            if (client != null && client.isConnected()) {
                if (disconnectFutures == null) {
                    disconnectFutures = new ArrayList<>(1);
                }
                disconnectFutures.add(f);
                pump();
                client.flush();
                client.disconnect();
                updateInterest(); // a DISCONNECT the socket did not take yet goes when it is writable
            } else {
                if (client != null && client.isOpen()) {
                    client.abort();
                }
                giveUp(null, "disconnected by the application");
                complete(f, null, null);
            }
        });
        return f;
    }

    /** Whether the client is connected now (CONNACK accepted, connection not lost). */
    public boolean isConnected() {
        return connected;
    }

    /** A blocking view, for scripts and tests. */
    public BlockingMqttClient blocking() {
        return new BlockingMqttClient(this);
    }

    /** Disconnects (waiting up to five seconds) and releases the client. It cannot be used afterwards. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            disconnect().get(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // closing anyway
        }
        closed = true;
        synchronized (link) {
            link.notifyAll(); // publishers blocked on a full queue fail now
        }
        writer.close(5_000); // the store updates made so far reach the store
        onLoop(() -> {
            if (added) {
                loop.remove(link);
                added = false;
            }
        });
    }

    /** Has the loop write the transmit buffer out soon: once per batch of publishes, not once per message. */
    void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            loop.execute(link);
        }
    }

    // ================================================================ the event loop side (under the lock)

    /** Runs {@code task} on the event loop, holding the lock. */
    private void onLoop(Runnable task) {
        loop.execute(() -> {
            synchronized (link) {
                task.run();
                handOverCompletions();
            }
        });
    }

    private void attemptConnect() {
        if (!wantConnected || (client != null && client.isOpen())) {
            return;
        }
        MqttClientConfig next = currentConfig;
        if (!options.servers.isEmpty()) {
            String[] server = options.servers.get(serverIndex++ % options.servers.size());
            next = next.toBuilder().broker(server[0], Integer.parseInt(server[1])).build();
        }
        if (options.reconnectHook != null && (attempt > 0 || lastDisconnect != null)) {
            next = forCore(Objects.requireNonNull(options.reconnectHook.beforeAttempt(attempt, lastDisconnect, next),
                    "the reconnect hook returned null"));
        }
        if (client == null) {
            currentConfig = next;
            client = new MqttClient(next, link);
            for (UnacknowledgedMessage m : outgoing.takeRestorable()) {
                client.restore(m); // sent by an earlier process: the core re-sends them if the session resumes
            }
        } else if (!next.equals(currentConfig)) {
            currentConfig = next;
            client = client.reconfigured(next); // the incoming QoS 2 state goes on when the session does
        }
        gateWrites(); // a new core client: it waits for the store like the one before it
        client.connect();
        updateInterest();
    }

    /**
     * The configuration the core client runs with: batched writes (the loop writes once per round), and manual
     * acknowledgements as the core's ordered, deferred ones: the application acknowledges received messages, and
     * PUBREL and PUBCOMP stay automatic.
     */
    private MqttClientConfig forCore(MqttClientConfig c) {
        boolean manual = manualAcks || c.manualAcks() || c.deferredAcks();
        if (c.batchWrites() && !c.manualAcks() && c.deferredAcks() == manual) {
            return c;
        }
        return c.toBuilder().batchWrites(true).manualAcks(false).deferredAcks(manual).build();
    }

    /** What a received message's {@link Message#acknowledge()} runs: acknowledge on the loop, on its connection. */
    private Runnable acknowledger(int id) {
        int number = connectionNumber;
        MqttClient c = client;
        return () -> onLoop(() -> {
            if (c == client && number == connectionNumber && c.isConnected()) {
                c.acknowledge(id);
                pump(); // writes it
            }
        });
    }

    private void scheduleReconnect() {
        long delay = options.reconnect.delayMillis(attempt, ThreadLocalRandom.current().nextDouble());
        attempt++;
        loop.schedule(() -> {
            synchronized (link) {
                attemptConnect();
                handOverCompletions();
            }
        }, delay);
    }

    private void onEvent(MqttClient c, MqttEvent event) {
        if (c != client) {
            return;
        }
        if (event instanceof MqttEvent.ConnAck a) {
            if (a.accepted()) {
                onConnected(a);
            }
        } else if (event instanceof MqttEvent.Publish p) {
            onPublish(p);
        } else if (event instanceof MqttEvent.PubAck a) {
            acknowledged(a.messageId());
        } else if (event instanceof MqttEvent.PubComp a) {
            acknowledged(a.messageId());
        } else if (event instanceof MqttEvent.PubRec r) {
            outgoing.received(r.messageId());
            gateWrites();
        } else if (event instanceof MqttEvent.SubAck s) {
            Control ctl = requests == null ? null : requests.answered(s.messageId());
            if (ctl != null) {
                subscriptions().granted(ctl.subscriptions, s);
                complete(ctl.subAckFuture, s, null);
            }
        } else if (event instanceof MqttEvent.UnsubAck u) {
            Control ctl = requests == null ? null : requests.answered(u.messageId());
            if (ctl != null) {
                subscriptions().removeAll(ctl.filters);
                complete(ctl.unsubAckFuture, null, null);
            }
        } else if (event instanceof MqttEvent.SessionLost lost) {
            outgoing.sessionLost(lost.messages()); // published again as new messages, ahead of newer ones
        } else if (event instanceof MqttEvent.UnexpectedAck u) {
            unexpectedAcks++;
            completions.connectionEvent(u);
        } else if (event instanceof MqttEvent.Disconnect d) {
            onDisconnected(d);
        }
    }

    private void onConnected(MqttEvent.ConnAck a) {
        connectionNumber++;
        completions.connectionEvent(a);
        connected = true;
        everConnected = true;
        attempt = 0;
        lastConnAck = a;
        // a resumed session's messages are re-sent by the core; a lost one's come as a SessionLost event next
        if ((!a.sessionPresent() || currentConfig.cleanSession()) && options.resubscribe && subscriptions != null) {
            subscriptions.forgetGranted();
        }
        if (subscriptions != null) {
            List<Subscription> again = subscriptions.toRequest();
            if (!again.isEmpty()) {
                requests().addFirst(Control.subscribe(again, null));
            }
        }
        if (connectFuture != null) {
            complete(connectFuture, a, null);
            connectFuture = null;
        }
        // CONNACK arrives inside input(): drive() pumps (re-sends first) right after
    }

    private void onDisconnected(MqttEvent.Disconnect d) {
        completions.connectionEvent(d);
        connected = false;
        lastDisconnect = d;
        registered = null;
        key = null;
        // subscribe/unsubscribe requests without an answer go out again on the next connection
        if (requests != null) {
            requests.connectionLost();
        }
        if (subscriptions != null) {
            subscriptions.connectionLost();
        }
        // QoS 1/2 messages in flight stay in the core's session; it re-sends them on the next connection
        if (!wantConnected) {
            giveUp(d, "disconnected by the application");
            if (disconnectFutures != null) {
                for (CompletableFuture<Void> f : disconnectFutures) {
                    complete(f, null, null);
                }
                disconnectFutures.clear();
            }
            return;
        }
        boolean retry = options.reconnect.retry(everConnected);
        if (!retry) {
            wantConnected = false;
            if (connectFuture != null) {
                complete(connectFuture, null, new MqttException("connect failed", d));
                connectFuture = null;
            }
            giveUp(d, "connection lost");
            return;
        }
        scheduleReconnect();
    }

    /** Fails every message and request that waits: the client will not connect again by itself. */
    private void giveUp(MqttEvent.Disconnect d, String why) {
        for (Outgoing x : outgoing.giveUp()) {
            // a durable store keeps the message for the next start; the core may still complete one in flight
            publisher.release();
            complete(x.future, null, new MqttException(why + "; message not acknowledged", d));
        }
        if (requests != null) {
            requests.failWaiting(new MqttException(why, d), this);
        }
    }

    private void acknowledged(int id) {
        Outgoing o = outgoing.acknowledged(id);
        if (o == null || o.abandoned) {
            return; // an abandoned one's room and future were settled when the client gave up
        }
        publisher.release();
        complete(o.future, null, null);
        // no pump() here: acknowledgements arrive inside input(), and drive() pumps and writes once per round
    }

    private void onPublish(MqttEvent.Publish p) {
        subscriptions().onPublish(p, client);
    }

    /**
     * Sends what can go out now: re-sends first, then subscriptions, then queued publishes within the window. When the
     * transmit buffer filled up and the flush after it drained it, it goes on: nothing else would wake the loop, as an
     * empty buffer asks for no write readiness. A long run hands the rest back to the loop, so other connections on
     * it get their turn.
     */
    private void pump() {
        for (int round = 0; round < 16; round++) {
            boolean blocked = pumpOnce();
            if (client == null || !client.isOpen()) {
                return;
            }
            client.flush();
            publisher.written();
            if (!blocked || client.wantsWrite()) {
                updateInterest(); // done, waiting for acknowledgements (read), or for the socket (write)
                return;
            }
        }
        updateInterest();
        scheduleFlush();
    }

    /** One pass; true if it stopped because the transmit side was full. */
    private boolean pumpOnce() {
        if (client == null || !client.isConnected()) {
            return false;
        }
        if (requests != null && !requests.send(client, ctl -> {
            if (ctl.subscriptions != null) {
                subscriptions().requested(ctl.subscriptions);
            }
        })) {
            return client.isConnected();
        }
        return publisher.sendQueued(client);
    }

    private void updateInterest() {
        if (client == null) {
            return;
        }
        SelectableChannel ch = client.channel();
        if (ch == null || !ch.isOpen()) {
            return;
        }
        try {
            if (ch != registered || key == null || !key.isValid()) {
                key = ch.register(loop.selector(), client.interestOps(), link);
                registered = ch;
            } else {
                key.interestOps(client.interestOps());
            }
        } catch (ClosedChannelException | java.nio.channels.CancelledKeyException ignored) {
            // the connection just ended; its Disconnect event has been or will be handled
        }
    }

    /** The driver the event loop calls, the handler of the core client's events, and the lock of the client's state. */
    private final class Link implements EventLoop.Connection, Runnable, MqttEventHandler {
        @Override
        public void onEvent(MqttClient c, MqttEvent event) {
            AsyncMqttClient.this.onEvent(c, event); // called with the lock held, inside the core client's calls
        }

        @Override
        public synchronized void ready() {
            drive();
            handOverCompletions();
        }

        @Override
        public synchronized void tick() {
            if (client != null && client.isOpen() && client.keepAliveTimeLeft() == 0) {
                drive();
                handOverCompletions();
            }
        }

        /**
         * The flush that publishing threads (and completions) schedule: writes what they encoded, sends what is
         * queued, hands completions over.
         */
        @Override
        public synchronized void run() {
            flushScheduled = false;
            pump();
            handOverCompletions();
        }

        private void drive() {
            if (client == null) {
                return;
            }
            MqttClient c = client;
            do {
                c.input();
            } while (c == client && subscriptions != null && subscriptions.continueGathering(c));
            handOverCompletions(); // before the writes below: the callback thread starts while this one writes
            if (c == client) {
                c.live();
                pump();
            }
        }
    }

    // ================================================================ helpers (under the lock)

    private Subscriptions subscriptions() {
        if (subscriptions == null) {
            subscriptions = new Subscriptions(options.fallbackHandler, options.maxUnhandled, options.errorHandler,
                    completions::executor, this::handOverSoon,
                    currentConfig.deferredAcks() ? this::acknowledger : null);
        }
        return subscriptions;
    }

    private Requests requests() {
        if (requests == null) {
            requests = new Requests();
        }
        return requests;
    }

    <T> void complete(CompletableFuture<T> f, T value, Throwable error) {
        completions.complete(f, value, error);
    }

    private void handOverCompletions() {
        completions.handOver(subscriptions);
    }

    /**
     * Makes sure a batch just begun is handed over: on the event loop every entry point (readiness, tick, tasks,
     * timers) ends with {@link #handOverCompletions()}; another thread (a publisher meeting a failed write) has the
     * flush task do it.
     */
    private void handOverSoon() {
        if (!loop.inEventLoop()) {
            scheduleFlush();
        }
    }

    private static boolean isEmpty(Collection<?> c) {
        return c == null || c.isEmpty();
    }

    private static boolean isEmpty(Map<?, ?> m) {
        return m == null || m.isEmpty();
    }

    /** Holds the core's writes back while a store update that a queued packet depends on is not yet durable. */
    void gateWrites() {
        if (client != null && !outgoing.writable()) {
            client.holdWrites(true);
        }
    }

    /** On the store's writer thread, after an update: the loop lets held writes go once all they need is durable. */
    private void storeCaughtUp() {
        if (resumeScheduled.compareAndSet(false, true)) {
            loop.execute(() -> {
                resumeScheduled.set(false);
                synchronized (link) {
                    if (client != null && outgoing.writable()) {
                        client.holdWrites(false);
                        pump();
                    }
                    handOverCompletions();
                }
            });
        }
    }

    MqttClient core() {
        return client;
    }

    boolean isClosed() {
        return closed;
    }

    MqttEvent.Disconnect lastDisconnect() {
        return lastDisconnect;
    }

    private boolean requireOpen(CompletableFuture<?> f) {
        if (closed) {
            f.completeExceptionally(new IllegalStateException("client closed"));
            return false;
        }
        return true;
    }

    /**
     * Acknowledgements (PUBACK, PUBREC, PUBCOMP) the broker sent for packet identifiers this client had not got in
     * flight, ignored with the connection kept (unless the configuration asks for
     * {@link MqttClientConfig.Builder#strictAcknowledgements(boolean) strict} handling); each is also given to the
     * connection listener as a {@link MqttEvent.UnexpectedAck}.
     */
    public long unexpectedAcknowledgements() {
        return unexpectedAcks;
    }

    /**
     * Messages dropped because no subscription handler claimed them, no fallback handler is set and the buffer of
     * {@link AsyncMqttClientBuilder#maxUnhandled(int)} messages was full: the only messages this client ever drops by itself.
     */
    public long droppedUnhandled() {
        Subscriptions s = subscriptions; // no lock: a file store may hold it for a disk write
        return s == null ? 0 : s.dropped();
    }
}
