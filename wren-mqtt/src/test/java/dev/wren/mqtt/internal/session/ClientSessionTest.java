package dev.wren.mqtt.internal.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wren.mqtt.DisconnectReason;
import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.MqttEvent;
import dev.wren.mqtt.ProtocolViolation;
import dev.wren.mqtt.Qos;
import dev.wren.mqtt.Subscription;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The protocol state on its own: bytes in, bytes out, time given, no sockets, no threads. */
class ClientSessionTest {

    private final List<MqttEvent> events = new ArrayList<>();
    private long now = 1_000;

    private ClientSession session(MqttClientConfig.Builder b) {
        return new ClientSession(b.build(), new ClientSession.Listener() {
            @Override
            public void event(MqttEvent event) {
                events.add(event);
            }

            @Override
            public void closed(MqttEvent.Disconnect event) {
                events.add(event);
            }
        }, ByteBuffer.allocate(b.build().transmitBufferSize()));
    }

    private static MqttClientConfig.Builder config() {
        return MqttClientConfig.builder().broker("127.0.0.1", 1883).clientId("wren").keepAlive(Duration.ofSeconds(10));
    }

    /** Takes everything the session wants to send, as hex. */
    private String sent(ClientSession s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (!s.outboundEmpty()) {
            int n = s.gather();
            long total = 0;
            for (int i = 0; i < n; i++) {
                ByteBuffer b = s.segments()[i];
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                out.writeBytes(bytes);
                total += bytes.length;
            }
            s.written(total, now);
        }
        return HexFormat.of().formatHex(out.toByteArray());
    }

    private void feed(ClientSession s, String hex) {
        s.receive(ByteBuffer.wrap(HexFormat.of().parseHex(hex.replace(" ", ""))), now);
    }

    private ClientSession connected(MqttClientConfig.Builder b) {
        ClientSession s = session(b);
        s.start(now);
        sent(s);
        feed(s, "20020000");
        assertThat(s.state()).isEqualTo(ClientSession.State.CONNECTED);
        events.clear();
        return s;
    }

    @Test
    void connectIsTheFirstPacketAndCarriesTheConfiguration() {
        ClientSession s = session(config());
        s.start(now);
        // CONNECT 3.1.1, clean session, keep-alive 10, client id "wren"
        assertThat(sent(s)).isEqualTo("101000044d5154540402000a00047772656e");
        assertThat(s.state()).isEqualTo(ClientSession.State.CONNECTING);
    }

    @Test
    void anyPacketBeforeConnAckIsAViolation() {
        ClientSession s = session(config());
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
        ClientSession s = connected(config());
        feed(s, "20020000");
        assertThat(events).singleElement().isInstanceOfSatisfying(MqttEvent.Disconnect.class,
                d -> assertThat(d.violation()).isEqualTo(ProtocolViolation.UNEXPECTED_CONNACK_STATE));
    }

    @Test
    void packetIdsAreNeverReusedWhileInFlightAndWrapAroundSkippingZero() {
        ClientSession s = connected(config());
        Set<Integer> inFlight = new HashSet<>();
        ByteBuffer payload = ByteBuffer.wrap(new byte[] {1});
        // fill 65,535 ids, acknowledge every other one, then allocate again: only freed ids come back
        for (int i = 0; i < 65535; i++) {
            int id = s.publish("t", Qos.AT_LEAST_ONCE, false, payload);
            assertThat(id).isBetween(1, 65535);
            assertThat(inFlight.add(id)).as("id %d reused", id).isTrue();
            sent(s);
        }
        assertThat(s.publish("t", Qos.AT_LEAST_ONCE, false, payload)).isEqualTo(ClientSession.WOULD_BLOCK);
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
        ClientSession s = connected(config().maxInflight(2));
        ByteBuffer p = ByteBuffer.wrap(new byte[0]);
        assertThat(s.publish("t", Qos.AT_LEAST_ONCE, false, p)).isEqualTo(1);
        assertThat(s.publish("t", Qos.EXACTLY_ONCE, false, p)).isEqualTo(2);
        assertThat(s.publish("t", Qos.AT_LEAST_ONCE, false, p)).isEqualTo(ClientSession.WOULD_BLOCK);
        assertThat(s.publish("t", Qos.AT_MOST_ONCE, false, p)).isZero(); // QoS 0 takes no id
    }

    @Test
    void midSizeHeapPayloadsAreCopiedSoThatManyGoOutInOneWrite() {
        ClientSession s = connected(config().transmitBufferSize(4096));
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
        ClientSession s = connected(config().transmitBufferSize(4096));
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
    void publishCopyCopiesAnyPayloadThatFitsAndRefusesOneThatNeverCan() {
        ClientSession s = connected(config().transmitBufferSize(4096));
        ByteBuffer direct = ByteBuffer.allocateDirect(3000);
        assertThat(s.publishCopy("t", Qos.AT_LEAST_ONCE, false, direct)).isEqualTo(1);
        assertThat(s.gather()).isEqualTo(1); // one segment: the copy in the transmit buffer
        s.written(0, now);
        assertThat(s.publishCopy("t", Qos.AT_MOST_ONCE, false, ByteBuffer.allocate(3000)))
                .as("no room until the first is written").isEqualTo(ClientSession.WOULD_BLOCK);
        assertThatThrownBy(() -> s.publishCopy("t", Qos.AT_MOST_ONCE, false, ByteBuffer.allocate(5000)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("transmit buffer of 4096 bytes");
    }

    @Test
    void incomingQos1IsAcknowledgedInArrivalOrder() {
        ClientSession s = connected(config());
        // three QoS 1 PUBLISH with ids 5, 3, 9 in one read
        feed(s, "3205000161 0005 3205000161 0003 3205000161 0009".replace(" ", ""));
        assertThat(sent(s)).isEqualTo("40020005" + "40020003" + "40020009");
        assertThat(events).hasSize(3).allMatch(e -> e instanceof MqttEvent.Publish);
    }

    @Test
    void incomingQos2IsDeliveredOnceUntilReleased() {
        ClientSession s = connected(config());
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
        ClientSession s = connected(config());
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
        ClientSession s = connected(config().manualAcks(true));
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
        ClientSession s = connected(config());
        assertThatThrownBy(() -> s.pubAck(1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("manualAcks");
    }

    @Test
    void unsolicitedAcknowledgementsAreViolationsInStrictMode() {
        assertEachClosesAsUnexpected(config().strictAcknowledgements(true),
                "40020009", "50020009", "70020009", "9003000900", "b0020009");
    }

    /** Each acknowledgement, fed alone to a fresh connected session, closes it with UNEXPECTED_ACKNOWLEDGEMENT. */
    private void assertEachClosesAsUnexpected(MqttClientConfig.Builder b, String... acks) {
        for (String ack : acks) {
            events.clear();
            ClientSession s = connected(b);
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
        ClientSession s = connected(config());
        int id = s.publish("t", Qos.AT_LEAST_ONCE, false, ByteBuffer.wrap(new byte[0]));
        sent(s);
        events.clear();
        feed(s, "40020009");
        feed(s, "70020008");
        assertThat(sent(s)).isEmpty();
        assertThat(events).containsExactly(new MqttEvent.UnexpectedAck("PUBACK", 9),
                new MqttEvent.UnexpectedAck("PUBCOMP", 8));
        assertThat(s.state()).isEqualTo(ClientSession.State.CONNECTED);
        feed(s, String.format("4002%04x", id)); // the message in flight is still acknowledged as usual
        assertThat(events).endsWith(new MqttEvent.PubAck(id));
        assertThat(s.inflight()).isZero();
    }

    @Test
    void anUnknownPubRecIsAnsweredWithPubRelAndItsPubCompTakenSilently() {
        ClientSession s = connected(config());
        events.clear();
        feed(s, "50020009");
        assertThat(sent(s)).isEqualTo("62020009");
        assertThat(events).containsExactly(new MqttEvent.UnexpectedAck("PUBREC", 9));
        feed(s, "50020009"); // repeated: the PUBREL is repeated, nothing reported twice
        assertThat(sent(s)).isEqualTo("62020009");
        feed(s, "70020009");
        assertThat(events).containsExactly(new MqttEvent.UnexpectedAck("PUBREC", 9));
        assertThat(s.inflight()).isZero();
        assertThat(s.state()).isEqualTo(ClientSession.State.CONNECTED);
    }

    @Test
    void anAcknowledgementOfTheWrongKindForAnIdentifierInFlightIsStillAViolation() {
        ClientSession s = connected(config());
        int id = s.publish("t", Qos.AT_LEAST_ONCE, false, ByteBuffer.wrap(new byte[0]));
        sent(s);
        events.clear();
        feed(s, String.format("5002%04x", id)); // PUBREC for a QoS 1 message
        assertThat(events).singleElement().isInstanceOfSatisfying(MqttEvent.Disconnect.class,
                d -> assertThat(d.violation()).isEqualTo(ProtocolViolation.UNEXPECTED_ACKNOWLEDGEMENT));
    }

    @Test
    void deferredAcksGoOutWhenTheApplicationSaysSoInArrivalOrderPerQos() {
        ClientSession s = connected(config().deferredAcks(true));
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
        ClientSession s = connected(config().deferredAcks(true).cleanSession(false));
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
        ClientSession s = connected(config());
        feed(s, "62020009");
        assertThat(sent(s)).isEqualTo("70020009");
        assertThat(events).containsExactly(new MqttEvent.PubRel(9));
    }

    @Test
    void subAckMustAnswerEveryFilter() {
        ClientSession s = connected(config());
        int id = s.subscribe(List.of(Subscription.of("a", Qos.AT_MOST_ONCE), Subscription.of("b", Qos.AT_LEAST_ONCE)));
        sent(s);
        feed(s, String.format("9003%04x00", id));
        assertThat(events).singleElement().isInstanceOfSatisfying(MqttEvent.Disconnect.class,
                d -> assertThat(d.violation()).isEqualTo(ProtocolViolation.SUBACK_COUNT_MISMATCH));
    }

    @Test
    void keepAliveSendsPingWhenIdleAndTimesOutWithoutPingResp() {
        ClientSession s = connected(config().keepAlive(Duration.ofSeconds(10)).pingTimeout(Duration.ofSeconds(3)));
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
        ClientSession s = connected(config().keepAlive(Duration.ofSeconds(10)).pingTimeout(Duration.ofSeconds(3)));
        s.ping(now);
        sent(s);
        feed(s, "d000");
        now += 5_000;
        s.tick(now);
        assertThat(events).containsExactly(new MqttEvent.PingResp());
    }

    @Test
    void missingConnAckTimesOut() {
        ClientSession s = session(config().connectTimeout(Duration.ofMillis(500)));
        s.start(now);
        now += 500;
        s.tick(now);
        assertThat(events).singleElement().isInstanceOfSatisfying(MqttEvent.Disconnect.class,
                d -> assertThat(d.reason()).isEqualTo(DisconnectReason.CONNECT_TIMEOUT));
    }

    @Test
    void refusedConnAckReportsTheCodeThenCloses() {
        ClientSession s = session(config());
        s.start(now);
        feed(s, "20020004");
        assertThat(events).hasSize(2);
        assertThat(events.get(0)).isEqualTo(new MqttEvent.ConnAck(dev.wren.mqtt.ConnectReturnCode.BAD_USER_NAME_OR_PASSWORD, false));
        assertThat(((MqttEvent.Disconnect) events.get(1)).reason()).isEqualTo(DisconnectReason.REFUSED);
    }

    @Test
    void noRoomToAnswerStopsDecodingUntilTheTransmitSideDrains() {
        // a 16-byte transmit buffer filled by a publish: incoming QoS 1 messages wait until the buffer drains
        ClientSession s = connected(config().transmitBufferSize(30));
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
        ClientSession s = connected(config());
        s.disconnect(now);
        assertThat(sent(s)).isEqualTo("e000");
        assertThat(events).singleElement().isInstanceOfSatisfying(MqttEvent.Disconnect.class,
                d -> assertThat(d.reason()).isEqualTo(DisconnectReason.NORMAL));
        assertThat(s.state()).isEqualTo(ClientSession.State.DISCONNECTED);
    }
    @Test
    void pubRelsGoOutInTheOrderPubRecsArrive() {
        ClientSession s = connected(config());
        ByteBuffer p = ByteBuffer.wrap(new byte[0]);
        int a = s.publish("t", Qos.EXACTLY_ONCE, false, p);
        int b = s.publish("t", Qos.EXACTLY_ONCE, false, p);
        int c = s.publish("t", Qos.EXACTLY_ONCE, false, p);
        sent(s);
        feed(s, String.format("5002%04x5002%04x5002%04x", c, a, b));
        assertThat(sent(s)).isEqualTo(String.format("6202%04x6202%04x6202%04x", c, a, b));
    }

    @Test
    void aMessageIsAcknowledgedEvenWhenTheHandlerThrows() {
        List<MqttEvent> seen = new ArrayList<>();
        MqttClientConfig cfg = config().build();
        ClientSession s = new ClientSession(cfg, new ClientSession.Listener() {
            @Override
            public void event(MqttEvent event) {
                seen.add(event);
                if (event instanceof MqttEvent.Publish) {
                    throw new IllegalStateException("application bug");
                }
            }

            @Override
            public void closed(MqttEvent.Disconnect event) {
                seen.add(event);
            }
        }, ByteBuffer.allocate(cfg.transmitBufferSize()));
        s.start(now);
        sent(s);
        feed(s, "20020000");
        ByteBuffer in = ByteBuffer.wrap(HexFormat.of().parseHex("3205000161000b"));
        assertThatThrownBy(() -> s.receive(in, now)).hasMessage("application bug");
        assertThat(sent(s)).isEqualTo("4002000b"); // [MQTT-4.5.0-2]
        assertThat(s.state()).isEqualTo(ClientSession.State.CONNECTED);
    }

    @Test
    void exactlyOnceHoldsAcrossAReconnectWithASession() {
        ClientSession s = connected(config().cleanSession(false));
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
        ClientSession s = connected(config().cleanSession(true));
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
        ClientSession s = connected(config().keepAlive(Duration.ofSeconds(10)));
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
    private void fillTheTransmitBuffer(ClientSession s) {
        for (int i = 0; i < 8; i++) {
            assertThat(s.publishCopy("t", Qos.AT_MOST_ONCE, false, ByteBuffer.wrap(new byte[506]))).isZero();
        }
        assertThat(s.ping(now)).isFalse(); // not even the two bytes of a PINGREQ fit
    }

    @Test
    void aClientThatOnlySendsStillPingsOnceNothingHasComeInForAnInterval() {
        ClientSession s = connected(config().keepAlive(Duration.ofSeconds(10)).pingTimeout(Duration.ofSeconds(3)));
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
        ClientSession s = connected(config().keepAlive(Duration.ofSeconds(10)).pingTimeout(Duration.ofSeconds(3)));
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
        ClientSession s = connected(config().keepAlive(Duration.ofSeconds(10)).pingTimeout(Duration.ofSeconds(3)));
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
        ClientSession s = connected(config());
        feed(s, "3405000161 0009 3405000161 0002 3405000161 0005".replace(" ", ""));
        assertThat(sent(s)).isEqualTo("50020009" + "50020002" + "50020005");
    }

    @Test
    void republishKeepsTheIdentifierAndSetsDupAndPubRelCanBeResent() {
        ClientSession s = connected(config().cleanSession(false));
        assertThat(s.republish("t", Qos.AT_LEAST_ONCE, false, ByteBuffer.wrap(new byte[] {'x'}), 77)).isEqualTo(77);
        assertThat(sent(s)).isEqualTo("3a060001740" + "04d78"); // 0x3a: PUBLISH, DUP, QoS 1
        assertThat(s.resendPubRel(78)).isTrue();
        assertThat(sent(s)).isEqualTo("6202004e");
        feed(s, "4002004d7002004e");
        assertThat(events).containsExactly(new MqttEvent.PubAck(77), new MqttEvent.PubComp(78));
        assertThatThrownBy(() -> s.republish("t", Qos.AT_MOST_ONCE, false, ByteBuffer.allocate(0), 5))
                .isInstanceOf(IllegalArgumentException.class);
        int fresh = s.publish("t", Qos.AT_LEAST_ONCE, false, ByteBuffer.allocate(0));
        assertThatThrownBy(() -> s.republish("t", Qos.AT_LEAST_ONCE, false, ByteBuffer.allocate(0), fresh))
                .isInstanceOf(IllegalStateException.class);
    }
}
