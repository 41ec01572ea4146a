package dev.wren.mqtt.async;

import dev.wren.mqtt.Qos;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-memory {@link SessionStore}: the client keeps its unacknowledged messages itself, so this store only hands
 * out increasing keys. One instance for the whole JVM, so that an idle client costs no store of its own.
 *
 * <p>Thread-safe.
 */
final class MemorySessionStore implements SessionStore {
    static final MemorySessionStore INSTANCE = new MemorySessionStore();

    private final AtomicLong keys = new AtomicLong();

    private MemorySessionStore() {
    }

    @Override
    public long add(String topic, Qos qos, boolean retain, byte[] payload) {
        return keys.incrementAndGet();
    }

    @Override
    public void assigned(long key, int packetId) {
        // nothing to keep: the client holds the message
    }

    @Override
    public void released(long key) {
        // nothing to keep
    }

    @Override
    public void remove(long key) {
        // nothing to keep
    }

    @Override
    public List<StoredMessage> load() {
        return List.of();
    }
}
