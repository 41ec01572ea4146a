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

/**
 * MQTT 5.0 acknowledgements, DISCONNECT and AUTH bodies (the bytes after the fixed header), written by hand from
 * sections 3.4 to 3.7, 3.14 and 3.15.
 */
class ReasonedPacketTest {

    private static ReasonedPacket decode(Where kind, String hex, boolean fromServer) throws MalformedPacketException {
        byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
        return ReasonedPacket.decode(kind, ByteBuffer.wrap(b), b.length, fromServer);
    }

    private static String encode(ReasonedPacket p) {
        ByteBuffer out = ByteBuffer.allocate(p.remainingLength());
        p.encodeBody(out);
        assertThat(out.remaining()).isZero();
        return HexFormat.of().formatHex(out.array());
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        // kind, body as sent, reason, reason string (or empty)
        "PUBACK, 0007, SUCCESS, ''",                          // the 3.1.1 form: success, no properties
        "PUBACK, 0007 10, NO_MATCHING_SUBSCRIBERS, ''",        // a reason without a Property Length
        "PUBREC, 0007 87 05 1f 0002 6e 6f, NOT_AUTHORIZED, no", // a reason and a Reason String
        "PUBREL, 0007 92, PACKET_IDENTIFIER_NOT_FOUND, ''",
        "PUBCOMP, 0007, SUCCESS, ''",
        "DISCONNECT, '', NORMAL_DISCONNECTION, ''",            // remaining length 0
        "DISCONNECT, 8e, SESSION_TAKEN_OVER, ''",
        "AUTH, 18 00, CONTINUE_AUTHENTICATION, ''",
    })
    void eachFormDecodesAndEncodesBackInItsShortestForm(Where kind, String body, ReasonCode reason, String text)
            throws Exception {
        ReasonedPacket p = decode(kind, body, true);
        assertThat(p.reason()).isEqualTo(reason);
        assertThat(p.properties().get(Property.REASON_STRING)).isEqualTo(text.isEmpty() ? null : text);
        String shortest = body.replace(" ", "").replaceAll("00$", ""); // AUTH's empty Property Length may go
        assertThat(encode(p)).isEqualTo(kind == Where.AUTH ? shortest : body.replace(" ", ""));
    }

    @Test
    void aReasonCodeThePacketMayNotCarryIsItsOwnViolation() {
        assertThatThrownBy(() -> decode(Where.PUBACK, "0007 92", true))
                .isInstanceOfSatisfying(MalformedPacketException.class,
                        e -> assertThat(e.violation()).isEqualTo(ProtocolViolation.REASON_CODE_NOT_ALLOWED));
        assertThatThrownBy(() -> decode(Where.PUBCOMP, "0007 10", true))
                .isInstanceOfSatisfying(MalformedPacketException.class,
                        e -> assertThat(e.violation()).isEqualTo(ProtocolViolation.REASON_CODE_NOT_ALLOWED));
    }

    @Test
    void aServersDisconnectMayNotChangeTheSessionExpiry() throws Exception {
        String body = "00 05 11 0000003c";
        assertThat(decode(Where.DISCONNECT, body, false).properties().get(Property.SESSION_EXPIRY_INTERVAL))
                .as("from a client").isEqualTo(60L);
        assertThatThrownBy(() -> decode(Where.DISCONNECT, body, true))
                .isInstanceOfSatisfying(MalformedPacketException.class,
                        e -> assertThat(e.violation()).isEqualTo(ProtocolViolation.PROPERTY_NOT_ALLOWED));
    }

    @Test
    void propertiesThePacketMayNotCarryAndBytesAfterThemAreRefused() {
        assertThatThrownBy(() -> decode(Where.PUBACK, "0007 00 03 23 0001", true)) // a Topic Alias on PUBACK
                .isInstanceOfSatisfying(MalformedPacketException.class,
                        e -> assertThat(e.violation()).isEqualTo(ProtocolViolation.PROPERTY_NOT_ALLOWED));
        assertThatThrownBy(() -> decode(Where.PUBACK, "0007 00 00 ff", true))
                .isInstanceOfSatisfying(MalformedPacketException.class,
                        e -> assertThat(e.violation()).isEqualTo(ProtocolViolation.LENGTH_MISMATCH));
        assertThatThrownBy(() -> decode(Where.PUBACK, "0000", true))
                .isInstanceOfSatisfying(MalformedPacketException.class,
                        e -> assertThat(e.violation()).isEqualTo(ProtocolViolation.ZERO_PACKET_ID));
    }

    @Test
    void aReasonStringAndThenUserPropertiesGoWhenTheReceiversMaximumPacketSizeWouldBeExceeded() {
        ReasonedPacket full = new ReasonedPacket(Where.PUBACK, 7, ReasonCode.QUOTA_EXCEEDED, Properties.builder()
                .put(Property.REASON_STRING, "x".repeat(100)).user("k", "v").build());
        assertThat(full.within(1_000)).isSameAs(full);
        ReasonedPacket smaller = full.within(20);
        assertThat(smaller.properties().get(Property.REASON_STRING)).isNull();
        assertThat(smaller.properties().userProperties()).hasSize(1); // 13 bytes in all: within 20
        ReasonedPacket smallest = full.within(5);
        assertThat(smallest.properties().isEmpty()).isTrue();
        assertThat(encode(smallest)).isEqualTo("000797"); // the reason is never dropped
    }

    @Test
    void aPacketThatCouldNotBeSentIsRefusedWhenBuilt() {
        assertThatThrownBy(() -> new ReasonedPacket(Where.PUBACK, 7, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND,
                Properties.NONE)).hasMessageContaining("may not appear on PUBACK");
        assertThatThrownBy(() -> new ReasonedPacket(Where.DISCONNECT, 7, ReasonCode.NORMAL_DISCONNECTION,
                Properties.NONE)).hasMessageContaining("packet identifier");
        assertThatThrownBy(() -> new ReasonedPacket(Where.SUBACK, 7, ReasonCode.GRANTED_QOS_0, Properties.NONE))
                .hasMessageContaining("not a packet with one reason code");
    }
}
