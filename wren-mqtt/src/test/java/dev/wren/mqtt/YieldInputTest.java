package dev.wren.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.testing.FakeBroker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link MqttClient#yieldInput()}: a handler stops the input in progress from reading more, and loses nothing. */
class YieldInputTest {

    /** Ten QoS 0 PUBLISHes on "t" of 40 bytes each (payload: the index in its first byte), sent in one write. */
    private static byte[] tenPublishes() {
        byte[] all = new byte[10 * 42];
        for (int i = 0; i < 10; i++) {
            int at = i * 42;
            all[at] = 0x30;
            all[at + 1] = 40;
            all[at + 2] = 0;
            all[at + 3] = 1;
            all[at + 4] = 't';
            all[at + 5] = (byte) i;
        }
        return all;
    }

    @Test
    void aHandlerThatYieldsGetsTheRestFromLaterInputCallsInOrder() throws Exception {
        try (FakeBroker broker = FakeBroker.start(c -> {
            c.expect(FakeBroker.CONNECT);
            c.send("20020000");
            c.send(tenPublishes());
            c.expect(FakeBroker.DISCONNECT);
        })) {
            java.util.List<Integer> got = new java.util.ArrayList<>();
            Events events = new Events().reacting((client, e) -> {
                if (e instanceof MqttEvent.Publish p) {
                    got.add((int) p.payload().get(0));
                    client.yieldInput();
                }
            });
            // 128 bytes hold three of the 42-byte packets: each read brings at most three
            MqttClient client = new MqttClient(MqttClientConfig.builder().broker(broker.host(), broker.port())
                    .receiveBufferSize(128).transmitBufferSize(128).keepAlive(Duration.ofSeconds(30)).build(), events);
            client.connect();
            Poll.until(() -> !got.isEmpty(), 5_000, client);
            int afterFirst = got.size();
            assertThat(afterFirst).as("messages after the input that first delivered one").isLessThanOrEqualTo(3);
            int calls = 0;
            while (got.size() < 10 && calls < 1_000) {
                client.input();
                calls++;
                Thread.sleep(1);
            }
            assertThat(got).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
            assertThat(calls).as("input calls for the other seven").isGreaterThanOrEqualTo(3);
            client.yieldInput(); // outside input(): nothing to stop, and no effect on the next call
            client.disconnect();
            broker.await();
        }
    }
}
