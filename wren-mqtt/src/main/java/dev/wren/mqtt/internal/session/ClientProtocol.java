package dev.wren.mqtt.internal.session;

import dev.wren.mqtt.DisconnectReason;
import dev.wren.mqtt.MqttEvent;
import dev.wren.mqtt.MqttProperties;
import dev.wren.mqtt.ProtocolViolation;
import dev.wren.mqtt.Qos;
import dev.wren.mqtt.ReasonCode;
import dev.wren.mqtt.Subscription;
import dev.wren.mqtt.UnacknowledgedMessage;
import dev.wren.mqtt.Will;
import dev.wren.mqtt.internal.codec.MalformedPacketException;
import dev.wren.mqtt.internal.codec.Packet;
import dev.wren.mqtt.internal.codec.PacketEncoder;
import dev.wren.mqtt.internal.codec.Properties;
import dev.wren.mqtt.internal.codec.Property;
import dev.wren.mqtt.internal.codec.ReasonCodes;
import dev.wren.mqtt.internal.codec.Topics;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The client side of the MQTT protocol, without I/O, clock or threads: fed received bytes and the current time, it
 * decodes packets, keeps a {@link Session} across {@link Connection}s, acknowledges automatically (unless told not
 * to), re-sends what a resumed session needs, and leaves the bytes to send in an {@link OutboundBuffer}. Every packet
 * it sends is encoded by {@link PacketEncoder}.
 *
 * <p>What happened is recorded as {@link MqttEvent}s and handed out by {@link #pollEvent()} once the call that
 * produced them has finished, so whoever handles an event finds the state consistent and may call back in. The one
 * thing done at once is closing the transport when the connection ends (the {@code closeTransport} hook).
 *
 * <p>Not thread-safe: one thread at a time, which the owning client guarantees.
 */
public final class ClientProtocol {

    /** Where the protocol stands, as the owning client reports it. */
    public enum State { DISCONNECTED, CONNECTING, CONNECTED, DISCONNECTING }

    /** Returned by operations that cannot be taken now: wait until the transport is writable, then retry. */
    public static final int WOULD_BLOCK = -1;

    /** Payloads up to this size are copied into the transmit buffer so that many can go in one write. */
    public static final int SMALL_PAYLOAD = 128;

    private final ProtocolConfig config;
    /** The configured client id (empty: the server assigns one). */
    private final String clientId;
    private final Session session;
    private final Runnable closeTransport;
    private final OutboundBuffer out;
    /** Events not yet polled; made on the first, given up by {@link #trimIdle()} while empty. */
    private ArrayDeque<MqttEvent> events;
    private final Acknowledgements acks;
    private final OutgoingPackets outgoing;
    private Connection conn;
    private EnhancedAuthentication authentication;

    /**
     * A core for {@code config} working on {@code session} (a new one, or the one an earlier core of the same client
     * used); {@code closeTransport} is run the moment a connection ends.
     */
    public ClientProtocol(ProtocolConfig config, Session session, Runnable closeTransport, ByteBuffer transmitBuffer) {
        this(config, config.clientId(), session, closeTransport, transmitBuffer);
    }

    /**
     * A core whose client id is {@code clientId} whatever {@code config} says: {@code config} may then be one that
     * clients built alike share ({@link ProtocolConfig#shared}).
     */
    public ClientProtocol(ProtocolConfig config, String clientId, Session session, Runnable closeTransport,
                          ByteBuffer transmitBuffer) {
        this.config = config;
        this.clientId = clientId;
        this.session = session;
        this.closeTransport = closeTransport;
        this.out = new OutboundBuffer(transmitBuffer, config.transmitBufferLimit());
        this.acks = new Acknowledgements(this);
        this.outgoing = new OutgoingPackets(this);
    }

    OutgoingPackets outgoing() {
        return outgoing;
    }

    public ProtocolConfig config() {
        return config;
    }

    public Session session() {
        return session;
    }

    public State state() {
        if (conn == null) {
            return State.DISCONNECTED;
        }
        return switch (conn.state) {
            case CONNECTING -> State.CONNECTING;
            case CONNECTED -> State.CONNECTED;
            case DISCONNECTING -> State.DISCONNECTING;
            case CLOSED -> State.DISCONNECTED;
        };
    }

    /** The next event recorded, oldest first, or null. */
    public MqttEvent pollEvent() {
        return events == null ? null : events.poll();
    }

    void emit(MqttEvent e) {
        if (events == null) {
            events = new ArrayDeque<>(4); // grows under load
        }
        events.add(e);
    }

    Acknowledgements acks() {
        return acks;
    }

    Connection connection() {
        return conn;
    }

    OutboundBuffer out() {
        return out;
    }

    /** Queues CONNECT for a new connection. */
    public void start(long now) {
        if (state() != State.DISCONNECTED) {
            throw new IllegalStateException("already " + state().name().toLowerCase());
        }
        conn = new Connection(config, now);
        out.clear();
        if (config.cleanSession()) {
            session.serverStateLost(); // MQTT-3.1.2-6: the server discards it too
        }
        // MQTT 5.0: an empty client identifier is replaced by the one the server assigned, so that the session resumes
        String id = clientId.isEmpty() && session.assignedClientId != null ? session.assignedClientId : clientId;
        send(config.connect(id)); // the configuration has checked that CONNECT fits the empty buffer
    }

    // ------------------------------------------------------------------ input

    /**
     * Decodes and handles what {@code in} holds, advancing its position past what was consumed. Stops when more
     * bytes are needed, when a streamed payload waits for the application, when there is no room to answer, or when
     * the connection ended.
     */
    public void receive(ByteBuffer in, long now) {
        Connection c = conn;
        if (c != null) {
            c.now = now;
        }
        while (c != null && (c.state == Connection.State.CONNECTING || c.state == Connection.State.CONNECTED)) {
            if (c.decoder.payloadRemaining() > 0) {
                if (!c.skipPayload) {
                    return;
                }
                c.decoder.skipPayload(in);
                if (c.decoder.payloadRemaining() > 0) {
                    return;
                }
                acks.payloadDone();
                continue;
            }
            if (!acks.sendOwed() || !out.hasRoom(4)) {
                return; // no room to answer what comes next: let the transmit side drain first
            }
            Packet p;
            try {
                p = c.decoder.decode(in);
            } catch (MalformedPacketException e) {
                violation(e.violation(), e.getMessage(), e.violation() == ProtocolViolation.PACKET_TOO_LARGE
                        ? ReasonCode.PACKET_TOO_LARGE : ReasonCode.MALFORMED_PACKET);
                return;
            }
            if (p == null) {
                return;
            }
            handle(c, p);
        }
    }

    private void handle(Connection c, Packet p) {
        if (p instanceof Packet.ConnAck a) {
            ConnAckHandling.onConnAck(this, c, a);
        } else if (p instanceof Packet.Auth auth) {
            authentication().onAuth(c, auth);
        } else if (c.state == Connection.State.CONNECTING) {
            violation(ProtocolViolation.UNEXPECTED_CONNACK_STATE, p.type() + " before CONNACK [MQTT-3.2.0-1]");
        } else {
            switch (p.type()) {
                case PUBLISH -> acks.onPublish((Packet.Publish) p);
                case PUBACK -> acks.onPubAck((Packet.PubAck) p);
                case PUBREC -> acks.onPubRec((Packet.PubRec) p);
                case PUBREL -> acks.onPubRel(((Packet.PubRel) p).packetId());
                case PUBCOMP -> acks.onPubComp((Packet.PubComp) p);
                case SUBACK -> outgoing.onSubAck((Packet.SubAck) p);
                case UNSUBACK -> outgoing.onUnsubAck((Packet.UnsubAck) p);
                case PINGRESP -> {
                    c.keepAlive.pingAnswered();
                    emit(new MqttEvent.PingResp());
                }
                case DISCONNECT -> onServerDisconnect((Packet.Disconnect) p);
                default -> throw new AssertionError(p.type()); // the client-role decoder lets no other type through
            }
        }
    }

    /** MQTT 5.0 enhanced authentication, made when first needed (a client with an authenticator, or a stray AUTH). */
    EnhancedAuthentication authentication() {
        if (authentication == null) {
            authentication = new EnhancedAuthentication(this);
        }
        return authentication;
    }

    /**
     * MQTT 5.0: starts a re-authentication [MQTT-4.12.1-1]: AUTH with Re-authenticate and the authenticator's initial
     * data; the exchange goes on as the server answers, and ends with an {@link MqttEvent.Auth} of success (or the
     * connection ends).
     *
     * @return false when there is no room to send it now
     */
    public boolean reauthenticate() {
        requireConnected();
        return authentication().reauthenticate(conn);
    }

    /** MQTT 5.0: the server ends the connection with a reason. */
    private void onServerDisconnect(Packet.Disconnect d) {
        ReasonCode reason = ReasonCodes.of(d.reasonCode(), Property.Where.DISCONNECT);
        Properties props = d.properties() == null ? Properties.NONE : d.properties();
        String message = "the server disconnected: " + reason + props.reasonString().map(r -> " (" + r + ")")
                .orElse("") + props.serverReference().map(r -> ", use " + r).orElse("");
        endConnection(new MqttEvent.Disconnect(DisconnectReason.SERVER_DISCONNECT, null, message, null, reason,
                props));
    }

    /** Bytes arrived from the server at {@code now} (whole packets or not): the connection is alive. */
    public void received(long now) {
        if (conn != null) {
            conn.keepAlive.received(now);
        }
    }

    // ------------------------------------------------------------------ operations

    /**
     * Queues a PUBLISH. Small payloads, and heap payloads up to half the transmit buffer while it has room, are
     * copied into the transmit buffer; others are referenced until written. A QoS 1/2 payload is also kept, by
     * reference, until the message is complete, to be sent again after a reconnect: the caller leaves it unchanged.
     *
     * @return the packet identifier (0 for QoS 0), or {@link #WOULD_BLOCK}
     */
    public int publish(String topic, Qos qos, boolean retain, ByteBuffer payload) {
        return outgoing.publish(topic, qos, retain, payload, null, null, false);
    }

    /** {@link #publish(String, Qos, boolean, ByteBuffer)} with MQTT 5.0 properties (null for none). */
    public int publish(String topic, Qos qos, boolean retain, ByteBuffer payload, Properties properties) {
        return outgoing.publish(topic, qos, retain, payload, properties, null, false);
    }

    /**
     * Queues a PUBLISH that leaves the caller free to reuse {@code payload} at once: copied into the transmit
     * buffer when the whole packet fits there, copied to a heap array otherwise (and for a QoS 1/2 message, whose
     * payload is kept until it is complete).
     *
     * @return the packet identifier (0 for QoS 0), or {@link #WOULD_BLOCK} when it does not fit now
     */
    public int publishCopy(String topic, Qos qos, boolean retain, ByteBuffer payload) {
        return outgoing.publish(topic, qos, retain, payload, null, null, true);
    }

    /** {@link #publishCopy(String, Qos, boolean, ByteBuffer)} with MQTT 5.0 properties (null for none). */
    public int publishCopy(String topic, Qos qos, boolean retain, ByteBuffer payload, Properties properties) {
        return outgoing.publish(topic, qos, retain, payload, properties, null, true);
    }

    /** Takes back a message an earlier process had in flight; before connecting. */
    public void restore(UnacknowledgedMessage m) {
        if (state() != State.DISCONNECTED) {
            throw new IllegalStateException("restore before connecting");
        }
        session.restore(m);
    }

    /** Takes back an incoming QoS 2 identifier an earlier process had not seen released; before connecting. */
    public void restoreIncomingQos2(int packetId) {
        if (state() != State.DISCONNECTED) {
            throw new IllegalStateException("restore before connecting");
        }
        if (packetId < 1 || packetId > 65535) {
            throw new IllegalArgumentException("packetId must be 1..65535, was " + packetId);
        }
        session.incomingQos2.put(packetId, 1);
    }

    /** Queues a SUBSCRIBE; returns the packet identifier, or {@link #WOULD_BLOCK}. */
    public int subscribe(List<Subscription> subscriptions) {
        return outgoing.subscribe(subscriptions, null);
    }

    /**
     * Queues an MQTT 5.0 SUBSCRIBE with properties: a Subscription Identifier (1..268,435,455, 0 for none) and
     * user properties; returns the packet identifier, or {@link #WOULD_BLOCK}.
     */
    public int subscribe(List<Subscription> subscriptions, int subscriptionIdentifier, Properties properties) {
        Properties p = properties == null ? Properties.NONE : properties;
        if (subscriptionIdentifier != 0) {
            if (subscriptionIdentifier < 0 || subscriptionIdentifier > 268_435_455) {
                throw new IllegalArgumentException("subscriptionIdentifier must be 1..268435455, was "
                        + subscriptionIdentifier);
            }
            p = p.with(Property.SUBSCRIPTION_IDENTIFIER, subscriptionIdentifier);
        }
        return outgoing.subscribe(subscriptions, p);
    }

    /** Queues an UNSUBSCRIBE; returns the packet identifier, or {@link #WOULD_BLOCK}. */
    public int unsubscribe(List<String> filters) {
        return outgoing.unsubscribe(filters, null);
    }

    /** Queues an MQTT 5.0 UNSUBSCRIBE with user properties; returns the packet identifier, or {@link #WOULD_BLOCK}. */
    public int unsubscribe(List<String> filters, Properties properties) {
        return outgoing.unsubscribe(filters, properties);
    }

    /** Deferred acknowledgements: the application has handled {@code id}; see {@link Acknowledgements#acknowledge}. */
    public boolean acknowledge(int id) {
        return acks.acknowledge(id);
    }

    /** Manual mode: PUBACK for an incoming QoS 1 PUBLISH. */
    public boolean pubAck(int id) {
        return acks.manual(new Packet.PubAck(checkId(id)));
    }

    /** Manual mode: PUBREC for an incoming QoS 2 PUBLISH. */
    public boolean pubRec(int id) {
        return acks.manual(new Packet.PubRec(checkId(id)));
    }

    /** Manual mode: PUBCOMP for an incoming PUBREL. */
    public boolean pubComp(int id) {
        return acks.manual(new Packet.PubComp(checkId(id)));
    }

    /** Manual mode: PUBREL for an outgoing QoS 2 PUBLISH the server has PUBREC'd. */
    public boolean pubRel(int id) {
        return acks.pubRel(id);
    }

    private static int checkId(int id) {
        if (id < 1 || id > 65535) {
            throw new IllegalArgumentException("messageId must be 1..65535, was " + id);
        }
        return id;
    }

    /** Sends PINGREQ. */
    public boolean ping(long now) {
        requireConnected();
        if (!send(new Packet.PingReq())) {
            return false;
        }
        conn.keepAlive.pingSent(now);
        return true;
    }

    /** Queues DISCONNECT; the connection closes once it is written (see {@link #written}). */
    public void disconnect(long now) {
        disconnect(now, ReasonCode.NORMAL_DISCONNECTION, null);
    }

    /**
     * Queues DISCONNECT with an MQTT 5.0 reason code ({@link ReasonCode#NORMAL_DISCONNECTION}, or
     * {@link ReasonCode#DISCONNECT_WITH_WILL_MESSAGE} to have the server publish the will) and properties (a Session
     * Expiry Interval, a Reason String, user properties; null for none); the connection closes once it is written.
     */
    public void disconnect(long now, ReasonCode reason, Properties properties) {
        State s = state();
        if (s != State.CONNECTED && s != State.CONNECTING) {
            throw new IllegalStateException("not connected");
        }
        if (!ReasonCodes.allowedIn(reason, Property.Where.DISCONNECT)) {
            throw new IllegalArgumentException(reason + " is not a DISCONNECT reason code");
        }
        boolean mqtt5 = config.protocolVersion().isMqtt5();
        if (!mqtt5 && (reason != ReasonCode.NORMAL_DISCONNECTION || (properties != null && !properties.isEmpty()))) {
            throw new IllegalArgumentException("a DISCONNECT reason code and properties need MQTT 5.0");
        }
        if (mqtt5 && properties != null && config.sessionExpiryInterval() == 0
                && properties.sessionExpiryInterval().orElse(0) != 0) {
            throw new IllegalArgumentException("the session expiry cannot be set on DISCONNECT when CONNECT set it "
                    + "to 0 [MQTT-3.14.2-2]");
        }
        conn.state = Connection.State.DISCONNECTING;
        conn.disconnectDeadline = now + config.connectTimeout().toMillis();
        Properties props = properties == null || properties.isEmpty() ? null
                : new dev.wren.mqtt.internal.codec.ReasonedPacket(Property.Where.DISCONNECT, 0, reason, properties)
                        .within(conn.serverMaximumPacketSize).properties(); // [MQTT-3.14.2-3], [MQTT-3.14.2-4]
        conn.disconnectPacket = new Packet.Disconnect(reason.value(), props == null || props.isEmpty() ? null : props);
        conn.disconnectOwed = !send(conn.disconnectPacket);
    }

    /** Ends the connection from the application's or transport's side, reporting {@code reason}. */
    public void close(DisconnectReason reason, ProtocolViolation violation, String message, Throwable cause) {
        if (conn != null && conn.closing != null && conn.open()) {
            endConnection(conn.closing); // a DISCONNECT for a violation was on its way: report the violation
            return;
        }
        endConnection(new MqttEvent.Disconnect(reason, violation, message, cause,
                reason == DisconnectReason.NORMAL && config.protocolVersion().isMqtt5() && conn != null
                        && conn.disconnectPacket != null ? ReasonCodes.of(conn.disconnectPacket.reasonCode(),
                        Property.Where.DISCONNECT) : null, MqttProperties.none()));
    }

    void endConnection(MqttEvent.Disconnect event) {
        if (conn == null || !conn.open()) {
            return;
        }
        conn.state = Connection.State.CLOSED;
        out.clear();
        session.connectionEnded();
        closeTransport.run();
        emit(event);
    }

    void violation(ProtocolViolation v, String message) {
        violation(v, message, ReasonCode.PROTOCOL_ERROR);
    }

    /**
     * The server broke the protocol: the connection ends. With MQTT 5.0 the client first tells the server why, in a
     * DISCONNECT with {@code reason} [MQTT-4.13.1-1], and reports the violation once that is written (or at once if
     * it cannot be queued).
     */
    void violation(ProtocolViolation v, String message, ReasonCode reason) {
        closeWithDisconnect(DisconnectReason.PROTOCOL_VIOLATION, v, message, reason);
    }

    void closeWithDisconnect(DisconnectReason why, ProtocolViolation v, String message, ReasonCode reason) {
        if (conn == null || !conn.open()) {
            return;
        }
        if (!config.protocolVersion().isMqtt5() || conn.state == Connection.State.DISCONNECTING) {
            close(why, v, message, null);
            return;
        }
        MqttEvent.Disconnect event = new MqttEvent.Disconnect(why, v, message, null, reason, MqttProperties.none());
        if (!send(new Packet.Disconnect(reason.value(), null))) {
            endConnection(event);
            return;
        }
        conn.closing = event;
        conn.state = Connection.State.DISCONNECTING;
        conn.disconnectDeadline = conn.now + config.connectTimeout().toMillis();
    }

    // ------------------------------------------------------------------ time and output

    /** Sends PINGREQ when due, and ends the connection on a connect, ping or disconnect timeout. */
    public void tick(long now) {
        if (conn != null) {
            conn.now = now;
        }
        switch (state()) {
            case CONNECTING -> {
                if (now >= conn.connectDeadline) {
                    close(DisconnectReason.CONNECT_TIMEOUT, null, "no CONNACK within "
                            + config.connectTimeout().toMillis() + " ms", null);
                }
            }
            case CONNECTED -> {
                if (conn.keepAlive.timedOut(now)) {
                    close(DisconnectReason.KEEP_ALIVE_TIMEOUT, null, "no PINGRESP within "
                            + config.pingTimeout().toMillis() + " ms", null);
                } else if (conn.keepAlive.pingDue(now) && !ping(now)) {
                    conn.keepAlive.pingOwed(now); // no room now: sent once there is, timed out if there never is
                }
            }
            case DISCONNECTING -> {
                if (now >= conn.disconnectDeadline) {
                    close(DisconnectReason.NORMAL, null, "closed before DISCONNECT could be written", null);
                }
            }
            default -> {
            }
        }
    }

    /** The round trip of the last answered PINGREQ on this connection, in the clock's units; -1 if none. */
    public long lastPingRoundTrip() {
        return conn == null ? -1 : conn.keepAlive.lastRoundTrip;
    }

    /** Whether connected with a PINGREQ whose PINGRESP has not been read yet. */
    public boolean awaitingPingResponse() {
        return state() == State.CONNECTED && conn.keepAlive.pingOutstanding();
    }

    /** The next time {@link #tick} has something to do, or {@link Long#MAX_VALUE}. */
    public long nextDeadline() {
        return switch (state()) {
            case CONNECTING -> conn.connectDeadline;
            case CONNECTED -> conn.keepAlive.deadline();
            case DISCONNECTING -> conn.disconnectDeadline;
            default -> Long.MAX_VALUE;
        };
    }

    public boolean outboundEmpty() {
        return out.isEmpty();
    }

    /**
     * An idle connection's trim: gives up the transmit buffer while nothing waits to be written (see
     * {@link OutboundBuffer#release()}; the next packet allocates it again), the in-flight table's storage while
     * nothing is in flight, and the event queue while it is empty. Returns whether the transmit buffer is released.
     */
    public boolean trimIdle() {
        session.trim();
        if (events != null && events.isEmpty()) {
            events = null;
        }
        return out.release();
    }

    /**
     * Back to the configured transmit buffer size if the buffer grew and nothing beyond that size was pending since
     * the last call (see {@link OutboundBuffer#shrinkIfUnused()}); called every few seconds.
     */
    public void shrinkTransmitBuffer() {
        out.shrinkIfUnused();
    }

    /** The capacity of the transmit buffer held now, 0 while it is given up. */
    public int transmitBufferCapacity() {
        return out.currentCapacity();
    }

    /** Whether the transmit buffer is given up now. */
    public boolean transmitBufferReleased() {
        return out.released();
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
        Connection c = conn;
        if (c == null || !c.open()) {
            return;
        }
        c.now = now;
        if (bytes > 0) {
            c.keepAlive.sent(now);
        }
        if (c.state == Connection.State.CONNECTED) {
            if (c.keepAlive.pingOwed()) {
                ping(now);
            }
            if (c.resendsLeft > 0) {
                outgoing.resend(c);
            }
            acks.afterWrite();
        } else if (c.state == Connection.State.DISCONNECTING) {
            if (c.disconnectOwed) {
                c.disconnectOwed = !send(c.disconnectPacket);
            } else if (out.isEmpty()) {
                close(DisconnectReason.NORMAL, null, "disconnected", null);
            }
        }
    }

    /** Packet identifiers in flight: QoS 1/2 publishes, subscribes and unsubscribes awaiting an answer. */
    public int inflight() {
        return session.size();
    }

    /**
     * Whether the send window is full: as many QoS 1/2 messages unacknowledged as the configuration allows (and, with
     * MQTT 5.0, as the server's Receive Maximum allows [MQTT-4.9.0-2]).
     */
    public boolean sendWindowFull() {
        return session.publishes() >= sendWindow();
    }

    /** How many QoS 1/2 messages may be unacknowledged at once on this connection. */
    int sendWindow() {
        Connection c = conn;
        return c == null ? config.maxInflight() : Math.min(config.maxInflight(), c.serverReceiveMaximum);
    }

    /** What the server granted on this connection, for MQTT 5.0: its maximum QoS (2 without limits). */
    public int serverMaximumQos() {
        return conn == null ? 2 : conn.maximumQos;
    }

    /** Whether the server takes retained messages on this connection (always, before MQTT 5.0). */
    public boolean serverRetainAvailable() {
        return conn == null || conn.retainAvailable;
    }

    /** The largest packet the server takes on this connection. */
    public long serverMaximumPacketSize() {
        return conn == null ? ProtocolConfig.MQTT_MAX_PACKET : conn.serverMaximumPacketSize;
    }

    /** The subscriptions the server granted on this session and the application has not ended. */
    public Map<String, Qos> subscriptions() {
        return session.subscriptions();
    }

    /** Encodes {@code p} into the transmit buffer; false when there is no room now. */
    boolean send(Packet p) {
        ByteBuffer tx = out.reserve(PacketEncoder.encodedLength(p));
        if (tx == null) {
            return false;
        }
        PacketEncoder.encode(p, tx);
        return true;
    }

    void requireConnected() {
        if (state() != State.CONNECTED) {
            throw new IllegalStateException(state() == State.CONNECTING ? "not connected yet: wait for CONNACK"
                    : "not connected");
        }
    }

    // ------------------------------------------------------------------ streamed payloads

    /** Bytes of the current PUBLISH payload not yet read by the application; 0 when none. */
    public int payloadRemaining() {
        return conn == null || !conn.open() ? 0 : conn.decoder.payloadRemaining();
    }

    /** Whether the rest of the current payload is being discarded as it arrives. */
    public boolean skippingPayload() {
        return payloadRemaining() > 0 && conn.skipPayload;
    }

    /** Copies payload bytes already received in {@code in} to {@code dst}. */
    public int readPayload(ByteBuffer in, ByteBuffer dst) {
        int n = conn.decoder.readPayload(in, dst);
        if (n > 0 && conn.decoder.payloadRemaining() == 0) {
            acks.payloadDone();
        }
        return n;
    }

    /** Records payload bytes the caller read from the transport straight into the application's buffer. */
    public void payloadReadDirectly(int n) {
        conn.decoder.payloadConsumed(n);
        if (conn.decoder.payloadRemaining() == 0) {
            acks.payloadDone();
        }
    }

    /** Discards the rest of the current payload as it arrives (through {@link #receive}). */
    public void skipPayload(ByteBuffer in) {
        if (payloadRemaining() > 0) {
            conn.skipPayload = true;
            conn.decoder.skipPayload(in);
            if (conn.decoder.payloadRemaining() == 0) {
                acks.payloadDone();
            }
        }
    }
}
