package dev.wren.bench;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One MQTT client library, driven the same way for every library: through its asynchronous API, with the same
 * in-flight window (a semaphore taken before each publish and given back when the library reports it done:
 * acknowledged for QoS 1 and 2, written for QoS 0).
 *
 * <p>Thread-safe as the libraries are: publish from one thread, callbacks from theirs.
 */
abstract class BenchClient implements AutoCloseable {
    final Semaphore window;
    final int windowSize;
    final AtomicLong failures = new AtomicLong();
    /** tcp, tls or ws ({@link BenchTransport}). */
    String transport = "tcp";

    BenchClient(int window) {
        this.windowSize = window;
        this.window = new Semaphore(window);
    }

    abstract String name();

    abstract void connect(String host, int port, String clientId) throws Exception;

    /** Sends one message; must call {@link #done(Throwable)} once the library reports it complete. */
    abstract void send(String topic, byte[] payload, int qos) throws Exception;

    abstract void subscribe(String topic, int qos, Consumer<byte[]> onMessage) throws Exception;

    @Override
    public abstract void close();

    /** Publishes {@code count} messages, within the window. */
    void publishAll(String topic, byte[] payload, int qos, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            window.acquire();
            send(topic, payload, qos);
        }
    }

    /** Publishes one message with this payload, within the window. */
    void publishOne(String topic, byte[] payload, int qos) throws Exception {
        window.acquire();
        send(topic, payload, qos);
    }

    void done(Throwable error) {
        if (error != null) {
            failures.incrementAndGet();
        }
        window.release();
    }

    /** Waits until everything published so far is complete. */
    boolean drain(long timeoutMillis) throws InterruptedException {
        if (!window.tryAcquire(windowSize, timeoutMillis, TimeUnit.MILLISECONDS)) {
            return false;
        }
        window.release(windowSize);
        return true;
    }
}
