package dev.wren.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link MqttEvent.Publish}, the one received-message type of both clients. */
class ReceivedMessageTest {

    @Test
    void acknowledgeRunsTheClientsAcknowledgementOnceHoweverOftenItIsCalled() {
        AtomicInteger acks = new AtomicInteger();
        MqttEvent.Publish m = new MqttEvent.Publish("t", Qos.AT_LEAST_ONCE, false, false, 7, 1,
                ByteBuffer.wrap(new byte[] {1}).asReadOnlyBuffer(), acks::incrementAndGet);
        m.acknowledge();
        m.acknowledge();
        assertThat(acks).hasValue(1);
        MqttEvent.Publish.of("t", new byte[0], Qos.AT_MOST_ONCE, false).acknowledge(); // nothing to run: no failure
    }

    @Test
    void thePayloadIsAReadOnlyViewThatItsReaderCannotMoveForOthersAndPayloadBytesIsACopy() {
        byte[] array = "21.5".getBytes(StandardCharsets.UTF_8);
        MqttEvent.Publish m = MqttEvent.Publish.of("sensors/7", array, Qos.AT_LEAST_ONCE, true);
        ByteBuffer view = m.payload();
        assertThatThrownBy(() -> view.put(0, (byte) 0)).isInstanceOf(ReadOnlyBufferException.class);
        view.get(); // moves this view only
        assertThat(m.payload().remaining()).isEqualTo(4);
        byte[] copy = m.payloadBytes();
        copy[0] = 'x';
        assertThat(m.payloadAsString()).isEqualTo("21.5");
        assertThat(m.retain()).isTrue();
        assertThat(m.streamed()).isFalse();
    }

    @Test
    void aStreamedPayloadSaysWhereToReadIt() {
        MqttEvent.Publish m = new MqttEvent.Publish("t", Qos.AT_MOST_ONCE, false, false, 0, 1_000_000, null);
        assertThat(m.streamed()).isTrue();
        assertThat(m.payload()).isNull();
        assertThatThrownBy(m::payloadBytes).hasMessageContaining("MqttClient.payload()");
    }
}
