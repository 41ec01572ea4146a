package dev.wren.mqtt.internal.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wren.mqtt.DisconnectReason;
import dev.wren.mqtt.MqttEvent;
import dev.wren.mqtt.ProtocolVersion;
import dev.wren.mqtt.ProtocolViolation;
import dev.wren.mqtt.Qos;
import dev.wren.mqtt.ReasonCode;
import dev.wren.mqtt.Subscription;
import dev.wren.mqtt.internal.codec.Properties;
import dev.wren.mqtt.internal.codec.Property;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The protocol core speaking MQTT 5.0: what CONNECT asks, what the client does with what CONNACK grants, what it
 * holds the server to, reason codes and properties reaching the application. Bytes written by hand from chapter 3
 * and section 4.13 of the specification.
 */
class Mqtt5ProtocolTest {

    private final ProtocolHarness h = new ProtocolHarness();

    private static ProtocolConfig.Builder config() {
        return ProtocolConfig.builder().protocolVersion(ProtocolVersion.MQTT_5).clientId("wren")
                .keepAlive(Duration.ofSeconds(10));
    }

    /** A core connected with a CONNACK whose properties are {@code connAckProperties} (hex, Property Length first). */
    private ClientProtocol connected(ProtocolConfig.Builder b, String connAckProperties) {
        ClientProtocol s = h.core(b.build());
        s.start(h.now);
        h.sent(s);
        int length = connAckProperties.replace(" ", "").length() / 2;
        h.feed(s, "20" + String.format("%02x", 2 + length) + "0000" + connAckProperties);
        assertThat(s.state()).isEqualTo(ClientProtocol.State.CONNECTED);
        h.events.clear();
        return s;
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private MqttEvent.Disconnect lastDisconnect() {
        return (MqttEvent.Disconnect) h.events.stream().filter(e -> e instanceof MqttEvent.Disconnect)
                .reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void connectCarriesTheSessionAndFlowControlPropertiesConfigured() {
        ClientProtocol s = h.core(config().sessionExpiryInterval(120).receiveMaximum(10).topicAliasMaximum(5)
                .maxIncomingPacketSize(1000).build());
        s.start(h.now);
        // level 5, clean start, keep-alive 10; Property Length 16: session expiry 120, receive maximum 10,
        // topic alias maximum 5, maximum packet size 1000 (identifier order); client id "wren"
        assertThat(h.sent(s)).isEqualTo("102100044d5154540502000a" + "10" + "1100000078" + "21000a" + "220005"
                + "27000003e8" + "00047772656e");
    }

    @Test
    void theClientNeverExceedsWhatTheServerGranted() {
        // Receive Maximum 2, Maximum QoS 1, Retain Available 0, Maximum Packet Size 30
        ClientProtocol s = connected(config(), "0c 210002 2401 2500 270000001e");
        assertThatThrownBy(() -> s.publish("t", Qos.EXACTLY_ONCE, false, bytes("x")))
                .hasMessageContaining("Maximum QoS of 1").hasMessageContaining("[MQTT-3.2.2-11]");
        assertThatThrownBy(() -> s.publish("t", Qos.AT_MOST_ONCE, true, bytes("x")))
                .hasMessageContaining("retain").hasMessageContaining("[MQTT-3.2.2-14]");
        assertThatThrownBy(() -> s.publish("t", Qos.AT_MOST_ONCE, false, bytes("a payload that makes it long")))
                .hasMessageContaining("Maximum Packet Size of 30");
        assertThat(s.publish("t", Qos.AT_LEAST_ONCE, false, bytes("1"))).isEqualTo(1);
        assertThat(s.publish("t", Qos.AT_LEAST_ONCE, false, bytes("2"))).isEqualTo(2);
        assertThat(s.sendWindowFull()).isTrue();
        assertThat(s.publish("t", Qos.AT_LEAST_ONCE, false, bytes("3"))).as("the server's send quota is used up")
                .isEqualTo(ClientProtocol.WOULD_BLOCK);
        assertThat(s.publish("t", Qos.AT_MOST_ONCE, false, bytes("q0"))).as("QoS 0 takes no quota").isZero();
        assertThat(s.subscribe(List.of(Subscription.of("x", Qos.AT_MOST_ONCE)))).as("other packets are not held "
                + "back by the quota [MQTT-3.3.4-8]").isPositive();
        assertThat(s.ping(h.now)).isTrue();
        h.sent(s);
        h.feed(s, "40020001");
        assertThat(s.publish("t", Qos.AT_LEAST_ONCE, false, bytes("3"))).isPositive();
    }

    @Test
    void topicAliasesStartAfreshOnEachConnection() {
        ClientProtocol s = connected(config(), "03 220002");
        s.publish("a", Qos.AT_MOST_ONCE, false, bytes("1"));
        h.sent(s);
        s.close(DisconnectReason.IO_ERROR, null, "lost", null);
        s.start(h.now);
        h.sent(s);
        h.feed(s, "2006 0000 03 220002"); // Topic Alias Maximum 2 again
        s.publish("a", Qos.AT_MOST_ONCE, false, bytes("2"));
        assertThat(h.sent(s)).as("the name again, with an alias new to this connection [MQTT-3.3.2-7]")
                .isEqualTo("3008" + "000161" + "03230001" + "32");
    }

    @Test
    void sessionPresentAfterACleanStartEndsTheConnection() {
        ClientProtocol s = h.core(config().build());
        s.start(h.now);
        h.sent(s);
        h.feed(s, "2003 0100 00");
        assertThat(h.sent(s)).isEqualTo("e00182");
        assertThat(lastDisconnect().violation()).isEqualTo(ProtocolViolation.SESSION_PRESENT_WITHOUT_SESSION);
    }

    @Test
    void anAuthWithReservedFlagsIsMalformed() {
        ClientProtocol s = connected(config(), "00");
        h.feed(s, "f100");
        assertThat(h.sent(s)).isEqualTo("e00181");
        assertThat(lastDisconnect().violation()).isEqualTo(ProtocolViolation.INVALID_FIXED_HEADER_FLAGS);
    }

    @Test
    void disconnectPropertiesLeaveOutTheReasonStringBeyondTheServersMaximumPacketSize() {
        ClientProtocol s = connected(config(), "05 2700000008"); // Maximum Packet Size 8
        s.disconnect(h.now, ReasonCode.NORMAL_DISCONNECTION, Properties.builder()
                .put(Property.REASON_STRING, "far too long a reason").build());
        assertThat(h.sent(s)).isEqualTo("e000"); // without the Reason String it is two bytes [MQTT-3.14.2-3]
    }

    @Test
    void theServerKeepAliveReplacesTheClients() {
        ClientProtocol s = connected(config(), "03 130002");
        assertThat(s.nextDeadline()).isEqualTo(h.now + 2_000);
    }

    @Test
    void anAssignedClientIdentifierIsUsedOnTheNextConnect() {
        ClientProtocol s = h.core(config().clientId("").cleanSession(false).sessionExpiryInterval(60).build());
        s.start(h.now);
        assertThat(h.sent(s)).endsWith("0000"); // an empty client identifier
        h.feed(s, "2008 0000 05 120002 6964"); // Assigned Client Identifier "id"
        s.close(DisconnectReason.IO_ERROR, null, "lost", null);
        s.start(h.now);
        assertThat(h.sent(s)).endsWith("00026964");
    }

    @Test
    void outgoingTopicsGetAliasesTheLeastRecentlyUsedGivingWayWithinTheServersMaximum() {
        ClientProtocol s = connected(config(), "03 220002"); // Topic Alias Maximum 2
        s.publish("a", Qos.AT_MOST_ONCE, false, bytes("1"));
        s.publish("a", Qos.AT_MOST_ONCE, false, bytes("2"));
        s.publish("b", Qos.AT_MOST_ONCE, false, bytes("3"));
        s.publish("a", Qos.AT_MOST_ONCE, false, bytes("4"));
        s.publish("c", Qos.AT_MOST_ONCE, false, bytes("5")); // b is the least recently used: c takes alias 2
        assertThat(h.sent(s)).isEqualTo(
                "3008" + "000161" + "03230001" + "31"      // name and alias 1
                + "3007" + "0000" + "03230001" + "32"      // alias alone
                + "3008" + "000162" + "03230002" + "33"
                + "3007" + "0000" + "03230001" + "34"
                + "3008" + "000163" + "03230002" + "35");
    }

    @Test
    void aliasesCanBeTurnedOff() {
        ClientProtocol s = connected(config().topicAliases(false), "03 220002");
        s.publish("a", Qos.AT_MOST_ONCE, false, bytes("1"));
        assertThat(h.sent(s)).isEqualTo("3005" + "000161" + "00" + "31");
    }

    @Test
    void incomingAliasesResolveToTheirTopicAndOneAboveTheMaximumEndsTheConnection() {
        ClientProtocol s = connected(config().topicAliasMaximum(2), "00");
        h.feed(s, "3008 000178 03230001 31"); // "x" with alias 1
        h.feed(s, "3007 0000 03230001 32");   // alias 1 alone
        assertThat(h.events).extracting(e -> ((MqttEvent.Publish) e).topic()).containsExactly("x", "x");
        h.feed(s, "3007 0000 03230003 33");   // alias 3: above the maximum of 2
        assertThat(h.sent(s)).isEqualTo("e00194"); // DISCONNECT, Topic Alias invalid [MQTT-3.3.2-10]
        MqttEvent.Disconnect d = lastDisconnect();
        assertThat(d.reason()).isEqualTo(DisconnectReason.PROTOCOL_VIOLATION);
        assertThat(d.violation()).isEqualTo(ProtocolViolation.TOPIC_ALIAS_INVALID);
        assertThat(d.reasonCode()).isEqualTo(ReasonCode.TOPIC_ALIAS_INVALID);
        assertThat(s.state()).isEqualTo(ClientProtocol.State.DISCONNECTED);
    }

    @Test
    void anAliasTheClientDidNotAllowIsInvalid() {
        ClientProtocol s = connected(config(), "00"); // Topic Alias Maximum 0 (not sent)
        h.feed(s, "3008 000178 03230001 31");
        assertThat(h.sent(s)).isEqualTo("e00194");
        assertThat(lastDisconnect().violation()).isEqualTo(ProtocolViolation.TOPIC_ALIAS_INVALID);
    }

    @Test
    void aServerExceedingTheClientsReceiveMaximumIsDisconnected() {
        ClientProtocol s = connected(config().receiveMaximum(1).deferredAcks(true), "00");
        h.feed(s, "3206 000178 0001 00"); // QoS 1, id 1, not acknowledged yet
        assertThat(h.sent(s)).isEmpty();
        s.acknowledge(1);
        assertThat(h.sent(s)).isEqualTo("40020001");
        h.feed(s, "3206 000178 0002 00");
        h.feed(s, "3206 000178 0003 00"); // a second unacknowledged one: over the maximum of 1
        assertThat(h.sent(s)).isEqualTo("e00193");
        assertThat(lastDisconnect().violation()).isEqualTo(ProtocolViolation.RECEIVE_MAXIMUM_EXCEEDED);
    }

    @Test
    void aReceiveMaximumNotEnforcedTakesTheExcess() {
        ClientProtocol s = connected(config().receiveMaximum(1).deferredAcks(true).enforceReceiveMaximum(false), "00");
        h.feed(s, "3206 000178 0001 00");
        h.feed(s, "3206 000178 0002 00");
        assertThat(h.events).hasSize(2).allMatch(e -> e instanceof MqttEvent.Publish);
        assertThat(s.state()).isEqualTo(ClientProtocol.State.CONNECTED);
    }

    @Test
    void theReceiveMaximumCountsOnlyWhatIsStillUnacknowledged() {
        ClientProtocol s = connected(config().receiveMaximum(2).deferredAcks(true), "00");
        for (int round = 0; round < 3; round++) {
            int a = 2 * round + 1;
            h.feed(s, String.format("3206 000178 %04x 00", a));
            h.feed(s, String.format("3206 000178 %04x 00", a + 1));
            for (int id = 1; id <= a + 1; id++) {
                s.acknowledge(id); // earlier ones again too: nothing happens for them
            }
            assertThat(h.sent(s)).isEqualTo(String.format("4002%04x4002%04x", a, a + 1));
        }
        assertThat(h.events).noneMatch(e -> e instanceof MqttEvent.Disconnect);
    }

    @Test
    void aServersDisconnectReachesTheApplicationWithItsReason() {
        ClientProtocol s = connected(config(), "00");
        h.feed(s, "e00a 8b 08 1c0005 6f74686572"); // Server shutting down, Server Reference "other"
        MqttEvent.Disconnect d = lastDisconnect();
        assertThat(d.reason()).isEqualTo(DisconnectReason.SERVER_DISCONNECT);
        assertThat(d.reasonCode()).isEqualTo(ReasonCode.SERVER_SHUTTING_DOWN);
        assertThat(d.properties().serverReference()).contains("other");
        assertThat(d.message()).contains("SERVER_SHUTTING_DOWN").contains("other");
        assertThat(h.sent(s)).isEmpty();
    }

    @Test
    void aMalformedPacketIsAnsweredWithDisconnectMalformedPacketBeforeClosing() {
        ClientProtocol s = connected(config(), "00");
        h.feed(s, "3006 000178 02 7f00"); // an unknown property identifier
        assertThat(h.sent(s)).isEqualTo("e00181");
        MqttEvent.Disconnect d = lastDisconnect();
        assertThat(d.violation()).isEqualTo(ProtocolViolation.UNKNOWN_PROPERTY);
        assertThat(d.reasonCode()).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void aPacketOverTheClientsMaximumIsAnsweredWithPacketTooLarge() {
        ClientProtocol s = connected(config().maxIncomingPacketSize(10), "00");
        h.feed(s, "300a 000178 00 31323334 3536");
        assertThat(h.sent(s)).isEqualTo("e00195");
        assertThat(lastDisconnect().violation()).isEqualTo(ProtocolViolation.PACKET_TOO_LARGE);
    }

    @Test
    void authWithoutAnAuthenticationMethodIsAProtocolError() {
        ClientProtocol s = connected(config(), "00");
        h.feed(s, "f000");
        assertThat(h.sent(s)).isEqualTo("e00182");
        assertThat(lastDisconnect().violation()).isEqualTo(ProtocolViolation.UNEXPECTED_AUTH);
    }

    @Test
    void acknowledgementReasonCodesReachTheApplicationAndARefusedQos2EndsWithoutPubRel() {
        ClientProtocol s = connected(config(), "00");
        s.publish("t", Qos.AT_LEAST_ONCE, false, bytes("1"));
        s.publish("t", Qos.EXACTLY_ONCE, false, bytes("2"));
        h.sent(s);
        h.feed(s, "4003000110");                 // PUBACK: no matching subscribers
        h.feed(s, "5008 0002 87 04 1f00016e");  // PUBREC: not authorized, Reason String "n"
        assertThat(h.events.get(0)).isEqualTo(new MqttEvent.PubAck(1, ReasonCode.NO_MATCHING_SUBSCRIBERS,
                dev.wren.mqtt.MqttProperties.none()));
        MqttEvent.PubRec rec = (MqttEvent.PubRec) h.events.get(1);
        assertThat(rec.reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
        assertThat(rec.properties().reasonString()).contains("n");
        assertThat(h.sent(s)).as("no PUBREL for a refused message [MQTT-4.3.3-4]").isEmpty();
        assertThat(s.inflight()).isZero();
    }

    @Test
    void subscribeCarriesOptionsAndASubscriptionIdentifierAndTheAcksCarryAReasonPerFilter() {
        ClientProtocol s = connected(config(), "00");
        int id = s.subscribe(List.of(new Subscription("a", Qos.AT_LEAST_ONCE).withNoLocal(true)
                        .withRetainHandling(Subscription.RetainHandling.DO_NOT_SEND),
                Subscription.of("$share/g/b", Qos.AT_MOST_ONCE)), 7, Properties.NONE);
        // id, Property Length 2: subscription identifier 7; "a" options 0x25; "$share/g/b" options 0x00
        assertThat(h.sent(s)).isEqualTo("8216" + "0001" + "02" + "0b07" + "000161" + "25" + "000a24736861"
                + "72652f672f62" + "00");
        h.feed(s, "9005 0001 00 01 9e"); // granted QoS 1; shared subscriptions not supported
        MqttEvent.SubAck ack = (MqttEvent.SubAck) h.events.get(0);
        assertThat(ack.messageId()).isEqualTo(id);
        assertThat(ack.reasonCodes()).containsExactly(ReasonCode.GRANTED_QOS_1,
                ReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED);
        assertThat(s.subscriptions()).containsOnlyKeys("a");
        s.unsubscribe(List.of("a", "c"));
        assertThat(h.sent(s)).isEqualTo("a209" + "0002" + "00" + "000161" + "000163");
        h.feed(s, "b005 0002 00 00 11");
        assertThat(((MqttEvent.UnsubAck) h.events.get(1)).reasonCodes()).containsExactly(ReasonCode.SUCCESS,
                ReasonCode.NO_SUBSCRIPTION_EXISTED);
        assertThat(s.subscriptions()).isEmpty();
    }

    @Test
    void noLocalOnASharedSubscriptionIsRefusedWhenBuilt() {
        assertThatThrownBy(() -> Subscription.of("$share/g/a", Qos.AT_MOST_ONCE).withNoLocal(true))
                .hasMessageContaining("[MQTT-3.8.3-4]");
        assertThatThrownBy(() -> Subscription.of("$share//a", Qos.AT_MOST_ONCE)).hasMessageContaining("filter");
        for (String bad : List.of("$share/a+b/x", "$share/a#/x", "$share/g", "$share/g/")) {
            assertThatThrownBy(() -> Subscription.of(bad, Qos.AT_MOST_ONCE)).as(bad).hasMessageContaining("filter");
        }
        assertThat(Subscription.of("$share/g/a/#", Qos.AT_MOST_ONCE).filter()).isEqualTo("$share/g/a/#");
    }

    @Test
    void aPublishCarriesItsPropertiesAndAReceivedOneHandsThemOn() {
        ClientProtocol s = connected(config(), "00");
        s.publish("t", Qos.AT_MOST_ONCE, false, bytes("x"), Properties.builder()
                .put(Property.CONTENT_TYPE, "c").user("k", "v").build());
        assertThat(h.sent(s)).isEqualTo("3010" + "000174" + "0b" + "03000163" + "2600016b000176" + "78");
        h.feed(s, "300e 000174 09 0b05 2600016b000176 78");
        MqttEvent.Publish p = (MqttEvent.Publish) h.events.get(0);
        assertThat(p.properties().subscriptionIdentifiers()).containsExactly(5);
        assertThat(p.properties().userProperties()).containsExactly(new dev.wren.mqtt.UserProperty("k", "v"));
    }

    @Test
    void disconnectCanAskForTheWillAndChangeTheSessionExpiry() {
        ClientProtocol s = connected(config().sessionExpiryInterval(60), "00");
        s.disconnect(h.now, ReasonCode.DISCONNECT_WITH_WILL_MESSAGE, Properties.builder()
                .put(Property.SESSION_EXPIRY_INTERVAL, 0).build());
        assertThat(h.sent(s)).isEqualTo("e007" + "04" + "05" + "1100000000");
        assertThat(lastDisconnect().reason()).isEqualTo(DisconnectReason.NORMAL);
        assertThat(lastDisconnect().reasonCode()).isEqualTo(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE);
    }

    @Test
    void aRefusingConnAckReportsItsReasonCode() {
        ClientProtocol s = h.core(config().build());
        s.start(h.now);
        h.sent(s);
        h.feed(s, "2007 0087 04 1f00016e"); // Not authorized, Reason String "n"
        MqttEvent.ConnAck a = (MqttEvent.ConnAck) h.events.get(0);
        assertThat(a.accepted()).isFalse();
        assertThat(a.reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
        assertThat(lastDisconnect().reason()).isEqualTo(DisconnectReason.REFUSED);
        assertThat(lastDisconnect().message()).contains("NOT_AUTHORIZED (n)");
    }

    @Test
    void aMqtt311ClientRefusesWhatOnlyMqtt5Has() {
        ProtocolConfig.Builder v311 = ProtocolConfig.builder().clientId("wren");
        ClientProtocol s = h.core(v311.build());
        s.start(h.now);
        h.sent(s);
        h.feed(s, "20020000");
        assertThatThrownBy(() -> s.publish("t", Qos.AT_MOST_ONCE, false, bytes("x"), Properties.builder()
                .user("k", "v").build())).hasMessageContaining("need MQTT 5.0");
        assertThatThrownBy(() -> s.subscribe(List.of(Subscription.of("a", Qos.AT_MOST_ONCE).withNoLocal(true))))
                .hasMessageContaining("need MQTT 5.0");
        assertThatThrownBy(() -> s.disconnect(h.now, ReasonCode.DISCONNECT_WITH_WILL_MESSAGE, null))
                .hasMessageContaining("need MQTT 5.0");
        h.feed(s, "e000"); // a DISCONNECT from a 3.1.1 server is a violation of its own
        assertThat(lastDisconnect().violation()).isEqualTo(ProtocolViolation.PACKET_TYPE_NOT_ALLOWED_FROM_SERVER);
    }
}
