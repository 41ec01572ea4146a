package dev.wren.mqtt.internal.session;

import dev.wren.mqtt.Qos;
import java.nio.ByteBuffer;

/**
 * One outgoing packet identifier in use: its {@link OutgoingState} and, for a PUBLISH, the message, kept so that it
 * can be sent again after a reconnect.
 *
 * <p>Not thread-safe: owned by a {@link Session}.
 */
public final class InFlight {
    final int id;
    OutgoingState state;
    /** PUBLISH only: the message, the payload from its position to its limit. */
    final String topic;
    final Qos qos;
    final boolean retain;
    final ByteBuffer payload;
    /** SUBSCRIBE: its {@code Subscription}s, which the SUBACK must answer one by one; UNSUBSCRIBE: its filters. */
    final java.util.List<?> request;
    /** Whether it waits to be sent again on this connection (a resumed session). */
    boolean resend;

    InFlight(int id, OutgoingState state, String topic, Qos qos, boolean retain, ByteBuffer payload,
             java.util.List<?> request) {
        this.id = id;
        this.state = state;
        this.topic = topic;
        this.qos = qos;
        this.retain = retain;
        this.payload = payload;
        this.request = request;
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

    /** The payload (a read-only view), or null for a packet that is not a PUBLISH. */
    public ByteBuffer payload() {
        return payload == null ? null : payload.asReadOnlyBuffer();
    }
}
