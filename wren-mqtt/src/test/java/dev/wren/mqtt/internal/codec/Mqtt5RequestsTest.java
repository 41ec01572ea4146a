package dev.wren.mqtt.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wren.mqtt.Qos;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MQTT 5.0 CONNECT, SUBSCRIBE, UNSUBSCRIBE and PUBLISH headers, compared with bytes written by hand from chapter 3. */
class Mqtt5RequestsTest {

    private static String hex(ByteBuffer b) {
        b.flip();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return HexFormat.of().formatHex(out);
    }

    @Test
    void aConnectCarriesLevelFiveAndItsPropertiesBeforeThePayload() {
        Mqtt5Requests.Connect c = new Mqtt5Requests.Connect("w", true, 60,
                Properties.builder().put(Property.SESSION_EXPIRY_INTERVAL, 120).build(), null, null, null, false,
                null, null, null);
        ByteBuffer out = ByteBuffer.allocate(PacketEncoder.totalLength(c.remainingLength()));
        c.encode(out);
        assertThat(out.remaining()).isZero();
        // 10, remaining 19, "MQTT", level 5, clean start, keep-alive 60, Session Expiry 120, client id "w"
        assertThat(hex(out)).isEqualTo("1013" + "00044d515454" + "05" + "02" + "003c" + "05" + "1100000078" + "000177");
    }

    @Test
    void aWillGetsItsOwnPropertiesAndAPasswordNeedsNoUserName() {
        Mqtt5Requests.Connect c = new Mqtt5Requests.Connect("w", true, 0, Properties.NONE, "w/t", new byte[] {'x'},
                Qos.AT_LEAST_ONCE, true, Properties.builder().put(Property.WILL_DELAY_INTERVAL, 5).build(), null,
                new byte[] {'p'});
        ByteBuffer out = ByteBuffer.allocate(PacketEncoder.totalLength(c.remainingLength()));
        c.encode(out);
        assertThat(out.remaining()).isZero();
        String bytes = hex(out);
        // flags: password 0x40, will retain 0x20, will QoS 1 0x08, will 0x04, clean start 0x02
        assertThat(bytes.substring(18, 20)).isEqualTo("6e");
        // after the client id: the will's properties, topic and payload, then the password
        assertThat(bytes).endsWith("000177" + "05" + "1800000005" + "0003772f74" + "000178" + "000170");
    }

    @Test
    void subscriptionOptionsSitInOneByteAfterEachFilter() {
        Mqtt5Requests.Subscribe s = new Mqtt5Requests.Subscribe(1, Properties.NONE, List.of(
                new Mqtt5Requests.SubscriptionOption("a/#", Qos.AT_LEAST_ONCE, true, true, 2)));
        ByteBuffer out = ByteBuffer.allocate(PacketEncoder.totalLength(s.remainingLength()));
        s.encode(out);
        // QoS 1 (bit 0), No Local (bit 2), Retain As Published (bit 3), Retain Handling 2 (bits 4-5): 0x2d
        assertThat(hex(out)).isEqualTo("8209" + "0001" + "00" + "0003612f23" + "2d");
    }

    @Test
    void noLocalOnASharedSubscriptionAndBadRetainHandlingAreRefusedWhenBuilt() {
        assertThatThrownBy(() -> new Mqtt5Requests.SubscriptionOption("$share/g/a", Qos.AT_MOST_ONCE, true, false, 0))
                .hasMessageContaining("[MQTT-3.8.3-4]");
        assertThatThrownBy(() -> new Mqtt5Requests.SubscriptionOption("a", Qos.AT_MOST_ONCE, false, false, 3))
                .hasMessageContaining("retainHandling");
        assertThatThrownBy(() -> new Mqtt5Requests.Subscribe(1, Properties.NONE, List.of()))
                .hasMessageContaining("[MQTT-3.8.3-2]");
    }

    @Test
    void anUnsubscribeCarriesItsPropertiesBeforeTheFilters() {
        Mqtt5Requests.Unsubscribe u = new Mqtt5Requests.Unsubscribe(2, Properties.builder().user("k", "v").build(),
                List.of("a"));
        ByteBuffer out = ByteBuffer.allocate(PacketEncoder.totalLength(u.remainingLength()));
        u.encode(out);
        assertThat(hex(out)).isEqualTo("a20d" + "0002" + "07" + "2600016b000176" + "000161");
    }

    @Test
    void aPublishHeaderEndsWithItsPropertiesAndLeavesRoomForThePayload() {
        Properties p = Properties.builder().put(Property.TOPIC_ALIAS, 5).build();
        ByteBuffer out = ByteBuffer.allocate(16);
        Mqtt5Requests.encodePublishHeader("t", 1, false, false, 3, p, 2, out);
        assertThat(Mqtt5Requests.publishRemainingLength("t", 1, p, 2)).isEqualTo(11);
        assertThat(hex(out)).isEqualTo("320b" + "000174" + "0003" + "03" + "230005");
    }
}
