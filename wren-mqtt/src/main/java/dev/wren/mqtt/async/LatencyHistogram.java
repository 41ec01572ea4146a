package dev.wren.mqtt.async;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A histogram of durations in microseconds with fixed, log-linear buckets (as HdrHistogram's, at one significant
 * binary digit and three more bits): every power of two is cut into eight equal buckets, so a value is known to within
 * 12.5 % from 8 µs up to about 38 hours (longer values count in the last bucket; below 8 µs each microsecond has its
 * own). Recording is a few arithmetic steps and one atomic add: no allocation, no lock.
 *
 * <p>Thread-safe: any number of threads may record while another takes a {@link #snapshot()}.
 */
public final class LatencyHistogram {
    private static final int SUB_BITS = 3;
    private static final int SUB = 1 << SUB_BITS;
    private static final int MAX_EXPONENT = 36;
    /** How many buckets there are. */
    public static final int BUCKETS = SUB + (MAX_EXPONENT - SUB_BITS + 1) * SUB;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final LongAdder sum = new LongAdder();
    private final AtomicLong max = new AtomicLong();

    LatencyHistogram() {
    }

    /** The bucket {@code micros} falls in. */
    static int bucketOf(long micros) {
        if (micros < SUB) {
            return (int) Math.max(0, micros);
        }
        int exponent = 63 - Long.numberOfLeadingZeros(micros);
        if (exponent > MAX_EXPONENT) {
            return BUCKETS - 1;
        }
        int sub = (int) (micros >>> (exponent - SUB_BITS)) & (SUB - 1);
        return SUB + (exponent - SUB_BITS) * SUB + sub;
    }

    /** The largest value bucket {@code index} holds. */
    static long upperBound(int index) {
        if (index < SUB) {
            return index;
        }
        int exponent = (index - SUB) / SUB + SUB_BITS;
        int sub = (index - SUB) % SUB;
        return ((long) (SUB + sub + 1) << (exponent - SUB_BITS)) - 1;
    }

    /**
     * Records one duration of {@code micros} microseconds (a negative one counts as 0).
     *
     * @param micros the duration in microseconds
     */
    public void record(long micros) {
        long v = Math.max(0, micros);
        counts.incrementAndGet(bucketOf(v));
        sum.add(v);
        long m;
        while (v > (m = max.get()) && !max.compareAndSet(m, v)) {
            // another thread raised it meanwhile: look again
        }
    }

    /**
     * What has been recorded so far; the counts are read one after another, not frozen together.
     *
     * @return the snapshot
     */
    public Snapshot snapshot() {
        long[] c = new long[BUCKETS];
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) {
            c[i] = counts.get(i);
            n += c[i];
        }
        return new Snapshot(c, n, sum.sum(), max.get());
    }

    /** The histogram at one moment. Immutable. */
    public static final class Snapshot {
        private final long[] counts;
        private final long count;
        private final long sum;
        private final long max;

        Snapshot(long[] counts, long count, long sum, long max) {
            this.counts = counts;
            this.count = count;
            this.sum = sum;
            this.max = max;
        }

        /**
         * How many durations were recorded.
         *
         * @return the count
         */
        public long count() {
            return count;
        }

        /**
         * The longest, in microseconds; 0 if none.
         *
         * @return the longest duration
         */
        public long max() {
            return max;
        }

        /**
         * The mean in microseconds; 0 if none.
         *
         * @return the mean
         */
        public double mean() {
            return count == 0 ? 0 : (double) sum / count;
        }

        /**
         * The value at {@code percentile} (0 to 100) in microseconds: the upper bound of the bucket holding it (at
         * most 12.5 % above it), never above {@link #max()}; 0 if nothing was recorded.
         *
         * @param percentile the percentile, 0 to 100
         * @return the value in microseconds
         */
        public long valueAt(double percentile) {
            if (percentile < 0 || percentile > 100) {
                throw new IllegalArgumentException("percentile must be 0..100, was " + percentile);
            }
            if (count == 0) {
                return 0;
            }
            long rank = Math.max(1, (long) Math.ceil(percentile / 100 * count));
            long seen = 0;
            for (int i = 0; i < counts.length; i++) {
                seen += counts[i];
                if (seen >= rank) {
                    return Math.min(upperBound(i), max);
                }
            }
            return max;
        }

        /**
         * How many durations fell in bucket {@code index} (0 .. {@link #BUCKETS} - 1).
         *
         * @param index the bucket
         * @return the count
         */
        public long countAt(int index) {
            return counts[index];
        }

        /**
         * The largest value in microseconds bucket {@code index} holds.
         *
         * @param index the bucket
         * @return the bound in microseconds
         */
        public static long bucketUpperBound(int index) {
            return upperBound(index);
        }
    }
}
