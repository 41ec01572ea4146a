package dev.wren.mqtt.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wren.mqtt.ProtocolVersion;
import dev.wren.mqtt.ProtocolViolation;
import dev.wren.mqtt.Qos;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A received MQTT 5.0 PUBLISH, written by hand from section 3.3, whole, one byte at a time and streamed. */
class Mqtt5PublishTest {

    private static PacketDecoder decoder() {
        return PacketDecoder.unbounded(PacketDecoder.Role.CLIENT, ProtocolVersion.MQTT_5);
    }

    /** A PUBLISH with first byte {@code first} and the body {@code body} (hex), its remaining length computed. */
    private static byte[] publish(int first, String body) {
        byte[] b = Feed.hex(body);
        ByteBuffer out = ByteBuffer.allocate(1 + VariableByteInteger.size(b.length) + b.length);
        out.put((byte) first);
        VariableByteInteger.write(b.length, out);
        out.put(b);
        return out.array();
    }

    @Test
    void theHeaderCarriesEverySubscriptionIdentifierAndThePayloadFollows() throws Exception {
        // QoS 1, topic "a/b", id 9, properties: subscription identifiers 1 and 300, content type "t"; payload "hi"
        byte[] bytes = publish(0x32, "0003 612f62 0009 09 0b01 0bac02 03 0001 74 6869");
        for (List<Packet> got : List.of(Feed.whole(decoder(), bytes), Feed.oneByteAtATime(decoder(), bytes))) {
            Packet.Publish p = (Packet.Publish) got.get(0);
            assertThat(p.topic()).isEqualTo("a/b");
            assertThat(p.qos()).isEqualTo(Qos.AT_LEAST_ONCE);
            assertThat(p.packetId()).isEqualTo(9);
            assertThat(p.properties().subscriptionIdentifiers()).containsExactly(1, 300);
            assertThat(p.properties().contentType()).contains("t");
            assertThat(p.payloadBytes()).containsExactly('h', 'i');
        }
    }

    @Test
    void aPublishLargerThanTheBufferIsHandedOverAfterItsProperties() throws Exception {
        // the same PUBLISH, with a receive buffer of 16 bytes: the header (with its properties) comes whole, the
        // payload is streamed
        byte[] bytes = publish(0x32, "0003 612f62 0009 09 0b01 0bac02 03 0001 74 68696a6b6c6d6e6f70");
        PacketDecoder d = new PacketDecoder(PacketDecoder.Role.CLIENT, ProtocolVersion.MQTT_5, 1024, 24);
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, 20); // the 19-byte header and one payload byte have arrived
        for (int limit = 1; limit < 19; limit++) {
            assertThat(d.decode(ByteBuffer.wrap(bytes, 0, limit))).as("after %d bytes", limit).isNull();
        }
        Packet.Publish p = (Packet.Publish) d.decode(in);
        assertThat(p.payload()).isNull();
        assertThat(p.properties().subscriptionIdentifiers()).containsExactly(1, 300);
        assertThat(d.payloadRemaining()).isEqualTo(9);
        assertThat(in.position()).isEqualTo(19);
    }

    @Test
    void anEmptyTopicIsAllowedOnlyWithATopicAlias() throws Exception {
        Packet.Publish p = (Packet.Publish) Feed.whole(decoder(), publish(0x30, "0000 03 230007 78")).get(0);
        assertThat(p.topic()).isEmpty();
        assertThat(p.properties().topicAliasOrZero()).isEqualTo(7);
        assertThatThrownBy(() -> Feed.whole(decoder(), publish(0x30, "0000 00 78")))
                .isInstanceOfSatisfying(MalformedPacketException.class,
                        e -> assertThat(e.violation()).isEqualTo(ProtocolViolation.INVALID_TOPIC_NAME));
    }

    @ParameterizedTest(name = "{1}: {2}")
    @CsvSource({
        "36, 0001 61 0001 00, INVALID_QOS",                  // QoS 3
        "30, 0001 2b 00, INVALID_TOPIC_NAME",                // topic "+"
        "32, 0001 61 0000 00, ZERO_PACKET_ID",
        "30, 0001 61 03 2300 00, PROPERTY_VALUE_OUT_OF_RANGE", // Topic Alias 0
        "30, 0001 61 03 1f0000, PROPERTY_NOT_ALLOWED",      // a Reason String on PUBLISH
        "30, 0001 61 04 0101 0100, DUPLICATE_PROPERTY",     // Payload Format Indicator twice
        "30, 0001 61 02 2a 01, PROPERTY_NOT_ALLOWED",       // Shared Subscription Available is a CONNACK's
        "30, 0001 61 02 7f 00, UNKNOWN_PROPERTY",
        "30, 0001 61 09, MALFORMED_PROPERTIES",             // Property Length past the end
        "30, 0001 61 02 01 05, PROPERTY_VALUE_OUT_OF_RANGE", // Payload Format Indicator 5
    })
    void eachMalformedPublishHasItsViolation(String first, String body, ProtocolViolation expected) {
        byte[] bytes = publish(Integer.parseInt(first, 16), body);
        assertThatThrownBy(() -> Feed.oneByteAtATime(decoder(), bytes))
                .isInstanceOfSatisfying(MalformedPacketException.class,
                        e -> assertThat(e.violation()).isEqualTo(expected));
    }

    @Test
    void whatTheEncoderWritesTheDecoderReadsBack() throws Exception {
        Properties props = Properties.builder().put(Property.MESSAGE_EXPIRY_INTERVAL, 30)
                .put(Property.RESPONSE_TOPIC, "r").put(Property.CORRELATION_DATA, new byte[] {1, 2}).user("u", "v")
                .build();
        Packet.Publish sent = new Packet.Publish("s/1", Qos.EXACTLY_ONCE, true, true, 44,
                ByteBuffer.wrap(new byte[] {9}), 1, props);
        assertThat(Feed.oneByteAtATime(decoder(), Feed.encode(sent))).containsExactly(sent);
    }
}
