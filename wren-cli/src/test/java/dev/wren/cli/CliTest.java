package dev.wren.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.testing.Mosquitto;
import dev.wren.testing.TestPki;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code wren pub}, {@code wren sub} and {@code wren demo}, run in-process against a real Mosquitto. */
class CliTest {
    private static final Mosquitto BROKER = Mosquitto.shared();

    /** One run of the tool: exit code, stdout, stderr. */
    record Run(int exit, String out, String err) {
    }

    static Run wrenWithInput(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Wren.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Run wren(String... args) {
        return wrenWithInput("", args);
    }

    static String[] broker(String... more) {
        List<String> a = new ArrayList<>(List.of("-h", BROKER.host(), "-p", String.valueOf(BROKER.port())));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    static String[] cat(String first, String[] rest) {
        String[] out = new String[rest.length + 1];
        out[0] = first;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }

    /** Starts {@code wren sub} in the background and waits until it has subscribed. */
    static CompletableFuture<Run> subscriber(String topic, String... more) throws InterruptedException {
        CompletableFuture<Run> sub = CompletableFuture.supplyAsync(() -> wren(cat("sub", broker(cat("-t",
                cat(topic, more))))));
        Thread.sleep(700); // connected and subscribed by then on loopback
        return sub;
    }

    @ParameterizedTest(name = "{0} QoS {1}")
    @CsvSource({"mqttv31, 0", "mqttv31, 1", "mqttv31, 2", "mqttv311, 0", "mqttv311, 1", "mqttv311, 2",
        "mqttv5, 0", "mqttv5, 1", "5, 2"})
    void pubAndSubAtEveryQosOverEveryVersion(String version, int qos) throws Exception {
        String topic = "cli/" + UUID.randomUUID();
        CompletableFuture<Run> sub = subscriber(topic, "-q", String.valueOf(qos), "-V", version, "-C", "2", "-W", "10");
        Run pub = wren(cat("pub", broker("-t", topic, "-m", "hello", "-q", String.valueOf(qos), "-V", version)));
        Run pub2 = wrenWithInput("from stdin", cat("pub", broker("-t", topic, "-s", "-q", String.valueOf(qos), "-V", version)));
        assertThat(pub.exit()).as(pub.err()).isZero();
        assertThat(pub2.exit()).as(pub2.err()).isZero();
        Run s = sub.get(15, TimeUnit.SECONDS);
        assertThat(s.exit()).as(s.err()).isZero();
        assertThat(s.out()).isEqualTo("hello\nfrom stdin\n");
    }

    @Test
    void verboseNoNewlineLinesFileAndNullMessages() throws Exception {
        String topic = "cli/" + UUID.randomUUID();
        Path file = Files.createTempFile("wren", ".txt");
        Files.writeString(file, "from a file");
        CompletableFuture<Run> sub = subscriber(topic + "/#", "-v", "-C", "5", "-W", "10", "-q", "1");
        assertThat(wrenWithInput("one\ntwo\n", cat("pub", broker("-t", topic + "/lines", "-l", "-q", "1"))).exit()).isZero();
        assertThat(wren(cat("pub", broker("-t", topic + "/file", "-f", file.toString(), "-q", "1"))).exit()).isZero();
        assertThat(wren(cat("pub", broker("-t", topic + "/null", "-n", "-q", "1"))).exit()).isZero();
        assertThat(wren(cat("pub", broker("-t", topic + "/more", "-m", "beyond -C", "-q", "1"))).exit()).isZero();
        Run s = sub.get(15, TimeUnit.SECONDS);
        assertThat(s.exit()).isZero();
        assertThat(s.out()).isEqualTo(topic + "/lines one\n" + topic + "/lines two\n" + topic + "/file from a file\n"
                + topic + "/null \n" + topic + "/more beyond -C\n");
    }

    @Test
    void repeatPublishesTheMessageThatManyTimesWithTheDelayBetween() throws Exception {
        String topic = "cli/" + UUID.randomUUID();
        CompletableFuture<Run> sub = subscriber(topic, "-C", "3", "-W", "10", "-q", "1");
        long t0 = System.nanoTime();
        Run pub = wren(cat("pub", broker("-t", topic, "-m", "again", "-q", "1", "--repeat", "3", "--repeat-delay",
                "0.3")));
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(pub.exit()).as(pub.err()).isZero();
        assertThat(millis).as("two delays of 0.3 s").isGreaterThanOrEqualTo(600);
        Run s = sub.get(15, TimeUnit.SECONDS);
        assertThat(s.exit()).as(s.err()).isZero();
        assertThat(s.out()).isEqualTo("again\nagain\nagain\n");
        Run bad = wren(cat("pub", broker("-t", topic, "-m", "x", "--repeat", "0")));
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("--repeat must be at least 1");
        Run withLines = wrenWithInput("a\n", cat("pub", broker("-t", topic, "-l", "--repeat", "2")));
        assertThat(withLines.err()).contains("--repeat works with -m, -f, -n or -s");
    }

    @Test
    void subStatsPrintsTheCountAndRateToStandardErrorOnceASecond() throws Exception {
        String topic = "cli/" + UUID.randomUUID();
        CompletableFuture<Run> sub = subscriber(topic, "--stats", "-W", "3", "-q", "1");
        assertThat(wren(cat("pub", broker("-t", topic, "-m", "counted", "-q", "1", "--repeat", "5"))).exit()).isZero();
        Run s = sub.get(15, TimeUnit.SECONDS);
        assertThat(s.exit()).isEqualTo(27); // -W 3 ends it
        assertThat(s.out()).isEqualTo("counted\n".repeat(5));
        assertThat(s.err()).containsPattern("stats: 5 messages in \\d+ s, \\d+ msg/s");
    }

    @Test
    void retainedMessagesAndSkippingThemWithR() throws Exception {
        String topic = "cli/" + UUID.randomUUID();
        assertThat(wren(cat("pub", broker("-t", topic, "-m", "kept", "-r", "-q", "1"))).exit()).isZero();
        Run got = wren(cat("sub", broker("-t", topic, "-C", "1", "-W", "5")));
        assertThat(got.exit()).isZero();
        assertThat(got.out()).isEqualTo("kept\n");
        Run skipped = wren(cat("sub", broker("-t", topic, "-R", "-C", "1", "-W", "1")));
        assertThat(skipped.exit()).isEqualTo(27);
        assertThat(skipped.out()).isEmpty();
        assertThat(skipped.err()).isEqualTo("Timed out\n");
        wren(cat("pub", broker("-t", topic, "-n", "-r"))); // clear it
    }

    @Test
    void filterOutWithT() throws Exception {
        String topic = "cli/" + UUID.randomUUID();
        CompletableFuture<Run> sub = subscriber(topic + "/#", "-T", topic + "/noise", "-C", "1", "-W", "10");
        wren(cat("pub", broker("-t", topic + "/noise", "-m", "no")));
        wren(cat("pub", broker("-t", topic + "/signal", "-m", "yes")));
        assertThat(sub.get(15, TimeUnit.SECONDS).out()).isEqualTo("yes\n");
    }

    @Test
    void exitAfterSubscribeWithE() {
        Run r = wren(cat("sub", broker("-t", "cli/e", "-E")));
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEmpty();
    }

    @Test
    void theWillIsPublishedWhenTheProcessDies() throws Exception {
        String willTopic = "cli/will/" + UUID.randomUUID();
        CompletableFuture<Run> watcher = subscriber(willTopic, "-C", "1", "-W", "15");
        Process doomed = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Wren.class.getName(), "sub", "-h", BROKER.host(), "-p",
                String.valueOf(BROKER.port()), "-t", "cli/nothing", "--will-topic", willTopic, "--will-payload", "gone",
                "--will-qos", "1").redirectErrorStream(true).start();
        Thread.sleep(1_500); // connected
        doomed.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        Run w = watcher.get(20, TimeUnit.SECONDS);
        assertThat(w.exit()).isZero();
        assertThat(w.out()).isEqualTo("gone\n");
    }

    @Test
    void tlsWithCafileCertAndKey() throws Exception {
        TestPki pki = TestPki.create(Files.createTempDirectory("cli-pki"));
        int port = Mosquitto.freePort();
        try (Mosquitto tls = Mosquitto.start(pki.listener(port, "server", true, null))) {
            String topic = "cli/tls/" + UUID.randomUUID();
            List<String> tlsArgs = List.of("-h", "localhost", "-p", String.valueOf(port), "--cafile",
                    pki.file("ca.pem").toString(), "--cert", pki.file("client.pem").toString(), "--key",
                    pki.file("client.key").toString());
            List<String> subArgs = new ArrayList<>(List.of("sub", "-t", topic, "-C", "1", "-W", "10"));
            subArgs.addAll(tlsArgs);
            CompletableFuture<Run> sub = CompletableFuture.supplyAsync(() -> wren(subArgs.toArray(new String[0])));
            Thread.sleep(1_000);
            List<String> pubArgs = new ArrayList<>(List.of("pub", "-t", topic, "-m", "secret", "-q", "1"));
            pubArgs.addAll(tlsArgs);
            Run pub = wren(pubArgs.toArray(new String[0]));
            assertThat(pub.exit()).as(pub.err()).isZero();
            assertThat(sub.get(15, TimeUnit.SECONDS).out()).isEqualTo("secret\n");
            // without the client certificate the mutual-TLS listener refuses: one line, non-zero
            Run refused = wren("pub", "-h", "localhost", "-p", String.valueOf(port), "--cafile",
                    pki.file("ca.pem").toString(), "-t", topic, "-m", "x");
            assertThat(refused.exit()).isNotZero();
            assertThat(refused.err().lines()).hasSize(1).first().asString().startsWith("Error: ");
        }
    }

    @Test
    void urlFormOfTheBrokerAndTopic() throws Exception {
        String topic = "cli/url/" + UUID.randomUUID();
        CompletableFuture<Run> sub = CompletableFuture.supplyAsync(() -> wren("sub", "-L",
                "mqtt://" + BROKER.host() + ":" + BROKER.port() + "/" + topic, "-C", "1", "-W", "10"));
        Thread.sleep(700);
        assertThat(wren("pub", "-L", "mqtt://user:pw@" + BROKER.host() + ":" + BROKER.port() + "/" + topic, "-m", "via url")
                .exit()).isZero();
        assertThat(sub.get(15, TimeUnit.SECONDS).out()).isEqualTo("via url\n");
        Run other = wren("pub", "-L", "coap://localhost:5683/t", "-m", "x");
        assertThat(other.exit()).isEqualTo(1);
        assertThat(other.err()).isEqualTo("Error: -L must start with mqtt://, mqtts://, ws://, wss:// or unix://, was "
                + "coap://localhost:5683/t\n");
    }

    @Test
    void debugPrintsEachPacketSentAndReceived() {
        Run r = wren(cat("pub", broker("-t", "cli/debug", "-m", "x", "-q", "1", "-d", "-i", "dbg")));
        assertThat(r.exit()).isZero();
        assertThat(r.out().lines()).containsExactly("Client dbg sending CONNECT", "Client dbg received CONNACK (0)",
                "Client dbg sending PUBLISH (d0, q1, r0, m1, 'cli/debug', ... (1 bytes))",
                "Client dbg received PUBACK (Mid: 1)", "Client dbg sending DISCONNECT");
    }

    @Test
    void mqtt5PropertiesGoOutWithDAndDebugShowsThem() throws Exception {
        String topic = "cli/" + UUID.randomUUID();
        java.util.List<dev.wren.mqtt.MqttEvent.Publish> got = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (dev.wren.mqtt.async.AsyncMqttClient c = dev.wren.mqtt.async.AsyncMqttClient.builder(
                dev.wren.mqtt.MqttClientConfig.builder().broker(BROKER.host(), BROKER.port())
                        .protocolVersion(dev.wren.mqtt.ProtocolVersion.MQTT_5).build()).build()) {
            c.connect().get(5, TimeUnit.SECONDS);
            c.subscribe(topic, dev.wren.mqtt.Qos.AT_LEAST_ONCE, got::add).get(5, TimeUnit.SECONDS);
            Run r = wren(cat("pub", broker("-t", topic, "-m", "x", "-q", "1", "-V", "mqttv5", "-d", "-i", "d5",
                    "-x", "30", "-D", "connect", "receive-maximum", "7", "-D", "publish", "user-property", "k", "v",
                    "-D", "publish", "content-type", "text/plain", "-D", "publish", "message-expiry-interval", "60")));
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains("sending CONNECT").contains("SESSION_EXPIRY_INTERVAL=30")
                    .contains("RECEIVE_MAXIMUM=7").contains("CONTENT_TYPE=text/plain").contains("k:v");
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (got.isEmpty() && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            assertThat(got).singleElement().satisfies(m -> {
                assertThat(m.properties().userProperties()).containsExactly(new dev.wren.mqtt.UserProperty("k", "v"));
                assertThat(m.properties().contentType()).contains("text/plain");
                assertThat(m.properties().messageExpiryInterval()).isPresent();
            });
        }
    }

    @Test
    void rrSendsARequestAndPrintsTheResponseWithTheSameCorrelationData() throws Exception {
        String service = "cli/svc/" + UUID.randomUUID();
        try (dev.wren.mqtt.async.AsyncMqttClient responder = dev.wren.mqtt.async.AsyncMqttClient.builder(
                dev.wren.mqtt.MqttClientConfig.builder().broker(BROKER.host(), BROKER.port())
                        .protocolVersion(dev.wren.mqtt.ProtocolVersion.MQTT_5).build()).build()) {
            responder.connect().get(5, TimeUnit.SECONDS);
            responder.subscribe(service, dev.wren.mqtt.Qos.AT_LEAST_ONCE, m -> responder.publish(
                    m.properties().responseTopic().orElseThrow(), ("re: " + m.payloadAsString()).getBytes(
                            StandardCharsets.UTF_8), dev.wren.mqtt.Qos.AT_LEAST_ONCE, false,
                    dev.wren.mqtt.MqttProperties.builder().correlationData(m.properties().correlationData()
                            .orElseThrow()).build())).get(5, TimeUnit.SECONDS);
            Run r = wren(cat("rr", broker("-t", service, "-e", service + "/reply", "-m", "ping", "-q", "1")));
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).isEqualTo("re: ping\n");
        }
        Run late = wren(cat("rr", broker("-t", "cli/nobody/" + UUID.randomUUID(), "-e", "cli/void", "-m", "x",
                "-W", "1")));
        assertThat(late.exit()).isEqualTo(27);
        assertThat(late.err()).contains("Timed out");
    }

    @Test
    void subFormatsMessagesWithMosquittosSpecifiers() throws Exception {
        String topic = "cli/" + UUID.randomUUID();
        CompletableFuture<Run> sub = subscriber(topic, "-V", "mqttv5", "-q", "1", "-C", "1", "-W", "10", "-F",
                "%t|%p|%q|%r|%l|%x|%P|%C|%R|%j");
        Run pub = wren(cat("pub", broker("-t", topic, "-m", "hi \"x\"", "-q", "1", "-V", "5", "-D", "publish",
                "user-property", "k", "v", "-D", "publish", "content-type", "ct", "-D", "publish", "response-topic",
                "rt")));
        assertThat(pub.exit()).as(pub.err()).isZero();
        Run s = sub.get(15, TimeUnit.SECONDS);
        assertThat(s.exit()).as(s.err()).isZero();
        String[] parts = s.out().stripTrailing().split("\\|", 10);
        assertThat(parts).hasSize(10);
        assertThat(parts[0]).isEqualTo(topic);
        assertThat(parts[1]).isEqualTo("hi \"x\"");
        assertThat(parts[2]).isEqualTo("1");
        assertThat(parts[3]).isEqualTo("0");
        assertThat(parts[4]).isEqualTo("6");
        assertThat(parts[5]).isEqualTo("686920227822");
        assertThat(parts[6]).isEqualTo("k:v");
        assertThat(parts[7]).isEqualTo("ct");
        assertThat(parts[8]).isEqualTo("rt");
        assertThat(parts[9]).startsWith("{\"tst\":\"").contains("\"topic\":\"" + topic + "\"", "\"qos\":1",
                "\"retain\":0", "\"payloadlen\":6", "\"content-type\":\"ct\"", "\"user-properties\":{\"k\":\"v\"}",
                "\"payload\":\"hi \\\"x\\\"\"").endsWith("}");
        Run bad = wren(cat("sub", broker("-t", "t", "-F", "%Z")));
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("unknown format specifier %Z");
    }

    @Test
    void mqtt5FlagsAreRefusedWithAnEarlierVersionAndBadPropertiesAreNamed() {
        Run old = wren(cat("pub", broker("-t", "t", "-m", "x", "-x", "5")));
        assertThat(old.exit()).isEqualTo(1);
        assertThat(old.err()).contains("-x and -D need -V mqttv5");
        Run bad = wren(cat("pub", broker("-t", "t", "-m", "x", "-V", "5", "-D", "publish", "receive-maximum", "3")));
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("-D publish receive-maximum: not a property of publish");
        Run nan = wren(cat("pub", broker("-t", "t", "-m", "x", "-V", "5", "-D", "connect", "receive-maximum", "x")));
        assertThat(nan.err()).contains("needs a number");
    }

    @Test
    void aBadFlagIsOneLineAndExitOne() {
        Run r = wren("pub", "--bogus");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().lines()).hasSize(1).first().asString().startsWith("Error: Unknown option: '--bogus'");
        Run q = wren(cat("pub", broker("-t", "x", "-m", "y", "-q", "3")));
        assertThat(q.exit()).isEqualTo(1);
        assertThat(q.err()).isEqualTo("Error: -q must be 0, 1 or 2, was 3\n");
        Run none = wren(cat("pub", broker("-t", "x")));
        assertThat(none.err()).isEqualTo("Error: exactly one of -m, -f, -l, -n or -s is needed\n");
        Run proxy = wren(cat("pub", broker("-t", "x", "-m", "y", "--proxy", "socks4://localhost:1080")));
        assertThat(proxy.exit()).isEqualTo(1);
        assertThat(proxy.err()).contains("--proxy must be socks5h://");
    }

    @Test
    void anUnreachableBrokerIsOneLineAndExitOne() throws Exception {
        int port = Mosquitto.freePort();
        Run r = wren("pub", "-h", "127.0.0.1", "-p", String.valueOf(port), "-t", "x", "-m", "y");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("Error: I/O error connecting to 127.0.0.1:" + port + ": Connection refused\n");
        Run s = wren("sub", "-h", "127.0.0.1", "-p", String.valueOf(port), "-t", "x");
        assertThat(s.exit()).isEqualTo(1);
        assertThat(s.err().lines()).hasSize(1);
    }

    @Test
    void theDemoRunsAgainstItsEmbeddedBroker() {
        Run r = wren("demo", "-n", "1");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("started Moquette").contains("event: PubAck[messageId=1]")
                .contains("event: PubComp[messageId=2]").contains("OK: 2 of 2 QoS 1/2 messages acknowledged");
    }

    @Test
    void anMqtt5PubToABrokerOfMqtt311OnlySaysTheVersionWasRefusedAndWhatToTry() {
        try (dev.wren.testing.Moquette moquette = dev.wren.testing.Moquette.start()) {
            Run r = wren("pub", "-h", moquette.host(), "-p", String.valueOf(moquette.port()), "-V", "mqttv5", "-t",
                    "x", "-m", "y");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).isEqualTo("Error: Connection refused: unsupported protocol version (the broker may "
                    + "not speak MQTT 5.0: try -V mqttv311)\n");
        }
    }

    @Test
    void anMqtt5RefusalSaysTheReasonTheBrokerGaveWithIt() throws Exception {
        // CONNACK, MQTT 5.0: Not authorized (0x87), Reason String "go away"
        try (dev.wren.testing.FakeBroker broker = dev.wren.testing.FakeBroker.start(c -> {
            c.expect(dev.wren.testing.FakeBroker.CONNECT);
            c.send("200d00870a1f0007676f2061776179");
            c.expectClosed();
        })) {
            Run r = wren("pub", "-h", broker.host(), "-p", String.valueOf(broker.port()), "-V", "mqttv5", "-t", "x",
                    "-m", "y");
            assertThat(r.exit()).isEqualTo(dev.wren.mqtt.ConnectReturnCode.NOT_AUTHORIZED.code());
            assertThat(r.err()).isEqualTo("Error: Connection refused: not authorized (go away)\n");
            broker.await();
        }
    }

    @Test
    void anMqtt5RefusalExitsWithThe311CodeOfTheSameMeaning() {
        try (Mosquitto closed = Mosquitto.start("allow_anonymous false")) {
            for (String version : List.of("mqttv311", "mqttv5")) {
                Run r = wren("pub", "-h", closed.host(), "-p", String.valueOf(closed.port()), "-V", version, "-t",
                        "x", "-m", "y");
                assertThat(r.exit()).as(version + ": " + r.err()).isEqualTo(dev.wren.mqtt.ConnectReturnCode.NOT_AUTHORIZED.code());
                assertThat(r.err()).as(version).isEqualTo("Error: Connection refused: not authorized\n");
            }
        }
    }

    @Test
    void theDemoUsesAGivenBroker() {
        Run r = wren("demo", "-h", BROKER.host(), "-p", String.valueOf(BROKER.port()), "-n", "1");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).doesNotContain("Moquette").contains("OK: 2 of 2");
    }

    @Test
    void aClientIdTooLongForMqtt31IsRefusedNotCut() {
        String id = "x".repeat(100);
        for (String tool : List.of("pub", "sub")) {
            Run r = tool.equals("pub") ? wren(cat(tool, broker("-i", id, "-V", "mqttv31", "-t", "x", "-m", "y")))
                    : wren(cat(tool, broker("-i", id, "-V", "mqttv31", "-t", "x")));
            assertThat(r.exit()).as(tool).isEqualTo(1);
            assertThat(r.err()).as(tool).isEqualTo("Error: -i: clientId must be 1..23 bytes for MQTT 3.1, was 100\n");
        }
    }

    @Test
    void aWaitOfZeroOrLessIsRefused() {
        for (String w : List.of("-1", "0")) {
            Run r = wren(cat("sub", broker("-t", "x", "-W", w)));
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).isEqualTo("Error: -W must be at least 1 second, was " + w + "\n");
        }
    }

    @Test
    void aKeepAliveOutOfRangeIsNamedInSeconds() {
        Run r = wren(cat("pub", broker("-t", "x", "-m", "y", "-k", "-5")));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("Error: -k must be 0..65535 seconds, was -5\n").doesNotContain("PT");
    }

    @Test
    void fileErrorsNameTheFileAndWhatIsWrong(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing.txt");
        Run f = wren(cat("pub", broker("-t", "x", "-f", missing.toString())));
        assertThat(f.exit()).isEqualTo(1);
        assertThat(f.err()).isEqualTo("Error: -f " + missing + ": no such file\n");
        Run ca = wren(cat("pub", broker("-t", "x", "-m", "y", "--cafile", missing.toString())));
        assertThat(ca.exit()).isEqualTo(1);
        assertThat(ca.err()).isEqualTo("Error: --cafile " + missing + " does not exist\n");
        Path notPem = Files.writeString(dir.resolve("not-a-cert.pem"), "hello\n");
        Run bad = wren(cat("pub", broker("-t", "x", "-m", "y", "--cafile", notPem.toString())));
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).startsWith("Error: --cafile " + notPem + " holds no readable PEM certificate");
    }

    @Test
    void versionPrintsTheVersionMavenBuilt() {
        Run r = wren("--version");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).matches("(?s)wren \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(MQTT 3\\.1, 3\\.1\\.1, 5\\.0; Java .*\\)\\R");
    }

    @Test
    void completionBashPrintsAScriptThatKnowsEveryCommandAndItsFlags() {
        Run r = wren("completion", "bash");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("complete -F _complete_wren", "pub", "sub", "rr", "demo", "--repeat-delay",
                "--stats");
        Run zsh = wren("completion", "zsh");
        assertThat(zsh.out()).isEqualTo(r.out());
        Run fish = wren("completion", "fish");
        assertThat(fish.exit()).isEqualTo(1);
        assertThat(fish.err()).contains("unknown shell 'fish'");
    }

    @Test
    void helpIsLaidOutAsAManualPage() {
        Run r = wren("pub", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("NAME", "wren-pub - Publish messages", "SYNOPSIS", "wren pub", "OPTIONS",
                "--repeat", "EXIT STATUS", "27");
        assertThat(r.out().indexOf("NAME")).isLessThan(r.out().indexOf("SYNOPSIS"));
        assertThat(r.out().indexOf("SYNOPSIS")).isLessThan(r.out().indexOf("OPTIONS"));
        Run top = wren("--help");
        assertThat(top.out()).contains("COMMANDS", "completion", "SEE ALSO");
    }

    @Test
    void subHelpListsTheFormatCodesWithoutPicocliWarnings() {
        PrintStream systemErr = System.err;
        ByteArrayOutputStream traced = new ByteArrayOutputStream();
        System.setErr(new PrintStream(traced, true, StandardCharsets.UTF_8));
        Run r;
        try {
            r = wren("sub", "--help");
        } finally {
            System.setErr(systemErr);
        }
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("%t topic", "%p payload", "%S subscription");
        assertThat(traced.toString(StandardCharsets.UTF_8) + r.err()).doesNotContain("WARN");
    }

    @Test
    void everyCommandHasAManualPageNamingEachOfItsOptions() throws Exception {
        Path dir = Files.createTempDirectory("wren-man");
        assertThat(ManPages.write(dir.toFile())).isZero();
        picocli.CommandLine cl = ManPages.commandLine();
        List<picocli.CommandLine> commands = new ArrayList<>(cl.getSubcommands().values());
        commands.add(cl);
        assertThat(commands).hasSize(6);
        for (picocli.CommandLine c : commands) {
            String name = c.getCommandSpec().qualifiedName("-");
            String page = Files.readString(dir.resolve(name + ".adoc"));
            assertThat(page).as(name).contains(":doctype: manpage", "= " + name + "(1)", "== Synopsis");
            for (picocli.CommandLine.Model.OptionSpec o : c.getCommandSpec().options()) {
                assertThat(page).as(name + " " + o.longestName()).contains(o.longestName());
            }
        }
    }

    @Test
    void anUnknownCommandPointsToTheTopLevelHelp() {
        Run r = wren("frobnicate");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("(see 'wren --help')").doesNotContain("wren wren");
        Run sub = wren("sub", "--bogus");
        assertThat(sub.err()).contains("(see 'wren sub --help')");
    }

    @Test
    void anEncryptedClientKeyWorksWithKeyPasswordAndIsNamedWithoutIt() throws Exception {
        TestPki pki = TestPki.create(Files.createTempDirectory("cli-pki-enc"));
        Path encrypted = pki.dir().resolve("client-des3.key");
        // written by the openssl tool, PBES2 with DES-EDE3, which the JDK's own PBES2 refuses
        Process p = new ProcessBuilder("openssl", "pkcs8", "-topk8", "-in", pki.file("client.key").toString(),
                "-v2", "des3", "-passout", "pass:pw 1", "-out", encrypted.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        int port = Mosquitto.freePort();
        try (Mosquitto tls = Mosquitto.start(pki.listener(port, "server", true, null))) {
            String topic = "cli/tls-enc/" + UUID.randomUUID();
            List<String> tlsArgs = List.of("-h", "localhost", "-p", String.valueOf(port), "--cafile",
                    pki.file("ca.pem").toString(), "--cert", pki.file("client.pem").toString(), "--key",
                    encrypted.toString());
            List<String> pubArgs = new ArrayList<>(List.of("pub", "-t", topic, "-m", "x", "-q", "1",
                    "--key-password", "pw 1"));
            pubArgs.addAll(tlsArgs);
            Run pub = wren(pubArgs.toArray(new String[0]));
            assertThat(pub.exit()).as(pub.err()).isZero();
            List<String> noPassword = new ArrayList<>(List.of("pub", "-t", topic, "-m", "x"));
            noPassword.addAll(tlsArgs);
            Run refused = wren(noPassword.toArray(new String[0])); // no terminal here: nothing to ask on
            assertThat(refused.exit()).isEqualTo(1);
            assertThat(refused.err()).isEqualTo("Error: --key " + encrypted
                    + " is an encrypted PKCS#8 key: a key password is needed (--key-password)\n");
        }
    }

    @Test
    void pubAndSubGoThroughAUnixSocketWithUnix() throws Exception {
        try (Mosquitto unix = Mosquitto.startWithUnixSocket()) {
            String socket = unix.unixSocket().toString();
            String topic = "cli/unix/" + UUID.randomUUID();
            CompletableFuture<Run> sub = CompletableFuture.supplyAsync(() -> wren("sub", "--unix", socket,
                    "-t", topic, "-C", "2", "-W", "10", "-q", "1"));
            Thread.sleep(1_000); // subscribed
            assertThat(wren("pub", "--unix", socket, "-t", topic, "-m", "over unix", "-q", "1").exit()).isZero();
            assertThat(wren("pub", "-L", "unix://" + socket, "-t", topic, "-m", "over -L unix://", "-q", "1").exit())
                    .as("the same socket as a -L URL").isZero();
            Run s = sub.get(15, TimeUnit.SECONDS);
            assertThat(s.exit()).isZero();
            assertThat(s.out()).isEqualTo("over unix\nover -L unix://\n");
        }
    }

    @Test
    void aBindAddressWithAIsUsedAndABadOneNamed() {
        assertThat(wren(cat("pub", broker("-A", "127.0.0.1", "-t", "cli/bound", "-m", "x", "-q", "1"))).exit())
                .isZero();
        Run bad = wren(cat("pub", broker("-A", "no-such-host.invalid", "-t", "cli/bound", "-m", "x")));
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.err()).contains("-A: cannot resolve no-such-host.invalid");
        Run both = wren("pub", "--unix", "/tmp/x.sock", "-A", "127.0.0.1", "-t", "t", "-m", "x");
        assertThat(both.exit()).isNotZero();
        assertThat(both.err()).contains("--unix and -A do not go together");
    }

    @Test
    void pubGoesThroughAnHttpProxyWithProxyAndAWrongPasswordIsNamed() throws Exception {
        try (dev.wren.testing.HttpConnectProxy proxy = dev.wren.testing.HttpConnectProxy.requiring("me", "pw")) {
            String topic = "cli/proxy/" + UUID.randomUUID();
            CompletableFuture<Run> sub = subscriber(topic, "-C", "1", "-W", "10");
            Run pub = wren(cat("pub", broker("-t", topic, "-m", "tunnelled", "-q", "1",
                    "--proxy", "http://me:pw@127.0.0.1:" + proxy.port())));
            assertThat(pub.exit()).isZero();
            assertThat(sub.get(15, TimeUnit.SECONDS).out()).isEqualTo("tunnelled\n");
            assertThat(proxy.tunnels()).isEqualTo(1);
            Run wrong = wren(cat("pub", broker("-t", topic, "-m", "x", "--proxy",
                    "http://me:nope@127.0.0.1:" + proxy.port())));
            assertThat(wrong.exit()).isEqualTo(1);
            assertThat(wrong.err()).contains("PROXY_REFUSED").contains("407");
        }
    }

    @Test
    void pubGoesThroughASocks5ProxyWithProxyAsMosquittoPubDoes() throws Exception {
        try (dev.wren.testing.Socks5Proxy proxy = dev.wren.testing.Socks5Proxy.requiring("me", "pw")) {
            String topic = "cli/socks/" + UUID.randomUUID();
            CompletableFuture<Run> sub = subscriber(topic, "-C", "1", "-W", "10");
            Run pub = wren(cat("pub", broker("-t", topic, "-m", "via socks", "-q", "1",
                    "--proxy", "socks5h://me:pw@127.0.0.1:" + proxy.port())));
            assertThat(pub.exit()).isZero();
            assertThat(sub.get(15, TimeUnit.SECONDS).out()).isEqualTo("via socks\n");
            assertThat(proxy.tunnels()).isEqualTo(1);
        }
    }

    @Test
    void pubSpeaksWebSocketWithAWsUrl() throws Exception {
        try (dev.wren.testing.WebSocketBridge bridge = dev.wren.testing.WebSocketBridge.to(BROKER.host(), BROKER.port())) {
            String topic = "cli/ws/" + UUID.randomUUID();
            CompletableFuture<Run> sub = subscriber(topic, "-C", "1", "-W", "10");
            Run pub = wren("pub", "-L", "ws://127.0.0.1:" + bridge.port() + "/" + topic, "-m", "over websocket",
                    "-q", "1");
            assertThat(pub.exit()).as(pub.err()).isZero();
            assertThat(sub.get(15, TimeUnit.SECONDS).out()).isEqualTo("over websocket\n");
            assertThat(bridge.upgrades()).isEqualTo(1);
        }
    }
}
