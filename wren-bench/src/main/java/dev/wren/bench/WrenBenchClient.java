package dev.wren.bench;

import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.Qos;
import dev.wren.mqtt.async.AsyncMqttClient;
import dev.wren.mqtt.async.AsyncMqttClientBuilder;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Wren's asynchronous client. */
final class WrenBenchClient extends BenchClient {
    private AsyncMqttClient client;

    WrenBenchClient(int window) {
        super(window);
    }

    @Override
    String name() {
        return "Wren";
    }

    @Override
    void connect(String host, int port, String clientId) throws Exception {
        AsyncMqttClientBuilder b = AsyncMqttClient.builder(MqttClientConfig.builder().broker(host, port).clientId(clientId)
                        .receiveBufferSize(64 * 1024).transmitBufferSize(64 * 1024).build())
                .maxInflight(Math.min(65535, windowSize)).maxQueued(windowSize).blockWhenQueueFull(true)
                .automaticReconnect(false);
        if (Boolean.getBoolean("wren.bench.inlineCallbacks")) {
            // not in the reported runs: callbacks on the event loop, as HiveMQ runs them by default, to show what
            // the hand-off to Wren's callback thread costs
            b.executor(Runnable::run);
        }
        client = b.build();
        client.connect().get(10, TimeUnit.SECONDS);
    }

    @Override
    void send(String topic, byte[] payload, int qos) {
        client.publish(topic, payload, Qos.of(qos), false).whenComplete((v, e) -> done(e));
    }

    @Override
    void subscribe(String topic, int qos, Consumer<byte[]> onMessage) throws Exception {
        client.subscribe(topic, Qos.of(qos), m -> onMessage.accept(m.payload())).get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }
}
