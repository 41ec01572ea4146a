package dev.wren.mqtt.async;

/**
 * When an {@link AsyncMqttClient} connects again: whether it does at all after a lost connection or a failed first
 * attempt, and how long it waits before each attempt (exponential back-off with jitter).
 *
 * <p>Immutable and thread-safe.
 */
final class ReconnectPolicy {
    private final boolean automatic;
    private final boolean onInitialFailure;
    private final long minMillis;
    private final long maxMillis;
    private final double jitter;

    /** The policy made last: clients built alike (thousands, from one loop of code) share one. */
    private static final dev.wren.mqtt.internal.config.SharedLast<ReconnectPolicy> SHARED =
            new dev.wren.mqtt.internal.config.SharedLast<>((a, b) -> a.automatic == b.automatic
                    && a.onInitialFailure == b.onInitialFailure && a.minMillis == b.minMillis
                    && a.maxMillis == b.maxMillis && Double.compare(a.jitter, b.jitter) == 0);

    /** A policy with these settings: the one made last if it has them, else a new one. */
    static ReconnectPolicy of(boolean automatic, boolean onInitialFailure, long minMillis, long maxMillis,
                              double jitter) {
        return SHARED.share(new ReconnectPolicy(automatic, onInitialFailure, minMillis, maxMillis, jitter));
    }

    ReconnectPolicy(boolean automatic, boolean onInitialFailure, long minMillis, long maxMillis, double jitter) {
        this.automatic = automatic;
        this.onInitialFailure = onInitialFailure;
        this.minMillis = minMillis;
        this.maxMillis = maxMillis;
        this.jitter = jitter;
    }

    /** Whether to try again after a connection (or attempt) ended, given whether one was ever accepted. */
    boolean retry(boolean everConnected) {
        return automatic && (everConnected || onInitialFailure);
    }

    /** The wait before attempt {@code attempt} (0 for the first retry), with {@code random} in [0, 1). */
    long delayMillis(int attempt, double random) {
        return delay(attempt, minMillis, maxMillis, jitter, random);
    }

    /**
     * The delay before reconnect attempt {@code attempt} (0 for the first): {@code min} doubled per failed attempt,
     * capped at {@code max}, then spread by plus or minus {@code jitter}, with {@code random} in [0, 1).
     */
    static long delay(int attempt, long min, long max, double jitter, double random) {
        long base = Math.min(max, min << Math.min(attempt, 30));
        if (base < 0) {
            base = max; // shifted past Long.MAX_VALUE
        }
        return Math.max(0, Math.round(base * (1 + jitter * (2 * random - 1))));
    }
}
