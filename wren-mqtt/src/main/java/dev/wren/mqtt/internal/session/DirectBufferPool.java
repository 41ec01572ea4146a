package dev.wren.mqtt.internal.session;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Small direct buffers that idle connections gave up, kept on the thread that gave them up for the next connection
 * there that needs one of the same size. An idle connection of the asynchronous client gives its receive and
 * transmit buffers up after a quiet spell and takes them again for its next packet, a keep-alive ping included:
 * without the pool, each ping of each of thousands of idle connections would allocate two direct buffers, whose
 * memory comes back only when the collector finds their owners, late once they have lived long enough to be
 * promoted. With it, the buffers go round among the connections of one event loop.
 *
 * <p>At most {@value #MAX_PER_SIZE} buffers of each of {@value #MAX_SIZES} sizes up to
 * {@value #MAX_POOLED_CAPACITY} bytes are kept per thread (about 128 KB of 4 KB buffers); others are left to the
 * collector. A buffer given back must not be used by its giver again.
 *
 * <p>Thread-safe: each thread has pools of its own; only the allocation count is shared.
 */
public final class DirectBufferPool {
    /** The most buffers of one size kept per thread. */
    static final int MAX_PER_SIZE = 32;
    /** The largest buffer kept: grown buffers (up to 64 KiB) are not. */
    static final int MAX_POOLED_CAPACITY = 16 * 1024;
    /** The most sizes kept per thread (clients configured with different buffer sizes). */
    static final int MAX_SIZES = 4;

    private static final ThreadLocal<DirectBufferPool> POOLS = ThreadLocal.withInitial(DirectBufferPool::new);
    private static final AtomicLong ALLOCATED = new AtomicLong();

    /** The buffers kept, by capacity; the first {@value #MAX_SIZES} capacities given get a queue. */
    private final java.util.HashMap<Integer, ArrayDeque<ByteBuffer>> free = new java.util.HashMap<>(8);

    private DirectBufferPool() {
    }

    /** A cleared direct buffer of {@code capacity} bytes: one given back on this thread, else a new one. */
    public static ByteBuffer take(int capacity) {
        ArrayDeque<ByteBuffer> q = POOLS.get().free.get(capacity);
        ByteBuffer b = q == null ? null : q.pollFirst();
        if (b == null) {
            ALLOCATED.incrementAndGet();
            return ByteBuffer.allocateDirect(capacity);
        }
        return b.clear();
    }

    /** Gives {@code buffer} back, to be kept on this thread if it is small, direct and there is room. */
    public static void give(ByteBuffer buffer) {
        if (buffer == null || !buffer.isDirect() || buffer.isReadOnly() || buffer.capacity() == 0
                || buffer.capacity() > MAX_POOLED_CAPACITY) {
            return;
        }
        java.util.HashMap<Integer, ArrayDeque<ByteBuffer>> free = POOLS.get().free;
        ArrayDeque<ByteBuffer> q = free.get(buffer.capacity());
        if (q == null && free.size() < MAX_SIZES) {
            q = new ArrayDeque<>(MAX_PER_SIZE);
            free.put(buffer.capacity(), q);
        }
        if (q != null && q.size() < MAX_PER_SIZE) {
            q.addFirst(buffer);
        }
    }

    /** Direct buffers {@link #take} allocated so far, on every thread (for tests and diagnostics). */
    public static long allocated() {
        return ALLOCATED.get();
    }
}
