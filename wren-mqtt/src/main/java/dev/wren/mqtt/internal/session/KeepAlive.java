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
    private long pingSentAt = -1;

    KeepAlive(long intervalMillis, long pingTimeoutMillis) {
        this.intervalMillis = intervalMillis;
        this.pingTimeoutMillis = pingTimeoutMillis;
    }

    void reset(long now) {
        lastSentAt = now;
        pingSentAt = -1;
    }

    /** Bytes went out at {@code now}. */
    void sent(long now) {
        lastSentAt = now;
    }

    void pingSent(long now) {
        if (pingSentAt < 0) {
            pingSentAt = now;
        }
    }

    void pingAnswered() {
        pingSentAt = -1;
    }

    /** Whether a PINGREQ must be sent now: keep-alive on, none outstanding, nothing sent for an interval. */
    boolean pingDue(long now) {
        return intervalMillis > 0 && pingSentAt < 0 && now - lastSentAt >= intervalMillis;
    }

    /** Whether an outstanding PINGREQ has gone unanswered for longer than the ping timeout. */
    boolean timedOut(long now) {
        return pingSentAt >= 0 && now - pingSentAt >= pingTimeoutMillis;
    }

    /** The next time something is due, or {@link #NONE}. */
    long deadline() {
        if (pingSentAt >= 0) {
            return pingSentAt + pingTimeoutMillis;
        }
        return intervalMillis > 0 ? lastSentAt + intervalMillis : NONE;
    }
}
