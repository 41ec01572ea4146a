package dev.wren.bench;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** The HiveMQ client 1.3.10, Mqtt3AsyncClient (its Mqtt5AsyncClient is {@link Hive5BenchClient}). */
final class HiveBenchClient extends BenchClient {
    private Mqtt3AsyncClient client;

    HiveBenchClient(int window) {
        super(window);
    }

    @Override
    String name() {
        return "HiveMQ";
    }

    @Override
    void connect(String host, int port, String clientId) throws Exception {
        com.hivemq.client.mqtt.mqtt3.Mqtt3ClientBuilder b = MqttClient.builder().useMqttVersion3()
                .identifier(clientId).serverHost(host).serverPort(BenchTransport.port(transport, host, port));
        if (transport.equals("tls")) {
            b = b.sslConfig().trustManagerFactory(BenchTransport.trust()).applySslConfig();
        } else if (transport.equals("ws") || transport.equals("hivews")) {
            b = b.webSocketConfig().serverPath("mqtt").subprotocol("mqtt").applyWebSocketConfig();
        }
        client = b.buildAsync();
        client.connectWith().cleanSession(true).keepAlive(60).send().get(10, TimeUnit.SECONDS);
    }

    @Override
    void send(String topic, byte[] payload, int qos) {
        client.publishWith().topic(topic).qos(MqttQos.fromCode(qos)).payload(payload).send()
                .whenComplete((p, e) -> done(e));
    }

    @Override
    void subscribe(String topic, int qos, Consumer<byte[]> onMessage) throws Exception {
        client.subscribeWith().topicFilter(topic).qos(MqttQos.fromCode(qos))
                .callback(p -> onMessage.accept(p.getPayloadAsBytes())).send().get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        try {
            if (client != null) {
                client.disconnect().get(5, TimeUnit.SECONDS);
            }
        } catch (Exception ignored) {
            // closing
        }
    }
}
