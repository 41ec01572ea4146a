package dev.wren.mqtt.async;

import dev.wren.mqtt.MqttException;
import dev.wren.mqtt.MqttClient;
import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.MqttEvent;
import dev.wren.mqtt.MqttEventHandler;
import dev.wren.mqtt.Subscription;
import dev.wren.mqtt.UnacknowledgedMessage;
import dev.wren.mqtt.async.OutgoingMessages.Outgoing;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What an {@link AsyncMqttClient} does on its event loop: runs the poll-driven {@link MqttClient} there (reads,
 * writes, keep-alive), follows its events (acknowledgements complete futures, messages go to their handlers),
 * connects again by the {@link ReconnectPolicy}, sends SUBSCRIBE/UNSUBSCRIBE requests and the queue behind the send
 * window ({@link Publisher}), and keeps the session store in step ({@link StoreWriter}). The protocol itself, the
 * session and its resends, is the core's.
 *
 * <p>Thread-safe through one lock, {@code link}: every field is guarded by it; the loop and publishing threads hold
 * it briefly; a few flags are volatile so the public side reads them without it.
 */
final class AsyncConnection {
    /** Connection lifecycle at INFO (connected, lost, given up), through {@link System.Logger}: no dependency. */
    private static final System.Logger LOG = System.getLogger("dev.wren.mqtt.async.AsyncMqttClient");

    private final Options options;
    private final Completions completions;
    final EventLoop loop;
    private final StoreWriter writer;
    /** The event loop's handle on this client, and the lock that guards every field below it. */
    final LoopHandle link = new LoopHandle(this);
    volatile boolean connected;
    private volatile boolean closed;
    volatile long unexpectedAcks; // written under the lock
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
    private final Reconnector reconnector;
    private MqttEvent.ConnAck lastConnAck;
    private MqttEvent.Disconnect lastDisconnect;
    private CompletableFuture<MqttEvent.ConnAck> connectFuture;
    private List<CompletableFuture<Void>> disconnectFutures;
    private final OutgoingMessages outgoing;
    final Publisher publisher;
    /** Made on first use; volatile only so that the client's {@code droppedUnhandled()} reads it without the lock. */
    volatile Subscriptions subscriptions;
    private Requests requests;
    /** The bound on received messages not yet handled; reading stops while it is reached. */
    final InboundLimit inbound;

    AsyncConnection(AsyncMqttClientBuilder b) {
        MqttClientConfig config = b.config();
        this.options = Options.of(b);
        this.completions = new Completions(options, this::handOverSoon);
        this.loop = b.eventLoop != null ? b.eventLoop : EventLoop.shared();
        this.reconnector = new Reconnector(options, loop);
        SessionStore store = b.sessionStore;
        this.currentConfig = options.forCore(config);
        this.writer = StoreWriter.forStore(store, config.clientId(), options.errorHandler, loop, link,
                this::storeCaughtUp);
        // a session the broker has discarded by now (its expiry passed since the last connection ended) leaves the
        // stored messages as new ones to publish, not as in flight in a session the broker would resume
        SessionStore.SessionExpiry expiry = store.loadSessionExpiry();
        boolean expired = expiry != null && expiry.expired(System.currentTimeMillis());
        this.publisher = new Publisher(this, link, options, loop, store, writer, config.cleanSession() || expired);
        this.outgoing = publisher.outgoing;
        this.inbound = new InboundLimit(options.maxPendingMessages, options.maxPendingBytes, options.inboundOverflow,
                () -> onLoop(this::resumeReading));
        this.counts = options.metrics == null ? null : new MqttMetrics.Counts();
        this.metricsSource = options.metrics == null ? null : metricsSource();
        if (options.metrics != null) {
            options.metrics.register(metricsSource);
        }
    }

    /** This client's per-message counts, under the lock; null without metrics. */
    final MqttMetrics.Counts counts;

    /** What {@link MqttMetrics} reads of this client's states; made only for a client with metrics. */
    private final MqttMetrics.Source metricsSource;

    private MqttMetrics.Source metricsSource() {
        return new MqttMetrics.Source() {
            @Override
            public int inFlight() {
                synchronized (link) {
                    return outgoing.inflightCount();
                }
            }

            @Override
            public int queued() {
                synchronized (link) {
                    return outgoing.queuedCount();
                }
            }

            @Override
            public long droppedInbound() {
                return inbound.droppedQos0();
            }

            @Override
            public long droppedUnhandled() {
                Subscriptions s = subscriptions;
                return s == null ? 0 : s.dropped();
            }

            @Override
            public void addCounts(long[] sent, long[] sentBytes, long[] received, long[] receivedBytes) {
                synchronized (link) {
                    counts.addTo(sent, sentBytes, received, receivedBytes);
                }
            }
        };
    }

    // ================================================================ the public operations' loop side

    /** {@link AsyncMqttClient#connect()} on the loop. */
    void connect(CompletableFuture<MqttEvent.ConnAck> f) {
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
        reconnector.start();
        connectFuture = f;
        if (!added) {
            loop.add(link);
            added = true;
        }
        attemptConnect();
    }

    /** {@link AsyncMqttClient#subscribe(List, MessageHandler)} on the loop. */
    void subscribe(List<Subscription> copy, MessageHandler handler, CompletableFuture<MqttEvent.SubAck> f) {
        subscribe(copy, 0, handler, f);
    }

    /** {@link AsyncMqttClient#subscribe(List, int, MessageHandler)} on the loop. */
    void subscribe(List<Subscription> copy, int subscriptionIdentifier, MessageHandler handler,
                   CompletableFuture<MqttEvent.SubAck> f) {
        for (Subscription s : copy) {
            subscriptions().add(s, subscriptionIdentifier, handler, completions.callbackExecutor());
        }
        requests().add(Control.subscribe(copy, subscriptionIdentifier, f));
        pump();
    }

    /** {@link AsyncMqttClient#reauthenticate()} on the loop: now if connected, else nothing (the next CONNECT does). */
    void reauthenticate() {
        if (client != null && client.isConnected()) {
            client.reauthenticate();
            client.flush(); // the core batches writes: the AUTH goes now, not with the next round's
            updateInterest();
        }
    }

    /** {@link AsyncMqttClient#unsubscribe} on the loop. */
    void unsubscribe(List<String> filters, CompletableFuture<MqttEvent.UnsubAck> f) {
        requests().add(Control.unsubscribe(filters, f));
        pump();
    }

    /** {@link AsyncMqttClient#disconnect()} on the loop. */
    void disconnect(CompletableFuture<Void> f) {
        disconnect(f, null, null);
    }

    /** {@link AsyncMqttClient#disconnect(dev.wren.mqtt.ReasonCode, dev.wren.mqtt.MqttProperties)} on the loop. */
    void disconnect(CompletableFuture<Void> f, dev.wren.mqtt.ReasonCode reason, dev.wren.mqtt.MqttProperties props) {
        wantConnected = false;
        if (client != null && client.isConnected()) {
            if (disconnectFutures == null) {
                disconnectFutures = new ArrayList<>(1);
            }
            disconnectFutures.add(f);
            pump();
            client.flush();
            if (reason == null) {
                client.disconnect();
            } else {
                client.disconnect(reason, props);
            }
            updateInterest(); // a DISCONNECT the socket did not take yet goes when it is writable
        } else {
            if (client != null && client.isOpen()) {
                client.abort();
            }
            giveUp(null, "disconnected by the application");
            complete(f, null, null);
        }
    }

    /** {@link AsyncMqttClient#close()} after the disconnect: no more use, publishers released, off the loop. */
    void close() {
        closed = true;
        if (options.metrics != null) {
            options.metrics.retire(metricsSource);
        }
        synchronized (link) {
            link.notifyAll(); // publishers blocked on a full queue fail now
        }
        writer.close(5_000); // the store updates made so far reach the store
        onLoop(() -> {
            if (added) {
                loop.remove(link);
                added = false;
            }
            link.deadline.detach(); // its timer may wait a keep-alive interval yet: it must not hold this client
            deadlineAt = Long.MAX_VALUE;
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
    void onLoop(Runnable task) {
        loop.execute(() -> {
            synchronized (link) {
                task.run();
                handOverCompletions();
                armDeadline();
            }
        });
    }

    private void attemptConnect() {
        if (!wantConnected || (client != null && client.isOpen())) {
            return;
        }
        MqttClientConfig next = reconnector.next(currentConfig, lastDisconnect, options::forCore);
        if (client == null) {
            currentConfig = next;
            client = new MqttClient(next, link);
            for (UnacknowledgedMessage m : outgoing.takeRestorable()) {
                client.restore(m); // sent by an earlier process: the core re-sends them if the session resumes
            }
            for (int id : outgoing.takeRestorableIncoming()) {
                client.restoreIncomingQos2(id); // received by an earlier process: a copy is answered, not delivered
            }
        } else {
            if (options.metrics != null) {
                options.metrics.reconnectAttempt();
            }
            dev.wren.mqtt.internal.events.ConnectionEvents.reconnectAttempt(next.clientId(),
                    next.host() + ":" + next.port());
        }
        if (client != null && !next.equals(currentConfig)) {
            currentConfig = next;
            client = client.reconfigured(next); // the incoming QoS 2 state goes on when the session does
        }
        gateWrites(); // a new core client: it waits for the store like the one before it
        client.connect();
        updateInterest();
    }

    /** What a received message's {@link MqttEvent.Publish#acknowledge()} runs: acknowledge on the loop, on its connection. */
    private Runnable acknowledger(int id, dev.wren.mqtt.Qos qos) {
        int number = connectionNumber;
        MqttClient c = client;
        return () -> onLoop(() -> {
            if (c == client && number == connectionNumber && c.isConnected()) {
                if (qos == dev.wren.mqtt.Qos.EXACTLY_ONCE) {
                    outgoing.incomingReceived(id); // kept before the PUBREC that the acknowledgement sends
                    gateWrites();
                }
                c.acknowledge(id);
                pump(); // writes it
            }
        });
    }

    private void scheduleReconnect() {
        reconnector.schedule(link.timedTask(LoopHandle.RECONNECT, 0));
    }

    /** One of this connection's timers came ({@link LoopHandle.TimedTask}); on the loop, under the lock. */
    void timedTask(int kind, long at) {
        if (kind == LoopHandle.RECONNECT) {
            attemptConnect();
        } else {
            publisher.expiryTimer(at);
        }
        handOverCompletions();
        armDeadline();
    }

    void onEvent(MqttClient c, MqttEvent event) {
        if (c != client) {
            return;
        }
        if (event instanceof MqttEvent.ConnAck a) {
            if (a.accepted()) {
                onConnected(a);
            }
        } else if (event instanceof MqttEvent.Publish p) {
            if (counts != null) {
                counts.received(p.qos(), p.payloadLength());
            }
            if (p.qos() == dev.wren.mqtt.Qos.EXACTLY_ONCE && !currentConfig.deferredAcks()) {
                outgoing.incomingReceived(p.messageId()); // kept before the PUBREC leaves
                gateWrites();
            }
            onPublish(p);
            if (inbound.full()) {
                c.yieldInput(); // the bound is reached: read no more, so one buffer's worth past it at most
            }
        } else if (event instanceof MqttEvent.PubRel r) {
            outgoing.incomingReleased(r.messageId()); // forgotten before the PUBCOMP leaves
            gateWrites();
        } else if (event instanceof MqttEvent.PubAck a) {
            acknowledged(a.messageId(), a.reasonCode());
        } else if (event instanceof MqttEvent.PubComp a) {
            acknowledged(a.messageId(), a.reasonCode());
        } else if (event instanceof MqttEvent.PubRec r) {
            if (r.reasonCode().isError()) {
                acknowledged(r.messageId(), r.reasonCode()); // MQTT 5.0: refused, and complete [MQTT-4.3.3-4]
            } else {
                outgoing.received(r.messageId());
                gateWrites();
            }
        } else if (event instanceof MqttEvent.SubAck s) {
            Control ctl = answered(s.messageId());
            if (ctl != null) {
                subscriptions().granted(ctl.subscriptions, s);
                complete(ctl.subAckFuture, s, null);
            }
        } else if (event instanceof MqttEvent.UnsubAck u) {
            Control ctl = answered(u.messageId());
            if (ctl != null) {
                List<String> gone = ctl.filters;
                if (!u.reasonCodes().isEmpty()) { // MQTT 5.0: a refused filter keeps its subscription and handler
                    gone = new ArrayList<>();
                    for (int i = 0; i < ctl.filters.size() && i < u.reasonCodes().size(); i++) {
                        if (!u.reasonCodes().get(i).isError()) {
                            gone.add(ctl.filters.get(i));
                        }
                    }
                }
                subscriptions().removeAll(gone);
                complete(ctl.unsubAckFuture, u, null);
            }
        } else if (event instanceof MqttEvent.PingResp && options.metrics != null) {
            options.metrics.pinged(client.lastPingRoundTripMillis());
        } else if (event instanceof MqttEvent.Auth auth) {
            completions.connectionEvent(auth); // MQTT 5.0: a step or the end of a re-authentication
        } else if (event instanceof MqttEvent.SessionLost lost) {
            outgoing.sessionLost(lost.messages()); // published again as new messages, ahead of newer ones
        } else if (event instanceof MqttEvent.UnexpectedAck u) {
            unexpectedAcks++;
            completions.connectionEvent(u);
        } else if (event instanceof MqttEvent.Disconnect d) {
            onDisconnected(d);
        }
    }

    /** How long the broker keeps this client's session: what the server said in CONNACK, else what CONNECT asked. */
    private long sessionExpirySeconds() {
        if (!currentConfig.protocolVersion().isMqtt5()) {
            return 0xFFFF_FFFFL; // a 3.1.1 session without clean session lasts until the broker forgets it
        }
        if (lastConnAck != null && lastConnAck.properties().sessionExpiryInterval().isPresent()) {
            return lastConnAck.properties().sessionExpiryInterval().getAsLong(); // the server's word wins
        }
        return currentConfig.sessionExpiryInterval();
    }

    private void onConnected(MqttEvent.ConnAck a) {
        LOG.log(System.Logger.Level.INFO, () -> "wren " + currentConfig.clientId() + ": connected to "
                + currentConfig.host() + ":" + currentConfig.port() + (a.sessionPresent() ? ", session resumed" : ""));
        connectionNumber++;
        dev.wren.mqtt.internal.events.ConnectionEvents.connected(currentConfig.clientId(),
                currentConfig.host() + ":" + currentConfig.port(), a.sessionPresent());
        completions.connectionEvent(a);
        connected = true;
        if (options.metrics != null) {
            options.metrics.connected();
        }
        reconnector.connected();
        lastConnAck = a;
        if (!currentConfig.cleanSession()) {
            writer.sessionExpiry(new SessionStore.SessionExpiry(sessionExpirySeconds(), -1));
        }
        if (!a.sessionPresent() || currentConfig.cleanSession()) {
            outgoing.incomingCleared(); // the broker has no incoming QoS 2 message of ours to send again
        }
        // a resumed session's messages are re-sent by the core; a lost one's come as a SessionLost event next
        if ((!a.sessionPresent() || currentConfig.cleanSession()) && options.resubscribe && subscriptions != null) {
            subscriptions.forgetGranted();
        }
        if (subscriptions != null) {
            List<java.util.Map.Entry<Integer, List<Subscription>>> again =
                    new ArrayList<>(subscriptions.toRequest().entrySet());
            for (int i = again.size() - 1; i >= 0; i--) { // ahead of newer requests, in the order they were made
                requests().addFirst(Control.subscribe(again.get(i).getValue(), again.get(i).getKey(), null));
            }
        }
        if (connectFuture != null) {
            complete(connectFuture, a, null);
            connectFuture = null;
        }
        // CONNACK arrives inside input(): drive() pumps (re-sends first) right after
    }

    private void onDisconnected(MqttEvent.Disconnect d) {
        LOG.log(wantConnected ? System.Logger.Level.WARNING : System.Logger.Level.INFO, () -> "wren "
                + currentConfig.clientId() + ": connection ended: " + d);
        dev.wren.mqtt.internal.events.ConnectionEvents.disconnected(currentConfig.clientId(), String.valueOf(d.reason()),
                d.message());
        if (!currentConfig.cleanSession()) {
            writer.sessionExpiry(new SessionStore.SessionExpiry(sessionExpirySeconds(), System.currentTimeMillis()));
        }
        completions.connectionEvent(d);
        if (connected && options.metrics != null) {
            options.metrics.lost(d.reason());
        }
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
        publisher.connectionLost(d); // queued ones that were only for this connection fail
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
        boolean retry = reconnector.retry();
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
            if (x instanceof AtMostOnceRun run) {
                for (; run.remaining() > 0; run.takeFirst()) {
                    publisher.release(run.firstSize());
                    complete(run.firstFuture(), null, new MqttException(why + "; message not sent", d));
                }
                continue;
            }
            // a durable store keeps the message for the next start; the core may still complete one in flight
            publisher.release(x.size);
            complete(x.future, null, new MqttException(why + "; message not acknowledged", d));
        }
        if (requests != null) {
            requests.failWaiting(new MqttException(why, d), this);
        }
    }

    private void acknowledged(int id, dev.wren.mqtt.ReasonCode reason) {
        Outgoing o = outgoing.acknowledged(id);
        if (o == null || o.abandoned) {
            return; // an abandoned one's room and future were settled when the client gave up
        }
        publisher.release(o.size);
        if (options.metrics != null && o.sentAtNanos != 0) {
            options.metrics.acknowledged(o.qos, o.sentAtNanos, System.nanoTime());
        }
        complete(o.future, null, reason.isError() ? MqttException.refused("the server refused the message on "
                + o.topic, reason) : null);
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
        int ops = client.interestOps();
        if (inbound.paused() && client.isConnected() && !client.awaitingPingResponse()) {
            ops &= ~SelectionKey.OP_READ;
        }
        try {
            if (ch != registered || key == null || !key.isValid()) {
                key = ch.register(loop.selector(), ops, link);
                registered = ch;
            } else {
                key.interestOps(ops);
            }
        } catch (ClosedChannelException | java.nio.channels.CancelledKeyException ignored) {
            // the connection just ended; its Disconnect event has been or will be handled
        }
    }

    /** One round for the loop: read and handle what came, keep the connection alive, send what waits. */
    void drive() {
        if (client == null) {
            return;
        }
        MqttClient c = client;
        // while the handlers are behind, the socket is left unread (TCP pushes back on the broker), except to finish
        // connecting and to find a PINGRESP, which waits behind what the broker sent before it
        if (!inbound.paused() || !c.isConnected() || c.awaitingPingResponse()) {
            do {
                c.input();
            } while (c == client && subscriptions != null && !inbound.full() && subscriptions.continueGathering(c));
            inbound.full();
        }
        handOverCompletions(); // before the writes below: the callback thread starts while this one writes
        if (c == client) {
            c.live();
            pump();
        }
    }

    /** The handlers caught up: read what waits (the socket was not read meanwhile), and read on. */
    private void resumeReading() {
        if (client != null && client.isOpen() && !inbound.paused()) {
            drive();
        }
    }

    /** Whether a keep-alive step is due now (the loop's tick). */
    boolean due() {
        return client != null && client.isOpen() && client.keepAliveTimeLeft() == 0;
    }

    /**
     * Has the loop call back ({@link LoopHandle#deadline}) when the core client's next deadline comes (a ping due,
     * a ping or CONNACK timeout, idle buffers to give up), unless a call-back is set for sooner already: the
     * connection's own timer, so that an idle connection costs the loop nothing between its deadlines (the loop's
     * sweep of every connection is only a slow safety net, {@link EventLoop#SWEEP_MILLIS}). A deadline that moved
     * later is found when the call-back comes early and sets the next one; one that moved sooner sets a new
     * call-back, and the one it replaces does nothing when it comes. Under the lock, on the loop.
     */
    void armDeadline() {
        if (client == null || !client.isOpen()) {
            return;
        }
        long left = client.keepAliveTimeLeft();
        if (left < 0) {
            return; // nothing scheduled
        }
        // still due right after being driven (input the core holds while reading is paused): look again after a
        // tick, not at once, or the loop would spin
        long delay = left == 0 ? EventLoop.TICK_MILLIS : left;
        long at = EventLoop.now() + delay;
        if (at < deadlineAt) {
            deadlineAt = at;
            loop.schedule(link.deadline, delay);
        }
    }

    /**
     * Whether a call-back that came now is the live one (then it is spent). The loop runs call-backs in the order of
     * their times, so one that comes before the live one's time is one it replaced, and does nothing.
     */
    boolean deadlineCallBack() {
        if (EventLoop.now() < deadlineAt) {
            return false;
        }
        deadlineAt = Long.MAX_VALUE;
        return true;
    }

    /** When the live deadline call-back comes, on the loop's clock; {@code Long.MAX_VALUE} for none. */
    private long deadlineAt = Long.MAX_VALUE;

    /** The flush that publishing threads (and completions) schedule. */
    void scheduledFlush() {
        flushScheduled = false;
        pump();
    }

    // ================================================================ helpers (under the lock)

    private Subscriptions subscriptions() {
        if (subscriptions == null) {
            subscriptions = new Subscriptions(options.fallbackHandler, options.maxUnhandled, options.errorHandler,
                    completions::executor, this::handOverSoon,
                    currentConfig.deferredAcks() ? this::acknowledger : null, inbound);
        }
        return subscriptions;
    }

    /**
     * The request a SUBACK or UNSUBACK answers, or null; the table goes once nothing waits, so that an idle client
     * with its subscriptions made holds none.
     */
    private Control answered(int id) {
        if (requests == null) {
            return null;
        }
        Control ctl = requests.answered(id);
        if (requests.isEmpty()) {
            requests = null;
        }
        return ctl;
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

    void handOverCompletions() {
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

    /** Holds the core's writes back while a store update that a queued packet depends on is not yet durable. */
    void gateWrites() {
        if (client != null && !outgoing.writable()) {
            client.holdWrites(true);
        }
    }

    /** On the loop, once the store has caught up: held writes go. */
    private void storeCaughtUp() {
        if (client != null && outgoing.writable()) {
            client.holdWrites(false);
            pump();
        }
        handOverCompletions();
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

    boolean requireOpen(CompletableFuture<?> f) {
        if (closed) {
            f.completeExceptionally(new IllegalStateException("client closed"));
            return false;
        }
        return true;
    }
}
