package dev.wren.cli;

import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.MqttEvent;
import dev.wren.mqtt.Qos;
import dev.wren.mqtt.TopicFilter;
import dev.wren.mqtt.Subscription;
import dev.wren.mqtt.async.AsyncMqttClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code wren sub}: subscribe and print messages; mosquitto_sub's flags. */
@Command(name = "sub", description = "Subscribe and print messages, with mosquitto_sub's flags.")
final class SubCommand implements Callable<Integer> {
    static final int TIMED_OUT = 27; // mosquitto_sub's exit code for -W (MOSQ_ERR_TIMEOUT)

    @ParentCommand
    Wren wren;

    @Mixin
    ClientOptions client;

    @Option(names = "--help", usageHelp = true, description = "show this help")
    boolean help;

    @Option(names = "-t", paramLabel = "topic", description = "topic filter to subscribe to (repeatable)")
    List<String> topics = new ArrayList<>();

    @Option(names = "-T", paramLabel = "filter", description = "do not print messages matching this filter (repeatable)")
    List<String> filterOut = new ArrayList<>();

    @Option(names = "-C", paramLabel = "count", description = "exit after this many messages")
    Integer count;

    @Option(names = "-R", description = "do not print stale (retained) messages")
    boolean skipRetained;

    @Option(names = "-v", description = "print the topic before each message")
    boolean verbose;

    @Option(names = "-N", description = "do not print a newline after each message")
    boolean noNewline;

    @Option(names = "-F", paramLabel = "format", description = "print each message in this format, as mosquitto_sub: "
            + "%%t topic, %%p payload, %%q qos, %%r retain, %%m message id, %%l length, %%x hex, %%I ISO time, %%U Unix time, "
            + "%%j JSON; MQTT 5: %%P user properties, %%C content type, %%D correlation data, %%E expiry, %%F payload "
            + "format, %%R response topic, %%S subscription identifiers")
    String format;

    @Option(names = "-E", description = "exit once subscribed")
    boolean exitAfterSubscribe;

    @Option(names = "-W", paramLabel = "seconds", description = "exit after this many seconds (exit code 27)")
    Integer timeout;

    @Option(names = "--stats", description = "print the count of messages received and their rate to standard "
            + "error once a second")
    boolean stats;

    @Override
    public Integer call() throws Exception {
        MqttClientConfig config = client.config("wren-sub-", wren.out);
        if (client.urlTopic != null) {
            topics.add(client.urlTopic);
        }
        if (topics.isEmpty()) {
            throw new UsageException("a topic is needed: -t or -L");
        }
        if (client.noCleanSession && client.id == null) {
            throw new UsageException("-c needs a client id: give -i");
        }
        if (timeout != null && timeout < 1) {
            throw new UsageException("-W must be at least 1 second, was " + timeout);
        }
        if (count != null && count < 1) {
            throw new UsageException("-C must be at least 1, was " + count);
        }
        for (String f : filterOut) {
            TopicFilter.check("-T", f);
        }
        Qos qos = client.qos();
        OutputFormat output = format == null ? null : new OutputFormat(format);
        this.output = output;
        List<Subscription> subscriptions = new ArrayList<>();
        for (String t : topics) {
            subscriptions.add(Subscription.of(t, qos));
        }
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger printed = new AtomicInteger();
        java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
        long start = System.nanoTime();
        java.util.concurrent.ScheduledExecutorService statsTimer = stats ? statsTimer(received, start) : null;
        try (AsyncMqttClient c = AsyncMqttClient.builder(config)
                .reconnectDelay(Duration.ofSeconds(1), Duration.ofSeconds(30)).build()) {
            c.connect().get(30, TimeUnit.SECONDS);
            client.subscribeProperties(); // reads -D subscribe subscription-identifier
            dev.wren.mqtt.async.MessageHandler handler = m -> {
                received.incrementAndGet();
                synchronized (printed) {
                    if (count != null && printed.get() >= count) {
                        return; // -C reached: nothing more is printed, even before the disconnect goes out
                    }
                    if (print(m) && count != null && printed.incrementAndGet() >= count) {
                        done.countDown();
                    }
                }
            };
            (client.subscriptionIdentifier != 0 ? c.subscribe(subscriptions, client.subscriptionIdentifier, handler)
                    : c.subscribe(subscriptions, handler)).get(30, TimeUnit.SECONDS);
            if (exitAfterSubscribe) {
                c.disconnect().get(10, TimeUnit.SECONDS);
                return 0;
            }
            boolean finished;
            if (timeout != null) {
                long left = TimeUnit.SECONDS.toNanos(timeout) - (System.nanoTime() - start);
                finished = done.await(Math.max(0, left), TimeUnit.NANOSECONDS);
            } else {
                done.await();
                finished = true;
            }
            c.disconnect().get(10, TimeUnit.SECONDS);
            if (statsTimer != null) {
                statsTimer.shutdownNow();
            }
            if (!finished) {
                wren.err.println("Timed out");
                return TIMED_OUT;
            }
        }
        return 0;
    }

    private OutputFormat output;

    /** {@code --stats}: once a second, the count so far and the rate over the last second, on standard error. */
    private java.util.concurrent.ScheduledExecutorService statsTimer(java.util.concurrent.atomic.AtomicLong received,
                                                                      long start) {
        java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors
                .newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "wren-sub-stats");
                    t.setDaemon(true);
                    return t;
                });
        long[] last = {0};
        timer.scheduleAtFixedRate(() -> {
            long n = received.get();
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            wren.err.println("stats: " + n + " messages in " + seconds + " s, " + (n - last[0]) + " msg/s");
            last[0] = n;
        }, 1, 1, TimeUnit.SECONDS);
        return timer;
    }

    /** Prints a message unless filtered out; returns whether it was printed. */
    private boolean print(MqttEvent.Publish m) {
        for (String f : filterOut) {
            if (TopicFilter.matches(f, m.topic())) {
                return false;
            }
        }
        if (skipRetained && m.retain()) {
            return false;
        }
        synchronized (wren.out) {
            if (output != null) {
                byte[] line = output.render(m, java.time.Instant.now());
                wren.out.write(line, 0, line.length);
                if (!noNewline) {
                    wren.out.println();
                }
                wren.out.flush();
                return true;
            }
            if (verbose) {
                wren.out.print(m.topic());
                wren.out.print(' ');
            }
            byte[] payload = m.payloadBytes();
            wren.out.write(payload, 0, payload.length);
            if (!noNewline) {
                wren.out.println();
            }
            wren.out.flush();
        }
        return true;
    }
}
