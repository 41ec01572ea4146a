package dev.wren.mqtt.internal.codec;

import java.nio.charset.StandardCharsets;

/**
 * A topic name that has been checked ({@link Topics#checkName}), with its UTF-8 bytes: what a publisher keeps of the
 * last topic it published to, so that a stream of messages to one topic (the common case) checks and encodes it
 * once, not per message ({@link #of}).
 *
 * <p>Immutable and thread-safe: a publisher on several threads may read and replace its last one without a lock (a
 * lost replacement only costs a check).
 */
public final class CheckedTopic {
    final String name;
    final byte[] utf8;

    private CheckedTopic(String name, byte[] utf8) {
        this.name = name;
        this.utf8 = utf8;
    }

    /**
     * {@code last} if it is {@code topic}, else {@code topic} checked and encoded.
     *
     * @throws IllegalArgumentException naming field "topic", as {@link Topics#checkName} does
     */
    public static CheckedTopic of(String topic, CheckedTopic last) {
        if (last != null && (last.name == topic || last.name.equals(topic))) {
            return last;
        }
        Topics.checkName("topic", topic);
        return new CheckedTopic(topic, topic.getBytes(StandardCharsets.UTF_8));
    }

    /** The UTF-8 length. */
    public int length() {
        return utf8.length;
    }
}
