package dev.wren.mqtt.internal.config;

import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.ProtocolVersion;
import dev.wren.mqtt.TlsConfig;
import dev.wren.mqtt.TransportFactory;
import java.net.URI;
import java.util.Objects;

/**
 * Broker URLs ({@code mqtt://}, {@code mqtts://}, {@code ws://}, {@code wss://}, {@code unix://}) turned into a
 * broker address and the transport stack that reaches it.
 *
 * <p>Stateless and thread-safe.
 */
public final class BrokerUrl {
    private BrokerUrl() {
    }

    /** Sets {@code b}'s broker and transport from {@code url}; see {@code MqttClientConfig.Builder.url}. */
    public static void apply(String url, MqttClientConfig.Builder b, ProtocolVersion version) {
        URI u;
        try {
            u = URI.create(Objects.requireNonNull(url, "url must not be null"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("url is not a URL: " + url);
        }
        String scheme = String.valueOf(u.getScheme()).toLowerCase();
        if (scheme.equals("unix")) {
            if (u.getPath() == null || u.getPath().isEmpty()) {
                throw new IllegalArgumentException("url unix:// needs a socket path, was " + url);
            }
            b.broker("localhost", 1).transport(TransportFactory.unix(java.nio.file.Path.of(u.getPath())));
            return;
        }
        int defaultPort = switch (scheme) {
            case "mqtt" -> 1883;
            case "mqtts" -> 8883;
            case "ws" -> 80;
            case "wss" -> 443;
            default -> throw new IllegalArgumentException("url must start with mqtt://, mqtts://, ws://, wss:// or "
                    + "unix://, was " + url);
        };
        if (u.getHost() == null) {
            throw new IllegalArgumentException("url names no host: " + url);
        }
        b.broker(u.getHost(), u.getPort() > 0 ? u.getPort() : defaultPort);
        boolean tls = scheme.equals("mqtts") || scheme.equals("wss");
        TransportFactory t = tls ? TransportFactory.tls(TlsConfig.builder().build()) : TransportFactory.tcp();
        if (scheme.startsWith("ws")) {
            String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/mqtt" : u.getRawPath();
            t = TransportFactory.webSocket(t, path, version == ProtocolVersion.MQTT_3_1 ? "mqttv3.1" : "mqtt");
        }
        b.transport(t);
    }
}
