package dev.wren.mqtt.async;

import dev.wren.mqtt.MqttClient;
import dev.wren.mqtt.MqttException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The SUBSCRIBE and UNSUBSCRIBE requests of an {@link AsyncMqttClient}: those waiting to be sent, in order, and those
 * sent and awaiting their SUBACK or UNSUBACK by packet identifier. A request without an answer when the connection
 * ends is sent again on the next one (the core forgets it with the connection).
 *
 * <p>Not thread-safe: guarded by the client's lock. Made on first use.
 */
final class Requests {
    private final ArrayDeque<Control> waiting = new ArrayDeque<>(2);
    private final Map<Integer, Control> awaiting = new HashMap<>(4); // a table of 4 held per client, not 16

    void add(Control c) {
        waiting.add(c);
    }

    /** Ahead of everything waiting: what must go first on a new connection (re-subscriptions). */
    void addFirst(Control c) {
        waiting.addFirst(c);
    }

    /**
     * Sends what waits, in order, as far as the transmit side takes it; {@code requested} learns each SUBSCRIBE sent.
     *
     * @return false if the client could not take the next one now (or the connection ended)
     */
    boolean send(MqttClient client, java.util.function.Consumer<Control> requested) {
        while (!waiting.isEmpty()) {
            Control c = waiting.peek();
            int id = c.send(client);
            if (id == MqttClient.WOULD_BLOCK || !client.isConnected()) {
                return false;
            }
            waiting.poll();
            requested.accept(c);
            awaiting.put(id, c);
        }
        return true;
    }

    /** Whether no request waits to be sent or for its answer. */
    boolean isEmpty() {
        return waiting.isEmpty() && awaiting.isEmpty();
    }

    /** The request the SUBACK or UNSUBACK {@code id} answers, or null. */
    Control answered(int id) {
        return awaiting.remove(id);
    }

    /** The connection ended: requests sent without an answer go out again first on the next one. */
    void connectionLost() {
        for (Control c : awaiting.values()) {
            waiting.addFirst(c);
        }
        awaiting.clear();
    }

    /** The client gives up: every waiting request fails with {@code e}. */
    void failWaiting(MqttException e, AsyncConnection owner) {
        for (Control c : waiting) {
            c.fail(e, owner);
        }
        waiting.clear();
    }
}
