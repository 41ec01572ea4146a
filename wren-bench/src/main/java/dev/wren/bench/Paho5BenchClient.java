package dev.wren.bench;

import java.util.function.Consumer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** Eclipse Paho's MQTT 5.0 client 1.2.5 ({@code org.eclipse.paho.mqttv5.client}), in-memory persistence. */
final class Paho5BenchClient extends BenchClient {
    private MqttAsyncClient client;
    private volatile Consumer<byte[]> onMessage = b -> { };
    private final MqttActionListener listener = new MqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
            done(null);
        }

        @Override
        public void onFailure(IMqttToken token, Throwable e) {
            done(e);
        }
    };

    Paho5BenchClient(int window) {
        super(window);
    }

    @Override
    String name() {
        return "Paho5";
    }

    @Override
    void connect(String host, int port, String clientId) throws Exception {
        client = new MqttAsyncClient("tcp://" + host + ":" + port, clientId, new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setKeepAliveInterval(60);
        o.setReceiveMaximum(windowSize + 10);
        client.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                onMessage.accept(message.getPayload());
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
        client.connect(o).waitForCompletion(10_000);
    }

    @Override
    void send(String topic, byte[] payload, int qos) throws Exception {
        MqttMessage m = new MqttMessage(payload);
        m.setQos(qos);
        client.publish(topic, m, null, listener);
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
