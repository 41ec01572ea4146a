package dev.wren.mqtt.async;

import dev.wren.mqtt.MqttEvent;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * The bound on one client's received messages that their handlers have not finished with (count and payload bytes),
 * and the pause in reading that enforces it. The event loop takes a slot for each message it hands to a handler
 * ({@link #take}); the handler's thread gives it back when the handler returns ({@link #give}). Once either bound is
 * reached the loop stops reading ({@link #full()}); reading resumes, through {@code resume}, once both are back
 * under three quarters, so that a handler working at its limit does not flip the socket's interest for every message.
 *
 * <p>Thread-safe: the counts are atomic; {@link #take}, {@link #full()} and the QoS 0 queue are used by the event
 * loop only.
 */
final class InboundLimit {

    /** One message handed to a handler: runs it unless it was dropped first. */
    final class Delivery implements Runnable {
        private static final int WAITING = 0;
        private static final int TAKEN = 1;
        private static final int DROPPED = 2;
        private static final int RELEASED = 3;
        private static final AtomicIntegerFieldUpdater<Delivery> STATE =
                AtomicIntegerFieldUpdater.newUpdater(Delivery.class, "state");
        private volatile int state; // WAITING until a handler takes it or it is dropped
        private final int bytes;
        private final Runnable handling;
        /** A handler that keeps the message past its call (a Flow subscription), with the message; else null. */
        private final RetainingHandler retainer;
        private final MqttEvent.Publish message;

        Delivery(int bytes, Runnable handling, RetainingHandler retainer, MqttEvent.Publish message) {
            this.bytes = bytes;
            this.handling = handling;
            this.retainer = retainer;
            this.message = message;
        }

        @Override
        public void run() {
            if (!STATE.compareAndSet(this, WAITING, TAKEN)) {
                return; // dropped while it waited
            }
            if (retainer != null) {
                retainer.offer(message, this::release); // its slot is given back when the subscriber has it
                return;
            }
            try {
                handling.run();
            } finally {
                release();
            }
        }

        /** The handler is done with it: its slot goes back (once). */
        void release() {
            if (STATE.compareAndSet(this, TAKEN, RELEASED)) {
                give(bytes);
            }
        }

        /** Drops it if its handler has not begun it. */
        boolean drop() {
            if (STATE.compareAndSet(this, WAITING, DROPPED)) {
                give(bytes);
                DROPPED_QOS0.incrementAndGet(InboundLimit.this);
                return true;
            }
            return false;
        }

        boolean begun() {
            return state != WAITING;
        }
    }

    private final int maxMessages;
    private final long maxBytes;
    private final InboundOverflow overflow;
    private final Runnable resume;
    // counted by the loop and by handler threads: fields with updaters, not an atomic object each (held per client)
    private static final AtomicIntegerFieldUpdater<InboundLimit> MESSAGES =
            AtomicIntegerFieldUpdater.newUpdater(InboundLimit.class, "messages");
    private static final AtomicLongFieldUpdater<InboundLimit> BYTES =
            AtomicLongFieldUpdater.newUpdater(InboundLimit.class, "bytes");
    private static final AtomicLongFieldUpdater<InboundLimit> DROPPED_QOS0 =
            AtomicLongFieldUpdater.newUpdater(InboundLimit.class, "droppedQos0");
    private static final AtomicLongFieldUpdater<InboundLimit> PAUSES =
            AtomicLongFieldUpdater.newUpdater(InboundLimit.class, "pauses");
    private volatile int messages;
    private volatile long bytes;
    private volatile long droppedQos0;
    private volatile long pauses;
    private volatile boolean paused;
    /** The most messages and bytes ever pending at once, for the metrics and the tests that prove the bound. */
    private volatile int peakMessages;
    private volatile long peakBytes;
    /** QoS 0 deliveries not yet begun, oldest first, for {@link InboundOverflow#DROP_OLDEST_QOS0}; loop only. */
    private final ArrayDeque<Delivery> waitingQos0;

    /**
     * @param resume run (from a handler's thread) when reading may go on; it must hand the work to the event loop
     */
    InboundLimit(int maxMessages, long maxBytes, InboundOverflow overflow, Runnable resume) {
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
        this.overflow = overflow;
        this.resume = resume;
        this.waitingQos0 = overflow == InboundOverflow.DROP_OLDEST_QOS0 ? new ArrayDeque<>() : null;
    }

    /**
     * A message for a handler: its delivery, with a slot taken, or null when it is dropped instead (a QoS 0 message
     * under {@link InboundOverflow#DROP_NEWEST_QOS0} finding the bound reached). Under
     * {@link InboundOverflow#DROP_OLDEST_QOS0} an older waiting QoS 0 message may be dropped to make room.
     */
    Delivery take(MqttEvent.Publish m, Runnable handling) {
        return take(m, handling, null);
    }

    /** {@link #take(MqttEvent.Publish, Runnable)} for a handler that gives the slot back itself, later. */
    Delivery takeRetained(MqttEvent.Publish m, RetainingHandler retainer) {
        return take(m, null, retainer);
    }

    private Delivery take(MqttEvent.Publish m, Runnable handling, RetainingHandler retainer) {
        int size = m.payloadLength();
        if (m.qos() == dev.wren.mqtt.Qos.AT_MOST_ONCE && atBound(size)) {
            if (overflow == InboundOverflow.DROP_NEWEST_QOS0) {
                DROPPED_QOS0.incrementAndGet(InboundLimit.this);
                return null;
            }
            if (waitingQos0 != null) {
                makeRoom(size);
            }
        }
        Delivery d = new Delivery(size, handling, retainer, m);
        int n = MESSAGES.incrementAndGet(this);
        long b = BYTES.addAndGet(this, size);
        if (n > peakMessages) {
            peakMessages = n;
        }
        if (b > peakBytes) {
            peakBytes = b;
        }
        if (waitingQos0 != null && m.qos() == dev.wren.mqtt.Qos.AT_MOST_ONCE) {
            while (!waitingQos0.isEmpty() && waitingQos0.peekFirst().begun()) {
                waitingQos0.pollFirst();
            }
            waitingQos0.addLast(d);
        }
        return d;
    }

    private void makeRoom(int size) {
        while (atBound(size)) {
            Delivery oldest = waitingQos0.pollFirst();
            if (oldest == null) {
                return;
            }
            oldest.drop();
        }
    }

    private boolean atBound(int more) {
        return messages + 1 > maxMessages || bytes + more > maxBytes;
    }

    /**
     * Whether the loop must stop reading now: a bound is reached. Marks the pause, so that the handler that brings
     * the counts back down resumes reading.
     */
    boolean full() {
        if (under()) {
            return false;
        }
        if (!paused) {
            paused = true;
            PAUSES.incrementAndGet(this);
            // a handler may have brought the counts down between the check and the mark: look again
            if (under()) {
                unpause();
                return false;
            }
        }
        return true;
    }

    /**
     * Whether reading may go on: under both bounds; with a drop policy, not past them (QoS 0 messages at the bound
     * are dropped, so only QoS 1 and 2 ones, which are always taken, can pass it).
     */
    private boolean under() {
        if (overflow == InboundOverflow.STOP_READING) {
            return messages < maxMessages && bytes < maxBytes;
        }
        return messages <= maxMessages && bytes <= maxBytes;
    }

    boolean paused() {
        return paused;
    }

    /** A handler is done with a message of {@code size} bytes (or it was dropped). */
    void give(int size) {
        int n = MESSAGES.decrementAndGet(this);
        long b = BYTES.addAndGet(this, -size);
        if (paused && n <= maxMessages * 3L / 4 && b <= maxBytes * 3 / 4) {
            unpause();
        }
    }

    private void unpause() {
        synchronized (this) {
            if (!paused) {
                return;
            }
            paused = false;
        }
        resume.run();
    }

    int pendingMessages() {
        return messages;
    }

    long pendingBytes() {
        return bytes;
    }

    int peakMessages() {
        return peakMessages;
    }

    long peakBytes() {
        return peakBytes;
    }

    long droppedQos0() {
        return droppedQos0;
    }

    /** How many times reading stopped. */
    long pauses() {
        return pauses;
    }
}
