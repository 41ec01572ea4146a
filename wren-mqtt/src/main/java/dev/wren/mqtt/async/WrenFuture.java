package dev.wren.mqtt.async;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * The futures {@link AsyncMqttClient} returns. They normally complete on the callback executor, so that callbacks
 * never run on the event loop. A thread that waits on one ({@link #get()}, {@link #join()}) needs no callback
 * executor, and may even be its only thread: a handler that publishes and waits for the PUBACK would otherwise wait
 * forever for a completion queued behind itself (the deadlock Paho issue #310 and HiveMQ issue #460 report). So a
 * waiter takes the completion over: whichever of the waiter and the event loop comes second completes the future
 * at once. A publish's future also has the waiting thread write the message out, if it is still in the transmit
 * buffer, instead of waiting for the event loop to do it.
 *
 * <p>Only waits on this future itself are seen; a wait on a future derived from it, or combined with others
 * ({@code allOf}), is not. Not final: {@link Publish} adds the write. Thread-safe.
 */
class WrenFuture<T> extends CompletableFuture<T> {
    /** {@link #state} once a thread waits on the future. */
    private static final Runnable WAITED = () -> { };
    @SuppressWarnings("rawtypes")
    private static final AtomicReferenceFieldUpdater<WrenFuture, Runnable> STATE =
            AtomicReferenceFieldUpdater.newUpdater(WrenFuture.class, Runnable.class, "state");
    /**
     * Null at first; the completion the client left for a waiter to run; or {@link #WAITED} once a thread waits.
     * One field rather than a flag and a completion: a QoS 0 publish makes one of these per message (24 bytes).
     */
    private volatile Runnable state;

    WrenFuture() {
    }

    /**
     * Called by the client instead of handing {@code completion} to the callback executor straight away: true if it
     * has been run here (a thread waits on this future), false if the caller must hand it over (then a waiter that
     * comes later runs it itself). Running it twice is harmless: a future completes once.
     */
    boolean completeNowIfWaitedOn(Runnable completion) {
        for (Runnable s; ; ) {
            if ((s = state) == WAITED) {
                completion.run();
                return true;
            }
            if (STATE.compareAndSet(this, s, completion)) {
                return false;
            }
        }
    }

    /** Run by the first thread that waits while the future is not done, before it waits; nothing here. */
    void beforeFirstWait() {
    }

    private void takeOver() {
        Runnable previous = STATE.getAndSet(this, WAITED);
        if (previous == null) {
            if (!isDone()) {
                beforeFirstWait();
            }
        } else if (previous != WAITED) {
            previous.run();
        }
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        takeOver();
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        takeOver();
        return super.get(timeout, unit);
    }

    @Override
    public T join() {
        takeOver();
        return super.join();
    }

    /**
     * A QoS 1/2 publish's future: its first waiter has the message written out on its own thread, if it is still in
     * the transmit buffer, rather than wait for the event loop to write it.
     */
    static final class Publish extends WrenFuture<Void> {
        private final Runnable writeNow;

        Publish(Runnable writeNow) {
            this.writeNow = writeNow;
        }

        @Override
        void beforeFirstWait() {
            writeNow.run();
        }
    }
}
