package dev.wren.mqtt.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wren.mqtt.ProtocolViolation;
import dev.wren.mqtt.Qos;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The variable header of a received MQTT 5.0 PUBLISH, written by hand from section 3.3.2. */
class Mqtt5PublishTest {

    private static ByteBuffer bytes(String hex) {
        return ByteBuffer.wrap(HexFormat.of().parseHex(hex.replace(" ", "")));
    }

    @Test
    void theHeaderEndsAtThePayloadAndCarriesEverySubscriptionIdentifier() throws Exception {
        // QoS 1, topic "a/b", id 9, properties: subscription identifiers 1 and 300, content type "t"; payload "hi"
        ByteBuffer in = bytes("0003 612f62 0009 09 0b01 0bac02 03 0001 74 6869");
        Mqtt5Publish p = Mqtt5Publish.readHeader(0x02, in, in.limit());
        assertThat(p.topic()).isEqualTo("a/b");
        assertThat(p.qos()).isEqualTo(Qos.AT_LEAST_ONCE);
        assertThat(p.packetId()).isEqualTo(9);
        assertThat(p.properties().subscriptionIdentifiers()).containsExactly(1L, 300L);
        assertThat(p.properties().get(Property.CONTENT_TYPE)).isEqualTo("t");
        assertThat(in.remaining()).as("the payload is what is left").isEqualTo(2);
    }

    @Test
    void anEmptyTopicIsAllowedOnlyWithATopicAlias() throws Exception {
        ByteBuffer aliased = bytes("0000 03 230007 78");
        Mqtt5Publish p = Mqtt5Publish.readHeader(0x00, aliased, aliased.limit());
        assertThat(p.topic()).isEmpty();
        assertThat(p.topicAlias()).isEqualTo(7);
        ByteBuffer neither = bytes("0000 00 78");
        assertThatThrownBy(() -> Mqtt5Publish.readHeader(0x00, neither, neither.limit()))
                .isInstanceOfSatisfying(MalformedPacketException.class,
                        e -> assertThat(e.violation()).isEqualTo(ProtocolViolation.INVALID_TOPIC_NAME));
    }

    @ParameterizedTest(name = "{1}: {2}")
    @CsvSource({
        "06, 0001 61 00, INVALID_QOS",                  // QoS 3
        "00, 0001 2b 00, INVALID_TOPIC_NAME",           // topic "+"
        "02, 0001 61 0000 00, ZERO_PACKET_ID",
        "00, 0001 61 03 2300 00, PROPERTY_VALUE_OUT_OF_RANGE", // Topic Alias 0
        "00, 0001 61 03 1f0000, PROPERTY_NOT_ALLOWED",  // a Reason String on PUBLISH
        "00, 0005 61, LENGTH_MISMATCH",
    })
    void eachMalformedHeaderHasItsViolation(String flags, String hex, ProtocolViolation expected) {
        ByteBuffer in = bytes(hex);
        assertThatThrownBy(() -> Mqtt5Publish.readHeader(Integer.parseInt(flags, 16), in, in.limit()))
                .isInstanceOfSatisfying(MalformedPacketException.class,
                        e -> assertThat(e.violation()).isEqualTo(expected));
    }

    @Test
    void whatTheEncoderWritesTheReaderReadsBack() throws Exception {
        Properties props = Properties.builder().put(Property.MESSAGE_EXPIRY_INTERVAL, 30)
                .put(Property.RESPONSE_TOPIC, "r").put(Property.CORRELATION_DATA, new byte[] {1, 2}).user("u", "v")
                .build();
        ByteBuffer out = ByteBuffer.allocate(64);
        Mqtt5Requests.encodePublishHeader("s/1", 2, true, true, 44, props, 0, out);
        out.flip();
        int flags = out.get() & 0x0F;
        int remaining = VariableByteInteger.read(out, out.limit());
        assertThat(remaining).isEqualTo(out.remaining());
        Mqtt5Publish p = Mqtt5Publish.readHeader(flags, out, out.limit());
        assertThat(p).isEqualTo(new Mqtt5Publish("s/1", Qos.EXACTLY_ONCE, true, true, 44, props));
    }
}
