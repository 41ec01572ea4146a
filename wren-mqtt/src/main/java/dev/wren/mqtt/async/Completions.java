package dev.wren.mqtt.async;

import dev.wren.mqtt.MqttEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Where an {@link AsyncMqttClient}'s results go: its futures completed on the callback executor in batches (one
 * hand-off per round of the event loop, not one per packet), and its connection events on a thread of their own.
 * Futures nobody waits on complete at once, without a hand-off.
 *
 * <p>Not thread-safe: used under its client's lock. The two JVM-wide threads it hands to are thread-safe.
 */
final class Completions {
    private final Options options;
    /** Schedules a hand-over when a batch is begun off the event loop. */
    private final Runnable handOverSoon;
    private Executor completions;
    private List<Runnable> batch;

    Completions(Options options, Runnable handOverSoon) {
        this.options = options;
        this.handOverSoon = handOverSoon;
    }

    /**
     * Runs future completions and connection callbacks in order on the callback executor. The default callback
     * executor is one thread, in order already, and is used as it is; an application's executor is wrapped in a
     * {@link SerialExecutor}.
     */
    Executor executor() {
        if (completions == null) {
            completions = options.executor == null ? SharedThreads.CALLBACKS
                    : new SerialExecutor(options.executor, options.errorHandler);
        }
        return completions;
    }

    /** Where message handlers run: the application's executor, or the shared callback thread. */
    Executor callbackExecutor() {
        return options.executor != null ? options.executor : SharedThreads.CALLBACKS;
    }

    /**
     * Completes at once when nothing waits on the future; otherwise on the callback executor, in a batch with the
     * other completions of this round (handed over at the end of the round, or by the flush task scheduled then).
     */
    <T> void complete(CompletableFuture<T> f, T value, Throwable error) {
        if (f == null || f.isDone()) {
            return;
        }
        if (f.getNumberOfDependents() == 0) {
            finish(f, value, error);
            return;
        }
        Runnable completion = () -> finish(f, value, error);
        if (f instanceof WrenFuture<T> w && w.completeNowIfWaitedOn(completion)) {
            return; // a thread waits on it: it needs no callback executor, which may be that very thread
        }
        if (batch == null) {
            batch = new ArrayList<>();
            handOverSoon.run();
        }
        batch.add(completion);
    }

    /**
     * Hands the messages and completions gathered since the last call to the callback executors: each
     * subscription's messages as one run of its serial executor (first, as they arrived before the round ended),
     * then the completions as one task.
     */
    void handOver(Subscriptions subscriptions) {
        // again while handing over made more (an inline executor runs callbacks here, and they may publish)
        while ((subscriptions != null && subscriptions.hasBatch()) || batch != null) {
            if (subscriptions != null) {
                subscriptions.handOver();
            }
            List<Runnable> b = batch;
            if (b != null) {
                batch = null;
                executor().execute(() -> {
                    for (Runnable r : b) {
                        r.run();
                    }
                });
            }
        }
    }

    /** Tells the connection listener, on its own thread: in order, never behind a handler's backlog. */
    void connectionEvent(MqttEvent event) {
        Consumer<MqttEvent> listener = options.connectionListener;
        if (listener != null) {
            SharedThreads.CONNECTION_EVENTS.execute(() -> {
                try {
                    listener.accept(event);
                } catch (RuntimeException e) {
                    options.errorHandler.accept(e);
                }
            });
        }
    }

    private static <T> void finish(CompletableFuture<T> f, T value, Throwable error) {
        if (error != null) {
            f.completeExceptionally(error);
        } else {
            f.complete(value);
        }
    }

    /**
     * The JVM-wide daemon threads of the async clients, each started when first used (a holder class: lazy and
     * thread-safe): the callback thread, and the thread connection events run on, apart from it, so that a lost
     * connection is reported at once even while handlers are behind with their messages.
     */
    private static final class SharedThreads {
        static final ExecutorService CALLBACKS = singleDaemonThread("wren-callbacks");
        static final ExecutorService CONNECTION_EVENTS = singleDaemonThread("wren-connection-events");

        private static ExecutorService singleDaemonThread(String name) {
            return Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            });
        }
    }
}
