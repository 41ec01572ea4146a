package dev.wren.mqtt.async;

import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.MqttEvent;
import dev.wren.mqtt.internal.config.SharedLast;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * One {@link AsyncMqttClient}'s options: an immutable copy of its builder's, taken when the client is built, and
 * shared by clients built alike ({@link #of}).
 *
 * <p>Immutable and thread-safe.
 */
final class Options {
    final Executor executor;
    final int maxInflight;
    final int maxQueued;
    final QueueFullPolicy queueFullPolicy;
    final long maxQueuedBytes;
    /** Where the client counts what it does; null for nowhere. */
    final MqttMetrics metrics;
    final boolean queueWhileDisconnected;
    final boolean resubscribe;
    final ReconnectPolicy reconnect;
    final List<String[]> servers;
    final ReconnectHook reconnectHook;
    final MessageHandler fallbackHandler;
    final int maxUnhandled;
    final Consumer<MqttEvent> connectionListener;
    final Consumer<Throwable> errorHandler;
    /** Whether the application acknowledges received messages ({@link MqttEvent.Publish#acknowledge()}). */
    final boolean manualAcks;
    /** MQTT 5.0: whether a Server Reference with Use another server / Server moved aims the next attempt. */
    final boolean followServerRedirects;
    /** The bound on received messages not yet handled, and what happens at it ({@link InboundLimit}). */
    final int maxPendingMessages;
    final long maxPendingBytes;
    final InboundOverflow inboundOverflow;

    /** The options made last: clients built alike (thousands, from one loop of code) share one. */
    private static final SharedLast<Options> SHARED = new SharedLast<>(Options::sameAs);

    /**
     * Options with the builder's settings: the ones made last if they are the same (the same executor, handlers and
     * metrics, by identity; equal numbers and servers), else these. Nothing in them belongs to one client.
     */
    static Options of(AsyncMqttClientBuilder b) {
        return SHARED.share(new Options(b));
    }

    private boolean sameAs(Options o) {
        return executor == o.executor && maxInflight == o.maxInflight && maxQueued == o.maxQueued
                && queueFullPolicy == o.queueFullPolicy && maxQueuedBytes == o.maxQueuedBytes && metrics == o.metrics
                && queueWhileDisconnected == o.queueWhileDisconnected && resubscribe == o.resubscribe
                && reconnect == o.reconnect && sameServers(servers, o.servers) && reconnectHook == o.reconnectHook
                && fallbackHandler == o.fallbackHandler && maxUnhandled == o.maxUnhandled
                && connectionListener == o.connectionListener && errorHandler == o.errorHandler
                && manualAcks == o.manualAcks && followServerRedirects == o.followServerRedirects
                && maxPendingMessages == o.maxPendingMessages && maxPendingBytes == o.maxPendingBytes
                && inboundOverflow == o.inboundOverflow;
    }

    private static boolean sameServers(List<String[]> a, List<String[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!java.util.Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    Options(AsyncMqttClientBuilder b) {
        executor = b.executor;
        maxInflight = b.config().maxInflight();
        maxQueued = b.maxQueued;
        queueFullPolicy = b.queueFullPolicy;
        maxQueuedBytes = b.maxQueuedBytes;
        metrics = b.metrics;
        queueWhileDisconnected = b.queueWhileDisconnected;
        resubscribe = b.resubscribe;
        reconnect = ReconnectPolicy.of(b.automaticReconnect, b.reconnectOnInitialFailure,
                b.minReconnectDelay.toMillis(), b.maxReconnectDelay.toMillis(), b.reconnectJitter);
        servers = b.servers.isEmpty() ? List.of() : List.copyOf(b.servers);
        reconnectHook = b.reconnectHook;
        fallbackHandler = b.fallbackHandler;
        maxUnhandled = b.maxUnhandled;
        connectionListener = b.connectionListener;
        errorHandler = b.errorHandler;
        manualAcks = b.config().manualAcks();
        followServerRedirects = b.followServerRedirects;
        maxPendingMessages = b.maxPendingMessages;
        maxPendingBytes = b.maxPendingBytes;
        inboundOverflow = b.inboundOverflow;
    }

    /** How far an asynchronous client's receive buffer grows, unless the configuration says. */
    static final int RECEIVE_BUFFER_LIMIT = 64 * 1024;

    /** How far an asynchronous client's transmit buffer grows during a burst, unless the configuration says. */
    static final int TRANSMIT_BUFFER_LIMIT = 64 * 1024;

    /**
     * The configuration the core client runs with: batched writes (the loop writes once per round), manual
     * acknowledgements as the core's ordered, deferred ones (the application acknowledges received messages, and
     * PUBREL and PUBCOMP stay automatic), and a receive buffer that grows to take a packet of up to 64 KiB whole
     * unless {@link MqttClientConfig#receiveBufferLimit()} is set: messages a little larger than the 4 KB buffer
     * are then not streamed and gathered again; and a transmit buffer that grows to 64 KiB during a burst unless
     * {@link MqttClientConfig#transmitBufferLimit()} is set, so that a window of small messages goes out in one
     * write rather than one per 4 KB.
     */
    MqttClientConfig forCore(MqttClientConfig c) {
        boolean manual = manualAcks || c.manualAcks() || c.deferredAcks();
        if (c.batchWrites() && !c.manualAcks() && c.deferredAcks() == manual && c.receiveBufferLimit() != 0
                && c.transmitBufferLimit() != 0) {
            return c;
        }
        MqttClientConfig.Builder b = c.toBuilder().batchWrites(true).manualAcks(false).deferredAcks(manual);
        if (c.receiveBufferLimit() == 0) {
            b.receiveBufferLimit(Math.max(RECEIVE_BUFFER_LIMIT, c.receiveBufferSize()));
        }
        if (c.transmitBufferLimit() == 0) {
            b.transmitBufferLimit(Math.max(TRANSMIT_BUFFER_LIMIT, c.transmitBufferSize()));
        }
        return b.build();
    }

}
