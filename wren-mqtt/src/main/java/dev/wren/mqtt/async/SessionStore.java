package dev.wren.mqtt.async;

import dev.wren.mqtt.Qos;
import java.util.List;

/**
 * Where an {@link AsyncMqttClient} keeps the QoS 1 and 2 messages it has accepted but the broker has not yet
 * acknowledged, so that they survive a reconnect ({@link #memory()}) or a process restart ({@link #files}).
 *
 * <p>The client calls {@link #add} on the publishing thread before {@code publish} returns. {@link #assigned},
 * {@link #released} and {@link #remove} it calls in order on a thread of its own (never on the event loop, which
 * other clients share), and it holds its network writes back until the update a packet depends on has returned:
 * {@link #assigned} before the PUBLISH goes out with its packet identifier, {@link #released} (the broker's PUBREC)
 * before the PUBREL goes out; {@link #remove} when the message is done. So a crash at any moment finds the store
 * telling what to send after a restart: a PUBLISH again with its identifier, or only the PUBREL. {@link #load()} is
 * called once, when the client is built.
 *
 * <p>Implementations must be thread-safe.
 */
public interface SessionStore extends AutoCloseable {

    /**
     * A stored message.
     *
     * @param key      the store's key, increasing in the order messages were added
     * @param packetId the packet identifier it was sent with, or 0 if not sent yet
     * @param released whether the broker had answered with PUBREC (only PUBREL is left to send)
     */
    record StoredMessage(long key, String topic, Qos qos, boolean retain, byte[] payload, int packetId,
                         boolean released) {
    }

    /** Stores a new message; returns its key. */
    long add(String topic, Qos qos, boolean retain, byte[] payload);

    /** The message was sent with {@code packetId}. */
    void assigned(long key, int packetId);

    /** The broker answered the QoS 2 message with PUBREC. */
    void released(long key);

    /** The message is complete (or given up). */
    void remove(long key);

    /** Every stored message, oldest first. */
    List<StoredMessage> load();

    /**
     * How long the broker keeps the session (MQTT 5.0's Session Expiry Interval; for MQTT 3.1.1 a kept session never
     * expires), and when its last connection ended.
     *
     * @param expirySeconds  the interval in seconds, 4,294,967,295 for never
     * @param endedAtMillis  when the last connection ended (epoch milliseconds), or -1 while one is open
     */
    record SessionExpiry(long expirySeconds, long endedAtMillis) {
        /** Whether the broker has discarded the session by {@code nowMillis}. */
        public boolean expired(long nowMillis) {
            return endedAtMillis >= 0 && expirySeconds != 0xFFFF_FFFFL
                    && nowMillis - endedAtMillis > expirySeconds * 1000;
        }
    }

    /**
     * Records the session's expiry, when a connection is accepted ({@code endedAtMillis} -1) and when it ends; called
     * like the other updates, on the client's store thread. The default keeps nothing: a store that outlives the
     * process (the file store) records it, so that a restart after the session expired does not resend messages
     * the broker no longer has as if it did (they go again as new ones).
     */
    default void sessionExpiry(SessionExpiry expiry) {
    }

    /** The last {@link #sessionExpiry} recorded, or null if none. */
    default SessionExpiry loadSessionExpiry() {
        return null;
    }

    @Override
    default void close() {
    }

    /**
     * Keeps nothing beyond the client's own memory: messages survive reconnects, not a process restart. One stateless
     * instance serves every client (the client holds the messages themselves).
     */
    static SessionStore memory() {
        return MemorySessionStore.INSTANCE;
    }

    /**
     * Keeps messages as files in {@code directory} (created if missing; nothing is written anywhere else), each
     * write made durable (temporary file, fsync, atomic rename, directory fsync) before the call returns.
     */
    static SessionStore files(java.nio.file.Path directory) {
        return new FileSessionStore(directory);
    }
}
