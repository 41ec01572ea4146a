package dev.wren.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Per-thread scheduling figures of this JVM and of the broker, read from Linux's {@code /proc}, for the {@code one}
 * mode's {@code --threads}: how much CPU each busy thread took, how often it blocked (voluntary context switches) or
 * was preempted (involuntary ones) per message, and how often the event loop thread and the broker were last seen
 * on the same core. This is the profile behind BENCHMARKS.md's account of the 4 KB "slow mode".
 *
 * <p>Not thread-safe: one measurement at a time; the core sampler runs on a daemon thread of its own.
 */
final class ThreadStats implements AutoCloseable {
    /** One thread's counters: CPU nanoseconds, voluntary and involuntary context switches. */
    private record Counters(String name, long cpuNanos, long voluntary, long involuntary) {
    }

    private final long brokerPid;
    private final Map<String, Counters> before = new LinkedHashMap<>();
    private final AtomicLong samples = new AtomicLong();
    private final AtomicLong together = new AtomicLong();
    private final Thread sampler;
    private volatile boolean running = true;
    private long startNanos;

    ThreadStats(long brokerPid) {
        this.brokerPid = brokerPid;
        this.sampler = new Thread(this::sampleCores, "thread-stats");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Starts a measurement. */
    void start() {
        before.clear();
        before.putAll(read());
        samples.set(0);
        together.set(0);
        startNanos = System.nanoTime();
    }

    /** Ends the measurement of {@code messages} messages: lines describing each thread that took over 2 % of a core. */
    List<String> report(long messages) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Counters> e : read().entrySet()) {
            Counters b = before.get(e.getKey());
            Counters a = e.getValue();
            if (b == null) {
                continue;
            }
            double cpu = (a.cpuNanos - b.cpuNanos) / 1e9 / seconds;
            if (cpu < 0.02) {
                continue;
            }
            out.add(String.format(Locale.ROOT, "    %-16s %4.0f %% of a core, %.2f blocking and %.2f preempted per message",
                    a.name, 100 * cpu, (a.voluntary - b.voluntary) / (double) messages,
                    (a.involuntary - b.involuntary) / (double) messages));
        }
        long n = samples.get();
        out.add(String.format(Locale.ROOT, "    event loop and broker last ran on the same core in %d of %d samples (every 20 ms)",
                together.get(), n));
        return out;
    }

    @Override
    public void close() {
        running = false;
    }

    private Map<String, Counters> read() {
        Map<String, Counters> all = new LinkedHashMap<>();
        readProcess("wren", ProcessHandle.current().pid(), all);
        readProcess("broker", brokerPid, all);
        return all;
    }

    private static void readProcess(String tag, long pid, Map<String, Counters> into) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String name = Files.readString(task.resolve("comm")).trim();
                Map<String, Long> sched = sched(task);
                into.put(tag + "/" + task.getFileName(), new Counters(tag + " " + name,
                        sched.getOrDefault("se.sum_exec_runtime", 0L),
                        sched.getOrDefault("nr_voluntary_switches", 0L),
                        sched.getOrDefault("nr_involuntary_switches", 0L)));
            }
        } catch (IOException | RuntimeException e) {
            // a thread ended while being read, or no /proc: the figures are best effort
        }
    }

    /** The integer fields of {@code /proc/.../sched}; {@code se.sum_exec_runtime} (milliseconds there) in ns. */
    private static Map<String, Long> sched(Path task) throws IOException {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String line : Files.readAllLines(task.resolve("sched"))) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            try {
                if (key.equals("se.sum_exec_runtime")) {
                    m.put(key, (long) (Double.parseDouble(value) * 1e6));
                } else {
                    m.put(key, Long.parseLong(value));
                }
            } catch (NumberFormatException ignored) {
                // not a plain number
            }
        }
        return m;
    }

    private void sampleCores() {
        while (running) {
            int loop = coreOfThread(ProcessHandle.current().pid(), "wren-loop-0");
            int broker = coreOfThread(brokerPid, null);
            if (loop >= 0 && broker >= 0) {
                samples.incrementAndGet();
                if (loop == broker) {
                    together.incrementAndGet();
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The core a thread of {@code pid} named {@code name} (null: its main thread) last ran on, or -1. */
    private static int coreOfThread(long pid, String name) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                if (name == null ? task.getFileName().toString().equals(String.valueOf(pid))
                        : Files.readString(task.resolve("comm")).trim().equals(name)) {
                    String stat = Files.readString(task.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    return Integer.parseInt(fields[36]); // field 39, "processor", counted after the command
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or no /proc
        }
        return -1;
    }
}
