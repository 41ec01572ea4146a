package dev.wren.examples;

import dev.wren.mqtt.MqttClient;
import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.MqttEvent;
import dev.wren.mqtt.Qos;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Three Wren clients driven by one thread and one {@link Selector}: two subscribers and a publisher. No client
 * owns a thread; the loop selects on all three channels, with the nearest keep-alive deadline as time-out, and
 * calls {@code input()} and {@code live()} on each.
 *
 * <p>Usage: {@code ThreeClientsOneThread [host [port [messages]]]}; exits 0 when both subscribers got every message.
 */
public final class ThreeClientsOneThread {
    private ThreeClientsOneThread() {
    }

    public static void main(String[] args) throws IOException {
        String host = args.length > 0 ? args[0] : "localhost";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 1883;
        int messages = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        System.exit(run(System.out, host, port, messages));
    }

    /** Runs the example; returns 0 when both subscribers received all messages. */
    public static int run(PrintStream out, String host, int port, int messages) throws IOException {
        String topic = "wren/example/three-clients";
        int[] received = new int[2];
        MqttClient subA = client(host, port, "three-a", (c, e) -> count(e, received, 0));
        MqttClient subB = client(host, port, "three-b", (c, e) -> count(e, received, 1));
        MqttClient pub = client(host, port, "three-pub", (c, e) -> { });
        List<MqttClient> clients = List.of(subA, subB, pub);
        try (Selector selector = Selector.open()) {
            clients.forEach(MqttClient::connect);
            loop(selector, clients, () -> clients.stream().allMatch(MqttClient::isConnected), 10_000);
            subA.subscribe(topic, Qos.AT_LEAST_ONCE);
            subB.subscribe(topic, Qos.EXACTLY_ONCE);
            loop(selector, clients, () -> subA.inflight() == 0 && subB.inflight() == 0, 10_000);
            for (int i = 0; i < messages; i++) {
                byte[] payload = ("message " + i).getBytes(StandardCharsets.UTF_8);
                while (pub.publish(topic, payload, Qos.of(i % 3), false) == MqttClient.WOULD_BLOCK) {
                    loop(selector, clients, () -> true, 100); // let the socket drain, then retry
                }
            }
            loop(selector, clients, () -> received[0] == messages && received[1] == messages && pub.inflight() == 0,
                    30_000);
            clients.forEach(c -> {
                if (c.isConnected()) {
                    c.disconnect();
                }
            });
        }
        out.println("subscriber A received " + received[0] + ", subscriber B received " + received[1] + " of "
                + messages + " messages, all on thread " + Thread.currentThread().getName());
        return received[0] == messages && received[1] == messages ? 0 : 1;
    }

    private static MqttClient client(String host, int port, String id, dev.wren.mqtt.MqttEventHandler handler) {
        return new MqttClient(MqttClientConfig.builder().broker(host, port).clientId(id).build(), handler);
    }

    private static void count(MqttEvent e, int[] received, int index) {
        if (e instanceof MqttEvent.Publish) {
            received[index]++;
        }
    }

    /** One thread, one selector, three clients: wait, then input() and live() on each, until done or time-out. */
    private static void loop(Selector selector, List<MqttClient> clients, java.util.function.BooleanSupplier done,
                             long timeoutMillis) throws IOException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        do {
            long timeout = 100;
            for (MqttClient c : clients) {
                if (c.channel() != null) {
                    SelectionKey key = c.channel().register(selector, c.interestOps(), c);
                    key.interestOps(c.interestOps());
                }
                long left = c.keepAliveTimeLeft();
                if (left >= 0) {
                    timeout = Math.min(timeout, Math.max(1, left));
                }
            }
            selector.select(timeout);
            selector.selectedKeys().clear();
            for (MqttClient c : clients) {
                c.input();
                c.live();
            }
        } while (!done.getAsBoolean() && System.currentTimeMillis() < deadline);
    }
}
