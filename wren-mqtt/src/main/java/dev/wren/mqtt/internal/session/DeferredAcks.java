package dev.wren.mqtt.internal.session;

import java.util.ArrayDeque;

/**
 * Received QoS 1/2 messages whose PUBACK or PUBREC waits for the application ({@code deferredAcks}): per QoS, in
 * arrival order, so that acknowledging out of order still releases them in order [MQTT-4.6.0-2], [MQTT-4.6.0-3].
 * Belongs to one connection: acknowledgements are never sent on a later one.
 *
 * <p>Not thread-safe.
 */
final class DeferredAcks {
    private static final int ACKED = 1;
    private static final int COMPLETE = 2;

    /** Sends the acknowledgement for a message of {@code qos}; false when there is no room now. */
    interface Sender {
        boolean send(int qos, int id);
    }

    private final ArrayDeque<int[]> qos1 = new ArrayDeque<>();
    private final ArrayDeque<int[]> qos2 = new ArrayDeque<>();
    /** The entry of the PUBLISH whose payload is being streamed, or null. */
    private int[] streaming;

    /** A message arrived; {@code complete} unless its payload is still to be streamed. */
    void add(int qos, int id, boolean complete) {
        int[] e = {id, complete ? COMPLETE : 0};
        (qos == 1 ? qos1 : qos2).add(e);
        streaming = complete ? null : e;
    }

    /** The streamed payload has been read to its end. */
    void payloadDone() {
        if (streaming != null) {
            streaming[1] |= COMPLETE;
            streaming = null;
        }
    }

    /** The application acknowledged {@code id}; false if no such message waits. */
    boolean acknowledge(int id) {
        for (ArrayDeque<int[]> q : java.util.List.of(qos1, qos2)) {
            for (int[] e : q) {
                if (e[0] == id && (e[1] & ACKED) == 0) {
                    e[1] |= ACKED;
                    return true;
                }
            }
        }
        return false;
    }

    boolean isEmpty() {
        return qos1.isEmpty() && qos2.isEmpty();
    }

    /** Sends what may go now: from the head of each queue, while acknowledged and complete. */
    void release(Sender sender) {
        for (int qos = 1; qos <= 2; qos++) {
            ArrayDeque<int[]> q = qos == 1 ? qos1 : qos2;
            for (int[] e; (e = q.peek()) != null && e[1] == (ACKED | COMPLETE); ) {
                if (!sender.send(qos, e[0])) {
                    return; // no room: tried again after the next write
                }
                q.poll();
            }
        }
    }
}
