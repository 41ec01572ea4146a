package dev.wren.mqtt.async;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One thread and one {@link Selector} driving many connections: it waits on their channels, calls
 * {@code input()} and {@code live()} when they are ready or due, and runs tasks and timers handed to it. Thousands of
 * connections share it; an application that wants more threads creates a few loops (at most one per core) and
 * spreads its clients over them.
 *
 * <p>Thread-safe: {@link #execute(Runnable)} and {@link #close()} may be called from any thread; everything else
 * that touches connections runs on the loop's own thread.
 */
public final class EventLoop implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.wren.mqtt.async.EventLoop");

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static volatile EventLoop shared;

    /**
     * How soon a connection looks again at a deadline that was still due right after it was driven, in
     * milliseconds.
     */
    static final long TICK_MILLIS = 50;

    /**
     * How often the loop sweeps every connection for a deadline it might have missed, in milliseconds: a safety net
     * only, since each connection sets a call-back for its own next deadline; rare, so that thousands of idle
     * connections cost the loop little.
     */
    static final long SWEEP_MILLIS = 5_000;

    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final List<Connection> connections = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private long timerSeq;

    /** What the loop drives: implemented by the asynchronous client. Called on the loop thread only. */
    interface Connection {
        /** The channel is ready (readable, writable or connectable). */
        void ready();

        /** The periodic sweep ({@link #SWEEP_MILLIS}): a deadline the connection's own call-back missed. */
        void tick();
    }

    private record Timer(long at, long seq, Runnable task) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer o) {
            return at != o.at ? Long.compare(at, o.at) : Long.compare(seq, o.seq);
        }
    }

    /** This loop's sweep interval ({@link #SWEEP_MILLIS}, or what a test asks for). */
    private final long sweepMillis;

    private EventLoop(String name, long sweepMillis) {
        this.sweepMillis = sweepMillis;
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Starts a new loop on a new daemon thread.
     *
     * @param name the thread's name
     * @return the started loop
     */
    public static EventLoop start(String name) {
        return new EventLoop(name, SWEEP_MILLIS);
    }

    /** A loop whose safety sweep runs every {@code sweepMillis}: for tests that show it is not what serves a deadline. */
    static EventLoop start(String name, long sweepMillis) {
        return new EventLoop(name, sweepMillis);
    }

    /**
     * The loop clients use when none is given: one daemon thread for the whole JVM, started on first use.
     *
     * @return the shared loop
     */
    public static EventLoop shared() {
        EventLoop s = shared;
        if (s == null) {
            synchronized (EventLoop.class) {
                if (shared == null) {
                    shared = start("wren-loop-" + COUNTER.getAndIncrement());
                }
                s = shared;
            }
        }
        return s;
    }

    /**
     * Whether the calling thread is this loop's thread.
     *
     * @return whether the caller is on the loop
     */
    public boolean inEventLoop() {
        return Thread.currentThread() == thread;
    }

    /**
     * Runs {@code task} on the loop thread, soon.
     *
     * @param task the task
     */
    public void execute(Runnable task) {
        tasks.add(task);
        if (!inEventLoop() && wakeupPending.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    /** Runs {@code task} on the loop thread after {@code delayMillis}. Any thread. */
    void schedule(Runnable task, long delayMillis) {
        if (!inEventLoop()) {
            long at = now() + delayMillis;
            execute(() -> schedule(task, Math.max(0, at - now())));
            return;
        }
        timers.add(new Timer(now() + delayMillis, timerSeq++, task));
    }

    Selector selector() {
        return selector;
    }

    void add(Connection c) {
        connections.add(c);
    }

    void remove(Connection c) {
        connections.remove(c);
    }

    private void run() {
        long nextTick = now() + sweepMillis;
        try {
            while (running) {
                long now = now();
                long timeout = Math.max(1, nextTick - now);
                Timer first = timers.peek();
                if (first != null) {
                    timeout = Math.max(1, Math.min(timeout, first.at - now));
                }
                if (tasks.isEmpty()) {
                    selector.select(timeout);
                } else {
                    selector.selectNow();
                }
                wakeupPending.set(false);
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isValid() && key.attachment() instanceof Connection c) {
                        guard(c::ready);
                    }
                }
                selector.selectedKeys().clear();
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    guard(task);
                }
                now = now();
                while ((first = timers.peek()) != null && first.at <= now) {
                    timers.poll();
                    guard(first.task);
                }
                if (now >= nextTick) {
                    nextTick = now + sweepMillis;
                    for (int i = 0; i < connections.size(); i++) {
                        guard(connections.get(i)::tick);
                    }
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "wren event loop " + thread.getName() + " stopped", e);
        } finally {
            try {
                selector.close();
            } catch (IOException ignored) {
                // closing
            }
            stopped.countDown();
        }
    }

    private static void guard(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException | Error e) {
            // a bug in a callback must not stop every connection on the loop
            LOG.log(System.Logger.Level.WARNING, "wren event loop: a task failed; the loop goes on", e);
        }
    }

    /** Stops the loop thread (connections on it stop being served). Waits up to a second. */
    @Override
    public void close() {
        running = false;
        selector.wakeup();
        if (!inEventLoop()) {
            try {
                stopped.await(1, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static long now() {
        return System.nanoTime() / 1_000_000;
    }
}
