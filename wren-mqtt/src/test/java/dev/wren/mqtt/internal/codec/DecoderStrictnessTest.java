package dev.wren.mqtt.internal.codec;

import static dev.wren.mqtt.internal.codec.Feed.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wren.mqtt.ProtocolVersion;
import dev.wren.mqtt.ProtocolViolation;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rule a server's packet can break ends in its own {@link ProtocolViolation}, whatever the chunking. */
class DecoderStrictnessTest {

    static Stream<Arguments> violations() {
        return Stream.of(
                Arguments.of("reserved type 0", "0000", ProtocolViolation.RESERVED_PACKET_TYPE),
                Arguments.of("reserved type 15", "f000", ProtocolViolation.RESERVED_PACKET_TYPE),
                Arguments.of("CONNECT from server", "101000044d5154540402003c00047772656e",
                        ProtocolViolation.PACKET_TYPE_NOT_ALLOWED_FROM_SERVER),
                Arguments.of("SUBSCRIBE from server", "8206000100017800", ProtocolViolation.PACKET_TYPE_NOT_ALLOWED_FROM_SERVER),
                Arguments.of("UNSUBSCRIBE from server", "a2050002000161", ProtocolViolation.PACKET_TYPE_NOT_ALLOWED_FROM_SERVER),
                Arguments.of("PINGREQ from server", "c000", ProtocolViolation.PACKET_TYPE_NOT_ALLOWED_FROM_SERVER),
                Arguments.of("DISCONNECT from server", "e000", ProtocolViolation.PACKET_TYPE_NOT_ALLOWED_FROM_SERVER),
                Arguments.of("CONNACK flags 0001", "21020000", ProtocolViolation.INVALID_FIXED_HEADER_FLAGS),
                Arguments.of("PUBACK flags 0010", "42020001", ProtocolViolation.INVALID_FIXED_HEADER_FLAGS),
                Arguments.of("PUBREL flags 0000", "60020001", ProtocolViolation.INVALID_FIXED_HEADER_FLAGS),
                Arguments.of("SUBACK flags 0010", "9203000100", ProtocolViolation.INVALID_FIXED_HEADER_FLAGS),
                Arguments.of("PINGRESP flags 1000", "d800", ProtocolViolation.INVALID_FIXED_HEADER_FLAGS),
                Arguments.of("PUBLISH QoS 3", "36070001610001ff", ProtocolViolation.INVALID_QOS),
                Arguments.of("PUBLISH QoS 0 with DUP", "3803000161", ProtocolViolation.DUP_ON_QOS_0),
                Arguments.of("remaining length of five bytes", "30ffffffff7f", ProtocolViolation.MALFORMED_REMAINING_LENGTH),
                Arguments.of("PUBACK id 0", "40020000", ProtocolViolation.ZERO_PACKET_ID),
                Arguments.of("PUBREC id 0", "50020000", ProtocolViolation.ZERO_PACKET_ID),
                Arguments.of("PUBREL id 0", "62020000", ProtocolViolation.ZERO_PACKET_ID),
                Arguments.of("PUBCOMP id 0", "70020000", ProtocolViolation.ZERO_PACKET_ID),
                Arguments.of("SUBACK id 0", "9003000000", ProtocolViolation.ZERO_PACKET_ID),
                Arguments.of("UNSUBACK id 0", "b0020000", ProtocolViolation.ZERO_PACKET_ID),
                Arguments.of("PUBLISH QoS 1 id 0", "32050001610000", ProtocolViolation.ZERO_PACKET_ID),
                Arguments.of("topic with lone continuation byte", "3003000180", ProtocolViolation.INVALID_UTF8),
                Arguments.of("topic with overlong '/'", "30040002c0af", ProtocolViolation.INVALID_UTF8),
                Arguments.of("topic with encoded surrogate U+D800", "30050003eda080", ProtocolViolation.INVALID_UTF8),
                Arguments.of("topic truncated sequence", "30040002e282", ProtocolViolation.INVALID_UTF8),
                Arguments.of("topic above U+10FFFF", "30060004f4908080", ProtocolViolation.INVALID_UTF8),
                Arguments.of("topic with U+0000", "30040002610000", ProtocolViolation.NULL_CHARACTER),
                Arguments.of("topic with +", "300500036162" + "2b", ProtocolViolation.INVALID_TOPIC_NAME),
                Arguments.of("topic with #", "30050003612f23", ProtocolViolation.INVALID_TOPIC_NAME),
                Arguments.of("empty topic", "300300000078", ProtocolViolation.INVALID_TOPIC_NAME),
                Arguments.of("CONNACK reserved flag bit", "20020200", ProtocolViolation.INVALID_CONNACK_FLAGS),
                Arguments.of("CONNACK return code 6", "20020006", ProtocolViolation.UNKNOWN_CONNACK_RETURN_CODE),
                Arguments.of("CONNACK return code 255", "200200ff", ProtocolViolation.UNKNOWN_CONNACK_RETURN_CODE),
                Arguments.of("CONNACK refused with session present", "20020105", ProtocolViolation.SESSION_PRESENT_ON_REFUSAL),
                Arguments.of("SUBACK return code 3", "9003000103", ProtocolViolation.INVALID_SUBACK_RETURN_CODE),
                Arguments.of("SUBACK return code 0x81", "9003000181", ProtocolViolation.INVALID_SUBACK_RETURN_CODE),
                Arguments.of("CONNACK remaining length 3", "2003000000", ProtocolViolation.LENGTH_MISMATCH),
                Arguments.of("PUBACK remaining length 1", "400101", ProtocolViolation.LENGTH_MISMATCH),
                Arguments.of("PINGRESP remaining length 1", "d00100", ProtocolViolation.LENGTH_MISMATCH),
                Arguments.of("SUBACK without return codes", "90020001", ProtocolViolation.LENGTH_MISMATCH),
                Arguments.of("PUBLISH topic longer than packet", "3004000a6162", ProtocolViolation.LENGTH_MISMATCH),
                Arguments.of("PUBLISH QoS 1 too short for id", "3203000161", ProtocolViolation.LENGTH_MISMATCH));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void rejectsWholeWithItsOwnReason(String name, String hex, ProtocolViolation expected) {
        assertThatThrownBy(() -> Feed.whole(decoder(1 << 20), hex(hex)))
                .isInstanceOfSatisfying(MalformedPacketException.class,
                        e -> assertThat(e.violation()).isEqualTo(expected));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void rejectsOneByteAtATimeWithItsOwnReason(String name, String hex, ProtocolViolation expected) {
        assertThatThrownBy(() -> Feed.oneByteAtATime(decoder(1 << 20), hex(hex)))
                .isInstanceOfSatisfying(MalformedPacketException.class,
                        e -> assertThat(e.violation()).isEqualTo(expected));
    }

    @Test
    void checksTheFixedHeaderBeforeTheBodyArrives() throws Exception {
        PacketDecoder d = decoder(1 << 20);
        // a PUBACK claiming 3 bytes of body is rejected from its two header bytes alone
        assertThatThrownBy(() -> d.decode(ByteBuffer.wrap(hex("4003"))))
                .isInstanceOfSatisfying(MalformedPacketException.class,
                        e -> assertThat(e.violation()).isEqualTo(ProtocolViolation.LENGTH_MISMATCH));
    }

    @Test
    void rejectsAPacketLargerThanTheMaximumFromItsHeaderAlone() {
        // PUBLISH announcing 268,435,455 bytes; maximum 1 KiB. Only the five header bytes are present.
        PacketDecoder d = new PacketDecoder(PacketDecoder.Role.CLIENT, ProtocolVersion.MQTT_3_1_1, 1024, 256);
        assertThatThrownBy(() -> d.decode(ByteBuffer.wrap(hex("30ffffff7f"))))
                .isInstanceOfSatisfying(MalformedPacketException.class, e -> {
                    assertThat(e.violation()).isEqualTo(ProtocolViolation.PACKET_TOO_LARGE);
                    assertThat(e.getMessage()).contains("268435460").contains("1024");
                });
    }

    @Test
    void neverAllocatesWhatALengthFieldClaims() throws Exception {
        // Within the maximum, a PUBLISH announcing 256 MiB with a streaming buffer of 256 bytes: the decoder hands
        // over the header and streams; a SUBACK announcing 256 MiB is refused for not fitting the buffer.
        PacketDecoder d = new PacketDecoder(PacketDecoder.Role.CLIENT, ProtocolVersion.MQTT_3_1_1,
                PacketEncoder.MAX_REMAINING_LENGTH + 5, 256);
        // warm up on another decoder, so that class loading is not counted
        new PacketDecoder(PacketDecoder.Role.CLIENT, ProtocolVersion.MQTT_3_1_1, 1 << 20, 256)
                .decode(ByteBuffer.wrap(hex("32ffff03 0001 61 0001")));
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        Packet p = d.decode(ByteBuffer.wrap(hex("32ffffff7f 0001 61 0001")));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(p).isInstanceOf(Packet.Publish.class);
        assertThat(((Packet.Publish) p).payloadLength()).isEqualTo(268_435_455 - 5);
        assertThat(d.payloadRemaining()).isEqualTo(268_435_455 - 5);
        assertThat(allocated).isLessThan(16 * 1024);

        PacketDecoder d2 = new PacketDecoder(PacketDecoder.Role.CLIENT, ProtocolVersion.MQTT_3_1_1,
                PacketEncoder.MAX_REMAINING_LENGTH + 5, 256);
        assertThatThrownBy(() -> d2.decode(ByteBuffer.wrap(hex("90ffffff7f0001"))))
                .isInstanceOfSatisfying(MalformedPacketException.class,
                        e -> assertThat(e.violation()).isEqualTo(ProtocolViolation.PACKET_TOO_LARGE));
    }

    @Test
    void failureIsSticky() {
        PacketDecoder d = decoder(1 << 20);
        assertThatThrownBy(() -> d.decode(ByteBuffer.wrap(hex("0000")))).isInstanceOf(MalformedPacketException.class);
        // a valid packet afterwards is not decoded: the stream is no longer trusted
        assertThatThrownBy(() -> d.decode(ByteBuffer.wrap(hex("d000"))))
                .isInstanceOfSatisfying(MalformedPacketException.class,
                        e -> assertThat(e.violation()).isEqualTo(ProtocolViolation.RESERVED_PACKET_TYPE));
        assertThat(d.failed()).isTrue();
    }

    @Test
    void streamsAPayloadLargerThanTheBufferInPieces() throws Exception {
        PacketDecoder d = new PacketDecoder(PacketDecoder.Role.CLIENT, ProtocolVersion.MQTT_3_1_1, 1 << 20, 16);
        byte[] payload = new byte[100];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        byte[] packet = Feed.encode(Packet.Publish.of("big", dev.wren.mqtt.Qos.AT_LEAST_ONCE, false, false, 9, payload));
        ByteBuffer in = ByteBuffer.wrap(packet);
        in.limit(4);
        assertThat(d.decode(in)).isNull(); // header not complete yet
        in.limit(10);
        Packet.Publish header = (Packet.Publish) d.decode(in);
        assertThat(header.payload()).isNull();
        assertThat(header.topic()).isEqualTo("big");
        assertThat(header.packetId()).isEqualTo(9);
        assertThat(d.payloadRemaining()).isEqualTo(100);
        assertThatThrownBy(() -> d.decode(in)).isInstanceOf(IllegalStateException.class);
        ByteBuffer out = ByteBuffer.allocate(100);
        in.limit(packet.length);
        while (d.payloadRemaining() > 0) {
            ByteBuffer piece = ByteBuffer.allocate(7);
            d.readPayload(in, piece);
            out.put(piece.flip());
        }
        assertThat(out.array()).isEqualTo(payload);
        assertThat(in.hasRemaining()).isFalse();
    }

    private static PacketDecoder decoder(int max) {
        return new PacketDecoder(PacketDecoder.Role.CLIENT, ProtocolVersion.MQTT_3_1_1, max, max);
    }
}
