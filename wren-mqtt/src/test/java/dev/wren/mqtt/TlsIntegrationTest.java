package dev.wren.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wren.mqtt.internal.tls.TlsContexts;
import dev.wren.mqtt.internal.tls.TlsTransport;
import dev.wren.testing.Mosquitto;
import dev.wren.testing.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Wren over TLS against a real Mosquitto with TLS listeners, certificates generated when the tests run: server
 * authentication, mutual TLS, certificates that must be refused, TLS 1.2 and 1.3, ALPN, and the core's guarantees
 * (every QoS, streamed payloads, many clients on one thread) over TLS.
 */
@Tag("broker") // starts Mosquitto: left out of the fast run
class TlsIntegrationTest {
    private static TestPki pki;
    private static Mosquitto broker;
    private static Mosquitto broker12;
    private static int tls;
    private static int mutual;
    private static int expired;
    private static int wrongHost;
    private static int untrusted;
    private static int tls12;
    private static int tls13;

    @BeforeAll
    static void start() throws IOException {
        pki = TestPki.create(Files.createTempDirectory("wren-pki"));
        tls = Mosquitto.freePort();
        mutual = Mosquitto.freePort();
        expired = Mosquitto.freePort();
        wrongHost = Mosquitto.freePort();
        untrusted = Mosquitto.freePort();
        tls12 = Mosquitto.freePort();
        tls13 = Mosquitto.freePort();
        List<String> conf = new ArrayList<>();
        Collections.addAll(conf, pki.listener(tls, "server", false, null));
        Collections.addAll(conf, pki.listener(mutual, "server", true, null));
        Collections.addAll(conf, pki.listener(expired, "expired", false, null));
        Collections.addAll(conf, pki.listener(wrongHost, "wronghost", false, null));
        Collections.addAll(conf, pki.listener(untrusted, "untrusted", false, null));
        Collections.addAll(conf, pki.listener(tls13, "server", false, "tlsv1.3"));
        broker = Mosquitto.start(conf.toArray(new String[0]));
        // mosquitto 2.0 can only set a minimum version: a TLS 1.2-only listener needs OpenSSL capped for the process
        broker12 = Mosquitto.startWithEnvironment(java.util.Map.of("OPENSSL_CONF", pki.openSslMaxTls12().toString()),
                pki.listener(tls12, "server", false, null));
    }

    @AfterAll
    static void stop() {
        broker.close();
        broker12.close();
    }

    private static TlsConfig.Builder trusting() {
        return TlsConfig.builder().caFile(pki.file("ca.pem"));
    }

    private static MqttClientConfig.Builder config(String id, int port, TlsConfig tlsConfig) {
        return MqttClientConfig.builder().broker("127.0.0.1", port).clientId(id).tls(tlsConfig)
                .connectTimeout(Duration.ofSeconds(5));
    }

    private static Events connectExpectingFailure(MqttClientConfig config) {
        Events events = new Events();
        MqttClient client = new MqttClient(config, events);
        client.connect();
        Poll.until(() -> !client.isOpen(), 10_000, client);
        return events;
    }

    @Test
    void serverAuthenticationWithTheCaFile() {
        Events events = new Events();
        MqttClient client = new MqttClient(config("tls-basic", tls, trusting().build()).build(), events);
        Poll.connect(client, events);
        client.disconnect();
        assertThat(events.disconnect().reason()).isEqualTo(DisconnectReason.NORMAL);
    }

    @Test
    void serverAuthenticationByHostNameLocalhost() {
        Events events = new Events();
        MqttClient client = new MqttClient(MqttClientConfig.builder().broker("localhost", tls).clientId("tls-dns")
                .tls(trusting().build()).build(), events);
        Poll.connect(client, events);
        client.disconnect();
    }

    @ParameterizedTest
    @ValueSource(strings = {"client.key", "client-encrypted.key", "client-rsa.key"})
    void mutualTlsWithEachKeyFormat(String keyFile) {
        char[] password = keyFile.contains("encrypted") ? TestPki.KEY_PASSWORD.toCharArray() : null;
        TlsConfig tlsConfig = trusting().clientCertificate(pki.file("client.pem"), pki.file(keyFile), password).build();
        Events events = new Events();
        MqttClient client = new MqttClient(config("tls-mutual", mutual, tlsConfig).build(), events);
        Poll.connect(client, events);
        client.disconnect();
    }

    @Test
    void mutualTlsListenerRefusesAClientWithoutCertificate() {
        Events events = connectExpectingFailure(config("tls-nocert", mutual, trusting().build()).build());
        MqttEvent.Disconnect d = events.disconnect();
        assertThat(d.reason()).isIn(DisconnectReason.TLS_ERROR, DisconnectReason.CLOSED_BY_SERVER);
        assertThat(events.count(MqttEvent.ConnAck.class)).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"untrusted", "expired", "wronghost"})
    void badServerCertificatesAreRefusedWithVerificationOn(String which) {
        int port = switch (which) {
            case "untrusted" -> untrusted;
            case "expired" -> expired;
            default -> wrongHost;
        };
        Events events = connectExpectingFailure(config("tls-bad-" + which, port, trusting().build()).build());
        MqttEvent.Disconnect d = events.disconnect();
        assertThat(d.reason()).isEqualTo(DisconnectReason.TLS_ERROR);
        assertThat(d.cause()).isInstanceOf(SSLException.class);
        String expected = switch (which) {
            case "untrusted" -> "unable to find valid certification path";
            case "expired" -> "validity";
            default -> "No subject alternative names matching IP address 127.0.0.1";
        };
        assertThat(d.message()).startsWith("TLS error").containsIgnoringCase(expected);
        assertThat(events.count(MqttEvent.ConnAck.class)).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"untrusted", "expired", "wronghost"})
    void badServerCertificatesAreAcceptedWithVerificationOff(String which) {
        int port = switch (which) {
            case "untrusted" -> untrusted;
            case "expired" -> expired;
            default -> wrongHost;
        };
        Events events = new Events();
        MqttClient client = new MqttClient(config("tls-none-" + which, port,
                TlsConfig.builder().verification(TlsConfig.PeerVerification.NONE).build()).build(), events);
        Poll.connect(client, events);
        client.disconnect();
    }

    @Test
    void optionalVerificationReportsTheFailureAndGoesOn() {
        List<String> failures = new ArrayList<>();
        TlsConfig tlsConfig = trusting().verification(TlsConfig.PeerVerification.OPTIONAL)
                .verificationFailureListener(failures::add).build();
        Events events = new Events();
        MqttClient client = new MqttClient(config("tls-optional", wrongHost, tlsConfig).build(), events);
        Poll.connect(client, events);
        assertThat(failures).singleElement().asString().contains("No subject alternative names");
        client.disconnect();
    }

    @Test
    void hostNameVerificationOffStillChecksTheChain() {
        Events ok = new Events();
        MqttClient wrongHostAccepted = new MqttClient(config("tls-nohost", wrongHost,
                trusting().hostNameVerification(false).build()).build(), ok);
        Poll.connect(wrongHostAccepted, ok);
        wrongHostAccepted.disconnect();
        Events refused = connectExpectingFailure(config("tls-nohost-untrusted", untrusted,
                trusting().hostNameVerification(false).build()).build());
        assertThat(refused.disconnect().reason()).isEqualTo(DisconnectReason.TLS_ERROR);
    }

    @Test
    void hostNameOverrideIsUsedForVerification() {
        // the wrong-host listener serves a certificate for wrong.example: naming that host makes it valid
        Events events = new Events();
        MqttClient client = new MqttClient(config("tls-sni", wrongHost, trusting().hostName("wrong.example").build())
                .build(), events);
        Poll.connect(client, events);
        client.disconnect();
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void versionRestrictedListenersNegotiateTheirVersion(String version) {
        List<TlsTransport> opened = new ArrayList<>();
        TlsConfig tlsConfig = trusting().build();
        Events events = new Events();
        MqttClient client = new MqttClient(MqttClientConfig.builder().broker("127.0.0.1",
                version.equals("TLSv1.2") ? tls12 : tls13).clientId("tls-v").transport((h, p) -> {
                    TlsTransport t = TlsTransport.open(tlsConfig, h, p);
                    opened.add(t);
                    return t;
                }).build(), events);
        Poll.connect(client, events);
        assertThat(opened.get(0).engine().getSession().getProtocol()).isEqualTo(version);
        client.disconnect();
    }

    @Test
    void aClientLimitedToTls13CannotReachATls12OnlyListener() {
        Events events = connectExpectingFailure(config("tls-mismatch12", tls12,
                trusting().protocols(List.of("TLSv1.3")).build()).build());
        assertThat(events.disconnect().reason()).isEqualTo(DisconnectReason.TLS_ERROR);
    }

    @Test
    void aClientLimitedToTls12CannotReachATls13OnlyListener() {
        Events events = connectExpectingFailure(config("tls-mismatch", tls13,
                trusting().protocols(List.of("TLSv1.2")).build()).build());
        assertThat(events.disconnect().reason()).isIn(DisconnectReason.TLS_ERROR);
    }

    @Test
    void aPlainTcpServerIsATlsErrorNeverAFallback() {
        Events events = connectExpectingFailure(config("tls-plain", broker.port(), trusting().build()).build());
        MqttEvent.Disconnect d = events.disconnect();
        assertThat(d.reason()).isEqualTo(DisconnectReason.TLS_ERROR);
        assertThat(events.count(MqttEvent.ConnAck.class)).isZero();
    }

    @Test
    void aServerClosingMidHandshakeIsATlsErrorNotAHang() throws Exception {
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> script = CompletableFuture.runAsync(() -> {
                try (java.net.Socket s = server.accept()) {
                    s.getInputStream().read(new byte[10]); // part of the ClientHello, then gone
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            Events events = connectExpectingFailure(config("tls-cut", server.getLocalPort(), trusting().build()).build());
            script.get(5, TimeUnit.SECONDS);
            assertThat(events.disconnect().reason()).isEqualTo(DisconnectReason.TLS_ERROR);
            assertThat(events.disconnect().message()).contains("closed the connection during the TLS handshake");
        }
    }

    @ParameterizedTest
    @EnumSource(Qos.class)
    void everyQosInBothDirectionsOverTls(Qos qos) {
        String topic = "tls/" + UUID.randomUUID();
        Events subEvents = new Events();
        Events pubEvents = new Events();
        MqttClient sub = new MqttClient(config("tls-sub" + qos.code(), tls, trusting().build()).build(), subEvents);
        MqttClient pub = new MqttClient(config("tls-pub" + qos.code(), tls, trusting().build()).build(), pubEvents);
        Poll.connect(sub, subEvents);
        Poll.connect(pub, pubEvents);
        sub.subscribe(topic, qos);
        Poll.until(() -> subEvents.count(MqttEvent.SubAck.class) == 1, 5_000, sub);
        for (int i = 0; i < 50; i++) {
            pub.publish(topic, ("tls " + i).getBytes(StandardCharsets.UTF_8), qos, false);
        }
        Poll.until(() -> subEvents.count(MqttEvent.Publish.class) == 50 && pub.inflight() == 0, 10_000, sub, pub);
        assertThat(subEvents.of(MqttEvent.Publish.class).get(49).payloadBytes())
                .isEqualTo("tls 49".getBytes(StandardCharsets.UTF_8));
        pub.disconnect();
        sub.disconnect();
    }

    /** A byte transport of the test's own that TLS runs over: it relays to TCP and keeps the first bytes written. */
    private static final class RelayTransport extends ForwardingTransport {
        final java.io.ByteArrayOutputStream firstWritten = new java.io.ByteArrayOutputStream();
        long read;

        RelayTransport(Transport tcp) {
            super(tcp);
        }

        @Override
        public int read(java.nio.ByteBuffer dst) throws java.io.IOException {
            int n = inner.read(dst);
            read += Math.max(0, n);
            return n;
        }

        @Override
        public long write(java.nio.ByteBuffer[] srcs, int offset, int length) throws java.io.IOException {
            java.nio.ByteBuffer first = srcs[offset].duplicate();
            long n = inner.write(srcs, offset, length);
            for (long i = 0; i < n && firstWritten.size() < 8 && first.hasRemaining(); i++) {
                firstWritten.write(first.get());
            }
            return n;
        }
    }

    @Test
    void secureWebSocketIsWebSocketOverTls() throws Exception {
        SSLContext serverContext = TlsContexts.create(null, TlsContexts.keyStoreFromPem(pki.file("server.pem"),
                pki.file("server.key"), null, new char[0]), new char[0], TlsConfig.PeerVerification.NONE, null);
        try (dev.wren.testing.WebSocketBridge bridge = dev.wren.testing.WebSocketBridge.secure(broker.host(),
                broker.port(), serverContext)) {
            Events events = new Events();
            MqttClient client = new MqttClient(MqttClientConfig.builder().broker("127.0.0.1", bridge.port())
                    .clientId("wss").transport(TransportFactory.webSocket(TransportFactory.tls(trusting().build(),
                            TransportFactory.tcp()), "/mqtt", "mqtt")).build(), events);
            Poll.connect(client, events); // the bridge's certificate checked, then the upgrade inside TLS
            String topic = "wss/" + UUID.randomUUID();
            client.subscribe(topic, Qos.AT_LEAST_ONCE);
            Poll.until(() -> events.count(MqttEvent.SubAck.class) == 1, 5_000, client);
            client.publish(topic, "wss".getBytes(StandardCharsets.UTF_8), Qos.AT_LEAST_ONCE, false);
            Poll.until(() -> events.count(MqttEvent.Publish.class) == 1, 5_000, client);
            assertThat(events.of(MqttEvent.Publish.class).get(0).payloadAsString()).isEqualTo("wss");
            assertThat(bridge.upgrades()).isEqualTo(1);
            client.disconnect();
        }
    }

    @Test
    void tlsToTheBrokerRunsThroughAnHttpProxyTunnel() throws Exception {
        try (dev.wren.testing.HttpConnectProxy proxy = dev.wren.testing.HttpConnectProxy.start()) {
            Events events = new Events();
            MqttClient client = new MqttClient(MqttClientConfig.builder().broker("127.0.0.1", tls)
                    .clientId("tls-proxy").transport(TransportFactory.tls(trusting().build(),
                            TransportFactory.httpProxy("127.0.0.1", proxy.port(), null, null))).build(), events);
            Poll.connect(client, events); // the broker's certificate checked end to end, through the tunnel
            assertThat(proxy.tunnels()).isEqualTo(1);
            client.disconnect();
            assertThat(events.disconnect().reason()).isEqualTo(DisconnectReason.NORMAL);
        }
    }

    @Test
    void tlsRunsOverAnyByteTransportNotOnlyItsOwnSocket() {
        List<RelayTransport> opened = new ArrayList<>();
        TransportFactory relayed = (h, p) -> {
            RelayTransport t = new RelayTransport(TransportFactory.tcp().open(h, p));
            opened.add(t);
            return t;
        };
        String topic = "tls/relayed/" + UUID.randomUUID();
        Events events = new Events();
        MqttClient client = new MqttClient(MqttClientConfig.builder().broker("127.0.0.1", tls).clientId("tls-relay")
                .transport(TransportFactory.tls(trusting().build(), relayed)).build(), events);
        Poll.connect(client, events);
        client.subscribe(topic, Qos.AT_LEAST_ONCE);
        Poll.until(() -> events.count(MqttEvent.SubAck.class) == 1, 5_000, client);
        client.publish(topic, "through the relay".getBytes(StandardCharsets.UTF_8), Qos.AT_LEAST_ONCE, false);
        Poll.until(() -> events.count(MqttEvent.Publish.class) == 1, 5_000, client);
        assertThat(events.of(MqttEvent.Publish.class).get(0).payloadBytes())
                .isEqualTo("through the relay".getBytes(StandardCharsets.UTF_8));
        client.disconnect();
        assertThat(opened).singleElement().satisfies(t -> {
            // what went through the relay is TLS: a handshake record (0x16, version 3.x), not an MQTT CONNECT (0x10)
            assertThat(t.firstWritten.toByteArray()[0]).isEqualTo((byte) 0x16);
            assertThat(t.firstWritten.toByteArray()[1]).isEqualTo((byte) 0x03);
            assertThat(t.read).isPositive();
        });
    }

    @Test
    void tenMegabytesStreamThroughTlsWithTwoHundredFiftySixByteBuffers() {
        String topic = "tls/big/" + UUID.randomUUID();
        int size = 10 * 1024 * 1024;
        byte[] payload = new byte[size];
        new java.util.Random(2).nextBytes(payload);
        CRC32 sent = new CRC32();
        sent.update(payload);
        CRC32 received = new CRC32();
        ByteBuffer piece = ByteBuffer.allocateDirect(256);
        long[] got = {0};
        Events subEvents = new Events();
        Events pubEvents = new Events();
        MqttClientConfig.Builder small = config("tls-big", tls, trusting().build()).receiveBufferSize(256)
                .transmitBufferSize(256);
        MqttClient sub = new MqttClient(small.clientId("tls-big-sub").build(), subEvents);
        MqttClient pub = new MqttClient(small.clientId("tls-big-pub").build(), pubEvents);
        Poll.connect(sub, subEvents);
        Poll.connect(pub, pubEvents);
        sub.subscribe(topic, Qos.AT_LEAST_ONCE);
        Poll.until(() -> subEvents.count(MqttEvent.SubAck.class) == 1, 5_000, sub);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long heapBefore = usedHeapAfterGc();
        long before = threads.getCurrentThreadAllocatedBytes();
        pub.publish(topic, payload, Qos.AT_LEAST_ONCE, false);
        Poll.until(() -> {
            got[0] += Poll.readArrivedPayload(sub, piece, received);
            return got[0] == size && pubEvents.count(MqttEvent.PubAck.class) == 1;
        }, 60_000, sub, pub);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        long heapGrowth = usedHeapAfterGc() - heapBefore;
        java.lang.ref.Reference.reachabilityFence(payload);
        assertThat(received.getValue()).isEqualTo(sent.getValue());
        assertThat(subEvents.last(MqttEvent.Publish.class).streamed()).isTrue();
        assertThat(heapGrowth).as("heap retained after the transfer").isLessThan(1024L * 1024);
        // SSLEngine allocates garbage per 16 KB record (3 to 5 MB here, depending on record sizes); never a payload
        assertThat(allocated).as("bytes allocated by the client thread").isLessThan(size);
        pub.disconnect();
        sub.disconnect();
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void severalTlsClientsOnOneThread() {
        String topic = "tls/many/" + UUID.randomUUID();
        List<MqttClient> clients = new ArrayList<>();
        List<Events> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Events e = new Events();
            events.add(e);
            clients.add(new MqttClient(config("tls-many-" + i, tls, trusting().build()).build(), e));
        }
        MqttClient[] all = clients.toArray(new MqttClient[0]);
        clients.forEach(MqttClient::connect);
        Poll.until(() -> clients.stream().allMatch(MqttClient::isConnected), 10_000, all);
        for (int i = 0; i < 4; i++) {
            clients.get(i).subscribe(topic, Qos.AT_LEAST_ONCE);
        }
        Poll.until(() -> events.subList(0, 4).stream().allMatch(e -> e.count(MqttEvent.SubAck.class) == 1), 5_000, all);
        for (int i = 0; i < 30; i++) {
            clients.get(4).publish(topic, new byte[] {(byte) i}, Qos.of(i % 3), false);
        }
        Poll.until(() -> events.subList(0, 4).stream().allMatch(e -> e.count(MqttEvent.Publish.class) == 30), 10_000, all);
        clients.forEach(MqttClient::disconnect);
    }

    @Test
    void alpnIsOfferedAndCloseNotifyIsHandledBothWays() throws Exception {
        SSLContext serverContext = TlsContexts.create(null, TlsContexts.keyStoreFromPem(pki.file("server.pem"),
                pki.file("server.key"), null, new char[0]), new char[0], TlsConfig.PeerVerification.NONE, null);
        try (SSLServerSocket server = (SSLServerSocket) serverContext.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<String> offered = new ArrayList<>();
            CompletableFuture<String> script = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    s.setHandshakeApplicationProtocolSelector((socket, protocols) -> {
                        offered.addAll(protocols);
                        return protocols.contains("mqtt") ? "mqtt" : null;
                    });
                    InputStream in = s.getInputStream();
                    byte[] connect = new byte[2];
                    in.readNBytes(connect, 0, 2);
                    in.readNBytes(connect[1]);
                    s.getOutputStream().write(new byte[] {0x20, 0x02, 0x00, 0x00});
                    s.getOutputStream().flush();
                    Thread.sleep(200);
                    return "closed"; // closing the SSLSocket sends close_notify
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            List<TlsTransport> opened = new ArrayList<>();
            TlsConfig tlsConfig = trusting().alpn(List.of("mqtt", "x-other")).build();
            Events events = new Events();
            MqttClient client = new MqttClient(MqttClientConfig.builder().broker("127.0.0.1", server.getLocalPort())
                    .clientId("alpn").transport((h, p) -> {
                        TlsTransport t = TlsTransport.open(tlsConfig, h, p);
                        opened.add(t);
                        return t;
                    }).build(), events);
            Poll.connect(client, events);
            assertThat(opened.get(0).engine().getApplicationProtocol()).isEqualTo("mqtt");
            Poll.until(() -> !client.isOpen(), 5_000, client);
            assertThat(script.get(5, TimeUnit.SECONDS)).isEqualTo("closed");
            assertThat(offered).containsExactly("mqtt", "x-other");
            assertThat(events.disconnect().reason()).isEqualTo(DisconnectReason.CLOSED_BY_SERVER);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void sessionResumptionCanBeTurnedOff(boolean resumption) {
        TlsConfig tlsConfig = trusting().sessionResumption(resumption).build();
        List<TlsTransport> opened = new ArrayList<>();
        MqttClientConfig config = MqttClientConfig.builder().broker("127.0.0.1", tls12).clientId("resume-" + resumption)
                .transport((h, p) -> {
                    TlsTransport t = TlsTransport.open(tlsConfig, h, p);
                    opened.add(t);
                    return t;
                }).build();
        for (int i = 0; i < 2; i++) {
            Events events = new Events();
            MqttClient client = new MqttClient(config, events);
            Poll.connect(client, events);
            client.disconnect();
        }
        byte[] first = opened.get(0).engine().getSession().getId();
        byte[] second = opened.get(1).engine().getSession().getId();
        assertThat(java.util.Arrays.equals(first, second)).isEqualTo(resumption);
    }

    @Test
    void unreadableCredentialsFailWhenBuiltNamingTheField() {
        assertThatThrownBy(() -> TlsConfig.builder().caFile(Path.of("/nonexistent/ca.pem")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("caFile ");
        assertThatThrownBy(() -> TlsConfig.builder().clientCertificate(pki.file("client.pem"),
                pki.file("client-encrypted.key"), "wrong".toCharArray()).build())
                .hasMessageStartingWith("keyFile ").hasMessageContaining("wrong key password");
        assertThatThrownBy(() -> TlsConfig.builder().clientCertificate(pki.file("client.pem"),
                pki.file("client-encrypted.key"), null).build())
                .hasMessageStartingWith("keyFile ").hasMessageContaining("password is needed");
        assertThatThrownBy(() -> TlsConfig.builder().clientCertificate(pki.file("ca.pem"), pki.file("ca.pem"), null)
                .build()).hasMessageStartingWith("keyFile ").hasMessageContaining("no PEM private key");
        assertThatThrownBy(() -> TlsConfig.builder().caPath(pki.dir().resolve("nope")).build())
                .hasMessageStartingWith("caPath ");
    }

    @Test
    void caPathTrustsEveryCertificateInTheDirectory() throws IOException {
        Path dir = Files.createTempDirectory("wren-capath");
        Files.copy(pki.file("ca.pem"), dir.resolve("ca.pem"));
        Files.copy(pki.file("other-ca.pem"), dir.resolve("other.crt"));
        Events events = new Events();
        MqttClient client = new MqttClient(config("tls-capath", untrusted, TlsConfig.builder().caPath(dir).build())
                .build(), events);
        Poll.connect(client, events);
        client.disconnect();
    }

    @Test
    void disconnectSendsCloseNotify() throws Exception {
        SSLContext serverContext = TlsContexts.create(null, TlsContexts.keyStoreFromPem(pki.file("server.pem"),
                pki.file("server.key"), null, new char[0]), new char[0], TlsConfig.PeerVerification.NONE, null);
        try (java.nio.channels.ServerSocketChannel server = java.nio.channels.ServerSocketChannel.open()) {
            server.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            CompletableFuture<String> closing = CompletableFuture.supplyAsync(() -> EngineServer.run(serverContext, server));
            Events events = new Events();
            MqttClient client = new MqttClient(config("notify", ((java.net.InetSocketAddress) server.getLocalAddress())
                    .getPort(), trusting().build()).build(), events);
            Poll.connect(client, events);
            client.disconnect();
            assertThat(closing.get(5, TimeUnit.SECONDS)).isEqualTo("close_notify after DISCONNECT");
        }
    }

    /**
     * A one-connection TLS server on a bare SSLEngine (blocking I/O), because only an engine can tell a close_notify
     * (unwrap reports CLOSED) from a plain end of stream (closeInbound() then throws). Answers CONNECT with CONNACK,
     * then reports how the client left.
     */
    private static final class EngineServer {
        static String run(SSLContext context, java.nio.channels.ServerSocketChannel server) {
            try (java.nio.channels.SocketChannel ch = server.accept()) {
                javax.net.ssl.SSLEngine e = context.createSSLEngine();
                e.setUseClientMode(false);
                ByteBuffer netIn = ByteBuffer.allocate(e.getSession().getPacketBufferSize());
                ByteBuffer app = ByteBuffer.allocate(e.getSession().getApplicationBufferSize());
                e.beginHandshake();
                boolean connAckSent = false;
                boolean sawDisconnect = false;
                while (true) {
                    javax.net.ssl.SSLEngineResult.HandshakeStatus hs = e.getHandshakeStatus();
                    if (hs == javax.net.ssl.SSLEngineResult.HandshakeStatus.NEED_TASK) {
                        Runnable task;
                        while ((task = e.getDelegatedTask()) != null) {
                            task.run();
                        }
                        continue;
                    }
                    if (hs == javax.net.ssl.SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                        send(e, ch, ByteBuffer.allocate(0));
                        continue;
                    }
                    netIn.flip();
                    javax.net.ssl.SSLEngineResult r = e.unwrap(netIn, app);
                    netIn.compact();
                    if (r.getStatus() == javax.net.ssl.SSLEngineResult.Status.CLOSED) {
                        return sawDisconnect ? "close_notify after DISCONNECT" : "close_notify without DISCONNECT";
                    }
                    app.flip();
                    if (!connAckSent && app.remaining() >= 2 && app.remaining() >= 2 + app.get(1)) {
                        app.position(2 + app.get(1)); // CONNECT read
                        send(e, ch, ByteBuffer.wrap(new byte[] {0x20, 0x02, 0x00, 0x00}));
                        connAckSent = true;
                    }
                    if (connAckSent && app.remaining() >= 2 && (app.get(app.position()) & 0xFF) == 0xE0) {
                        app.position(app.position() + 2);
                        sawDisconnect = true;
                    }
                    app.compact();
                    if (r.getStatus() == javax.net.ssl.SSLEngineResult.Status.BUFFER_UNDERFLOW
                            || (r.bytesConsumed() == 0 && r.bytesProduced() == 0)) {
                        if (ch.read(netIn) < 0) {
                            try {
                                e.closeInbound();
                                return "end of stream, closeInbound accepted it";
                            } catch (SSLException noCloseNotify) {
                                return "end of stream without close_notify";
                            }
                        }
                    }
                }
            } catch (IOException ex) {
                return "server failed: " + ex;
            }
        }

        private static void send(javax.net.ssl.SSLEngine e, java.nio.channels.SocketChannel ch, ByteBuffer data)
                throws IOException {
            ByteBuffer net = ByteBuffer.allocate(e.getSession().getPacketBufferSize());
            e.wrap(data, net);
            net.flip();
            while (net.hasRemaining()) {
                ch.write(net);
            }
        }
    }
}
