package dev.wren.mqtt.internal.codec;

import dev.wren.mqtt.ReasonCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wren.mqtt.ProtocolViolation;
import dev.wren.mqtt.internal.codec.Property.Where;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** MQTT 5.0 CONNACK, SUBACK and UNSUBACK bodies, written by hand from sections 3.2, 3.9 and 3.11. */
class Mqtt5AcknowledgementsTest {

    private static ByteBuffer bytes(String hex) {
        return ByteBuffer.wrap(HexFormat.of().parseHex(hex.replace(" ", "")));
    }

    @Test
    void aConnAckCarriesWhatTheServerGrants() throws Exception {
        // session present, success, Receive Maximum 10, Maximum QoS 1, Assigned Client Identifier "id"
        ByteBuffer in = bytes("01 00 0a 21 000a 24 01 12 0002 6964");
        Mqtt5Acknowledgements.ConnAck a = Mqtt5Acknowledgements.connAck(in, in.limit());
        assertThat(a.sessionPresent()).isTrue();
        assertThat(a.reason()).isEqualTo(ReasonCode.SUCCESS);
        assertThat(a.properties().get(Property.RECEIVE_MAXIMUM)).isEqualTo(10L);
        assertThat(a.properties().get(Property.MAXIMUM_QOS)).isEqualTo(1L);
        assertThat(a.properties().get(Property.ASSIGNED_CLIENT_IDENTIFIER)).isEqualTo("id");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "00 01",    // what MQTT 3.1.1 [MQTT-3.1.2-2] has a server send for protocol level 5: its own CONNACK
        "00 01 00", // the same return code in 5.0's shape, with no properties: what Moquette 0.17 sends
    })
    void aServerOfMqtt311RefusingTheVersionWithItsReturnCode1IsReadAsUnsupportedProtocolVersion(String hex)
            throws Exception {
        ByteBuffer in = bytes(hex);
        Mqtt5Acknowledgements.ConnAck a = Mqtt5Acknowledgements.connAck(in, in.limit());
        assertThat(a.reason()).isEqualTo(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION);
        assertThat(a.sessionPresent()).isFalse();
        assertThat(a.properties().isEmpty()).isTrue();
        assertThat(in.remaining()).isZero();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "00 02, REASON_CODE_NOT_ALLOWED",         // 3.1.1's return code 2 is no answer to a version it cannot read
        "00 8d 00, REASON_CODE_NOT_ALLOWED",      // 0x8D, keep-alive time-out, is a DISCONNECT reason only
        "01 01, REASON_CODE_NOT_ALLOWED",         // nor with session present
        "02 00 00, INVALID_CONNACK_FLAGS",        // a reserved flag bit
        "00 03 00, REASON_CODE_NOT_ALLOWED",      // 3.1.1's "server unavailable" is no 5.0 reason code
        "01 86 00, SESSION_PRESENT_ON_REFUSAL",   // refused, yet session present [MQTT-3.2.2-6]
        "00 00 02 13 00, MALFORMED_PROPERTIES",   // Server Keep Alive cut short
        "00 00 02 13 0001, MALFORMED_PROPERTIES", // Property Length 2, the property needs 3
        "00 00 03 23 0001, PROPERTY_NOT_ALLOWED", // a Topic Alias on CONNACK
        "00, LENGTH_MISMATCH",
    })
    void aMalformedConnAckIsRefusedWithItsViolation(String hex, ProtocolViolation expected) {
        ByteBuffer in = bytes(hex);
        assertThatThrownBy(() -> Mqtt5Acknowledgements.connAck(in, in.limit()))
                .isInstanceOfSatisfying(MalformedPacketException.class,
                        e -> assertThat(e.violation()).isEqualTo(expected));
    }

    @Test
    void aSubAckHasOneReasonPerFilterInOrder() throws Exception {
        ByteBuffer in = bytes("0005 00 01 02 80 9e");
        Mqtt5Acknowledgements.SubAck s = Mqtt5Acknowledgements.subAck(Where.SUBACK, in, in.limit());
        assertThat(s.packetId()).isEqualTo(5);
        assertThat(s.reasons()).containsExactly(ReasonCode.GRANTED_QOS_1, ReasonCode.GRANTED_QOS_2,
                ReasonCode.UNSPECIFIED_ERROR, ReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED);
    }

    @Test
    void anUnsubAckHasItsOwnCodes() throws Exception {
        ByteBuffer in = bytes("0005 04 1f 0001 78 00 11");
        Mqtt5Acknowledgements.SubAck u = Mqtt5Acknowledgements.subAck(Where.UNSUBACK, in, in.limit());
        assertThat(u.reasons()).containsExactly(ReasonCode.SUCCESS, ReasonCode.NO_SUBSCRIPTION_EXISTED);
        assertThat(u.properties().get(Property.REASON_STRING)).isEqualTo("x");
        ByteBuffer granted = bytes("0005 00 01"); // Granted QoS 1 means nothing on an UNSUBACK
        assertThatThrownBy(() -> Mqtt5Acknowledgements.subAck(Where.UNSUBACK, granted, granted.limit()))
                .isInstanceOfSatisfying(MalformedPacketException.class,
                        e -> assertThat(e.violation()).isEqualTo(ProtocolViolation.REASON_CODE_NOT_ALLOWED));
    }

    @Test
    void aSubAckWithoutReasonsOrWithIdentifierZeroIsRefused() {
        ByteBuffer none = bytes("0005 00");
        assertThatThrownBy(() -> Mqtt5Acknowledgements.subAck(Where.SUBACK, none, none.limit()))
                .isInstanceOfSatisfying(MalformedPacketException.class,
                        e -> assertThat(e.violation()).isEqualTo(ProtocolViolation.LENGTH_MISMATCH));
        ByteBuffer zero = bytes("0000 00 00");
        assertThatThrownBy(() -> Mqtt5Acknowledgements.subAck(Where.SUBACK, zero, zero.limit()))
                .isInstanceOfSatisfying(MalformedPacketException.class,
                        e -> assertThat(e.violation()).isEqualTo(ProtocolViolation.ZERO_PACKET_ID));
    }
}
