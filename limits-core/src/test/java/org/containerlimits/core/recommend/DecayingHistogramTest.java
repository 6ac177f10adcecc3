package org.containerlimits.core.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DecayingHistogramTest {
    private static final Instant T = Instant.parse("2026-11-30T00:00:00Z");

    @Test
    void buckets_growByFivePercent_andEveryValueFallsIntoTheBucketThatHoldsIt() {
        // Each bucket is 5% wider than the one before; relative to its values, wider near the first.
        DecayingHistogram.Kind cpu = DecayingHistogram.Kind.CPU;
        assertThat(cpu.bucketStart(0)).isZero();
        assertThat(cpu.bucketStart(1)).isCloseTo(0.01, within(1e-12));
        assertThat(cpu.bucketStart(2) - cpu.bucketStart(1)).isCloseTo(0.0105, within(1e-12));
        for (double v = 0; v < 1000; v = v * 1.01 + 0.001) {
            int b = cpu.bucketOf(v);
            assertThat(cpu.bucketStart(b)).as("%s", v).isLessThanOrEqualTo(v);
            if (b < cpu.buckets() - 1) {
                assertThat(cpu.bucketStart(b + 1)).as("%s", v).isGreaterThan(v);
            }
        }
        assertThat(cpu.bucketOf(1e9)).isEqualTo(cpu.buckets() - 1);
    }

    @Test
    void percentile_isTheEndOfTheBucketTheWeightReachesItIn() {
        DecayingHistogram h = DecayingHistogram.forCpu(Duration.ofHours(24));
        for (int i = 0; i < 9; i++) {
            h.add(0.1, 1, T);
        }
        h.add(1.0, 1, T);
        // Near 0.1 a bucket is about 15% wide (the first bucket's 0.01 weighs there); near 1, 6%.
        assertThat(h.percentile(0.9)).isGreaterThan(0.1).isLessThan(0.115);
        assertThat(h.percentile(0.95)).isGreaterThan(1.0).isLessThan(1.06);
        assertThat(DecayingHistogram.forCpu(Duration.ofHours(1)).percentile(0.9)).isZero();
    }

    @Test
    void a_sample_oneHalfLifeNewer_weighsTwice() {
        DecayingHistogram h = DecayingHistogram.forCpu(Duration.ofHours(1));
        h.add(0.1, 1, T);
        h.add(1.0, 1, T.plus(Duration.ofHours(1)));
        // 1 : 2, so the 50th percentile is in the newer sample's bucket.
        assertThat(h.percentile(0.33)).isLessThan(0.115);
        assertThat(h.percentile(0.5)).isGreaterThan(1.0);
    }

    @Test
    void the_reference_moves_beforeTheWeightsOverflow_keepingTheirRatios() {
        DecayingHistogram h = DecayingHistogram.forCpu(Duration.ofMinutes(1));
        h.add(0.1, 1, T);
        // 1,000 half-lives later: 2^1000 would overflow a double.
        Instant late = T.plus(Duration.ofMinutes(1000));
        h.add(1.0, 1, late);
        h.add(1.0, 1, late);
        assertThat(h.bucketWeights().values()).allMatch(Double::isFinite);
        assertThat(h.percentile(0.5)).isGreaterThan(1.0);
        assertThat(h.reference()).isAfter(T);
    }

    @Test
    void subtract_takesBackAPeak_andRestoreGivesTheSameHistogram() {
        DecayingHistogram h = DecayingHistogram.forMemory(Duration.ofHours(24));
        h.add(100e6, 1, T);
        h.subtract(100e6, 1, T);
        assertThat(h.isEmpty()).isTrue();
        h.add(300e6, 1, T);
        DecayingHistogram copy = DecayingHistogram.restore(DecayingHistogram.Kind.MEMORY, h.halfLife(), h.reference(),
                h.bucketWeights());
        assertThat(copy.percentile(0.9)).isEqualTo(h.percentile(0.9));
        assertThatThrownBy(() -> DecayingHistogram.restore(DecayingHistogram.Kind.CPU, Duration.ofHours(1), T,
                Map.of(100_000, 1.0))).hasMessageStartingWith("bucket 100000: a CPU histogram has buckets 0 to");
        assertThatThrownBy(() -> DecayingHistogram.restore(DecayingHistogram.Kind.CPU, Duration.ofHours(1), T,
                Map.of(3, Double.NaN))).hasMessage("bucket 3: weight NaN must be a finite number of at least 0");
    }
}
