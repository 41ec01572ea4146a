package dev.wren.examples;

import dev.wren.mqtt.Transport;
import dev.wren.mqtt.TransportFactory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;

/**
 * A custom transport, as Zephyr's {@code MQTT_TRANSPORT_CUSTOM}: this one wraps another transport and counts the
 * bytes that pass, the way a metering or logging layer would. Every {@link Transport} method is a plain hand-over;
 * a transport of your own implements the same nine methods around whatever moves its bytes.
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
public final class CountingTransport implements Transport {
    private final Transport inner;
    private final Factory counts;

    private CountingTransport(Transport inner, Factory counts) {
        this.inner = inner;
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
    public boolean finishConnect() throws IOException {
        return inner.finishConnect();
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

    @Override
    public boolean flush() throws IOException {
        return inner.flush();
    }

    @Override
    public boolean hasBufferedInput() {
        return inner.hasBufferedInput();
    }

    @Override
    public SelectableChannel channel() {
        return inner.channel();
    }

    @Override
    public int interestOps(boolean clientWantsWrite) {
        return inner.interestOps(clientWantsWrite);
    }

    @Override
    public void awaitReadable(long timeoutMillis) throws IOException {
        inner.awaitReadable(timeoutMillis);
    }

    @Override
    public void close() {
        inner.close();
    }
}
