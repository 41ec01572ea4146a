package dev.wren.mqtt.internal.session;

import dev.wren.mqtt.Qos;
import java.nio.ByteBuffer;

/**
 * One outgoing packet identifier in use: its {@link OutgoingState} and, for a PUBLISH, the message, kept so that it
 * can be sent again after a reconnect. The {@link Session} reuses these objects, so that a publish allocates none:
 * hold one only while its identifier is in use.
 *
 * <p>Not thread-safe: owned by a {@link Session}.
 */
public final class InFlight {
    int id;
    OutgoingState state;
    /** PUBLISH only: the message; the payload is {@code payload} from {@code from} to {@code to}. */
    String topic;
    Qos qos;
    boolean retain;
    ByteBuffer payload;
    int from;
    int to;
    /** PUBLISH, MQTT 5.0: its properties, sent again with it; null for none. */
    dev.wren.mqtt.internal.codec.Properties properties;
    /** SUBSCRIBE: its {@code Subscription}s, which the SUBACK must answer one by one; UNSUBSCRIBE: its filters. */
    java.util.List<?> request;
    /** Whether it waits to be sent again on this connection (a resumed session). */
    boolean resend;
    /** When it was first sent, among the session's identifiers: the order of a resend. */
    long sequence;
    /** Where the session keeps it. */
    int slot;

    InFlight() {
    }

    void set(int id, OutgoingState state, String topic, Qos qos, boolean retain, ByteBuffer payload, int from, int to,
             java.util.List<?> request) {
        this.id = id;
        this.state = state;
        this.topic = topic;
        this.qos = qos;
        this.retain = retain;
        this.payload = payload;
        this.from = from;
        this.to = to;
        this.request = request;
        this.resend = false;
        this.properties = null;
    }

    /** Drops what it refers to, once its identifier is free. */
    void clear() {
        topic = null;
        properties = null;
        payload = null;
        request = null;
        resend = false;
    }

    boolean isPublish() {
        return payload != null;
    }

    public int id() {
        return id;
    }

    public OutgoingState state() {
        return state;
    }

    public String topic() {
        return topic;
    }

    public Qos qos() {
        return qos;
    }

    public boolean retain() {
        return retain;
    }

    /** The payload as a buffer of its own (a view, not a copy), or null for a packet that is not a PUBLISH. */
    public ByteBuffer payload() {
        return payload == null ? null : payload.duplicate().limit(to).position(from);
    }
}
