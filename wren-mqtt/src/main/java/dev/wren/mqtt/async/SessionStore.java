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
 * before the PUBREL goes out; {@link #remove} when the message is done. Incoming QoS 2 messages are told likewise
 * ({@link #incomingReceived} before the PUBREC, {@link #incomingReleased} before the PUBCOMP). So a crash at any moment finds the store
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
     * @param expiresAtMillis when it expires unsent (epoch milliseconds; see {@link PublishOptions.Builder#expiry}),
     *                        0 for never
     */
    record StoredMessage(long key, String topic, Qos qos, boolean retain, byte[] payload, int packetId,
                         boolean released, long expiresAtMillis) {
        /**
         * A message that never expires.
         *
         * @param key the message's key
         * @param topic its topic
         * @param qos its QoS
         * @param retain its retain flag
         * @param payload its payload
         * @param packetId the packet identifier it was sent with, or 0
         * @param released whether the broker has answered with PUBREC
         */
        public StoredMessage(long key, String topic, Qos qos, boolean retain, byte[] payload, int packetId,
                             boolean released) {
            this(key, topic, qos, retain, payload, packetId, released, 0);
        }
    }

    /**
     * Stores a new message; returns its key.
     *
     * @param topic the message's topic
     * @param qos its quality of service, 1 or 2
     * @param retain its retain flag
     * @param payload its payload
     * @return the key that later calls name the message by
     */
    long add(String topic, Qos qos, boolean retain, byte[] payload);

    /**
     * Stores a new message that expires unsent at {@code expiresAtMillis} (epoch milliseconds, 0 for never); returns
     * its key. The default forgets the expiry (a restart sends the message whatever its age); the file store keeps it.
     *
     * @param topic the message's topic
     * @param qos its quality of service, 1 or 2
     * @param retain its retain flag
     * @param payload its payload
     * @param expiresAtMillis when it expires unsent, epoch milliseconds, 0 for never
     * @return the key that later calls name the message by
     */
    default long add(String topic, Qos qos, boolean retain, byte[] payload, long expiresAtMillis) {
        return add(topic, qos, retain, payload);
    }

    /**
     * The message was sent with {@code packetId}.
     *
     * @param key the message's key
     * @param packetId the packet identifier it was sent with
     */
    void assigned(long key, int packetId);

    /**
     * The broker answered the QoS 2 message with PUBREC.
     *
     * @param key the message's key
     */
    void released(long key);

    /**
     * The message is complete (or given up).
     *
     * @param key the message's key
     */
    void remove(long key);

    /**
     * Every stored message, oldest first.
     *
     * @return the messages
     */
    List<StoredMessage> load();

    /**
     * How long the broker keeps the session (MQTT 5.0's Session Expiry Interval; for MQTT 3.1.1 a kept session never
     * expires), and when its last connection ended.
     *
     * @param expirySeconds  the interval in seconds, 4,294,967,295 for never
     * @param endedAtMillis  when the last connection ended (epoch milliseconds), or -1 while one is open
     */
    record SessionExpiry(long expirySeconds, long endedAtMillis) {
        /**
         * Whether the broker has discarded the session by {@code nowMillis}.
         *
         * @param nowMillis the time, epoch milliseconds
         * @return whether it has expired
         */
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
     *
     * @param expiry the session's expiry
     */
    default void sessionExpiry(SessionExpiry expiry) {
    }

    /**
     * The last {@link #sessionExpiry} recorded, or null if none.
     *
     * @return the expiry, or null
     */
    default SessionExpiry loadSessionExpiry() {
        return null;
    }

    /**
     * A QoS 2 message with this packet identifier was received from the broker (and delivered, or acknowledged by the
     * application with manual acknowledgements): until {@link #incomingReleased} a copy of it is answered and not
     * delivered again, across a restart too. Called on the store thread before the PUBREC goes out. The default keeps
     * nothing (exactly-once then holds across reconnects, not across a restart); the file store keeps it.
     *
     * @param packetId the message's packet identifier
     */
    default void incomingReceived(int packetId) {
    }

    /**
     * The broker released the incoming QoS 2 message {@code packetId} (PUBREL); called before the PUBCOMP goes out.
     *
     * @param packetId the message's packet identifier
     */
    default void incomingReleased(int packetId) {
    }

    /** The broker has no session (or a clean one began): every incoming QoS 2 identifier is forgotten. */
    default void incomingCleared() {
    }

    /**
     * The incoming QoS 2 identifiers received and not yet released, as {@link #incomingReceived} left them.
     *
     * @return the packet identifiers
     */
    default int[] loadIncoming() {
        return new int[0];
    }

    @Override
    default void close() {
    }

    /**
     * Turns what a store writes into what it keeps and back: an application's encryption (AES-GCM, say) or
     * compression of {@link #files(java.nio.file.Path, Codec)}'s files. Must be thread-safe.
     */
    interface Codec {
        /**
         * What is written for {@code plain}.
         *
         * @param plain the bytes to store
         * @return the bytes to write
         */
        byte[] encode(byte[] plain);

        /**
         * The plain bytes of what {@link #encode} wrote.
         *
         * @param stored the bytes read
         * @return the plain bytes
         * @throws java.io.IOException if {@code stored} is not something this codec wrote (a wrong key, say)
         */
        byte[] decode(byte[] stored) throws java.io.IOException;
    }

    /**
     * Keeps nothing beyond the client's own memory: messages survive reconnects, not a process restart. One stateless
     * instance serves every client (the client holds the messages themselves).
     *
     * @return the in-memory store
     */
    static SessionStore memory() {
        return MemorySessionStore.INSTANCE;
    }

    /**
     * Keeps messages as files in {@code directory} (created if missing; nothing is written anywhere else), each
     * write made durable (temporary file, fsync, atomic rename, directory fsync) before the call returns. The
     * store holds an exclusive lock on the directory (a file {@code store.lock} in it) until it is closed, as the
     * client closes it, or the process ends.
     *
     * @param directory the directory for the files
     * @return the file store
     * @throws IllegalStateException if another store, in this process or another, holds the directory
     * @throws java.io.UncheckedIOException if the directory cannot be created or read
     */
    static SessionStore files(java.nio.file.Path directory) {
        return new FileSessionStore(directory, null);
    }

    /**
     * {@link #files(java.nio.file.Path)} with every file's content passed through {@code codec}: what is on disk is
     * only what the codec makes of it, for an application that must not leave payloads in the clear.
     *
     * @param directory the directory for the files
     * @param codec what each file's content passes through
     * @return the file store
     */
    static SessionStore files(java.nio.file.Path directory, Codec codec) {
        return new FileSessionStore(directory, java.util.Objects.requireNonNull(codec, "codec"));
    }
}
