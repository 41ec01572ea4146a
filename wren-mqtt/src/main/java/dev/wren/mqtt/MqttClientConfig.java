package dev.wren.mqtt;

import dev.wren.mqtt.internal.codec.Packet;
import dev.wren.mqtt.internal.config.ConfigChecks;
import dev.wren.mqtt.internal.codec.PacketEncoder;
import dev.wren.mqtt.internal.codec.Utf8;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Everything a client needs to connect, validated when built: the Java form of the fields an application fills
 * in Zephyr's {@code struct mqtt_client}.
 *
 * <pre>{@code
 * MqttClientConfig config = MqttClientConfig.builder()
 *         .broker("localhost", 1883)
 *         .clientId("sensor-7")
 *         .keepAlive(Duration.ofSeconds(30))
 *         .will(new Will("sensors/7/status", "offline".getBytes(UTF_8), Qos.AT_LEAST_ONCE, true))
 *         .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe. A builder that fails throws {@link IllegalArgumentException} whose message starts
 * with the name of the field at fault.
 */
public final class MqttClientConfig {
    /** Default port of plain MQTT. */
    public static final int DEFAULT_PORT = 1883;

    // shared by every configuration that keeps the defaults: an idle connection should cost little heap
    private static final Duration TEN_SECONDS = Duration.ofSeconds(10);
    private static final Duration THIRTY_SECONDS = Duration.ofSeconds(30);

    private final String host;
    private final int port;
    private final String clientId;
    private final String userName;
    private final byte[] password;
    private final Will will;
    private final boolean cleanSession;
    private final int keepAliveSeconds;
    private final Duration pingTimeout;
    private final Duration connectTimeout;
    private final ProtocolVersion protocolVersion;
    private final int receiveBufferSize;
    private final int receiveBufferLimit;
    private final int transmitBufferSize;
    private final int transmitBufferLimit;
    private final int maxIncomingPacketSize;
    private final int maxInflight;
    private final boolean manualAcks;
    private final boolean batchWrites;
    private final boolean strictAcknowledgements;
    private final boolean deferredAcks;
    private final TransportFactory transport;
    private final long sessionExpiryInterval;
    private final long sessionExpirySet;
    private final int receiveMaximum;
    private final int topicAliasMaximum;
    private final boolean requestResponseInformation;
    private final boolean requestProblemInformation;
    private final java.util.List<UserProperty> userProperties;
    private final boolean topicAliases;
    private final boolean enforceReceiveMaximum;
    private final Authenticator authenticator;

    private MqttClientConfig(Builder b, String clientId, Duration pingTimeout) {
        host = b.host;
        port = b.port;
        this.clientId = clientId;
        userName = b.userName;
        password = b.password;
        will = b.will;
        cleanSession = b.cleanSession;
        keepAliveSeconds = b.keepAliveSeconds;
        this.pingTimeout = pingTimeout;
        connectTimeout = b.connectTimeout;
        protocolVersion = b.protocolVersion;
        receiveBufferSize = b.receiveBufferSize;
        receiveBufferLimit = b.receiveBufferLimit;
        transmitBufferSize = b.transmitBufferSize;
        transmitBufferLimit = b.transmitBufferLimit;
        maxIncomingPacketSize = b.maxIncomingPacketSize;
        maxInflight = b.maxInflight;
        manualAcks = b.manualAcks;
        batchWrites = b.batchWrites;
        strictAcknowledgements = b.strictAcknowledgements;
        deferredAcks = b.deferredAcks;
        transport = b.transport;
        sessionExpirySet = b.sessionExpiryInterval;
        sessionExpiryInterval = b.sessionExpiryInterval >= 0 ? b.sessionExpiryInterval
                : cleanSession ? 0 : 0xFFFF_FFFFL; // as mosquitto's clients: a kept session never expires
        receiveMaximum = b.receiveMaximum;
        topicAliasMaximum = b.topicAliasMaximum;
        requestResponseInformation = b.requestResponseInformation;
        requestProblemInformation = b.requestProblemInformation;
        userProperties = java.util.List.copyOf(b.userProperties);
        topicAliases = b.topicAliases;
        enforceReceiveMaximum = b.enforceReceiveMaximum;
        authenticator = b.authenticator;
    }

    /**
     * A new builder with the defaults.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this configuration's values, to derive a changed copy.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * The broker's host name or address.
     *
     * @return the host
     */
    public String host() {
        return host;
    }

    /**
     * The broker's port.
     *
     * @return the port
     */
    public int port() {
        return port;
    }

    /**
     * The client identifier sent in CONNECT.
     *
     * @return the client identifier
     */
    public String clientId() {
        return clientId;
    }

    /**
     * The user name, or null.
     *
     * @return the user name, or null
     */
    public String userName() {
        return userName;
    }

    /**
     * A copy of the password, or null.
     *
     * @return the password, or null
     */
    public byte[] password() {
        return password == null ? null : password.clone();
    }

    /**
     * The will, or null.
     *
     * @return the will, or null
     */
    public Will will() {
        return will;
    }

    /**
     * MQTT 5.0: how long, in seconds, the server keeps the session after a connection ends: what was set with
     * {@link Builder#sessionExpiryInterval}, else 0 for a clean session and 4,294,967,295 (never expires) for a kept
     * one, so that {@code cleanSession(false)} means the same as with MQTT 3.1.1.
     *
     * @return the interval in seconds
     */
    public long sessionExpiryInterval() {
        return sessionExpiryInterval;
    }

    /**
     * MQTT 5.0: how many incoming QoS 1 and 2 messages the client takes unacknowledged (Receive Maximum).
     *
     * @return the Receive Maximum
     */
    public int receiveMaximum() {
        return receiveMaximum;
    }

    /**
     * MQTT 5.0: the highest Topic Alias the server may use towards the client (0: none).
     *
     * @return the Topic Alias Maximum
     */
    public int topicAliasMaximum() {
        return topicAliasMaximum;
    }

    /**
     * MQTT 5.0: whether CONNECT asks the server for Response Information.
     *
     * @return whether it is asked for
     */
    public boolean requestResponseInformation() {
        return requestResponseInformation;
    }

    /**
     * MQTT 5.0: whether the server may send Reason Strings and User Properties on failures (default true).
     *
     * @return whether the server may send them
     */
    public boolean requestProblemInformation() {
        return requestProblemInformation;
    }

    /**
     * MQTT 5.0: the user properties of CONNECT, in order.
     *
     * @return the user properties, possibly empty
     */
    public java.util.List<UserProperty> userProperties() {
        return userProperties;
    }

    /**
     * MQTT 5.0: whether the client gives outgoing topics aliases when the server allows them (default true).
     *
     * @return whether Topic Aliases are used
     */
    public boolean topicAliases() {
        return topicAliases;
    }

    /**
     * MQTT 5.0: whether a server that exceeds the client's Receive Maximum is disconnected (default true).
     *
     * @return whether such a server is disconnected
     */
    public boolean enforceReceiveMaximum() {
        return enforceReceiveMaximum;
    }

    /**
     * MQTT 5.0: the enhanced authentication, or null for none.
     *
     * @return the authenticator, or null
     */
    public Authenticator authenticator() {
        return authenticator;
    }

    /**
     * Whether CONNECT asks for a clean session.
     *
     * @return whether a clean session is asked for
     */
    public boolean cleanSession() {
        return cleanSession;
    }

    /**
     * The keep-alive interval in seconds; 0 turns keep-alive off.
     *
     * @return the interval in seconds
     */
    public int keepAliveSeconds() {
        return keepAliveSeconds;
    }

    /**
     * How long a PINGREQ may go unanswered before the connection is closed.
     *
     * @return the time-out
     */
    public Duration pingTimeout() {
        return pingTimeout;
    }

    /**
     * How long connecting (transport and CONNACK) may take.
     *
     * @return the time-out
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * The protocol version.
     *
     * @return the protocol version
     */
    public ProtocolVersion protocolVersion() {
        return protocolVersion;
    }

    /**
     * The receive buffer size in bytes: the buffer a connection starts with. PUBLISH packets larger than the buffer
     * (or than {@link #receiveBufferLimit()}, when it may grow) are streamed.
     *
     * @return the size in bytes
     */
    public int receiveBufferSize() {
        return receiveBufferSize;
    }

    /**
     * How far the receive buffer may grow to take a packet whole, in bytes; 0 when not set. Unset, the poll-driven
     * {@link MqttClient} keeps its buffer at {@link #receiveBufferSize()} (fixed, small buffers are its point) and
     * the asynchronous client lets it grow to 64 KiB (or to {@code receiveBufferSize} if that is larger). A
     * connection goes back to {@code receiveBufferSize} once it has received nothing larger for a while, and when
     * it ends. With a limit set, a connection also gives up both its buffers (receive and transmit) after 5 s
     * without a read or a write, so that an idle connection holds none, and allocates them again for the next
     * bytes each way.
     *
     * @return the limit in bytes, or 0
     */
    public int receiveBufferLimit() {
        return receiveBufferLimit;
    }

    /**
     * The transmit buffer size in bytes: encoded packets wait here; large payloads are referenced instead.
     *
     * @return the size in bytes
     */
    public int transmitBufferSize() {
        return transmitBufferSize;
    }

    /**
     * How far the transmit buffer may grow while packets are encoded faster than the socket takes them, in bytes; 0
     * when not set. Unset, the poll-driven {@link MqttClient} keeps its buffer at {@link #transmitBufferSize()}
     * (a publish that does not fit waits for a write, as with Zephyr's fixed buffer) and the asynchronous client
     * lets it grow to 64 KiB (or to {@code transmitBufferSize} if that is larger), so that a burst of small
     * messages goes out in few large writes. A grown buffer goes back to {@code transmitBufferSize} once nothing
     * beyond that size was pending for a while, and when the connection is idle or ends.
     *
     * @return the limit in bytes, or 0
     * @since 0.2.0
     */
    public int transmitBufferLimit() {
        return transmitBufferLimit;
    }

    /**
     * The largest packet accepted from the server, fixed header included.
     *
     * @return the limit in bytes
     */
    public int maxIncomingPacketSize() {
        return maxIncomingPacketSize;
    }

    /**
     * The send window: the most outgoing QoS 1/2 messages unacknowledged at once.
     *
     * @return the most messages in flight
     */
    public int maxInflight() {
        return maxInflight;
    }

    /**
     * Whether QoS acknowledgements are left to the application.
     *
     * @return whether acknowledgements are manual
     */
    public boolean manualAcks() {
        return manualAcks;
    }

    /**
     * Whether received QoS 1/2 messages are acknowledged only when the application says so, in order.
     *
     * @return whether acknowledgements are deferred
     */
    public boolean deferredAcks() {
        return deferredAcks;
    }

    /**
     * Whether a PUBACK, PUBREC or PUBCOMP for a packet identifier not in flight closes the connection (true) or is
     * ignored and reported as {@link MqttEvent.UnexpectedAck} (false, the default).
     *
     * @return whether such acknowledgements close the connection
     */
    public boolean strictAcknowledgements() {
        return strictAcknowledgements;
    }

    /**
     * Whether operations only fill the transmit buffer, to be written in batches.
     *
     * @return whether writes are batched
     */
    public boolean batchWrites() {
        return batchWrites;
    }

    /**
     * The transport factory.
     *
     * @return the transport factory
     */
    public TransportFactory transport() {
        return transport;
    }

    @Override
    public String toString() {
        return "MqttClientConfig[" + host + ":" + port + ", clientId=" + clientId + ", " + protocolVersion
                + ", cleanSession=" + cleanSession + ", keepAlive=" + keepAliveSeconds + "s"
                + (userName != null ? ", userName=" + userName : "") + (will != null ? ", " + will : "") + "]";
    }

    /**
     * Builds a {@link MqttClientConfig}. Each setter checks its argument at once; {@link #build()} checks the
     * combination.
     *
     * <p>Not thread-safe.
     */
    public static final class Builder {
        private String host;
        private int port = DEFAULT_PORT;
        private String clientId;
        private String userName;
        private byte[] password;
        private Will will;
        private boolean cleanSession = true;
        private int keepAliveSeconds = 60;
        private Duration pingTimeout;
        private Duration connectTimeout = TEN_SECONDS;
        private ProtocolVersion protocolVersion = ProtocolVersion.MQTT_3_1_1;
        private int receiveBufferSize = 4096;
        private int receiveBufferLimit;
        private int transmitBufferSize = 4096;
        private int transmitBufferLimit;
        private int maxIncomingPacketSize = PacketEncoder.MAX_REMAINING_LENGTH + 5;
        private int maxInflight = 100;
        private boolean manualAcks;
        private boolean batchWrites;
        private boolean strictAcknowledgements;
        private boolean deferredAcks;
        private TransportFactory transport = TransportFactory.tcp();
        private long sessionExpiryInterval = -1;
        private int receiveMaximum = 65535;
        private int topicAliasMaximum;
        private boolean requestResponseInformation;
        private boolean requestProblemInformation = true;
        private java.util.List<UserProperty> userProperties = new java.util.ArrayList<>();
        private boolean topicAliases = true;
        private boolean enforceReceiveMaximum = true;
        private Authenticator authenticator;

        private Builder() {
        }

        private Builder(MqttClientConfig c) {
            host = c.host;
            port = c.port;
            clientId = c.clientId;
            userName = c.userName;
            password = c.password;
            will = c.will;
            cleanSession = c.cleanSession;
            keepAliveSeconds = c.keepAliveSeconds;
            pingTimeout = c.pingTimeout;
            connectTimeout = c.connectTimeout;
            protocolVersion = c.protocolVersion;
            receiveBufferSize = c.receiveBufferSize;
            receiveBufferLimit = c.receiveBufferLimit;
            transmitBufferSize = c.transmitBufferSize;
            transmitBufferLimit = c.transmitBufferLimit;
            maxIncomingPacketSize = c.maxIncomingPacketSize;
            maxInflight = c.maxInflight;
            manualAcks = c.manualAcks;
            batchWrites = c.batchWrites;
            strictAcknowledgements = c.strictAcknowledgements;
            deferredAcks = c.deferredAcks;
            transport = c.transport;
            sessionExpiryInterval = c.sessionExpirySet;
            receiveMaximum = c.receiveMaximum;
            topicAliasMaximum = c.topicAliasMaximum;
            requestResponseInformation = c.requestResponseInformation;
            requestProblemInformation = c.requestProblemInformation;
            userProperties = new java.util.ArrayList<>(c.userProperties);
            topicAliases = c.topicAliases;
            enforceReceiveMaximum = c.enforceReceiveMaximum;
            authenticator = c.authenticator;
        }

        /**
         * The broker's host and port (required).
         *
         * @param host the broker's host name or address
         * @param port the broker's port, 1 to 65535
         * @return this builder
         */
        public Builder broker(String host, int port) {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("host must not be empty");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1..65535, was " + port);
            }
            this.host = host;
            this.port = port;
            return this;
        }

        /**
         * The client identifier (default: {@code wren-} and 8 random hex digits).
         *
         * @param clientId the client identifier
         * @return this builder
         */
        public Builder clientId(String clientId) {
            if (clientId == null) {
                throw new IllegalArgumentException("clientId must not be null");
            }
            ConfigChecks.checkString("clientId", clientId);
            this.clientId = clientId;
            return this;
        }

        /**
         * The user name, or null for none.
         *
         * @param userName the user name, or null
         * @return this builder
         */
        public Builder userName(String userName) {
            if (userName != null) {
                ConfigChecks.checkString("userName", userName);
            }
            this.userName = userName;
            return this;
        }

        /**
         * The password, or null for none (copied).
         *
         * @param password the password, or null
         * @return this builder
         */
        public Builder password(byte[] password) {
            if (password != null && password.length > 65535) {
                throw new IllegalArgumentException("password is " + password.length + " bytes; at most 65535 allowed");
            }
            this.password = password == null ? null : password.clone();
            return this;
        }

        /**
         * The will, or null for none.
         *
         * @param will the will, or null
         * @return this builder
         */
        public Builder will(Will will) {
            this.will = will;
            return this;
        }

        /**
         * Whether to ask for a clean session (default true).
         *
         * @param cleanSession {@code true} for a clean session
         * @return this builder
         */
        public Builder cleanSession(boolean cleanSession) {
            this.cleanSession = cleanSession;
            return this;
        }

        /**
         * The keep-alive interval, whole seconds 0..65535; zero turns keep-alive off (default 60 s).
         *
         * @param keepAlive the interval
         * @return this builder
         */
        public Builder keepAlive(Duration keepAlive) {
            Objects.requireNonNull(keepAlive, "keepAlive must not be null");
            long s = keepAlive.getSeconds();
            if (keepAlive.isNegative() || s > 65535 || keepAlive.getNano() != 0) {
                throw new IllegalArgumentException("keepAlive must be whole seconds in 0..65535, was "
                        + ConfigChecks.describe(keepAlive));
            }
            this.keepAliveSeconds = (int) s;
            return this;
        }

        /**
         * How long a PINGREQ may go unanswered (default: half the keep-alive interval, 30 s with keep-alive off).
         * A PINGREQ goes out once a keep-alive interval passed with nothing sent or nothing received, so by default a
         * broker that stopped answering is noticed within one and a half keep-alive intervals, as a server notices a
         * dead client [MQTT-3.1.2-24].
         *
         * @param pingTimeout how long to wait for the PINGRESP
         * @return this builder
         */
        public Builder pingTimeout(Duration pingTimeout) {
            this.pingTimeout = ConfigChecks.positive("pingTimeout", pingTimeout);
            return this;
        }

        /**
         * How long connecting may take until CONNACK (default 10 s).
         *
         * @param connectTimeout how long to wait for the CONNACK
         * @return this builder
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = ConfigChecks.positive("connectTimeout", connectTimeout);
            return this;
        }

        /**
         * The protocol version (default MQTT 3.1.1).
         *
         * @param protocolVersion the protocol version
         * @return this builder
         */
        public Builder protocolVersion(ProtocolVersion protocolVersion) {
            this.protocolVersion = Objects.requireNonNull(protocolVersion, "protocolVersion must not be null");
            return this;
        }

        /**
         * The receive buffer size, 16 bytes .. 16 MiB (default 4096).
         *
         * @param bytes the size in bytes
         * @return this builder
         */
        public Builder receiveBufferSize(int bytes) {
            this.receiveBufferSize = ConfigChecks.range("receiveBufferSize", bytes, 16, 1 << 24);
            return this;
        }

        /**
         * How far the receive buffer may grow to take a packet whole, 16 bytes .. 16 MiB, at least
         * {@link #receiveBufferSize(int)} (checked at build); see {@link MqttClientConfig#receiveBufferLimit()} for
         * what happens when it is not set. Set it to the receive buffer size to keep an asynchronous client's buffer
         * fixed.
         *
         * @param bytes the limit in bytes
         * @return this builder
         */
        public Builder receiveBufferLimit(int bytes) {
            this.receiveBufferLimit = ConfigChecks.range("receiveBufferLimit", bytes, 16, 1 << 24);
            return this;
        }

        /**
         * The transmit buffer size, 16 bytes .. 16 MiB (default 4096).
         *
         * @param bytes the size in bytes
         * @return this builder
         */
        public Builder transmitBufferSize(int bytes) {
            this.transmitBufferSize = ConfigChecks.range("transmitBufferSize", bytes, 16, 1 << 24);
            return this;
        }

        /**
         * How far the transmit buffer may grow, 16 bytes .. 16 MiB, at least {@link #transmitBufferSize(int)}
         * (checked at build); see {@link MqttClientConfig#transmitBufferLimit()} for what happens when it is not
         * set. Set it to the transmit buffer size to keep an asynchronous client's buffer fixed.
         *
         * @param bytes the limit in bytes
         * @return this builder
         * @since 0.2.0
         */
        public Builder transmitBufferLimit(int bytes) {
            this.transmitBufferLimit = ConfigChecks.range("transmitBufferLimit", bytes, 16, 1 << 24);
            return this;
        }

        /**
         * The largest packet accepted from the server, 2 .. 268435460 bytes (default: the protocol maximum).
         *
         * @param bytes the limit in bytes
         * @return this builder
         */
        public Builder maxIncomingPacketSize(int bytes) {
            this.maxIncomingPacketSize = ConfigChecks.range("maxIncomingPacketSize", bytes, 2, PacketEncoder.MAX_REMAINING_LENGTH + 5);
            return this;
        }

        /**
         * The send window, 1..65535 (default 100): the most outgoing QoS 1/2 messages unacknowledged at once, for
         * both clients. A QoS 1/2 publish beyond it returns {@code WOULD_BLOCK} on the poll-driven client and waits
         * in its queue on the asynchronous one. SUBSCRIBE and UNSUBSCRIBE do not count.
         *
         * @param max the most messages in flight
         * @return this builder
         */
        public Builder maxInflight(int max) {
            this.maxInflight = ConfigChecks.range("maxInflight", max, 1, 65535);
            return this;
        }

        /**
         * Leave PUBACK, PUBREC, PUBREL and PUBCOMP to the application, as Zephyr does (default false).
         *
         * @param manualAcks {@code true} to leave the acknowledgements to the application
         * @return this builder
         */
        public Builder manualAcks(boolean manualAcks) {
            this.manualAcks = manualAcks;
            return this;
        }

        /**
         * Acknowledge each received QoS 1/2 message only once the application calls
         * {@link MqttClient#acknowledge(int)} for it (default false), in the order the specification requires: the
         * PUBACKs in the order the QoS 1 PUBLISHes arrived [MQTT-4.6.0-2], the PUBRECs in the order the QoS 2 ones
         * did [MQTT-4.6.0-3], so that an acknowledgement given out of order waits for the earlier ones. Everything
         * else stays automatic (PUBREL, PUBCOMP, repeated QoS 2 messages). A message not acknowledged when the
         * connection ends is sent again by a broker that keeps the session. The asynchronous client uses this for
         * {@link #manualAcks(boolean) manualAcks(true)}; {@code manualAcks} takes precedence on the poll-driven client.
         *
         * @param deferred {@code true} to acknowledge only on {@link MqttClient#acknowledge(int)}
         * @return this builder
         */
        public Builder deferredAcks(boolean deferred) {
            this.deferredAcks = deferred;
            return this;
        }

        /**
         * What to do with a PUBACK, PUBREC or PUBCOMP for a packet identifier the client has not got in flight, as
         * happens after a broker restart or a resend race. Default false, as libmosquitto and Paho: keep the
         * connection, ignore the acknowledgement and report it as {@link MqttEvent.UnexpectedAck}; an unknown
         * PUBREC is answered with PUBREL (and its PUBCOMP taken silently), as MQTT 5.0 prescribes for "Packet
         * Identifier not found", so that the server's exchange finishes. True: close the connection with
         * {@link ProtocolViolation#UNEXPECTED_ACKNOWLEDGEMENT}.
         *
         * @param strict {@code true} to close the connection, {@code false} to ignore and count such acknowledgements
         * @return this builder
         */
        public Builder strictAcknowledgements(boolean strict) {
            this.strictAcknowledgements = strict;
            return this;
        }

        /**
         * Batch writes (default false): operations only fill the transmit buffer, which is written when full, on
         * {@link MqttClient#flush()}, or by {@link MqttClient#input()} and {@link MqttClient#live()}. Off, every
         * operation writes at once.
         *
         * @param batchWrites {@code true} to batch writes
         * @return this builder
         */
        public Builder batchWrites(boolean batchWrites) {
            this.batchWrites = batchWrites;
            return this;
        }

        /**
         * MQTT 5.0: how long the server keeps the session after a connection ends, in seconds (0 to 4,294,967,295,
         * the last meaning never). Default: 0 with {@code cleanSession(true)}, never with {@code cleanSession(false)}.
         *
         * @param seconds the interval in seconds
         * @return this builder
         */
        public Builder sessionExpiryInterval(long seconds) {
            if (seconds < 0 || seconds > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("sessionExpiryInterval must be 0..4294967295 seconds, was "
                        + seconds);
            }
            this.sessionExpiryInterval = seconds;
            return this;
        }

        /**
         * MQTT 5.0: how many incoming QoS 1 and 2 messages the server may send unacknowledged (1..65535, default
         * 65535); a server that sends more is disconnected with Receive Maximum exceeded (0x93).
         *
         * @param max the Receive Maximum
         * @return this builder
         */
        public Builder receiveMaximum(int max) {
            if (max < 1 || max > 65535) {
                throw new IllegalArgumentException("receiveMaximum must be 1..65535, was " + max);
            }
            this.receiveMaximum = max;
            return this;
        }

        /**
         * MQTT 5.0: the highest Topic Alias the server may use when sending to the client (0..65535, default 0: the
         * server sends topic names in full); an alias above it ends the connection with Topic Alias invalid (0x94).
         *
         * @param max the Topic Alias Maximum
         * @return this builder
         */
        public Builder topicAliasMaximum(int max) {
            if (max < 0 || max > 65535) {
                throw new IllegalArgumentException("topicAliasMaximum must be 0..65535, was " + max);
            }
            this.topicAliasMaximum = max;
            return this;
        }

        /**
         * MQTT 5.0: ask the server for Response Information in CONNACK (default false).
         *
         * @param request {@code true} to ask for Response Information
         * @return this builder
         */
        public Builder requestResponseInformation(boolean request) {
            this.requestResponseInformation = request;
            return this;
        }

        /**
         * MQTT 5.0: let the server send Reason Strings and User Properties on failures (default true).
         *
         * @param request {@code false} to ask the server to leave them out
         * @return this builder
         */
        public Builder requestProblemInformation(boolean request) {
            this.requestProblemInformation = request;
            return this;
        }

        /**
         * MQTT 5.0: adds a user property to CONNECT, after those added before.
         *
         * @param name the property's name
         * @param value the property's value
         * @return this builder
         */
        public Builder userProperty(String name, String value) {
            Utf8.encodedLength(Objects.requireNonNull(name, "userProperty name must not be null"));
            Utf8.encodedLength(Objects.requireNonNull(value, "userProperty value must not be null"));
            userProperties.add(new UserProperty(name, value));
            return this;
        }

        /**
         * MQTT 5.0: give outgoing topics Topic Aliases when the server allows them (default true): the client keeps
         * the most recently used topics, up to the server's Topic Alias Maximum, and sends each after its first use
         * on a connection as a two-byte alias instead of the name.
         *
         * @param use {@code true} to use Topic Aliases
         * @return this builder
         */
        public Builder topicAliases(boolean use) {
            this.topicAliases = use;
            return this;
        }

        /**
         * MQTT 5.0: disconnect a server that sends more unacknowledged QoS 1 and 2 messages than the client's Receive
         * Maximum, with reason 0x93 (default true, as the specification says). Off, the excess is taken: Mosquitto
         * 2.0.11 was seen to send four messages on two PUBACKs with a Receive Maximum of 2, when acknowledgements are
         * deferred, so a client that defers them and speaks to such a broker may want it off.
         *
         * @param enforce {@code true} to disconnect such a server
         * @return this builder
         */
        public Builder enforceReceiveMaximum(boolean enforce) {
            this.enforceReceiveMaximum = enforce;
            return this;
        }

        /**
         * MQTT 5.0: enhanced authentication by {@code authenticator} (its method and initial data go in CONNECT, its
         * answers in AUTH; {@link ScramSha256Authenticator} for SCRAM-SHA-256); null for none. One authenticator per
         * client.
         *
         * @param authenticator the authenticator, or null for none
         * @return this builder
         */
        public Builder authenticator(Authenticator authenticator) {
            this.authenticator = authenticator;
            return this;
        }

        /**
         * The transport (default: plain TCP).
         *
         * @param transport the transport
         * @return this builder
         */
        public Builder transport(TransportFactory transport) {
            this.transport = Objects.requireNonNull(transport, "transport must not be null");
            return this;
        }

        /**
         * The broker and its transport as one URL: {@code mqtt://host[:1883]}, {@code mqtts://host[:8883]} (TLS
         * with the JDK's trust store; use {@link #tls} after this for other settings), {@code ws://host[:80][/path]}
         * and {@code wss://host[:443][/path]} (WebSocket, path {@code /mqtt} unless given), or
         * {@code unix:///path/to/socket}. Set {@link #protocolVersion} first: WebSocket offers its subprotocol.
         *
         * @param url the broker's URL
         * @return this builder
         * @throws IllegalArgumentException naming {@code url} when it is not one of these
         */
        public Builder url(String url) {
            dev.wren.mqtt.internal.config.BrokerUrl.apply(url, this, protocolVersion);
            return this;
        }

        /**
         * TLS with these settings: shorthand for {@code transport(TransportFactory.tls(tls))}.
         *
         * @param tls the TLS settings
         * @return this builder
         */
        public Builder tls(TlsConfig tls) {
            return transport(TransportFactory.tls(tls));
        }

        /**
         * Checks the combination and builds.
         *
         * @return the configuration
         * @throws IllegalArgumentException naming the field at fault
         */
        public MqttClientConfig build() {
            if (host == null) {
                throw new IllegalArgumentException("host must be set: call broker(host, port)");
            }
            // the builder is left as it was: building twice gives two generated client identifiers
            String clientId = this.clientId != null ? this.clientId
                    : String.format("wren-%08x", ThreadLocalRandom.current().nextInt());
            int idLength = Utf8.encodedLength(clientId);
            if (protocolVersion == ProtocolVersion.MQTT_3_1 && (idLength < 1 || idLength > 23)) {
                throw new IllegalArgumentException("clientId must be 1..23 bytes for MQTT 3.1, was " + idLength);
            }
            if (idLength == 0 && !cleanSession && !protocolVersion.isMqtt5()) { // 5.0: the server assigns one
                throw new IllegalArgumentException("clientId must not be empty when cleanSession is false [MQTT-3.1.3-7]");
            }
            if (password != null && userName == null && protocolVersion == ProtocolVersion.MQTT_3_1_1) {
                throw new IllegalArgumentException("password needs a userName in MQTT 3.1.1 [MQTT-3.1.2-22]");
            }
            Duration pingTimeout = this.pingTimeout;
            if (pingTimeout == null) {
                pingTimeout = keepAliveSeconds == 0 || keepAliveSeconds == 60 ? THIRTY_SECONDS
                        : Duration.ofMillis(keepAliveSeconds * 500L);
            }
            if (!protocolVersion.isMqtt5() && (!userProperties.isEmpty() || receiveMaximum != 65535
                    || topicAliasMaximum != 0 || requestResponseInformation || !requestProblemInformation
                    || authenticator != null
                    || (will != null && (!will.properties().isEmpty() || will.delaySeconds() != 0)))) {
                throw new IllegalArgumentException("protocolVersion " + protocolVersion + " has no properties: "
                        + "receiveMaximum, topicAliasMaximum, userProperty, requestResponseInformation, "
                        + "requestProblemInformation, authenticator and will properties need MQTT_5");
            }
            if (receiveBufferLimit != 0 && receiveBufferLimit < receiveBufferSize) {
                throw new IllegalArgumentException("receiveBufferLimit of " + receiveBufferLimit
                        + " bytes is below the receiveBufferSize of " + receiveBufferSize + " bytes");
            }
            if (transmitBufferLimit != 0 && transmitBufferLimit < transmitBufferSize) {
                throw new IllegalArgumentException("transmitBufferLimit of " + transmitBufferLimit
                        + " bytes is below the transmitBufferSize of " + transmitBufferSize + " bytes");
            }
            MqttClientConfig config = new MqttClientConfig(this, clientId, pingTimeout);
            int connectTotal = PacketEncoder.encodedLength(
                    dev.wren.mqtt.internal.session.ProtocolConfig.of(config).connect(clientId));
            if (connectTotal > transmitBufferSize) {
                throw new IllegalArgumentException("transmitBufferSize of " + transmitBufferSize
                        + " bytes cannot hold the CONNECT packet of " + connectTotal + " bytes");
            }
            return config;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MqttClientConfig c && host.equals(c.host) && port == c.port && clientId.equals(c.clientId)
                && Objects.equals(userName, c.userName) && Arrays.equals(password, c.password)
                && Objects.equals(will, c.will) && cleanSession == c.cleanSession
                && keepAliveSeconds == c.keepAliveSeconds && pingTimeout.equals(c.pingTimeout)
                && connectTimeout.equals(c.connectTimeout) && protocolVersion == c.protocolVersion
                && receiveBufferSize == c.receiveBufferSize && receiveBufferLimit == c.receiveBufferLimit
                && transmitBufferSize == c.transmitBufferSize && transmitBufferLimit == c.transmitBufferLimit
                && maxIncomingPacketSize == c.maxIncomingPacketSize && maxInflight == c.maxInflight
                && manualAcks == c.manualAcks && batchWrites == c.batchWrites && transport == c.transport
                && strictAcknowledgements == c.strictAcknowledgements && deferredAcks == c.deferredAcks
                && sessionExpiryInterval == c.sessionExpiryInterval && receiveMaximum == c.receiveMaximum
                && topicAliasMaximum == c.topicAliasMaximum && topicAliases == c.topicAliases
                && enforceReceiveMaximum == c.enforceReceiveMaximum
                && requestResponseInformation == c.requestResponseInformation
                && requestProblemInformation == c.requestProblemInformation && userProperties.equals(c.userProperties)
                && sessionExpirySet == c.sessionExpirySet && authenticator == c.authenticator;
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, port, clientId, protocolVersion, keepAliveSeconds);
    }
}
