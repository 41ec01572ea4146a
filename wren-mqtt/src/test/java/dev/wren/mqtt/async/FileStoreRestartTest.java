package dev.wren.mqtt.async;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.Qos;
import dev.wren.testing.FaultyProxy;
import dev.wren.testing.Mosquitto;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A client process that dies with messages in flight: a second process with the same file session store sends them.
 * The first process is a real JVM, killed with SIGKILL, so nothing gets a chance to clean up.
 */
@Tag("broker") // starts Mosquitto: left out of the fast run
class FileStoreRestartTest {
    private static final Mosquitto BROKER = Mosquitto.shared();

    /**
     * The first process: publishes {@code count} messages through a proxy that swallows every acknowledgement. A
     * class of its own, so that starting it does not initialize the test class, whose shared broker would be
     * started in the child too and, the child being killed, left running.
     */
    static final class FirstProcess {
        public static void main(String[] args) throws Exception {
            Path store = Path.of(args[0]);
            int port = Integer.parseInt(args[1]);
            String topic = args[2];
            int count = Integer.parseInt(args[3]);
            String clientId = args[4];
            AsyncMqttClient client = AsyncMqttClient.builder(MqttClientConfig.builder().broker("127.0.0.1", port)
                            .clientId(clientId).cleanSession(false).build())
                    .sessionStore(SessionStore.files(store)).maxInflight(count).build();
            client.connect().get(5, TimeUnit.SECONDS);
            System.out.println("CONNECTED");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine(); // "go"
            for (int i = 0; i < count; i++) {
                client.publish(topic, ByteBuffer.allocate(4).putInt(i).array(), i % 2 == 0 ? Qos.AT_LEAST_ONCE
                        : Qos.EXACTLY_ONCE, false); // accepted: stored before publish() returns
            }
            System.out.println("PUBLISHED " + count);
            System.out.flush();
            Thread.sleep(60_000); // wait to be killed
        }
    }

    @Test
    void aRestartedProcessResumesTheInFlightMessagesOfTheOneThatDied() throws Exception {
        Path store = Files.createTempDirectory("wren-store");
        String topic = "filestore/" + UUID.randomUUID();
        String clientId = "filestore-" + UUID.randomUUID().toString().substring(0, 8);
        int count = 50;
        ConcurrentHashMap<Integer, AtomicInteger> got = new ConcurrentHashMap<>();
        try (AsyncMqttClient sub = AsyncMqttClient.builder(MqttClientConfig.builder()
                .broker(BROKER.host(), BROKER.port()).clientId(clientId + "-sub").build()).build();
             FaultyProxy blackhole = FaultyProxy.to(BROKER.port())) {
            sub.connect().get(5, TimeUnit.SECONDS);
            sub.subscribe(topic, Qos.EXACTLY_ONCE, m -> got.computeIfAbsent(m.payload().getInt(),
                    k -> new AtomicInteger()).incrementAndGet()).get(5, TimeUnit.SECONDS);

            // the first process connects, then the proxy swallows everything from the broker: nothing is acknowledged
            Process first = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), FirstProcess.class.getName(),
                    store.toString(), String.valueOf(blackhole.port()), topic, String.valueOf(count), clientId)
                    .redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8));
            assertThat(waitFor(out, "CONNECTED")).as("the first process connected").isTrue();
            blackhole.swallowReplies(true); // from now on the broker's acknowledgements never reach it
            first.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
            first.getOutputStream().flush();
            assertThat(waitFor(out, "PUBLISHED")).as("the first process published").isTrue();
            assertThat(first.descendants().count()).as("processes the first one started (a broker would outlive "
                    + "it)").isZero();
            Thread.sleep(500); // the PUBLISHes reach the broker
            first.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no shutdown, no clean-up
            blackhole.cutAll();
            try (var files = Files.list(store)) {
                assertThat(files.filter(f -> f.toString().endsWith(".msg")).count())
                        .as("messages left in the store by the dead process").isEqualTo(count);
            }

            // the second process: same client id, same store, straight to the broker
            try (AsyncMqttClient second = AsyncMqttClient.builder(MqttClientConfig.builder()
                            .broker(BROKER.host(), BROKER.port()).clientId(clientId).cleanSession(false).build())
                    .sessionStore(SessionStore.files(store)).build()) {
                second.connect().get(5, TimeUnit.SECONDS);
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (got.size() < count && System.nanoTime() < end) {
                    Thread.sleep(20);
                }
                assertThat(got).as("messages received from either process").hasSize(count);
                end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (storeSize(store) > 0 && System.nanoTime() < end) {
                    Thread.sleep(20);
                }
                assertThat(storeSize(store)).as("messages left in the store once acknowledged").isZero();
            }
            for (int i = 1; i < count; i += 2) {
                assertThat(got.get(i).get()).as("QoS 2 message %d delivered once", i).isEqualTo(1);
            }
        }
    }

    private static boolean waitFor(BufferedReader out, String word) throws java.io.IOException {
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(word)) {
                return true;
            }
        }
        return false;
    }

    private static long storeSize(Path store) throws java.io.IOException {
        try (var files = Files.list(store)) {
            return files.filter(f -> f.toString().endsWith(".msg")).count();
        }
    }

}
