package dev.wren.mqtt.async;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Runs tasks one at a time, in submission order, on another executor: keeps the order of one subscription's
 * messages even on a multi-threaded executor. Drains everything queued in one run, so a burst costs one hand-off.
 * The queue is made by the first task: a subscription that never had a message holds none, and one that had keeps
 * it, so that the receive path allocates no queue per burst.
 *
 * <p>Thread-safe: guarded by its own monitor.
 */
final class SerialExecutor implements Executor {
    private final Executor delegate;
    private final Consumer<Throwable> errors;
    /** The tasks waiting; made by the first. Guarded by this. */
    private ArrayDeque<Runnable> queue;
    private boolean running;

    SerialExecutor(Executor delegate, Consumer<Throwable> errors) {
        this.delegate = delegate;
        this.errors = errors;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            add(task);
            if (running) {
                return;
            }
            running = true;
        }
        delegate.execute(this::drain);
    }

    /**
     * Queues a task without handing the queue to the delegate yet: true if the caller must call {@link #schedule()}
     * (soon, and once), false if a run is already scheduled or running and will take the task too. Lets the event
     * loop hand a whole round's messages over in one go instead of waking the delegate for the first of them.
     */
    boolean enqueue(Runnable task) {
        synchronized (this) {
            add(task);
            if (running) {
                return false;
            }
            running = true;
            return true;
        }
    }

    private void add(Runnable task) {
        if (queue == null) {
            queue = new ArrayDeque<>(4);
        }
        queue.add(task);
    }

    /** Hands the queue to the delegate; only after {@link #enqueue(Runnable)} returned true. */
    void schedule() {
        delegate.execute(this::drain);
    }

    private void drain() {
        while (true) {
            Runnable task;
            synchronized (this) {
                task = queue == null ? null : queue.poll();
                if (task == null) {
                    running = false;
                    return;
                }
            }
            try {
                task.run();
            } catch (Throwable t) {
                errors.accept(t);
            }
        }
    }
}
