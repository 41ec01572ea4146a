package dev.wren.bench;

import dev.wren.mqtt.MqttClient;
import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.Qos;
import dev.wren.mqtt.async.AsyncMqttClient;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Bytes allocated per published message in steady state, by JMH's GC profiler, for the poll-driven client and for
 * the asynchronous client, publishing 64-byte messages into a Mosquitto in another process. (Not into the in-process
 * {@link SinkServer}: JMH's profiler counts the allocations of every thread in the JVM, the sink's selector included.)
 */
@State(Scope.Benchmark)
public class AllocationBenchmark {
    private dev.wren.testing.Mosquitto broker;
    private MqttClient poll;
    private AsyncMqttClient async;
    private final ByteBuffer payload = ByteBuffer.allocateDirect(64);
    private final byte[] bytes = new byte[64];

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        broker = dev.wren.testing.Mosquitto.start();
        // the default send window (100) unless -Dwren.bench.pollWindow says otherwise (not in the reported runs)
        poll = new MqttClient(MqttClientConfig.builder().broker("127.0.0.1", broker.port()).clientId("alloc-poll")
                .maxInflight(Integer.getInteger("wren.bench.pollWindow", 100))
                .build(), (c, e) -> { });
        poll.connect();
        while (!poll.isConnected()) {
            poll.input();
            Thread.onSpinWait();
        }
        async = AsyncMqttClient.builder(MqttClientConfig.builder().broker("127.0.0.1", broker.port())
                .clientId("alloc-async").build()).maxInflight(1_000).maxQueued(10_000).blockWhenQueueFull(true).build();
        async.connect().get(10, TimeUnit.SECONDS);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        poll.abort();
        async.close();
        broker.close();
    }

    private int publishPoll(Qos qos) {
        int id;
        while ((id = poll.publish("bench/alloc", payload, qos, false)) == MqttClient.WOULD_BLOCK) {
            poll.input(); // take acknowledgements, make room
        }
        if (qos != Qos.AT_MOST_ONCE) {
            poll.input();
        }
        return id;
    }

    @Benchmark
    public int pollDrivenQos0() {
        return publishPoll(Qos.AT_MOST_ONCE);
    }

    @Benchmark
    public int pollDrivenQos1() {
        return publishPoll(Qos.AT_LEAST_ONCE);
    }

    @Benchmark
    public Object asyncQos0() {
        return async.publish("bench/alloc", bytes, Qos.AT_MOST_ONCE, false);
    }

    @Benchmark
    public Object asyncQos1() {
        return async.publish("bench/alloc", bytes, Qos.AT_LEAST_ONCE, false);
    }

    /** Runs the benchmarks in a forked JVM and returns a Markdown table of B/op and ops/s. */
    static String runAndReport(boolean quick) throws Exception {
        Options opt = new OptionsBuilder().include(AllocationBenchmark.class.getName())
                .addProfiler(GCProfiler.class).forks(1)
                .warmupIterations(quick ? 1 : 3).warmupTime(TimeValue.seconds(quick ? 1 : 2))
                .measurementIterations(quick ? 1 : 5).measurementTime(TimeValue.seconds(quick ? 1 : 2))
                .jvmArgsAppend("-Xmx1g", "-Dwren.bench.pollWindow=" + Integer.getInteger("wren.bench.pollWindow", 100))
                .build();
        Collection<RunResult> results = new Runner(opt).run();
        StringBuilder sb = new StringBuilder("| benchmark | ops/s | bytes allocated per message (gc.alloc.rate.norm) |\n"
                + "|---|---|---|\n");
        for (RunResult r : results) {
            Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
            sb.append(String.format(Locale.ROOT, "| %s | %,.0f | %.1f ± %.1f |%n",
                    r.getParams().getBenchmark().replace(AllocationBenchmark.class.getName() + ".", ""),
                    r.getPrimaryResult().getScore(), alloc == null ? Double.NaN : alloc.getScore(),
                    alloc == null ? Double.NaN : alloc.getScoreError()));
        }
        return sb.toString();
    }
}
