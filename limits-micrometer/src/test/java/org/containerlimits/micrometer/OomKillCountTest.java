package org.containerlimits.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.OptionalLong;
import org.containerlimits.core.usage.CpuCapacity;
import org.containerlimits.core.usage.LimitsReading;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.usage.UsageSample;
import org.junit.jupiter.api.Test;

/** What the {@code containerlimits.oom.kills} counter shows, reading after reading; no Docker needed. */
class OomKillCountTest {
    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    private static final CpuCapacity ONE_CORE = CpuCapacity.of(ResourceLimits.parse("nano_cpus=1000000000"), 2);

    private static LimitsReading running(OptionalLong before, OptionalLong after) {
        return LimitsReading.between("c", "cgroup", sample(0, before), sample(1, after), ONE_CORE, false);
    }

    private static UsageSample sample(long second, OptionalLong oomKills) {
        return new UsageSample(T0.plusSeconds(second), second * 100_000_000L, OptionalLong.empty(),
                OptionalLong.empty(), 2, 0, 0, 0, 1 << 20, 0, OptionalLong.of(64L << 20), OptionalLong.empty(), 1,
                OptionalLong.empty(), oomKills);
    }

    @Test
    void theCountOfTheReading_whenItHasOne() {
        assertThat(ContainerLimitsMetrics.oomKillCount(Double.NaN, running(OptionalLong.of(0), OptionalLong.of(2))))
                .isEqualTo(2.0);
        assertThat(ContainerLimitsMetrics.oomKillCount(2, running(OptionalLong.of(2), OptionalLong.of(3))))
                .isEqualTo(3.0);
    }

    @Test
    void aStoppedContainer_keepsTheLastCount_insteadOfGoingNaN() {
        LimitsReading stopped = LimitsReading.stopped("c", "cgroup", T0, ONE_CORE, false);
        assertThat(ContainerLimitsMetrics.oomKillCount(3, stopped)).isEqualTo(3.0);
        assertThat(ContainerLimitsMetrics.oomKillCount(Double.NaN, stopped)).isNaN();
    }

    @Test
    void aSourceThatCannotCount_isNaN_notZero() {
        LimitsReading api = running(OptionalLong.empty(), OptionalLong.empty());
        assertThat(ContainerLimitsMetrics.oomKillCount(Double.NaN, api)).isNaN();
        assertThat(ContainerLimitsMetrics.oomKillCount(3, api)).isNaN();
    }
}
