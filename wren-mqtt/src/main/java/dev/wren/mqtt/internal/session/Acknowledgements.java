package dev.wren.mqtt.internal.session;

import dev.wren.mqtt.MqttEvent;
import dev.wren.mqtt.ProtocolViolation;
import dev.wren.mqtt.internal.codec.Packet;

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
                    p.payload()));
        }
        if (p.payload() != null) {
            sendOwed(); // room was made before decoding
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
        }
        core.emit(new MqttEvent.PubRel(id));
    }

    // ------------------------------------------------------------------ answers to outgoing messages

    void onPubAck(int id) {
        if (!unknownIgnored(id, "PUBACK") && expect(id, OutgoingState.AWAIT_PUBACK, "PUBACK")) {
            session.remove(id);
            core.emit(new MqttEvent.PubAck(id));
        }
    }

    void onPubComp(int id) {
        InFlight f = session.get(id);
        if (f != null && f.state == OutgoingState.ORPHAN_PUBCOMP) {
            session.remove(id); // the end of an unknown PUBREC's exchange, reported already
            return;
        }
        if (!unknownIgnored(id, "PUBCOMP") && expect(id, OutgoingState.AWAIT_PUBCOMP, "PUBCOMP")) {
            session.remove(id);
            core.emit(new MqttEvent.PubComp(id));
        }
    }

    void onPubRec(int id) {
        InFlight f = session.get(id);
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
        core.emit(new MqttEvent.PubRec(id));
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
        return core.send(ack);
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
