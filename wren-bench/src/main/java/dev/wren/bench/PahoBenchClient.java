package dev.wren.bench;

import java.util.function.Consumer;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** Eclipse Paho 1.2.5, MqttAsyncClient with in-memory persistence. */
final class PahoBenchClient extends BenchClient {
    private MqttAsyncClient client;
    private volatile Consumer<byte[]> onMessage = b -> { };
    private final IMqttActionListener listener = new IMqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
            done(null);
        }

        @Override
        public void onFailure(IMqttToken token, Throwable e) {
            done(e);
        }
    };

    PahoBenchClient(int window) {
        super(window);
    }

    @Override
    String name() {
        return "Paho";
    }

    @Override
    void connect(String host, int port, String clientId) throws Exception {
        int p = BenchTransport.port(transport, host, port);
        String uri = switch (transport) {
            case "tls" -> "ssl://" + host + ":" + p;
            case "ws", "hivews" -> "ws://" + host + ":" + p + "/mqtt";
            default -> "tcp://" + host + ":" + p;
        };
        client = new MqttAsyncClient(uri, clientId, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        if (transport.equals("tls")) {
            o.setSocketFactory(BenchTransport.sslContext().getSocketFactory());
        }
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(true);
        o.setMaxInflight(windowSize + 10);
        o.setKeepAliveInterval(60);
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                onMessage.accept(message.getPayload());
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        client.connect(o).waitForCompletion(10_000);
    }

    @Override
    void send(String topic, byte[] payload, int qos) throws Exception {
        client.publish(topic, payload, qos, false, null, listener);
    }

    @Override
    void subscribe(String topic, int qos, Consumer<byte[]> handler) throws Exception {
        this.onMessage = handler;
        client.subscribe(topic, qos).waitForCompletion(10_000);
    }

    @Override
    public void close() {
        try {
            if (client != null) {
                if (client.isConnected()) {
                    client.disconnect().waitForCompletion(5_000);
                }
                client.close();
            }
        } catch (Exception ignored) {
            // closing
        }
    }
}
