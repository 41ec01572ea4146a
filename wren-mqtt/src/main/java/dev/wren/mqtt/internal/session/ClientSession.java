package dev.wren.mqtt.internal.session;

import dev.wren.mqtt.ConnectReturnCode;
import dev.wren.mqtt.DisconnectReason;
import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.MqttEvent;
import dev.wren.mqtt.ProtocolViolation;
import dev.wren.mqtt.Qos;
import dev.wren.mqtt.Subscription;
import dev.wren.mqtt.Will;
import dev.wren.mqtt.internal.codec.MalformedPacketException;
import dev.wren.mqtt.internal.codec.Packet;
import dev.wren.mqtt.internal.codec.PacketDecoder;
import dev.wren.mqtt.internal.codec.PacketEncoder;
import dev.wren.mqtt.internal.codec.Topics;
import dev.wren.mqtt.internal.codec.Utf8;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The client side of the MQTT protocol, without I/O and without a clock: fed received bytes and the current time,
 * it decodes packets, keeps packet identifiers, in-flight state and keep-alive, acknowledges automatically (unless
 * told not to), reports {@link MqttEvent}s to its {@link Listener}, and leaves the bytes to send in an
 * {@link OutboundBuffer} for the caller to write.
 *
 * <p>Events are reported after the session has updated its state, so a listener may call back into the session.
 *
 * <p>Not thread-safe: one thread at a time, which the owning client guarantees.
 */
public final class ClientSession {

    /** Receives what the session has to report. */
    public interface Listener {
        /** A packet arrived. */
        void event(MqttEvent event);

        /** The connection must end now: close the transport, then report {@code event}. */
        void closed(MqttEvent.Disconnect event);
    }

    /** Where a session stands. */
    public enum State { DISCONNECTED, CONNECTING, CONNECTED, DISCONNECTING }

    /** Returned by operations that cannot be taken now: wait until the transport is writable, then retry. */
    public static final int WOULD_BLOCK = -1;

    /** Payloads up to this size are copied into the transmit buffer so that many can go in one write. */
    static final int SMALL_PAYLOAD = 128;

    // in-flight kinds of outgoing packet identifiers
    private static final int AWAIT_PUBACK = 1;
    private static final int AWAIT_PUBREC = 2;
    private static final int PUBREL_TO_SEND = 3;
    private static final int AWAIT_PUBCOMP = 4;
    private static final int AWAIT_UNSUBACK = 5;
    private static final int AWAIT_SUBACK = 6;
    /** A PUBREL sent for an unknown PUBREC: its PUBCOMP is taken silently. */
    private static final int ORPHAN_PUBCOMP = 7;

    private static final int PUBACK_BYTE = 0x40;
    private static final int PUBREC_BYTE = 0x50;
    private static final int PUBREL_BYTE = 0x62;
    private static final int PUBCOMP_BYTE = 0x70;

    private final MqttClientConfig config;
    private final Listener listener;
    private final OutboundBuffer out;
    private final IdTable outgoing = new IdTable();
    private final IdTable incomingQos2 = new IdTable();
    private final KeepAlive keepAlive;

    private PacketDecoder decoder;
    private State state = State.DISCONNECTED;
    private int epoch;
    private long connectDeadline;
    private long disconnectDeadline;
    private boolean disconnectOwed;
    private int nextId = 1;

    // deferred acknowledgements: per QoS, the received messages' {id, state} in arrival order
    private static final int ACKED = 1;
    private static final int COMPLETE = 2;
    private final java.util.ArrayDeque<int[]> pendingQos1 = new java.util.ArrayDeque<>();
    private final java.util.ArrayDeque<int[]> pendingQos2 = new java.util.ArrayDeque<>();
    /** The deferred entry of the PUBLISH whose payload is being streamed, or null. */
    private int[] streaming;

    // the acknowledgement owed for the last incoming PUBLISH, sent once its payload is consumed
    private int owedAckByte;
    private int owedAckId;
    private boolean skipPayload;

    public ClientSession(MqttClientConfig config, Listener listener, ByteBuffer transmitBuffer) {
        this.config = config;
        this.listener = listener;
        this.out = new OutboundBuffer(transmitBuffer);
        this.keepAlive = new KeepAlive(config.keepAliveSeconds() * 1000L, config.pingTimeout().toMillis());
    }

    /**
     * Takes over what {@code previous}, a disconnected session of the same client with the same server, knows of the
     * server's session: the incoming QoS 2 messages delivered and not yet released, so that a copy the server sends
     * again after the reconnect is answered without being delivered twice. Before the first {@link #start}.
     */
    public void continueFrom(ClientSession previous) {
        if (state != State.DISCONNECTED || previous.state != State.DISCONNECTED) {
            throw new IllegalStateException("both sessions must be disconnected");
        }
        incomingQos2.putAll(previous.incomingQos2);
    }

    public State state() {
        return state;
    }

    /** Increases each time a connection starts or ends; lets callers notice that a callback changed the connection. */
    public int epoch() {
        return epoch;
    }

    /** Queues CONNECT for a new connection. */
    public void start(long now) {
        if (state != State.DISCONNECTED) {
            throw new IllegalStateException("already " + state.name().toLowerCase());
        }
        epoch++;
        decoder = new PacketDecoder(PacketDecoder.Role.CLIENT, config.protocolVersion(),
                config.maxIncomingPacketSize(), config.receiveBufferSize());
        out.clear();
        outgoing.clear();
        if (config.cleanSession()) {
            incomingQos2.clear();
        }
        owedAckByte = 0;
        skipPayload = false;
        disconnectOwed = false;
        pendingQos1.clear();
        pendingQos2.clear();
        streaming = null;
        keepAlive.reset(now);
        connectDeadline = now + config.connectTimeout().toMillis();
        Will will = config.will();
        Packet.Connect connect = new Packet.Connect(config.protocolVersion(), config.clientId(),
                config.cleanSession(), config.keepAliveSeconds(), will == null ? null : will.topic(),
                will == null ? null : will.payload(), will == null ? Qos.AT_MOST_ONCE : will.qos(),
                will != null && will.retain(), config.userName(), config.password());
        PacketEncoder.encode(connect, out.reserve(PacketEncoder.encodedLength(connect)));
        state = State.CONNECTING;
    }

    // ------------------------------------------------------------------ input

    /**
     * Decodes and handles what {@code in} holds, advancing its position past what was consumed. Stops when more
     * bytes are needed, when a streamed payload waits for the application, when there is no room to answer, or when
     * the connection ended.
     */
    public void receive(ByteBuffer in, long now) {
        int myEpoch = epoch;
        while (state == State.CONNECTING || state == State.CONNECTED) {
            if (decoder.payloadRemaining() > 0) {
                if (!skipPayload) {
                    return;
                }
                decoder.skipPayload(in);
                if (decoder.payloadRemaining() > 0) {
                    return;
                }
                payloadDone();
                continue;
            }
            if (owedAckByte != 0 && !sendOwedAck()) {
                return;
            }
            if (out.reserve(4) == null) {
                return; // no room to answer what comes next: let the transmit side drain first
            }
            Packet p;
            try {
                p = decoder.decode(in);
            } catch (MalformedPacketException e) {
                close(DisconnectReason.PROTOCOL_VIOLATION, e.violation(), e.getMessage(), null);
                return;
            }
            if (p == null) {
                return;
            }
            handle(p);
            if (epoch != myEpoch) {
                return;
            }
        }
    }

    private void handle(Packet p) {
        if (p instanceof Packet.ConnAck c) {
            onConnAck(c);
            return;
        }
        if (state == State.CONNECTING) {
            violation(ProtocolViolation.UNEXPECTED_CONNACK_STATE, p.type() + " before CONNACK [MQTT-3.2.0-1]");
            return;
        }
        switch (p.type()) {
            case PUBLISH -> onPublish((Packet.Publish) p);
            case PUBACK -> {
                int id = ((Packet.PubAck) p).packetId();
                if (unknownIgnored(id, "PUBACK")) {
                    return;
                }
                if (expect(id, AWAIT_PUBACK, "PUBACK")) {
                    outgoing.remove(id);
                    listener.event(new MqttEvent.PubAck(id));
                }
            }
            case PUBREC -> onPubRec(((Packet.PubRec) p).packetId());
            case PUBREL -> {
                int id = ((Packet.PubRel) p).packetId();
                if (!config.manualAcks()) {
                    incomingQos2.remove(id);
                    writeAck(PUBCOMP_BYTE, id);
                }
                listener.event(new MqttEvent.PubRel(id));
            }
            case PUBCOMP -> {
                int id = ((Packet.PubComp) p).packetId();
                if (outgoing.get(id) == ORPHAN_PUBCOMP) {
                    outgoing.remove(id); // the end of an unknown PUBREC's exchange, reported already
                    return;
                }
                if (unknownIgnored(id, "PUBCOMP")) {
                    return;
                }
                if (expect(id, AWAIT_PUBCOMP, "PUBCOMP")) {
                    outgoing.remove(id);
                    listener.event(new MqttEvent.PubComp(id));
                }
            }
            case SUBACK -> onSubAck((Packet.SubAck) p);
            case UNSUBACK -> {
                int id = ((Packet.UnsubAck) p).packetId();
                if (expect(id, AWAIT_UNSUBACK, "UNSUBACK")) {
                    outgoing.remove(id);
                    listener.event(new MqttEvent.UnsubAck(id));
                }
            }
            case PINGRESP -> {
                keepAlive.pingAnswered();
                listener.event(new MqttEvent.PingResp());
            }
            default -> throw new AssertionError(p.type()); // the client-role decoder lets no other type through
        }
    }

    private void onConnAck(Packet.ConnAck c) {
        if (state != State.CONNECTING) {
            violation(ProtocolViolation.UNEXPECTED_CONNACK_STATE, "second CONNACK on one connection");
            return;
        }
        ConnectReturnCode code = ConnectReturnCode.ofOrNull(c.returnCode());
        MqttEvent.ConnAck event = new MqttEvent.ConnAck(code, c.sessionPresent());
        if (code != ConnectReturnCode.ACCEPTED) {
            listener.event(event);
            close(DisconnectReason.REFUSED, null, "connection refused: " + code, null);
            return;
        }
        state = State.CONNECTED;
        if (!c.sessionPresent()) {
            incomingQos2.clear(); // the server has no session: nothing of ours is pending there
        }
        listener.event(event);
    }

    private void onPublish(Packet.Publish p) {
        int qos = p.qos().code();
        int id = p.packetId();
        boolean auto = !config.manualAcks();
        boolean deferred = auto && config.deferredAcks();
        boolean duplicate = false;
        if (auto && qos > 0) {
            if (qos == 2) {
                // Method B of section 4.3.3: deliver on PUBLISH, then until PUBREL answer repeats with PUBREC only
                duplicate = incomingQos2.contains(id);
            }
            if (!deferred || duplicate) {
                owedAckByte = qos == 1 ? PUBACK_BYTE : PUBREC_BYTE;
                owedAckId = id;
                if (qos == 2) {
                    incomingQos2.put(id, 1);
                }
            } else {
                // acknowledged when the application says so, after the earlier ones of its QoS
                int[] entry = {id, p.payload() != null ? COMPLETE : 0};
                (qos == 1 ? pendingQos1 : pendingQos2).add(entry);
                streaming = p.payload() != null ? null : entry;
            }
        }
        skipPayload = duplicate;
        if (duplicate) {
            if (p.payload() != null) {
                sendOwedAck();
            }
            return;
        }
        try {
            listener.event(new MqttEvent.Publish(p.topic(), p.qos(), p.dup(), p.retain(), id, p.payloadLength(),
                    p.payload()));
        } finally {
            if (p.payload() != null && owedAckByte != 0 && state == State.CONNECTED) {
                sendOwedAck();
            }
        }
    }

    private void onPubRec(int id) {
        int kind = outgoing.get(id);
        if (kind == AWAIT_PUBCOMP && !config.manualAcks()) {
            writeAck(PUBREL_BYTE, id); // a repeated PUBREC: repeat our PUBREL
            listener.event(new MqttEvent.PubRec(id));
            return;
        }
        if (IdTable.missing(kind) && !config.strictAcknowledgements()) {
            // "Packet Identifier not found": release it all the same so that the server's exchange finishes
            if (writeAck(PUBREL_BYTE, id)) {
                outgoing.put(id, ORPHAN_PUBCOMP);
            }
            listener.event(new MqttEvent.UnexpectedAck("PUBREC", id));
            return;
        }
        if (kind == ORPHAN_PUBCOMP) {
            writeAck(PUBREL_BYTE, id); // a repeated unknown PUBREC: repeat the PUBREL
            return;
        }
        if (!expect(id, AWAIT_PUBREC, "PUBREC")) {
            return;
        }
        if (config.manualAcks()) {
            outgoing.put(id, PUBREL_TO_SEND);
        } else {
            writeAck(PUBREL_BYTE, id);
            outgoing.put(id, AWAIT_PUBCOMP);
        }
        listener.event(new MqttEvent.PubRec(id));
    }

    private void onSubAck(Packet.SubAck s) {
        int id = s.packetId();
        int kind = outgoing.get(id);
        if (IdTable.missing(kind) || (kind & 0x0F) != AWAIT_SUBACK) {
            violation(ProtocolViolation.UNEXPECTED_ACKNOWLEDGEMENT, "SUBACK for packet identifier " + id
                    + " that has no SUBSCRIBE in flight [MQTT-3.8.4-2]");
            return;
        }
        int filters = kind >>> 4;
        if (s.returnCodes().size() != filters) {
            violation(ProtocolViolation.SUBACK_COUNT_MISMATCH, "SUBACK with " + s.returnCodes().size()
                    + " return codes for a SUBSCRIBE of " + filters + " filters [MQTT-3.8.4-5]");
            return;
        }
        outgoing.remove(id);
        listener.event(new MqttEvent.SubAck(id, s.returnCodes()));
    }

    /**
     * An acknowledgement for an identifier not in flight, in the default lenient mode: ignored and reported; true if
     * so. Strict mode, and an identifier in flight for something else, go on to {@link #expect}.
     */
    private boolean unknownIgnored(int id, String what) {
        if (config.strictAcknowledgements() || !IdTable.missing(outgoing.get(id))) {
            return false;
        }
        listener.event(new MqttEvent.UnexpectedAck(what, id));
        return true;
    }

    private boolean expect(int id, int kind, String what) {
        int actual = outgoing.get(id);
        if (actual != kind) {
            violation(ProtocolViolation.UNEXPECTED_ACKNOWLEDGEMENT, what + " for packet identifier " + id
                    + (IdTable.missing(actual) ? " that is not in flight" : " that awaits " + describe(actual)));
            return false;
        }
        return true;
    }

    private static String describe(int kind) {
        return switch (kind & 0x0F) {
            case AWAIT_PUBACK -> "PUBACK";
            case AWAIT_PUBREC -> "PUBREC";
            case PUBREL_TO_SEND -> "the application's PUBREL";
            case AWAIT_PUBCOMP -> "PUBCOMP";
            case AWAIT_UNSUBACK -> "UNSUBACK";
            case ORPHAN_PUBCOMP -> "the PUBCOMP of a PUBREL sent for an unknown PUBREC";
            default -> "SUBACK";
        };
    }

    // ------------------------------------------------------------------ streamed payloads

    /** Bytes of the current PUBLISH payload not yet read by the application; 0 when none. */
    public int payloadRemaining() {
        return decoder == null ? 0 : decoder.payloadRemaining();
    }

    /** Whether the rest of the current payload is being discarded as it arrives. */
    public boolean skippingPayload() {
        return skipPayload && payloadRemaining() > 0;
    }

    /** Copies payload bytes already received in {@code in} to {@code dst}. */
    public int readPayload(ByteBuffer in, ByteBuffer dst) {
        int n = decoder.readPayload(in, dst);
        if (n > 0 && decoder.payloadRemaining() == 0) {
            payloadDone();
        }
        return n;
    }

    /** Records payload bytes the caller read from the transport straight into the application's buffer. */
    public void payloadReadDirectly(int n) {
        decoder.payloadConsumed(n);
        if (decoder.payloadRemaining() == 0) {
            payloadDone();
        }
    }

    /** Discards the rest of the current payload as it arrives (through {@link #receive}). */
    public void skipPayload(ByteBuffer in) {
        if (decoder != null && decoder.payloadRemaining() > 0) {
            skipPayload = true;
            decoder.skipPayload(in);
            if (decoder.payloadRemaining() == 0) {
                payloadDone();
            }
        }
    }

    private void payloadDone() {
        skipPayload = false;
        if (streaming != null) {
            streaming[1] |= COMPLETE;
            streaming = null;
            releaseAcks();
        }
        if (owedAckByte != 0) {
            sendOwedAck();
        }
    }

    private boolean sendOwedAck() {
        ByteBuffer tx = out.reserve(4);
        if (tx == null) {
            return false;
        }
        PacketEncoder.writeAck(tx, owedAckByte, owedAckId);
        owedAckByte = 0;
        return true;
    }

    // ------------------------------------------------------------------ operations

    /**
     * Queues a PUBLISH: small payloads, and heap payloads up to half the transmit buffer while it has room, are
     * copied into the transmit buffer; others are referenced (the caller must leave that buffer unchanged until it
     * is written, see {@link #outboundEmpty()}).
     *
     * @return the packet identifier (0 for QoS 0), or {@link #WOULD_BLOCK}
     */
    public int publish(String topic, Qos qos, boolean retain, ByteBuffer payload) {
        return publish(topic, qos, retain, payload, 0, false);
    }

    /**
     * Queues a PUBLISH with its payload copied into the transmit buffer, so that the caller may reuse the payload's
     * memory at once.
     *
     * @return the packet identifier (0 for QoS 0), or {@link #WOULD_BLOCK} when the whole packet does not fit now
     * @throws IllegalArgumentException if the whole packet can never fit the transmit buffer
     */
    public int publishCopy(String topic, Qos qos, boolean retain, ByteBuffer payload) {
        return publish(topic, qos, retain, payload, 0, true);
    }

    /**
     * Queues a PUBLISH again after a reconnect: same packet identifier, DUP set [MQTT-3.3.1-1], [MQTT-4.4.0-1].
     *
     * @return {@code packetId}, or {@link #WOULD_BLOCK}
     * @throws IllegalStateException if {@code packetId} is in flight already
     */
    public int republish(String topic, Qos qos, boolean retain, ByteBuffer payload, int packetId) {
        if (qos == Qos.AT_MOST_ONCE) {
            throw new IllegalArgumentException("QoS 0 messages are never re-sent [MQTT-3.3.1-2]");
        }
        if (packetId < 1 || packetId > 65535) {
            throw new IllegalArgumentException("messageId must be 1..65535, was " + packetId);
        }
        if (outgoing.contains(packetId)) {
            throw new IllegalStateException("messageId " + packetId + " is in flight already");
        }
        return publish(topic, qos, retain, payload, packetId, false);
    }

    /**
     * Queues a PUBREL again after a reconnect, for an outgoing QoS 2 message the server had PUBREC'd.
     *
     * @return false if the transmit side cannot take it now
     */
    public boolean resendPubRel(int packetId) {
        requireConnected();
        if (outgoing.contains(packetId)) {
            throw new IllegalStateException("messageId " + packetId + " is in flight already");
        }
        if (!writeAck(PUBREL_BYTE, packetId)) {
            return false;
        }
        outgoing.put(packetId, AWAIT_PUBCOMP);
        return true;
    }

    /** Publishes with a fresh identifier ({@code resendId == 0}) or again with {@code resendId} and DUP. */
    private int publish(String topic, Qos qos, boolean retain, ByteBuffer payload, int resendId, boolean mustCopy) {
        requireConnected();
        int topicLength = Topics.checkName("topic", topic);
        int payloadLength = payload.remaining();
        int q = qos.code();
        long remaining = 2L + topicLength + (q > 0 ? 2 : 0) + payloadLength;
        if (remaining > PacketEncoder.MAX_REMAINING_LENGTH) {
            throw new IllegalArgumentException("payload of " + payloadLength + " bytes makes the PUBLISH larger than "
                    + "MQTT allows (268435455 bytes remaining length)");
        }
        int headerLength = PacketEncoder.publishHeaderLength(topicLength, q, payloadLength);
        if (headerLength > out.capacity()) {
            throw new IllegalArgumentException("topic of " + topicLength + " bytes does not fit the transmit buffer of "
                    + out.capacity() + " bytes");
        }
        int packetLength = headerLength + payloadLength;
        if (mustCopy && packetLength > out.capacity()) {
            throw new IllegalArgumentException("a PUBLISH of " + packetLength + " bytes cannot be copied into the "
                    + "transmit buffer of " + out.capacity() + " bytes");
        }
        boolean copy = mustCopy || (payloadLength <= SMALL_PAYLOAD && packetLength <= out.capacity());
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
        int id = 0;
        if (q > 0) {
            id = resendId != 0 ? resendId : allocateId();
            if (id == 0) {
                return WOULD_BLOCK;
            }
            outgoing.put(id, q == 1 ? AWAIT_PUBACK : AWAIT_PUBREC);
        }
        PacketEncoder.writePublishHeader(tx, topic, topicLength, q, resendId != 0, retain, id, payloadLength);
        if (copy) {
            tx.put(tx.position(), payload, payload.position(), payloadLength);
            tx.position(tx.position() + payloadLength);
        } else {
            out.reference(payload.duplicate());
        }
        return id;
    }

    /**
     * Queues a SUBSCRIBE.
     *
     * @return the packet identifier, or {@link #WOULD_BLOCK}
     */
    public int subscribe(List<Subscription> subscriptions) {
        requireConnected();
        if (subscriptions.isEmpty()) {
            throw new IllegalArgumentException("subscriptions must not be empty [MQTT-3.8.3-3]");
        }
        long remaining = 2;
        for (Subscription s : subscriptions) {
            remaining += 3 + Utf8.encodedLength(s.filter());
        }
        ByteBuffer tx = claim("SUBSCRIBE", remaining);
        int id = tx == null ? 0 : allocateId();
        if (id == 0) {
            return WOULD_BLOCK;
        }
        outgoing.put(id, AWAIT_SUBACK | (subscriptions.size() << 4));
        PacketEncoder.writeFixedHeader(tx, 0x82, (int) remaining);
        tx.putShort((short) id);
        for (Subscription s : subscriptions) {
            PacketEncoder.writeString(tx, s.filter());
            tx.put((byte) s.qos().code());
        }
        commit(tx);
        return id;
    }

    /**
     * Queues an UNSUBSCRIBE.
     *
     * @return the packet identifier, or {@link #WOULD_BLOCK}
     */
    public int unsubscribe(List<String> filters) {
        requireConnected();
        if (filters.isEmpty()) {
            throw new IllegalArgumentException("filters must not be empty [MQTT-3.10.3-2]");
        }
        long remaining = 2;
        for (String f : filters) {
            remaining += 2 + Topics.checkFilter("filter", f);
        }
        ByteBuffer tx = claim("UNSUBSCRIBE", remaining);
        int id = tx == null ? 0 : allocateId();
        if (id == 0) {
            return WOULD_BLOCK;
        }
        outgoing.put(id, AWAIT_UNSUBACK);
        PacketEncoder.writeFixedHeader(tx, 0xA2, (int) remaining);
        tx.putShort((short) id);
        for (String f : filters) {
            PacketEncoder.writeString(tx, f);
        }
        commit(tx);
        return id;
    }

    /**
     * Deferred mode: the application has handled the received message {@code id}; its PUBACK or PUBREC goes out
     * once every earlier message of its QoS has been acknowledged too (and its payload read).
     *
     * @return false if no received message with that identifier awaits acknowledgement on this connection
     */
    public boolean acknowledge(int id) {
        if (!config.deferredAcks() || config.manualAcks()) {
            throw new IllegalStateException("acknowledge needs a client built with deferredAcks(true)");
        }
        for (java.util.ArrayDeque<int[]> q : List.of(pendingQos1, pendingQos2)) {
            for (int[] e : q) {
                if (e[0] == id && (e[1] & ACKED) == 0) {
                    e[1] |= ACKED;
                    releaseAcks();
                    return true;
                }
            }
        }
        return false;
    }

    /** Sends the deferred acknowledgements that may go now: from the head of each queue, while acknowledged. */
    private void releaseAcks() {
        if (state != State.CONNECTED) {
            return;
        }
        for (int qos = 1; qos <= 2; qos++) {
            java.util.ArrayDeque<int[]> q = qos == 1 ? pendingQos1 : pendingQos2;
            for (int[] e; (e = q.peek()) != null && e[1] == (ACKED | COMPLETE); ) {
                if (!writeAck(qos == 1 ? PUBACK_BYTE : PUBREC_BYTE, e[0])) {
                    return; // no room: written() tries again
                }
                if (qos == 2) {
                    incomingQos2.put(e[0], 1); // from now on a copy is answered, not delivered
                }
                q.poll();
            }
        }
    }

    /** Sends PUBACK for an incoming QoS 1 PUBLISH (manual mode). */
    public boolean pubAck(int id) {
        return manualAck(PUBACK_BYTE, id);
    }

    /** Sends PUBREC for an incoming QoS 2 PUBLISH (manual mode). */
    public boolean pubRec(int id) {
        return manualAck(PUBREC_BYTE, id);
    }

    /** Sends PUBCOMP for an incoming PUBREL (manual mode). */
    public boolean pubComp(int id) {
        return manualAck(PUBCOMP_BYTE, id);
    }

    /** Sends PUBREL for an outgoing QoS 2 PUBLISH the server has PUBREC'd (manual mode). */
    public boolean pubRel(int id) {
        int kind = outgoing.get(id);
        if (kind != PUBREL_TO_SEND && kind != AWAIT_PUBCOMP) {
            requireManual();
            throw new IllegalArgumentException("messageId " + id + " has no PUBREC to release");
        }
        if (!manualAck(PUBREL_BYTE, id)) {
            return false;
        }
        outgoing.put(id, AWAIT_PUBCOMP);
        return true;
    }

    private boolean manualAck(int firstByte, int id) {
        requireManual();
        requireConnected();
        if (id < 1 || id > 65535) {
            throw new IllegalArgumentException("messageId must be 1..65535, was " + id);
        }
        return writeAck(firstByte, id);
    }

    private void requireManual() {
        if (!config.manualAcks()) {
            throw new IllegalStateException("acknowledgements are sent automatically; build the client with manualAcks(true)");
        }
    }

    /** Bytes arrived from the server at {@code now} (whole packets or not): the connection is alive. */
    public void received(long now) {
        keepAlive.received(now);
    }

    /** Sends PINGREQ. */
    public boolean ping(long now) {
        requireConnected();
        ByteBuffer tx = out.reserve(2);
        if (tx == null) {
            return false;
        }
        PacketEncoder.writeFixedHeader(tx, 0xC0, 0);
        keepAlive.pingSent(now);
        return true;
    }

    /** Queues DISCONNECT; the connection closes once it is written (see {@link #written}). */
    public void disconnect(long now) {
        if (state != State.CONNECTED && state != State.CONNECTING) {
            throw new IllegalStateException("not connected");
        }
        state = State.DISCONNECTING;
        disconnectDeadline = now + config.connectTimeout().toMillis();
        disconnectOwed = true;
        writeOwedDisconnect();
    }

    private void writeOwedDisconnect() {
        ByteBuffer tx = out.reserve(2);
        if (tx != null) {
            PacketEncoder.writeFixedHeader(tx, 0xE0, 0);
            disconnectOwed = false;
        }
    }

    /** Ends the connection from the application's or transport's side, reporting {@code reason}. */
    public void close(DisconnectReason reason, ProtocolViolation violation, String message, Throwable cause) {
        if (state == State.DISCONNECTED) {
            return;
        }
        state = State.DISCONNECTED;
        epoch++;
        out.clear();
        owedAckByte = 0;
        skipPayload = false;
        listener.closed(new MqttEvent.Disconnect(reason, violation, message, cause));
    }

    private void violation(ProtocolViolation v, String message) {
        close(DisconnectReason.PROTOCOL_VIOLATION, v, message, null);
    }

    // ------------------------------------------------------------------ time and output

    /** Sends PINGREQ when due, and ends the connection on a connect, ping or disconnect timeout. */
    public void tick(long now) {
        switch (state) {
            case CONNECTING -> {
                if (now >= connectDeadline) {
                    close(DisconnectReason.CONNECT_TIMEOUT, null, "no CONNACK within "
                            + config.connectTimeout().toMillis() + " ms", null);
                }
            }
            case CONNECTED -> {
                if (keepAlive.timedOut(now)) {
                    close(DisconnectReason.KEEP_ALIVE_TIMEOUT, null, "no PINGRESP within "
                            + config.pingTimeout().toMillis() + " ms", null);
                } else if (keepAlive.pingDue(now) && !ping(now)) {
                    keepAlive.pingOwed(now); // no room now: sent once there is, timed out if there never is
                }
            }
            case DISCONNECTING -> {
                if (now >= disconnectDeadline) {
                    close(DisconnectReason.NORMAL, null, "closed before DISCONNECT could be written", null);
                }
            }
            default -> {
            }
        }
    }

    /** The next time {@link #tick} has something to do, or {@link Long#MAX_VALUE}. */
    public long nextDeadline() {
        return switch (state) {
            case CONNECTING -> connectDeadline;
            case CONNECTED -> keepAlive.deadline();
            case DISCONNECTING -> disconnectDeadline;
            default -> Long.MAX_VALUE;
        };
    }

    public boolean outboundEmpty() {
        return out.isEmpty();
    }

    /** Lays out pending bytes for one gathering write; see {@link OutboundBuffer#gather()}. */
    public int gather() {
        return out.gather();
    }

    public ByteBuffer[] segments() {
        return out.segments();
    }

    /**
     * Records a write of the gathered segments that took {@code bytes} bytes at {@code now}; sends what waited for
     * room; closes the connection once a DISCONNECT has gone out.
     */
    public void written(long bytes, long now) {
        out.afterWrite();
        if (bytes > 0) {
            keepAlive.sent(now);
        }
        if (keepAlive.pingOwed() && state == State.CONNECTED) {
            ping(now);
        }
        if (owedAckByte != 0 && decoder.payloadRemaining() == 0 && state == State.CONNECTED) {
            sendOwedAck();
        }
        if (!pendingQos1.isEmpty() || !pendingQos2.isEmpty()) {
            releaseAcks();
        }
        if (state == State.DISCONNECTING) {
            if (disconnectOwed) {
                writeOwedDisconnect();
            } else if (out.isEmpty()) {
                close(DisconnectReason.NORMAL, null, "disconnected", null);
            }
        }
    }

    /** Packet identifiers in flight: QoS 1/2 publishes, subscribes and unsubscribes awaiting an answer. */
    public int inflight() {
        return outgoing.size();
    }

    private int allocateId() {
        if (outgoing.size() >= config.maxInflight()) {
            return 0;
        }
        for (int i = 0; i < 65535; i++) {
            int id = nextId;
            nextId = nextId == 65535 ? 1 : nextId + 1;
            if (!outgoing.contains(id)) {
                return id;
            }
        }
        return 0;
    }

    private boolean writeAck(int firstByte, int id) {
        ByteBuffer tx = out.reserve(4);
        if (tx == null) {
            return false;
        }
        PacketEncoder.writeAck(tx, firstByte, id);
        return true;
    }

    /**
     * Room for a control packet of {@code remaining} bytes after its fixed header: the transmit buffer when it fits
     * there, else a buffer of its own (large SUBSCRIBE/UNSUBSCRIBE lists are rare and not on the hot path), or
     * {@code null} when neither can be had now.
     */
    private ByteBuffer claim(String what, long remaining) {
        if (remaining > PacketEncoder.MAX_REMAINING_LENGTH) {
            throw new IllegalArgumentException(what + " is larger than MQTT allows");
        }
        int total = 1 + PacketEncoder.varIntSize((int) remaining) + (int) remaining;
        if (total <= out.capacity()) {
            return out.reserve(total);
        }
        return out.canReference() ? ByteBuffer.allocate(total) : null;
    }

    /** Queues a packet written into a buffer of its own by {@link #claim}; nothing to do for the transmit buffer. */
    private void commit(ByteBuffer written) {
        if (!out.isTransmitBuffer(written)) {
            out.reference(written.flip());
        }
    }

    private void requireConnected() {
        if (state != State.CONNECTED) {
            throw new IllegalStateException(state == State.CONNECTING ? "not connected yet: wait for CONNACK"
                    : "not connected");
        }
    }
}
