package dev.wren.mqtt.async;

import dev.wren.mqtt.Qos;
import dev.wren.mqtt.MqttProperties;
import dev.wren.mqtt.UnacknowledgedMessage;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The messages an {@link AsyncMqttClient} has accepted and not finished, with their futures: queued (not yet handed
 * to the connection, in publishing order) or in flight (handed to the protocol core with a packet identifier; the
 * core keeps their protocol state and re-sends them after a reconnect). Keeps the {@link SessionStore} told of each
 * step, through the {@link StoreWriter}: the identifier before the PUBLISH leaves, the PUBREC before the PUBREL
 * leaves ({@link #writable()} says when the client may write), the end once acknowledged.
 *
 * <p>Not thread-safe: guarded by the client's lock, like the rest of the client's state. The collections are made on
 * first use, so an idle client costs little heap.
 */
final class OutgoingMessages {

    /** One accepted message, with its future; or, as {@link AtMostOnceRun}, several QoS 0 messages. */
    static class Outgoing {
        final String topic;
        final Qos qos;
        final boolean retain;
        final ByteBuffer buffer;
        final long key;
        final CompletableFuture<Void> future;
        int id;
        boolean released;
        /** Its future failed when the client gave up; the core may still complete it later. */
        boolean abandoned;
        /** MQTT 5.0: its properties; null for none. */
        MqttProperties properties;
        /** The payload's size: what it counts against the bound in bytes. */
        final int size;
        /** When it expires unsent (epoch milliseconds), 0 for never; and the expiry it was given. */
        long expiresAt;
        long expiryMillis;
        /** Dropped rather than kept queued when the connection is lost. */
        boolean onlyIfConnected;
        /** When it was first sent ({@link System#nanoTime()}), with metrics on; 0 otherwise. */
        long sentAtNanos;

        Outgoing(String topic, Qos qos, boolean retain, byte[] payload, long key, CompletableFuture<Void> future) {
            this.topic = topic;
            this.qos = qos;
            this.retain = retain;
            this.buffer = ByteBuffer.wrap(payload);
            this.size = payload.length;
            this.key = key;
            this.future = future;
        }

        /** For {@link AtMostOnceRun}, which keeps its messages' topics, payloads and futures itself. */
        Outgoing() {
            this.topic = null;
            this.qos = Qos.AT_MOST_ONCE;
            this.retain = false;
            this.buffer = null;
            this.size = 0;
            this.key = 0;
            this.future = null;
        }

        boolean expired(long nowMillis) {
            return expiresAt != 0 && nowMillis >= expiresAt;
        }
    }

    private final SessionStore store;
    private final StoreWriter writer;
    /** The store update the next network write must wait for (see {@link StoreWriter}). */
    private long gate;
    private ArrayDeque<Outgoing> queued;
    private LinkedHashMap<Integer, Outgoing> inflight;
    /** Loaded from the store, sent by an earlier process: for the core to take over when it is made. */
    private List<UnacknowledgedMessage> restorable;
    /** Loaded from the store: the incoming QoS 2 identifiers an earlier process received and saw no PUBREL for. */
    private int[] restorableIncoming;
    /** Bytes of the messages loaded from the store and kept. */
    private long loadedBytes;

    OutgoingMessages(SessionStore store, StoreWriter writer) {
        this.store = store;
        this.writer = writer;
    }

    /** Whether every store update a packet in the transmit buffer depends on is durable, so that it may be written. */
    boolean writable() {
        return writer.durable(gate);
    }

    /**
     * Takes what an earlier process left in the store: messages it sent are in flight again (the core re-sends them
     * if the broker kept the session), unless this client starts clean; the others are queued. Returns how many.
     */
    int load(boolean cleanSession) {
        List<SessionStore.StoredMessage> stored = store.load();
        long now = System.currentTimeMillis();
        int kept = 0;
        for (SessionStore.StoredMessage m : stored) {
            Outgoing o = new Outgoing(m.topic(), m.qos(), m.retain(), m.payload(), m.key(), new CompletableFuture<>());
            o.expiresAt = m.expiresAtMillis();
            boolean sent = m.packetId() != 0 && !cleanSession;
            if (!sent && o.expired(now)) {
                store.remove(m.key()); // expired unsent while the process was down: nobody waits for it
                continue;
            }
            kept++;
            loadedBytes += o.size;
            if (sent) {
                o.id = m.packetId();
                o.released = m.released();
                inflight().put(o.id, o);
                if (restorable == null) {
                    restorable = new ArrayList<>();
                }
                restorable.add(new UnacknowledgedMessage(o.id, o.topic, o.qos, o.retain, o.buffer, o.released));
            } else {
                queued().add(o);
            }
        }
        if (!cleanSession) {
            restorableIncoming = store.loadIncoming();
        }
        return kept;
    }

    /** Bytes of the messages {@link #load} kept. */
    long loadedBytes() {
        return loadedBytes;
    }

    /** The incoming QoS 2 identifiers for the new protocol core to take over, once; empty afterwards. */
    int[] takeRestorableIncoming() {
        int[] r = restorableIncoming == null ? new int[0] : restorableIncoming;
        restorableIncoming = null;
        return r;
    }

    /** An incoming QoS 2 message was received: stored before its PUBREC leaves. */
    void incomingReceived(int id) {
        gate = writer.incomingReceived(id);
    }

    /** An incoming QoS 2 message was released: forgotten before its PUBCOMP leaves. */
    void incomingReleased(int id) {
        gate = writer.incomingReleased(id);
    }

    /** The broker has no session: no incoming QoS 2 identifier is kept. */
    void incomingCleared() {
        gate = writer.incomingCleared();
    }

    /** Takes out and returns the queued messages that {@code drop} says go; none is taken when none does. */
    List<Outgoing> removeQueuedIf(java.util.function.Predicate<Outgoing> drop) {
        if (queued == null || queued.isEmpty()) {
            return List.of();
        }
        List<Outgoing> out = new ArrayList<>();
        queued.removeIf(o -> {
            if (drop.test(o)) {
                out.add(o);
                return true;
            }
            return false;
        });
        return out;
    }

    /** The earliest expiry of a queued message (epoch milliseconds), 0 if none has one. */
    long earliestQueuedExpiry() {
        long earliest = 0;
        if (queued != null) {
            for (Outgoing o : queued) {
                if (o.expiresAt != 0 && (earliest == 0 || o.expiresAt < earliest)) {
                    earliest = o.expiresAt;
                }
            }
        }
        return earliest;
    }

    /** The store forgets a message that was never sent (expired or dropped). */
    void forget(Outgoing o) {
        if (o.key != 0) {
            writer.remove(o.key);
        }
    }

    /** The messages for the new protocol core to take over, once; empty afterwards. */
    List<UnacknowledgedMessage> takeRestorable() {
        List<UnacknowledgedMessage> r = restorable == null ? List.of() : restorable;
        restorable = null;
        return r;
    }

    /** How many messages are queued (not yet sent). */
    int queuedCount() {
        int n = 0;
        if (queued != null) {
            for (Outgoing o : queued) {
                n += o instanceof AtMostOnceRun run ? run.remaining() : 1;
            }
        }
        return n;
    }

    /** How many QoS 1/2 messages are in flight. */
    int inflightCount() {
        return inflight == null ? 0 : inflight.size();
    }

    /** Whether nothing is queued, so that a new message may go out ahead of none. */
    boolean nothingWaiting() {
        return queued == null || queued.isEmpty();
    }

    void queue(Outgoing o) {
        queued().add(o);
    }

    /** The newest queued entry, or null. */
    Outgoing lastQueued() {
        return queued == null ? null : queued.peekLast();
    }

    /** The oldest queued entry (a message or a run of them), or null. */
    Outgoing nextQueued() {
        return queued == null ? null : queued.peek();
    }

    /** The oldest queued message went out (or was handed to the connection). */
    void dequeued() {
        queued.poll();
    }

    /** A QoS 1/2 message went into the transmit buffer with packet identifier {@code id}. */
    void sent(Outgoing o, int id) {
        o.id = id;
        gate = writer.assigned(o.key, id); // durable before the PUBLISH leaves: writes wait for it
        inflight().put(id, o);
    }

    /** PUBREC for {@code id}: from now on only the PUBREL is to be sent again. */
    void received(int id) {
        Outgoing o = inflight == null ? null : inflight.get(id);
        if (o != null && !o.released) {
            o.released = true;
            gate = writer.released(o.key); // durable before the PUBREL leaves: it waits in the transmit buffer
        }
    }

    /** PUBACK or PUBCOMP for {@code id}: the message is done. Returns it, or null if none was in flight with it. */
    Outgoing acknowledged(int id) {
        Outgoing o = inflight == null ? null : inflight.remove(id);
        if (o != null) {
            writer.remove(o.key);
        }
        return o;
    }

    /**
     * The broker has no session and the core has let these go: each is published again as new, ahead of newer
     * messages, except those already given up (their futures failed), which are dropped.
     */
    void sessionLost(List<UnacknowledgedMessage> lost) {
        for (int i = lost.size() - 1; i >= 0; i--) {
            Outgoing o = inflight == null ? null : inflight.remove(lost.get(i).messageId());
            if (o == null) {
                continue;
            }
            if (o.abandoned) {
                writer.remove(o.key);
                continue;
            }
            o.id = 0;
            o.released = false;
            queued().addFirst(o);
        }
    }

    /**
     * The client gives up: returns the queued messages (taken out) and the in-flight ones not given up before (kept,
     * marked given up, because the core still holds them and may yet see them acknowledged).
     */
    List<Outgoing> giveUp() {
        List<Outgoing> all = new ArrayList<>();
        if (inflight != null) {
            for (Outgoing o : inflight.values()) {
                if (!o.abandoned) {
                    o.abandoned = true;
                    all.add(o);
                }
            }
        }
        if (queued != null) {
            all.addAll(queued);
            queued.clear();
        }
        return all;
    }

    private ArrayDeque<Outgoing> queued() {
        if (queued == null) {
            queued = new ArrayDeque<>();
        }
        return queued;
    }

    private LinkedHashMap<Integer, Outgoing> inflight() {
        if (inflight == null) {
            inflight = new LinkedHashMap<>();
        }
        return inflight;
    }
}
