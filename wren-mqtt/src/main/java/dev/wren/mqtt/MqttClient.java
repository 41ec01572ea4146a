package dev.wren.mqtt;

import dev.wren.mqtt.internal.client.ConnectionIo;
import dev.wren.mqtt.internal.session.ClientProtocol;
import dev.wren.mqtt.internal.session.ProtocolConfig;
import dev.wren.mqtt.internal.session.Session;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A poll-driven MQTT 3.1 / 3.1.1 client: the Java form of Zephyr's MQTT client library.
 *
 * <p>The application drives it, as with Zephyr's {@code mqtt_input} and {@code mqtt_live}: it connects, waits on
 * the client's {@linkplain #channel() channel} (with a {@link java.nio.channels.Selector}, for at most
 * {@link #keepAliveTimeLeft()} milliseconds), then calls {@link #input()} to process what arrived and
 * {@link #live()} to keep the connection alive. Every packet from the server, and the end of the connection,
 * reaches one {@link MqttEventHandler} as a typed {@link MqttEvent}.
 *
 * <pre>{@code
 * MqttClient client = new MqttClient(config, (c, event) -> System.out.println(event));
 * client.connect();
 * try (Selector selector = Selector.open()) {
 *     while (client.isOpen()) {
 *         SelectionKey key = client.channel().register(selector, client.interestOps());
 *         selector.select(Math.max(1, client.keepAliveTimeLeft()));
 *         client.input();
 *         client.live();
 *     }
 * }
 * }</pre>
 *
 * <p>Unlike Zephyr, the client does the protocol bookkeeping itself: it assigns packet identifiers (never one
 * still in flight), acknowledges QoS 1 and 2 messages in the order the specification requires (unless built with
 * {@link MqttClientConfig.Builder#manualAcks(boolean) manualAcks}), answers repeated QoS 2 messages without
 * delivering them twice, and closes the connection when a PINGRESP or CONNACK does not come in time. Its session
 * outlives the connection: after a reconnect that the server answers with session present, it sends the
 * unacknowledged PUBLISHes again (DUP set, original identifiers, original order) and the pending PUBRELs, before
 * anything new [MQTT-4.4.0-1]; when the server has no session, a {@link MqttEvent.SessionLost} hands the
 * messages it forgot back to the application. At most
 * {@link MqttClientConfig.Builder#maxInflight(int) maxInflight} QoS 1/2 messages are unacknowledged at once.
 *
 * <p>Events are delivered once the call that produced them has finished its work, so the handler always finds the
 * client in a consistent state.
 *
 * <p>Nothing blocks except the explicitly blocking payload reads. An operation the transmit side cannot take
 * right now returns {@link #WOULD_BLOCK} and changes nothing: wait until the channel is writable (the client
 * asks for that through {@link #interestOps()}) and call it again. Which payloads are copied and which written
 * from (and kept in) the caller's buffer, {@link #publish(String, ByteBuffer, Qos, boolean)} says.
 *
 * <h2>Thread safety</h2>
 * Not thread-safe: like a {@link java.nio.channels.SocketChannel} in a selector loop, a client is used by one
 * thread at a time, the thread that polls it. Many clients may share that thread. The event handler runs on it
 * and may call any method of the client, including {@link StreamedPayload#read(ByteBuffer)}, {@link #publish} and
 * {@link #disconnect()}.
 */
public final class MqttClient {

    /** Returned by an operation that the transmit side cannot take now. Nothing was queued. */
    public static final int WOULD_BLOCK = ClientProtocol.WOULD_BLOCK;

    /** Payloads up to this many bytes are copied into the transmit buffer, so several go out in one write. */
    public static final int SMALL_PAYLOAD = ClientProtocol.SMALL_PAYLOAD;

    private final MqttClientConfig config;
    private final MqttEventHandler handler;
    /** The protocol core; named for what it keeps across connections. */
    private final ClientProtocol protocol;
    /** The bytes between the core and the transport. */
    private final ConnectionIo io;
    private final StreamedPayload payload;
    /** {@link #deliverEvents()}, made once: input() must not allocate a method reference per call. */
    private final Runnable deliver = this::deliverEvents;
    private boolean delivering;
    private int inInput;

    /**
     * A client for {@code config} that reports to {@code handler}. Allocates its buffers; connects nothing.
     *
     * @param config the configuration
     * @param handler the handler of every event
     */
    public MqttClient(MqttClientConfig config, MqttEventHandler handler) {
        this(config, handler, new Session());
    }

    private MqttClient(MqttClientConfig config, MqttEventHandler handler, Session session) {
        this.config = Objects.requireNonNull(config, "config");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.io = new ConnectionIo(config);
        this.protocol = new ClientProtocol(ProtocolConfig.shared(config), config.clientId(), session,
                io::closeTransport, ByteBuffer.allocateDirect(config.transmitBufferSize()));
        io.attach(protocol);
        this.payload = new StreamedPayload(this, protocol, io);
    }

    /**
     * The configuration.
     *
     * @return the configuration
     */
    public MqttClientConfig config() {
        return config;
    }

    /**
     * A new client for {@code next}, reporting to the same handler, that goes on with this client's session: for a
     * reconnect with changed settings (fresh credentials, another keep-alive). The outgoing QoS 1/2 messages not yet
     * complete go with it: re-sent after the CONNACK if the server resumes the session, reported in a
     * {@link MqttEvent.SessionLost} otherwise. When {@code next} names the same server (host and port) and client
     * id, the new client also knows which incoming QoS 2 messages were delivered and not yet released, and answers
     * a copy the server sends again with PUBREC without delivering it twice. Another server or client id is another
     * session: the messages are reported lost at the next CONNACK.
     *
     * @param next the new configuration
     * @return the new client
     * @throws IllegalStateException if this client is open (connected, connecting or closing)
     */
    public MqttClient reconfigured(MqttClientConfig next) {
        Objects.requireNonNull(next, "next");
        if (isOpen()) {
            throw new IllegalStateException("disconnect before reconfiguring");
        }
        Session carried = protocol.session();
        if (!next.clientId().equals(config.clientId()) || !next.host().equals(config.host())
                || next.port() != config.port()) {
            carried.movedToAnotherServer();
        }
        return new MqttClient(next, handler, carried);
    }

    // ------------------------------------------------------------------ connection

    /**
     * Starts connecting: opens the transport without waiting and queues CONNECT. CONNACK arrives later through
     * {@link #input()} as a {@link MqttEvent.ConnAck}. A failure (unknown host, refused, timeout) ends in a
     * {@link MqttEvent.Disconnect}, possibly from inside this call.
     *
     * @throws IllegalStateException if the client is already connected or connecting
     */
    public void connect() {
        if (protocol.state() != ClientProtocol.State.DISCONNECTED) {
            throw new IllegalStateException("already " + protocol.state().name().toLowerCase());
        }
        long now = now();
        protocol.start(now);
        io.open(now);
        deliverEvents();
    }

    /**
     * Whether the client has a connection, established or being set up or closed.
     *
     * @return whether a connection is open
     */
    public boolean isOpen() {
        return protocol.state() != ClientProtocol.State.DISCONNECTED;
    }

    /**
     * Whether CONNACK accepted the connection and it has not ended.
     *
     * @return whether it is connected
     */
    public boolean isConnected() {
        return protocol.state() == ClientProtocol.State.CONNECTED;
    }

    /**
     * Sends DISCONNECT and closes the connection once it is written; then reports a {@link MqttEvent.Disconnect}
     * with reason {@link DisconnectReason#NORMAL} (from inside this call when the socket takes it at once). The
     * server discards the will.
     *
     * @throws IllegalStateException if not connected
     */
    public void disconnect() {
        long now = now();
        protocol.disconnect(now);
        io.flushNow(now);
        deliverEvents();
    }

    /**
     * MQTT 5.0: sends DISCONNECT with a reason code ({@link ReasonCode#NORMAL_DISCONNECTION}, or
     * {@link ReasonCode#DISCONNECT_WITH_WILL_MESSAGE} to have the server publish the will all the same) and
     * properties (a changed Session Expiry Interval, a Reason String, user properties; {@code null} for none), and
     * closes once it is written.
     *
     * @param reason the DISCONNECT reason code
     * @param properties built with {@link MqttProperties#builder()} plus, for the session expiry,
     *     {@link #sessionExpiry(long)}; null for none
     * @throws IllegalStateException    if not connected
     * @throws IllegalArgumentException if the reason is not one DISCONNECT may carry, or the client is not MQTT 5.0
     */
    public void disconnect(ReasonCode reason, MqttProperties properties) {
        long now = now();
        protocol.disconnect(now, Objects.requireNonNull(reason, "reason"),
                (dev.wren.mqtt.internal.codec.Properties) properties);
        io.flushNow(now);
        deliverEvents();
    }

    /**
     * Properties that change the Session Expiry Interval on {@link #disconnect(ReasonCode, MqttProperties)}.
     *
     * @param seconds the new Session Expiry Interval
     * @return the properties
     */
    public static MqttProperties sessionExpiry(long seconds) {
        if (seconds < 0 || seconds > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("sessionExpiry must be 0..4294967295 seconds, was " + seconds);
        }
        return dev.wren.mqtt.internal.codec.Properties.builder()
                .put(dev.wren.mqtt.internal.codec.Property.SESSION_EXPIRY_INTERVAL, seconds).build();
    }

    /**
     * Closes the connection at once without DISCONNECT, so the server publishes the will, and reports a
     * {@link MqttEvent.Disconnect} with reason {@link DisconnectReason#ABORTED}. Does nothing when not open.
     */
    public void abort() {
        protocol.close(DisconnectReason.ABORTED, null, "aborted by the application", null);
        deliverEvents();
    }

    // ------------------------------------------------------------------ the poll cycle

    /**
     * Asks the {@link #input()} in progress to return once the events of what it has decoded so far are handled,
     * without reading more from the socket; called from the handler, for example when the application's own
     * queue is full. What the receive buffer still holds is decoded by the next {@code input()}. Outside
     * {@code input()} it does nothing.
     */
    public void yieldInput() {
        if (inInput > 0) {
            io.yieldInput();
        }
    }

    /**
     * Processes what the connection holds without blocking: finishes connecting, writes what waits, reads what
     * arrived and reports each packet as an event. Returns early while a streamed payload waits to be read.
     * Errors end the connection with a {@link MqttEvent.Disconnect}; they are never thrown. An exception thrown by
     * the handler propagates, with the client's state consistent.
     */
    public void input() {
        try {
            if (!io.ready()) {
                return;
            }
            long now = now();
            inInput++;
            try {
                io.readAndHandle(now, deliver);
            } finally {
                inInput--;
            }
            io.flushNow(now);
        } finally {
            deliverEvents();
        }
    }

    /**
     * Keeps the connection alive without blocking: sends PINGREQ when the keep-alive interval has passed since the
     * client last sent anything, ends the connection when a PINGRESP or CONNACK is overdue, and writes what waits.
     */
    public void live() {
        try {
            io.live(now());
        } finally {
            deliverEvents();
        }
    }

    /**
     * Milliseconds until {@link #live()} has something to do (a ping due, a timeout, the buffers of an idle
     * connection to give up when {@link MqttClientConfig#receiveBufferLimit()} is set): the timeout for the next
     * select. 0 when the transport already holds input a select would not signal (decrypted TLS records), so that
     * {@link #input()} is called at once. -1 when nothing is scheduled (keep-alive off and connected, or not
     * connected).
     *
     * @return the milliseconds
     */
    public long keepAliveTimeLeft() {
        return io.keepAliveTimeLeft(now());
    }

    /**
     * Whether a PINGREQ went out and its PINGRESP has not been read yet. An application that stops reading for a
     * while (to push back on a fast server) reads on while this is true: the PINGRESP waits behind what the server
     * sent before it, and the connection times out if it is not read within the ping timeout.
     *
     * @return whether a PINGRESP is awaited
     */
    public boolean awaitingPingResponse() {
        return protocol.awaitingPingResponse();
    }

    /**
     * The round trip of the last PINGREQ answered on this connection, in milliseconds: from when it was queued to when
     * the bytes holding its PINGRESP were read; -1 if none was answered yet.
     *
     * @return the round trip in milliseconds, or -1 when none was answered yet
     */
    public long lastPingRoundTripMillis() {
        return protocol.lastPingRoundTrip();
    }

    /**
     * The channel to wait on, or null when not connected.
     *
     * @return the channel, or null
     */
    public SelectableChannel channel() {
        return io.channel();
    }

    /**
     * Whether bytes wait to be written (or the transport is still connecting).
     *
     * @return whether the client wants to write
     */
    public boolean wantsWrite() {
        return io.wantsWrite();
    }

    /**
     * The {@link java.nio.channels.SelectionKey} operations to wait for now; 0 when not connected.
     *
     * @return the operations
     */
    public int interestOps() {
        return io.interestOps();
    }

    /**
     * Holds back (or lets go) the client's writes to the network: while held, what the client queues stays in its
     * transmit buffer (operations return {@link #WOULD_BLOCK} once it is full) and the client does not ask for write
     * readiness. For an application that must make something durable before a packet leaves, as the asynchronous
     * client does with its session store. Letting go does not write by itself: call {@link #flush()}.
     *
     * @param hold {@code true} to hold writes, {@code false} to let them go
     */
    public void holdWrites(boolean hold) {
        io.holdWrites(hold);
    }

    /**
     * Writes what waits, as far as the socket takes it now.
     *
     * @return true when nothing is left to write
     */
    public boolean flush() {
        io.flushNow(now());
        deliverEvents();
        return protocol.outboundEmpty();
    }

    // ------------------------------------------------------------------ operations

    /**
     * Publishes an application message.
     *
     * @param topic the topic name
     * @param payload the payload from its position to its limit; the buffer's position is left alone. Payloads above
     *     {@value #SMALL_PAYLOAD} bytes may be written from this buffer (see the class description), so it must stay
     *     unchanged until {@link #wantsWrite()} is false; for QoS 1 and 2 the client keeps the buffer until the message
     *     is complete (PUBACK or PUBCOMP), to send it again after a reconnect, so it must stay unchanged until then.
     *     {@link #publishCopy} needs neither.
     * @param qos the quality of service
     * @param retain whether the server keeps the message for future subscribers
     * @return the packet identifier for QoS 1 and 2 (its PUBACK or PUBCOMP event carries the same), 0 for QoS 0, or
     *     {@link #WOULD_BLOCK}
     * @throws IllegalStateException    if not connected
     * @throws IllegalArgumentException if the topic is not a valid topic name or does not fit the transmit buffer
     */
    public int publish(String topic, ByteBuffer payload, Qos qos, boolean retain) {
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(payload, "payload");
        int id = protocol.publish(topic, qos, retain, payload);
        if (id == WOULD_BLOCK && makeRoom()) {
            id = protocol.publish(topic, qos, retain, payload);
        }
        afterOperation();
        return id;
    }

    /**
     * MQTT 5.0: publishes an application message with properties (message expiry, payload format, content type,
     * response topic, correlation data, user properties; {@link MqttProperties#none()} for none), as
     * {@link #publish(String, ByteBuffer, Qos, boolean)} does. The client gives the topic a Topic Alias when the
     * server allows them (see {@link MqttClientConfig.Builder#topicAliases}).
     *
     * @param topic the topic name
     * @param payload the payload from its position to its limit
     * @param qos the quality of service
     * @param retain whether the server keeps the message for future subscribers
     * @param properties the PUBLISH properties
     * @return the packet identifier (0 for QoS 0), or {@link #WOULD_BLOCK}
     * @throws IllegalArgumentException also if the client is not MQTT 5.0, the QoS is above the server's Maximum QoS,
     *     retain is set and the server has none, or the packet is larger than the server's Maximum Packet Size
     */
    public int publish(String topic, ByteBuffer payload, Qos qos, boolean retain, MqttProperties properties) {
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(payload, "payload");
        dev.wren.mqtt.internal.codec.Properties props = internal(properties);
        return withRoom(() -> protocol.publish(topic, qos, retain, payload, props));
    }

    private static dev.wren.mqtt.internal.codec.Properties internal(MqttProperties properties) {
        return (dev.wren.mqtt.internal.codec.Properties) Objects.requireNonNull(properties, "properties");
    }

    /**
     * MQTT 5.0: {@link #publishCopy(String, byte[], Qos, boolean)} with properties.
     *
     * @param topic the topic name
     * @param payload the payload (copied)
     * @param qos the quality of service
     * @param retain whether the server keeps the message for future subscribers
     * @param properties the PUBLISH properties
     * @return the packet identifier (0 for QoS 0), or {@link #WOULD_BLOCK}
     */
    public int publishCopy(String topic, byte[] payload, Qos qos, boolean retain, MqttProperties properties) {
        Objects.requireNonNull(qos, "qos");
        ByteBuffer data = ByteBuffer.wrap(Objects.requireNonNull(payload, "payload"));
        dev.wren.mqtt.internal.codec.Properties props = internal(properties);
        return withRoom(() -> protocol.publishCopy(topic, qos, retain, data, props));
    }

    /**
     * Publishes an application message with the payload copied before this returns, so the caller may change or
     * reuse {@code payload} at once (the other {@code publish} methods may write from, and keep, the caller's
     * buffer): into the transmit buffer when the whole packet fits there, else to an array of the client's; a QoS
     * 1/2 payload is also copied to an array kept until the message is complete.
     *
     * @param topic the topic name
     * @param payload the payload (copied)
     * @param qos the quality of service
     * @param retain whether the server keeps the message for future subscribers
     * @return the packet identifier for QoS 1 and 2, 0 for QoS 0, or {@link #WOULD_BLOCK} when the transmit buffer has
     *     no room for it now
     * @throws IllegalStateException    if not connected
     * @throws IllegalArgumentException if the topic is not a valid topic name
     */
    public int publishCopy(String topic, byte[] payload, Qos qos, boolean retain) {
        return publishCopy(topic, ByteBuffer.wrap(Objects.requireNonNull(payload, "payload")), qos, retain);
    }

    /**
     * {@link #publishCopy(String, byte[], Qos, boolean)} for the bytes from {@code payload}'s position to its limit:
     * they are copied before this returns, and {@code payload}'s position is left where it was, so the caller may
     * change or reuse it at once.
     *
     * @param topic the topic name
     * @param payload the payload, from its position to its limit (copied)
     * @param qos the quality of service
     * @param retain whether the server keeps the message for future subscribers
     * @return the packet identifier for QoS 1 and 2, 0 for QoS 0, or {@link #WOULD_BLOCK} when the transmit buffer has
     *     no room for it now
     * @throws IllegalStateException    if not connected
     * @throws IllegalArgumentException if the topic is not a valid topic name
     */
    public int publishCopy(String topic, ByteBuffer payload, Qos qos, boolean retain) {
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(payload, "payload");
        int id = protocol.publishCopy(topic, qos, retain, payload);
        if (id == WOULD_BLOCK && makeRoom()) {
            id = protocol.publishCopy(topic, qos, retain, payload);
        }
        afterOperation();
        return id;
    }

    /**
     * Takes back a QoS 1/2 message that an earlier run of the program had sent and not seen completed (kept by the
     * application from a {@link MqttEvent.SessionLost}, or by its own store): before {@link #connect()}, in the order
     * they were first sent. After a CONNACK that resumes the session it is sent again with its identifier and DUP
     * set (or only its PUBREL, when released), like any message of this client [MQTT-4.4.0-1].
     *
     * @param message the message to take back
     * @throws IllegalStateException if the client is open or {@code message}'s identifier is in use already
     */
    public void restore(UnacknowledgedMessage message) {
        protocol.restore(Objects.requireNonNull(message, "message"));
    }

    /**
     * Takes back an incoming QoS 2 message identifier that an earlier run of the program had received and seen no
     * PUBREL for (kept by its own store): before {@link #connect()}. If the session resumes, a copy of that message
     * is answered with PUBREC and not delivered again; if it does not, the identifier is forgotten at CONNACK.
     *
     * @param packetId the incoming message's packet identifier
     * @throws IllegalStateException if the client is open
     * @throws IllegalArgumentException if {@code packetId} is not 1..65,535
     */
    public void restoreIncomingQos2(int packetId) {
        protocol.restoreIncomingQos2(packetId);
    }

    /**
     * Publishes {@code payload} (a byte array wrapped, not copied). See {@link #publish(String, ByteBuffer, Qos, boolean)}.
     *
     * @param topic the topic name
     * @param payload the payload (not copied)
     * @param qos the quality of service
     * @param retain whether the server keeps the message for future subscribers
     * @return the packet identifier (0 for QoS 0), or {@link #WOULD_BLOCK}
     */
    public int publish(String topic, byte[] payload, Qos qos, boolean retain) {
        return publish(topic, ByteBuffer.wrap(payload), qos, retain);
    }

    /**
     * Subscribes to topic filters.
     *
     * @param subscriptions the filters and their options
     * @return the packet identifier (the SUBACK event carries the same), or {@link #WOULD_BLOCK}
     */
    public int subscribe(List<Subscription> subscriptions) {
        return withRoom(() -> protocol.subscribe(subscriptions));
    }

    /**
     * MQTT 5.0: subscribes with a Subscription Identifier (1..268,435,455, or 0 for none), which the server puts on
     * every message these subscriptions match ({@link MqttProperties#subscriptionIdentifiers()}), and user
     * properties ({@link MqttProperties#none()} for none). The SUBACK carries one reason code per filter.
     *
     * @param subscriptions the filters and their options
     * @param subscriptionIdentifier the identifier, or 0 for none
     * @param properties the SUBSCRIBE's user properties
     * @return the packet identifier, or {@link #WOULD_BLOCK}
     */
    public int subscribe(List<Subscription> subscriptions, int subscriptionIdentifier, MqttProperties properties) {
        dev.wren.mqtt.internal.codec.Properties props = internal(properties);
        return withRoom(() -> protocol.subscribe(subscriptions, subscriptionIdentifier, props));
    }

    /**
     * Subscribes to one topic filter. See {@link #subscribe(List)}.
     *
     * @param filter the topic filter
     * @param qos the maximum quality of service asked for
     * @return the packet identifier, or {@link #WOULD_BLOCK}
     */
    public int subscribe(String filter, Qos qos) {
        return subscribe(List.of(new Subscription(filter, qos)));
    }

    /**
     * Unsubscribes from topic filters.
     *
     * @param filters the topic filters
     * @return the packet identifier (the UNSUBACK event carries the same), or {@link #WOULD_BLOCK}
     */
    public int unsubscribe(List<String> filters) {
        return withRoom(() -> protocol.unsubscribe(filters));
    }

    /**
     * MQTT 5.0: re-authenticates with the configured {@link Authenticator} [MQTT-4.12.1-1]; an {@link MqttEvent.Auth}
     * with success reports the end, a failure ends the connection.
     *
     * @return false if the transmit side cannot take it now
     * @throws IllegalStateException if not connected, no authenticator is configured, or one is under way
     */
    public boolean reauthenticate() {
        boolean ok = protocol.reauthenticate() || (makeRoom() && protocol.reauthenticate());
        afterOperation();
        return ok;
    }

    /**
     * MQTT 5.0: unsubscribes with user properties; the UNSUBACK carries one reason code per filter.
     *
     * @param filters the topic filters
     * @param properties the UNSUBSCRIBE's user properties
     * @return the packet identifier, or {@link #WOULD_BLOCK}
     */
    public int unsubscribe(List<String> filters, MqttProperties properties) {
        dev.wren.mqtt.internal.codec.Properties props = internal(properties);
        return withRoom(() -> protocol.unsubscribe(filters, props));
    }

    /**
     * Unsubscribes from topic filters. See {@link #unsubscribe(List)}.
     *
     * @param filters the topic filters
     * @return the packet identifier, or {@link #WOULD_BLOCK}
     */
    public int unsubscribe(String... filters) {
        return unsubscribe(Arrays.asList(filters));
    }

    /**
     * Sends PINGREQ now (live() does this by itself when due).
     *
     * @return false if the transmit side cannot take it now
     */
    public boolean ping() {
        long now = now();
        boolean ok = protocol.ping(now) || (makeRoom() && protocol.ping(now));
        afterOperation();
        return ok;
    }

    /**
     * With {@link MqttClientConfig.Builder#deferredAcks(boolean) deferredAcks}: the application has handled the
     * received QoS 1/2 message {@code messageId}; its PUBACK or PUBREC goes out as soon as every earlier message of
     * its QoS has been acknowledged too, so acknowledging out of order is safe.
     *
     * @param messageId the message's packet identifier
     * @return false if no received message with that identifier awaits acknowledgement on this connection
     * @throws IllegalStateException if the client was not built with deferredAcks
     */
    public boolean acknowledge(int messageId) {
        boolean found = protocol.acknowledge(messageId);
        afterOperation();
        return found;
    }

    /**
     * Manual mode: sends PUBACK for a QoS 1 message. Returns false if it cannot be taken now.
     *
     * @param messageId the message's packet identifier
     * @return whether the PUBACK was queued
     */
    public boolean pubAck(int messageId) {
        return acknowledge(protocol::pubAck, messageId);
    }

    /**
     * Manual mode: sends PUBREC for a QoS 2 message. Returns false if it cannot be taken now.
     *
     * @param messageId the message's packet identifier
     * @return whether the PUBREC was queued
     */
    public boolean pubRec(int messageId) {
        return acknowledge(protocol::pubRec, messageId);
    }

    /**
     * Manual mode: sends PUBREL after a PUBREC from the server. Returns false if it cannot be taken now.
     *
     * @param messageId the message's packet identifier
     * @return whether the PUBREL was queued
     */
    public boolean pubRel(int messageId) {
        return acknowledge(protocol::pubRel, messageId);
    }

    /**
     * Manual mode: sends PUBCOMP after a PUBREL from the server. Returns false if it cannot be taken now.
     *
     * @param messageId the message's packet identifier
     * @return whether the PUBCOMP was queued
     */
    public boolean pubComp(int messageId) {
        return acknowledge(protocol::pubComp, messageId);
    }

    private boolean acknowledge(java.util.function.IntPredicate send, int messageId) {
        boolean ok = send.test(messageId) || (makeRoom() && send.test(messageId));
        afterOperation();
        return ok;
    }

    /**
     * Packet identifiers in flight: QoS 1/2 publishes, subscribes and unsubscribes not yet answered.
     *
     * @return the number of identifiers in flight
     */
    public int inflight() {
        return protocol.inflight();
    }

    /**
     * Whether the send window is full: {@link MqttClientConfig.Builder#maxInflight(int) maxInflight} QoS 1/2
     * messages unacknowledged, so that a QoS 1/2 publish returns {@link #WOULD_BLOCK} until an acknowledgement
     * comes.
     *
     * @return whether the send window is full
     */
    public boolean sendWindowFull() {
        return protocol.sendWindowFull();
    }

    /**
     * The subscriptions the server granted on this session (filter to granted QoS) and not since unsubscribed.
     *
     * @return the granted subscriptions
     */
    public java.util.Map<String, Qos> subscriptions() {
        return protocol.subscriptions();
    }

    // ------------------------------------------------------------------ streamed payloads

    /**
     * The payload of the PUBLISH being streamed, when one larger than the receive buffer arrived (its event's
     * payload is null): read it, in pieces or whole, or skip it. The same object every time.
     *
     * @return the streamed payload
     */
    public StreamedPayload payload() {
        return payload;
    }

    // ------------------------------------------------------------------ internals

    /** Writes unless writes are deferred (batching, or inside input() where the end of input() writes); delivers. */
    void afterOperation() {
        if (!config.batchWrites() && inInput == 0) {
            io.flushNow(now());
        }
        deliverEvents();
    }

    /**
     * Hands the events the core recorded to the handler, oldest first, once the call that made them is done, so the
     * handler finds the client consistent. A handler's own calls into the client record theirs; this loop delivers
     * them after the current one, never from inside it. An exception from the handler leaves the rest for the next
     * call.
     */
    void deliverEvents() {
        if (delivering) {
            return;
        }
        delivering = true;
        try {
            for (MqttEvent e; (e = protocol.pollEvent()) != null; ) {
                handler.onEvent(this, e);
            }
        } finally {
            delivering = false;
        }
    }

    /** Runs {@code op}; when the transmit side had no room, writes to make some and runs it once more. */
    private int withRoom(java.util.function.IntSupplier op) {
        int id = op.getAsInt();
        if (id == WOULD_BLOCK && makeRoom()) {
            id = op.getAsInt();
        }
        afterOperation();
        return id;
    }

    /** Tries a write to make room for an operation that did not fit; true if something was written. */
    private boolean makeRoom() {
        return io.makeRoom(now());
    }

    static long now() {
        return System.nanoTime() / 1_000_000;
    }
}
