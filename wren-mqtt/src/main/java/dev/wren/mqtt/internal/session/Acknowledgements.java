package dev.wren.mqtt.internal.session;

import dev.wren.mqtt.MqttEvent;
import dev.wren.mqtt.MqttProperties;
import dev.wren.mqtt.ProtocolViolation;
import dev.wren.mqtt.ReasonCode;
import dev.wren.mqtt.internal.codec.Packet;
import dev.wren.mqtt.internal.codec.Properties;
import dev.wren.mqtt.internal.codec.Property;
import dev.wren.mqtt.internal.codec.ReasonCodes;

/**
 * The QoS 1 and 2 exchanges of a {@link ClientProtocol} (MQTT 3.1.1 section 4.3): incoming PUBLISHes and the
 * acknowledgements they are owed (automatic, deferred until the application says so, or manual), and the
 * acknowledgements that answer outgoing messages. Incoming QoS 2 follows Method B of section 4.3.3: delivered on
 * PUBLISH, then, until PUBREL, a copy is answered with PUBREC and not delivered again.
 *
 * <p>Not thread-safe: part of its protocol core.
 */
final class Acknowledgements {
    private final ClientProtocol core;
    private final ProtocolConfig config;
    private final Session session;

    Acknowledgements(ClientProtocol core) {
        this.core = core;
        this.config = core.config();
        this.session = core.session();
    }

    // ------------------------------------------------------------------ incoming messages

    void onPublish(Packet.Publish p) {
        Connection c = core.connection();
        int qos = p.qos().code();
        int id = p.packetId();
        boolean auto = !config.manualAcks();
        boolean duplicate = auto && qos == 2 && session.incomingQos2.contains(id);
        MqttProperties props = MqttProperties.none();
        if (p.properties() != null) {
            props = p.properties();
            int alias = p.properties().topicAliasOrZero();
            if (alias != 0) {
                p = resolveAlias(c, p, alias);
                if (p == null) {
                    return;
                }
            }
            if (qos > 0 && !duplicate && ++c.incomingUnacknowledged > config.receiveMaximum()
                    && config.enforceReceiveMaximum()) {
                core.violation(ProtocolViolation.RECEIVE_MAXIMUM_EXCEEDED, "the server sent "
                        + c.incomingUnacknowledged + " QoS 1/2 PUBLISHes unacknowledged, more than the Receive "
                        + "Maximum of " + config.receiveMaximum() + " [MQTT-3.3.4-9]", ReasonCode.RECEIVE_MAXIMUM_EXCEEDED);
                return;
            }
        }
        if (auto && qos > 0) {
            if (c.deferred == null || duplicate) {
                c.owedAckQos = qos;
                c.owedAckId = id;
                if (qos == 2) {
                    session.incomingQos2.put(id, 1);
                }
            } else {
                c.deferred.add(qos, id, p.payload() != null); // acknowledged when the application says so
            }
        }
        c.skipPayload = duplicate;
        if (!duplicate) {
            core.emit(new MqttEvent.Publish(p.topic(), p.qos(), p.dup(), p.retain(), id, p.payloadLength(),
                    p.payload(), null, props));
        }
        if (p.payload() != null) {
            sendOwed(); // room was made before decoding
        }
    }

    /**
     * MQTT 5.0: the topic of a PUBLISH with a Topic Alias: set by this one when it carries a name, else the one set
     * earlier on this connection [MQTT-3.3.2-12]; null, the connection ending, for an alias the client did not allow.
     */
    private Packet.Publish resolveAlias(Connection c, Packet.Publish p, int alias) {
        if (c.incomingAliases == null || alias >= c.incomingAliases.length) {
            core.violation(ProtocolViolation.TOPIC_ALIAS_INVALID, "Topic Alias " + alias + " above the client's Topic "
                    + "Alias Maximum of " + config.topicAliasMaximum() + " [MQTT-3.3.2-10]",
                    ReasonCode.TOPIC_ALIAS_INVALID);
            return null;
        }
        if (!p.topic().isEmpty()) {
            c.incomingAliases[alias] = p.topic();
            return p;
        }
        String topic = c.incomingAliases[alias];
        if (topic == null) {
            core.violation(ProtocolViolation.TOPIC_ALIAS_INVALID, "Topic Alias " + alias + " used before this "
                    + "connection set it", ReasonCode.PROTOCOL_ERROR);
            return null;
        }
        return p.withTopic(topic);
    }

    /** An incoming QoS 1 message was acknowledged, or a QoS 2 one completed: it counts no more against the limit. */
    private void answered() {
        Connection c = core.connection();
        if (c.incomingUnacknowledged > 0) {
            c.incomingUnacknowledged--;
        }
    }

    /** Sends the acknowledgement owed for the last PUBLISH, if any; false when there is no room for it now. */
    boolean sendOwed() {
        Connection c = core.connection();
        if (c.owedAckQos == 0) {
            return true;
        }
        if (!core.send(c.owedAckQos == 1 ? new Packet.PubAck(c.owedAckId) : new Packet.PubRec(c.owedAckId))) {
            return false;
        }
        if (c.owedAckQos == 1) {
            answered();
        }
        c.owedAckQos = 0;
        return true;
    }

    /** The streamed payload of the last PUBLISH has been read (or skipped) to its end. */
    void payloadDone() {
        Connection c = core.connection();
        c.skipPayload = false;
        if (c.deferred != null) {
            c.deferred.payloadDone();
            releaseDeferred(c);
        }
        sendOwed();
    }

    /** Deferred mode: the application has handled {@code id}; sent once the earlier ones of its QoS are. */
    boolean acknowledge(int id) {
        if (!config.deferredAcks() || config.manualAcks()) {
            throw new IllegalStateException("acknowledge needs a client built with deferredAcks(true)");
        }
        Connection c = core.connection();
        if (c == null || !c.open() || !c.deferred.acknowledge(id)) {
            return false;
        }
        releaseDeferred(c);
        return true;
    }

    private void releaseDeferred(Connection c) {
        if (c.state != Connection.State.CONNECTED) {
            return;
        }
        c.deferred.release((qos, id) -> {
            if (!core.send(qos == 1 ? new Packet.PubAck(id) : new Packet.PubRec(id))) {
                return false;
            }
            if (qos == 2) {
                session.incomingQos2.put(id, 1); // from now on a copy is answered, not delivered
            } else {
                answered();
            }
            return true;
        });
    }

    /** After a write made room: the owed acknowledgement and the deferred ones that may go. */
    void afterWrite() {
        Connection c = core.connection();
        if (c.owedAckQos != 0 && c.decoder.payloadRemaining() == 0) {
            sendOwed();
        }
        if (c.deferred != null && !c.deferred.isEmpty()) {
            releaseDeferred(c);
        }
    }

    void onPubRel(int id) {
        if (!config.manualAcks()) {
            session.incomingQos2.remove(id);
            core.send(new Packet.PubComp(id)); // room was made before decoding
            answered();
        }
        core.emit(new MqttEvent.PubRel(id));
    }

    // ------------------------------------------------------------------ answers to outgoing messages

    void onPubAck(Packet.PubAck a) {
        int id = a.packetId();
        if (!unknownIgnored(id, "PUBACK") && expect(id, OutgoingState.AWAIT_PUBACK, "PUBACK")) {
            session.remove(id);
            core.emit(a.properties() == null && a.reasonCode() == 0 ? new MqttEvent.PubAck(id)
                    : new MqttEvent.PubAck(id, ReasonCodes.of(a.reasonCode(), Property.Where.PUBACK), props(a.properties())));
        }
    }

    private static MqttProperties props(Properties p) {
        return p == null ? MqttProperties.none() : p;
    }

    void onPubComp(Packet.PubComp a) {
        int id = a.packetId();
        InFlight f = session.get(id);
        if (f != null && f.state == OutgoingState.ORPHAN_PUBCOMP) {
            session.remove(id); // the end of an unknown PUBREC's exchange, reported already
            return;
        }
        if (!unknownIgnored(id, "PUBCOMP") && expect(id, OutgoingState.AWAIT_PUBCOMP, "PUBCOMP")) {
            session.remove(id);
            core.emit(a.properties() == null && a.reasonCode() == 0 ? new MqttEvent.PubComp(id)
                    : new MqttEvent.PubComp(id, ReasonCodes.of(a.reasonCode(), Property.Where.PUBCOMP),
                    props(a.properties())));
        }
    }

    void onPubRec(Packet.PubRec r) {
        int id = r.packetId();
        InFlight f = session.get(id);
        if (r.reasonCode() >= 0x80 && f != null && f.state == OutgoingState.AWAIT_PUBREC) {
            // MQTT 5.0: the server refused the message; the exchange ends here, no PUBREL [MQTT-4.3.3-4]
            session.remove(id);
            core.emit(new MqttEvent.PubRec(id, ReasonCodes.of(r.reasonCode(), Property.Where.PUBREC),
                    props(r.properties())));
            return;
        }
        if (f != null && f.state == OutgoingState.AWAIT_PUBCOMP && !config.manualAcks()) {
            core.send(new Packet.PubRel(id)); // a repeated PUBREC: repeat our PUBREL
            core.emit(new MqttEvent.PubRec(id));
            return;
        }
        if (f == null && !config.strictAcknowledgements()) {
            // "Packet Identifier not found": release it all the same so that the server's exchange finishes
            if (core.send(new Packet.PubRel(id))) {
                session.add(id, OutgoingState.ORPHAN_PUBCOMP, null, null, false, null, 0, 0, null);
            }
            core.emit(new MqttEvent.UnexpectedAck("PUBREC", id));
            return;
        }
        if (f != null && f.state == OutgoingState.ORPHAN_PUBCOMP) {
            core.send(new Packet.PubRel(id)); // a repeated unknown PUBREC: repeat the PUBREL
            return;
        }
        if (!expect(id, OutgoingState.AWAIT_PUBREC, "PUBREC")) {
            return;
        }
        if (config.manualAcks()) {
            f.state = OutgoingState.PUBREL_TO_SEND;
        } else {
            core.send(new Packet.PubRel(id));
            f.state = OutgoingState.AWAIT_PUBCOMP;
        }
        core.emit(r.properties() == null && r.reasonCode() == 0 ? new MqttEvent.PubRec(id)
                : new MqttEvent.PubRec(id, ReasonCodes.of(r.reasonCode(), Property.Where.PUBREC), props(r.properties())));
    }

    /**
     * An acknowledgement for an identifier not in flight, in the default lenient mode: ignored and reported; true if
     * so. Strict mode, and an identifier in flight for something else, go on to {@link #expect}.
     */
    private boolean unknownIgnored(int id, String what) {
        if (config.strictAcknowledgements() || session.inUse(id)) {
            return false;
        }
        core.emit(new MqttEvent.UnexpectedAck(what, id));
        return true;
    }

    /** Whether {@code id} is in flight in state {@code expected}; a violation that closes the connection if not. */
    boolean expect(int id, OutgoingState expected, String what) {
        InFlight f = session.get(id);
        if (f == null || f.state != expected) {
            core.violation(ProtocolViolation.UNEXPECTED_ACKNOWLEDGEMENT, what + " for packet identifier " + id
                    + (f == null ? " that is not in flight" : " that awaits " + f.state.awaits()));
            return false;
        }
        return true;
    }

    // ------------------------------------------------------------------ manual mode

    boolean manual(Packet ack) {
        requireManual();
        core.requireConnected();
        if (!core.send(ack)) {
            return false;
        }
        if (ack instanceof Packet.PubAck || ack instanceof Packet.PubComp) {
            answered();
        }
        return true;
    }

    boolean pubRel(int id) {
        InFlight f = session.get(id);
        if (f == null || (f.state != OutgoingState.PUBREL_TO_SEND && f.state != OutgoingState.AWAIT_PUBCOMP)) {
            requireManual();
            throw new IllegalArgumentException("messageId " + id + " has no PUBREC to release");
        }
        if (!manual(new Packet.PubRel(id))) {
            return false;
        }
        f.state = OutgoingState.AWAIT_PUBCOMP;
        return true;
    }

    private void requireManual() {
        if (!config.manualAcks()) {
            throw new IllegalStateException(
                    "acknowledgements are sent automatically; build the client with manualAcks(true)");
        }
    }
}
