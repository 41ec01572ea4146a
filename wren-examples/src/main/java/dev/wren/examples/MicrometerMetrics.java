package dev.wren.examples;

import dev.wren.mqtt.DisconnectReason;
import dev.wren.mqtt.Qos;
import dev.wren.mqtt.async.LatencyHistogram;
import dev.wren.mqtt.async.MqttMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Shows Wren's {@link MqttMetrics} in Micrometer: counters as {@link FunctionCounter}s and states and round-trip
 * percentiles as {@link Gauge}s, all read from one {@link MqttMetrics#snapshot()} taken at most once per
 * {@code maxAgeMillis}, so that a registry polling forty meters takes one snapshot, not forty. Micrometer is a
 * dependency of this example only; Wren's core has none.
 *
 * <pre>{@code
 * MqttMetrics metrics = new MqttMetrics();
 * AsyncMqttClient client = AsyncMqttClient.builder(config).metrics(metrics).build();
 * MicrometerMetrics.bind(metrics, registry, Tags.of("client", "plant-7"));
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class MicrometerMetrics {
    private static final double[] PERCENTILES = {50, 99, 99.9};

    private final MqttMetrics metrics;
    private final long maxAgeNanos;
    private volatile MqttMetrics.Snapshot last;
    private volatile long lastAt;

    private MicrometerMetrics(MqttMetrics metrics, long maxAgeMillis) {
        this.metrics = metrics;
        this.maxAgeNanos = maxAgeMillis * 1_000_000;
    }

    /** Registers every meter of {@code metrics} in {@code registry} under the names {@code mqtt.client.*}. */
    public static MicrometerMetrics bind(MqttMetrics metrics, MeterRegistry registry, Tags tags) {
        return bind(metrics, registry, tags, 1000);
    }

    /** As {@link #bind(MqttMetrics, MeterRegistry, Tags)}, a snapshot serving the meters for up to {@code maxAgeMillis}. */
    public static MicrometerMetrics bind(MqttMetrics metrics, MeterRegistry registry, Tags tags, long maxAgeMillis) {
        MicrometerMetrics m = new MicrometerMetrics(metrics, maxAgeMillis);
        m.register(registry, tags);
        return m;
    }

    private MqttMetrics.Snapshot snapshot() {
        long now = System.nanoTime();
        MqttMetrics.Snapshot s = last;
        if (s == null || now - lastAt > maxAgeNanos) {
            s = metrics.snapshot();
            last = s;
            lastAt = now;
        }
        return s;
    }

    private void counter(MeterRegistry r, String name, Tags tags, String description,
                         ToDoubleFunction<MqttMetrics.Snapshot> value) {
        FunctionCounter.builder(name, this, m -> value.applyAsDouble(m.snapshot())).tags(tags)
                .description(description).register(r);
    }

    private void gauge(MeterRegistry r, String name, Tags tags, String description, String unit,
                       ToDoubleFunction<MqttMetrics.Snapshot> value) {
        Gauge.builder(name, this, m -> value.applyAsDouble(m.snapshot())).tags(tags).description(description)
                .baseUnit(unit).register(r);
    }

    private void register(MeterRegistry r, Tags tags) {
        counter(r, "mqtt.client.connections.made", tags, "connections the broker accepted",
                MqttMetrics.Snapshot::connectionsMade);
        for (DisconnectReason reason : DisconnectReason.values()) {
            counter(r, "mqtt.client.connections.lost", tags.and("reason", reason.name()),
                    "accepted connections that ended", s -> s.connectionsLost(reason));
        }
        counter(r, "mqtt.client.reconnect.attempts", tags, "attempts to connect again",
                MqttMetrics.Snapshot::reconnectAttempts);
        for (Qos qos : Qos.values()) {
            Tags q = tags.and("qos", String.valueOf(qos.code()));
            counter(r, "mqtt.client.messages.sent", q, "messages sent", s -> s.messagesSent(qos));
            counter(r, "mqtt.client.bytes.sent", q, "payload bytes sent", s -> s.bytesSent(qos));
            counter(r, "mqtt.client.messages.received", q, "messages received", s -> s.messagesReceived(qos));
            counter(r, "mqtt.client.bytes.received", q, "payload bytes received", s -> s.bytesReceived(qos));
        }
        for (MqttMetrics.Drop why : MqttMetrics.Drop.values()) {
            counter(r, "mqtt.client.messages.dropped", tags.and("cause", why.name()), "messages dropped or refused",
                    s -> s.dropped(why));
        }
        gauge(r, "mqtt.client.messages.inflight", tags, "QoS 1/2 messages not yet acknowledged", "messages",
                MqttMetrics.Snapshot::inFlight);
        gauge(r, "mqtt.client.messages.queued", tags, "messages accepted and not yet sent", "messages",
                MqttMetrics.Snapshot::queued);
        roundTrips(r, "mqtt.client.ack.roundtrip", tags.and("qos", "1"), s -> s.acknowledgementRoundTrip(Qos.AT_LEAST_ONCE));
        roundTrips(r, "mqtt.client.ack.roundtrip", tags.and("qos", "2"), s -> s.acknowledgementRoundTrip(Qos.EXACTLY_ONCE));
        roundTrips(r, "mqtt.client.ping.roundtrip", tags, MqttMetrics.Snapshot::pingRoundTrip);
    }

    /** A histogram as gauges: its count, max, mean and percentiles, in seconds as Micrometer prefers. */
    private void roundTrips(MeterRegistry r, String name, Tags tags,
                            Function<MqttMetrics.Snapshot, LatencyHistogram.Snapshot> histogram) {
        counter(r, name + ".count", tags, "round trips measured", s -> histogram.apply(s).count());
        gauge(r, name + ".max", tags, "longest round trip", "seconds", s -> histogram.apply(s).max() / 1e6);
        gauge(r, name + ".mean", tags, "mean round trip", "seconds", s -> histogram.apply(s).mean() / 1e6);
        for (double p : PERCENTILES) {
            gauge(r, name, tags.and("percentile", String.valueOf(p)), "round trip at a percentile", "seconds",
                    s -> histogram.apply(s).valueAt(p) / 1e6);
        }
    }
}
