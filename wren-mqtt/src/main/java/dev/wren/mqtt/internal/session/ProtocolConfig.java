package dev.wren.mqtt.internal.session;

import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.ProtocolVersion;
import dev.wren.mqtt.Will;
import java.time.Duration;

/**
 * What the protocol core needs to know: the MQTT settings of a client and nothing of its transport (no host, no
 * port, no TLS), so that the core can be built and tested without a broker address.
 *
 * <p>Values are taken as valid: the public {@link MqttClientConfig.Builder} checks them, and {@link #of} copies them
 * from a built configuration. {@link #builder()} serves the core's own tests.
 *
 * @param maxInflight the send window: how many outgoing QoS 1/2 messages may be unacknowledged at once
 */
public record ProtocolConfig(ProtocolVersion protocolVersion, String clientId, String userName, byte[] password,
                             Will will, boolean cleanSession, int keepAliveSeconds, Duration pingTimeout,
                             Duration connectTimeout, int receiveBufferSize, int transmitBufferSize,
                             int maxIncomingPacketSize, int maxInflight, boolean manualAcks, boolean deferredAcks,
                             boolean strictAcknowledgements) {

    /** The MQTT part of a client's configuration. */
    public static ProtocolConfig of(MqttClientConfig c) {
        return new ProtocolConfig(c.protocolVersion(), c.clientId(), c.userName(), c.password(), c.will(),
                c.cleanSession(), c.keepAliveSeconds(), c.pingTimeout(), c.connectTimeout(), c.receiveBufferSize(),
                c.transmitBufferSize(), c.maxIncomingPacketSize(), c.maxInflight(), c.manualAcks(), c.deferredAcks(),
                c.strictAcknowledgements());
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
        private int maxIncomingPacketSize = 268_435_460;
        private int maxInflight = 65535;
        private boolean manualAcks;
        private boolean deferredAcks;
        private boolean strictAcknowledgements;

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
        public Builder maxIncomingPacketSize(int n) { maxIncomingPacketSize = n; return this; }
        public Builder maxInflight(int n) { maxInflight = n; return this; }
        public Builder manualAcks(boolean on) { manualAcks = on; return this; }
        public Builder deferredAcks(boolean on) { deferredAcks = on; return this; }
        public Builder strictAcknowledgements(boolean on) { strictAcknowledgements = on; return this; }

        public ProtocolConfig build() {
            Duration ping = pingTimeout != null ? pingTimeout : keepAliveSeconds == 0 || keepAliveSeconds == 60
                    ? Duration.ofSeconds(30) : Duration.ofMillis(keepAliveSeconds * 500L);
            return new ProtocolConfig(protocolVersion, clientId, userName, password, will, cleanSession,
                    keepAliveSeconds, ping, connectTimeout, receiveBufferSize, transmitBufferSize,
                    maxIncomingPacketSize, maxInflight, manualAcks, deferredAcks, strictAcknowledgements);
        }
    }
}
