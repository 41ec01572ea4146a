package dev.wren.mqtt.internal.session;

import dev.wren.mqtt.Qos;
import dev.wren.mqtt.UnacknowledgedMessage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The client's side of an MQTT session (MQTT 3.1.1 section 4.1): what outlives a network connection. The outgoing
 * QoS 1/2 messages not yet completed and where each stands ({@link OutgoingState}), the incoming QoS 2 messages
 * delivered and not yet released, the subscriptions the application made, and the packet identifiers in use. A
 * {@link ClientProtocol} works on one session across any number of {@link Connection}s.
 *
 * <p>Not thread-safe: used by one protocol core at a time.
 */
public final class Session {
    /** Outgoing identifiers in use, in the order first sent (the order of a resend). Made on first use. */
    private LinkedHashMap<Integer, InFlight> outgoing;
    private int publishes;
    final IdTable incomingQos2 = new IdTable();
    private LinkedHashMap<String, Qos> subscriptions;
    private int nextId = 1;
    /** Set when carried to another server or client id: the next CONNACK cannot resume what it holds. */
    boolean foreign;

    InFlight get(int id) {
        return outgoing == null ? null : outgoing.get(id);
    }

    boolean inUse(int id) {
        return outgoing != null && outgoing.containsKey(id);
    }

    /** Packet identifiers in use, publishes, subscribes and unsubscribes. */
    int size() {
        return outgoing == null ? 0 : outgoing.size();
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

    void put(InFlight f) {
        if (outgoing == null) {
            outgoing = new LinkedHashMap<>();
        }
        if (outgoing.put(f.id, f) == null && f.payload != null) {
            publishes++;
        }
    }

    InFlight remove(int id) {
        InFlight f = outgoing == null ? null : outgoing.remove(id);
        if (f != null && f.payload != null) {
            publishes--;
        }
        return f;
    }

    /** Everything in flight, in first-sent order; the caller must not change it. */
    Collection<InFlight> inFlight() {
        return outgoing == null ? List.of() : outgoing.values();
    }

    /** The connection ended: identifiers that belonged to it only (SUBSCRIBE, UNSUBSCRIBE, orphan PUBREL) are free. */
    void connectionEnded() {
        if (outgoing == null || outgoing.size() == publishes) {
            for (InFlight f : inFlight()) {
                f.resend = false;
            }
            return;
        }
        for (Iterator<InFlight> it = outgoing.values().iterator(); it.hasNext(); ) {
            InFlight f = it.next();
            f.resend = false;
            if (!f.state.sessionState()) {
                it.remove();
            }
        }
    }

    /** The server resumed the session: marks every message to be sent again; returns how many. */
    int markResend() {
        int n = 0;
        for (InFlight f : inFlight()) {
            if (f.state != OutgoingState.PUBREL_TO_SEND) { // the application releases it, as before
                f.resend = true;
                n++;
            }
        }
        return n;
    }

    /** The server has no session: every outgoing message is forgotten and returned, in first-sent order. */
    List<UnacknowledgedMessage> abandon() {
        if (publishes == 0) {
            return List.of();
        }
        List<UnacknowledgedMessage> lost = new ArrayList<>(publishes);
        for (InFlight f : inFlight()) {
            lost.add(unacknowledged(f));
        }
        outgoing.clear();
        publishes = 0;
        return lost;
    }

    /** The server forgot its session: incoming QoS 2 identifiers mean nothing any more. */
    void serverStateLost() {
        incomingQos2.clear();
        if (subscriptions != null) {
            subscriptions.clear();
        }
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
        put(new InFlight(m.messageId(), state, m.topic(), m.qos(), m.retain(), m.payload().slice(), null));
    }

    static UnacknowledgedMessage unacknowledged(InFlight f) {
        return new UnacknowledgedMessage(f.id, f.topic, f.qos, f.retain, f.payload.asReadOnlyBuffer(),
                f.state == OutgoingState.AWAIT_PUBCOMP || f.state == OutgoingState.PUBREL_TO_SEND);
    }

    // ---------------------------------------------------------------- subscriptions

    /** The SUBACK granted {@code filter} at {@code qos}: part of the session until unsubscribed. */
    void subscribed(String filter, Qos qos) {
        if (subscriptions == null) {
            subscriptions = new LinkedHashMap<>();
        }
        subscriptions.put(filter, qos);
    }

    void unsubscribed(String filter) {
        if (subscriptions != null) {
            subscriptions.remove(filter);
        }
    }

    /** The subscriptions the server granted and the application has not ended, with the granted QoS. */
    Map<String, Qos> subscriptions() {
        return subscriptions == null ? Map.of() : Collections.unmodifiableMap(subscriptions);
    }
}
