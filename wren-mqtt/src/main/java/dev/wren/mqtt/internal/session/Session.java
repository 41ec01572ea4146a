package dev.wren.mqtt.internal.session;

import dev.wren.mqtt.Qos;
import dev.wren.mqtt.UnacknowledgedMessage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The client's side of an MQTT session (MQTT 3.1.1 section 4.1): what outlives a network connection. The outgoing
 * QoS 1/2 messages not yet completed and where each stands ({@link OutgoingState}), the incoming QoS 2 messages
 * delivered and not yet released, the subscriptions the application made, and the packet identifiers in use. A
 * {@link ClientProtocol} works on one session across any number of {@link Connection}s.
 *
 * <p>The in-flight table allocates nothing per message: identifiers map to slots ({@link IdTable}), and the
 * {@link InFlight} of a completed message is reused. The first-sent order, needed only for a resend, comes from a
 * sequence number.
 *
 * <p>Not thread-safe: used by one protocol core at a time.
 */
public final class Session {
    private static final Comparator<InFlight> FIRST_SENT = Comparator.comparingLong(f -> f.sequence);

    /** Packet identifier to slot. */
    private final IdTable ids = new IdTable();
    private static final InFlight[] NO_SLOTS = new InFlight[0];
    private static final int[] NO_FREE = new int[0];
    private InFlight[] slots = NO_SLOTS; // grown on first use (copied, never written while empty)
    private int used;
    private int[] free = NO_FREE;
    private int freeCount;
    private long sequence;
    private int publishes;
    final IdTable incomingQos2 = new IdTable();
    private final SmallOrderedMap<String, Qos> subscriptions = new SmallOrderedMap<>();
    private int nextId = 1;
    /** Set when carried to another server or client id: the next CONNACK cannot resume what it holds. */
    boolean foreign;
    /** MQTT 5.0: the client identifier the server assigned to an empty one, used again on every reconnect. */
    String assignedClientId;

    InFlight get(int id) {
        int slot = ids.get(id);
        return IdTable.missing(slot) ? null : slots[slot];
    }

    boolean inUse(int id) {
        return ids.contains(id);
    }

    /** Packet identifiers in use, publishes, subscribes and unsubscribes. */
    int size() {
        return ids.size();
    }

    /** Outgoing QoS 1/2 messages not completed: what the send window counts. */
    int publishes() {
        return publishes;
    }

    /** A free packet identifier, or 0 when all 65,535 are in use; never one in use [MQTT-2.3.1-2]. */
    int allocate() {
        if (size() >= 65535) {
            return 0;
        }
        while (true) {
            int id = nextId;
            nextId = nextId == 65535 ? 1 : nextId + 1;
            if (!inUse(id)) {
                return id;
            }
        }
    }

    /** Records identifier {@code id} as in use, in {@code state}; a PUBLISH with its payload (from..to). */
    InFlight add(int id, OutgoingState state, String topic, Qos qos, boolean retain, ByteBuffer payload, int from,
                 int to, List<?> request) {
        int slot;
        if (freeCount > 0) {
            slot = free[--freeCount];
        } else {
            if (used == slots.length) {
                slots = java.util.Arrays.copyOf(slots, Math.max(4, used * 2));
            }
            slot = used++;
            slots[slot] = new InFlight();
            slots[slot].slot = slot;
        }
        InFlight f = slots[slot];
        f.set(id, state, topic, qos, retain, payload, from, to, request);
        f.sequence = sequence++;
        ids.put(id, slot);
        if (f.isPublish()) {
            publishes++;
        }
        return f;
    }

    /**
     * Gives up the in-flight table's storage when nothing is in flight (an idle connection): slots, free list and
     * identifier tables are allocated again by the next message.
     */
    void trim() {
        if (ids.size() == 0) {
            ids.trim();
            slots = NO_SLOTS;
            used = 0;
            free = NO_FREE;
            freeCount = 0;
        }
        incomingQos2.trim();
    }

    /** Frees identifier {@code id}; what it held is dropped (read it before). */
    void remove(int id) {
        int slot = ids.get(id);
        if (IdTable.missing(slot)) {
            return;
        }
        ids.remove(id);
        InFlight f = slots[slot];
        if (f.isPublish()) {
            publishes--;
        }
        f.clear();
        if (freeCount == free.length) {
            free = java.util.Arrays.copyOf(free, Math.max(4, freeCount * 2));
        }
        free[freeCount++] = slot;
    }

    /** Everything in flight, in first-sent order (a new list; the rare paths only: resend, connection end). */
    List<InFlight> inFlight() {
        if (ids.size() == 0) {
            return List.of();
        }
        List<InFlight> all = new ArrayList<>(ids.size());
        for (int i = 0; i < used; i++) {
            InFlight f = slots[i];
            if (f.state != null && ids.get(f.id) == i) {
                all.add(f);
            }
        }
        all.sort(FIRST_SENT);
        return all;
    }

    /** The connection ended: identifiers that belonged to it only (SUBSCRIBE, UNSUBSCRIBE, orphan PUBREL) are free. */
    void connectionEnded() {
        for (InFlight f : inFlight()) {
            f.resend = false;
            if (!f.state.sessionState()) {
                remove(f.id);
            }
        }
    }

    /** The server resumed the session: the messages to send again, in their first-sent order. */
    List<InFlight> markResend() {
        List<InFlight> again = new ArrayList<>();
        for (InFlight f : inFlight()) {
            if (f.state != OutgoingState.PUBREL_TO_SEND) { // the application releases it, as before
                f.resend = true;
                again.add(f);
            }
        }
        return again;
    }

    /** The server has no session: every outgoing message is forgotten and returned, in first-sent order. */
    List<UnacknowledgedMessage> abandon() {
        if (publishes == 0) {
            return List.of();
        }
        List<UnacknowledgedMessage> lost = new ArrayList<>(publishes);
        for (InFlight f : inFlight()) {
            if (f.isPublish()) {
                lost.add(unacknowledged(f));
                remove(f.id);
            }
        }
        return lost;
    }

    /** The server has no session: its incoming QoS 2 identifiers and subscriptions are gone. */
    void serverStateLost() {
        incomingQos2.clear();
        subscriptions.clear();
    }

    /**
     * The session goes with its client to another server or client id: what it knows of the server's side means
     * nothing there, and the outgoing messages are reported lost at the next CONNACK, whatever it says.
     */
    public void movedToAnotherServer() {
        foreign = true;
        serverStateLost();
    }

    /** Takes back a message an earlier process had in flight (see {@link UnacknowledgedMessage}). */
    void restore(UnacknowledgedMessage m) {
        if (inUse(m.messageId())) {
            throw new IllegalStateException("messageId " + m.messageId() + " is in use already");
        }
        OutgoingState state = m.released() ? OutgoingState.AWAIT_PUBCOMP
                : m.qos() == Qos.AT_LEAST_ONCE ? OutgoingState.AWAIT_PUBACK : OutgoingState.AWAIT_PUBREC;
        ByteBuffer p = m.payload();
        add(m.messageId(), state, m.topic(), m.qos(), m.retain(), p, p.position(), p.limit(), null);
    }

    private static UnacknowledgedMessage unacknowledged(InFlight f) {
        return new UnacknowledgedMessage(f.id, f.topic, f.qos, f.retain, f.payload().asReadOnlyBuffer(),
                f.state == OutgoingState.AWAIT_PUBCOMP || f.state == OutgoingState.PUBREL_TO_SEND);
    }

    // ---------------------------------------------------------------- subscriptions

    /** The SUBACK granted {@code filter} at {@code qos}: part of the session until unsubscribed. */
    void subscribed(String filter, Qos qos) {
        subscriptions.put(filter, qos);
    }

    void unsubscribed(String filter) {
        subscriptions.remove(filter);
    }

    /** The subscriptions the server granted and the application has not ended, with the granted QoS. */
    Map<String, Qos> subscriptions() {
        return subscriptions.snapshot();
    }
}
