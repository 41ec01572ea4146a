package dev.wren.mqtt.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void everyValueFallsInABucketWhoseBoundsHoldItWithinAnEighth() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 100_000; i++) {
            long v = random.nextLong(1L << random.nextInt(1, 37));
            int b = LatencyHistogram.bucketOf(v);
            long upper = LatencyHistogram.upperBound(b);
            long lower = b == 0 ? 0 : LatencyHistogram.upperBound(b - 1) + 1;
            assertThat(v).as("bucket %d of %d", b, v).isBetween(lower, upper);
            assertThat((double) (upper - v)).as("error for %d", v).isLessThanOrEqualTo(Math.max(0, v / 8.0));
        }
    }

    @Test
    void bucketsAreContiguousAndIncreasing() {
        for (int b = 1; b < LatencyHistogram.BUCKETS; b++) {
            assertThat(LatencyHistogram.bucketOf(LatencyHistogram.upperBound(b - 1) + 1)).isEqualTo(b);
        }
        assertThat(LatencyHistogram.bucketOf(Long.MAX_VALUE)).isEqualTo(LatencyHistogram.BUCKETS - 1);
        assertThat(LatencyHistogram.bucketOf(-5)).isZero();
    }

    @Test
    void percentilesComeOutWithinTheBucketErrorOfTheExactOnes() {
        LatencyHistogram h = new LatencyHistogram();
        SplittableRandom random = new SplittableRandom(7);
        long[] values = new long[10_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = 50 + random.nextLong(100_000); // 50 µs .. 100 ms
            h.record(values[i]);
        }
        Arrays.sort(values);
        LatencyHistogram.Snapshot s = h.snapshot();
        assertThat(s.count()).isEqualTo(values.length);
        assertThat(s.max()).isEqualTo(values[values.length - 1]);
        assertThat(s.mean()).isCloseTo(Arrays.stream(values).average().orElseThrow(), org.assertj.core.data.Offset.offset(0.01));
        for (double p : new double[] {50, 90, 99, 99.9, 100}) {
            long exact = values[(int) Math.ceil(p / 100 * values.length) - 1];
            assertThat(s.valueAt(p)).as("p%s", p).isBetween(exact, exact + exact / 8);
        }
        assertThatThrownBy(() -> s.valueAt(101)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new LatencyHistogram().snapshot().valueAt(99)).isZero();
    }
}
