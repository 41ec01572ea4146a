package dev.wren.mqtt.async;

import dev.wren.mqtt.Qos;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The messages an {@link AsyncMqttClient} has accepted and not finished, in the three places one can be: queued
 * (not sent yet, in publishing order), in flight (sent with a packet identifier, awaiting PUBACK, PUBREC or PUBCOMP,
 * in sending order) and, on a connection that resumed a session, being re-sent (in their original order, before
 * anything newer). Keeps the {@link SessionStore} told of each step: the identifier before the PUBLISH leaves, the
 * PUBREC before the PUBREL leaves, the end once acknowledged.
 *
 * <p>Not thread-safe: guarded by the client's lock, like the rest of the client's state. The collections are made on
 * first use, so an idle client costs little heap.
 */
final class OutgoingMessages {

    /** One accepted message, with its future. */
    static final class Outgoing {
        final String topic;
        final Qos qos;
        final boolean retain;
        final ByteBuffer buffer;
        final long key;
        final CompletableFuture<Void> future;
        int id;
        boolean released;

        Outgoing(String topic, Qos qos, boolean retain, byte[] payload, long key, CompletableFuture<Void> future) {
            this.topic = topic;
            this.qos = qos;
            this.retain = retain;
            this.buffer = ByteBuffer.wrap(payload);
            this.key = key;
            this.future = future;
        }
    }

    private final SessionStore store;
    private ArrayDeque<Outgoing> queued;
    private ArrayDeque<Outgoing> resending;
    private LinkedHashMap<Integer, Outgoing> inflight;

    OutgoingMessages(SessionStore store) {
        this.store = store;
    }

    /**
     * Takes what an earlier process left in the store: messages it sent are in flight again (re-sent if the broker
     * kept the session), unless this client starts clean; the others are queued. Returns how many were taken.
     */
    int load(boolean cleanSession) {
        List<SessionStore.StoredMessage> stored = store.load();
        for (SessionStore.StoredMessage m : stored) {
            Outgoing o = new Outgoing(m.topic(), m.qos(), m.retain(), m.payload(), m.key(), new CompletableFuture<>());
            if (m.packetId() != 0 && !cleanSession) {
                o.id = m.packetId();
                o.released = m.released();
                inflight().put(o.id, o);
            } else {
                queued().add(o);
            }
        }
        return stored.size();
    }

    /** Whether nothing is queued or being re-sent, so that a new message may go out ahead of none. */
    boolean nothingWaiting() {
        return (queued == null || queued.isEmpty()) && (resending == null || resending.isEmpty());
    }

    int inflightCount() {
        return inflight == null ? 0 : inflight.size();
    }

    void queue(Outgoing o) {
        queued().add(o);
    }

    /** The oldest queued message, or null. */
    Outgoing nextQueued() {
        return queued == null ? null : queued.peek();
    }

    /** The oldest queued message went out (or was handed to the connection). */
    void dequeued() {
        queued.poll();
    }

    /** The next message to re-send on a resumed session, or null. */
    Outgoing nextResend() {
        return resending == null ? null : resending.peek();
    }

    /** The next message to re-send went out again: in flight. */
    void resent() {
        Outgoing o = resending.poll();
        inflight().put(o.id, o);
    }

    /** A QoS 1/2 message went into the transmit buffer with packet identifier {@code id}. */
    void sent(Outgoing o, int id) {
        o.id = id;
        store.assigned(o.key, id); // durable before the PUBLISH leaves (writes are batched until flush)
        inflight().put(id, o);
    }

    /** PUBREC for {@code id}: from now on only the PUBREL is to be sent again. */
    void received(int id) {
        Outgoing o = inflight == null ? null : inflight.get(id);
        if (o != null && !o.released) {
            o.released = true;
            store.released(o.key); // durable before the PUBREL leaves: it waits in the transmit buffer
        }
    }

    /** PUBACK or PUBCOMP for {@code id}: the message is done. Returns it, or null if none was in flight with it. */
    Outgoing acknowledged(int id) {
        Outgoing o = inflight == null ? null : inflight.remove(id);
        if (o != null) {
            store.remove(o.key);
        }
        return o;
    }

    /** The broker resumed the session: everything in flight goes out again, original order and identifiers. */
    void sessionResumed() {
        if (inflightCount() > 0) {
            resending().addAll(inflight.values()); // DUP set by the connection when re-sent
            inflight.clear();
        }
    }

    /** The broker has no session: everything unacknowledged is published again as new, ahead of newer messages. */
    void sessionLost() {
        List<Outgoing> old = takeUnacknowledged();
        for (int i = old.size() - 1; i >= 0; i--) {
            Outgoing o = old.get(i);
            o.id = 0;
            o.released = false;
            queued().addFirst(o);
        }
    }

    /** The connection ended: messages being re-sent stay in flight, to be re-sent again on the next one. */
    void connectionLost() {
        if (resending != null && !resending.isEmpty()) {
            for (Outgoing o : resending) {
                inflight().putIfAbsent(o.id, o);
            }
            resending.clear();
        }
    }

    /** Takes every message: unacknowledged ones in their order (being re-sent, then in flight), then the queued. */
    List<Outgoing> takeAll() {
        List<Outgoing> all = takeUnacknowledged();
        if (queued != null) {
            all.addAll(queued);
            queued.clear();
        }
        return all;
    }

    private List<Outgoing> takeUnacknowledged() {
        List<Outgoing> all = new ArrayList<>();
        if (resending != null) {
            all.addAll(resending);
            resending.clear();
        }
        if (inflight != null) {
            all.addAll(inflight.values());
            inflight.clear();
        }
        return all;
    }

    private ArrayDeque<Outgoing> queued() {
        if (queued == null) {
            queued = new ArrayDeque<>();
        }
        return queued;
    }

    private ArrayDeque<Outgoing> resending() {
        if (resending == null) {
            resending = new ArrayDeque<>();
        }
        return resending;
    }

    private LinkedHashMap<Integer, Outgoing> inflight() {
        if (inflight == null) {
            inflight = new LinkedHashMap<>();
        }
        return inflight;
    }
}
