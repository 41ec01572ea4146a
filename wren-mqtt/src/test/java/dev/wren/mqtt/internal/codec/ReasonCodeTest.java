package dev.wren.mqtt.internal.codec;

import dev.wren.mqtt.ReasonCode;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.mqtt.internal.codec.Property.Where;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** MQTT 5.0's reason codes, table 2-6: which packet may carry which. */
class ReasonCodeTest {

    @Test
    void eachValueMeansAtMostOneReasonOnAPacket() {
        for (Where w : Where.values()) {
            for (int v = 0; v < 256; v++) {
                int meanings = 0;
                for (ReasonCode c : ReasonCode.values()) {
                    if (c.value() == v && ReasonCodes.allowedIn(c, w)) {
                        meanings++;
                    }
                }
                assertThat(meanings).as("0x%02x on %s", v, w).isLessThanOrEqualTo(1);
            }
        }
    }

    @ParameterizedTest(name = "0x{0} on {1}: {2}")
    @CsvSource({
        "00, CONNACK, SUCCESS", "00, DISCONNECT, NORMAL_DISCONNECTION", "00, SUBACK, GRANTED_QOS_0",
        "10, PUBACK, NO_MATCHING_SUBSCRIBERS", "11, UNSUBACK, NO_SUBSCRIPTION_EXISTED",
        "18, AUTH, CONTINUE_AUTHENTICATION", "92, PUBCOMP, PACKET_IDENTIFIER_NOT_FOUND",
        "9e, SUBACK, SHARED_SUBSCRIPTIONS_NOT_SUPPORTED", "8e, DISCONNECT, SESSION_TAKEN_OVER",
    })
    void theTableSaysWhatAValueMeansOnAPacket(String hex, Where where, ReasonCode expected) {
        assertThat(ReasonCodes.of(Integer.parseInt(hex, 16), where)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "0x{0} on {1}")
    @CsvSource({"92, PUBACK", "10, PUBCOMP", "01, PUBACK", "04, CONNACK", "8d, CONNACK", "18, CONNACK", "a3, SUBACK",
        "80, PUBREL", "80, PUBCOMP"})
    void aValueAPacketMayNotCarryMeansNothingThere(String hex, Where where) {
        assertThat(ReasonCodes.of(Integer.parseInt(hex, 16), where)).isNull();
    }

    @Test
    void successesAreBelowTheErrorsAndEveryPacketWithAReasonHasOne() {
        for (ReasonCode c : ReasonCode.values()) {
            assertThat(c.isError()).as(c.name()).isEqualTo(c.value() >= 0x80);
        }
        EnumSet<Where> withReasons = EnumSet.complementOf(EnumSet.of(Where.CONNECT, Where.WILL, Where.PUBLISH,
                Where.SUBSCRIBE, Where.UNSUBSCRIBE));
        for (Where w : withReasons) {
            assertThat(ReasonCodes.of(0, w)).as("a success on %s", w).isNotNull();
        }
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "SUCCESS, ACCEPTED",
        "UNSUPPORTED_PROTOCOL_VERSION, UNACCEPTABLE_PROTOCOL_VERSION",
        "CLIENT_IDENTIFIER_NOT_VALID, IDENTIFIER_REJECTED",
        "BAD_USER_NAME_OR_PASSWORD, BAD_USER_NAME_OR_PASSWORD",
        "NOT_AUTHORIZED, NOT_AUTHORIZED",
        "SERVER_UNAVAILABLE, SERVER_UNAVAILABLE",
        "SERVER_BUSY, SERVER_UNAVAILABLE",
    })
    void aConnAckReasonHasThe311ReturnCodeOfTheSameMeaning(ReasonCode reason, dev.wren.mqtt.ConnectReturnCode code) {
        assertThat(dev.wren.mqtt.ConnectReturnCode.equivalentOf(reason)).isEqualTo(code);
    }

    @Test
    void aConnAckReasonWithout311EquivalentHasNone() {
        assertThat(dev.wren.mqtt.ConnectReturnCode.equivalentOf(ReasonCode.BANNED)).isNull();
        assertThat(dev.wren.mqtt.ConnectReturnCode.equivalentOf(ReasonCode.QUOTA_EXCEEDED)).isNull();
    }
}
