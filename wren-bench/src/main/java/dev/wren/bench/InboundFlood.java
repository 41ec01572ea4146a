package dev.wren.bench;

import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.Qos;
import dev.wren.mqtt.async.AsyncMqttClient;
import dev.wren.mqtt.async.InboundStats;
import dev.wren.testing.Mosquitto;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Issue 16's measurement of the pending bound: Mosquitto (queueing without limit) sends 100 MB of QoS 1 messages as
 * fast as it can to a Wren subscriber at its defaults (1,000 messages / 8 MiB pending) whose handler takes 1 ms each.
 * The subscriber runs in a JVM of its own, so that its heap is only its own: every 200 ms it collects garbage and
 * samples the heap in use. Reported: the heap before the flood, its peak during it, the most payload bytes pending,
 * messages lost or out of order, and whether the connection lived.
 */
final class InboundFlood {
    static final int SIZE = 16 * 1024;
    static final int COUNT = 100 * 1024 * 1024 / SIZE; // 6,400 messages, 100 MiB

    private InboundFlood() {
    }

    /** The parent: starts the broker and the subscriber's JVM, publishes, and returns the child's report line. */
    static String run() throws Exception {
        try (Mosquitto broker = Mosquitto.start("max_queued_messages 0", "max_queued_bytes 0",
                "max_inflight_messages 100")) {
            String topic = "flood/" + UUID.randomUUID();
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx1g", "-cp", System.getProperty("java.class.path"), Bench.class.getName(), "flood-child",
                    broker.host(), String.valueOf(broker.port()), topic).redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.equals("SUBSCRIBED")) {
                System.out.println("  [flood] " + line);
            }
            try (AsyncMqttClient pub = AsyncMqttClient.builder(MqttClientConfig.builder().broker(broker.host(),
                    broker.port()).clientId("flood-pub").build()).maxQueued(COUNT).build()) {
                pub.connect().get(5, TimeUnit.SECONDS);
                List<CompletableFuture<Void>> acks = new ArrayList<>();
                for (int i = 0; i < COUNT; i++) {
                    byte[] payload = new byte[SIZE];
                    ByteBuffer.wrap(payload).putInt(i);
                    acks.add(pub.publish(topic, payload, Qos.AT_LEAST_ONCE, false));
                }
                CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            }
            String result = null;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("RESULT ")) {
                    result = line.substring(7);
                } else {
                    System.out.println("  [flood] " + line);
                }
            }
            child.waitFor(60, TimeUnit.SECONDS);
            return result == null ? "the subscriber reported nothing" : result;
        }
    }

    /** The subscriber's JVM: Wren at its defaults, a 1 ms handler, heap sampled after a GC every 200 ms. */
    static void child(String[] args) throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        AtomicInteger handled = new AtomicInteger();
        AtomicInteger outOfOrder = new AtomicInteger();
        try (AsyncMqttClient sub = AsyncMqttClient.builder(MqttClientConfig.builder().broker(args[1],
                Integer.parseInt(args[2])).clientId("flood-sub").build()).build()) {
            sub.connect().get(5, TimeUnit.SECONDS);
            sub.subscribe(args[3], Qos.AT_LEAST_ONCE, m -> {
                if (m.payload().getInt(0) != handled.get()) {
                    outOfOrder.incrementAndGet();
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                handled.incrementAndGet();
            }).get(5, TimeUnit.SECONDS);
            System.gc();
            long before = memory.getHeapMemoryUsage().getUsed();
            System.out.println("SUBSCRIBED");
            System.out.flush();
            long peak = before;
            long start = System.nanoTime();
            long deadline = start + TimeUnit.SECONDS.toNanos(120);
            while (handled.get() < COUNT && System.nanoTime() < deadline) {
                Thread.sleep(200);
                System.gc();
                peak = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            InboundStats s = sub.inboundStats();
            System.out.printf(Locale.ROOT, "RESULT %d messages of %d B (%d MiB) handled of %d in %.1f s; heap in use "
                            + "after GC: %.1f MiB before the flood, %.1f MiB at its peak (+%.1f MiB); most payload "
                            + "pending %.1f MiB (bound 8 MiB), %d messages; reading stopped %d times; out of order %d; "
                            + "connected at the end: %s%n", handled.get(), SIZE, (long) COUNT * SIZE >> 20, COUNT,
                    seconds, before / 1048576.0, peak / 1048576.0, (peak - before) / 1048576.0,
                    s.peakBytes() / 1048576.0, s.peakMessages(), s.pauses(), outOfOrder.get(), sub.isConnected());
        }
    }
}
