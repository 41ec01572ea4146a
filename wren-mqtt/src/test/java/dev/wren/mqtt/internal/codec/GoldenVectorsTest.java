package dev.wren.mqtt.internal.codec;

import static dev.wren.mqtt.internal.codec.Feed.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.mqtt.ProtocolVersion;
import dev.wren.mqtt.Qos;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden byte vectors for every packet type.
 *
 * <p>Most were captured from Mosquitto 2.0.11's own tools talking to a Mosquitto 2.0.11 broker through a recording
 * proxy: {@code src/test/resources/golden/capture_proxy.py}, output in
 * {@code src/test/resources/golden/mosquitto-2.0.11-capture.txt}. Each vector names the command it came from
 * ("C>S" client to server, "S>C" server to client). The few that no tool run produced cite the spec section
 * whose example they follow.
 */
class GoldenVectorsTest {

    private static final ProtocolVersion V311 = ProtocolVersion.MQTT_3_1_1;
    private static final byte[] NO_BYTES = new byte[0];

    /** Packets a server sends, as the client decodes them. */
    static Stream<Arguments> serverToClient() {
        return Stream.of(
                // mosquitto_pub -V mqttv311 -i wren -t sensors -m DOORS:OPEN_QoS0 -q 0 (S>C)
                Arguments.of("CONNACK accepted", "20020000", new Packet.ConnAck(false, 0)),
                // spec 3.2.2.2: session present set on an accepted CONNACK
                Arguments.of("CONNACK session present", "20020100", new Packet.ConnAck(true, 0)),
                // spec 3.2.2.3, return code 5 (mosquitto answers this for a denied login)
                Arguments.of("CONNACK not authorized", "20020005", new Packet.ConnAck(false, 5)),
                // mosquitto_pub ... -q 1 -r (S>C)
                Arguments.of("PUBACK", "40020001", new Packet.PubAck(1)),
                // mosquitto_pub ... -q 2 (S>C)
                Arguments.of("PUBREC", "50020001", new Packet.PubRec(1)),
                Arguments.of("PUBCOMP", "70020001", new Packet.PubComp(1)),
                // mosquitto_sub -t q2 -q 2 while mosquitto_pub -t q2 -m exactly -q 2 (S>C)
                Arguments.of("PUBREL", "62020001", new Packet.PubRel(1)),
                Arguments.of("PUBLISH QoS 2", "340d00027132000165786163746c79",
                        Packet.Publish.of("q2", Qos.EXACTLY_ONCE, false, false, 1, bytes("exactly"))),
                // mosquitto_sub -t sensors/# -q 2 -C 1 after a retained QoS 2 publish (S>C)
                Arguments.of("SUBACK QoS 2", "9003000102", new Packet.SubAck(1, List.of(2))),
                Arguments.of("PUBLISH QoS 2 retained", "351c001073656e736f72732f72657461696e6564000152455441494e4544",
                        Packet.Publish.of("sensors/retained", Qos.EXACTLY_ONCE, false, true, 1, bytes("RETAINED"))),
                Arguments.of("PUBLISH QoS 1 retained", "331a000773656e736f72730002444f4f52533a4f50454e5f516f5331",
                        Packet.Publish.of("sensors", Qos.AT_LEAST_ONCE, false, true, 2, bytes("DOORS:OPEN_QoS1"))),
                // mosquitto_sub -t a -t b/+ -t c/# -q 1 -U a -E (S>C)
                Arguments.of("SUBACK three filters", "90050001010101", new Packet.SubAck(1, List.of(1, 1, 1))),
                Arguments.of("UNSUBACK", "b0020002", new Packet.UnsubAck(2)),
                // mosquitto_sub -k 5 -t x -W 6 (S>C)
                Arguments.of("PINGRESP", "d000", Packet.PingResp.INSTANCE),
                Arguments.of("SUBACK QoS 0", "9003000100", new Packet.SubAck(1, List.of(0))),
                // spec 3.9.3: failure return code
                Arguments.of("SUBACK failure", "9004000a8001", new Packet.SubAck(10, List.of(0x80, 1))),
                // spec 3.3: QoS 0 PUBLISH with an empty payload, DUP clear
                Arguments.of("PUBLISH QoS 0 empty payload", "3003000161",
                        new Packet.Publish("a", Qos.AT_MOST_ONCE, false, false, 0, java.nio.ByteBuffer.wrap(NO_BYTES), 0)),
                // spec 3.3.1.1: a redelivered QoS 1 PUBLISH carries DUP
                Arguments.of("PUBLISH QoS 1 dup", "3a0700016100077879",
                        Packet.Publish.of("a", Qos.AT_LEAST_ONCE, true, false, 7, bytes("xy"))));
    }

    /** Packets a client sends: Wren must encode them byte for byte like mosquitto's tools do. */
    static Stream<Arguments> clientToServer() {
        return Stream.of(
                // mosquitto_pub -V mqttv311 -i wren -t sensors -m DOORS:OPEN_QoS0 -q 0 (C>S)
                Arguments.of("CONNECT 3.1.1 clean", "101000044d5154540402003c00047772656e",
                        connect(V311, true, 60, null, null, Qos.AT_MOST_ONCE, false, null, null)),
                Arguments.of("PUBLISH QoS 0", "3018000773656e736f7273444f4f52533a4f50454e5f516f5330",
                        Packet.Publish.of("sensors", Qos.AT_MOST_ONCE, false, false, 0, bytes("DOORS:OPEN_QoS0"))),
                Arguments.of("DISCONNECT", "e000", Packet.Disconnect.INSTANCE),
                // mosquitto_pub ... -q 1 -r (C>S)
                Arguments.of("PUBLISH QoS 1 retain", "331a000773656e736f72730001444f4f52533a4f50454e5f516f5331",
                        Packet.Publish.of("sensors", Qos.AT_LEAST_ONCE, false, true, 1, bytes("DOORS:OPEN_QoS1"))),
                // mosquitto_pub ... -q 2 (C>S)
                Arguments.of("PUBLISH QoS 2", "341a000773656e736f72730001444f4f52533a4f50454e5f516f5332",
                        Packet.Publish.of("sensors", Qos.EXACTLY_ONCE, false, false, 1, bytes("DOORS:OPEN_QoS2"))),
                Arguments.of("PUBREL", "62020001", new Packet.PubRel(1)),
                // mosquitto_pub -V mqttv31 -i wren -t sensors -m hello -q 1 (C>S)
                Arguments.of("CONNECT 3.1", "101200064d51497364700302003c00047772656e",
                        connect(ProtocolVersion.MQTT_3_1, true, 60, null, null, Qos.AT_MOST_ONCE, false, null, null)),
                Arguments.of("PUBLISH 3.1 QoS 1", "3210000773656e736f7273000168656c6c6f",
                        Packet.Publish.of("sensors", Qos.AT_LEAST_ONCE, false, false, 1, bytes("hello"))),
                // mosquitto_pub -i wren -k 30 -u user -P secret --will-topic dead --will-payload bye --will-qos 1
                //   --will-retain -t t -m x (C>S)
                Arguments.of("CONNECT will user password",
                        "102900044d51545404ee001e00047772656e00046465616400036279650004757365720006736563726574",
                        connect(V311, true, 30, "dead", bytes("bye"), Qos.AT_LEAST_ONCE, true, "user", bytes("secret"))),
                Arguments.of("PUBLISH tiny", "300400017478",
                        Packet.Publish.of("t", Qos.AT_MOST_ONCE, false, false, 0, bytes("x"))),
                // mosquitto_pub -V mqttv311 -i wren -c -t t -m x -q 1 (C>S)
                Arguments.of("CONNECT clean session off", "101000044d5154540400003c00047772656e",
                        connect(V311, false, 60, null, null, Qos.AT_MOST_ONCE, false, null, null)),
                // mosquitto_sub -t sensors/# -q 2 -C 1 (C>S)
                Arguments.of("SUBSCRIBE one", "820e0001000973656e736f72732f2302",
                        new Packet.Subscribe(1, List.of("sensors/#"), List.of(Qos.EXACTLY_ONCE))),
                Arguments.of("PUBREC", "50020001", new Packet.PubRec(1)),
                Arguments.of("PUBACK", "40020002", new Packet.PubAck(2)),
                // mosquitto_sub -t q2 -q 2 (C>S)
                Arguments.of("PUBCOMP", "70020001", new Packet.PubComp(1)),
                // mosquitto_sub -t a -t b/+ -t c/# -q 1 -U a -E (C>S)
                Arguments.of("SUBSCRIBE three", "82120001000161010003622f2b010003632f2301",
                        new Packet.Subscribe(1, List.of("a", "b/+", "c/#"),
                                List.of(Qos.AT_LEAST_ONCE, Qos.AT_LEAST_ONCE, Qos.AT_LEAST_ONCE))),
                Arguments.of("UNSUBSCRIBE", "a2050002000161", new Packet.Unsubscribe(2, List.of("a"))),
                // mosquitto_sub -k 5 -t x -W 6 (C>S)
                Arguments.of("CONNECT keep-alive 5", "101000044d5154540402000500047772656e",
                        connect(V311, true, 5, null, null, Qos.AT_MOST_ONCE, false, null, null)),
                Arguments.of("SUBSCRIBE QoS 0", "8206000100017800",
                        new Packet.Subscribe(1, List.of("x"), List.of(Qos.AT_MOST_ONCE))),
                Arguments.of("PINGREQ", "c000", Packet.PingReq.INSTANCE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serverToClient")
    void clientDecodesServerPacketWhole(String name, String hex, Packet expected) throws Exception {
        assertThat(Feed.whole(clientDecoder(), hex(hex))).containsExactly(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serverToClient")
    void clientDecodesServerPacketOneByteAtATime(String name, String hex, Packet expected) throws Exception {
        assertThat(Feed.oneByteAtATime(clientDecoder(), hex(hex))).containsExactly(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serverToClient")
    void serverPacketEncodesToTheCapturedBytes(String name, String hex, Packet packet) {
        assertThat(Feed.hex(Feed.encode(packet))).isEqualTo(hex.replace(" ", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clientToServer")
    void clientPacketEncodesToTheCapturedBytes(String name, String hex, Packet packet) {
        assertThat(Feed.hex(Feed.encode(packet))).isEqualTo(hex);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clientToServer")
    void serverRoleDecodesClientPacketOneByteAtATime(String name, String hex, Packet expected) throws Exception {
        PacketDecoder server = PacketDecoder.unbounded(PacketDecoder.Role.SERVER, V311);
        assertThat(Feed.oneByteAtATime(server, hex(hex))).containsExactly(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serverToClient")
    void allServerVectorsBackToBackDecodeInAnyChunking(String name, String hex, Packet expected) throws Exception {
        // the vector sandwiched between two PINGRESPs, in chunks of 3: packet boundaries never align with chunks
        byte[] stream = hex("d000" + hex + "d000");
        assertThat(Feed.chunked(clientDecoder(), stream, 3))
                .containsExactly(Packet.PingResp.INSTANCE, expected, Packet.PingResp.INSTANCE);
    }

    private static PacketDecoder clientDecoder() {
        return PacketDecoder.unbounded(PacketDecoder.Role.CLIENT, V311);
    }

    private static Packet.Connect connect(ProtocolVersion v, boolean clean, int keepAlive, String willTopic,
                                          byte[] willMessage, Qos willQos, boolean willRetain, String user,
                                          byte[] password) {
        return new Packet.Connect(v, "wren", clean, keepAlive, willTopic, willMessage, willQos, willRetain, user,
                password);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
