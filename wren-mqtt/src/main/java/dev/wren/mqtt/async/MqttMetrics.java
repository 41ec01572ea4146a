package dev.wren.mqtt.async;

import dev.wren.mqtt.DisconnectReason;
import dev.wren.mqtt.Qos;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one or more {@link AsyncMqttClient}s did, counted as they do it: connections made and lost (by reason),
 * reconnect attempts, messages and payload bytes sent and received by QoS, messages in flight and queued, messages
 * dropped (by cause), and the round trips of acknowledgements (QoS 1: PUBLISH to PUBACK; QoS 2: PUBLISH to PUBCOMP)
 * and of pings as {@link LatencyHistogram}s. Given to {@link AsyncMqttClientBuilder#metrics(MqttMetrics)}; a client
 * built without one counts nothing and pays nothing. One instance may serve many clients: it then adds theirs up.
 * Read it with {@link #snapshot()}, as often as a metrics system polls (README shows Micrometer).
 *
 * <p>No dependency, no thread, no allocation when counting. Thread-safe.
 */
public final class MqttMetrics {

    /** Why a message was dropped or refused. */
    public enum Drop {
        /** Not sent within its {@linkplain PublishOptions.Builder#expiry expiry}. */
        EXPIRED,
        /** Dropped unsent for a newer one ({@link QueueFullPolicy#DROP_OLDEST}). */
        QUEUE_FULL_OLDEST,
        /** Refused by {@code publish} because the queue was full ({@link QueueFullPolicy#FAIL}). */
        QUEUE_FULL_REFUSED,
        /** {@linkplain PublishOptions.Builder#onlyIfConnected Only if connected}, and there was no connection. */
        NOT_CONNECTED,
        /** A received QoS 0 message dropped at the pending bound ({@link InboundOverflow}). */
        INBOUND_OVERFLOW,
        /** A received message no handler claimed, beyond {@link AsyncMqttClientBuilder#maxUnhandled(int)}. */
        UNHANDLED
    }

    /**
     * What the snapshot asks of each client: its states, and the counts it keeps itself because they change with
     * every message (plain fields under the client's lock, cheaper on the hot path than a shared adder).
     */
    interface Source {
        int inFlight();

        int queued();

        long droppedInbound();

        long droppedUnhandled();

        /** Adds this client's messages and bytes sent and received, by QoS, into the four arrays. */
        void addCounts(long[] sent, long[] sentBytes, long[] received, long[] receivedBytes);
    }

    /** One client's per-message counts, kept under its lock. Not thread-safe. */
    static final class Counts {
        final long[] sent = new long[3];
        final long[] sentBytes = new long[3];
        final long[] received = new long[3];
        final long[] receivedBytes = new long[3];

        void sent(Qos qos, int bytes) {
            sent[qos.code()]++;
            sentBytes[qos.code()] += bytes;
        }

        void received(Qos qos, long bytes) {
            received[qos.code()]++;
            receivedBytes[qos.code()] += bytes;
        }

        void addTo(long[] s, long[] sb, long[] r, long[] rb) {
            for (int i = 0; i < 3; i++) {
                s[i] += sent[i];
                sb[i] += sentBytes[i];
                r[i] += received[i];
                rb[i] += receivedBytes[i];
            }
        }
    }

    private final LongAdder connectionsMade = new LongAdder();
    private final EnumMap<DisconnectReason, LongAdder> connectionsLost = new EnumMap<>(DisconnectReason.class);
    private final LongAdder reconnectAttempts = new LongAdder();
    private final LongAdder[] sent = adders(3);
    private final LongAdder[] sentBytes = adders(3);
    private final LongAdder[] received = adders(3);
    private final LongAdder[] receivedBytes = adders(3);
    private final LongAdder[] dropped = adders(Drop.values().length);
    final LatencyHistogram ackQos1 = new LatencyHistogram();
    final LatencyHistogram ackQos2 = new LatencyHistogram();
    final LatencyHistogram ping = new LatencyHistogram();
    private final CopyOnWriteArrayList<Source> sources = new CopyOnWriteArrayList<>();

    /** Metrics with every count at zero, to be given to one or more clients ({@code AsyncMqttClientBuilder#metrics}). */
    public MqttMetrics() {
        for (DisconnectReason r : DisconnectReason.values()) {
            connectionsLost.put(r, new LongAdder());
        }
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    // ------------------------------------------------------------------ what the client tells (any thread)

    void connected() {
        connectionsMade.increment();
    }

    void lost(DisconnectReason reason) {
        connectionsLost.get(reason).increment();
    }

    void reconnectAttempt() {
        reconnectAttempts.increment();
    }

    void dropped(Drop why) {
        dropped[why.ordinal()].increment();
    }

    void acknowledged(Qos qos, long sentAtNanos, long nowNanos) {
        (qos == Qos.EXACTLY_ONCE ? ackQos2 : ackQos1).record((nowNanos - sentAtNanos) / 1000);
    }

    void pinged(long roundTripMillis) {
        ping.record(roundTripMillis * 1000);
    }

    void register(Source s) {
        sources.add(s);
    }

    /** A client closed: what its counters held stays counted, its states go. */
    void retire(Source s) {
        if (sources.remove(s)) {
            dropped[Drop.INBOUND_OVERFLOW.ordinal()].add(s.droppedInbound());
            dropped[Drop.UNHANDLED.ordinal()].add(s.droppedUnhandled());
            long[][] c = new long[4][3];
            s.addCounts(c[0], c[1], c[2], c[3]);
            for (int q = 0; q < 3; q++) {
                sent[q].add(c[0][q]);
                sentBytes[q].add(c[1][q]);
                received[q].add(c[2][q]);
                receivedBytes[q].add(c[3][q]);
            }
        }
    }

    // ------------------------------------------------------------------ reading

    /**
     * The counts and histograms now.
     *
     * @return the snapshot
     */
    public Snapshot snapshot() {
        long inFlight = 0;
        long queued = 0;
        long droppedInbound = dropped[Drop.INBOUND_OVERFLOW.ordinal()].sum();
        long droppedUnhandled = dropped[Drop.UNHANDLED.ordinal()].sum();
        long[] sentNow = sums(sent);
        long[] sentBytesNow = sums(sentBytes);
        long[] receivedNow = sums(received);
        long[] receivedBytesNow = sums(receivedBytes);
        for (Source s : sources) {
            s.addCounts(sentNow, sentBytesNow, receivedNow, receivedBytesNow);
            inFlight += s.inFlight();
            queued += s.queued();
            droppedInbound += s.droppedInbound();
            droppedUnhandled += s.droppedUnhandled();
        }
        long[] drops = new long[Drop.values().length];
        for (Drop d : Drop.values()) {
            drops[d.ordinal()] = d == Drop.INBOUND_OVERFLOW ? droppedInbound : d == Drop.UNHANDLED ? droppedUnhandled
                    : dropped[d.ordinal()].sum();
        }
        EnumMap<DisconnectReason, Long> lost = new EnumMap<>(DisconnectReason.class);
        connectionsLost.forEach((r, a) -> lost.put(r, a.sum()));
        return new Snapshot(connectionsMade.sum(), lost, reconnectAttempts.sum(), sentNow, sentBytesNow,
                receivedNow, receivedBytesNow, inFlight, queued, drops, ackQos1.snapshot(), ackQos2.snapshot(),
                ping.snapshot());
    }

    private static long[] sums(LongAdder[] a) {
        long[] s = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            s[i] = a[i].sum();
        }
        return s;
    }

    /** The metrics at one moment. Immutable. */
    public static final class Snapshot {
        private final long connectionsMade;
        private final Map<DisconnectReason, Long> connectionsLost;
        private final long reconnectAttempts;
        private final long[] sent;
        private final long[] sentBytes;
        private final long[] received;
        private final long[] receivedBytes;
        private final long inFlight;
        private final long queued;
        private final long[] dropped;
        private final LatencyHistogram.Snapshot ackQos1;
        private final LatencyHistogram.Snapshot ackQos2;
        private final LatencyHistogram.Snapshot ping;

        Snapshot(long connectionsMade, Map<DisconnectReason, Long> connectionsLost, long reconnectAttempts,
                 long[] sent, long[] sentBytes, long[] received, long[] receivedBytes, long inFlight, long queued,
                 long[] dropped, LatencyHistogram.Snapshot ackQos1, LatencyHistogram.Snapshot ackQos2,
                 LatencyHistogram.Snapshot ping) {
            this.connectionsMade = connectionsMade;
            this.connectionsLost = Map.copyOf(connectionsLost);
            this.reconnectAttempts = reconnectAttempts;
            this.sent = sent;
            this.sentBytes = sentBytes;
            this.received = received;
            this.receivedBytes = receivedBytes;
            this.inFlight = inFlight;
            this.queued = queued;
            this.dropped = dropped;
            this.ackQos1 = ackQos1;
            this.ackQos2 = ackQos2;
            this.ping = ping;
        }

        /**
         * Connections the broker accepted.
         *
         * @return the count
         */
        public long connectionsMade() {
            return connectionsMade;
        }

        /**
         * Accepted connections that ended for {@code reason}.
         *
         * @param reason the reason
         * @return the count
         */
        public long connectionsLost(DisconnectReason reason) {
            return connectionsLost.get(reason);
        }

        /**
         * Accepted connections that ended, for any reason.
         *
         * @return the count
         */
        public long connectionsLost() {
            return connectionsLost.values().stream().mapToLong(Long::longValue).sum();
        }

        /**
         * Attempts to connect again after a connection was lost or an attempt failed.
         *
         * @return the count
         */
        public long reconnectAttempts() {
            return reconnectAttempts;
        }

        /**
         * Messages of {@code qos} sent (once each, however often re-sent).
         *
         * @param qos the QoS
         * @return the count
         */
        public long messagesSent(Qos qos) {
            return sent[qos.code()];
        }

        /**
         * Payload bytes of the messages of {@code qos} sent.
         *
         * @param qos the QoS
         * @return the bytes
         */
        public long bytesSent(Qos qos) {
            return sentBytes[qos.code()];
        }

        /**
         * Messages of {@code qos} received and delivered (a QoS 2 copy answered and not delivered is not counted).
         *
         * @param qos the QoS
         * @return the count
         */
        public long messagesReceived(Qos qos) {
            return received[qos.code()];
        }

        /**
         * Payload bytes of the messages of {@code qos} received.
         *
         * @param qos the QoS
         * @return the bytes
         */
        public long bytesReceived(Qos qos) {
            return receivedBytes[qos.code()];
        }

        /**
         * QoS 1/2 messages sent and not yet acknowledged, now.
         *
         * @return the number of messages in flight
         */
        public long inFlight() {
            return inFlight;
        }

        /**
         * Messages accepted and not yet sent, now.
         *
         * @return the number of queued messages
         */
        public long queued() {
            return queued;
        }

        /**
         * Messages dropped or refused for {@code why}.
         *
         * @param why the reason
         * @return the count
         */
        public long dropped(Drop why) {
            return dropped[why.ordinal()];
        }

        /**
         * Round trips from PUBLISH to PUBACK (QoS 1) or PUBCOMP (QoS 2), microseconds.
         *
         * @param qos 1 or 2
         * @return the histogram's snapshot
         */
        public LatencyHistogram.Snapshot acknowledgementRoundTrip(Qos qos) {
            if (qos == Qos.AT_MOST_ONCE) {
                throw new IllegalArgumentException("QoS 0 messages are not acknowledged");
            }
            return qos == Qos.AT_LEAST_ONCE ? ackQos1 : ackQos2;
        }

        /**
         * Round trips from PINGREQ to PINGRESP, microseconds (measured to the millisecond).
         *
         * @return the histogram's snapshot
         */
        public LatencyHistogram.Snapshot pingRoundTrip() {
            return ping;
        }
    }
}
