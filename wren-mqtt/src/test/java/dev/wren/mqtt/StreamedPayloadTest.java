package dev.wren.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.testing.FakeBroker;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The three ways to consume a streamed payload, and skipping one, against a scripted server. */
class StreamedPayloadTest {

    private static final byte[] PAYLOAD = TwoPublishesServer.PAYLOAD;

    private static FakeBroker broker() {
        return TwoPublishesServer.start();
    }

    private static MqttClientConfig config(FakeBroker broker) {
        return MqttClientConfig.builder().broker(broker.host(), broker.port()).receiveBufferSize(128)
                .transmitBufferSize(128).keepAlive(Duration.ofSeconds(30)).build();
    }

    @Test
    void readAllPayloadReadsTheWholePayloadInOneCall() throws Exception {
        try (FakeBroker broker = broker()) {
            ByteBuffer all = ByteBuffer.allocate(PAYLOAD.length);
            int[] read = {-1};
            Events events = new Events().reacting((client, e) -> {
                if (e instanceof MqttEvent.Publish p && p.streamed()) {
                    read[0] = client.payload().readAll(all, 5_000);
                }
            });
            MqttClient client = new MqttClient(config(broker), events);
            client.connect();
            Poll.until(() -> events.count(MqttEvent.Publish.class) == 2 && !client.wantsWrite(), 5_000, client);
            assertThat(read[0]).isEqualTo(PAYLOAD.length);
            assertThat(all.array()).isEqualTo(PAYLOAD);
            MqttEvent.Publish small = events.last(MqttEvent.Publish.class);
            assertThat(small.topic()).isEqualTo("small");
            assertThat(small.payloadBytes()).isEqualTo("ok".getBytes());
            client.disconnect();
            broker.await();
        }
    }

    @Test
    void skippedPayloadIsDiscardedAcknowledgedAndTheNextPacketStillArrives() throws Exception {
        try (FakeBroker broker = broker()) {
            Events events = new Events().reacting((client, e) -> {
                if (e instanceof MqttEvent.Publish p && p.streamed()) {
                    client.payload().skip();
                }
            });
            MqttClient client = new MqttClient(config(broker), events);
            client.connect();
            Poll.until(() -> events.count(MqttEvent.Publish.class) == 2 && !client.wantsWrite(), 5_000, client);
            assertThat(events.of(MqttEvent.Publish.class)).extracting(MqttEvent.Publish::topic)
                    .containsExactly("big", "small");
            assertThat(client.payload().remaining()).isZero();
            client.disconnect();
            broker.await();
        }
    }

    @Test
    void payloadCanBeReadAfterTheHandlerReturnedAndInputWaitsForIt() throws Exception {
        try (FakeBroker broker = broker()) {
            Events events = new Events();
            MqttClient client = new MqttClient(config(broker), events);
            client.connect();
            Poll.until(() -> events.count(MqttEvent.Publish.class) == 1, 5_000, client);
            // input() processes nothing more while the payload waits: the second PUBLISH stays unread
            Poll.forMillis(100, client);
            assertThat(events.count(MqttEvent.Publish.class)).isEqualTo(1);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            ByteBuffer piece = ByteBuffer.allocate(100);
            while (client.payload().remaining() > 0) {
                int n = client.payload().readBlocking(piece.clear(), 2_000);
                assertThat(n).isPositive();
                got.write(piece.array(), 0, n);
            }
            assertThat(got.toByteArray()).isEqualTo(PAYLOAD);
            assertThat(client.payload().read(piece.clear())).isEqualTo(-1);
            Poll.until(() -> events.count(MqttEvent.Publish.class) == 2 && !client.wantsWrite(), 5_000, client);
            client.disconnect();
            broker.await();
        }
    }
}
