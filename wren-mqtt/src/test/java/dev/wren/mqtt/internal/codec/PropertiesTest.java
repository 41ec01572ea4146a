package dev.wren.mqtt.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wren.mqtt.ProtocolViolation;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** MQTT 5.0 properties (section 2.2.2) and variable byte integers (1.5.5), on their own. */
class PropertiesTest {

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static Properties decode(String hex, Property.Where where) throws MalformedPacketException {
        byte[] b = hex(hex);
        ByteBuffer in = ByteBuffer.wrap(b);
        Properties p = Properties.decode(in, b.length, where);
        assertThat(in.remaining()).as("all consumed").isZero();
        return p;
    }

    private static String encode(Properties p) {
        ByteBuffer out = ByteBuffer.allocate(p.encodedLength());
        p.encode(out);
        assertThat(out.remaining()).as("length computed exactly").isZero();
        return HexFormat.of().formatHex(out.array());
    }

    private static void assertViolation(String hex, Property.Where where, ProtocolViolation v) {
        assertThatThrownBy(() -> decode(hex, where)).isInstanceOfSatisfying(MalformedPacketException.class,
                e -> assertThat(e.violation()).isEqualTo(v));
    }

    /**
     * A CONNECT's properties written by hand from the table in section 2.2.2.2: Session Expiry Interval 10 (0x11,
     * four bytes), Receive Maximum 20 (0x21, two bytes), a user property "a" = "b" (0x26, two strings); Property
     * Length 5 + 3 + 7 = 15.
     */
    @Test
    void aHandWrittenConnectPropertyBlockDecodesAndEncodesBackByteForByte() throws Exception {
        String block = "0f " + "11 0000000a " + "21 0014 " + "26 0001 61 0001 62";
        Properties p = decode(block, Property.Where.CONNECT);
        assertThat(p.get(Property.SESSION_EXPIRY_INTERVAL)).isEqualTo(10L);
        assertThat(p.get(Property.RECEIVE_MAXIMUM)).isEqualTo(20L);
        assertThat(p.userProperties()).singleElement().isEqualTo(new dev.wren.mqtt.UserProperty("a", "b"));
        assertThat(encode(p)).isEqualTo(block.replace(" ", ""));
    }

    @Test
    void noPropertiesIsAPropertyLengthOfZero() throws Exception {
        assertThat(encode(Properties.NONE)).isEqualTo("00"); // [MQTT-2.2.2-1]
        assertThat(decode("00", Property.Where.PUBACK)).isSameAs(Properties.NONE);
    }

    @ParameterizedTest
    @EnumSource(Property.class)
    void everyPropertyRoundTripsOnEveryPacketItMayAppearOn(Property p) throws Exception {
        for (Property.Where w : Property.Where.values()) {
            if (!p.allowedIn(w)) {
                continue;
            }
            Properties.Builder b = Properties.builder();
            switch (p.type()) {
                case BYTE -> b.put(p, 1);
                case TWO_BYTE -> b.put(p, 0xFFFF);
                case FOUR_BYTE -> b.put(p, 0xFFFF_FFFFL); // unsigned: the largest value survives
                case VARIABLE -> b.put(p, VariableByteInteger.MAX);
                case UTF8 -> b.put(p, "wren/é/\uD83D\uDC26");
                case BINARY -> b.put(p, new byte[] {0, 1, (byte) 0xFF});
                case UTF8_PAIR -> b.user("k", "v").user("k", "w");
            }
            Properties sent = b.build();
            Properties got = decode(encode(sent), w);
            assertThat(got).as("%s on %s", p, w).isEqualTo(sent);
        }
    }

    @Test
    void userPropertiesKeepTheirOrderAndMayRepeat() throws Exception {
        Properties sent = Properties.builder().user("b", "1").user("a", "2").user("b", "3").build();
        Properties got = decode(encode(sent), Property.Where.PUBLISH);
        assertThat(got.userProperties()).extracting(u -> u.name() + "=" + u.value()).containsExactly("b=1", "a=2", "b=3");
    }

    @Test
    void aPublishMayCarrySeveralSubscriptionIdentifiersASubscribeOnlyOne() throws Exception {
        assertThat(decode("04 0b 01 0b 7f", Property.Where.PUBLISH).subscriptionIdentifiers()).containsExactly(1,
                127);
        assertViolation("04 0b 01 0b 7f", Property.Where.SUBSCRIBE, ProtocolViolation.DUPLICATE_PROPERTY);
    }

    @ParameterizedTest(name = "{0} on {1}: {2}")
    @CsvSource({
        // an identifier MQTT 5.0 does not define
        "02 00 00, PUBLISH, UNKNOWN_PROPERTY",
        "02 04 00, PUBLISH, UNKNOWN_PROPERTY",
        "02 2b 00, CONNACK, UNKNOWN_PROPERTY",
        // allowed elsewhere, not here
        "03 23 0001, CONNECT, PROPERTY_NOT_ALLOWED",
        "02 24 00, CONNECT, PROPERTY_NOT_ALLOWED",
        "03 1f 0000, PUBLISH, PROPERTY_NOT_ALLOWED",
        "05 18 00000001, PUBLISH, PROPERTY_NOT_ALLOWED",
        // given twice
        "0a 11 00000001 11 00000002, CONNECT, DUPLICATE_PROPERTY",
        "06 1f 0000 1f 0000, PUBACK, DUPLICATE_PROPERTY",
        // out of range
        "02 01 02, PUBLISH, PROPERTY_VALUE_OUT_OF_RANGE",
        "03 21 0000, CONNACK, PROPERTY_VALUE_OUT_OF_RANGE",
        "05 27 00000000, CONNACK, PROPERTY_VALUE_OUT_OF_RANGE",
        "02 0b 00, PUBLISH, PROPERTY_VALUE_OUT_OF_RANGE",
        "03 23 0000, PUBLISH, PROPERTY_VALUE_OUT_OF_RANGE",
        "02 24 02, CONNACK, PROPERTY_VALUE_OUT_OF_RANGE",
        "02 25 05, CONNACK, PROPERTY_VALUE_OUT_OF_RANGE",
        "02 17 02, CONNECT, PROPERTY_VALUE_OUT_OF_RANGE",
        // lengths that do not fit
        "05 11 0000, CONNECT, MALFORMED_PROPERTIES",
        "04 03 0005 61, PUBLISH, MALFORMED_PROPERTIES",
        "02 26 00, PUBLISH, MALFORMED_PROPERTIES",
        // variable byte integers not in their shortest form, or too long
        "80 00, PUBLISH, MALFORMED_VARIABLE_BYTE_INTEGER",
        "03 0b 81 00, PUBLISH, MALFORMED_VARIABLE_BYTE_INTEGER",
        "ff ff ff ff 01, PUBLISH, MALFORMED_VARIABLE_BYTE_INTEGER",
        // strings that are not MQTT strings
        "04 03 0001 00, PUBLISH, NULL_CHARACTER",
        "04 03 0001 ff, PUBLISH, INVALID_UTF8",
    })
    void eachMalformedCaseHasItsOwnViolation(String hex, Property.Where where, ProtocolViolation expected) {
        assertViolation(hex, where, expected);
    }

    @Test
    void aPropertyLengthLargerThanThePacketFailsBeforeAnythingIsRead() {
        // Property Length 268,435,455 in a packet with two bytes after it
        assertViolation("ff ff ff 7f 01 00", Property.Where.PUBLISH, ProtocolViolation.MALFORMED_PROPERTIES);
    }

    @Test
    void binaryDataLongerThanItsPropertyLengthIsRefusedWithoutAllocatingIt() {
        // Correlation Data claiming 65,535 bytes within a Property Length of 3
        assertViolation("03 09 ffff", Property.Where.PUBLISH, ProtocolViolation.MALFORMED_PROPERTIES);
    }

    @Test
    void variableByteIntegersUseTheShortestFormAndReadBackWhateverTheValue() throws Exception {
        Random r = new Random(5);
        for (int i = 0; i < 10_000; i++) {
            int v = i < 20 ? List.of(0, 1, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152, VariableByteInteger.MAX)
                    .get(i % 9) : r.nextInt(VariableByteInteger.MAX + 1);
            ByteBuffer b = ByteBuffer.allocate(4);
            VariableByteInteger.write(v, b);
            assertThat(b.position()).isEqualTo(VariableByteInteger.size(v));
            b.flip();
            assertThat(VariableByteInteger.read(b, b.limit())).isEqualTo(v);
        }
        assertThatThrownBy(() -> VariableByteInteger.write(VariableByteInteger.MAX + 1, ByteBuffer.allocate(5)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theBuilderRefusesValuesThePeerWouldRefuse() {
        assertThatThrownBy(() -> Properties.builder().put(Property.RECEIVE_MAXIMUM, 0))
                .hasMessageContaining("RECEIVE_MAXIMUM of 0");
        assertThatThrownBy(() -> Properties.builder().put(Property.PAYLOAD_FORMAT_INDICATOR, 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Properties.builder().put(Property.TOPIC_ALIAS, 65_536))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Properties.builder().put(Property.CONTENT_TYPE, 5))
                .hasMessageContaining("not a number");
    }
}
