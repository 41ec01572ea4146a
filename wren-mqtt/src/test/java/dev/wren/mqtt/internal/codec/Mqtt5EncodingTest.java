package dev.wren.mqtt.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.mqtt.ProtocolVersion;
import dev.wren.mqtt.Qos;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MQTT 5.0 CONNECT, SUBSCRIBE, UNSUBSCRIBE and PUBLISH headers, compared with bytes written by hand from chapter 3. */
class Mqtt5EncodingTest {

    private static String hex(Packet p) {
        return Feed.hex(Feed.encode(p));
    }

    private static Packet.Connect connect(int keepAlive, Properties props, String willTopic, Properties willProps,
                                          byte[] password) {
        return new Packet.Connect(ProtocolVersion.MQTT_5, "w", true, keepAlive, willTopic,
                willTopic == null ? null : new byte[] {'x'}, willTopic == null ? Qos.AT_MOST_ONCE : Qos.AT_LEAST_ONCE,
                willTopic != null, null, password, props, willProps);
    }

    @Test
    void aConnectCarriesLevelFiveAndItsPropertiesBeforeThePayload() {
        Packet.Connect c = connect(60, Properties.builder().put(Property.SESSION_EXPIRY_INTERVAL, 120).build(), null,
                null, null);
        // 10, remaining 19, "MQTT", level 5, clean start, keep-alive 60, Session Expiry 120, client id "w"
        assertThat(hex(c)).isEqualTo("1013" + "00044d515454" + "05" + "02" + "003c" + "05" + "1100000078" + "000177");
    }

    @Test
    void aWillGetsItsOwnPropertiesAndAPasswordNeedsNoUserName() {
        String bytes = hex(connect(0, Properties.NONE, "w/t",
                Properties.builder().put(Property.WILL_DELAY_INTERVAL, 5).build(), new byte[] {'p'}));
        // flags: password 0x40, will retain 0x20, will QoS 1 0x08, will 0x04, clean start 0x02
        assertThat(bytes.substring(18, 20)).isEqualTo("6e");
        // after the client id: the will's properties, topic and payload, then the password
        assertThat(bytes).endsWith("000177" + "05" + "1800000005" + "0003772f74" + "000178" + "000170");
    }

    @Test
    void subscriptionOptionsSitInOneByteAfterEachFilter() {
        Packet.Subscribe s = new Packet.Subscribe(1, List.of("a/#"), List.of(Qos.AT_LEAST_ONCE), List.of(0x2C),
                Properties.NONE);
        // QoS 1 (bit 0), No Local (bit 2), Retain As Published (bit 3), Retain Handling 2 (bits 4-5): 0x2d
        assertThat(hex(s)).isEqualTo("8209" + "0001" + "00" + "0003612f23" + "2d");
    }

    @Test
    void a311SubscribeHasNoPropertySection() {
        assertThat(hex(new Packet.Subscribe(1, List.of("a/#"), List.of(Qos.AT_LEAST_ONCE))))
                .isEqualTo("8208" + "0001" + "0003612f23" + "01");
    }

    @Test
    void anUnsubscribeCarriesItsPropertiesBeforeTheFilters() {
        Packet.Unsubscribe u = new Packet.Unsubscribe(2, List.of("a"), Properties.builder().user("k", "v").build());
        assertThat(hex(u)).isEqualTo("a20d" + "0002" + "07" + "2600016b000176" + "000161");
    }

    @Test
    void aPublishHeaderEndsWithItsPropertiesAndLeavesRoomForThePayload() {
        ByteBuffer out = ByteBuffer.allocate(16);
        PacketEncoder.encodePublishHeader5("t", 1, 1, false, false, 3, 5, Properties.NONE, 2, out);
        assertThat(PacketEncoder.publishHeaderLength5(1, 1, 5, Properties.NONE, 2)).isEqualTo(11);
        out.flip();
        byte[] b = new byte[out.remaining()];
        out.get(b);
        assertThat(Feed.hex(b)).isEqualTo("320b" + "000174" + "0003" + "03" + "230005");
    }

    @Test
    void aPublishWithAnAliasKnownToTheServerHasAnEmptyTopic() {
        ByteBuffer out = ByteBuffer.allocate(16);
        PacketEncoder.encodePublishHeader5("", 0, 0, false, false, 0, 5,
                Properties.builder().put(Property.CONTENT_TYPE, "a").build(), 1, out);
        out.flip();
        byte[] b = new byte[out.remaining()];
        out.get(b);
        // topic length 0, Property Length 7: Topic Alias 5, Content Type "a"; one payload byte to follow
        assertThat(Feed.hex(b)).isEqualTo("300b" + "0000" + "07" + "230005" + "03000161");
    }

    @Test
    void aCheckedTopicsCachedBytesEncodeAsTheTopicStringDoes() {
        Properties ct = Properties.builder().put(Property.CONTENT_TYPE, "a").build();
        CheckedTopic checked = CheckedTopic.of("ü/t", null);
        for (boolean withName : new boolean[] {true, false}) {
            for (int qos = 0; qos <= 2; qos++) {
                ByteBuffer fromString = ByteBuffer.allocate(32);
                ByteBuffer fromChecked = ByteBuffer.allocate(32);
                int alias = withName ? 0 : 5;
                PacketEncoder.encodePublishHeader5(withName ? "ü/t" : "", withName ? 4 : 0, qos, qos == 1, true, 9,
                        alias, ct, 3, fromString);
                PacketEncoder.encodePublishHeader5(checked, withName, qos, qos == 1, true, 9, alias, ct, 3, fromChecked);
                assertThat(fromChecked.flip()).as("name %s, QoS %d", withName, qos).isEqualTo(fromString.flip());
            }
        }
    }

    @Test
    void anAcknowledgementWithAReasonAndNoPropertiesLeavesThePropertyLengthOut() {
        assertThat(hex(new Packet.PubAck(7, 0x10, null))).isEqualTo("4003000710");
        assertThat(hex(new Packet.PubRec(7, 0x87, Properties.builder().put(Property.REASON_STRING, "no").build())))
                .isEqualTo("5009000787051f00026e6f");
        assertThat(hex(new Packet.Disconnect(0x04, null))).isEqualTo("e00104");
    }
}
