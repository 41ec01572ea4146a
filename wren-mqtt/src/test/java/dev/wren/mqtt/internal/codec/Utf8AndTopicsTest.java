package dev.wren.mqtt.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Utf8AndTopicsTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "sensors/temp", "é", "中文/主题", "\uD83D\uDE00 emoji", "\uFEFF bom is allowed [MQTT-1.5.3-3]"})
    void wellFormedStringsDecodeAsJavaWouldEncodeThem(String s) throws Exception {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        assertThat(Utf8.encodedLength(s)).isEqualTo(utf8.length);
        assertThat(Utf8.decode(ByteBuffer.wrap(utf8), 0, utf8.length, null)).isEqualTo(s);
        ByteBuffer out = ByteBuffer.allocate(utf8.length);
        Utf8.encode(s, out);
        assertThat(out.array()).isEqualTo(utf8);
    }

    @Test
    void encodingRefusesUnpairedSurrogatesAndNull() {
        assertThatThrownBy(() -> Utf8.encodedLength("a\uD800b")).hasMessageContaining("unpaired surrogate");
        assertThatThrownBy(() -> Utf8.encodedLength("a\uDC00")).hasMessageContaining("unpaired surrogate");
        assertThatThrownBy(() -> Utf8.encodedLength("a\u0000")).hasMessageContaining("U+0000");
    }

    @ParameterizedTest
    @CsvSource({"a/b, a/b, true", "a/+, a/b, true", "a/#, a/b/c, true", "a/#, a, true", "#, a/b, true",
            "+/+, a/b, true", "+, a/b, false", "a/+/c, a/b/c, true", "a/+/c, a/b/d, false", "+, $SYS, false",
            "#, $SYS/x, false", "$SYS/#, $SYS/x, true", "a/b, a/b/c, false", "/+, /a, true", "+/+, /a, true",
            "$share/g/a/+, a/b, true", "$share/g/#, a/b, true", "$share/g/#, $SYS/x, false",
            "$share/g/a, $share/g/a, false", "$share/g/$SYS/#, $SYS/x, true", "$share, $share, true"})
    void topicMatchingFollowsSection47(String filter, String topic, boolean matches) {
        assertThat(Topics.matches(filter, topic)).isEqualTo(matches);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a#", "a/#/b", "a/b#", "+a", "a/+b", "a+/b", "", "$share//a", "$share/+/a", "$share/g#/a",
            "$share/g", "$share/g/", "$share/g/a#"})
    void invalidFiltersAreRefusedWithTheFieldName(String filter) {
        assertThatThrownBy(() -> Topics.checkFilter("filter", filter)).hasMessageStartingWith("filter ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"#", "+", "a/#", "+/b/+", "/", "a//b", "$SYS/#", "$share/g/#", "$share/g/a/+", "$share"})
    void validFiltersPass(String filter) {
        assertThat(Topics.checkFilter("filter", filter)).isEqualTo(filter.length());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/+", "#", "", "a\u0000b"})
    void invalidTopicNamesAreRefused(String topic) {
        assertThatThrownBy(() -> Topics.checkName("topic", topic)).hasMessageStartingWith("topic ");
    }

    @Test
    void topicsLongerThan65535BytesAreRefused() {
        assertThatThrownBy(() -> Topics.checkName("topic", "é".repeat(32768)))
                .hasMessageContaining("65536 bytes");
    }
}
