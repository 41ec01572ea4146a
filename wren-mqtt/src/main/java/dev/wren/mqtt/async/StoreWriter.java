package dev.wren.mqtt.async;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Makes an {@link AsyncMqttClient}'s session-store updates ({@link SessionStore#assigned}, {@link SessionStore#released},
 * {@link SessionStore#remove}) on a thread of the client's own, in order, so that a store that forces every write to
 * disk never stalls the event loop that other clients share. Each update gets a sequence number; the client holds
 * back its writes to the network until the update a packet depends on is durable ({@link #durable}), so the promise
 * of {@link SessionStore} holds as before: the identifier is stored before the PUBLISH leaves, the PUBREC before the
 * PUBREL. The in-memory store, which keeps nothing, is updated inline with no thread at all, by one writer that
 * every client with that store shares ({@link #forStore}): its updates are durable at once and it counts nothing.
 *
 * <p>Thread-safe: {@link #submit} is called under the client's lock, the updates run on the writer thread, and
 * {@link #durable} may be read from any thread; the shared in-memory writer keeps no state.
 */
final class StoreWriter {
    private final SessionStore store;
    private final Consumer<Throwable> errors;
    private final EventLoop loop;
    private final Object lock;
    private final Runnable onDurable;
    private final java.util.concurrent.atomic.AtomicBoolean resumeScheduled =
            new java.util.concurrent.atomic.AtomicBoolean();
    private final String name;
    private volatile ExecutorService thread;
    private long submitted;
    private volatile long done;

    /** The writer of every client whose store is the in-memory one: stateless, its updates done inline. */
    private static final StoreWriter INLINE = new StoreWriter(SessionStore.memory(), "memory", e -> { }, null, null,
            () -> { });

    /**
     * The writer for a client's {@code store}: the shared inline one for the in-memory store, else one of its own
     * (see the constructor).
     */
    static StoreWriter forStore(SessionStore store, String name, Consumer<Throwable> errors, EventLoop loop,
                                Object lock, Runnable onDurable) {
        return store == SessionStore.memory() ? INLINE : new StoreWriter(store, name, errors, loop, lock, onDurable);
    }

    /**
     * @param onDurable run on {@code loop} holding {@code lock} after updates finished (once for several that finish
     *                  close together), so that a client holding its writes back lets them go
     */
    StoreWriter(SessionStore store, String name, Consumer<Throwable> errors, EventLoop loop, Object lock,
                Runnable onDurable) {
        this.store = store;
        this.name = name;
        this.errors = errors;
        this.loop = loop;
        this.lock = lock;
        this.onDurable = onDurable;
    }

    private boolean inline() {
        return store == SessionStore.memory();
    }

    /** The message was sent with {@code packetId}; returns the update's sequence number. */
    long assigned(long key, int packetId) {
        if (inline()) { // the in-memory store: no update object per message on the publish path
            store.assigned(key, packetId);
            return doneInline();
        }
        return submit(() -> store.assigned(key, packetId));
    }

    /** The broker answered the QoS 2 message with PUBREC; returns the update's sequence number. */
    long released(long key) {
        if (inline()) {
            store.released(key);
            return doneInline();
        }
        return submit(() -> store.released(key));
    }

    /** The message is complete or given up; returns the update's sequence number. */
    long remove(long key) {
        if (inline()) {
            store.remove(key);
            return doneInline();
        }
        return submit(() -> store.remove(key));
    }

    /** An incoming QoS 2 message was received (before its PUBREC leaves); returns the update's sequence number. */
    long incomingReceived(int packetId) {
        if (inline()) {
            return doneInline();
        }
        return submit(() -> store.incomingReceived(packetId));
    }

    /** An incoming QoS 2 message was released (before its PUBCOMP leaves); returns the update's sequence number. */
    long incomingReleased(int packetId) {
        if (inline()) {
            return doneInline();
        }
        return submit(() -> store.incomingReleased(packetId));
    }

    /** The broker has no session: the incoming QoS 2 identifiers are forgotten; returns the update's number. */
    long incomingCleared() {
        if (inline()) {
            return doneInline();
        }
        return submit(store::incomingCleared);
    }

    /** Records the session's expiry and when its connection ended (-1: open); returns the update's sequence number. */
    long sessionExpiry(SessionStore.SessionExpiry expiry) {
        if (inline()) {
            return doneInline();
        }
        return submit(() -> store.sessionExpiry(expiry));
    }

    /** An update made inline: done at once, so it needs no sequence number (0, which is always durable). */
    private static long doneInline() {
        return 0;
    }

    /** Whether the update {@code seq} (and every earlier one) is done. */
    boolean durable(long seq) {
        return seq <= done;
    }

    private long submit(Runnable update) {
        long seq = ++submitted;
        if (thread == null) {
            thread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "wren-store-" + name);
                t.setDaemon(true);
                return t;
            });
        }
        Runnable task = () -> {
            try {
                update.run();
            } catch (RuntimeException e) {
                errors.accept(e); // the client goes on; the store's own state says what was kept
            }
            done = seq;
            if (resumeScheduled.compareAndSet(false, true)) {
                loop.execute(() -> {
                    resumeScheduled.set(false);
                    synchronized (lock) {
                        onDurable.run();
                    }
                });
            }
        };
        try {
            thread.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            task.run(); // the client is closing: an update that still comes is made here, not lost
        }
        return seq;
    }

    /**
     * Lets the updates submitted so far finish (up to {@code millis}), stops the thread, then closes the store (a
     * file store's directory lock goes; a failure to close goes to the error handler).
     */
    void close(long millis) {
        if (thread != null) {
            thread.shutdown();
            try {
                thread.awaitTermination(millis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            store.close();
        } catch (Exception e) {
            errors.accept(e);
        }
    }
}
