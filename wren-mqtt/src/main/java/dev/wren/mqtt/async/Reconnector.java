package dev.wren.mqtt.async;

import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.MqttEvent;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

/**
 * An {@link AsyncMqttClient}'s reconnecting: which configuration each attempt uses (the servers in turn, then the
 * application's {@link ReconnectHook}), whether to try again after a connection ends, and when ({@link
 * ReconnectPolicy}: back-off with jitter, reset once a connection is accepted).
 *
 * <p>Not thread-safe: guarded by its client's lock. The hook runs on the event loop, holding that lock.
 */
final class Reconnector {
    private final Options options;
    private final EventLoop loop;
    private boolean everConnected;
    private int attempt;
    private int serverIndex;

    Reconnector(Options options, EventLoop loop) {
        this.options = options;
        this.loop = loop;
    }

    /** The application asked to connect: a first attempt, with the back-off reset. */
    void start() {
        everConnected = false;
        attempt = 0;
    }

    /** A connection was accepted: the next loss starts the back-off afresh. */
    void connected() {
        everConnected = true;
        attempt = 0;
    }

    /** Whether to try again after a connection (or an attempt) ended. */
    boolean retry() {
        return options.reconnect.retry(everConnected);
    }

    /**
     * The configuration for the next attempt: {@code current}, aimed at the next of the servers if several are
     * given, then as the hook makes it ({@code forCore} applied to what the hook returns).
     */
    MqttClientConfig next(MqttClientConfig current, MqttEvent.Disconnect last, UnaryOperator<MqttClientConfig> forCore) {
        MqttClientConfig next = current;
        if (!options.servers.isEmpty()) {
            String[] server = options.servers.get(serverIndex++ % options.servers.size());
            next = server.length == 1 ? forCore.apply(next.toBuilder().url(server[0]).build())
                    : next.toBuilder().broker(server[0], Integer.parseInt(server[1])).build();
        }
        String redirect = options.followServerRedirects ? redirect(last) : null;
        if (redirect != null) {
            int colon = redirect.lastIndexOf(':');
            boolean hasPort = colon > 0 && redirect.indexOf(']') < colon && redirect.substring(colon + 1).chars()
                    .allMatch(Character::isDigit) && colon < redirect.length() - 1;
            String host = hasPort ? redirect.substring(0, colon) : redirect;
            host = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            next = next.toBuilder().broker(host, hasPort ? Integer.parseInt(redirect.substring(colon + 1))
                    : next.port()).build();
        }
        if (options.reconnectHook != null && (attempt > 0 || last != null)) {
            next = forCore.apply(Objects.requireNonNull(options.reconnectHook.beforeAttempt(attempt, last, next),
                    "the reconnect hook returned null"));
        }
        return next;
    }

    /** The first server a redirection names (MQTT 5.0 section 4.11), or null when {@code last} is none. */
    static String redirect(MqttEvent.Disconnect last) {
        if (last == null || (last.reasonCode() != dev.wren.mqtt.ReasonCode.USE_ANOTHER_SERVER
                && last.reasonCode() != dev.wren.mqtt.ReasonCode.SERVER_MOVED)) {
            return null;
        }
        String reference = last.properties().serverReference().orElse("").trim();
        if (reference.isEmpty()) {
            return null;
        }
        int space = reference.indexOf(' ');
        return space < 0 ? reference : reference.substring(0, space);
    }

    /** Runs {@code attemptTask} on the loop after the policy's delay for this attempt. */
    void schedule(Runnable attemptTask) {
        long delay = options.reconnect.delayMillis(attempt, ThreadLocalRandom.current().nextDouble());
        attempt++;
        loop.schedule(attemptTask, delay);
    }
}
