package dev.wren.mqtt.internal.session;

import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.ProtocolVersion;
import dev.wren.mqtt.Qos;
import dev.wren.mqtt.UserProperty;
import dev.wren.mqtt.Will;
import dev.wren.mqtt.internal.codec.Packet;
import dev.wren.mqtt.internal.codec.Properties;
import dev.wren.mqtt.internal.codec.Property;
import java.time.Duration;
import java.util.List;

/**
 * What the protocol core needs to know: the MQTT settings of a client and nothing of its transport (no host, no
 * port, no TLS), so that the core can be built and tested without a broker address.
 *
 * <p>Values are taken as valid: the public {@link MqttClientConfig.Builder} checks them, and {@link #of} copies them
 * from a built configuration. {@link #builder()} serves the core's own tests.
 *
 * @param receiveBufferSize     the largest packet delivered whole (the receive buffer's limit); larger PUBLISH
 *                              payloads are streamed
 * @param transmitBufferLimit   how far the transmit buffer may grow (its size: it stays fixed)
 * @param maxInflight           the send window: how many outgoing QoS 1/2 messages may be unacknowledged at once
 *                              (with MQTT 5.0 also at most the server's Receive Maximum)
 * @param sessionExpiryInterval MQTT 5.0: seconds the server keeps the session after the connection ends
 * @param receiveMaximum        MQTT 5.0: incoming QoS 1/2 messages the client takes unacknowledged
 * @param topicAliasMaximum     MQTT 5.0: the highest incoming Topic Alias the client accepts (0: none)
 * @param userProperties        MQTT 5.0: user properties of CONNECT
 * @param topicAliases          MQTT 5.0: whether outgoing topics are given aliases when the server allows them
 * @param enforceReceiveMaximum MQTT 5.0: whether a server over the client's Receive Maximum is disconnected (0x93)
 * @param authenticator         MQTT 5.0: enhanced authentication, or null for none
 */
public record ProtocolConfig(ProtocolVersion protocolVersion, String clientId, String userName, byte[] password,
                             Will will, boolean cleanSession, int keepAliveSeconds, Duration pingTimeout,
                             Duration connectTimeout, int receiveBufferSize, int transmitBufferSize,
                             int transmitBufferLimit,
                             int maxIncomingPacketSize, int maxInflight, boolean manualAcks, boolean deferredAcks,
                             boolean strictAcknowledgements, long sessionExpiryInterval, int receiveMaximum,
                             int topicAliasMaximum, boolean requestResponseInformation,
                             boolean requestProblemInformation, List<UserProperty> userProperties,
                             boolean topicAliases, boolean enforceReceiveMaximum,
                             dev.wren.mqtt.Authenticator authenticator) {

    /** The largest packet MQTT can express: 268,435,455 bytes after a five-byte fixed header. */
    static final long MQTT_MAX_PACKET = 268_435_460L;

    /** The CONNECT that opens each connection, with {@code clientId} (the configured one, or one assigned). */
    public Packet.Connect connect(String clientId) {
        Will w = will;
        Properties props = null;
        Properties willProps = null;
        if (protocolVersion.isMqtt5()) {
            Properties.Builder b = Properties.builder();
            if (sessionExpiryInterval != 0) {
                b.put(Property.SESSION_EXPIRY_INTERVAL, sessionExpiryInterval);
            }
            if (receiveMaximum != 65535) {
                b.put(Property.RECEIVE_MAXIMUM, receiveMaximum);
            }
            if (maxIncomingPacketSize < MQTT_MAX_PACKET) {
                b.put(Property.MAXIMUM_PACKET_SIZE, maxIncomingPacketSize);
            }
            if (topicAliasMaximum > 0) {
                b.put(Property.TOPIC_ALIAS_MAXIMUM, topicAliasMaximum);
            }
            if (requestResponseInformation) {
                b.put(Property.REQUEST_RESPONSE_INFORMATION, 1);
            }
            if (!requestProblemInformation) {
                b.put(Property.REQUEST_PROBLEM_INFORMATION, 0);
            }
            for (UserProperty u : userProperties) {
                b.user(u.name(), u.value());
            }
            if (authenticator != null) {
                b.put(Property.AUTHENTICATION_METHOD, authenticator.method());
                byte[] data = authenticator.initialData();
                if (data != null) {
                    b.put(Property.AUTHENTICATION_DATA, data);
                }
            }
            props = b.build();
            if (w != null) {
                willProps = (Properties) w.properties();
                if (w.delaySeconds() > 0) {
                    willProps = willProps.with(Property.WILL_DELAY_INTERVAL, w.delaySeconds());
                }
            }
        }
        return new Packet.Connect(protocolVersion, clientId, cleanSession, keepAliveSeconds,
                w == null ? null : w.topic(), w == null ? null : w.payload(), w == null ? Qos.AT_MOST_ONCE : w.qos(),
                w != null && w.retain(), userName, password, props, willProps);
    }

    /**
     * The largest packet a client built from {@code c} takes whole, which is how far its receive buffer may grow:
     * {@code receiveBufferLimit} when set, else {@code receiveBufferSize} (a fixed buffer).
     */
    public static int wholePacketLimit(MqttClientConfig c) {
        return c.receiveBufferLimit() == 0 ? c.receiveBufferSize() : c.receiveBufferLimit();
    }

    /** The MQTT part of a client's configuration. */
    public static ProtocolConfig of(MqttClientConfig c) {
        return of(c, c.clientId());
    }

    private static ProtocolConfig of(MqttClientConfig c, String clientId) {
        return new ProtocolConfig(c.protocolVersion(), clientId, c.userName(), c.password(), c.will(),
                c.cleanSession(), c.keepAliveSeconds(), c.pingTimeout(), c.connectTimeout(),
                wholePacketLimit(c), c.transmitBufferSize(),
                Math.max(c.transmitBufferSize(), c.transmitBufferLimit()), c.maxIncomingPacketSize(), c.maxInflight(), c.manualAcks(), c.deferredAcks(),
                c.strictAcknowledgements(), c.sessionExpiryInterval(), c.receiveMaximum(), c.topicAliasMaximum(),
                c.requestResponseInformation(), c.requestProblemInformation(), c.userProperties(), c.topicAliases(),
                c.enforceReceiveMaximum(), c.authenticator());
    }

    /** The shared configuration made last ({@link #shared}). */
    private static final dev.wren.mqtt.internal.config.SharedLast<ProtocolConfig> SHARED =
            new dev.wren.mqtt.internal.config.SharedLast<>(ProtocolConfig::equals);

    /**
     * The MQTT part of a client's configuration without its client id (empty here; the core is given it apart, see
     * {@code ClientProtocol}), the one made last if equal: thousands of clients built alike, differing only in their
     * ids, share one. Records compare arrays by identity, so a configuration with a password (copied on every read)
     * is never shared.
     */
    public static ProtocolConfig shared(MqttClientConfig c) {
        return SHARED.share(of(c, ""));
    }

    /** A builder starting from the public configuration's defaults, client id "wren". */
    public static Builder builder() {
        return new Builder();
    }

    /** Sets fields for tests of the core; checks nothing (see the class description). Not thread-safe. */
    public static final class Builder {
        private ProtocolVersion protocolVersion = ProtocolVersion.MQTT_3_1_1;
        private String clientId = "wren";
        private String userName;
        private byte[] password;
        private Will will;
        private boolean cleanSession = true;
        private int keepAliveSeconds = 60;
        private Duration pingTimeout;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private int receiveBufferSize = 4096;
        private int transmitBufferSize = 4096;
        private int transmitBufferLimit;
        private int maxIncomingPacketSize = 268_435_460;
        private int maxInflight = 65535;
        private boolean manualAcks;
        private boolean deferredAcks;
        private boolean strictAcknowledgements;
        private long sessionExpiryInterval;
        private int receiveMaximum = 65535;
        private int topicAliasMaximum;
        private boolean topicAliases = true;
        private boolean enforceReceiveMaximum = true;
        private dev.wren.mqtt.Authenticator authenticator;
        private List<UserProperty> userProperties = List.of();

        private Builder() {
        }

        public Builder protocolVersion(ProtocolVersion v) { protocolVersion = v; return this; }
        public Builder clientId(String id) { clientId = id; return this; }
        public Builder credentials(String user, byte[] pass) { userName = user; password = pass; return this; }
        public Builder will(Will w) { will = w; return this; }
        public Builder cleanSession(boolean clean) { cleanSession = clean; return this; }
        public Builder keepAlive(Duration d) { keepAliveSeconds = (int) d.toSeconds(); return this; }
        public Builder pingTimeout(Duration d) { pingTimeout = d; return this; }
        public Builder connectTimeout(Duration d) { connectTimeout = d; return this; }
        public Builder receiveBufferSize(int n) { receiveBufferSize = n; return this; }
        public Builder transmitBufferSize(int n) { transmitBufferSize = n; return this; }
        public Builder transmitBufferLimit(int n) { transmitBufferLimit = n; return this; }
        public Builder maxIncomingPacketSize(int n) { maxIncomingPacketSize = n; return this; }
        public Builder maxInflight(int n) { maxInflight = n; return this; }
        public Builder manualAcks(boolean on) { manualAcks = on; return this; }
        public Builder deferredAcks(boolean on) { deferredAcks = on; return this; }
        public Builder strictAcknowledgements(boolean on) { strictAcknowledgements = on; return this; }
        public Builder sessionExpiryInterval(long seconds) { sessionExpiryInterval = seconds; return this; }
        public Builder receiveMaximum(int n) { receiveMaximum = n; return this; }
        public Builder topicAliasMaximum(int n) { topicAliasMaximum = n; return this; }
        public Builder topicAliases(boolean on) { topicAliases = on; return this; }
        public Builder enforceReceiveMaximum(boolean on) { enforceReceiveMaximum = on; return this; }
        public Builder authenticator(dev.wren.mqtt.Authenticator a) { authenticator = a; return this; }
        public Builder userProperties(List<UserProperty> u) { userProperties = u; return this; }

        public ProtocolConfig build() {
            Duration ping = pingTimeout != null ? pingTimeout : keepAliveSeconds == 0 || keepAliveSeconds == 60
                    ? Duration.ofSeconds(30) : Duration.ofMillis(keepAliveSeconds * 500L);
            return new ProtocolConfig(protocolVersion, clientId, userName, password, will, cleanSession,
                    keepAliveSeconds, ping, connectTimeout, receiveBufferSize, transmitBufferSize,
                    Math.max(transmitBufferSize, transmitBufferLimit),
                    maxIncomingPacketSize, maxInflight, manualAcks, deferredAcks, strictAcknowledgements,
                    sessionExpiryInterval, receiveMaximum, topicAliasMaximum, false, true, userProperties,
                    topicAliases, enforceReceiveMaximum, authenticator);
        }
    }
}
