package dev.wren.mqtt.internal.codec;

import static dev.wren.mqtt.internal.codec.Feed.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.mqtt.ProtocolVersion;
import dev.wren.mqtt.Qos;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden byte vectors of MQTT 5.0 packets.
 *
 * <p>Captured from Mosquitto 2.0.11's own tools ({@code mosquitto_pub}/{@code mosquitto_sub -V mqttv5}, with
 * {@code -D} properties) talking to a Mosquitto 2.0.11 broker through the recording proxy
 * {@code src/test/resources/golden/capture_proxy.py}; the output is
 * {@code src/test/resources/golden/mosquitto-2.0.11-mqtt5-capture.txt}, and each vector names the command it came
 * from ("C>S" client to server, "S>C" server to client). The few no tool run produced (a server's DISCONNECT, AUTH)
 * cite the spec section they follow.
 *
 * <p>Every vector is decoded whole and one byte at a time. Wren writes properties in identifier order, user
 * properties last; where mosquitto's tools wrote them in another order (the order of their {@code -D} flags) the
 * vector is marked "any order": the bytes Wren writes are then checked to decode to the same packet and to have the
 * same length, since MQTT 5.0 does not fix the order of properties (only of user properties among themselves).
 */
class GoldenVectors5Test {

    private static final ProtocolVersion V5 = ProtocolVersion.MQTT_5;

    static Stream<Arguments> serverToClient() {
        return Stream.of(
                // mosquitto_pub -V mqttv5 -i wren -t sensors -m hello -q 0 (S>C)
                Arguments.of("CONNACK granting limits", "200900000622000a210014", new Packet.ConnAck(false, 0,
                        props().put(Property.TOPIC_ALIAS_MAXIMUM, 10).put(Property.RECEIVE_MAXIMUM, 20).build())),
                // mosquitto_pub ... -q 1 -D publish user-property k v ... (S>C): no subscriber matched
                Arguments.of("PUBACK no matching subscribers", "4003000110", new Packet.PubAck(1, 0x10, null)),
                // mosquitto_pub ... -q 2 ... (S>C)
                Arguments.of("PUBREC", "50020001", new Packet.PubRec(1)),
                Arguments.of("PUBCOMP", "70020001", new Packet.PubComp(1)),
                // mosquitto_sub -V mqttv5 -t x -E: an empty client id, the server assigns one (S>C)
                Arguments.of("CONNACK assigned client identifier",
                        "203500003222000a1200296175746f2d41454536393642372d334535332d353635352d463539352d46373034"
                                + "3736353335373730210014",
                        new Packet.ConnAck(false, 0, props().put(Property.TOPIC_ALIAS_MAXIMUM, 10)
                                .put(Property.ASSIGNED_CLIENT_IDENTIFIER, "auto-AEE696B7-3E53-5655-F595-F70476535770")
                                .put(Property.RECEIVE_MAXIMUM, 20).build())),
                Arguments.of("SUBACK granted QoS 0", "900400010000", new Packet.SubAck(1, List.of(0), Properties.NONE)),
                // mosquitto_sub -V mqttv5 -i wren -t a -t b/+ -q 1 ... -U a -E (S>C)
                Arguments.of("SUBACK two filters", "90050001000101", new Packet.SubAck(1, List.of(1, 1),
                        Properties.NONE)),
                Arguments.of("UNSUBACK success", "b00400020000", new Packet.UnsubAck(2, List.of(0), Properties.NONE)),
                // mosquitto_sub -V mqttv5 -i wren -t s/# -q 1 -D subscribe subscription-identifier 3 -C 1, while
                //   mosquitto_pub -V mqttv5 -t s/1 -m hi -q 1 -D publish user-property k v -D publish response-topic rt
                Arguments.of("PUBLISH with subscription identifier, response topic, user property",
                        "32180003732f3100010e0b032600016b00017608000272746869",
                        publish("s/1", Qos.AT_LEAST_ONCE, 1, "hi", props().put(Property.SUBSCRIPTION_IDENTIFIER, 3)
                                .user("k", "v").put(Property.RESPONSE_TOPIC, "rt").build())),
                // spec 3.14.2.1: a server's DISCONNECT with reason code 0x8E, no properties
                Arguments.of("DISCONNECT session taken over", "e0018e", new Packet.Disconnect(0x8E, null)),
                // spec 3.14.2.2: a reason code and a Reason String
                Arguments.of("DISCONNECT with reason string", "e0068b041f000162", null),
                // spec 3.15: AUTH continuing, with an Authentication Method "X"
                Arguments.of("AUTH continue", "f006180415000158", new Packet.Auth(0x18,
                        props().put(Property.AUTHENTICATION_METHOD, "X").build())));
    }

    static Stream<Arguments> clientToServer() {
        return Stream.of(
                // mosquitto_pub -V mqttv5 -i wren -t sensors -m hello -q 0 (C>S)
                Arguments.of("CONNECT receive maximum", "101400044d5154540502003c0321001400047772656e", false,
                        connect("wren", props().put(Property.RECEIVE_MAXIMUM, 20).build(), null, null, null)),
                Arguments.of("PUBLISH QoS 0", "300f000773656e736f72730068656c6c6f", false,
                        publish("sensors", Qos.AT_MOST_ONCE, 0, "hello", Properties.NONE)),
                Arguments.of("DISCONNECT", "e000", false, Packet.Disconnect.INSTANCE),
                // mosquitto_pub -V mqttv5 -i wren -t sensors -m hello -q 1 -D publish user-property k v
                //   -D publish content-type text/plain -D publish message-expiry-interval 60
                //   -D publish payload-format-indicator 1 (C>S)
                Arguments.of("PUBLISH QoS 1 with four properties",
                        "322c000773656e736f727300011b2600016b00017603000a746578742f706c61696e020000003c010168656c6c6f",
                        true, publish("sensors", Qos.AT_LEAST_ONCE, 1, "hello", props()
                                .put(Property.PAYLOAD_FORMAT_INDICATOR, 1).put(Property.MESSAGE_EXPIRY_INTERVAL, 60)
                                .put(Property.CONTENT_TYPE, "text/plain").user("k", "v").build())),
                // mosquitto_pub -V mqttv5 -i wren -t sensors -m hello -q 2 -D connect session-expiry-interval 120
                //   -D connect receive-maximum 20 -D connect maximum-packet-size 1000
                //   -D connect topic-alias-maximum 10 -D connect request-problem-information 0
                //   -D connect user-property a b (C>S)
                Arguments.of("CONNECT with session and flow-control properties",
                        "102a00044d5154540502003c19110000007821001427000003e822000a17002600016100016200047772656e",
                        true, connect("wren", props().put(Property.SESSION_EXPIRY_INTERVAL, 120)
                                .put(Property.RECEIVE_MAXIMUM, 20).put(Property.MAXIMUM_PACKET_SIZE, 1000)
                                .put(Property.TOPIC_ALIAS_MAXIMUM, 10).put(Property.REQUEST_PROBLEM_INFORMATION, 0)
                                .user("a", "b").build(), null, null, null)),
                Arguments.of("PUBLISH QoS 2", "3411000773656e736f727300010068656c6c6f", false,
                        publish("sensors", Qos.EXACTLY_ONCE, 1, "hello", Properties.NONE)),
                Arguments.of("PUBREL", "62020001", false, new Packet.PubRel(1)),
                // mosquitto_pub -V mqttv5 -i wren -u user -P secret --will-topic dead --will-payload bye
                //   --will-qos 1 -D will will-delay-interval 5 -D will content-type x -t t -m x (C>S)
                Arguments.of("CONNECT with will properties, user and password",
                        "103700044d51545405ce003c0321001400047772656e0918000000050300017800046465616400036279650004"
                                + "757365720006736563726574",
                        true, connect("wren", props().put(Property.RECEIVE_MAXIMUM, 20).build(), "dead",
                                props().put(Property.WILL_DELAY_INTERVAL, 5).put(Property.CONTENT_TYPE, "x").build(),
                                "user")),
                // mosquitto_pub -V mqttv5 -i wren -t r -m req -D publish response-topic resp
                //   -D publish correlation-data 42 (C>S)
                Arguments.of("PUBLISH request with response topic and correlation data",
                        "30130001720c080004726573700900023432726571", false,
                        publish("r", Qos.AT_MOST_ONCE, 0, "req", props().put(Property.RESPONSE_TOPIC, "resp")
                                .put(Property.CORRELATION_DATA, bytes("42")).build())),
                // mosquitto_sub -V mqttv5 -i wren -t a -t b/+ -q 1 -D subscribe subscription-identifier 7
                //   -D subscribe user-property s t -U a -E (C>S)
                Arguments.of("SUBSCRIBE with subscription identifier and user property",
                        "82160001090b0726000173000174000161010003622f2b01", false,
                        new Packet.Subscribe(1, List.of("a", "b/+"), List.of(Qos.AT_LEAST_ONCE, Qos.AT_LEAST_ONCE),
                                null, props().put(Property.SUBSCRIPTION_IDENTIFIER, 7).user("s", "t").build())),
                Arguments.of("UNSUBSCRIBE", "a206000200000161", false,
                        new Packet.Unsubscribe(2, List.of("a"), Properties.NONE)),
                // mosquitto_sub -V mqttv5 -t x -E (C>S): an empty client identifier
                Arguments.of("CONNECT empty client identifier", "101000044d5154540502003c032100140000", false,
                        connect("", props().put(Property.RECEIVE_MAXIMUM, 20).build(), null, null, null)),
                Arguments.of("SUBSCRIBE QoS 0", "820700010000017800", false,
                        new Packet.Subscribe(1, List.of("x"), List.of(Qos.AT_MOST_ONCE), null, Properties.NONE)),
                // mosquitto_sub ... -D subscribe subscription-identifier 3 -C 1 (C>S)
                Arguments.of("SUBSCRIBE with subscription identifier", "820b0001020b030003732f2301", false,
                        new Packet.Subscribe(1, List.of("s/#"), List.of(Qos.AT_LEAST_ONCE), null,
                                props().put(Property.SUBSCRIPTION_IDENTIFIER, 3).build())),
                Arguments.of("PUBACK", "40020001", false, new Packet.PubAck(1)),
                // spec 3.8.3.1: No Local, Retain As Published, Retain Handling 2 on QoS 1 (0x04|0x08|0x20|0x01)
                Arguments.of("SUBSCRIBE with every option", "8207000100000161" + "2d", false,
                        new Packet.Subscribe(1, List.of("a"), List.of(Qos.AT_LEAST_ONCE), List.of(0x2C),
                                Properties.NONE)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serverToClient")
    void clientDecodesServerPacketWholeAndOneByteAtATime(String name, String hex, Packet expected) throws Exception {
        Packet want = orReasonStringDisconnect(expected);
        assertThat(Feed.whole(decoder(PacketDecoder.Role.CLIENT), hex(hex))).containsExactly(want);
        assertThat(Feed.oneByteAtATime(decoder(PacketDecoder.Role.CLIENT), hex(hex))).containsExactly(want);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serverToClient")
    void serverPacketEncodesToTheCapturedBytes(String name, String hex, Packet expected) throws Exception {
        Packet p = orReasonStringDisconnect(expected);
        byte[] mine = Feed.encode(p);
        if (ANY_ORDER.contains(name)) {
            assertThat(mine).hasSameSizeAs(hex(hex));
            assertThat(Feed.whole(decoder(PacketDecoder.Role.CLIENT), mine)).containsExactly(p);
        } else {
            assertThat(Feed.hex(mine)).isEqualTo(hex);
        }
    }

    /** Server vectors whose properties mosquitto wrote in another order than Wren's. */
    private static final java.util.Set<String> ANY_ORDER = java.util.Set.of("CONNACK granting limits",
            "CONNACK assigned client identifier", "PUBLISH with subscription identifier, response topic, user property");

    @ParameterizedTest(name = "{0}")
    @MethodSource("clientToServer")
    void clientPacketEncodesToTheCapturedBytes(String name, String hex, boolean anyOrder, Packet packet)
            throws Exception {
        byte[] mine = Feed.encode(packet);
        if (anyOrder) {
            assertThat(mine).hasSameSizeAs(hex(hex));
            assertThat(Feed.whole(decoder(PacketDecoder.Role.SERVER), mine)).containsExactly(packet);
        } else {
            assertThat(Feed.hex(mine)).isEqualTo(hex);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clientToServer")
    void serverRoleDecodesClientPacketWholeAndOneByteAtATime(String name, String hex, boolean anyOrder,
                                                             Packet expected) throws Exception {
        assertThat(Feed.whole(decoder(PacketDecoder.Role.SERVER), hex(hex))).containsExactly(expected);
        assertThat(Feed.oneByteAtATime(decoder(PacketDecoder.Role.SERVER), hex(hex))).containsExactly(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serverToClient")
    void serverVectorsBackToBackDecodeInAnyChunking(String name, String hex, Packet expected) throws Exception {
        Packet want = orReasonStringDisconnect(expected);
        byte[] stream = hex("d000" + hex + "d000");
        assertThat(Feed.chunked(decoder(PacketDecoder.Role.CLIENT), stream, 3))
                .containsExactly(Packet.PingResp.INSTANCE, want, Packet.PingResp.INSTANCE);
    }

    /** The vector's packet; null stands for the DISCONNECT with a Reason String, which a method source cannot build. */
    private static Packet orReasonStringDisconnect(Packet expected) {
        return expected != null ? expected
                : new Packet.Disconnect(0x8B, props().put(Property.REASON_STRING, "b").build());
    }

    private static PacketDecoder decoder(PacketDecoder.Role role) {
        return PacketDecoder.unbounded(role, V5);
    }

    private static Properties.Builder props() {
        return Properties.builder();
    }

    private static Packet.Publish publish(String topic, Qos qos, int id, String payload, Properties props) {
        byte[] b = bytes(payload);
        return new Packet.Publish(topic, qos, false, false, id, ByteBuffer.wrap(b), b.length, props);
    }

    private static Packet.Connect connect(String clientId, Properties props, String willTopic, Properties willProps,
                                          String user) {
        return new Packet.Connect(V5, clientId, true, 60, willTopic, willTopic == null ? null : bytes("bye"),
                willTopic == null ? Qos.AT_MOST_ONCE : Qos.AT_LEAST_ONCE, false, user,
                user == null ? null : bytes("secret"), props, willProps);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
