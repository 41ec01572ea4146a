package dev.wren.bench;

import dev.wren.testing.Mosquitto;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * Wren, Eclipse Paho and the HiveMQ client, measured the same way in one run, next to a hand-written ceiling client.
 * Prints a Markdown report and writes it to {@code wren-bench/target/bench-report.md}.
 *
 * <p>Usage: {@code java -jar wren-bench/target/wren-bench.jar [--quick] [--skip-jmh] [--skip-scale] [--only SECTIONS]
 * [--pin]}, where SECTIONS are letters of a to h (default a to f), as in BENCHMARKS.md, or w (WebSocket through the embedded HiveMQ CE
 * listener, the second table of h), m (what metrics cost), p (a slow handler under a 100 MiB flood), and {@code --pin} pins the broker
 * to core 0 and each end-to-end cell's JVM to core 1 (with {@code taskset}; meant for {@code --only a}, as the broker
 * stays pinned for the sections after it).
 */
public final class Bench {
    static final int WINDOW = 100;

    private final boolean quick;
    private final String sections;
    /** Whether end-to-end cells run with the broker on core 0 and the client JVM on core 1 ({@code --pin}). */
    private final boolean pin;
    private final StringBuilder report = new StringBuilder();

    private Bench(boolean quick, String sections, boolean pin) {
        this.sections = sections;
        this.quick = quick;
        this.pin = pin;
        if (quick) {
            // a smoke test of the whole bench, under three minutes: every cell in this JVM, briefly
            Cell.cellWarmUpMillis = 300;
            Cell.cellRuns = 1;
            Cell.inProcess = true;
            WARM_UP_NANOS = 0; // no warm-up: one measured run per cell
            RUNS = 1;
        }
    }

    /** Wren's connect/disconnect lines at INFO are not the report; problems (WARNING) still show. Held: JUL keeps loggers weakly. */
    private static final java.util.logging.Logger LIBRARY_LOG = java.util.logging.Logger.getLogger("dev.wren.mqtt");
    /**
     * Paho's MQTT 5.0 client logs a line at INFO through java.util.logging for every PUBCOMP it creates; written to
     * the parent through a pipe, that would measure logging. At WARNING, as for Wren.
     */
    private static final java.util.logging.Logger PAHO_LOG = java.util.logging.Logger.getLogger("org.eclipse.paho");

    public static void main(String[] args) throws Exception {
        LIBRARY_LOG.setLevel(java.util.logging.Level.WARNING);
        PAHO_LOG.setLevel(java.util.logging.Level.WARNING);
        if (args.length > 0 && args[0].equals("scale-child")) {
            ScaleChild.run(args);
            return;
        }
        if (args.length > 0 && args[0].equals("one")) {
            runOne(args);
            return;
        }
        if (args.length > 0 && args[0].equals("flood-child")) {
            InboundFlood.child(args);
            System.exit(0);
        }
        if (args.length > 0 && args[0].equals("handoff")) {
            HandOff.run(args);
            return;
        }
        if (args.length > 0 && args[0].equals("cell")) {
            Cell.run(args);
            return;
        }
        List<String> a = Arrays.asList(args);
        int only = a.indexOf("--only");
        String sections = only >= 0 && only + 1 < a.size() ? a.get(only + 1) : "abcdef";
        Bench b = new Bench(a.contains("--quick"), sections, a.contains("--pin"));
        b.run(!a.contains("--skip-scale") && sections.contains("d"), !a.contains("--skip-jmh") && sections.contains("e"));
        System.exit(0);
    }

    /**
     * One measurement, repeated, for profiling: {@code one e2e|sink LIB SIZE QOS COUNT [REPEATS] [--threads]},
     * against a broker (or sink) of its own; {@code --threads} adds each busy thread's CPU and context switches per
     * message and how often the event loop shared the broker's core ({@link ThreadStats}).
     */
    private static void runOne(String[] all) throws Exception {
        boolean threads = Arrays.asList(all).contains("--threads");
        String[] args = Arrays.stream(all).filter(a -> !a.equals("--threads")).toArray(String[]::new);
        String lib = args[2];
        int size = Integer.parseInt(args[3]);
        int qos = Integer.parseInt(args[4]);
        int count = Integer.parseInt(args[5]);
        int repeats = args.length > 6 ? Integer.parseInt(args[6]) : 5;
        try (Mosquitto broker = Mosquitto.start(); SinkServer sink = new SinkServer();
             ThreadStats stats = threads ? new ThreadStats(broker.processHandle().pid()) : null) {
            for (int i = 0; i < repeats; i++) {
                if (stats != null) {
                    stats.start();
                }
                long brokerCpu0 = cpuNanos(broker.processHandle());
                double[] r = args[1].equals("sink") ? sinkRun(lib, sink, qos, count)
                        : e2e(lib, broker.host(), broker.port(), broker.processHandle(), size, qos, count);
                double brokerCpu = (cpuNanos(broker.processHandle()) - brokerCpu0) / 1e3 / count;
                System.out.printf(Locale.ROOT, "%s %s %d B QoS %d: %,.0f msg/s, lost %,.0f, %.1f µs CPU/msg, broker %.1f "
                        + "µs CPU/msg%n", args[1], lib, size, qos, r[0], r[1], r[2], brokerCpu);
                if (stats != null) {
                    stats.report(count).forEach(System.out::println);
                }
            }
        }
        System.exit(0);
    }

    /** Runs {@code taskset} (util-linux) with these arguments; fails if it cannot. */
    private static void taskset(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("taskset"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("taskset " + String.join(" ", args) + " failed: " + out);
        }
    }

    /** CPU time of another process (the broker), from the operating system. */
    static long cpuNanos(ProcessHandle process) {
        return process.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    static BenchClient client(String lib, int window) {
        BenchClient c = clientOf(BenchTransport.library(lib), window);
        c.transport = BenchTransport.of(lib);
        return c;
    }

    private static BenchClient clientOf(String lib, int window) {
        return switch (lib) {
            case "ceiling" -> new CeilingClient(window);
            case "Wren" -> new WrenBenchClient(window);
            case "Paho" -> new PahoBenchClient(window);
            case "HiveMQ" -> new HiveBenchClient(window);
            case "Wren5" -> new WrenBenchClient(window, dev.wren.mqtt.ProtocolVersion.MQTT_5);
            case "WrenM" -> new WrenBenchClient(window, dev.wren.mqtt.ProtocolVersion.MQTT_3_1_1, true);
            case "WrenT" -> new WrenBenchClient(window, dev.wren.mqtt.ProtocolVersion.MQTT_3_1_1, false, true);
            case "Wren5T" -> new WrenBenchClient(window, dev.wren.mqtt.ProtocolVersion.MQTT_5, false, true);
            case "WrenI" -> new WrenBenchClient(window, dev.wren.mqtt.ProtocolVersion.MQTT_3_1_1, false, false, true);
            case "Paho5" -> new Paho5BenchClient(window);
            case "HiveMQ5" -> new Hive5BenchClient(window);
            default -> throw new IllegalArgumentException(lib);
        };
    }

    private long minRunMillis() {
        return quick ? MIN_RUN_MILLIS / 10 : MIN_RUN_MILLIS;
    }

    private int n(int full) {
        return quick ? Math.max(1_000, full / 10) : full;
    }

    private void run(boolean scale, boolean jmh) throws Exception {
        line("# Wren benchmark report");
        line("");
        line("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version")
                + " (" + System.getProperty("java.vm.name") + "), " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + "; broker Mosquitto (" + mosquittoVersion() + ") on loopback. "
                + "In-flight window for every client: " + WINDOW + (quick ? ". QUICK run (a smoke test: a tenth of the "
                + "messages, every cell in one JVM, one round; not numbers to report)." : "."));
        line("");
        try (Mosquitto broker = Mosquitto.start()) {
            if (sections.contains("a") || sections.contains("c")) {
                if (pin) {
                    taskset("-p", "-c", "0", String.valueOf(broker.processHandle().pid()));
                }
                endToEnd(broker);
            }
            if (sections.contains("b")) {
                publishOnly();
            }
            if (sections.contains("g")) {
                mqtt5(broker);
            }
            if (sections.contains("h")) {
                transports();
            }
            if (sections.contains("w")) {
                webSocketThroughHiveMq();
            }
            if (sections.contains("m")) {
                metricsCost(broker);
            }
            if (sections.contains("p")) {
                line("## p. A slow handler under a flood: 100 MiB of QoS 1 messages to a 1 ms handler, Wren's defaults");
                line("");
                line(InboundFlood.run());
                line("");
            }
            if (sections.contains("f")) {
                latency(broker); // each round of each library in a JVM of its own, warmed up there
            }
            if (scale) {
                scale(broker);
            }
        }
        if (jmh) {
            line("## e. Allocation per published message (JMH, GC profiler; 64 B messages into a Mosquitto in another process)");
            line("");
            line(AllocationBenchmark.runAndReport(quick));
        }
        Path out = Path.of("wren-bench", "target", "bench-report.md");
        if (Files.isDirectory(out.getParent())) {
            Files.writeString(out, report.toString());
            System.out.println("\nReport written to " + out);
        }
    }

    // ---------------------------------------------------------------- a, c: end to end through Mosquitto

    /**
     * The libraries of tables a and b: the ceiling, Wren at its defaults and tuned (WrenT: 64 KB buffers), the two
     * peers, and the three over MQTT 5.0 (their rows compared with the faster 5.0 peer).
     */
    private static final List<String> TABLE_LIBS = List.of("ceiling", "Wren", "WrenT", "Paho", "HiveMQ", "Wren5",
            "Paho5", "HiveMQ5");

    private void endToEnd(Mosquitto broker) throws Exception {
        line("## a. End-to-end throughput through Mosquitto (one publisher, one subscriber) and c. CPU per message"
                + (pin ? ", broker pinned to core 0 and each client JVM to core 1" : ""));
        line("");
        line(rounds() + " rounds; in each, every library's cell in a JVM of its own, the order rotated from round to round; "
                + "the table shows each library's median round, and the spread the lowest and highest rate of its rounds.");
        line("");
        line("| payload | QoS | client | msg/s | spread | messages per run | lost | CPU µs/msg | broker CPU µs/msg | broker busy | vs ceiling | vs faster peer |");
        line("|---|---|---|---|---|---|---|---|---|---|---|---|");
        int[][] counts = {{200_000, 100_000, 60_000}, {60_000, 40_000, 30_000}};
        int[] sizes = {64, 4096};
        for (int s = 0; s < sizes.length; s++) {
            for (int qos = 0; qos <= 2; qos++) {
                table(sizes[s] + " B", qos, alternating("e2e", sizes[s], qos, n(counts[s][qos]), broker), true);
            }
        }
        line("");
    }

    /** Rounds of alternating cells per row of tables a and b: three, or one in a quick run. */
    private int rounds() {
        return quick ? 1 : 3;
    }

    /**
     * One row of table a or b: {@link #rounds()} rounds over {@link #TABLE_LIBS}, each cell in a JVM of its own (a
     * warm-up of four seconds, one measured run), the order rotated each round so that no library always runs
     * first or last; per library its rounds' results, the median by rate first.
     */
    private Map<String, double[][]> alternating(String kind, int size, int qos, int count, Mosquitto broker)
            throws Exception {
        Cell.cellWarmUpMillis = quick ? 0 : 4_000;
        Cell.cellRuns = 1;
        Map<String, List<double[]>> got = new LinkedHashMap<>();
        TABLE_LIBS.forEach(l -> got.put(l, new ArrayList<>()));
        for (int r = 0; r < rounds(); r++) {
            for (int i = 0; i < TABLE_LIBS.size(); i++) {
                String lib = TABLE_LIBS.get((i + r * 3) % TABLE_LIBS.size());
                long t0 = System.nanoTime();
                got.get(lib).add(Cell.inChild(kind, lib, size, qos, count, minRunMillis(), pin && kind.equals("e2e"),
                        kind.equals("e2e") ? broker : null));
                System.out.printf(Locale.ROOT, "  (%s %s %d B QoS %d round %d: %.1f s)%n", kind, lib, size, qos, r + 1,
                        (System.nanoTime() - t0) / 1e9);
            }
        }
        Cell.cellWarmUpMillis = quick ? 0 : 6_000;
        Cell.cellRuns = quick ? 1 : 3;
        Map<String, double[][]> results = new LinkedHashMap<>();
        got.forEach((lib, runs) -> {
            double[][] sorted = runs.toArray(double[][]::new);
            Arrays.sort(sorted, java.util.Comparator.comparingDouble(x -> x[0]));
            double[][] out = new double[sorted.length][];
            out[0] = sorted[sorted.length / 2];
            int k = 1;
            for (int j = 0; j < sorted.length; j++) {
                if (j != sorted.length / 2) {
                    out[k++] = sorted[j];
                }
            }
            results.put(lib, out);
        });
        return results;
    }

    /** A measurement of {@code count} messages that returns {msg/s, lost, ...}. */
    @FunctionalInterface
    interface Run {
        double[] run(int count) throws Exception;
    }

    /**
     * How long each library runs a cell's own workload, unmeasured, before the measured runs (JIT, caches); the
     * parent passes it to each cell's JVM ({@code -Dwren.bench.warmUpMillis}).
     */
    static long WARM_UP_NANOS = TimeUnit.MILLISECONDS.toNanos(Long.getLong("wren.bench.warmUpMillis", 6_000));

    /** Measured runs in one cell's JVM ({@code -Dwren.bench.runs}): the cell reports the one with the median rate. */
    static int RUNS = Integer.getInteger("wren.bench.runs", 3);

    /**
     * The least a measured run should last, in milliseconds (a tenth in a quick run): a cell's message count is
     * raised for a library fast enough to finish it sooner, so that every library is measured over a similar time
     * and start and end effects weigh the same.
     */
    static final long MIN_RUN_MILLIS = Long.getLong("wren.bench.minRunMillis", 2_000);

    /**
     * Warm-up runs of the same work (half the count each), unmeasured, for at least {@link #WARM_UP_NANOS} (a
     * library's code reaches its steady state only after a few hundred thousand messages), then {@link #RUNS}
     * measured runs of {@code count} messages, or of as many as the warm-up rate says take {@link #MIN_RUN_MILLIS},
     * if more: the run with the median rate, with the messages lost in all of them and the count measured as the
     * last element.
     */
    static double[] medianOfRuns(Run run, int count) throws Exception {
        long warmUpEnd = System.nanoTime() + WARM_UP_NANOS;
        double rate = 0;
        while (WARM_UP_NANOS > 0 && (rate == 0 || System.nanoTime() < warmUpEnd)) { // none in a quick run
            rate = run.run(Math.max(1, count / 2))[0];
        }
        int measured = (int) Math.min(50_000_000, Math.max(count, rate * MIN_RUN_MILLIS / 1_000));
        double[][] runs = new double[Math.max(1, RUNS)][];
        double lost = 0;
        for (int i = 0; i < runs.length; i++) {
            runs[i] = run.run(measured);
            lost += runs[i][1];
        }
        Arrays.sort(runs, java.util.Comparator.comparingDouble(r -> r[0]));
        double[] median = Arrays.copyOf(runs[runs.length / 2], runs[0].length + 1);
        median[1] = lost;
        median[median.length - 1] = measured;
        return median;
    }

    /** Returns {msg/s, lost, cpu µs per message}. */
    private static double[] e2e(String lib, String host, int port, ProcessHandle broker, int size, int qos, int count)
            throws Exception {
        String topic = "bench/" + UUID.randomUUID();
        AtomicLong received = new AtomicLong();
        AtomicLong lastAt = new AtomicLong();
        try (BenchClient sub = client(lib, WINDOW); BenchClient pub = client(lib, WINDOW)) {
            sub.connect(host, port, "sub-" + UUID.randomUUID().toString().substring(0, 8));
            sub.subscribe(topic, qos, p -> {
                received.incrementAndGet();
                lastAt.set(System.nanoTime());
            });
            pub.connect(host, port, "pub-" + UUID.randomUUID().toString().substring(0, 8));
            byte[] payload = new byte[size];
            long cpu0 = processCpu();
            long brokerCpu0 = cpuNanos(broker);
            long t0 = System.nanoTime();
            pub.publishAll(topic, payload, qos, count);
            pub.drain(60_000);
            long seen = received.get();
            long quietSince = System.nanoTime();
            while (received.get() < count && System.nanoTime() - quietSince < 3_000_000_000L) {
                Thread.sleep(5); // stop waiting once three seconds pass with nothing new
                if (received.get() != seen) {
                    seen = received.get();
                    quietSince = System.nanoTime();
                }
            }
            long cpu1 = processCpu();
            long end = received.get() > 0 ? lastAt.get() : System.nanoTime();
            double seconds = (end - t0) / 1e9;
            return new double[] {received.get() / seconds, count - received.get(), (cpu1 - cpu0) / 1e3 / count,
                    (cpuNanos(broker) - brokerCpu0) / 1e3 / count};
        }
    }

    // ---------------------------------------------------------------- g: MQTT 5.0 next to 3.1.1

    /**
     * Each library over MQTT 5.0 (no properties set) next to itself over 3.1.1, end to end through Mosquitto, 64 B:
     * what speaking 5.0 costs each, and how the libraries compare on it.
     */
    private void mqtt5(Mosquitto broker) throws Exception {
        line("## g. MQTT 5.0 next to 3.1.1, end to end through Mosquitto, 64 B (no properties set)");
        line("");
        line("| QoS | client | 3.1.1 msg/s | 5.0 msg/s | 5.0 / 3.1.1 | 5.0 lost | 5.0 CPU µs/msg | 5.0 vs faster 5.0 peer |");
        line("|---|---|---|---|---|---|---|---|");
        int[] counts = {200_000, 100_000, 60_000};
        for (int qos = 0; qos <= 2; qos++) {
            Map<String, double[]> v3 = new LinkedHashMap<>();
            Map<String, double[]> v5 = new LinkedHashMap<>();
            for (String lib : List.of("Wren", "Paho", "HiveMQ")) {
                v3.put(lib, Cell.inChild("e2e", lib, 64, qos, n(counts[qos]), minRunMillis(), false, broker));
                v5.put(lib, Cell.inChild("e2e", lib + "5", 64, qos, n(counts[qos]), minRunMillis(), false, broker));
            }
            double peer = Math.max(v5.get("Paho")[0], v5.get("HiveMQ")[0]);
            for (String lib : v3.keySet()) {
                double[] a = v3.get(lib);
                double[] b = v5.get(lib);
                line(String.format(Locale.ROOT, "| %d | %s | %,.0f | %,.0f | %.2f | %,.0f | %.1f | %s |", qos, lib, a[0],
                        b[0], b[0] / a[0], b[1], b[2], lib.equals("Wren") ? String.format(Locale.ROOT, "%.2f×",
                        b[0] / peer) : ""));
            }
        }
        line("");
    }

    // ---------------------------------------------------------------- h: over TLS and WebSocket

    /**
     * End to end through Mosquitto over plain TCP, TLS (Mosquitto's TLS listener) and WebSocket (through a bridge in
     * the client JVM), 64 B, QoS 0 and 1, for every library: what each transport costs each library.
     */
    private void transports() throws Exception {
        Path dir = java.nio.file.Files.createTempDirectory("wren-bench-pki");
        dev.wren.testing.TestPki pki = dev.wren.testing.TestPki.create(dir);
        int tlsPort = Mosquitto.freePort();
        try (Mosquitto broker = Mosquitto.start(pki.listener(tlsPort, "server", false, null))) {
            System.setProperty("wren.bench.ca", pki.file("ca.pem").toString());
            System.setProperty("wren.bench.tlsPort", String.valueOf(tlsPort));
            line("## h. End to end over TCP, TLS and WebSocket through Mosquitto, 64 B");
            line("");
            line("| QoS | client | TCP msg/s | TLS msg/s | TLS / TCP | WebSocket msg/s | WS / TCP | lost | TLS vs faster peer | WS vs faster peer |");
            line("|---|---|---|---|---|---|---|---|---|---|");
            int[] counts = {200_000, 100_000};
            for (int qos = 0; qos <= 1; qos++) {
                Map<String, double[][]> r = new LinkedHashMap<>();
                for (String lib : List.of("Wren", "Paho", "HiveMQ")) {
                    double[][] cells = new double[3][];
                    String[] transports = {"", "@tls", "@ws"};
                    for (int t = 0; t < 3; t++) {
                        try {
                            cells[t] = Cell.inChild("e2e", lib + transports[t], 64, qos, n(counts[qos]),
                                    minRunMillis(), false, broker);
                        } catch (IllegalStateException failed) { // the row says so; the other cells still run
                            System.err.println(failed.getMessage());
                            cells[t] = new double[] {Double.NaN, 0};
                        }
                    }
                    r.put(lib, cells);
                }
                double peerTls = peer(r.get("Paho")[1][0], r.get("HiveMQ")[1][0]);
                double peerWs = peer(r.get("Paho")[2][0], r.get("HiveMQ")[2][0]);
                for (Map.Entry<String, double[][]> e : r.entrySet()) {
                    double[][] c = e.getValue();
                    boolean wren = e.getKey().equals("Wren");
                    line(String.format(Locale.ROOT, "| %d | %s | %,.0f | %,.0f | %.2f | %,.0f | %.2f | %,.0f | %s | %s |",
                            qos, e.getKey(), c[0][0], c[1][0], c[1][0] / c[0][0], c[2][0], c[2][0] / c[0][0],
                            c[0][1] + c[1][1] + c[2][1], wren ? String.format(Locale.ROOT, "%.2f×", c[1][0] / peerTls)
                                    : "", wren ? String.format(Locale.ROOT, "%.2f×", c[2][0] / peerWs) : ""));
                }
            }
            line("");
        }
    }

    /** The faster of two peers' rates, a failed cell (NaN) not counting. */
    private static double peer(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
    }

    /**
     * TCP next to a broker's own WebSocket listener: the HiveMQ Community Edition embedded in this (the harness's)
     * JVM, each cell's clients in a JVM of their own as everywhere else.
     */
    private void webSocketThroughHiveMq() throws Exception {
        try (dev.wren.testing.HiveMq hive = dev.wren.testing.HiveMq.start()) {
            System.setProperty("wren.bench.wsPort", String.valueOf(hive.webSocketPort()));
            line("### h, WebSocket through a broker's own listener: HiveMQ CE 2025.5, embedded in the harness JVM, 64 B");
            line("");
            line("| QoS | client | TCP msg/s | WebSocket msg/s | WS / TCP | lost | TCP vs faster peer | WS vs faster peer |");
            line("|---|---|---|---|---|---|---|---|");
            int[] counts = {200_000, 100_000};
            for (int qos = 0; qos <= 1; qos++) {
                Map<String, double[][]> r = new LinkedHashMap<>();
                for (String lib : List.of("Wren", "Paho", "HiveMQ")) {
                    r.put(lib, new double[][] {
                        Cell.inChild("e2e", lib, 64, qos, n(counts[qos]), minRunMillis(), false, hive.host(),
                                hive.port(), ProcessHandle.current().pid()),
                        Cell.inChild("e2e", lib + "@hivews", 64, qos, n(counts[qos]), minRunMillis(), false,
                                hive.host(), hive.port(), ProcessHandle.current().pid())});
                }
                double peerTcp = Math.max(r.get("Paho")[0][0], r.get("HiveMQ")[0][0]);
                double peerWs = Math.max(r.get("Paho")[1][0], r.get("HiveMQ")[1][0]);
                for (Map.Entry<String, double[][]> e : r.entrySet()) {
                    double[][] c = e.getValue();
                    boolean wren = e.getKey().equals("Wren");
                    line(String.format(Locale.ROOT, "| %d | %s | %,.0f | %,.0f | %.2f | %,.0f | %s | %s |", qos,
                            e.getKey(), c[0][0], c[1][0], c[1][0] / c[0][0], c[0][1] + c[1][1],
                            wren ? String.format(Locale.ROOT, "%.2f×", c[0][0] / peerTcp) : "",
                            wren ? String.format(Locale.ROOT, "%.2f×", c[1][0] / peerWs) : ""));
                }
            }
            line("");
        }
    }

    // ---------------------------------------------------------------- m: what metrics cost

    /**
     * Wren with and without an {@link dev.wren.mqtt.async.MqttMetrics} attached, 64 B, end to end and into the sink,
     * in cells that alternate (Wren, WrenM, three times each, each cell a median of three runs in its own JVM): the
     * ratio of the medians is what counting costs on the hot path.
     */
    private void metricsCost(Mosquitto broker) throws Exception {
        line("## m. What metrics cost: Wren with an MqttMetrics attached (WrenM) next to Wren without, 64 B");
        line("");
        line("| path | QoS | Wren msg/s (median of 3 cells) | WrenM msg/s | WrenM / Wren | cells Wren | cells WrenM |");
        line("|---|---|---|---|---|---|---|");
        int[] e2eCounts = {200_000, 100_000, 60_000};
        int[] sinkCounts = {2_000_000, 500_000, 300_000};
        for (String kind : List.of("e2e", "sink")) {
            for (int qos = 0; qos <= 2; qos++) {
                double[] plain = new double[3];
                double[] counted = new double[3];
                int count = n(kind.equals("e2e") ? e2eCounts[qos] : sinkCounts[qos]);
                for (int i = 0; i < 3; i++) {
                    plain[i] = Cell.inChild(kind, "Wren", 64, qos, count, minRunMillis(), false,
                            kind.equals("e2e") ? broker : null)[0];
                    counted[i] = Cell.inChild(kind, "WrenM", 64, qos, count, minRunMillis(), false,
                            kind.equals("e2e") ? broker : null)[0];
                }
                double a = median(plain);
                double b = median(counted);
                line(String.format(Locale.ROOT, "| %s | %d | %,.0f | %,.0f | %.3f | %s | %s |", kind, qos, a, b, b / a,
                        cells(plain), cells(counted)));
            }
        }
        line("");
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static String cells(double[] v) {
        StringBuilder b = new StringBuilder();
        for (double x : v) {
            b.append(b.length() == 0 ? "" : " / ").append(String.format(Locale.ROOT, "%,.0f", x));
        }
        return b.toString();
    }

    // ---------------------------------------------------------------- b: publish only, into the sink

    private void publishOnly() throws Exception {
        line("## b. Publish-only throughput into a minimal acknowledging sink (64 B payloads)");
        line("");
        line(rounds() + " rounds of alternating cells, as in table a.");
        line("");
        line("| payload | QoS | client | msg/s | spread | messages per run | lost | CPU µs/msg | vs ceiling | vs faster peer |");
        line("|---|---|---|---|---|---|---|---|---|---|");
        int[] counts = {2_000_000, 500_000, 300_000};
        for (int qos = 0; qos <= 2; qos++) {
            table("64 B", qos, alternating("sink", 64, qos, n(counts[qos]), null), false);
        }
        line("");
    }

    private static double[] sinkRun(String lib, SinkServer sink, int qos, int count) throws Exception {
        try (BenchClient pub = client(lib, WINDOW)) {
            pub.connect("127.0.0.1", sink.port(), "sink-" + UUID.randomUUID().toString().substring(0, 8));
            long before = sink.published();
            long cpu0 = processCpu();
            long t0 = System.nanoTime();
            pub.publishAll("bench/sink", new byte[64], qos, count);
            pub.drain(60_000);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (sink.published() - before < count && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            long got = sink.published() - before;
            return new double[] {got / seconds, count - got, (processCpu() - cpu0) / 1e3 / count};
        }
    }

    // ---------------------------------------------------------------- f: latency

    private void latency(Mosquitto broker) throws Exception {
        int rate = LATENCY_RATE;
        int seconds = quick ? 2 : 5;
        int rounds = quick ? 1 : 3;
        // WrenI: Wren with its callbacks on the event loop (executor(Runnable::run)), a setting of its own; the
        // target is judged on Wren at its defaults
        List<String> libs = List.of("Wren", "WrenI", "Paho", "HiveMQ");
        line("## f. Round-trip latency through Mosquitto at " + rate + " msg/s, QoS 1, 64 B (µs)");
        line("");
        line(rounds + " rounds of " + seconds + " s per library (" + (rate * seconds) + " messages each), the order "
                + "rotated from round to round, " + (quick ? "all in this JVM after a short warm-up (--quick: a "
                + "smoke test, not to be reported)" : "each round in a JVM of its own (so that no library's garbage "
                + "collections land in another's round) after a warm-up there (three bursts of 20,000 QoS 1 "
                + "messages, then " + LATENCY_WARM_UP_SECONDS + " s at the rate)") + "; each column the median of the "
                + "rounds, and the lowest and highest p99 and p99.9 of the rounds. WrenI is Wren with its callbacks "
                + "on the event loop (`executor(Runnable::run)`), a setting for quick handlers, not its default.");
        line("");
        line("| client | p50 | p99 | p99.9 | max | p99 over the rounds | p99.9 over the rounds |");
        line("|---|---|---|---|---|---|---|");
        Map<String, List<long[]>> byLib = new LinkedHashMap<>();
        for (String lib : libs) {
            byLib.put(lib, new ArrayList<>());
        }
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < libs.size(); k++) {
                String lib = libs.get((k + r) % libs.size());
                double[] cell = Cell.inChild("latency", lib, 64, 1, seconds, 0, pin, broker);
                long[] asLong = new long[cell.length];
                for (int c = 0; c < cell.length; c++) {
                    asLong[c] = (long) cell[c];
                }
                byLib.get(lib).add(asLong);
            }
        }
        for (Map.Entry<String, List<long[]>> e : byLib.entrySet()) {
            List<long[]> runs = e.getValue();
            long[] med = new long[4];
            long[] lo = new long[4];
            long[] hi = new long[4];
            for (int c = 0; c < 4; c++) {
                long[] col = new long[runs.size()];
                for (int i = 0; i < col.length; i++) {
                    col[i] = runs.get(i)[c];
                }
                Arrays.sort(col);
                med[c] = col[col.length / 2];
                lo[c] = col[0];
                hi[c] = col[col.length - 1];
            }
            line(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.0f | %.0f to %.0f | %.0f to %.0f |",
                    e.getKey(), med[0] / 1e3, med[1] / 1e3, med[2] / 1e3, med[3] / 1e3, lo[1] / 1e3, hi[1] / 1e3,
                    lo[2] / 1e3, hi[2] / 1e3));
        }
        line("");
    }

    /** Section f's rate, and the warm-up each latency cell runs before its measured round. */
    static final int LATENCY_RATE = 2_000;
    static final int LATENCY_WARM_UP_SECONDS = 3;

    /**
     * One latency cell (a warm-up of {@code warmUpSeconds}, then a measured round of {@code seconds}): {p50, p99,
     * p99.9, max} in ns.
     */
    static double[] latencyCell(String lib, String host, int port, ProcessHandle broker, int seconds,
                                int warmUpSeconds) throws Exception {
        // the JIT first: bursts of the same QoS 1 traffic as fast as it goes (a paced warm-up alone, 2,000 msg/s,
        // leaves the compiler working through the measured round), then the paced warm-up
        for (int i = 0; i < (warmUpSeconds > 1 ? 3 : 1); i++) {
            e2e(lib, host, port, broker, 64, 1, 20_000);
        }
        latencyRun(lib, host, port, LATENCY_RATE, warmUpSeconds);
        long[] r = latencyRun(lib, host, port, LATENCY_RATE, seconds);
        return new double[] {r[0], r[1], r[2], r[3]};
    }

    private static long[] latencyRun(String lib, String host, int port, int rate, int seconds) throws Exception {
        String topic = "bench/lat/" + UUID.randomUUID();
        int total = rate * seconds;
        int warm = rate / 2;
        long[] samples = new long[total];
        AtomicLong n = new AtomicLong();
        try (BenchClient sub = client(lib, WINDOW); BenchClient pub = client(lib, WINDOW)) {
            sub.connect(host, port, "lsub-" + UUID.randomUUID().toString().substring(0, 8));
            sub.subscribe(topic, 1, p -> {
                long sent = ByteBuffer.wrap(p).getLong();
                long i = ByteBuffer.wrap(p).getLong(8);
                if (i >= warm && i - warm < total) {
                    samples[(int) (i - warm)] = System.nanoTime() - sent;
                    n.incrementAndGet();
                }
            });
            pub.connect(host, port, "lpub-" + UUID.randomUUID().toString().substring(0, 8));
            long interval = 1_000_000_000L / rate;
            long next = System.nanoTime();
            for (int i = 0; i < warm + total; i++) {
                while (System.nanoTime() < next) {
                    LockSupport.parkNanos(Math.max(1, next - System.nanoTime()) / 2);
                }
                byte[] payload = new byte[64];
                ByteBuffer.wrap(payload).putLong(System.nanoTime()).putLong(i);
                pub.publishOne(topic, payload, 1);
                next += interval;
            }
            pub.drain(30_000);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (n.get() < total && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }
        long[] got = Arrays.copyOf(samples, (int) n.get());
        Arrays.sort(got);
        if (got.length == 0) {
            return new long[] {-1, -1, -1, -1};
        }
        return new long[] {pct(got, 0.50), pct(got, 0.99), pct(got, 0.999), got[got.length - 1]};
    }

    private static long pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    // ---------------------------------------------------------------- d: connection scale

    private void scale(Mosquitto broker) throws Exception {
        line("## d. Idle connections to Mosquitto from one JVM, each with one subscription (default settings; each library in its own JVM)");
        line("");
        line("| client | connections | seconds to connect all | heap per connection, 2 s after the last connect | "
                + "heap per connection, 8 s after | direct (off-heap) buffers per connection, 2 s after | "
                + "direct buffers, 8 s after | threads (JVM total) | CPU while idle (% of one core, " + (quick ? 2 : 10) + " s) |");
        line("|---|---|---|---|---|---|---|---|---|");
        for (String lib : List.of("Wren", "HiveMQ", "Paho")) {
            // Paho needs three or more threads per client; this machine's pid_max (32768) caps threads system-wide
            // quick: Paho connects about three clients a second here, so a hundred
            int count = lib.equals("Paho") ? (quick ? 100 : 1_000) : (quick ? 1_000 : 10_000);
            String result = child(lib, count, broker, quick);
            line(result);
        }
        line("");
        line("Paho is measured at 1,000 connections: it starts three or more threads per client (Paho issue #306), so "
                + "10,000 would need over 30,000 threads, and this machine allows 32,768 processes and threads in all; "
                + "at 3,000 its connects had slowed to a crawl (about 1,200 in four and a half minutes, 3,718 threads).");
        line("");
    }

    private static String child(String lib, int count, Mosquitto broker, boolean quick) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx4g",
                "-Dwren.bench.scaleQuick=" + quick, "-cp", System.getProperty("java.class.path"), Bench.class.getName(), "scale-child", lib,
                String.valueOf(count), broker.host(), String.valueOf(broker.port()))
                .redirectErrorStream(true).start();
        String result = "| " + lib + " | " + count + " | failed | | | | | | |";
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String l;
            while ((l = r.readLine()) != null) {
                if (l.startsWith("| ")) {
                    result = l;
                } else {
                    System.out.println("  [" + lib + "] " + l);
                }
            }
        }
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        return result;
    }

    // ---------------------------------------------------------------- reporting

    /**
     * Rows of table a or b: per library its median round (the first of its results) and the spread of its rounds;
     * Wren's rows (and WrenT's) against the faster of Paho and HiveMQ, the 5.0 rows against the faster 5.0 peer.
     */
    private void table(String payload, int qos, Map<String, double[][]> results, boolean e2e) {
        double ceiling = results.get("ceiling")[0][0];
        double peer = Math.max(results.get("Paho")[0][0], results.get("HiveMQ")[0][0]);
        double peer5 = Math.max(results.get("Paho5")[0][0], results.get("HiveMQ5")[0][0]);
        for (Map.Entry<String, double[][]> e : results.entrySet()) {
            double[] r = e.getValue()[0];
            double lo = Arrays.stream(e.getValue()).mapToDouble(x -> x[0]).min().orElse(0);
            double hi = Arrays.stream(e.getValue()).mapToDouble(x -> x[0]).max().orElse(0);
            double lost = Arrays.stream(e.getValue()).mapToDouble(x -> x[1]).sum();
            String lib = e.getKey();
            String vsPeer = lib.startsWith("Wren") ? String.format(Locale.ROOT, "**%.2fx**",
                    r[0] / (lib.startsWith("Wren5") ? peer5 : peer)) : "";
            // the broker's CPU over the run as a share of one core: near 100 %, Mosquitto (single-threaded) is the limit
            String broker = e2e ? String.format(Locale.ROOT, " %.1f | %.0f %% |", r[3], r[0] * r[3] / 1e4) : "";
            line(String.format(Locale.ROOT, "| %s | %d | %s | %,.0f | %,.0f to %,.0f | %,.0f | %,.0f | %.1f |%s %.0f %% | %s |",
                    payload, qos, lib, r[0], lo, hi, r[r.length - 1], lost, r[2], broker, 100 * r[0] / ceiling, vsPeer));
        }
    }

    private void line(String s) {
        System.out.println(s);
        report.append(s).append('\n');
    }

    static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static String mosquittoVersion() {
        try {
            Process p = new ProcessBuilder("/usr/sbin/mosquitto", "-h").redirectErrorStream(true).start();
            String first = new BufferedReader(new InputStreamReader(p.getInputStream())).readLine();
            p.waitFor();
            return first == null ? "unknown" : first.trim();
        } catch (Exception e) {
            return "unknown";
        }
    }

    /**
     * One cell of tables a and b, measured in a JVM of its own, so that no library runs among the threads, heap and
     * JIT state another library left behind: a warm-up run of the same work, then three measured runs
     * ({@link #medianOfRuns}). End to end against the parent's broker; publish-only into a sink in the child.
     */
    static final class Cell {
        /** The warm-up each cell's JVM runs before measuring, in milliseconds (set by the section that runs it). */
        static long cellWarmUpMillis = 6_000;
        /** The measured runs in each cell's JVM (set by the section that runs it). */
        static int cellRuns = 3;
        /**
         * Whether cells run in this JVM instead of one each ({@code --quick}: a smoke test of the whole bench, whose
         * numbers carry the JIT state and threads of the cells before them, and are not to be reported).
         */
        static boolean inProcess;

        static double[] inChild(String kind, String lib, int size, int qos, int count, long minRunMillis,
                                boolean pin, Mosquitto broker) throws Exception {
            return broker == null ? inChild(kind, lib, size, qos, count, minRunMillis, pin, null, 0, 0)
                    : inChild(kind, lib, size, qos, count, minRunMillis, pin, broker.host(), broker.port(),
                    broker.processHandle().pid());
        }

        /** A cell against the broker at {@code host:port} whose process is {@code pid} (its CPU is measured). */
        static double[] inChild(String kind, String lib, int size, int qos, int count, long minRunMillis,
                                boolean pin, String host, int port, long pid) throws Exception {
            if (inProcess) {
                if (host == null) {
                    try (SinkServer sink = new SinkServer()) {
                        return medianOfRuns(n -> sinkRun(lib, sink, qos, n), count);
                    }
                }
                if (kind.equals("latency")) {
                    // --quick: a smoke test, a short warm-up
                    return latencyCell(lib, host, port, ProcessHandle.of(pid).orElseThrow(), count, 1);
                }
                ProcessHandle broker = ProcessHandle.of(pid).orElseThrow();
                return medianOfRuns(n -> e2e(lib, host, port, broker, size, qos, n), count);
            }
            List<String> cmd = new ArrayList<>();
            if (pin) {
                cmd.addAll(List.of("taskset", "-c", "1"));
            }
            cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx2g", "-Dwren.bench.minRunMillis=" + minRunMillis,
                    "-Dwren.bench.warmUpMillis=" + cellWarmUpMillis, "-Dwren.bench.runs=" + cellRuns,
                    "-Dwren.bench.ca=" + System.getProperty("wren.bench.ca", ""),
                    "-Dwren.bench.tlsPort=" + System.getProperty("wren.bench.tlsPort", "0"),
                    "-Dwren.bench.wsPort=" + System.getProperty("wren.bench.wsPort", "0"), "-cp", System.getProperty("java.class.path"), Bench.class.getName(), "cell", kind, lib,
                    String.valueOf(size), String.valueOf(qos), String.valueOf(count)));
            if (host != null) {
                cmd.addAll(List.of(host, String.valueOf(port), String.valueOf(pid)));
            }
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            double[] result = null;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    if (l.startsWith("RESULT ")) {
                        result = Arrays.stream(l.substring(7).trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
                    } else {
                        System.out.println("  [" + lib + "] " + l);
                    }
                }
            }
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
            }
            if (result == null) {
                throw new IllegalStateException(kind + " " + lib + " " + size + " B QoS " + qos + ": the child gave no result");
            }
            return result;
        }

        static void run(String[] a) throws Exception {
            String kind = a[1];
            String lib = a[2];
            int size = Integer.parseInt(a[3]);
            int qos = Integer.parseInt(a[4]);
            int count = Integer.parseInt(a[5]);
            double[] r;
            try {
                if (kind.equals("sink")) {
                    try (SinkServer sink = new SinkServer()) {
                        r = medianOfRuns(n -> sinkRun(lib, sink, qos, n), count);
                    }
                } else if (kind.equals("latency")) { // count: the measured round's seconds
                    r = latencyCell(lib, a[6], Integer.parseInt(a[7]),
                            ProcessHandle.of(Long.parseLong(a[8])).orElseThrow(), count, LATENCY_WARM_UP_SECONDS);
                } else {
                    String host = a[6];
                    int port = Integer.parseInt(a[7]);
                    ProcessHandle broker = ProcessHandle.of(Long.parseLong(a[8])).orElseThrow();
                    r = medianOfRuns(n -> e2e(lib, host, port, broker, size, qos, n), count);
                }
            } catch (Throwable e) {
                // a library's own threads (Paho's are not daemons) would keep this JVM, and the parent waiting,
                // for ten minutes: the cell ends now, without a result, and the parent says which one failed
                e.printStackTrace(System.out);
                System.out.flush();
                Runtime.getRuntime().halt(1);
                return;
            }
            StringBuilder out = new StringBuilder("RESULT");
            for (double d : r) {
                out.append(' ').append(d);
            }
            System.out.println(out);
            System.out.flush();
            Runtime.getRuntime().halt(0);
        }
    }

    /** The connection-scale measurement, in a JVM of its own. */
    static final class ScaleChild {
        /** One handler shared by every connection's subscription: the heap counted is the library's. */
        private static final java.util.function.Consumer<byte[]> IGNORE = p -> { };
        /** Whether each connection subscribes (default; {@code -Dwren.bench.scaleSubscribe=false} for what a subscription adds). */
        private static final boolean SUBSCRIBE = !"false".equals(System.getProperty("wren.bench.scaleSubscribe"));
        /** {@code --quick}: the idle CPU over 2 s instead of 10 (the bench's quick mode stays under three minutes). */
        private static final boolean QUICK = Boolean.getBoolean("wren.bench.scaleQuick");

        static void run(String[] args) throws Exception {
            String lib = args[1];
            int count = Integer.parseInt(args[2]);
            String host = args[3];
            int port = Integer.parseInt(args[4]);
            long heap0 = usedHeapAfterGc();
            long direct0 = directBytes();
            int threads0 = ManagementFactory.getThreadMXBean().getThreadCount();
            List<BenchClient> clients = new ArrayList<>();
            long t0 = System.nanoTime();
            IntFunction<String> id = i -> "scale-" + lib + "-" + i;
            try {
                for (int i = 0; i < count; i++) {
                    BenchClient c = client(lib, 1);
                    c.connect(host, port, id.apply(i));
                    if (SUBSCRIBE) {
                        c.subscribe("scale/" + i, 0, IGNORE); // each connection with one subscription, as the target says
                    }
                    clients.add(c);
                }
            } catch (Throwable e) {
                System.out.println("| " + lib + " | " + clients.size() + " of " + count + " | failed: " + e
                        + " | | | | | | |");
                System.out.flush();
                Runtime.getRuntime().halt(0);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Thread.sleep(2_000);
            long heap = usedHeapAfterGc() - heap0;
            long direct = directBytes() - direct0;
            int threads = ManagementFactory.getThreadMXBean().getThreadCount();
            // and once every connection has been quiet for longer than Wren keeps an idle connection's buffers (5 s)
            Thread.sleep(6_000);
            long heapIdle = usedHeapAfterGc() - heap0;
            long directIdle = directBytes() - direct0;
            // what the idle connections cost the CPU: keep-alive timers, sweeps, the library's own threads
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long wall0 = System.nanoTime();
            Thread.sleep(QUICK ? 2_000 : 10_000);
            double idleCpu = 100.0 * (os.getProcessCpuTime() - cpu0) / (System.nanoTime() - wall0);
            System.out.println(String.format(Locale.ROOT,
                    "| %s | %,d | %.1f | %,d B | %,d B | %,d B | %,d B | %d (was %d) | %.2f %% |",
                    lib, count, seconds, heap / count, heapIdle / count, direct / count, directIdle / count, threads,
                    threads0, idleCpu));
            System.out.flush();
            if (args.length > 5 && args[5].equals("hold")) {
                Thread.sleep(120_000); // time for jmap -histo:live
            }
            Runtime.getRuntime().halt(0); // 10,000 polite disconnects would only measure the broker
        }

        /** Bytes of the JVM's direct buffers in use (call after {@link #usedHeapAfterGc()}, so freed ones are gone). */
        private static long directBytes() {
            for (java.lang.management.BufferPoolMXBean pool
                    : ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class)) {
                if (pool.getName().equals("direct")) {
                    return pool.getMemoryUsed();
                }
            }
            return 0;
        }

        private static long usedHeapAfterGc() throws InterruptedException {
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(50); // the cleaners of direct buffers found unreachable run meanwhile
            }
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }
    }

}
