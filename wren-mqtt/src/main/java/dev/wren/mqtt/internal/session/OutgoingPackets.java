package dev.wren.mqtt.internal.session;

import dev.wren.mqtt.MqttEvent;
import dev.wren.mqtt.ProtocolViolation;
import dev.wren.mqtt.Qos;
import dev.wren.mqtt.ReasonCode;
import dev.wren.mqtt.Subscription;
import dev.wren.mqtt.internal.codec.Property;
import dev.wren.mqtt.internal.codec.ReasonCodes;
import dev.wren.mqtt.internal.codec.CheckedTopic;
import dev.wren.mqtt.internal.codec.Packet;
import dev.wren.mqtt.internal.codec.PacketEncoder;
import dev.wren.mqtt.internal.codec.Properties;
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
    /** The topic of the last PUBLISH, checked and encoded. */
    private CheckedTopic lastTopic;

    OutgoingPackets(ClientProtocol core) {
        this.core = core;
        this.config = core.config();
        this.session = core.session();
        this.out = core.out();
    }

    int publish(String topic, Qos qos, boolean retain, ByteBuffer payload, Properties props, InFlight again,
                boolean detach) {
        core.requireConnected();
        Connection c = core.connection();
        CheckedTopic checked = lastTopic = CheckedTopic.of(topic, lastTopic); // checked and encoded once per topic
        int topicLength = checked.length();
        int payloadLength = payload.remaining();
        int q = qos.code();
        boolean mqtt5 = config.protocolVersion().isMqtt5();
        Properties p = props == null ? Properties.NONE : props;
        int alias = 0;
        boolean newAlias = false;
        if (mqtt5) {
            if (q > c.maximumQos) {
                throw new IllegalArgumentException("qos " + q + " is above the server's Maximum QoS of " + c.maximumQos
                        + " [MQTT-3.2.2-11]");
            }
            if (retain && !c.retainAvailable) {
                throw new IllegalArgumentException("retain: the server does not support retained messages "
                        + "[MQTT-3.2.2-14]");
            }
            if (c.outgoingAliases != null && again == null) {
                alias = c.outgoingAliases.known(topic);
                newAlias = alias == 0;
            }
        } else if (!p.isEmpty()) {
            throw new IllegalArgumentException("properties need MQTT 5.0; the client speaks " + config.protocolVersion());
        }
        int nameLength = alias != 0 ? 0 : topicLength; // a topic the server knows by its alias goes without its name
        if (PacketEncoder.publishRemainingLength(topicLength, q, 0) + (long) payloadLength
                + (mqtt5 ? 4 + PacketEncoder.publishPropertyLength(1, p) : 0) > PacketEncoder.MAX_REMAINING_LENGTH) {
            throw new IllegalArgumentException("payload of " + payloadLength + " bytes makes the PUBLISH larger than "
                    + "MQTT allows (268435455 bytes remaining length)");
        }
        int headerLength = mqtt5 ? PacketEncoder.publishHeaderLength5(nameLength, q, alias != 0 || newAlias ? 1 : 0, p,
                payloadLength) : PacketEncoder.publishHeaderLength(topicLength, q, payloadLength);
        if (headerLength > out.capacity()) {
            throw new IllegalArgumentException("topic of " + topicLength + " bytes does not fit the transmit buffer of "
                    + out.capacity() + " bytes");
        }
        if (mqtt5 && (long) headerLength + payloadLength > c.serverMaximumPacketSize) {
            throw new IllegalArgumentException("a PUBLISH of " + ((long) headerLength + payloadLength) + " bytes is "
                    + "larger than the server's Maximum Packet Size of " + c.serverMaximumPacketSize
                    + " [MQTT-3.1.2-24]");
        }
        if (again == null && (c.resendsLeft > 0 || (q > 0 && session.publishes() >= core.sendWindow()))) {
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
            InFlight f = session.add(id, q == 1 ? OutgoingState.AWAIT_PUBACK : OutgoingState.AWAIT_PUBREC, topic, qos,
                    retain, kept, from, from + payloadLength, null);
            f.properties = props;
        }
        if (mqtt5) {
            if (newAlias) {
                alias = c.outgoingAliases.assign(topic);
            }
            PacketEncoder.encodePublishHeader5(checked, nameLength != 0, q, again != null, retain, id, alias, p,
                    payloadLength, tx);
        } else {
            PacketEncoder.encodePublishHeader(checked, q, again != null, retain, id, payloadLength, tx);
        }
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
    int subscribe(List<Subscription> subscriptions, Properties props) {
        core.requireConnected();
        if (subscriptions.isEmpty()) {
            throw new IllegalArgumentException("subscriptions must not be empty [MQTT-3.8.3-3]");
        }
        boolean mqtt5 = config.protocolVersion().isMqtt5();
        List<String> filters = new ArrayList<>(subscriptions.size());
        List<Qos> qos = new ArrayList<>(subscriptions.size());
        List<Integer> options = new ArrayList<>(subscriptions.size());
        for (Subscription s : subscriptions) {
            // a $share/ filter is a filter string to 3.1.1, which brokers such as Mosquitto serve as shared too
            if (!mqtt5 && s.hasMqtt5Options()) {
                throw new IllegalArgumentException("subscription " + s.filter() + ": the options noLocal, "
                        + "retainAsPublished and retainHandling need MQTT 5.0");
            }
            filters.add(s.filter());
            qos.add(s.qos());
            options.add((s.noLocal() ? 0x04 : 0) | (s.retainAsPublished() ? 0x08 : 0)
                    | (s.retainHandling().ordinal() << 4));
        }
        if (!mqtt5 && props != null && !props.isEmpty()) {
            throw new IllegalArgumentException("subscription identifiers and properties need MQTT 5.0");
        }
        return request(new Packet.Subscribe(0, filters, qos, options, mqtt5 ? nonNull(props) : null),
                List.copyOf(subscriptions), OutgoingState.AWAIT_SUBACK);
    }

    private static Properties nonNull(Properties p) {
        return p == null ? Properties.NONE : p;
    }

    /**
     * Queues an UNSUBSCRIBE.
     *
     * @return the packet identifier, or {@link #WOULD_BLOCK}
     */
    int unsubscribe(List<String> filters, Properties props) {
        core.requireConnected();
        if (filters.isEmpty()) {
            throw new IllegalArgumentException("filters must not be empty [MQTT-3.10.3-2]");
        }
        for (String f : filters) {
            Topics.checkFilter("filter", f);
        }
        boolean mqtt5 = config.protocolVersion().isMqtt5();
        if (!mqtt5 && props != null && !props.isEmpty()) {
            throw new IllegalArgumentException("UNSUBSCRIBE properties need MQTT 5.0");
        }
        return request(new Packet.Unsubscribe(0, List.copyOf(filters), mqtt5 ? nonNull(props) : null),
                List.copyOf(filters), OutgoingState.AWAIT_UNSUBACK);
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
        if (total > core.connection().serverMaximumPacketSize) {
            throw new IllegalArgumentException("a " + sized.type() + " of " + total + " bytes is larger than the "
                    + "server's Maximum Packet Size of " + core.connection().serverMaximumPacketSize + " [MQTT-3.1.2-24]");
        }
        boolean own = total > out.capacity();
        ByteBuffer tx = own ? (out.canReference() ? ByteBuffer.allocate(total) : null) : out.reserve(total);
        int id = tx == null ? 0 : session.allocate();
        if (id == 0) {
            return WOULD_BLOCK;
        }
        session.add(id, awaits, null, null, false, null, 0, 0, request);
        Packet p = sized instanceof Packet.Subscribe s
                ? new Packet.Subscribe(id, s.filters(), s.qos(), s.options(), s.properties())
                : new Packet.Unsubscribe(id, ((Packet.Unsubscribe) sized).filters(),
                        ((Packet.Unsubscribe) sized).properties());
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
                    : publish(f.topic, f.qos, f.retain, f.payload(), f.properties, f, false) != WOULD_BLOCK;
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
        core.emit(s.properties() == null ? new MqttEvent.SubAck(id, s.returnCodes())
                : new MqttEvent.SubAck(id, s.returnCodes(), s.properties()));
    }

    void onUnsubAck(Packet.UnsubAck u) {
        int id = u.packetId();
        InFlight f = session.get(id);
        if (core.acks().expect(id, OutgoingState.AWAIT_UNSUBACK, "UNSUBACK")) {
            java.util.List<?> filters = f.request;
            boolean mqtt5 = u.properties() != null;
            if (mqtt5 && u.reasonCodes().size() != filters.size()) {
                core.violation(ProtocolViolation.SUBACK_COUNT_MISMATCH, "UNSUBACK with " + u.reasonCodes().size()
                        + " reason codes for an UNSUBSCRIBE of " + filters.size() + " filters [MQTT-3.11.3-1]");
                return;
            }
            session.remove(id);
            List<ReasonCode> reasons = new ArrayList<>(u.reasonCodes().size());
            for (int i = 0; i < filters.size(); i++) {
                ReasonCode r = mqtt5 ? ReasonCodes.of(u.reasonCodes().get(i), Property.Where.UNSUBACK) : null;
                if (r != null) {
                    reasons.add(r);
                }
                if (r == null || !r.isError()) { // refused: the subscription stays
                    session.unsubscribed((String) filters.get(i));
                }
            }
            core.emit(mqtt5 ? new MqttEvent.UnsubAck(id, reasons, u.properties()) : new MqttEvent.UnsubAck(id));
        }
    }

}
