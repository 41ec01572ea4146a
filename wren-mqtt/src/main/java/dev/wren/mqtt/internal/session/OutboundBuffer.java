package dev.wren.mqtt.internal.session;

import java.nio.ByteBuffer;

/**
 * Bytes waiting to be written: a fixed transmit buffer for encoded packets, plus up to
 * {@value #MAX_REFERENCED} large payloads referenced from the application's buffers without being copied.
 *
 * <p>Packets are encoded straight into the transmit buffer. A referenced payload is anchored at the transmit
 * buffer offset where it belongs, so order is kept: the header before it, later packets after it.
 * {@link #gather()} lays everything pending out as one array for a single gathering write (no per-write
 * allocation: the views are made once); {@link #afterWrite()} releases what the write took.
 *
 * <p>The transmit buffer may be {@linkplain #release() given up} while nothing is pending (an idle connection of the
 * asynchronous client) and is allocated again by the next {@link #reserve(int)}. With a limit above its capacity it
 * grows (to the next power of two that takes what is pending, at most the limit) when a packet finds no room while
 * nothing is laid out for a write, so that a burst of small packets goes out in few large writes instead of
 * waiting for the socket every few kilobytes; {@link #shrinkIfUnused()} takes it back to its capacity.
 *
 * <p>Not thread-safe. Performs no I/O.
 */
final class OutboundBuffer {
    static final int MAX_REFERENCED = 8;

    /**
     * The most bytes of a heap payload offered to one write. NIO copies a heap buffer's whole remaining content
     * into a temporary direct buffer on every write; without a cap, a 10 MB payload written in small partial writes
     * would be copied again and again.
     */
    static final int HEAP_WRITE_CHUNK = 64 * 1024;

    private final int capacity;
    /** How far the transmit buffer may grow; {@code capacity} for a fixed one. */
    private final int limit;
    /** Bytes beyond {@code capacity} were pending since the last {@link #shrinkIfUnused()}. */
    private boolean grownUsed;
    /** The transmit buffer; null while released. */
    private ByteBuffer tx;
    private int readPos;
    // the arrays below are made when first needed: an idle connection should cost little heap
    private int[] anchors;
    private ByteBuffer[] referenced;
    private int[] referencedEnd;
    private int head;
    private int count;
    private ByteBuffer[] txViews; // views of the transmit buffer between referenced payloads
    private ByteBuffer[] segments = new ByteBuffer[1];
    private int segmentCount;
    /** Where encoding goes on while the transmit buffer itself is laid out for a write (-1: it is not). */
    private int encodePosition = -1;

    /** A fixed transmit buffer. */
    OutboundBuffer(ByteBuffer tx) {
        this(tx, tx.capacity());
    }

    /** A transmit buffer that may grow to {@code limit} bytes (at least its capacity). */
    OutboundBuffer(ByteBuffer tx, int limit) {
        this.tx = tx;
        this.capacity = tx.capacity();
        this.limit = Math.max(limit, capacity);
    }

    /** The configured capacity (what a packet is measured against; a grown buffer is larger for a while). */
    int capacity() {
        return capacity;
    }

    /** The capacity of the buffer held now (0 while released). */
    int currentCapacity() {
        return tx == null ? 0 : tx.capacity();
    }

    boolean isEmpty() {
        return count == 0 && (tx == null || readPos == tx.position());
    }

    /**
     * Gives up the transmit buffer if nothing is pending (nor laid out for a write), so that an idle connection
     * holds none; the next {@link #reserve(int)} allocates one again. Returns whether it is released now.
     */
    boolean release() {
        if (tx != null && isEmpty() && encodePosition < 0) {
            clearSegments();
            if (tx.capacity() == capacity) { // not a grown one: the next connection here takes the configured size
                DirectBufferPool.give(tx); // nothing refers to it any more
            }
            tx = null;
            txViews = null; // views of the buffer given up
        }
        return tx == null;
    }

    /** Whether the transmit buffer is given up now. */
    boolean released() {
        return tx == null;
    }

    /** Drops everything pending (the connection is gone). */
    void clear() {
        if (tx != null) {
            tx.clear();
        }
        readPos = 0;
        encodePosition = -1;
        clearSegments();
        if (referenced != null) {
            java.util.Arrays.fill(referenced, null);
        }
        head = 0;
        count = 0;
    }

    /**
     * The transmit buffer positioned for {@code n} more bytes, compacting if that makes room; or {@code null} when
     * there is no room until a write drains it.
     */
    ByteBuffer reserve(int n) {
        takeBuffer();
        if (tx.remaining() < n) {
            int pending = tx.position() - readPos;
            if (readPos > 0 && tx.capacity() - pending >= n) {
                compact();
            } else if (tx.capacity() < limit && pending + (long) n <= limit && encodePosition < 0
                    && segmentCount == 0) {
                grow(pending + n);
            } else {
                return null;
            }
        }
        if (tx.position() + n > capacity) {
            grownUsed = true;
        }
        return tx;
    }

    /**
     * A larger transmit buffer holding what is pending, at the start: the next power of two that takes
     * {@code needed} bytes (at least twice the present one), at most the limit. Only while nothing is laid out for a
     * write, so that no gathered view points into the buffer given up.
     */
    private void grow(int needed) {
        int size = Math.min(limit, Math.max(tx.capacity() * 2, Integer.highestOneBit(needed - 1) << 1));
        ByteBuffer bigger = ByteBuffer.allocateDirect(size);
        tx.limit(tx.position()).position(readPos);
        bigger.put(tx);
        shiftAnchors(readPos);
        tx = bigger;
        readPos = 0;
        txViews = null; // views of the buffer given up
    }

    /**
     * Back to a buffer of the configured capacity if this one grew, holds nothing, and nothing beyond the capacity
     * was pending since the last call (the owner calls it every few seconds): a connection that had one burst does
     * not keep the large buffer. The smaller buffer is allocated by the next {@link #reserve(int)}.
     */
    void shrinkIfUnused() {
        if (tx != null && tx.capacity() > capacity && !grownUsed) {
            release();
        }
        grownUsed = false;
    }

    /** Whether another payload can be referenced. */
    boolean canReference() {
        return count < MAX_REFERENCED;
    }

    /**
     * Whether {@code n} more bytes would fit now (compacting if that makes room), without taking a buffer again
     * when it was given up: one of the configured size would.
     */
    boolean hasRoom(int n) {
        return tx == null ? capacity >= n : reserve(n) != null;
    }

    /** A transmit buffer of the configured size again, if it was given up. */
    private void takeBuffer() {
        if (tx == null) {
            tx = DirectBufferPool.take(capacity);
            readPos = 0;
        }
    }

    /** Queues {@code payload} (which the caller must not change until written) after what is already pending. */
    void reference(ByteBuffer payload) {
        takeBuffer();
        if (referenced == null) {
            anchors = new int[MAX_REFERENCED];
            referenced = new ByteBuffer[MAX_REFERENCED];
            referencedEnd = new int[MAX_REFERENCED];
        }
        int slot = (head + count) % MAX_REFERENCED;
        anchors[slot] = tx.position();
        referenced[slot] = payload;
        referencedEnd[slot] = payload.limit();
        count++;
    }

    /**
     * Lays out all pending bytes as segments for one gathering write; returns the number of segments. With no
     * referenced payload, the transmit buffer itself is the one segment (no view to keep per connection); nothing
     * may be encoded until {@link #afterWrite()}.
     */
    int gather() {
        if (count == 0) {
            if (tx == null || tx.position() == readPos) {
                segmentCount = 0;
                return 0;
            }
            encodePosition = tx.position();
            tx.limit(encodePosition).position(readPos);
            segments[0] = tx;
            segmentCount = 1;
            return 1;
        }
        if (segments.length < 2 * count + 1) {
            segments = new ByteBuffer[2 * MAX_REFERENCED + 1];
        }
        if (txViews == null) {
            txViews = new ByteBuffer[MAX_REFERENCED + 1];
        }
        int n = 0;
        int from = readPos;
        for (int k = 0; k < count; k++) {
            int slot = (head + k) % MAX_REFERENCED;
            int anchor = anchors[slot];
            if (anchor > from) {
                segments[n++] = view(k, from, anchor);
            }
            ByteBuffer payload = referenced[slot];
            segments[n++] = payload;
            if (!payload.isDirect() && referencedEnd[slot] - payload.position() > HEAP_WRITE_CHUNK) {
                // offer a chunk, and nothing after it: what follows must wait for the rest of this payload
                payload.limit(payload.position() + HEAP_WRITE_CHUNK);
                segmentCount = n;
                return n;
            }
            from = anchor;
        }
        if (tx.position() > from) {
            segments[n++] = view(count, from, tx.position());
        }
        segmentCount = n;
        return n;
    }

    ByteBuffer[] segments() {
        return segments;
    }

    /** Releases what the last write of the {@link #gather()}ed segments consumed. */
    void afterWrite() {
        if (encodePosition >= 0) {
            readPos = tx.position();
            tx.limit(tx.capacity()).position(encodePosition);
            encodePosition = -1;
            if (readPos == tx.position()) {
                tx.clear();
                readPos = 0;
            }
            clearSegments();
            return;
        }
        int from = readPos;
        int s = 0;
        while (count > 0) {
            int anchor = anchors[head];
            if (anchor > from) {
                ByteBuffer v = segments[s++];
                if (v.hasRemaining()) {
                    readPos = v.position();
                    clearSegments();
                    return;
                }
                readPos = anchor;
            }
            ByteBuffer payload = segments[s++];
            payload.limit(referencedEnd[head]);
            if (payload.hasRemaining()) {
                clearSegments();
                return;
            }
            referenced[head] = null;
            head = (head + 1) % MAX_REFERENCED;
            count--;
            from = anchor;
        }
        if (s < segmentCount) {
            readPos = segments[s].position();
        }
        if (tx != null && readPos == tx.position()) {
            tx.clear();
            readPos = 0;
        }
        clearSegments();
    }

    private void clearSegments() {
        for (int i = 0; i < segmentCount; i++) {
            segments[i] = null;
        }
        segmentCount = 0;
    }

    private ByteBuffer view(int index, int from, int to) {
        ByteBuffer v = txViews[index];
        if (v == null) {
            v = tx.duplicate();
            txViews[index] = v;
        }
        v.limit(to);
        v.position(from);
        return v;
    }

    private void compact() {
        tx.limit(tx.position());
        tx.position(readPos);
        tx.compact();
        shiftAnchors(readPos);
        readPos = 0;
    }

    /** The pending bytes moved {@code shift} places towards the start: the referenced payloads' anchors move too. */
    private void shiftAnchors(int shift) {
        for (int k = 0; k < count; k++) {
            anchors[(head + k) % MAX_REFERENCED] -= shift;
        }
    }
}
