package dev.wren.mqtt.async;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
 * ({@code allOf}), is not. Thread-safe.
 */
final class WrenFuture<T> extends CompletableFuture<T> {
    private final Runnable beforeWait;
    private volatile boolean waitedOn;
    private volatile Runnable pendingCompletion;

    WrenFuture() {
        this(null);
    }

    /**
     * @param beforeWait run by the first thread that waits while the future is not done, before it waits: a publish
     *                   has its message written out on that thread rather than wait for the event loop to write it
     */
    WrenFuture(Runnable beforeWait) {
        this.beforeWait = beforeWait;
    }

    /**
     * Called by the client instead of handing {@code completion} to the callback executor straight away: true if it
     * has been run here (a thread waits on this future), false if the caller must hand it over (then a waiter that
     * comes later runs it itself). Running it twice is harmless: a future completes once.
     */
    boolean completeNowIfWaitedOn(Runnable completion) {
        pendingCompletion = completion; // written before waitedOn is read; the waiter does the reverse
        if (waitedOn) {
            completion.run();
            return true;
        }
        return false;
    }

    private void takeOver() {
        boolean first = !waitedOn;
        waitedOn = true;
        Runnable r = pendingCompletion;
        if (r != null) {
            r.run();
        } else if (first && beforeWait != null && !isDone()) {
            beforeWait.run();
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
}
