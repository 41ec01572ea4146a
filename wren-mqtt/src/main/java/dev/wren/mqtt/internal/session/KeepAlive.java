package dev.wren.mqtt.internal.session;

/**
 * Keep-alive bookkeeping (MQTT 3.1.1 section 3.1.2.10): when a PINGREQ is due, and when an unanswered one has
 * timed out. Given the time; reads no clock.
 *
 * <p>Not thread-safe.
 */
final class KeepAlive {
    static final long NONE = Long.MAX_VALUE;

    private final long intervalMillis;
    private final long pingTimeoutMillis;
    private long lastSentAt;
    private long lastReceivedAt;
    /** When the outstanding PINGREQ became due (queued or owed), or -1: its timeout runs from then. */
    private long pingDueAt = -1;
    /** Whether that PINGREQ is owed: due, and not queued yet for lack of room. */
    private boolean owed;

    KeepAlive(long intervalMillis, long pingTimeoutMillis) {
        this.intervalMillis = intervalMillis;
        this.pingTimeoutMillis = pingTimeoutMillis;
    }

    void reset(long now) {
        lastSentAt = now;
        lastReceivedAt = now;
        pingDueAt = -1;
        owed = false;
    }

    /** Bytes went out at {@code now}. */
    void sent(long now) {
        lastSentAt = now;
    }

    /** Bytes came in at {@code now}. */
    void received(long now) {
        lastReceivedAt = now;
    }

    /** A PINGREQ was queued at {@code now}; if it had been owed, its timeout still runs from when it became due. */
    void pingSent(long now) {
        if (pingDueAt < 0) {
            pingDueAt = now;
        }
        owed = false;
    }

    /**
     * A PINGREQ was due at {@code now} but the transmit side could not take it: it is sent once there is room
     * ({@link #pingOwed()}), and the timeout runs from now, so a connection that takes nothing at all times out too.
     */
    void pingOwed(long now) {
        if (pingDueAt < 0) {
            pingDueAt = now;
            owed = true;
        }
    }

    /** Whether a PINGREQ is owed: due, and not yet queued for lack of room. */
    boolean pingOwed() {
        return owed;
    }

    /** Whether a PINGREQ is outstanding (queued or owed) and its PINGRESP not yet read. */
    boolean pingOutstanding() {
        return pingDueAt >= 0;
    }

    /** The time from the last answered PINGREQ's queueing to when its PINGRESP came in, or -1 if none yet. */
    long lastRoundTrip = -1;

    void pingAnswered() {
        if (pingDueAt >= 0) {
            lastRoundTrip = Math.max(0, lastReceivedAt - pingDueAt);
        }
        pingDueAt = -1;
        owed = false;
    }

    /**
     * Whether a PINGREQ must be sent now: keep-alive on, none outstanding or owed, and nothing sent or nothing
     * received for an interval. The first is the protocol's rule [MQTT-3.1.2-23]; the second lets a client that only
     * publishes notice a server that stopped answering (a client may ping at any time, section 3.12).
     */
    boolean pingDue(long now) {
        return intervalMillis > 0 && pingDueAt < 0
                && (now - lastSentAt >= intervalMillis || now - lastReceivedAt >= intervalMillis);
    }

    /** Whether an outstanding (or owed) PINGREQ has gone unanswered for longer than the ping timeout. */
    boolean timedOut(long now) {
        return pingDueAt >= 0 && now - pingDueAt >= pingTimeoutMillis;
    }

    /** The next time something is due, or {@link #NONE}. */
    long deadline() {
        if (pingDueAt >= 0) {
            return pingDueAt + pingTimeoutMillis;
        }
        return intervalMillis > 0 ? Math.min(lastSentAt, lastReceivedAt) + intervalMillis : NONE;
    }
}
