package dev.wren.mqtt.async;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * Consecutive queued QoS 0 messages without properties, expiry or "only if connected", kept as one queue entry:
 * their payloads copied one after another into one array, their lengths, retain flags and futures in arrays, a topic
 * stored once for each run of messages to the same topic. A message queued on its own costs a queue entry, a copy
 * of its payload with its array header, and a buffer around it (about 220 bytes beyond the payload); here it costs
 * its payload and 8 bytes, and its future. Taken from the front in publishing order.
 *
 * <p>Not thread-safe: guarded by the client's lock, like the queue it is in.
 */
final class AtMostOnceRun extends OutgoingMessages.Outgoing {
    /** The largest payload kept in a run; a larger one is queued on its own. */
    static final int MAX_PAYLOAD = 4096;
    /** The largest payload array of a run. */
    static final int MAX_BYTES = 16384;
    /** The smallest payload array of a run. */
    static final int MIN_BYTES = 1024;
    private static final int MAX_MESSAGES = 1024;
    private static final int RETAIN = 1 << 31;
    private static final int NEW_TOPIC = 1 << 30;
    private static final int LENGTH = NEW_TOPIC - 1;

    private final byte[] bytes;
    private final ByteBuffer view;
    /** Per message: its payload's length, with {@link #RETAIN} and {@link #NEW_TOPIC} (the next topic is its). */
    private int[] lengths;
    private CompletableFuture<?>[] futures;
    private String[] topics = new String[2];
    private int count;
    /** How many messages have been taken from the front. */
    private int read;
    private int written;
    private int topicCount;
    /** Of the first message not taken yet: where its payload starts, and its topic's index. */
    private int readOffset;
    private int readTopic = -1;

    /** An empty run whose payload array has {@code bytes} bytes. */
    AtMostOnceRun(int bytes) {
        super();
        this.bytes = new byte[bytes];
        this.view = ByteBuffer.wrap(this.bytes);
        int messages = Math.max(8, Math.min(MAX_MESSAGES, bytes / 64));
        this.lengths = new int[messages];
        this.futures = new CompletableFuture<?>[messages];
    }

    /** The size of the payload array. */
    int capacity() {
        return bytes.length;
    }

    /** Appends a message; false (nothing changed) if the run has no room for it. */
    boolean add(String topic, boolean retain, byte[] payload, CompletableFuture<Void> future) {
        if (written + payload.length > bytes.length || count == MAX_MESSAGES) {
            return false;
        }
        if (count == lengths.length) {
            int n = Math.min(MAX_MESSAGES, count * 2);
            lengths = Arrays.copyOf(lengths, n);
            futures = Arrays.copyOf(futures, n);
        }
        int entry = payload.length;
        if (topicCount == 0 || !topics[topicCount - 1].equals(topic)) {
            if (topicCount == topics.length) {
                topics = Arrays.copyOf(topics, topicCount * 2);
            }
            topics[topicCount++] = topic;
            entry |= NEW_TOPIC;
        }
        if (retain) {
            entry |= RETAIN;
        }
        System.arraycopy(payload, 0, bytes, written, payload.length);
        written += payload.length;
        lengths[count] = entry;
        futures[count] = future;
        count++;
        return true;
    }

    /** How many messages have not been taken. */
    int remaining() {
        return count - read;
    }

    /** The first message's topic. */
    String firstTopic() {
        return (lengths[read] & NEW_TOPIC) != 0 ? topics[readTopic + 1] : topics[readTopic];
    }

    boolean firstRetain() {
        return (lengths[read] & RETAIN) != 0;
    }

    /** The first message's payload size. */
    int firstSize() {
        return lengths[read] & LENGTH;
    }

    /** The first message's payload, as a view that is only good until {@link #takeFirst()}. */
    ByteBuffer firstPayload() {
        view.limit(readOffset + firstSize()).position(readOffset);
        return view;
    }

    @SuppressWarnings("unchecked")
    CompletableFuture<Void> firstFuture() {
        return (CompletableFuture<Void>) futures[read];
    }

    /** Takes the first message out (sent, dropped or failed). */
    void takeFirst() {
        if ((lengths[read] & NEW_TOPIC) != 0) {
            readTopic++;
        }
        readOffset += firstSize();
        futures[read] = null;
        read++;
    }
}
