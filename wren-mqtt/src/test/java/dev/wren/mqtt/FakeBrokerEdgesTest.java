package dev.wren.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.testing.FakeBroker;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The client against a scripted fake server, for what a real broker will not do: refusals, malformed packets,
 * silence, a connection cut mid-packet, acknowledgements nobody asked for.
 */
class FakeBrokerEdgesTest {

    private static MqttClientConfig.Builder config(FakeBroker broker) {
        return MqttClientConfig.builder().broker(broker.host(), broker.port()).clientId("edge")
                .keepAlive(Duration.ofSeconds(30)).connectTimeout(Duration.ofSeconds(3));
    }

    /** Connects a client to the fake broker, drives it until the connection ends, and checks the script passed. */
    private static Events runUntilClosed(FakeBroker broker, MqttClientConfig config) throws Exception {
        Events events = new Events();
        MqttClient client = new MqttClient(config, events);
        client.connect();
        Poll.until(() -> !client.isOpen(), 5_000, client);
        broker.await();
        return events;
    }

    @ParameterizedTest
    @EnumSource(value = ConnectReturnCode.class, names = "ACCEPTED", mode = EnumSource.Mode.EXCLUDE)
    void refusedConnAckReportsItsReturnCodeThenDisconnects(ConnectReturnCode code) throws Exception {
        try (FakeBroker broker = FakeBroker.start(c -> {
            c.expect(FakeBroker.CONNECT);
            c.send(String.format("200200%02x", code.code()));
            c.expectClosed();
        })) {
            Events events = runUntilClosed(broker, config(broker).build());
            assertThat(events.last(MqttEvent.ConnAck.class).returnCode()).isEqualTo(code);
            assertThat(events.disconnect().reason()).isEqualTo(DisconnectReason.REFUSED);
            assertThat(events.disconnect().message()).contains(code.name());
        }
    }

    @Test
    void aServerOfMqtt311RefusingA50ConnectInItsOwnConnAckIsARefusalOfTheVersionNotAMalformedPacket()
            throws Exception {
        // what MQTT 3.1.1 [MQTT-3.1.2-2] has a server send for protocol level 5 (Moquette 0.17 does; libmosquitto
        // reads it the same way)
        try (FakeBroker broker = FakeBroker.start(c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("20020001");
            c.expectClosed();
        })) {
            Events events = runUntilClosed(broker, config(broker).protocolVersion(ProtocolVersion.MQTT_5).build());
            MqttEvent.ConnAck ack = events.last(MqttEvent.ConnAck.class);
            assertThat(ack.reasonCode()).isEqualTo(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION);
            assertThat(ack.returnCode()).isEqualTo(ConnectReturnCode.UNACCEPTABLE_PROTOCOL_VERSION);
            assertThat(events.disconnect().reason()).isEqualTo(DisconnectReason.REFUSED);
            assertThat(events.disconnect().violation()).isNull();
        }
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("2f00", ProtocolViolation.INVALID_FIXED_HEADER_FLAGS),
                Arguments.of("0000", ProtocolViolation.RESERVED_PACKET_TYPE),
                Arguments.of("c000", ProtocolViolation.PACKET_TYPE_NOT_ALLOWED_FROM_SERVER),
                Arguments.of("36070001610001ff", ProtocolViolation.INVALID_QOS),
                Arguments.of("3803000161", ProtocolViolation.DUP_ON_QOS_0),
                Arguments.of("30ffffffff7f", ProtocolViolation.MALFORMED_REMAINING_LENGTH),
                Arguments.of("30ffffff7f", ProtocolViolation.PACKET_TOO_LARGE),
                Arguments.of("40020000", ProtocolViolation.ZERO_PACKET_ID),
                Arguments.of("30050003eda080", ProtocolViolation.INVALID_UTF8),
                Arguments.of("30040002610000", ProtocolViolation.NULL_CHARACTER),
                Arguments.of("30050003612f23", ProtocolViolation.INVALID_TOPIC_NAME),
                Arguments.of("20020000", ProtocolViolation.UNEXPECTED_CONNACK_STATE),
                Arguments.of("9003000103", ProtocolViolation.INVALID_SUBACK_RETURN_CODE),
                Arguments.of("4003000100", ProtocolViolation.LENGTH_MISMATCH),
                Arguments.of("3004000a6162", ProtocolViolation.LENGTH_MISMATCH));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("malformed")
    void malformedPacketClosesTheConnectionWithItsReason(String hex, ProtocolViolation violation) throws Exception {
        try (FakeBroker broker = FakeBroker.start(c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("20020000");
            c.send(hex);
            c.expectClosed();
        })) {
            Events events = runUntilClosed(broker, config(broker).maxIncomingPacketSize(1024 * 1024).build());
            MqttEvent.Disconnect d = events.disconnect();
            assertThat(d.reason()).isEqualTo(DisconnectReason.PROTOCOL_VIOLATION);
            assertThat(d.violation()).isEqualTo(violation);
            assertThat(d.message()).isNotBlank();
            assertThat(events.count(MqttEvent.Disconnect.class)).isEqualTo(1);
        }
    }

    @Test
    void missingConnAckTimesOut() throws Exception {
        try (FakeBroker broker = FakeBroker.start(c -> {
            c.expect(FakeBroker.CONNECT);
            c.expectClosed();
        })) {
            Events events = runUntilClosed(broker, config(broker).connectTimeout(Duration.ofMillis(500)).build());
            assertThat(events.disconnect().reason()).isEqualTo(DisconnectReason.CONNECT_TIMEOUT);
        }
    }

    @Test
    void missingPingRespClosesWithKeepAliveTimeout() throws Exception {
        try (FakeBroker broker = FakeBroker.start(c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("20020000");
            c.expect(FakeBroker.PINGREQ); // sent after one idle second; never answered
            c.expectClosed();
        })) {
            long start = System.nanoTime();
            Events events = runUntilClosed(broker, config(broker).keepAlive(Duration.ofSeconds(1))
                    .pingTimeout(Duration.ofMillis(500)).build());
            assertThat(events.disconnect().reason()).isEqualTo(DisconnectReason.KEEP_ALIVE_TIMEOUT);
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(1_400L, 4_000L);
        }
    }

    @Test
    void withDefaultSettingsADeadBrokerIsNoticedWithinOneAndAHalfKeepAliveIntervals() throws Exception {
        try (FakeBroker broker = FakeBroker.start(c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("20020000");
            c.expect(FakeBroker.PINGREQ); // never answered, the socket stays open: a hung broker
            c.expectClosed();
        })) {
            long start = System.nanoTime();
            // keep-alive 2 s and no ping timeout given: closed by 3 s after the last packet from the broker
            Events events = runUntilClosed(broker, MqttClientConfig.builder().broker(broker.host(), broker.port())
                    .clientId("dead-broker").keepAlive(Duration.ofSeconds(2)).build());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(events.disconnect().reason()).isEqualTo(DisconnectReason.KEEP_ALIVE_TIMEOUT);
            assertThat(millis).isBetween(2_900L, 3_600L); // twice the keep-alive (4 s) before the change
        }
    }

    @Test
    void aClientThatOnlyPublishesNoticesAServerThatStoppedAnswering() throws Exception {
        java.util.concurrent.atomic.AtomicInteger pings = new java.util.concurrent.atomic.AtomicInteger();
        try (FakeBroker broker = FakeBroker.start(c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("20020000");
            // takes every packet and answers none, as a server whose process hangs while its socket stays open
            try {
                while (true) {
                    if ((c.readPacket()[0] & 0xFF) == 0xC0) {
                        pings.incrementAndGet();
                    }
                }
            } catch (java.io.IOException closedByTheClient) {
                // the end
            }
        })) {
            Events events = new Events();
            MqttClient client = new MqttClient(config(broker).keepAlive(Duration.ofSeconds(1))
                    .pingTimeout(Duration.ofMillis(500)).build(), events);
            Poll.connect(client, events);
            long start = System.nanoTime();
            // a QoS 0 publish every 100 ms: something goes out all the time, nothing comes in
            while (client.isOpen() && System.nanoTime() - start < 5_000_000_000L) {
                client.publish("t", new byte[] {1}, Qos.AT_MOST_ONCE, false);
                Poll.forMillis(100, client);
            }
            assertThat(client.isOpen()).as("still open after 5 s: the dead server went unnoticed").isFalse();
            assertThat(events.disconnect().reason()).isEqualTo(DisconnectReason.KEEP_ALIVE_TIMEOUT);
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(1_400L, 4_000L);
            broker.await();
            assertThat(pings).hasValue(1);
        }
    }

    @Test
    void serverClosingMidPacketIsReportedAsSuch() throws Exception {
        try (FakeBroker broker = FakeBroker.start(c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("20020000");
            c.send("3010000773656e736f7273"); // PUBLISH announcing 16 bytes, 11 sent
            c.shutdownOutput();
            c.expectClosed();
        })) {
            Events events = runUntilClosed(broker, config(broker).build());
            assertThat(events.disconnect().reason()).isEqualTo(DisconnectReason.CLOSED_BY_SERVER);
            assertThat(events.disconnect().message()).contains("in the middle of a packet");
            assertThat(events.count(MqttEvent.Publish.class)).isZero();
        }
    }

    @Test
    void serverClosingBetweenPacketsIsAPlainClose() throws Exception {
        try (FakeBroker broker = FakeBroker.start(c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("20020000");
            c.close();
        })) {
            Events events = runUntilClosed(broker, config(broker).build());
            assertThat(events.disconnect().reason()).isEqualTo(DisconnectReason.CLOSED_BY_SERVER);
            assertThat(events.disconnect().message()).doesNotContain("middle");
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"40020007", "50020007", "70020007"})
    void unsolicitedAcknowledgementIsAViolationInStrictMode(String ack) throws Exception {
        try (FakeBroker broker = FakeBroker.start(c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("20020000");
            c.send(ack);
            c.expectClosed();
        })) {
            Events events = runUntilClosed(broker, config(broker).strictAcknowledgements(true).build());
            assertThat(events.disconnect().violation()).isEqualTo(ProtocolViolation.UNEXPECTED_ACKNOWLEDGEMENT);
            assertThat(events.disconnect().message()).contains("7");
        }
    }

    @Test
    void unknownAcknowledgementsKeepTheConnectionAndAnUnknownPubRecIsReleased() throws Exception {
        // as after a broker restart: acknowledgements for identifiers this connection never used
        try (FakeBroker broker = FakeBroker.start(c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("20020000");
            c.send("40020007"); // PUBACK 7
            c.send("50020008"); // PUBREC 8
            assertThat(c.expectWithId(FakeBroker.PUBREL)).isEqualTo(8);
            c.send("70020008"); // its PUBCOMP
            c.send("70020009"); // PUBCOMP 9
            c.send("d000");     // PINGRESP: the client is still reading
            c.expect(FakeBroker.DISCONNECT);
        })) {
            Events events = new Events();
            MqttClient client = new MqttClient(config(broker).build(), events);
            Poll.connect(client, events);
            Poll.until(() -> events.count(MqttEvent.PingResp.class) == 1, 5_000, client);
            assertThat(client.isConnected()).isTrue();
            client.disconnect();
            broker.await();
            assertThat(events.disconnect().reason()).isEqualTo(DisconnectReason.NORMAL);
            assertThat(events.count(MqttEvent.UnexpectedAck.class)).isEqualTo(3);
        }
    }

    @Test
    void unsolicitedPubRelIsCompletedNotFatal() throws Exception {
        try (FakeBroker broker = FakeBroker.start(c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("20020000");
            c.send("62020007");
            assertThat(c.expectWithId(FakeBroker.PUBCOMP)).isEqualTo(7);
            c.expect(FakeBroker.DISCONNECT);
        })) {
            Events events = new Events();
            MqttClient client = new MqttClient(config(broker).build(), events);
            Poll.connect(client, events);
            Poll.until(() -> events.count(MqttEvent.PubRel.class) == 1, 5_000, client);
            client.disconnect();
            broker.await();
            assertThat(events.disconnect().reason()).isEqualTo(DisconnectReason.NORMAL);
        }
    }

    @Test
    void unreachableBrokerEndsInAnIoErrorEvent() {
        Events events = new Events();
        // a port nothing listens on: take a free one and close it
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        MqttClient client = new MqttClient(MqttClientConfig.builder().broker("127.0.0.1", port).build(), events);
        client.connect();
        Poll.until(() -> !client.isOpen(), 5_000, client);
        assertThat(events.disconnect().reason()).isEqualTo(DisconnectReason.IO_ERROR);
        assertThat(events.disconnect().cause()).isNotNull();
    }

    @Test
    void packetsReadInTheLastRoundOfAnInputCallAreDeliveredWithoutWaitingForMoreData() throws Exception {
        // Regression: input() reads at most 16 times per call, and its 16th read came after the last decode. When
        // that read took the socket's last bytes, they sat undecoded in the receive buffer, where no readiness
        // signals them, until more data arrived (seen as QoS 0 messages "lost" at the end of a benchmark run).
        // 32 PUBLISH packets of 128 bytes, one write, into a 256-byte buffer: 16 reads of two packets each.
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            burst.append("307e 0001 74").append(String.format("%02x", i)).append("00".repeat(122)); // 2 + 126 bytes
        }
        try (FakeBroker broker = FakeBroker.start(c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("20020000");
            c.pause(200); // the client waits in select before the burst
            c.send(burst.toString());
            c.expect(FakeBroker.DISCONNECT);
        })) {
            java.util.List<Integer> firstBytes = new java.util.ArrayList<>(); // the payload is a view of the buffer
            Events events = new Events().reacting((c, e) -> {
                if (e instanceof MqttEvent.Publish p) {
                    firstBytes.add(p.payloadBytes()[0] & 0xff);
                }
            });
            MqttClient client = new MqttClient(config(broker).receiveBufferSize(256).build(), events);
            Poll.connect(client, events);
            onReadinessOnlyUntil(() -> firstBytes.size() == 32, 3_000, client);
            assertThat(firstBytes).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 32).boxed().toList());
            client.disconnect();
            broker.await();
        }
    }

    /**
     * Drives a client as an event loop does, unlike {@link Poll}: {@code input()} only when its channel is selected
     * or {@code keepAliveTimeLeft()} says so, never on a timer. Fails if {@code condition} is not met in time.
     */
    private static void onReadinessOnlyUntil(java.util.function.BooleanSupplier condition, long timeoutMillis,
                                             MqttClient client) throws Exception {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        try (java.nio.channels.Selector selector = java.nio.channels.Selector.open()) {
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("condition not met within " + timeoutMillis + " ms");
                }
                java.nio.channels.SelectionKey key = client.channel().register(selector, client.interestOps());
                long left = client.keepAliveTimeLeft();
                selector.select(left == 0 ? 1 : 100);
                boolean ready = selector.selectedKeys().contains(key);
                selector.selectedKeys().clear();
                if (ready || client.keepAliveTimeLeft() == 0) {
                    client.input();
                }
                client.live();
            }
        }
    }

    @Test
    void streamedPayloadLargerThanTheBufferIsReadInPiecesFromInsideTheHandler() throws Exception {
        byte[] payload = new byte[5000];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 31);
        }
        java.io.ByteArrayOutputStream publish = new java.io.ByteArrayOutputStream();
        publish.write(0x32); // QoS 1
        int remaining = 2 + 3 + 2 + payload.length;
        publish.write(0x80 | (remaining & 0x7F));
        publish.write(remaining >> 7);
        publish.writeBytes(FakeBroker.hex("0003626967 0042"));
        publish.writeBytes(payload);
        try (FakeBroker broker = FakeBroker.start(c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("20020000");
            byte[] bytes = publish.toByteArray();
            for (int i = 0; i < bytes.length; i += 700) { // in slices, so the client sees partial payloads
                c.send(java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + 700)));
                c.pause(5);
            }
            assertThat(c.expectWithId(FakeBroker.PUBACK)).isEqualTo(0x42);
            c.expect(FakeBroker.DISCONNECT);
        })) {
            java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
            Events events = new Events().reacting((client, e) -> {
                if (e instanceof MqttEvent.Publish p && p.streamed()) {
                    java.nio.ByteBuffer piece = java.nio.ByteBuffer.allocate(300);
                    int n;
                    while ((n = client.payload().readBlocking(piece.clear(), 2_000)) > 0) {
                        received.write(piece.array(), 0, n);
                    }
                }
            });
            MqttClient client = new MqttClient(config(broker).receiveBufferSize(256).transmitBufferSize(256).build(),
                    events);
            Poll.connect(client, events);
            Poll.until(() -> received.size() == payload.length && !client.wantsWrite(), 5_000, client);
            client.disconnect();
            broker.await();
            MqttEvent.Publish p = events.last(MqttEvent.Publish.class);
            assertThat(p.streamed()).isTrue();
            assertThat(p.payloadLength()).isEqualTo(5000);
            assertThat(p.messageId()).isEqualTo(0x42);
            assertThat(received.toByteArray()).isEqualTo(payload);
        }
    }
}
