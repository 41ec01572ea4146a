package dev.wren.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.testing.Mosquitto;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The examples run end to end against a real Mosquitto started by the tests. */
class ExamplesAgainstMosquittoTest {
    private static final Mosquitto BROKER = Mosquitto.shared();

    @Test
    void publisherSampleConnectsPublishesAtEveryQosAndGetsEveryAcknowledgement() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int exit = Publisher.run(new PrintStream(buf, true, StandardCharsets.UTF_8), "-h", BROKER.host(),
                "-p", String.valueOf(BROKER.port()), "-n", "2", "--sleep-ms", "50");
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(out).isZero();
        assertThat(out).contains("event: ConnAck[returnCode=ACCEPTED, sessionPresent=false]")
                .contains("event: PingResp[]")
                .contains("event: PubAck[messageId=")
                .contains("event: PubRec[messageId=")
                .contains("event: PubComp[messageId=")
                .contains("event: Disconnect[reason=NORMAL")
                .contains("OK: 4 of 4 QoS 1/2 messages acknowledged");
    }

    @Test
    void publisherSampleSpeaksMqtt31Too() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int exit = Publisher.run(new PrintStream(buf, true, StandardCharsets.UTF_8), "-h", BROKER.host(),
                "-p", String.valueOf(BROKER.port()), "-n", "1", "--sleep-ms", "20", "-V", "mqttv31");
        assertThat(exit).as(buf.toString(StandardCharsets.UTF_8)).isZero();
    }

    @Test
    void publisherSampleGivesUpOnAnUnreachableBroker() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int exit = Publisher.run(new PrintStream(buf, true, StandardCharsets.UTF_8), "-h", "127.0.0.1",
                "-p", String.valueOf(port), "--sleep-ms", "10");
        assertThat(exit).isEqualTo(2);
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains("attempt 10").contains("reason=IO_ERROR");
    }

    @Test
    void threeClientsRunOnOneThread() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int exit = ThreeClientsOneThread.run(new PrintStream(buf, true, StandardCharsets.UTF_8), BROKER.host(),
                BROKER.port(), 300);
        assertThat(exit).as(buf.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains("received 300, subscriber B received 300 of 300");
    }

    @Test
    void publisherSampleRunsOverTlsWithOneOption() throws Exception {
        dev.wren.testing.TestPki pki = dev.wren.testing.TestPki.create(java.nio.file.Files.createTempDirectory("pki"));
        int port = Mosquitto.freePort();
        try (Mosquitto tls = Mosquitto.start(pki.listener(port, "server", false, null))) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            int exit = Publisher.run(new PrintStream(buf, true, StandardCharsets.UTF_8), "-h", "localhost",
                    "-p", String.valueOf(port), "-n", "1", "--sleep-ms", "20", "--cafile", pki.file("ca.pem").toString());
            assertThat(exit).as(buf.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(buf.toString(StandardCharsets.UTF_8)).contains("OK: 2 of 2");
        }
    }
}
