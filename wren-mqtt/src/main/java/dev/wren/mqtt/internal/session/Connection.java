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
    final KeepAlive keepAlive;
    final long connectDeadline;
    State state = State.CONNECTING;
    long disconnectDeadline;
    boolean disconnectOwed;
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

    Connection(ProtocolConfig config, long now) {
        decoder = new PacketDecoder(PacketDecoder.Role.CLIENT, config.protocolVersion(),
                config.maxIncomingPacketSize(), config.receiveBufferSize());
        keepAlive = new KeepAlive(config.keepAliveSeconds() * 1000L, config.pingTimeout().toMillis());
        keepAlive.reset(now);
        connectDeadline = now + config.connectTimeout().toMillis();
        deferred = config.deferredAcks() && !config.manualAcks() ? new DeferredAcks() : null;
    }

    boolean open() {
        return state != State.CLOSED;
    }
}
