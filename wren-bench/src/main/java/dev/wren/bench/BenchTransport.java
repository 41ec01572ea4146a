package dev.wren.bench;

import dev.wren.testing.WebSocketBridge;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * How a benchmark client reaches the broker: {@code tcp}, {@code tls} (Mosquitto's TLS listener on the port in
 * {@code wren.bench.tlsPort}, trusting the CA in {@code wren.bench.ca}) or {@code ws} (MQTT over WebSocket at
 * {@code /mqtt}, through a {@link WebSocketBridge} in this JVM, as Debian's Mosquitto 2.0.11 cannot open its own
 * websockets listener) or {@code hivews} (a broker's own WebSocket listener, on the port in
 * {@code wren.bench.wsPort}). A library is named {@code Lib@transport}; plain {@code Lib} is TCP.
 */
final class BenchTransport {
    private static final Map<Integer, WebSocketBridge> BRIDGES = new HashMap<>();

    private BenchTransport() {
    }

    /** The library part of {@code Lib@transport}. */
    static String library(String lib) {
        int at = lib.indexOf('@');
        return at < 0 ? lib : lib.substring(0, at);
    }

    /** The transport part of {@code Lib@transport}: tcp, tls or ws. */
    static String of(String lib) {
        int at = lib.indexOf('@');
        return at < 0 ? "tcp" : lib.substring(at + 1);
    }

    /** The port to connect to for {@code transport}, given the broker's plain port. */
    static synchronized int port(String transport, String host, int port) throws Exception {
        switch (transport) {
            case "tls":
                return Integer.getInteger("wren.bench.tlsPort");
            case "hivews":
                return Integer.getInteger("wren.bench.wsPort");
            case "ws": {
                WebSocketBridge b = BRIDGES.get(port);
                if (b == null) {
                    b = WebSocketBridge.plain(host, port); // one frame per read, no ping: as a broker's listener
                    BRIDGES.put(port, b);
                }
                return b.port();
            }
            default:
                return port;
        }
    }

    static Path caFile() {
        return Path.of(System.getProperty("wren.bench.ca"));
    }

    /** A trust manager factory that trusts the benchmark's CA. */
    static TrustManagerFactory trust() throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(caFile())) {
            ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        return tmf;
    }

    static SSLContext sslContext() throws Exception {
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, trust().getTrustManagers(), null);
        return c;
    }
}
