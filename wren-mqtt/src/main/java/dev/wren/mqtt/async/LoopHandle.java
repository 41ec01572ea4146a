package dev.wren.mqtt.async;

import dev.wren.mqtt.MqttClient;
import dev.wren.mqtt.MqttEvent;
import dev.wren.mqtt.MqttEventHandler;

/**
 * The event loop's handle on one {@link AsyncConnection}: what the loop calls when the channel is ready, on every
 * deadline of its own, on the loop's slow sweep and for a scheduled flush, and the handler of the core client's events. It is also the lock that guards the
 * connection's state: every entry takes it.
 *
 * <p>Thread-safe: each method holds the lock (events arrive inside the core client's calls, with it held already).
 */
final class LoopHandle implements EventLoop.Connection, Runnable, MqttEventHandler {
    private final AsyncConnection connection;

    LoopHandle(AsyncConnection connection) {
        this.connection = connection;
    }

    @Override
    public void onEvent(MqttClient c, MqttEvent event) {
        connection.onEvent(c, event); // called with the lock held, inside the core client's calls
    }

    @Override
    public synchronized void ready() {
        connection.drive();
        connection.handOverCompletions();
        connection.armDeadline();
    }

    /** The loop's slow sweep: a safety net behind {@link #deadline}. */
    @Override
    public synchronized void tick() {
        driveIfDue();
    }

    /**
     * The connection's own deadline call-back ({@link AsyncConnection#armDeadline}), one object for all of them; a
     * replaced one does nothing.
     */
    final DeadlineCallBack deadline = new DeadlineCallBack(this);

    /**
     * What the loop's timers hold for a connection's deadline: a handle that {@link #detach()} lets go of when the
     * client is closed, so that a timer still pending (up to a keep-alive interval away) keeps no closed client
     * reachable. Thread-safe (the handle is volatile).
     */
    static final class DeadlineCallBack implements Runnable {
        private volatile LoopHandle handle;

        DeadlineCallBack(LoopHandle handle) {
            this.handle = handle;
        }

        @Override
        public void run() {
            LoopHandle h = handle;
            if (h != null) {
                h.onDeadline();
            }
        }

        /** The client is closed: pending call-backs do nothing, and hold nothing of it. */
        void detach() {
            handle = null;
        }
    }

    /** {@link TimedTask}'s kinds: a reconnect attempt after its back-off; the expiry of queued messages. */
    static final int RECONNECT = 1;
    static final int EXPIRY = 2;

    /**
     * A timer's task for one of the connection's own timers other than the deadline ({@link #RECONNECT},
     * {@link #EXPIRY} at {@code at}): it reaches the connection only through {@link #deadline}'s detachable handle,
     * so that a back-off of minutes or an expiry far off keeps no closed client reachable. Immutable.
     */
    TimedTask timedTask(int kind, long at) {
        return new TimedTask(deadline, kind, at);
    }

    static final class TimedTask implements Runnable {
        private final DeadlineCallBack owner;
        private final int kind;
        private final long at;

        TimedTask(DeadlineCallBack owner, int kind, long at) {
            this.owner = owner;
            this.kind = kind;
            this.at = at;
        }

        @Override
        public void run() {
            LoopHandle h = owner.handle;
            if (h != null) {
                h.onTimedTask(kind, at);
            }
        }
    }

    private synchronized void onTimedTask(int kind, long at) {
        connection.timedTask(kind, at);
    }

    private synchronized void onDeadline() {
        if (connection.deadlineCallBack()) {
            driveIfDue();
        }
    }

    private void driveIfDue() {
        if (connection.due()) {
            connection.drive();
            connection.handOverCompletions();
        }
        connection.armDeadline();
    }

    /** The flush that publishing threads (and completions) schedule: writes what they encoded, sends what is queued. */
    @Override
    public synchronized void run() {
        connection.scheduledFlush();
        connection.handOverCompletions();
        connection.armDeadline();
    }
}
