package dev.wren.mqtt.async;

import dev.wren.mqtt.MqttClient;
import dev.wren.mqtt.MqttEvent;
import dev.wren.mqtt.Subscription;
import dev.wren.mqtt.internal.codec.Topics;
import dev.wren.mqtt.internal.session.SmallOrderedMap;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The subscriptions of one {@link AsyncMqttClient}, and how received messages reach their handlers. A message goes
 * once to each distinct handler whose subscriptions match it (a handler given for {@code a/#} and {@code a/+}
 * gets a message on {@code a/b} once; two different handlers get it once each), through that handler's serial
 * executor, so that one handler sees its messages one at a time and in order whatever filters brought them. The
 * executors given messages in a round of the event loop are handed over together at its end ({@link #handOver()}),
 * one wake-up of the callback thread per round rather than one per message. A message no handler claims goes to the
 * fallback handler or, without one, waits (at most {@code maxUnhandled} of them, the oldest dropped first) for a
 * subscription that matches it. Each message handed to a handler holds a slot of the client's {@link InboundLimit}
 * until its handler returns. A payload larger than the receive buffer is gathered here until whole. Filters are
 * matched as section 4.7 says, a shared subscription's {@code $share/{ShareName}/} prefix left out
 * ({@link Topics#matches}).
 *
 * <p>Also tracks, per filter, whether its SUBSCRIBE is on its way ({@code requested}) and whether the broker granted
 * it ({@code confirmed}), so that the client knows what to subscribe again after a reconnect.
 *
 * <p>Not thread-safe: guarded by the client's lock, like the rest of the client's state; {@link #dropped()} may be
 * read from any thread.
 */
final class Subscriptions {

    /** One filter with its handler (null: the fallback handler's) and that handler's queue. */
    private static final class Sub {
        final Subscription subscription;
        final MessageHandler handler;
        final HandlerQueue queue;
        boolean confirmed;
        boolean requested;
        /** MQTT 5.0: the Subscription Identifier it was subscribed with, 0 for none. */
        int identifier;

        Sub(Subscription subscription, MessageHandler handler, HandlerQueue queue) {
            this.subscription = subscription;
            this.handler = handler;
            this.queue = queue;
        }
    }

    /** One handler's serial executor, shared by every filter given that handler. */
    private static final class HandlerQueue {
        final SerialExecutor executor;
        /** How many filters use it; it goes with the last. */
        int filters;
        /** The number of the last message given to it, so that overlapping filters give a message once. */
        long lastMessage = -1;

        HandlerQueue(SerialExecutor executor) {
            this.executor = executor;
        }
    }

    /** A streamed PUBLISH whose payload is being gathered. */
    private record Accumulation(MqttEvent.Publish header, ByteBuffer buffer) {
    }

    private final SmallOrderedMap<String, Sub> byFilter = new SmallOrderedMap<>(); // a few per client, mostly
    /**
     * Topic to the subscriptions with a handler whose filters match it, in {@link #byFilter}'s order: filled as
     * messages come, emptied when a subscription comes or goes (or it grows past {@link #MATCH_CACHE_MAX}), so that a
     * message on a topic seen before walks no filter.
     */
    private java.util.HashMap<String, Sub[]> matchCache; // made by the first message, so an idle client holds none
    private static final int MATCH_CACHE_MAX = 1024;
    /**
     * Each handler's queue: the first handler's in two fields (a client mostly has one), any others in a map made
     * when a second comes.
     */
    private MessageHandler firstHandler;
    private HandlerQueue firstQueue;
    private IdentityHashMap<MessageHandler, HandlerQueue> otherHandlers;
    /** Counts delivered messages, to tell one delivery from the next. */
    private long messageCount;
    private final MessageHandler fallbackHandler;
    private final int maxUnhandled;
    private final Consumer<Throwable> errorHandler;
    private final Supplier<Executor> fallbackExecutor;
    private final Runnable batchBegun;
    /** Makes the acknowledger of a received QoS 1/2 message with manual acknowledgements; null without them. */
    private final Acknowledgers acknowledgers;

    /** Makes what a received message's acknowledgement runs. */
    interface Acknowledgers {
        Runnable of(int messageId, dev.wren.mqtt.Qos qos);
    }
    private ArrayDeque<MqttEvent.Publish> unhandled;
    private Accumulation accumulation;
    /** Subscriptions given messages since the last hand-over, whose executors are to be scheduled. */
    private List<SerialExecutor> batch;
    private volatile long dropped; // written under the client's lock
    /** The bound on messages handed to handlers and not yet handled. */
    private final InboundLimit limit;

    /**
     * @param fallbackExecutor where the fallback handler runs (the client's callback executor)
     * @param batchBegun       told when a batch begins, so that it is handed over (the client's rule for its rounds)
     */
    Subscriptions(MessageHandler fallbackHandler, int maxUnhandled, Consumer<Throwable> errorHandler,
                  Supplier<Executor> fallbackExecutor, Runnable batchBegun,
                  Acknowledgers acknowledgers, InboundLimit limit) {
        this.limit = limit;
        this.acknowledgers = acknowledgers;
        this.fallbackHandler = fallbackHandler;
        this.maxUnhandled = maxUnhandled;
        this.errorHandler = errorHandler;
        this.fallbackExecutor = fallbackExecutor;
        this.batchBegun = batchBegun;
    }

    /**
     * Puts a handler in place for {@code s} at once (replacing one for the same filter), and hands it the waiting
     * messages it matches.
     */
    void add(Subscription s, MessageHandler handler, Executor callbacks) {
        add(s, 0, handler, callbacks);
    }

    /** {@link #add(Subscription, MessageHandler, Executor)} for a SUBSCRIBE with MQTT 5.0 Subscription Identifier. */
    void add(Subscription s, int identifier, MessageHandler handler, Executor callbacks) {
        HandlerQueue queue = null;
        if (handler != null) {
            queue = queueOf(handler);
            if (queue == null) {
                queue = new HandlerQueue(new SerialExecutor(callbacks, errorHandler));
                if (firstHandler == null) {
                    firstHandler = handler;
                    firstQueue = queue;
                } else {
                    if (otherHandlers == null) {
                        otherHandlers = new IdentityHashMap<>(2);
                    }
                    otherHandlers.put(handler, queue);
                }
            }
            queue.filters++;
        }
        Sub sub = new Sub(s, handler, queue);
        sub.identifier = identifier;
        Sub previous = byFilter.put(s.filter(), sub);
        matchCache = null;
        if (previous != null) {
            released(previous);
        }
        if (handler == null || unhandled == null) {
            return;
        }
        for (Iterator<MqttEvent.Publish> it = unhandled.iterator(); it.hasNext(); ) {
            MqttEvent.Publish m = it.next();
            if (Topics.matches(s.filter(), m.topic())) {
                it.remove();
                queue.executor.execute(handler instanceof RetainingHandler r ? limit.takeRetained(m, r)
                        : limit.take(m, () -> handle(handler, m)));
            }
        }
    }

    /** The UNSUBACK came: these filters' handlers go. */
    void removeAll(List<String> filters) {
        for (String f : filters) {
            Sub sub = byFilter.remove(f);
            matchCache = null;
            if (sub != null) {
                released(sub);
            }
        }
    }

    /** A filter no longer uses its handler's queue; the queue goes with its last filter. */
    private void released(Sub sub) {
        if (sub.queue != null && --sub.queue.filters == 0) {
            if (sub.handler == firstHandler) {
                firstHandler = null;
                firstQueue = null;
            } else if (otherHandlers != null) {
                otherHandlers.remove(sub.handler);
            }
        }
    }

    /** The queue of {@code handler}, or null when no subscription has it. */
    private HandlerQueue queueOf(MessageHandler handler) {
        if (handler == firstHandler) {
            return firstQueue;
        }
        return otherHandlers == null ? null : otherHandlers.get(handler);
    }

    /** A SUBSCRIBE for these went out. */
    void requested(List<Subscription> list) {
        for (Subscription s : list) {
            Sub sub = byFilter.get(s.filter());
            if (sub != null) {
                sub.requested = true;
            }
        }
    }

    /** The SUBACK for {@code list} came, with a return code for each. */
    void granted(List<Subscription> list, MqttEvent.SubAck ack) {
        for (int i = 0; i < list.size(); i++) {
            Sub sub = byFilter.get(list.get(i).filter());
            if (sub != null) {
                sub.confirmed = ack.returnCodes().get(i) < 0x80; // 3.1.1's failure, and every 5.0 refusal
            }
        }
    }

    /** The broker has no session: every subscription is to be made again. */
    void forgetGranted() {
        byFilter.forEachValue(s -> s.confirmed = false);
    }

    /**
     * What to subscribe to on a new connection: neither granted nor requested on it, grouped by the MQTT 5.0
     * Subscription Identifier each was made with (0: none), so that it is made again with the same one.
     */
    java.util.Map<Integer, List<Subscription>> toRequest() {
        java.util.Map<Integer, List<Subscription>> again = new java.util.LinkedHashMap<>();
        for (Sub s : byFilter.values()) {
            if (!s.confirmed && !s.requested) {
                again.computeIfAbsent(s.identifier, k -> new ArrayList<>()).add(s.subscription);
            }
        }
        return again;
    }

    /** The connection ended: no SUBSCRIBE is on its way any more, and a payload being gathered is lost with it. */
    void connectionLost() {
        byFilter.forEachValue(s -> s.requested = false);
        accumulation = null;
    }

    /** A PUBLISH arrived: delivered now, or gathered first when its payload is streamed. */
    void onPublish(MqttEvent.Publish p, MqttClient client) {
        if (p.streamed()) {
            accumulation = new Accumulation(p, ByteBuffer.allocate(p.payloadLength()));
            if (!limit.full()) { // at the bound the payload stays unread, and so does the rest of the socket
                continueGathering(client);
            }
            return;
        }
        deliver(received(p, p.payloadBytes()));
    }

    /** Reads what has arrived of a streamed payload; delivers the message once whole. True if one was finished. */
    boolean continueGathering(MqttClient client) {
        Accumulation acc = accumulation;
        if (acc == null) {
            return false;
        }
        while (acc.buffer.hasRemaining()) {
            int n = client.payload().read(acc.buffer);
            if (n <= 0) {
                break;
            }
        }
        if (acc.buffer.hasRemaining()) {
            return false;
        }
        accumulation = null;
        MqttEvent.Publish p = acc.header;
        deliver(received(p, acc.buffer.array()));
        return true;
    }

    /** Whether messages wait to be handed over. */
    boolean hasBatch() {
        return batch != null;
    }

    /** Schedules the executors of the subscriptions that got messages since the last call. */
    void handOver() {
        List<SerialExecutor> executors = batch;
        if (executors != null) {
            batch = null;
            for (SerialExecutor e : executors) {
                e.schedule();
            }
        }
    }

    /** Messages dropped because nothing claimed them and the buffer of waiting ones was full. */
    long dropped() {
        return dropped;
    }

    private Runnable acknowledger(MqttEvent.Publish p) {
        return acknowledgers == null || p.messageId() == 0 ? null : acknowledgers.of(p.messageId(), p.qos());
    }

    /** The message a handler gets: {@code p}'s fields, {@code payload} as its own, its acknowledgement if manual. */
    private MqttEvent.Publish received(MqttEvent.Publish p, byte[] payload) {
        return p.withAcknowledger(ByteBuffer.wrap(payload).asReadOnlyBuffer(), acknowledger(p));
    }

    /** The subscriptions with a handler whose filters match {@code topic}, from the cache when it was seen before. */
    private Sub[] matching(String topic) {
        Sub[] subs = matchCache == null ? null : matchCache.get(topic);
        if (subs == null) {
            ArrayList<Sub> found = new ArrayList<>(2);
            for (Sub s : byFilter.values()) {
                if (s.handler != null && Topics.matches(s.subscription.filter(), topic)) {
                    found.add(s);
                }
            }
            subs = found.toArray(new Sub[0]);
            if (matchCache == null || matchCache.size() >= MATCH_CACHE_MAX) {
                matchCache = new java.util.HashMap<>();
            }
            matchCache.put(topic, subs);
        }
        return subs;
    }

    /**
     * Hands message {@code number} to {@code s}'s handler unless one of its other filters did already (once per
     * handler, however many of its filters match).
     */
    private void offer(Sub s, MqttEvent.Publish m, long number) {
        if (s.queue.lastMessage == number) {
            return;
        }
        s.queue.lastMessage = number;
        InboundLimit.Delivery d = s.handler instanceof RetainingHandler r ? limit.takeRetained(m, r)
                : limit.take(m, () -> handle(s.handler, m));
        if (d == null) {
            return; // a QoS 0 message dropped at the bound, as the client was told to
        }
        if (s.queue.executor.enqueue(d)) {
            if (batch == null) {
                batch = new ArrayList<>(2);
                batchBegun.run();
            }
            batch.add(s.queue.executor);
        }
    }

    private void deliver(MqttEvent.Publish m) {
        boolean matched = false;
        long number = messageCount++;
        // MQTT 5.0: a subscription made with a Subscription Identifier takes the messages that carry it, which the
        // server matched to it (a shared subscription's copy and a plain one's are told apart); others by filter
        java.util.List<Integer> ids = m.properties().subscriptionIdentifiers();
        if (ids.isEmpty()) {
            for (Sub s : matching(m.topic())) { // matched by filter, from the cache
                matched = true; // taken, even when the bound drops it
                offer(s, m, number);
            }
        } else {
            for (Sub s : byFilter.values()) {
                if (s.handler != null && (s.identifier != 0 ? ids.contains(s.identifier)
                        : Topics.matches(s.subscription.filter(), m.topic()))) {
                    matched = true;
                    offer(s, m, number);
                }
            }
        }
        if (matched) {
            return;
        }
        if (fallbackHandler != null) {
            InboundLimit.Delivery d = limit.take(m, () -> handle(fallbackHandler, m));
            if (d != null) {
                fallbackExecutor.get().execute(d);
            }
            return;
        }
        if (unhandled == null) {
            unhandled = new ArrayDeque<>();
        }
        unhandled.add(m);
        if (unhandled.size() > maxUnhandled) {
            // dropped, and so acknowledged with manual acknowledgements: an unacknowledged one would hold back
            // every later acknowledgement of its QoS on this connection
            unhandled.poll().acknowledge();
            dropped++;
        }
    }

    private void handle(MessageHandler handler, MqttEvent.Publish m) {
        try {
            handler.onMessage(m);
        } catch (Exception e) {
            errorHandler.accept(e);
        }
    }
}
