package dev.wren.mqtt.internal.session;

import dev.wren.mqtt.internal.codec.PacketDecoder;

/**
 * One network connection of a {@link ClientProtocol}: its state, decoder, keep-alive, time-outs, what the CONNACK
 * granted, and the acknowledgements owed on it. A new one is made for each connection; nothing of it survives the
 * connection (the {@link Session} does).
 *
 * <p>Not thread-safe: owned by its protocol core.
 */
final class Connection {
    /** Where a connection stands. */
    enum State { CONNECTING, CONNECTED, DISCONNECTING, CLOSED }

    final PacketDecoder decoder;
    KeepAlive keepAlive;
    final long connectDeadline;
    State state = State.CONNECTING;
    long disconnectDeadline;
    boolean disconnectOwed;
    /** The DISCONNECT the application asked for (reason code, properties). */
    dev.wren.mqtt.internal.codec.Packet.Disconnect disconnectPacket = dev.wren.mqtt.internal.codec.Packet.Disconnect.INSTANCE;
    /** When the connection began; the latest time the core was given. */
    final long connectStarted;
    long now;
    /** Whether the CONNACK resumed the session (session present, and the session is this server's). */
    boolean sessionResumed;
    /** Messages of a resumed session to send again, in first-sent order; the last {@code resendsLeft} still to go. */
    java.util.List<InFlight> resendList = java.util.List.of();
    int resendsLeft;

    /** The acknowledgement owed for the last incoming PUBLISH (its QoS, 0 for none), sent once its payload is read. */
    int owedAckQos;
    int owedAckId;
    boolean skipPayload;
    /** Made when the client defers acknowledgements to the application. */
    final DeferredAcks deferred;

    // ---- MQTT 5.0: what the CONNACK granted (the defaults are what its absence means), and the client's limits
    /** The server's Receive Maximum: its send quota for QoS 1/2 PUBLISHes. */
    int serverReceiveMaximum = 65535;
    int maximumQos = 2;
    boolean retainAvailable = true;
    long serverMaximumPacketSize = ProtocolConfig.MQTT_MAX_PACKET;
    /** Outgoing topic aliases within the server's Topic Alias Maximum; null when none may be used. */
    TopicAliases outgoingAliases;
    /** Incoming topic aliases, index 1..the client's Topic Alias Maximum; null when the client allows none. */
    final String[] incomingAliases;
    /** Incoming QoS 1/2 PUBLISHes not yet answered with PUBACK or PUBCOMP: held to the client's Receive Maximum. */
    int incomingUnacknowledged;
    /** MQTT 5.0: a re-authentication the client started waits for the server's AUTH with success. */
    boolean reauthenticating;
    /** The DISCONNECT reason code the client sent, and the event to report once it is written. */
    dev.wren.mqtt.MqttEvent.Disconnect closing;

    Connection(ProtocolConfig config, long now) {
        decoder = new PacketDecoder(PacketDecoder.Role.CLIENT, config.protocolVersion(),
                config.maxIncomingPacketSize(), config.receiveBufferSize());
        keepAlive = new KeepAlive(config.keepAliveSeconds() * 1000L, config.pingTimeout().toMillis());
        keepAlive.reset(now);
        connectDeadline = now + config.connectTimeout().toMillis();
        connectStarted = now;
        this.now = now;
        deferred = config.deferredAcks() && !config.manualAcks() ? new DeferredAcks() : null;
        incomingAliases = config.protocolVersion().isMqtt5() && config.topicAliasMaximum() > 0
                ? new String[config.topicAliasMaximum() + 1] : null;
    }

    boolean open() {
        return state != State.CLOSED;
    }
}
