package dev.wren.mqtt.async;

import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.MqttEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Options of an {@link AsyncMqttClient}; each checked when set.
 *
 * <p>Not thread-safe.
 */
/**
 * Options of an {@link AsyncMqttClient}, from {@link AsyncMqttClient#builder}; each checked when set.
 *
 * <p>Not thread-safe.
 */
public final class AsyncMqttClientBuilder {
    final MqttClientConfig config;
    EventLoop eventLoop;
    Executor executor;
    /** Set by {@link #maxInflight(int)}; 0: the configuration's. */
    int maxInflight;
    int maxQueued = 10_000;
    QueueFullPolicy queueFullPolicy = QueueFullPolicy.FAIL;
    MqttMetrics metrics;
    long maxQueuedBytes = 64L << 20;
    boolean queueWhileDisconnected = true;
    boolean automaticReconnect = true;
    boolean reconnectOnInitialFailure;
    Duration minReconnectDelay = Duration.ofSeconds(1);
    Duration maxReconnectDelay = Duration.ofSeconds(30);
    double reconnectJitter = 0.25;
    final List<String[]> servers = new ArrayList<>();
    boolean followServerRedirects;
    ReconnectHook reconnectHook;
    boolean resubscribe = true;
    SessionStore sessionStore = SessionStore.memory();
    MessageHandler fallbackHandler;
    int maxUnhandled = 10_000;
    int maxPendingMessages = 1_000;
    long maxPendingBytes = 8L << 20;
    InboundOverflow inboundOverflow = InboundOverflow.STOP_READING;
    Consumer<MqttEvent> connectionListener;
    Consumer<Throwable> errorHandler = e -> System.getLogger("dev.wren.mqtt.async.AsyncMqttClient")
            .log(System.Logger.Level.WARNING, "wren: a callback failed", e);

    AsyncMqttClientBuilder(MqttClientConfig config) {
        this.config = Objects.requireNonNull(config, "config must not be null");
    }

    /**
     * The event loop (default: {@link EventLoop#shared()}).
     *
     * @param eventLoop the event loop
     * @return this builder
     */
    public AsyncMqttClientBuilder eventLoop(EventLoop eventLoop) {
        this.eventLoop = Objects.requireNonNull(eventLoop, "eventLoop must not be null");
        return this;
    }

    /**
     * An event loop of this group, taken in turn.
     *
     * @param group the group to take an event loop from
     * @return this builder
     */
    public AsyncMqttClientBuilder eventLoop(EventLoopGroup group) {
        return eventLoop(Objects.requireNonNull(group, "group must not be null").next());
    }

    /**
     * Where handlers and future callbacks run (default: one dedicated daemon thread shared by all clients).
     *
     * @param executor the executor
     * @return this builder
     */
    public AsyncMqttClientBuilder executor(Executor executor) {
        this.executor = Objects.requireNonNull(executor, "executor must not be null");
        return this;
    }

    /**
     * The send window, 1..65535: the most unacknowledged QoS 1/2 messages. The same setting as
     * {@link MqttClientConfig.Builder#maxInflight(int)}, which it overrides; without it, the configuration's
     * (default 100). Later publishes wait in the queue behind it.
     *
     * @param n the most messages in flight
     * @return this builder
     */
    public AsyncMqttClientBuilder maxInflight(int n) {
        if (n < 1 || n > 65535) {
            throw new IllegalArgumentException("maxInflight must be 1..65535, was " + n);
        }
        this.maxInflight = n;
        return this;
    }

    /**
     * The most publishes waiting behind the window or while offline, 0.. (default 10,000).
     *
     * @param n the most queued messages
     * @return this builder
     */
    public AsyncMqttClientBuilder maxQueued(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("maxQueued must not be negative, was " + n);
        }
        this.maxQueued = n;
        return this;
    }

    /**
     * The most payload bytes of the messages the client holds, in flight and queued, the memory and the file store
     * alike (default 64 MiB). A message larger than the bound on its own is taken when nothing else is held.
     *
     * @param bytes the limit in bytes
     * @return this builder
     */
    public AsyncMqttClientBuilder maxQueuedBytes(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("maxQueuedBytes must be at least 1, was " + bytes);
        }
        this.maxQueuedBytes = bytes;
        return this;
    }

    /**
     * Counts what the client does into {@code metrics} (which may serve several clients); null, the default, for
     * nothing counted at no cost.
     *
     * @param metrics the metrics, or null
     * @return this builder
     */
    public AsyncMqttClientBuilder metrics(MqttMetrics metrics) {
        this.metrics = metrics;
        return this;
    }

    /**
     * What {@code publish} does when {@link #maxQueued} or {@link #maxQueuedBytes} is reached (default FAIL).
     *
     * @param policy what to do when the queue is full
     * @return this builder
     */
    public AsyncMqttClientBuilder whenQueueFull(QueueFullPolicy policy) {
        this.queueFullPolicy = java.util.Objects.requireNonNull(policy, "whenQueueFull");
        return this;
    }

    /**
     * Block the publishing thread when the queue is full, instead of failing the future (default false): the same as
     * {@code whenQueueFull(QueueFullPolicy.BLOCK)}, or {@code FAIL} for false.
     *
     * @param block {@code true} to block
     * @return this builder
     */
    public AsyncMqttClientBuilder blockWhenQueueFull(boolean block) {
        return whenQueueFull(block ? QueueFullPolicy.BLOCK : QueueFullPolicy.FAIL);
    }

    /**
     * Whether publishes made while the client has no connection (before the first, between reconnect attempts,
     * after {@code disconnect()}) wait in the queue and go out once connected (default true), or fail at once
     * with {@link NotConnectedException}, for data that is worthless once stale (live readings, say). Messages
     * accepted while connected stay queued either way when the connection drops.
     *
     * @param queue {@code true} to queue while disconnected
     * @return this builder
     */
    public AsyncMqttClientBuilder queueWhileDisconnected(boolean queue) {
        this.queueWhileDisconnected = queue;
        return this;
    }

    /**
     * Reconnect when the connection is lost (default true).
     *
     * @param on {@code true} to reconnect
     * @return this builder
     */
    public AsyncMqttClientBuilder automaticReconnect(boolean on) {
        this.automaticReconnect = on;
        return this;
    }

    /**
     * MQTT 5.0: follow a server's redirection (default false): after a CONNACK or DISCONNECT with Use another server
     * (0x9C) or Server moved (0x9D) and a Server Reference, the next attempt goes to the first server it names
     * ({@code host} or {@code host:port}), with the rest of the configuration unchanged. Off, the redirection is only
     * reported ({@link MqttEvent.Disconnect#properties()}).
     *
     * @param follow {@code true} to follow redirections
     * @return this builder
     */
    public AsyncMqttClientBuilder followServerRedirects(boolean follow) {
        this.followServerRedirects = follow;
        return this;
    }

    /**
     * Keep trying when the very first connect fails (default false: the connect future fails).
     *
     * @param on {@code true} to keep trying
     * @return this builder
     */
    public AsyncMqttClientBuilder reconnectOnInitialFailure(boolean on) {
        this.reconnectOnInitialFailure = on;
        return this;
    }

    /**
     * Reconnect delays: min, doubling per failed attempt up to max (defaults 1 s and 30 s).
     *
     * @param min the first delay
     * @param max the longest delay
     * @return this builder
     */
    public AsyncMqttClientBuilder reconnectDelay(Duration min, Duration max) {
        if (min == null || max == null || min.isNegative() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("reconnectDelay needs 0 <= min <= max, was " + min + ", " + max);
        }
        this.minReconnectDelay = min;
        this.maxReconnectDelay = max;
        return this;
    }

    /**
     * Random spread of each delay, 0..1 (default 0.25: plus or minus 25 %).
     *
     * @param jitter the spread, 0 to 1
     * @return this builder
     */
    public AsyncMqttClientBuilder reconnectJitter(double jitter) {
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("reconnectJitter must be 0..1, was " + jitter);
        }
        this.reconnectJitter = jitter;
        return this;
    }

    /**
     * Servers tried in turn, one per attempt (default: the configuration's broker), each as {@code host:port} or as
     * a broker URL ({@code mqtt://}, {@code mqtts://}, {@code ws://}, {@code wss://}, {@code unix://}), which also
     * chooses its transport: a list may mix them.
     *
     * @param hostPorts the servers, in the order to try them
     * @return this builder
     */
    public AsyncMqttClientBuilder servers(List<String> hostPorts) {
        servers.clear();
        for (String hp : hostPorts) {
            if (hp.contains("://")) { // a URL: the scheme chooses the transport (MqttClientConfig.Builder.url)
                config.toBuilder().url(hp); // checked now, with its own message
                servers.add(new String[] {hp});
                continue;
            }
            int colon = hp.lastIndexOf(':');
            if (colon <= 0 || colon == hp.length() - 1) {
                throw new IllegalArgumentException("servers entries must be host:port or a broker URL, was " + hp);
            }
            Integer.parseInt(hp.substring(colon + 1));
            servers.add(new String[] {hp.substring(0, colon), hp.substring(colon + 1)});
        }
        return this;
    }

    /**
     * Called before each reconnect attempt, to change server or credentials.
     *
     * @param hook the hook, or null
     * @return this builder
     */
    public AsyncMqttClientBuilder beforeReconnect(ReconnectHook hook) {
        this.reconnectHook = hook;
        return this;
    }

    /**
     * Subscribe again when the broker reports no session (default true).
     *
     * @param on {@code true} to subscribe again
     * @return this builder
     */
    public AsyncMqttClientBuilder resubscribeWhenNoSession(boolean on) {
        this.resubscribe = on;
        return this;
    }

    /**
     * Where unacknowledged messages are kept (default: {@link SessionStore#memory()}). The client closes the store
     * when it is closed ({@link AsyncMqttClient#close()}); a {@link SessionStore#files file store} holds its
     * directory until then, so a second client on the same directory fails when it is built.
     *
     * @param store the session store
     * @return this builder
     */
    public AsyncMqttClientBuilder sessionStore(SessionStore store) {
        this.sessionStore = Objects.requireNonNull(store, "sessionStore must not be null");
        return this;
    }

    /**
     * Receives messages that match no subscription handler (default: buffered until a handler appears).
     *
     * @param handler the fallback handler, or null
     * @return this builder
     */
    public AsyncMqttClientBuilder fallbackHandler(MessageHandler handler) {
        this.fallbackHandler = handler;
        return this;
    }

    /**
     * How many messages without a handler are buffered when there is no fallback handler (default 10,000).
     *
     * @param n the most buffered messages
     * @return this builder
     */
    public AsyncMqttClientBuilder maxUnhandled(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("maxUnhandled must not be negative, was " + n);
        }
        this.maxUnhandled = n;
        return this;
    }

    /**
     * The bound on received messages handed to handlers and not yet handled by them, in messages and in payload
     * bytes (default 1,000 messages and 8 MiB, so that a stalled handler holds a few megabytes, not the stream).
     * When either is reached the client stops reading from the socket, so that TCP pushes back on the broker, and
     * reads on once the handlers have brought both under three quarters; a PINGRESP waiting behind unread data is
     * still looked for, so the keep-alive does not time out on the pause. Reading in a round goes on to the end of
     * what one read brought, so the bound may be passed by up to one receive buffer's worth of messages (and one
     * payload larger than the buffer). See {@link #inboundOverflow(InboundOverflow)} to drop QoS 0 messages instead.
     *
     * @param messages the most pending messages
     * @param bytes the most pending payload bytes
     * @return this builder
     * @throws IllegalArgumentException naming the field, if either is less than 1
     */
    public AsyncMqttClientBuilder maxPending(int messages, long bytes) {
        if (messages < 1) {
            throw new IllegalArgumentException("maxPending messages must be at least 1, was " + messages);
        }
        if (bytes < 1) {
            throw new IllegalArgumentException("maxPending bytes must be at least 1, was " + bytes);
        }
        this.maxPendingMessages = messages;
        this.maxPendingBytes = bytes;
        return this;
    }

    /**
     * What happens when {@link #maxPending(int, long)} is reached (default {@link InboundOverflow#STOP_READING}).
     *
     * @param overflow what to do at the bound
     * @return this builder
     */
    public AsyncMqttClientBuilder inboundOverflow(InboundOverflow overflow) {
        this.inboundOverflow = Objects.requireNonNull(overflow, "inboundOverflow must not be null");
        return this;
    }

    /**
     * Told of every accepted CONNACK, every end of a connection ({@link MqttEvent.Disconnect}, with its
     * reason) and every acknowledgement for an identifier not in flight ({@link MqttEvent.UnexpectedAck}), in
     * order, at once: on a daemon thread of its own ({@code wren-connection-events}, shared by every
     * client), not on the callback executor, so that the events never wait behind messages that slow handlers
     * have not handled yet. Keep it short: a listener that blocks delays other clients' connection events.
     *
     * @param listener the listener, or null
     * @return this builder
     */
    public AsyncMqttClientBuilder connectionListener(Consumer<MqttEvent> listener) {
        this.connectionListener = listener;
        return this;
    }

    /**
     * Receives exceptions thrown by handlers and callbacks (default: printed to standard error).
     *
     * @param handler the error handler
     * @return this builder
     */
    public AsyncMqttClientBuilder errorHandler(Consumer<Throwable> handler) {
        this.errorHandler = Objects.requireNonNull(handler, "errorHandler must not be null");
        return this;
    }

    /** The connection configuration the client runs with: the given one, with the send window if set here. */
    MqttClientConfig config() {
        return maxInflight == 0 || maxInflight == config.maxInflight() ? config
                : config.toBuilder().maxInflight(maxInflight).build();
    }

    /**
     * Builds the client, not yet connected: {@link AsyncMqttClient#connect()} connects it.
     *
     * @return the client
     */
    public AsyncMqttClient build() {
        return new AsyncMqttClient(this);
    }
}

