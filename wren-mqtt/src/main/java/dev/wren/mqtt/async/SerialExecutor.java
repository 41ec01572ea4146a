package dev.wren.mqtt.async;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Runs tasks one at a time, in submission order, on another executor: keeps the order of one subscription's
 * messages even on a multi-threaded executor. Drains everything queued in one run, so a burst costs one hand-off.
 *
 * <p>Thread-safe.
 */
final class SerialExecutor implements Executor {
    private final Executor delegate;
    private final Consumer<Throwable> errors;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>(4);
    private boolean running;

    SerialExecutor(Executor delegate, Consumer<Throwable> errors) {
        this.delegate = delegate;
        this.errors = errors;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (queue) {
            queue.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        delegate.execute(this::drain);
    }

    private void drain() {
        while (true) {
            Runnable task;
            synchronized (queue) {
                task = queue.poll();
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
