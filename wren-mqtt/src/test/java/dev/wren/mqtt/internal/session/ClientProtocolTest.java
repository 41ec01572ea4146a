package dev.wren.mqtt.internal.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wren.mqtt.DisconnectReason;
import dev.wren.mqtt.MqttEvent;
import dev.wren.mqtt.ProtocolViolation;
import dev.wren.mqtt.Qos;
import dev.wren.mqtt.Subscription;
import dev.wren.mqtt.UnacknowledgedMessage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The protocol state on its own: bytes in, bytes out, time given, no sockets, no threads. */
class ClientProtocolTest {

    private final List<ClientProtocol> made = new ArrayList<>();
    private final List<MqttEvent> log = new ArrayList<>();
    /** Every event the cores made have handed out so far, taken as the test looks. */
    private final List<MqttEvent> events = new AbstractList<>() {
        @Override
        public MqttEvent get(int index) {
            pull();
            return log.get(index);
        }

        @Override
        public int size() {
            pull();
            return log.size();
        }

        @Override
        public void clear() {
            pull();
            log.clear();
        }
    };
    private long now = 1_000;

    private void pull() {
        for (ClientProtocol s : made) {
            for (MqttEvent e; (e = s.pollEvent()) != null; ) {
                log.add(e);
            }
        }
    }

    private ClientProtocol session(ProtocolConfig.Builder b) {
        ProtocolConfig c = b.build();
        ClientProtocol s = new ClientProtocol(c, new Session(), () -> { }, ByteBuffer.allocate(c.transmitBufferSize()));
        made.add(s);
        return s;
    }

    /** No broker address: the core knows nothing of transports. */
    private static ProtocolConfig.Builder config() {
        return ProtocolConfig.builder().clientId("wren").keepAlive(Duration.ofSeconds(10));
    }

    /** Takes everything the session wants to send, as hex. */
    private String sent(ClientProtocol s) {
        return ProtocolHarness.written(s, now);
    }

    private void feed(ClientProtocol s, String hex) {
        s.receive(ByteBuffer.wrap(HexFormat.of().parseHex(hex.replace(" ", ""))), now);
    }

    private ClientProtocol connected(ProtocolConfig.Builder b) {
        ClientProtocol s = session(b);
        s.start(now);
        sent(s);
        feed(s, "20020000");
        assertThat(s.state()).isEqualTo(ClientProtocol.State.CONNECTED);
        events.clear();
        return s;
    }

    @Test
    void connectIsTheFirstPacketAndCarriesTheConfiguration() {
        ClientProtocol s = session(config());
        s.start(now);
        // CONNECT 3.1.1, clean session, keep-alive 10, client id "wren"
        assertThat(sent(s)).isEqualTo("101000044d5154540402000a00047772656e");
        assertThat(s.state()).isEqualTo(ClientProtocol.State.CONNECTING);
    }

    @Test
    void anyPacketBeforeConnAckIsAViolation() {
        ClientProtocol s = session(config());
        s.start(now);
        sent(s);
        feed(s, "d000");
        assertThat(events).singleElement().isInstanceOfSatisfying(MqttEvent.Disconnect.class, d -> {
            assertThat(d.reason()).isEqualTo(DisconnectReason.PROTOCOL_VIOLATION);
            assertThat(d.violation()).isEqualTo(ProtocolViolation.UNEXPECTED_CONNACK_STATE);
        });
    }

    @Test
    void aSecondConnAckIsAViolation() {
        ClientProtocol s = connected(config());
        feed(s, "20020000");
        assertThat(events).singleElement().isInstanceOfSatisfying(MqttEvent.Disconnect.class,
                d -> assertThat(d.violation()).isEqualTo(ProtocolViolation.UNEXPECTED_CONNACK_STATE));
    }

    @Test
    void packetIdsAreNeverReusedWhileInFlightAndWrapAroundSkippingZero() {
        ClientProtocol s = connected(config().maxInflight(65535));
        Set<Integer> inFlight = new HashSet<>();
        ByteBuffer payload = ByteBuffer.wrap(new byte[] {1});
        // fill 65,535 ids, acknowledge every other one, then allocate again: only freed ids come back
        for (int i = 0; i < 65535; i++) {
            int id = s.publish("t", Qos.AT_LEAST_ONCE, false, payload);
            assertThat(id).isBetween(1, 65535);
            assertThat(inFlight.add(id)).as("id %d reused", id).isTrue();
            sent(s);
        }
        assertThat(s.publish("t", Qos.AT_LEAST_ONCE, false, payload)).isEqualTo(ClientProtocol.WOULD_BLOCK);
        for (int id = 2; id <= 65535; id += 2) {
            feed(s, String.format("4002%04x", id));
            inFlight.remove(id);
        }
        for (int i = 0; i < 32767; i++) {
            int id = s.publish("t", Qos.AT_LEAST_ONCE, false, payload);
            assertThat(id % 2).isZero();
            assertThat(inFlight.add(id)).isTrue();
            sent(s);
        }
        assertThat(s.inflight()).isEqualTo(65535);
    }

    @Test
    void maxInflightIsHonoured() {
        ClientProtocol s = connected(config().maxInflight(2));
        ByteBuffer p = ByteBuffer.wrap(new byte[0]);
        assertThat(s.publish("t", Qos.AT_LEAST_ONCE, false, p)).isEqualTo(1);
        assertThat(s.publish("t", Qos.EXACTLY_ONCE, false, p)).isEqualTo(2);
        assertThat(s.publish("t", Qos.AT_LEAST_ONCE, false, p)).isEqualTo(ClientProtocol.WOULD_BLOCK);
        assertThat(s.publish("t", Qos.AT_MOST_ONCE, false, p)).isZero(); // QoS 0 takes no id
    }

    @Test
    void midSizeHeapPayloadsAreCopiedSoThatManyGoOutInOneWrite() {
        ClientProtocol s = connected(config().transmitBufferSize(4096));
        byte[] payload = new byte[1000];
        for (int i = 0; i < 3; i++) {
            assertThat(s.publish("t", Qos.AT_MOST_ONCE, false, ByteBuffer.wrap(payload))).isZero();
        }
        payload[0] = 9; // copied: the change is not sent
        assertThat(s.gather()).as("segments of one write").isEqualTo(1);
        // each PUBLISH: type, remaining length (2 bytes), topic length, topic "t", 1000 payload bytes
        assertThat(s.segments()[0].remaining()).isEqualTo(3 * (1 + 2 + 2 + 1 + 1000));
        assertThat(s.segments()[0].get(s.segments()[0].position() + 6)).as("first payload byte").isZero();
        s.written(0, now);
    }

    @Test
    void directAndLargeHeapPayloadsAreWrittenFromTheCallersBuffer() {
        ClientProtocol s = connected(config().transmitBufferSize(4096));
        ByteBuffer direct = ByteBuffer.allocateDirect(1000);
        assertThat(s.publish("t", Qos.AT_MOST_ONCE, false, direct)).isZero();
        assertThat(s.publish("t", Qos.AT_MOST_ONCE, false, ByteBuffer.wrap(new byte[2100]))).isZero(); // > half
        int n = s.gather();
        assertThat(n).as("header, payload, header, payload").isEqualTo(4);
        assertThat(s.segments()[1].isDirect()).isTrue();
        assertThat(s.segments()[3].remaining()).isEqualTo(2100);
        s.written(0, now);
    }

    @Test
    void publishCopyCopiesAnyPayloadSoTheCallerMayReuseItAtOnce() {
        ClientProtocol s = connected(config().transmitBufferSize(4096));
        ByteBuffer direct = ByteBuffer.allocateDirect(3000);
        assertThat(s.publishCopy("t", Qos.AT_LEAST_ONCE, false, direct)).isEqualTo(1);
        assertThat(s.gather()).isEqualTo(1); // one segment: the copy in the transmit buffer
        s.written(0, now);
        assertThat(s.publishCopy("t", Qos.AT_MOST_ONCE, false, ByteBuffer.allocate(3000)))
                .as("no room until the first is written").isEqualTo(ClientProtocol.WOULD_BLOCK);
        sent(s);
        byte[] large = new byte[5000]; // larger than the transmit buffer: copied to an array of the client's
        assertThat(s.publishCopy("t", Qos.AT_MOST_ONCE, false, ByteBuffer.wrap(large))).isZero();
        large[0] = 7;
        String out = sent(s);
        assertThat(out).hasSize(2 * (1 + 2 + 2 + 1 + 5000)).endsWith("00".repeat(5000));
    }

    @Test
    void incomingQos1IsAcknowledgedInArrivalOrder() {
        ClientProtocol s = connected(config());
        // three QoS 1 PUBLISH with ids 5, 3, 9 in one read
        feed(s, "3205000161 0005 3205000161 0003 3205000161 0009".replace(" ", ""));
        assertThat(sent(s)).isEqualTo("40020005" + "40020003" + "40020009");
        assertThat(events).hasSize(3).allMatch(e -> e instanceof MqttEvent.Publish);
    }

    @Test
    void incomingQos2IsDeliveredOnceUntilReleased() {
        ClientProtocol s = connected(config());
        feed(s, "34060001610007 78"); // QoS 2 id 7 payload "x"
        assertThat(sent(s)).isEqualTo("50020007");
        feed(s, "3c060001610007 78"); // the same again with DUP: answered, not delivered
        assertThat(sent(s)).isEqualTo("50020007");
        assertThat(events).filteredOn(e -> e instanceof MqttEvent.Publish).hasSize(1);
        feed(s, "62020007"); // PUBREL
        assertThat(sent(s)).isEqualTo("70020007");
        feed(s, "34060001610007 79"); // after PUBCOMP, id 7 is a new message [MQTT-4.3.3-2]
        assertThat(events).filteredOn(e -> e instanceof MqttEvent.Publish).hasSize(2);
    }

    @Test
    void outgoingQos2RunsTheFourPacketHandshake() {
        ClientProtocol s = connected(config());
        int id = s.publish("t", Qos.EXACTLY_ONCE, false, ByteBuffer.wrap(new byte[] {'x'}));
        assertThat(sent(s)).isEqualTo(String.format("3406000174%04x78", id));
        feed(s, String.format("5002%04x", id));
        assertThat(sent(s)).isEqualTo(String.format("6202%04x", id)); // PUBREL, same id [MQTT-4.3.3-1]
        feed(s, String.format("7002%04x", id));
        assertThat(events).containsExactly(new MqttEvent.PubRec(id), new MqttEvent.PubComp(id));
        assertThat(s.inflight()).isZero();
    }

    @Test
    void manualModeLeavesAcknowledgementsToTheApplication() {
        ClientProtocol s = connected(config().manualAcks(true));
        feed(s, "3205000161 0005".replace(" ", ""));
        assertThat(sent(s)).isEmpty();
        assertThat(s.pubAck(5)).isTrue();
        assertThat(sent(s)).isEqualTo("40020005");
        int id = s.publish("t", Qos.EXACTLY_ONCE, false, ByteBuffer.wrap(new byte[0]));
        sent(s);
        feed(s, String.format("5002%04x", id));
        assertThat(sent(s)).isEmpty(); // no automatic PUBREL
        assertThat(s.pubRel(id)).isTrue();
        assertThat(sent(s)).isEqualTo(String.format("6202%04x", id));
    }

    @Test
    void automaticModeRefusesManualAcks() {
        ClientProtocol s = connected(config());
        assertThatThrownBy(() -> s.pubAck(1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("manualAcks");
    }

    @Test
    void unsolicitedAcknowledgementsAreViolationsInStrictMode() {
        assertEachClosesAsUnexpected(config().strictAcknowledgements(true),
                "40020009", "50020009", "70020009", "9003000900", "b0020009");
    }

    /** Each acknowledgement, fed alone to a fresh connected session, closes it with UNEXPECTED_ACKNOWLEDGEMENT. */
    private void assertEachClosesAsUnexpected(ProtocolConfig.Builder b, String... acks) {
        for (String ack : acks) {
            events.clear();
            ClientProtocol s = connected(b);
            events.clear();
            feed(s, ack);
            assertThat(events).as(ack).singleElement().isInstanceOfSatisfying(MqttEvent.Disconnect.class,
                    d -> assertThat(d.violation()).isEqualTo(ProtocolViolation.UNEXPECTED_ACKNOWLEDGEMENT));
        }
    }

    @Test
    void unknownSubAckAndUnsubAckStayViolationsByDefault() {
        assertEachClosesAsUnexpected(config(), "9003000900", "b0020009");
    }

    @Test
    void unknownPubAckAndPubCompAreIgnoredAndReportedByDefault() {
        ClientProtocol s = connected(config());
        int id = s.publish("t", Qos.AT_LEAST_ONCE, false, ByteBuffer.wrap(new byte[0]));
        sent(s);
        events.clear();
        feed(s, "40020009");
        feed(s, "70020008");
        assertThat(sent(s)).isEmpty();
        assertThat(events).containsExactly(new MqttEvent.UnexpectedAck("PUBACK", 9),
                new MqttEvent.UnexpectedAck("PUBCOMP", 8));
        assertThat(s.state()).isEqualTo(ClientProtocol.State.CONNECTED);
        feed(s, String.format("4002%04x", id)); // the message in flight is still acknowledged as usual
        assertThat(events).endsWith(new MqttEvent.PubAck(id));
        assertThat(s.inflight()).isZero();
    }

    @Test
    void anUnknownPubRecIsAnsweredWithPubRelAndItsPubCompTakenSilently() {
        ClientProtocol s = connected(config());
        events.clear();
        feed(s, "50020009");
        assertThat(sent(s)).isEqualTo("62020009");
        assertThat(events).containsExactly(new MqttEvent.UnexpectedAck("PUBREC", 9));
        feed(s, "50020009"); // repeated: the PUBREL is repeated, nothing reported twice
        assertThat(sent(s)).isEqualTo("62020009");
        feed(s, "70020009");
        assertThat(events).containsExactly(new MqttEvent.UnexpectedAck("PUBREC", 9));
        assertThat(s.inflight()).isZero();
        assertThat(s.state()).isEqualTo(ClientProtocol.State.CONNECTED);
    }

    @Test
    void anAcknowledgementOfTheWrongKindForAnIdentifierInFlightIsStillAViolation() {
        ClientProtocol s = connected(config());
        int id = s.publish("t", Qos.AT_LEAST_ONCE, false, ByteBuffer.wrap(new byte[0]));
        sent(s);
        events.clear();
        feed(s, String.format("5002%04x", id)); // PUBREC for a QoS 1 message
        assertThat(events).singleElement().isInstanceOfSatisfying(MqttEvent.Disconnect.class,
                d -> assertThat(d.violation()).isEqualTo(ProtocolViolation.UNEXPECTED_ACKNOWLEDGEMENT));
    }

    @Test
    void deferredAcksGoOutWhenTheApplicationSaysSoInArrivalOrderPerQos() {
        ClientProtocol s = connected(config().deferredAcks(true));
        feed(s, "3206000174000178"); // QoS 1, id 1
        feed(s, "3206000174000278"); // QoS 1, id 2
        feed(s, "3406000174000378"); // QoS 2, id 3
        assertThat(sent(s)).isEmpty();
        assertThat(s.acknowledge(2)).isTrue();
        assertThat(sent(s)).isEmpty(); // behind id 1
        assertThat(s.acknowledge(3)).isTrue();
        assertThat(sent(s)).isEqualTo("50020003"); // QoS 2 has its own order
        assertThat(s.acknowledge(1)).isTrue();
        assertThat(sent(s)).isEqualTo("4002000140020002");
        assertThat(s.acknowledge(1)).isFalse(); // done already
        feed(s, "3c06000174000378"); // the QoS 2 message again, DUP: answered, not delivered
        assertThat(sent(s)).isEqualTo("50020003");
        assertThat(events.stream().filter(e -> e instanceof MqttEvent.Publish).count()).isEqualTo(3);
        feed(s, "62020003");
        assertThat(sent(s)).isEqualTo("70020003"); // PUBCOMP stays automatic
    }

    @Test
    void aDeferredQos2MessageNeverAcknowledgedIsDeliveredAgainWhenTheServerResendsIt() {
        ClientProtocol s = connected(config().deferredAcks(true).cleanSession(false));
        feed(s, "3406000174000378");
        s.close(dev.wren.mqtt.DisconnectReason.IO_ERROR, null, "cut", null);
        s.start(now);
        sent(s);
        feed(s, "20020100"); // session present
        feed(s, "3c06000174000378"); // sent again: no PUBREC went out, so it is delivered again
        assertThat(events.stream().filter(e -> e instanceof MqttEvent.Publish).count()).isEqualTo(2);
        assertThat(s.acknowledge(3)).isTrue();
        assertThat(sent(s)).isEqualTo("50020003");
    }

    @Test
    void unsolicitedPubRelIsAnsweredWithPubComp() {
        // after a resumed session the server may release a message the client received on an earlier connection
        ClientProtocol s = connected(config());
        feed(s, "62020009");
        assertThat(sent(s)).isEqualTo("70020009");
        assertThat(events).containsExactly(new MqttEvent.PubRel(9));
    }

    @Test
    void subAckMustAnswerEveryFilter() {
        ClientProtocol s = connected(config());
        int id = s.subscribe(List.of(Subscription.of("a", Qos.AT_MOST_ONCE), Subscription.of("b", Qos.AT_LEAST_ONCE)));
        sent(s);
        feed(s, String.format("9003%04x00", id));
        assertThat(events).singleElement().isInstanceOfSatisfying(MqttEvent.Disconnect.class,
                d -> assertThat(d.violation()).isEqualTo(ProtocolViolation.SUBACK_COUNT_MISMATCH));
    }

    @Test
    void keepAliveSendsPingWhenIdleAndTimesOutWithoutPingResp() {
        ClientProtocol s = connected(config().keepAlive(Duration.ofSeconds(10)).pingTimeout(Duration.ofSeconds(3)));
        sent(s);
        s.written(1, now); // something went out at t=1000
        assertThat(s.nextDeadline()).isEqualTo(now + 10_000);
        now += 9_999;
        s.tick(now);
        assertThat(sent(s)).isEmpty();
        now += 1;
        s.tick(now);
        assertThat(sent(s)).isEqualTo("c000");
        s.written(2, now);
        assertThat(s.nextDeadline()).isEqualTo(now + 3_000);
        now += 2_999;
        s.tick(now);
        assertThat(events).isEmpty();
        now += 1;
        s.tick(now);
        assertThat(events).singleElement().isInstanceOfSatisfying(MqttEvent.Disconnect.class,
                d -> assertThat(d.reason()).isEqualTo(DisconnectReason.KEEP_ALIVE_TIMEOUT));
    }

    @Test
    void pingRespClearsTheTimeout() {
        ClientProtocol s = connected(config().keepAlive(Duration.ofSeconds(10)).pingTimeout(Duration.ofSeconds(3)));
        s.ping(now);
        sent(s);
        feed(s, "d000");
        now += 5_000;
        s.tick(now);
        assertThat(events).containsExactly(new MqttEvent.PingResp());
    }

    @Test
    void missingConnAckTimesOut() {
        ClientProtocol s = session(config().connectTimeout(Duration.ofMillis(500)));
        s.start(now);
        now += 500;
        s.tick(now);
        assertThat(events).singleElement().isInstanceOfSatisfying(MqttEvent.Disconnect.class,
                d -> assertThat(d.reason()).isEqualTo(DisconnectReason.CONNECT_TIMEOUT));
    }

    @Test
    void refusedConnAckReportsTheCodeThenCloses() {
        ClientProtocol s = session(config());
        s.start(now);
        feed(s, "20020004");
        assertThat(events).hasSize(2);
        assertThat(events.get(0)).isEqualTo(new MqttEvent.ConnAck(dev.wren.mqtt.ConnectReturnCode.BAD_USER_NAME_OR_PASSWORD, false));
        assertThat(((MqttEvent.Disconnect) events.get(1)).reason()).isEqualTo(DisconnectReason.REFUSED);
    }

    @Test
    void noRoomToAnswerStopsDecodingUntilTheTransmitSideDrains() {
        // a 16-byte transmit buffer filled by a publish: incoming QoS 1 messages wait until the buffer drains
        ClientProtocol s = connected(config().transmitBufferSize(30));
        assertThat(s.publish("topic", Qos.AT_MOST_ONCE, false, ByteBuffer.wrap(new byte[20]))).isZero();
        ByteBuffer in = ByteBuffer.wrap(HexFormat.of().parseHex("320500016100053205000161000a"));
        s.receive(in, now);
        assertThat(in.position()).isZero();
        sent(s);
        s.receive(in, now);
        assertThat(in.hasRemaining()).isFalse();
        assertThat(sent(s)).isEqualTo("4002000540020" + "00a");
    }

    @Test
    void disconnectWritesDisconnectThenCloses() {
        ClientProtocol s = connected(config());
        s.disconnect(now);
        assertThat(sent(s)).isEqualTo("e000");
        assertThat(events).singleElement().isInstanceOfSatisfying(MqttEvent.Disconnect.class,
                d -> assertThat(d.reason()).isEqualTo(DisconnectReason.NORMAL));
        assertThat(s.state()).isEqualTo(ClientProtocol.State.DISCONNECTED);
    }
    @Test
    void pubRelsGoOutInTheOrderPubRecsArrive() {
        ClientProtocol s = connected(config());
        ByteBuffer p = ByteBuffer.wrap(new byte[0]);
        int a = s.publish("t", Qos.EXACTLY_ONCE, false, p);
        int b = s.publish("t", Qos.EXACTLY_ONCE, false, p);
        int c = s.publish("t", Qos.EXACTLY_ONCE, false, p);
        sent(s);
        feed(s, String.format("5002%04x5002%04x5002%04x", c, a, b));
        assertThat(sent(s)).isEqualTo(String.format("6202%04x6202%04x6202%04x", c, a, b));
    }

    @Test
    void aMessageIsAcknowledgedBeforeItsEventIsHandedOutSoAHandlerThatThrowsCannotLoseTheAck() {
        ClientProtocol s = connected(config());
        s.receive(ByteBuffer.wrap(HexFormat.of().parseHex("3205000161000b")), now);
        // the core's state is complete before anyone sees the event: the PUBACK waits to be written [MQTT-4.5.0-2]
        assertThat(s.outboundEmpty()).isFalse();
        MqttEvent e = s.pollEvent();
        assertThat(e).isInstanceOf(MqttEvent.Publish.class);
        assertThat(s.pollEvent()).isNull();
        assertThat(sent(s)).isEqualTo("4002000b");
        assertThat(s.state()).isEqualTo(ClientProtocol.State.CONNECTED);
    }

    @Test
    void exactlyOnceHoldsAcrossAReconnectWithASession() {
        ClientProtocol s = connected(config().cleanSession(false));
        feed(s, "34060001610007 78"); // QoS 2 id 7, delivered, PUBREC sent, then the connection drops
        assertThat(sent(s)).isEqualTo("50020007");
        s.close(DisconnectReason.IO_ERROR, null, "cut", null);
        events.clear();
        s.start(now);
        sent(s);
        feed(s, "20020100"); // session present
        feed(s, "3c060001610007 78"); // the server resends with DUP: answered, not delivered again
        assertThat(sent(s)).isEqualTo("50020007");
        feed(s, "62020007");
        assertThat(sent(s)).isEqualTo("70020007");
        assertThat(events).filteredOn(e -> e instanceof MqttEvent.Publish).isEmpty();
    }

    @Test
    void cleanSessionForgetsIncomingQos2State() {
        ClientProtocol s = connected(config().cleanSession(true));
        feed(s, "34060001610007 78");
        sent(s);
        s.close(DisconnectReason.IO_ERROR, null, "cut", null);
        events.clear();
        s.start(now);
        sent(s);
        feed(s, "20020000");
        feed(s, "34060001610007 78"); // a new session: id 7 is a new message
        assertThat(events).filteredOn(e -> e instanceof MqttEvent.Publish).hasSize(1);
    }

    @Test
    void keepAliveCountsAnyPacketSentNotJustPings() {
        ClientProtocol s = connected(config().keepAlive(Duration.ofSeconds(10)));
        s.written(1, now);
        now += 6_000;
        s.publish("t", Qos.AT_MOST_ONCE, false, ByteBuffer.wrap(new byte[0]));
        sent(s);
        s.written(1, now);
        s.received(now); // and something came in: only what was sent decides below
        now += 6_000;
        s.tick(now);
        assertThat(sent(s)).isEmpty(); // only 6 s since the PUBLISH
        now += 4_000;
        s.tick(now);
        assertThat(sent(s)).isEqualTo("c000");
    }

    /** Fills the 4096-byte transmit buffer to the last byte: eight QoS 0 PUBLISHes of 512 bytes (topic "t"). */
    private void fillTheTransmitBuffer(ClientProtocol s) {
        for (int i = 0; i < 8; i++) {
            assertThat(s.publishCopy("t", Qos.AT_MOST_ONCE, false, ByteBuffer.wrap(new byte[506]))).isZero();
        }
        assertThat(s.ping(now)).isFalse(); // not even the two bytes of a PINGREQ fit
    }

    @Test
    void aClientThatOnlySendsStillPingsOnceNothingHasComeInForAnInterval() {
        ClientProtocol s = connected(config().keepAlive(Duration.ofSeconds(10)).pingTimeout(Duration.ofSeconds(3)));
        for (int i = 0; i < 4; i++) { // publishing every 2.5 s: never 10 s without sending
            now += 2_500;
            s.publish("t", Qos.AT_MOST_ONCE, false, ByteBuffer.wrap(new byte[] {1}));
            sent(s);
            s.tick(now);
        }
        // 10 s without a byte from the server: a PINGREQ, whose answer shows the connection still works
        assertThat(sent(s)).isEqualTo("c000");
        now += 3_000;
        s.tick(now);
        assertThat(events).singleElement().isInstanceOfSatisfying(MqttEvent.Disconnect.class,
                d -> assertThat(d.reason()).isEqualTo(DisconnectReason.KEEP_ALIVE_TIMEOUT));
    }

    @Test
    void aPingThatFindsNoRoomGoesOutOnceThereIsAndTimesOutFromWhenItWasDue() {
        ClientProtocol s = connected(config().keepAlive(Duration.ofSeconds(10)).pingTimeout(Duration.ofSeconds(3)));
        fillTheTransmitBuffer(s); // nothing is written out: the socket takes nothing
        now += 10_000;
        s.tick(now); // due, but no room for it
        long due = now;
        now += 2_000;
        s.tick(now);
        assertThat(events).isEmpty();
        String out = sent(s); // the socket takes everything now: the owed PINGREQ follows what waited
        assertThat(out).endsWith("c000");
        assertThat(s.nextDeadline()).isEqualTo(due + 3_000);
        now = due + 3_000;
        s.tick(now);
        assertThat(events).singleElement().isInstanceOfSatisfying(MqttEvent.Disconnect.class,
                d -> assertThat(d.reason()).isEqualTo(DisconnectReason.KEEP_ALIVE_TIMEOUT));
    }

    @Test
    void aConnectionThatTakesNothingAtAllTimesOutThoughItsPingCouldNeverBeQueued() {
        ClientProtocol s = connected(config().keepAlive(Duration.ofSeconds(10)).pingTimeout(Duration.ofSeconds(3)));
        fillTheTransmitBuffer(s);
        now += 10_000;
        s.tick(now);
        assertThat(s.nextDeadline()).isEqualTo(now + 3_000);
        now += 3_000;
        s.tick(now);
        assertThat(events).singleElement().isInstanceOfSatisfying(MqttEvent.Disconnect.class,
                d -> assertThat(d.reason()).isEqualTo(DisconnectReason.KEEP_ALIVE_TIMEOUT));
    }

    @Test
    void incomingQos2IsAcknowledgedWithPubRecInArrivalOrder() {
        ClientProtocol s = connected(config());
        feed(s, "3405000161 0009 3405000161 0002 3405000161 0005".replace(" ", ""));
        assertThat(sent(s)).isEqualTo("50020009" + "50020002" + "50020005");
    }

    /** Three messages in flight: QoS 1 "a", QoS 2 "b", and QoS 2 "c" already PUBREC'd (its PUBREL sent). */
    private ClientProtocol threeInFlightThenCut(ProtocolConfig.Builder b) {
        ClientProtocol s = connected(b);
        assertThat(s.publish("t", Qos.AT_LEAST_ONCE, false, ByteBuffer.wrap(new byte[] {'a'}))).isEqualTo(1);
        assertThat(s.publish("t", Qos.EXACTLY_ONCE, false, ByteBuffer.wrap(new byte[] {'b'}))).isEqualTo(2);
        assertThat(s.publish("t", Qos.EXACTLY_ONCE, false, ByteBuffer.wrap(new byte[] {'c'}))).isEqualTo(3);
        sent(s);
        feed(s, "50020003");
        assertThat(sent(s)).isEqualTo("62020003");
        s.close(DisconnectReason.IO_ERROR, null, "cut", null);
        events.clear();
        s.start(now);
        sent(s);
        return s;
    }

    @Test
    void aResumedSessionResendsPublishesWithDupAndPendingPubRelsInTheirOriginalOrder() {
        ClientProtocol s = threeInFlightThenCut(config().cleanSession(false));
        feed(s, "20020100"); // session present
        // [MQTT-4.4.0-1]: PUBLISH 1 and 2 again with DUP (0x3a QoS 1, 0x3c QoS 2) and their identifiers, then PUBREL 3
        assertThat(sent(s)).isEqualTo("3a06000174000161" + "3c06000174000262" + "62020003");
        assertThat(s.publish("t", Qos.AT_LEAST_ONCE, false, ByteBuffer.wrap(new byte[] {'d'}))).isEqualTo(4);
        feed(s, "40020001" + "50020002" + "70020003");
        assertThat(sent(s)).isEqualTo("3206000174000464" + "62020002");
        assertThat(events).containsExactly(new MqttEvent.ConnAck(dev.wren.mqtt.ConnectReturnCode.ACCEPTED, true),
                new MqttEvent.PubAck(1), new MqttEvent.PubRec(2), new MqttEvent.PubComp(3));
    }

    @Test
    void newPublishesWaitBehindAResendThatDoesNotFitTheTransmitBufferAtOnce() {
        ClientProtocol s = connected(config().cleanSession(false).transmitBufferSize(64));
        for (int i = 1; i <= 3; i++) {
            assertThat(s.publishCopy("t", Qos.AT_LEAST_ONCE, false, ByteBuffer.wrap(new byte[40]))).isEqualTo(i);
            sent(s);
        }
        s.close(DisconnectReason.IO_ERROR, null, "cut", null);
        s.start(now);
        sent(s);
        feed(s, "20020100");
        // one 47-byte PUBLISH fits the 64-byte buffer at a time: the new message must wait for all three
        assertThat(s.publish("t", Qos.AT_LEAST_ONCE, false, ByteBuffer.wrap(new byte[1])))
                .isEqualTo(ClientProtocol.WOULD_BLOCK);
        String resent = sent(s);
        assertThat(resent).hasSize(3 * 47 * 2).startsWith("3a2d00017400" + "01").contains("3a2d00017400" + "03");
        assertThat(s.publish("t", Qos.AT_LEAST_ONCE, false, ByteBuffer.wrap(new byte[1]))).isEqualTo(4);
    }

    @Test
    void withoutASessionTheForgottenMessagesAreReportedAndTheirIdentifiersFreed() {
        ClientProtocol s = threeInFlightThenCut(config().cleanSession(false));
        feed(s, "20020000"); // no session on the server
        assertThat(sent(s)).isEmpty(); // nothing re-sent: the server would take them for new messages
        assertThat(events).hasSize(2).last().isInstanceOfSatisfying(MqttEvent.SessionLost.class, lost -> {
            assertThat(lost.messages()).extracting(UnacknowledgedMessage::messageId).containsExactly(1, 2, 3);
            assertThat(lost.messages()).extracting(UnacknowledgedMessage::released).containsExactly(false, false, true);
            assertThat(lost.messages().get(1).payload().get(0)).isEqualTo((byte) 'b');
        });
        assertThat(s.inflight()).isZero();
        assertThat(s.publish("t", Qos.AT_LEAST_ONCE, false, ByteBuffer.wrap(new byte[0]))).isEqualTo(4);
    }

    @Test
    void aCleanSessionClientReportsItsUnfinishedMessagesAfterEveryReconnect() {
        ClientProtocol s = threeInFlightThenCut(config().cleanSession(true));
        feed(s, "20020000");
        assertThat(events).filteredOn(e -> e instanceof MqttEvent.SessionLost).singleElement()
                .satisfies(e -> assertThat(((MqttEvent.SessionLost) e).messages()).hasSize(3));
    }

    @Test
    void subscribeAndUnsubscribeRequestsEndWithTheirConnectionWhilePublishesStay() {
        ClientProtocol s = connected(config().cleanSession(false));
        int sub = s.subscribe(List.of(Subscription.of("a/#", Qos.AT_LEAST_ONCE)));
        int pub = s.publish("t", Qos.AT_LEAST_ONCE, false, ByteBuffer.wrap(new byte[0]));
        sent(s);
        s.close(DisconnectReason.IO_ERROR, null, "cut", null);
        assertThat(s.inflight()).as("the publish only").isEqualTo(1);
        s.start(now);
        sent(s);
        feed(s, "20020100");
        assertThat(sent(s)).isEqualTo(String.format("3a050001 74%04x", pub).replace(" ", ""));
        feed(s, String.format("9003%04x01", sub)); // a SUBACK for the old connection's request: not in flight
        assertThat(events).last().isInstanceOfSatisfying(MqttEvent.Disconnect.class,
                d -> assertThat(d.violation()).isEqualTo(ProtocolViolation.UNEXPECTED_ACKNOWLEDGEMENT));
    }

    @Test
    void theSessionRemembersGrantedSubscriptionsUntilUnsubscribedOrTheServerForgetsThem() {
        ClientProtocol s = connected(config().cleanSession(false));
        int sub = s.subscribe(List.of(Subscription.of("a/#", Qos.EXACTLY_ONCE), Subscription.of("b", Qos.AT_LEAST_ONCE)));
        sent(s);
        feed(s, String.format("9004%04x0180", sub)); // "a/#" granted QoS 1, "b" refused
        assertThat(s.subscriptions()).containsExactly(java.util.Map.entry("a/#", Qos.AT_LEAST_ONCE));
        int unsub = s.unsubscribe(List.of("a/#"));
        sent(s);
        feed(s, String.format("b002%04x", unsub));
        assertThat(s.subscriptions()).isEmpty();
        sub = s.subscribe(List.of(Subscription.of("c", Qos.AT_MOST_ONCE)));
        sent(s);
        feed(s, String.format("9003%04x00", sub));
        s.close(DisconnectReason.IO_ERROR, null, "cut", null);
        s.start(now);
        sent(s);
        feed(s, "20020100");
        assertThat(s.subscriptions()).containsOnlyKeys("c"); // resumed: still there
        s.close(DisconnectReason.IO_ERROR, null, "cut", null);
        s.start(now);
        sent(s);
        feed(s, "20020000");
        assertThat(s.subscriptions()).isEmpty(); // the server has no session: nor its subscriptions
    }

    @Test
    void restoredMessagesAreResentWhenTheSessionResumes() {
        ClientProtocol s = session(config().cleanSession(false));
        s.restore(new UnacknowledgedMessage(9, "t", Qos.EXACTLY_ONCE, false, ByteBuffer.wrap(new byte[] {'z'}), false));
        s.restore(new UnacknowledgedMessage(5, "t", Qos.EXACTLY_ONCE, false, ByteBuffer.wrap(new byte[0]), true));
        assertThatThrownBy(() -> s.restore(new UnacknowledgedMessage(5, "t", Qos.AT_LEAST_ONCE, false,
                ByteBuffer.wrap(new byte[0]), false))).isInstanceOf(IllegalStateException.class);
        s.start(now);
        sent(s);
        feed(s, "20020100");
        assertThat(sent(s)).isEqualTo("3c0600017400097a" + "62020005");
    }

    @Test
    void theSendWindowCountsOnlyPublishes() {
        ClientProtocol s = connected(config().maxInflight(1));
        assertThat(s.publish("t", Qos.AT_LEAST_ONCE, false, ByteBuffer.wrap(new byte[0]))).isEqualTo(1);
        assertThat(s.sendWindowFull()).isTrue();
        assertThat(s.subscribe(List.of(Subscription.of("a", Qos.AT_MOST_ONCE)))).isEqualTo(2);
        assertThat(s.publish("t", Qos.EXACTLY_ONCE, false, ByteBuffer.wrap(new byte[0])))
                .isEqualTo(ClientProtocol.WOULD_BLOCK);
        sent(s);
        feed(s, "40020001");
        assertThat(s.sendWindowFull()).isFalse();
    }
}
