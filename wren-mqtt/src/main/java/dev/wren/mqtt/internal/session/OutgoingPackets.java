package dev.wren.mqtt.internal.session;

import dev.wren.mqtt.MqttEvent;
import dev.wren.mqtt.ProtocolViolation;
import dev.wren.mqtt.Qos;
import dev.wren.mqtt.Subscription;
import dev.wren.mqtt.internal.codec.Packet;
import dev.wren.mqtt.internal.codec.PacketEncoder;
import dev.wren.mqtt.internal.codec.Topics;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The packets a {@link ClientProtocol} sends that take a packet identifier: PUBLISH (new, and again on a resumed
 * session), SUBSCRIBE and UNSUBSCRIBE, and the answers that end the last two. Each goes into the {@link Session}'s
 * in-flight table as it is encoded.
 *
 * <p>Not thread-safe: part of its protocol core.
 */
final class OutgoingPackets {
    private static final int SMALL_PAYLOAD = ClientProtocol.SMALL_PAYLOAD;
    private static final int WOULD_BLOCK = ClientProtocol.WOULD_BLOCK;

    private final ClientProtocol core;
    private final ProtocolConfig config;
    private final Session session;
    private final OutboundBuffer out;

    OutgoingPackets(ClientProtocol core) {
        this.core = core;
        this.config = core.config();
        this.session = core.session();
        this.out = core.out();
    }

    int publish(String topic, Qos qos, boolean retain, ByteBuffer payload, InFlight again, boolean detach) {
        core.requireConnected();
        int topicLength = Topics.checkName("topic", topic);
        int payloadLength = payload.remaining();
        int q = qos.code();
        if (PacketEncoder.publishRemainingLength(topicLength, q, 0) + (long) payloadLength
                > PacketEncoder.MAX_REMAINING_LENGTH) {
            throw new IllegalArgumentException("payload of " + payloadLength + " bytes makes the PUBLISH larger than "
                    + "MQTT allows (268435455 bytes remaining length)");
        }
        int headerLength = PacketEncoder.publishHeaderLength(topicLength, q, payloadLength);
        if (headerLength > out.capacity()) {
            throw new IllegalArgumentException("topic of " + topicLength + " bytes does not fit the transmit buffer of "
                    + out.capacity() + " bytes");
        }
        if (again == null && (core.connection().resendsLeft > 0 || (q > 0 && session.publishes() >= config.maxInflight()))) {
            return WOULD_BLOCK; // a resumed session's messages go first; the send window is full
        }
        int packetLength = headerLength + payloadLength;
        boolean fits = packetLength <= out.capacity();
        boolean copy = (detach && fits) || (payloadLength <= SMALL_PAYLOAD && fits);
        ByteBuffer tx = null;
        if (!copy && !payload.isDirect() && payloadLength <= out.capacity() / 2) {
            // NIO copies a heap buffer into a direct one on every write anyway: copied into the transmit buffer
            // instead, a mid-size heap payload costs no more and goes out in one write with its neighbours
            tx = out.reserve(packetLength);
            copy = tx != null;
        }
        if (tx == null) {
            tx = out.reserve(copy ? packetLength : headerLength);
        }
        if (tx == null || (!copy && !out.canReference())) {
            return WOULD_BLOCK;
        }
        // what is written from or kept for a resend: the caller's buffer (no view made: the session keeps its
        // bounds), or a copy when the caller may reuse it
        ByteBuffer kept = payload;
        int from = payload.position();
        if (detach && (!copy || (q > 0 && again == null))) {
            kept = ByteBuffer.wrap(new byte[payloadLength]).put(payload.duplicate()).flip();
            from = 0;
        }
        int id = 0;
        if (again != null) {
            id = again.id;
        } else if (q > 0) {
            id = session.allocate();
            if (id == 0) {
                return WOULD_BLOCK;
            }
            session.add(id, q == 1 ? OutgoingState.AWAIT_PUBACK : OutgoingState.AWAIT_PUBREC, topic, qos, retain,
                    kept, from, from + payloadLength, null);
        }
        PacketEncoder.encodePublishHeader(topic, topicLength, q, again != null, retain, id, payloadLength, tx);
        if (copy) {
            tx.put(tx.position(), payload, payload.position(), payloadLength);
            tx.position(tx.position() + payloadLength);
        } else {
            out.reference(kept.duplicate().limit(from + payloadLength).position(from));
        }
        return id;
    }

    /**
     * Queues a SUBSCRIBE.
     *
     * @return the packet identifier, or {@link #WOULD_BLOCK}
     */
    int subscribe(List<Subscription> subscriptions) {
        core.requireConnected();
        if (subscriptions.isEmpty()) {
            throw new IllegalArgumentException("subscriptions must not be empty [MQTT-3.8.3-3]");
        }
        List<String> filters = new ArrayList<>(subscriptions.size());
        List<Qos> qos = new ArrayList<>(subscriptions.size());
        for (Subscription s : subscriptions) {
            filters.add(s.filter());
            qos.add(s.qos());
        }
        return request(new Packet.Subscribe(0, filters, qos), List.copyOf(subscriptions), OutgoingState.AWAIT_SUBACK);
    }

    /**
     * Queues an UNSUBSCRIBE.
     *
     * @return the packet identifier, or {@link #WOULD_BLOCK}
     */
    int unsubscribe(List<String> filters) {
        core.requireConnected();
        if (filters.isEmpty()) {
            throw new IllegalArgumentException("filters must not be empty [MQTT-3.10.3-2]");
        }
        for (String f : filters) {
            Topics.checkFilter("filter", f);
        }
        return request(new Packet.Unsubscribe(0, List.copyOf(filters)), List.copyOf(filters),
                OutgoingState.AWAIT_UNSUBACK);
    }

    /**
     * Encodes a SUBSCRIBE or UNSUBSCRIBE into the transmit buffer when it fits there, else into a buffer of its own
     * (long filter lists are rare and not on the hot path).
     */
    private int request(Packet sized, List<?> request, OutgoingState awaits) {
        int remaining = PacketEncoder.remainingLength(sized);
        if (remaining > PacketEncoder.MAX_REMAINING_LENGTH || remaining < 0) {
            throw new IllegalArgumentException(sized.type() + " is larger than MQTT allows");
        }
        int total = PacketEncoder.totalLength(remaining);
        boolean own = total > out.capacity();
        ByteBuffer tx = own ? (out.canReference() ? ByteBuffer.allocate(total) : null) : out.reserve(total);
        int id = tx == null ? 0 : session.allocate();
        if (id == 0) {
            return WOULD_BLOCK;
        }
        session.add(id, awaits, null, null, false, null, 0, 0, request);
        Packet p = sized instanceof Packet.Subscribe s ? new Packet.Subscribe(id, s.filters(), s.qos())
                : new Packet.Unsubscribe(id, ((Packet.Unsubscribe) sized).filters());
        PacketEncoder.encode(p, tx);
        if (own) {
            out.reference(tx.flip());
        }
        return id;
    }

    /** Sends what a resumed session owes, in first-sent order, as far as the transmit buffer takes it. */
    void resend(Connection c) {
        while (c.resendsLeft > 0) {
            InFlight f = c.resendList.get(c.resendList.size() - c.resendsLeft);
            if (!f.resend) { // completed meanwhile (and perhaps reused): nothing to send again
                c.resendsLeft--;
                continue;
            }
            boolean sent = f.state == OutgoingState.AWAIT_PUBCOMP ? core.send(new Packet.PubRel(f.id))
                    : publish(f.topic, f.qos, f.retain, f.payload(), f, false) != WOULD_BLOCK;
            if (!sent) {
                return;
            }
            f.resend = false;
            c.resendsLeft--;
        }
    }

    void onSubAck(Packet.SubAck s) {
        int id = s.packetId();
        InFlight f = session.get(id);
        if (f == null || f.state != OutgoingState.AWAIT_SUBACK) {
            core.violation(ProtocolViolation.UNEXPECTED_ACKNOWLEDGEMENT, "SUBACK for packet identifier " + id
                    + " that has no SUBSCRIBE in flight [MQTT-3.8.4-2]");
            return;
        }
        if (s.returnCodes().size() != f.request.size()) {
            core.violation(ProtocolViolation.SUBACK_COUNT_MISMATCH, "SUBACK with " + s.returnCodes().size()
                    + " return codes for a SUBSCRIBE of " + f.request.size() + " filters [MQTT-3.8.4-5]");
            return;
        }
        java.util.List<?> request = f.request;
        session.remove(id);
        for (int i = 0; i < request.size(); i++) {
            int code = s.returnCodes().get(i);
            if (code <= 2) {
                session.subscribed(((Subscription) request.get(i)).filter(), Qos.of(code));
            }
        }
        core.emit(new MqttEvent.SubAck(id, s.returnCodes()));
    }

    void onUnsubAck(int id) {
        InFlight f = session.get(id);
        if (core.acks().expect(id, OutgoingState.AWAIT_UNSUBACK, "UNSUBACK")) {
            java.util.List<?> filters = f.request;
            session.remove(id);
            for (Object filter : filters) {
                session.unsubscribed((String) filter);
            }
            core.emit(new MqttEvent.UnsubAck(id));
        }
    }

}
