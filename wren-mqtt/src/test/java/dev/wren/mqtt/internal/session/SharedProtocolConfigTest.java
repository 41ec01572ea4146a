package dev.wren.mqtt.internal.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.Qos;
import dev.wren.mqtt.Will;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Clients built alike share one protocol configuration, and each still connects with its own client id. */
class SharedProtocolConfigTest {

    private static MqttClientConfig.Builder config(String id) {
        return MqttClientConfig.builder().broker("127.0.0.1", 1883).clientId(id);
    }

    @Test
    void clientsThatDifferOnlyInTheirIdsShareOneConfigurationWithoutAnId() {
        ProtocolConfig a = ProtocolConfig.shared(config("sensor-1").build());
        ProtocolConfig b = ProtocolConfig.shared(config("sensor-2").build());
        assertThat(b).isSameAs(a);
        assertThat(a.clientId()).isEmpty();
    }

    @Test
    void aClientThatDiffersInAnythingElseGetsAConfigurationOfItsOwn() {
        ProtocolConfig plain = ProtocolConfig.shared(config("x").build());
        ProtocolConfig keepAlive = ProtocolConfig.shared(config("x").keepAlive(java.time.Duration.ofSeconds(17))
                .build());
        assertThat(keepAlive).isNotSameAs(plain);
        assertThat(keepAlive.keepAliveSeconds()).isEqualTo(17);
        ProtocolConfig will = ProtocolConfig.shared(config("x").will(new Will("w/1", new byte[] {1}, Qos.AT_LEAST_ONCE,
                false)).build());
        ProtocolConfig otherWill = ProtocolConfig.shared(config("x").will(new Will("w/2", new byte[] {1},
                Qos.AT_LEAST_ONCE, false)).build());
        assertThat(otherWill).isNotSameAs(will);
        assertThat(otherWill.will().topic()).isEqualTo("w/2");
        ProtocolConfig password = ProtocolConfig.shared(config("x").userName("u")
                .password("p".getBytes(StandardCharsets.UTF_8)).build());
        ProtocolConfig samePassword = ProtocolConfig.shared(config("y").userName("u")
                .password("p".getBytes(StandardCharsets.UTF_8)).build());
        assertThat(samePassword).as("a password is compared by identity: never shared").isNotSameAs(password);
    }

    @Test
    void aCoreOnASharedConfigurationConnectsWithTheIdItWasGiven() {
        ProtocolConfig shared = ProtocolConfig.shared(config("first").build());
        for (String id : new String[] {"first", "second"}) {
            ClientProtocol core = new ClientProtocol(shared, id, new Session(), () -> { }, ByteBuffer.allocate(4096));
            core.start(1_000);
            String connect = ProtocolHarness.written(core, 1_000);
            String idHex = HexFormat.of().formatHex(id.getBytes(StandardCharsets.UTF_8));
            assertThat(connect).as("CONNECT of %s", id).startsWith("10")
                    .endsWith(String.format("%04x", id.length()) + idHex);
        }
    }
}
