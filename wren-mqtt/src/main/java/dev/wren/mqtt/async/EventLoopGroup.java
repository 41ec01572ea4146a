package dev.wren.mqtt.async;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small fixed pool of {@link EventLoop}s, at most one per core, handing them out in turn: for applications whose
 * connections need more than one thread.
 *
 * <p>Thread-safe.
 */
public final class EventLoopGroup implements AutoCloseable {
    private final List<EventLoop> loops = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();

    private EventLoopGroup(int threads, String name) {
        for (int i = 0; i < threads; i++) {
            loops.add(EventLoop.start(name + "-" + i));
        }
    }

    /**
     * Starts {@code threads} loops.
     *
     * @param threads how many loops
     * @param name the prefix of the threads' names
     * @return the started group
     * @throws IllegalArgumentException if {@code threads} is below 1 or above the number of cores
     */
    public static EventLoopGroup start(int threads, String name) {
        int cores = Runtime.getRuntime().availableProcessors();
        if (threads < 1 || threads > cores) {
            throw new IllegalArgumentException("threads must be 1.." + cores + " (one per core at most), was " + threads);
        }
        return new EventLoopGroup(threads, name);
    }

    /**
     * The next loop, in turn.
     *
     * @return an event loop of the group
     */
    public EventLoop next() {
        return loops.get(Math.floorMod(next.getAndIncrement(), loops.size()));
    }

    /**
     * The number of event loops (threads) in the group.
     *
     * @return the number of loops
     */
    public int size() {
        return loops.size();
    }

    @Override
    public void close() {
        loops.forEach(EventLoop::close);
    }
}
