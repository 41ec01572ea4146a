package dev.wren.mqtt.async;

import dev.wren.mqtt.MqttClient;
import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.MqttEvent;
import dev.wren.mqtt.MqttProperties;
import dev.wren.mqtt.Qos;
import dev.wren.mqtt.ReasonCode;
import dev.wren.mqtt.Subscription;
import dev.wren.mqtt.internal.codec.Topics;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The everyday client: every operation returns a {@link CompletableFuture} that completes when the broker has
 * acknowledged it, messages arrive at handlers on an executor of the application's choice, and the client
 * reconnects, re-subscribes and re-sends by itself. It runs the poll-driven {@link MqttClient} on an
 * {@link EventLoop}, which thousands of clients can share; it is not a second protocol implementation.
 *
 * <pre>{@code
 * AsyncMqttClient client = AsyncMqttClient.builder(MqttClientConfig.builder()
 *         .broker("localhost", 1883).clientId("sensor-7").cleanSession(false).build())
 *     .build();
 * client.connect().join();
 * client.subscribe("commands/#", Qos.AT_LEAST_ONCE, m -> System.out.println(m.payloadAsString())).join();
 * client.publish("sensors/7", "21.5".getBytes(UTF_8), Qos.AT_LEAST_ONCE, false)
 *       .thenRun(() -> System.out.println("broker has it"));
 * }</pre>
 *
 * <h2>What the futures mean</h2>
 * {@code connect}: the first accepted CONNACK. {@code publish}: PUBACK (QoS 1), PUBCOMP (QoS 2), or handed to the
 * socket (QoS 0). {@code subscribe}: SUBACK, with its return codes. {@code unsubscribe}: UNSUBACK.
 * {@code disconnect}: the connection closed. Futures complete on the callback executor when something depends on
 * them, so that callbacks never run on (and never block) the event loop; use the {@code *Async} methods with your own
 * executor for heavy work all the same.
 *
 * <h2>Flow control</h2>
 * At most {@code maxInflight} QoS 1/2 messages are unacknowledged at once: the core's send window
 * ({@link MqttClientConfig.Builder#maxInflight(int)}, which {@link AsyncMqttClientBuilder#maxInflight(int)} sets).
 * Later publishes wait in a queue of {@link AsyncMqttClientBuilder#maxQueued(int)} and go out as acknowledgements
 * come back, while disconnected too. The messages held (in flight and queued) are bounded in count and in payload
 * bytes ({@link AsyncMqttClientBuilder#maxQueuedBytes(long)}); at the bound {@code publish} returns a future failed
 * with {@link QueueFullException}, or, as {@link AsyncMqttClientBuilder#whenQueueFull(QueueFullPolicy)} says, blocks
 * the calling thread until there is room (never the event loop's) or drops the oldest queued message. A message may
 * carry an expiry and "only if connected" ({@link PublishOptions}).
 *
 * <h2>Sessions</h2>
 * After a reconnect with a session ({@code cleanSession(false)} and the broker reporting session present), the
 * protocol core re-sends unacknowledged messages with their packet identifiers and DUP set, and pending PUBRELs,
 * in their original order. When the broker has no session, they are published again as new messages, and every
 * subscription is made again. Incoming QoS 2 messages reach the handlers once across reconnects. With
 * {@link SessionStore#files}, accepted messages survive a process restart too.
 *
 * <h2>Threads</h2>
 * A publish goes straight into the connection's transmit buffer on the calling thread when nothing is queued ahead
 * of it and the window has room; the event loop writes the buffer out, many messages per write. A QoS 0 publish so
 * sent returns a completed future. Everything else (reads, acknowledgements, reconnects, queued messages) happens on
 * the event loop. One lock per client guards its state; the loop and publishing threads hold it briefly. With a
 * durable {@link SessionStore}, its updates after {@code add} run on a thread of the client's own, never on the
 * shared loop; the client's writes wait for the ones they depend on.
 *
 * <p>Thread-safe: every method may be called from any thread.
 */
public final class AsyncMqttClient implements AutoCloseable {

    /** Everything that runs on the event loop, and the lock that guards it. */
    private final AsyncConnection conn;

    private final boolean mqtt5;
    private final boolean hasAuthenticator;
    private volatile Requester requester;

    AsyncMqttClient(AsyncMqttClientBuilder b) {
        this.conn = new AsyncConnection(b);
        this.mqtt5 = b.config.protocolVersion().isMqtt5();
        this.hasAuthenticator = b.config.authenticator() != null;
    }

    /** Refuses, on the caller's thread, what only MQTT 5.0 has when the client speaks 3.1 or 3.1.1. */
    private void checkOptions(List<Subscription> list, int subscriptionIdentifier) {
        if (mqtt5) {
            return;
        }
        for (Subscription s : list) {
            if (s.hasMqtt5Options() || subscriptionIdentifier != 0) {
                throw new IllegalArgumentException("subscription " + s.filter() + ": subscription identifiers and "
                        + "the options noLocal, retainAsPublished and retainHandling need MQTT 5.0");
            }
        }
    }

    /**
     * A builder for a client with this connection configuration.
     *
     * @param config the connection configuration
     * @return a builder for the other settings
     */
    public static AsyncMqttClientBuilder builder(MqttClientConfig config) {
        return new AsyncMqttClientBuilder(config);
    }

    /**
     * The topic of the last publish, already checked: a stream of publishes to one topic checks it once here (the
     * core keeps its encoded bytes). A String, so a racing publisher on another thread sees it whole.
     */
    private String lastCheckedTopic;

    // ================================================================ public operations (any thread)

    /**
     * Connects. The future completes with the first accepted CONNACK, or fails when the first attempt fails and
     * {@link AsyncMqttClientBuilder#reconnectOnInitialFailure(boolean)} is off. Calling it while connected returns the last CONNACK.
     *
     * @return a future for the CONNACK
     */
    public CompletableFuture<MqttEvent.ConnAck> connect() {
        CompletableFuture<MqttEvent.ConnAck> f = new WrenFuture<>();
        if (!conn.requireOpen(f)) {
            return f; // closed: it must not connect again
        }
        conn.onLoop(() -> conn.connect(f));
        return f;
    }

    /**
     * Publishes a message. The payload is copied (or encoded at once), so the caller may reuse the array when this
     * returns; QoS 1 and 2 messages are also handed to the session store before this returns.
     *
     * @param topic the topic name
     * @param payload the payload (copied)
     * @param qos the quality of service
     * @param retain whether the server keeps the message for future subscribers
     * @return a future that completes when the message is sent (QoS 0) or acknowledged (QoS 1 and 2)
     * @throws IllegalArgumentException if the topic is not a valid topic name
     */
    public CompletableFuture<Void> publish(String topic, byte[] payload, Qos qos, boolean retain) {
        if (topic == null || !topic.equals(lastCheckedTopic)) { // null: refused by the check, naming the field
            Topics.checkName("topic", topic);
            lastCheckedTopic = topic;
        }
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(qos, "qos");
        return conn.publisher.publish(topic, payload, qos, retain);
    }

    /**
     * MQTT 5.0: publishes a message with properties (message expiry, payload format, content type, response topic,
     * correlation data, user properties), as {@link #publish(String, byte[], Qos, boolean)} does. The future fails
     * with an {@link dev.wren.mqtt.MqttException} carrying the {@linkplain dev.wren.mqtt.MqttException#reasonCode() reason code} when the server
     * refuses the message (a PUBACK or PUBREC of 0x80 and above), and with an {@link IllegalArgumentException} when
     * it goes beyond what the server granted (its maximum QoS, retain available, maximum packet size).
     *
     * @param topic the topic name
     * @param payload the payload (copied)
     * @param qos the quality of service
     * @param retain whether the server keeps the message for future subscribers
     * @param properties the PUBLISH properties
     * @return a future that completes when the message is sent (QoS 0) or acknowledged (QoS 1 and 2)
     */
    public CompletableFuture<Void> publish(String topic, byte[] payload, Qos qos, boolean retain,
                                           MqttProperties properties) {
        Topics.checkName("topic", topic);
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(properties, "properties");
        if (!mqtt5 && !properties.isEmpty()) {
            throw new IllegalArgumentException("properties need MQTT 5.0");
        }
        return conn.publisher.publish(topic, payload, qos, retain, properties.isEmpty() ? null : properties);
    }

    /**
     * Publishes a message with {@link PublishOptions}: an expiry for the time it may wait to be sent, "only if
     * connected", and MQTT 5.0 properties; otherwise as {@link #publish(String, byte[], Qos, boolean)}.
     *
     * @param topic the topic name
     * @param payload the payload (copied)
     * @param qos the quality of service
     * @param retain whether the server keeps the message for future subscribers
     * @param options the expiry, "only if connected" and properties
     * @return a future that completes when the message is sent (QoS 0) or acknowledged (QoS 1 and 2)
     * @throws IllegalArgumentException if the topic is not a valid topic name, or properties are given without MQTT 5.0
     */
    public CompletableFuture<Void> publish(String topic, byte[] payload, Qos qos, boolean retain,
                                           PublishOptions options) {
        Topics.checkName("topic", topic);
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(options, "options");
        if (!mqtt5 && options.properties() != null) {
            throw new IllegalArgumentException("properties need MQTT 5.0");
        }
        return conn.publisher.publish(topic, payload, qos, retain, options);
    }

    /**
     * MQTT 5.0 request / response (section 4.10), as {@code mosquitto_rr}: publishes {@code payload} to {@code topic}
     * with {@code responseTopic} and correlation data of its own, and completes with the first message on
     * {@code responseTopic} that carries the same correlation data, or fails with a
     * {@link java.util.concurrent.TimeoutException} after {@code timeout}. The client subscribes to each response
     * topic once (QoS 1) and keeps the subscription; responses that match no waiting request are dropped.
     *
     * @param topic the topic to send the request to
     * @param payload the request's payload
     * @param qos the quality of service of the request
     * @param responseTopic the topic the answer is expected on
     * @param timeout how long to wait for the answer
     * @return a future for the answer
     * @throws IllegalStateException if the client is not MQTT 5.0
     */
    public CompletableFuture<MqttEvent.Publish> request(String topic, byte[] payload, Qos qos, String responseTopic,
                                                       java.time.Duration timeout) {
        if (!mqtt5) {
            throw new IllegalStateException("request / response needs MQTT 5.0 (response topic, correlation data)");
        }
        Topics.checkName("topic", topic);
        Topics.checkName("responseTopic", responseTopic);
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(timeout, "timeout");
        Requester r = requester;
        if (r == null) {
            synchronized (this) {
                if (requester == null) {
                    requester = new Requester(this);
                }
                r = requester;
            }
        }
        return r.request(topic, payload, qos, responseTopic, timeout);
    }

    /**
     * The messages on {@code filter} as a {@link java.util.concurrent.Flow.Publisher}: each subscriber's
     * {@code subscribe} makes the MQTT subscription, its {@code request(n)} is the demand, and messages it has not
     * requested wait in the client, counted against {@link AsyncMqttClientBuilder#maxPending}, so that a subscriber
     * that stops requesting makes the client stop reading from the socket (TCP then pushes back on the broker).
     * {@code cancel()} unsubscribes; a refused subscription ends in {@code onError}. Reactor and RxJava adapt it with
     * {@code JdkFlowAdapter.flowPublisherToFlux} and {@code FlowAdapters.toPublisher}.
     *
     * @param filter the topic filter
     * @param qos the maximum quality of service asked for
     * @return a publisher of the messages
     */
    public java.util.concurrent.Flow.Publisher<MqttEvent.Publish> messages(String filter, Qos qos) {
        java.util.Objects.requireNonNull(filter, "filter");
        java.util.Objects.requireNonNull(qos, "qos");
        return new MessageFlow(this, filter, qos);
    }

    /**
     * Subscribes to one filter, with a handler for its messages. Completes with the SUBACK.
     *
     * @param filter the topic filter
     * @param qos the maximum quality of service asked for
     * @param handler what receives the messages
     * @return a future for the SUBACK
     */
    public CompletableFuture<MqttEvent.SubAck> subscribe(String filter, Qos qos, MessageHandler handler) {
        return subscribe(List.of(Subscription.of(filter, qos)), handler);
    }

    /**
     * Subscribes to filters, with one handler for their messages (null: messages go to the fallback handler).
     * The handler is in place at once, so messages that arrive before the SUBACK reach it; messages that arrived
     * earlier with no handler (a resumed session) and were buffered for lack of a fallback handler are handed to it
     * first. Completes with the SUBACK and its return codes.
     *
     * @param list the filters and their options
     * @param handler what receives their messages, or null
     * @return a future for the SUBACK
     */
    public CompletableFuture<MqttEvent.SubAck> subscribe(List<Subscription> list, MessageHandler handler) {
        if (list.isEmpty()) {
            throw new IllegalArgumentException("subscriptions must not be empty [MQTT-3.8.3-3]");
        }
        checkOptions(list, 0);
        CompletableFuture<MqttEvent.SubAck> f = new WrenFuture<>();
        if (!conn.requireOpen(f)) {
            return f;
        }
        List<Subscription> copy = List.copyOf(list);
        conn.onLoop(() -> conn.subscribe(copy, handler, f));
        return f;
    }

    /**
     * MQTT 5.0: {@link #subscribe(List, MessageHandler)} with a Subscription Identifier (1..268,435,455), which the
     * server puts on every message these subscriptions match ({@link MqttProperties#subscriptionIdentifiers()}).
     * A message that carries identifiers goes to the handlers subscribed with them, which the server matched, rather
     * than to every handler whose filter matches the topic: with overlapping filters, each handler gets the messages
     * of its own subscription. Options of each {@link Subscription} (no local, retain as published, retain handling, {@code $share/})
     * go with it too.
     *
     * @param list the filters and their options
     * @param subscriptionIdentifier the identifier, 1 to 268,435,455
     * @param handler what receives their messages, or null
     * @return a future for the SUBACK
     */
    public CompletableFuture<MqttEvent.SubAck> subscribe(List<Subscription> list, int subscriptionIdentifier,
                                                        MessageHandler handler) {
        if (list.isEmpty()) {
            throw new IllegalArgumentException("subscriptions must not be empty [MQTT-3.8.3-3]");
        }
        if (subscriptionIdentifier < 1 || subscriptionIdentifier > 268_435_455) {
            throw new IllegalArgumentException("subscriptionIdentifier must be 1..268435455, was "
                    + subscriptionIdentifier);
        }
        checkOptions(list, subscriptionIdentifier);
        CompletableFuture<MqttEvent.SubAck> f = new WrenFuture<>();
        if (!conn.requireOpen(f)) {
            return f;
        }
        List<Subscription> copy = List.copyOf(list);
        conn.onLoop(() -> conn.subscribe(copy, subscriptionIdentifier, handler, f));
        return f;
    }

    /**
     * Unsubscribes; the handlers go once the UNSUBACK arrives.
     *
     * @param filters the topic filters
     * @return a future that completes when the UNSUBACK arrives
     */
    public CompletableFuture<Void> unsubscribe(String... filters) {
        return unsubscribe(List.of(filters)).thenApply(ack -> null);
    }

    /**
     * Unsubscribes; the handlers go once the UNSUBACK arrives, which completes the future: with MQTT 5.0 it carries a
     * reason code per filter ({@link ReasonCode#NO_SUBSCRIPTION_EXISTED}, a refusal, ...), with 3.1.1 none.
     *
     * @param filters the topic filters
     * @return a future for the UNSUBACK
     */
    public CompletableFuture<MqttEvent.UnsubAck> unsubscribe(List<String> filters) {
        List<String> list = List.copyOf(filters);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("filters must not be empty [MQTT-3.10.3-2]");
        }
        for (String filter : list) {
            Topics.checkFilter("filter", filter);
        }
        CompletableFuture<MqttEvent.UnsubAck> f = new WrenFuture<>();
        if (!conn.requireOpen(f)) {
            return f;
        }
        conn.onLoop(() -> conn.unsubscribe(list, f));
        return f;
    }

    /**
     * MQTT 5.0: disconnects with a reason code ({@link ReasonCode#DISCONNECT_WITH_WILL_MESSAGE} to have the server
     * publish the will) and properties (a changed session expiry, {@link dev.wren.mqtt.MqttClient#sessionExpiry}; a
     * Reason String; null for none), and stops reconnecting, as {@link #disconnect()} does.
     *
     * @param reason the DISCONNECT reason code
     * @param properties the DISCONNECT properties
     * @return a future that completes once the client has disconnected
     * @throws IllegalArgumentException if the client is not MQTT 5.0 and {@code reason} is not a normal disconnection
     */
    public CompletableFuture<Void> disconnect(ReasonCode reason, MqttProperties properties) {
        Objects.requireNonNull(reason, "reason");
        if (!mqtt5 && (reason != ReasonCode.NORMAL_DISCONNECTION || (properties != null && !properties.isEmpty()))) {
            throw new IllegalArgumentException("a DISCONNECT reason code and properties need MQTT 5.0");
        }
        CompletableFuture<Void> f = new WrenFuture<>();
        conn.onLoop(() -> conn.disconnect(f, reason, properties));
        return f;
    }

    /**
     * MQTT 5.0: re-authenticates with the configured {@link dev.wren.mqtt.Authenticator} when connected; its steps
     * and its end reach the {@linkplain AsyncMqttClientBuilder#connectionListener connection listener} as
     * {@link MqttEvent.Auth} events, a failure as the end of the connection (which the client then reconnects).
     *
     * @throws IllegalStateException if the configuration has no authenticator
     */
    public void reauthenticate() {
        if (!hasAuthenticator) {
            throw new IllegalStateException("re-authentication needs an authenticator in the configuration");
        }
        conn.onLoop(conn::reauthenticate);
    }

    /**
     * Disconnects and stops reconnecting. Messages not yet acknowledged fail their futures; a file session store
     * keeps them for the next start.
     *
     * @return a future that completes once the client has disconnected
     */
    public CompletableFuture<Void> disconnect() {
        CompletableFuture<Void> f = new WrenFuture<>();
        conn.onLoop(() -> conn.disconnect(f));
        return f;
    }

    /**
     * Whether the client is connected now (CONNACK accepted, connection not lost).
     *
     * @return whether it is connected
     */
    public boolean isConnected() {
        return conn.connected;
    }

    /**
     * A blocking view, for scripts and tests.
     *
     * @return the blocking view of this client
     */
    public BlockingMqttClient blocking() {
        return new BlockingMqttClient(this);
    }

    /** Disconnects (waiting up to five seconds) and releases the client. It cannot be used afterwards. */
    @Override
    public void close() {
        if (conn.isClosed()) {
            return;
        }
        try {
            disconnect().get(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // closing anyway
        }
        conn.close();
    }

    /**
     * Acknowledgements (PUBACK, PUBREC, PUBCOMP) the broker sent for packet identifiers this client had not got in
     * flight, ignored with the connection kept (unless the configuration asks for
     * {@link MqttClientConfig.Builder#strictAcknowledgements(boolean) strict} handling); each is also given to the
     * connection listener as a {@link MqttEvent.UnexpectedAck}.
     *
     * @return the number of such acknowledgements
     */
    public long unexpectedAcknowledgements() {
        return conn.unexpectedAcks;
    }

    /**
     * Messages dropped because no subscription handler claimed them, no fallback handler is set and the buffer of
     * {@link AsyncMqttClientBuilder#maxUnhandled(int)} messages was full: the only messages this client ever drops by itself.
     *
     * @return the number of messages dropped
     */
    public long droppedUnhandled() {
        Subscriptions s = conn.subscriptions; // no lock: a file store may hold it for a disk write
        return s == null ? 0 : s.dropped();
    }

    /**
     * The received messages not yet handled, the most there were, and how often reading stopped for them. Any thread.
     *
     * @return the statistics, a snapshot
     */
    public InboundStats inboundStats() {
        InboundLimit l = conn.inbound;
        return new InboundStats(l.pendingMessages(), l.pendingBytes(), l.peakMessages(), l.peakBytes(), l.pauses(),
                l.droppedQos0());
    }
}
