package dev.wren.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Invalid configuration fails when built, with a message that starts with the field's name. */
class MqttClientConfigTest {

    private static MqttClientConfig.Builder base() {
        return MqttClientConfig.builder().broker("localhost", 1883);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("host", (Consumer<MqttClientConfig.Builder>) b -> b.broker("", 1883)),
                Arguments.of("port", (Consumer<MqttClientConfig.Builder>) b -> b.broker("h", 0)),
                Arguments.of("port", (Consumer<MqttClientConfig.Builder>) b -> b.broker("h", 65536)),
                Arguments.of("clientId", (Consumer<MqttClientConfig.Builder>) b -> b.clientId("a\u0000b")),
                Arguments.of("clientId", (Consumer<MqttClientConfig.Builder>) b -> b.clientId("x".repeat(24))
                        .protocolVersion(ProtocolVersion.MQTT_3_1).build()),
                Arguments.of("clientId", (Consumer<MqttClientConfig.Builder>) b -> b.clientId("").cleanSession(false).build()),
                Arguments.of("password", (Consumer<MqttClientConfig.Builder>) b -> b.password(new byte[1]).build()),
                Arguments.of("userName", (Consumer<MqttClientConfig.Builder>) b -> b.userName("bad\uD800")),
                Arguments.of("keepAlive", (Consumer<MqttClientConfig.Builder>) b -> b.keepAlive(Duration.ofSeconds(65536))),
                Arguments.of("keepAlive", (Consumer<MqttClientConfig.Builder>) b -> b.keepAlive(Duration.ofMillis(1500))),
                Arguments.of("keepAlive", (Consumer<MqttClientConfig.Builder>) b -> b.keepAlive(Duration.ofSeconds(-1))),
                Arguments.of("pingTimeout", (Consumer<MqttClientConfig.Builder>) b -> b.pingTimeout(Duration.ZERO)),
                Arguments.of("connectTimeout", (Consumer<MqttClientConfig.Builder>) b -> b.connectTimeout(null)),
                Arguments.of("receiveBufferSize", (Consumer<MqttClientConfig.Builder>) b -> b.receiveBufferSize(8)),
                Arguments.of("transmitBufferSize", (Consumer<MqttClientConfig.Builder>) b -> b.transmitBufferSize(1 << 25)),
                Arguments.of("transmitBufferLimit", (Consumer<MqttClientConfig.Builder>) b -> b.transmitBufferLimit(8)),
                Arguments.of("transmitBufferLimit", (Consumer<MqttClientConfig.Builder>) b -> b.transmitBufferSize(8192)
                        .transmitBufferLimit(4096).build()),
                Arguments.of("receiveBufferLimit", (Consumer<MqttClientConfig.Builder>) b -> b.receiveBufferSize(8192)
                        .receiveBufferLimit(4096).build()),
                Arguments.of("maxIncomingPacketSize", (Consumer<MqttClientConfig.Builder>) b -> b.maxIncomingPacketSize(1)),
                Arguments.of("maxInflight", (Consumer<MqttClientConfig.Builder>) b -> b.maxInflight(0)),
                Arguments.of("transmitBufferSize", (Consumer<MqttClientConfig.Builder>) b -> b.transmitBufferSize(16)
                        .clientId("a-rather-long-client-id").build()),
                Arguments.of("will.topic", (Consumer<MqttClientConfig.Builder>) b -> b.will(
                        new Will("a/#", new byte[0], Qos.AT_MOST_ONCE, false))),
                Arguments.of("will.payload", (Consumer<MqttClientConfig.Builder>) b -> b.will(
                        new Will("a", new byte[65536], Qos.AT_MOST_ONCE, false))),
                Arguments.of("protocolVersion", (Consumer<MqttClientConfig.Builder>) b -> b.protocolVersion(null)),
                Arguments.of("transport", (Consumer<MqttClientConfig.Builder>) b -> b.transport(null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void invalidConfigurationNamesTheField(String field, Consumer<MqttClientConfig.Builder> change) {
        assertThatThrownBy(() -> change.accept(base()))
                .isInstanceOfAny(IllegalArgumentException.class, NullPointerException.class)
                .hasMessageStartingWith(field + " ");
    }

    @Test
    void missingBrokerNamesHost() {
        assertThatThrownBy(() -> MqttClientConfig.builder().build()).hasMessageStartingWith("host ");
    }

    @Test
    void defaultsAreSensible() {
        MqttClientConfig c = base().build();
        assertThat(c.port()).isEqualTo(1883);
        assertThat(c.clientId()).matches("wren-[0-9a-f]{8}");
        assertThat(c.cleanSession()).isTrue();
        assertThat(c.keepAliveSeconds()).isEqualTo(60);
        assertThat(c.pingTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.protocolVersion()).isEqualTo(ProtocolVersion.MQTT_3_1_1);
        assertThat(c.manualAcks()).isFalse();
        assertThat(c.maxIncomingPacketSize()).isEqualTo(268_435_460);
    }

    /** An authenticator that answers nothing: only its identity matters here. */
    private static Authenticator authenticator(String method) {
        return new Authenticator() {
            @Override
            public String method() {
                return method;
            }

            @Override
            public byte[] initialData() {
                return null;
            }

            @Override
            public byte[] challenge(byte[] serverData) {
                return null;
            }

            @Override
            public void accepted(byte[] serverData) {
            }
        };
    }

    @Test
    void configurationsThatDifferOnlyInTheirAuthenticatorAreNotEqual() {
        // the async client reconfigures its core only when the next attempt's configuration is not equal to the
        // last: a reconnect hook that hands over a fresh authenticator (a renewed token) must be taken
        MqttClientConfig.Builder b = base().clientId("x").protocolVersion(ProtocolVersion.MQTT_5);
        MqttClientConfig first = b.authenticator(authenticator("TOKEN")).build();
        MqttClientConfig renewed = first.toBuilder().authenticator(authenticator("TOKEN")).build();
        assertThat(renewed).isNotEqualTo(first);
        assertThat(first.toBuilder().build()).isEqualTo(first);
    }

    @Test
    void aSessionExpiryLeftToItsDefaultIsNotEqualToOneSetToTheSameValue() {
        // equal configurations behave alike, through toBuilder too: the default follows cleanSession, a set one not
        MqttClientConfig byDefault = base().clientId("x").protocolVersion(ProtocolVersion.MQTT_5).build();
        MqttClientConfig set = byDefault.toBuilder().sessionExpiryInterval(byDefault.sessionExpiryInterval()).build();
        assertThat(set.sessionExpiryInterval()).isEqualTo(byDefault.sessionExpiryInterval());
        assertThat(set).isNotEqualTo(byDefault);
        assertThat(set.toBuilder().cleanSession(false).build().sessionExpiryInterval())
                .isNotEqualTo(byDefault.toBuilder().cleanSession(false).build().sessionExpiryInterval());
    }

    @Test
    void toBuilderCopiesEverythingAndTheCopyIsIndependent() {
        MqttClientConfig c = base().clientId("x").userName("u").password("p".getBytes(StandardCharsets.UTF_8))
                .will(new Will("w", new byte[] {1}, Qos.AT_LEAST_ONCE, true)).cleanSession(false)
                .transmitBufferLimit(32_768).build();
        assertThat(c.toBuilder().build()).isEqualTo(c);
        assertThat(c.toBuilder().build().transmitBufferLimit()).isEqualTo(32_768);
        assertThat(c.toBuilder().transmitBufferLimit(16_384).build()).isNotEqualTo(c);
        assertThat(c.toBuilder().clientId("y").build().clientId()).isEqualTo("y");
        assertThat(c.clientId()).isEqualTo("x");
        byte[] pw = c.password();
        pw[0] = 'X';
        assertThat(c.password()).isEqualTo("p".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aBuilderUsedTwiceGivesEachConfigurationItsOwnGeneratedClientIdAndKeepsDerivedValuesDerived() {
        MqttClientConfig.Builder b = base();
        MqttClientConfig first = b.build();
        MqttClientConfig second = b.build();
        // two clients built from one builder must not share an identifier: the broker would throw one out
        assertThat(first.clientId()).startsWith("wren-").isNotEqualTo(second.clientId());
        assertThat(first.pingTimeout()).isEqualTo(Duration.ofSeconds(30));
        // the ping timeout follows a keep-alive set after an earlier build, as it would on a fresh builder
        assertThat(b.keepAlive(Duration.ofSeconds(5)).build().pingTimeout()).isEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void theDefaultPingTimeoutIsHalfTheKeepAliveSoADeadBrokerIsNoticedWithinOneAndAHalfIntervals() {
        assertThat(base().keepAlive(Duration.ofSeconds(120)).build().pingTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(base().keepAlive(Duration.ofSeconds(1)).build().pingTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(base().keepAlive(Duration.ZERO).build().pingTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void anEmptyClientIdIsAllowedWithCleanSessionIn311() {
        assertThat(base().clientId("").build().clientId()).isEmpty();
    }

    @Test
    void passwordWithoutUserNameIsAllowedInMqtt31() {
        assertThat(base().protocolVersion(ProtocolVersion.MQTT_3_1).clientId("c").password(new byte[] {1}).build()
                .password()).hasSize(1);
    }
}
