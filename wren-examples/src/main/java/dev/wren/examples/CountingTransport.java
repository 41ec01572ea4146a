package dev.wren.examples;

import dev.wren.mqtt.ForwardingTransport;
import dev.wren.mqtt.Transport;
import dev.wren.mqtt.TransportFactory;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A custom transport, as Zephyr's {@code MQTT_TRANSPORT_CUSTOM}: this one wraps another transport and counts the
 * bytes that pass, the way a metering or logging layer would. It extends {@link ForwardingTransport} and
 * overrides only {@code read} and {@code write}; a transport that moves bytes itself implements {@link Transport}'s
 * methods around whatever carries them.
 *
 * <pre>{@code
 * CountingTransport.Factory counting = new CountingTransport.Factory(TransportFactory.tcp());
 * MqttClient client = new MqttClient(MqttClientConfig.builder().broker("localhost", 1883)
 *         .transport(counting).build(), handler);
 * ... counting.sent(), counting.received()
 * }</pre>
 *
 * <p>Not thread-safe, like the transport it wraps; the factory's counters may be read from any thread.
 */
public final class CountingTransport extends ForwardingTransport {
    private final Factory counts;

    private CountingTransport(Transport inner, Factory counts) {
        super(inner);
        this.counts = counts;
    }

    /** Opens counting transports over {@code inner}'s, and adds up what all of them moved. */
    public static final class Factory implements TransportFactory {
        private final TransportFactory inner;
        private final java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();

        public Factory(TransportFactory inner) {
            this.inner = inner;
        }

        @Override
        public Transport open(String host, int port) throws IOException {
            return new CountingTransport(inner.open(host, port), this);
        }

        /** Bytes written to the broker so far. */
        public long sent() {
            return sent.get();
        }

        /** Bytes read from the broker so far. */
        public long received() {
            return received.get();
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int n = inner.read(dst);
        if (n > 0) {
            counts.received.addAndGet(n);
        }
        return n;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long n = inner.write(srcs, offset, length);
        counts.sent.addAndGet(n);
        return n;
    }
}
