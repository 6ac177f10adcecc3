package org.containerlimits.core.usage;

import org.containerlimits.core.ResourceLimits;

import org.containerlimits.core.usage.CpuCapacity;
import org.containerlimits.core.usage.LimitsReading;
import org.containerlimits.core.usage.UsageSample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import org.containerlimits.core.usage.LimitsReading.CpuPressure;
import org.containerlimits.core.usage.LimitsReading.State;
import org.junit.jupiter.api.Test;

class LimitsReadingTest {
    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    private static final long SECOND = 1_000_000_000L;
    private static final CpuCapacity QUOTA_2_5_ON_4 =
            CpuCapacity.of(ResourceLimits.parse("cpu_quota=250000,cpu_period=100000"), 4);

    /** A sample builder with the fields a test varies; the rest are plausible constants. */
    private static UsageSample sample(double seconds, long cpuNanos, long periods, long throttled, long throttledNanos) {
        return new UsageSample(T0.plusNanos((long) (seconds * SECOND)), cpuNanos,
                OptionalLong.of((long) (seconds * 4 * SECOND)), OptionalLong.empty(), 4,
                periods, throttled, throttledNanos, 300L << 20, 100L << 20, OptionalLong.of(1L << 30),
                OptionalLong.of(0), 12, OptionalLong.of(100), OptionalLong.empty());
    }

    /** A sample of the cgroup source, which counts OOM kills. */
    private static UsageSample withOomKills(UsageSample s, long kills) {
        return new UsageSample(s.time(), s.cpuNanos(), s.systemCpuNanos(), s.hostIdleNanos(), s.onlineCpus(),
                s.cfsPeriods(), s.cfsThrottledPeriods(), s.throttledNanos(), s.memoryUsageBytes(),
                s.inactiveFileBytes(), s.memoryLimitBytes(), s.swapBytes(), s.pids(), s.pidsLimit(),
                OptionalLong.of(kills));
    }

    @Test
    void between_dividesCpuTimeByTheSamplesOwnTimestamps() {
        // 2.49 cores over exactly 1 s, like top's 249% in the origin document.
        LimitsReading r = LimitsReading.between("c", "test", sample(0, 0, 0, 0, 0),
                sample(1, 2_490_000_000L, 10, 9, 90_000_000L), QUOTA_2_5_ON_4, false);
        assertThat(r.state()).isEqualTo(State.RUNNING);
        assertThat(r.interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(r.cpuCores()).isCloseTo(2.49, within(1e-9));
        assertThat(r.cpuPercentOfLimit()).isCloseTo(99.6, within(1e-9));
        assertThat(r.throttledRatio()).isCloseTo(0.9, within(1e-12));
        assertThat(r.throttledTime()).isEqualTo(Duration.ofMillis(90));
        assertThat(r.cpuPressure()).isEqualTo(CpuPressure.LIMIT);
        assertThat(r.cpuLimitCores()).isEqualByComparingTo("2.5");
    }

    @Test
    void between_givesDockersPercentOfOneHostCore_beside() {
        // docker/cli: cpuDelta / systemDelta * onlineCpus * 100 = 2.49 / 4 * 4 * 100
        LimitsReading r = LimitsReading.between("c", "test", sample(0, 0, 0, 0, 0),
                sample(1, 2_490_000_000L, 10, 0, 0), QUOTA_2_5_ON_4, false);
        assertThat(r.dockerCpuPercent()).hasValueCloseTo(249.0, within(1e-9));
    }

    @Test
    void between_withoutHostCpuTime_hasNoDockerPercent() {
        UsageSample a = new UsageSample(T0, 0, OptionalLong.empty(), OptionalLong.empty(), 0, 0, 0, 0,
                0, 0, OptionalLong.empty(), OptionalLong.empty(), 1, OptionalLong.empty(), OptionalLong.empty());
        UsageSample b = new UsageSample(T0.plusSeconds(1), SECOND / 2, OptionalLong.empty(), OptionalLong.empty(), 0,
                0, 0, 0, 0, 0, OptionalLong.empty(), OptionalLong.empty(), 1, OptionalLong.empty(),
                OptionalLong.empty());
        LimitsReading r = LimitsReading.between("c", "test", a, b, QUOTA_2_5_ON_4, false);
        assertThat(r.dockerCpuPercent()).isEmpty();
        assertThat(r.cpuPercentOfLimit()).isCloseTo(20.0, within(1e-9));
        assertThat(r.throttledRatio()).isZero();
    }

    @Test
    void between_countersThatWentBack_areARestart_withZeroRates() {
        LimitsReading r = LimitsReading.between("c", "test", sample(0, 5 * SECOND, 50, 10, 0),
                sample(1, SECOND, 5, 0, 0), QUOTA_2_5_ON_4, false);
        assertThat(r.state()).isEqualTo(State.RESTARTED);
        assertThat(r.cpuCores()).isZero();
        assertThat(r.cpuPercentOfLimit()).isZero();
        assertThat(r.cpuPressure()).isEqualTo(CpuPressure.UNKNOWN);
    }

    @Test
    void between_zeroOrNegativeIntervals_andAFirstSample_haveNoInterval() {
        UsageSample s = sample(1, SECOND, 10, 0, 0);
        for (LimitsReading r : new LimitsReading[] {
                LimitsReading.between("c", "test", null, s, QUOTA_2_5_ON_4, false),
                LimitsReading.between("c", "test", s, s, QUOTA_2_5_ON_4, false),
                LimitsReading.between("c", "test", sample(2, 0, 0, 0, 0), s, QUOTA_2_5_ON_4, false)}) {
            assertThat(r.state()).isEqualTo(State.NO_INTERVAL);
            assertThat(r.interval()).isZero();
            assertThat(r.cpuPercentOfLimit()).isZero();
            assertThat(Double.isFinite(r.cpuCores())).isTrue();
            assertThat(r.memoryBytes()).isEqualTo(200L << 20);
        }
    }

    @Test
    void memory_isUsageLessInactiveFileCache_againstTheLimit() {
        LimitsReading r = LimitsReading.between("c", "test", sample(0, 0, 0, 0, 0), sample(1, 0, 0, 0, 0),
                QUOTA_2_5_ON_4, false);
        assertThat(r.memoryBytes()).isEqualTo(200L << 20);
        assertThat(r.memoryLimitBytes()).hasValue(1L << 30);
        assertThat(r.memoryPercentOfLimit()).hasValueCloseTo(200.0 / 1024 * 100, within(1e-9));
        assertThat(r.swapBytes()).hasValue(0);
        assertThat(r.pids()).isEqualTo(12);
        assertThat(r.pidsLimit()).hasValue(100);
    }

    @Test
    void noMemoryLimit_hasNoPercent_neverInfinity() {
        // cgroup v1 writes "no limit" as 9223372036854771712.
        UsageSample s = new UsageSample(T0, 0, OptionalLong.empty(), OptionalLong.empty(), 2, 0, 0, 0,
                50L << 20, 0, OptionalLong.of(9223372036854771712L), OptionalLong.empty(), 1, OptionalLong.of(-1),
                OptionalLong.empty());
        LimitsReading r = LimitsReading.between("c", "test", null, s, QUOTA_2_5_ON_4, false);
        assertThat(r.memoryLimitBytes()).isEmpty();
        assertThat(r.memoryPercentOfLimit()).isEmpty();
        assertThat(r.pidsLimit()).isEmpty();
    }

    @Test
    void inactiveFileAboveUsage_isNotSubtracted_neverNegative() {
        UsageSample s = new UsageSample(T0, 0, OptionalLong.empty(), OptionalLong.empty(), 2, 0, 0, 0,
                10, 20, OptionalLong.of(100), OptionalLong.empty(), 1, OptionalLong.empty(), OptionalLong.empty());
        assertThat(s.memoryUsedBytes()).isEqualTo(10);
    }

    @Test
    void pressure_idleBelowFivePercent() {
        LimitsReading r = LimitsReading.between("c", "test", sample(0, 0, 0, 0, 0),
                sample(1, SECOND / 100, 10, 0, 0), QUOTA_2_5_ON_4, false);
        assertThat(r.cpuPressure()).isEqualTo(CpuPressure.IDLE);
    }

    @Test
    void pressure_unthrottledAtWhatAnUnreachableLimitAllows_isTheHost() {
        // 2.5 cores on a 2-CPU host: using 1.97 cores, 78.8% of the limit, not throttled.
        CpuCapacity onTwo = CpuCapacity.of(ResourceLimits.parse("cpu_quota=250000,cpu_period=100000"), 2);
        LimitsReading r = LimitsReading.between("c", "test", sample(0, 0, 0, 0, 0),
                sample(1, 1_970_000_000L, 10, 0, 0), onTwo, false);
        assertThat(r.cpuPercentOfLimit()).isCloseTo(78.8, within(1e-9));
        assertThat(r.isLimitUnreachable()).isTrue();
        assertThat(r.cpuPressure()).isEqualTo(CpuPressure.HOST);
    }

    /** With no CPU limit of its own, a container that fills the host or its cpuset is held by that. */
    @Test
    void pressure_ofAContainerWithoutACpuLimit_fillingTheHostOrItsCpuset_isTheHost() {
        LimitsReading fillsHost = LimitsReading.between("c", "test", sample(0, 0, 0, 0, 0),
                sample(1, 2 * SECOND, 0, 0, 0), CpuCapacity.of(ResourceLimits.builder().build(), 2), false);
        assertThat(fillsHost.cpuPercentOfLimit()).isCloseTo(100, within(1e-9));
        assertThat(fillsHost.cpuPressure()).isEqualTo(CpuPressure.HOST);
        LimitsReading fillsCpuset = LimitsReading.between("c", "test", sample(0, 0, 0, 0, 0),
                sample(1, SECOND, 0, 0, 0), CpuCapacity.of(ResourceLimits.parse("cpuset_cpus=0"), 4), false);
        assertThat(fillsCpuset.cpuPressure()).isEqualTo(CpuPressure.HOST);
        LimitsReading atQuota = LimitsReading.between("c", "test", sample(0, 0, 0, 0, 0),
                sample(1, SECOND, 0, 0, 0), CpuCapacity.of(ResourceLimits.parse("nano_cpus=1000000000"), 4), false);
        assertThat(atQuota.cpuPressure()).isEqualTo(CpuPressure.LIMIT);
    }

    @Test
    void pressure_unthrottledOnASaturatedHost_isTheHost_elseBelowLimit() {
        CpuCapacity cap = CpuCapacity.of(ResourceLimits.parse("nano_cpus=1500000000"), 4);
        UsageSample before = new UsageSample(T0, 0, OptionalLong.empty(), OptionalLong.of(0), 4, 0, 0, 0,
                0, 0, OptionalLong.empty(), OptionalLong.empty(), 1, OptionalLong.empty(), OptionalLong.empty());
        UsageSample busyHost = new UsageSample(T0.plusSeconds(1), 870_000_000L, OptionalLong.empty(),
                OptionalLong.of(SECOND / 10), 4, 10, 0, 0, 0, 0, OptionalLong.empty(), OptionalLong.empty(), 1,
                OptionalLong.empty(), OptionalLong.empty());
        UsageSample idleHost = new UsageSample(T0.plusSeconds(1), 870_000_000L, OptionalLong.empty(),
                OptionalLong.of(2 * SECOND), 4, 10, 0, 0, 0, 0, OptionalLong.empty(), OptionalLong.empty(), 1,
                OptionalLong.empty(), OptionalLong.empty());
        // A 1.5-core container starved by its neighbours: 58% of its limit.
        assertThat(LimitsReading.between("c", "t", before, busyHost, cap, false).cpuPressure())
                .isEqualTo(CpuPressure.HOST);
        assertThat(LimitsReading.between("c", "t", before, idleHost, cap, false).cpuPressure())
                .isEqualTo(CpuPressure.BELOW_LIMIT);
    }

    @Test
    void stopped_hasZeroRatesAndSaysSo() {
        LimitsReading r = LimitsReading.stopped("c", "api", T0, QUOTA_2_5_ON_4, true);
        assertThat(r.state()).isEqualTo(State.STOPPED);
        assertThat(r.oomKilled()).isTrue();
        assertThat(r.cpuPercentOfLimit()).isZero();
        assertThat(r.memoryPercentOfLimit()).isEmpty();
    }

    // ------------------------------------------------------------------------------ OOM kills

    @Test
    void oomKills_ofASurvivingContainer_areTheCount_andTheKillsInTheInterval() {
        // A Jupyter server that keeps running while the OOM killer kills its notebook kernel.
        LimitsReading r = LimitsReading.between("c", "cgroup", withOomKills(sample(0, 0, 0, 0, 0), 2),
                withOomKills(sample(1, SECOND, 10, 0, 0), 3), QUOTA_2_5_ON_4, false);
        assertThat(r.state()).isEqualTo(State.RUNNING);
        assertThat(r.oomKilled()).isFalse();
        assertThat(r.oomKills()).hasValue(3);
        assertThat(r.oomKillsInInterval()).hasValue(1);
        LimitsReading quiet = LimitsReading.between("c", "cgroup", withOomKills(sample(1, SECOND, 10, 0, 0), 3),
                withOomKills(sample(2, 2 * SECOND, 20, 0, 0), 3), QUOTA_2_5_ON_4, false);
        assertThat(quiet.oomKills()).hasValue(3);
        assertThat(quiet.oomKillsInInterval()).hasValue(0);
    }

    @Test
    void oomKills_thatTheSourceCannotKnow_areEmpty_notZero() {
        LimitsReading api = LimitsReading.between("c", "api", sample(0, 0, 0, 0, 0), sample(1, SECOND, 10, 0, 0),
                QUOTA_2_5_ON_4, false);
        assertThat(api.oomKills()).isEmpty();
        assertThat(api.oomKillsInInterval()).isEmpty();
        // Known now but not before (no interval to count in): the count, and no interval figure.
        LimitsReading half = LimitsReading.between("c", "cgroup", sample(0, 0, 0, 0, 0),
                withOomKills(sample(1, SECOND, 10, 0, 0), 4), QUOTA_2_5_ON_4, false);
        assertThat(half.oomKills()).hasValue(4);
        assertThat(half.oomKillsInInterval()).isEmpty();
    }

    @Test
    void oomKills_withoutAnInterval_haveNoIntervalFigure_andAStoppedContainerNoCount() {
        UsageSample s = withOomKills(sample(1, SECOND, 10, 0, 0), 2);
        LimitsReading first = LimitsReading.between("c", "cgroup", null, s, QUOTA_2_5_ON_4, false);
        assertThat(first.state()).isEqualTo(State.NO_INTERVAL);
        assertThat(first.oomKills()).hasValue(2);
        assertThat(first.oomKillsInInterval()).isEmpty();
        LimitsReading stopped = LimitsReading.stopped("c", "cgroup", T0, QUOTA_2_5_ON_4, true);
        assertThat(stopped.oomKills()).isEmpty();
        assertThat(stopped.oomKillsInInterval()).isEmpty();
    }

    @Test
    void oomKills_thatWentBack_areARestart_andTheNewRunsKillsAllFellInTheInterval() {
        // CPU and periods grew (the new run was busier), but the count restarted with a new cgroup.
        LimitsReading r = LimitsReading.between("c", "cgroup", withOomKills(sample(0, SECOND, 10, 0, 0), 5),
                withOomKills(sample(1, 2 * SECOND, 20, 0, 0), 1), QUOTA_2_5_ON_4, false);
        assertThat(r.state()).isEqualTo(State.RESTARTED);
        assertThat(r.cpuCores()).isZero();
        assertThat(r.oomKills()).hasValue(1);
        assertThat(r.oomKillsInInterval()).hasValue(1);
    }

    @Test
    void aReading_cannotHoldMoreKillsInTheIntervalThanInAll() {
        LimitsReading r = LimitsReading.between("c", "cgroup", withOomKills(sample(0, 0, 0, 0, 0), 2),
                withOomKills(sample(1, SECOND, 10, 0, 0), 3), QUOTA_2_5_ON_4, false);
        assertThatThrownBy(() -> new LimitsReading(r.container(), r.time(),
                r.interval(), r.state(), r.source(), r.cpuCores(), r.cpuCapacity(), r.cpuPercentOfLimit(),
                r.dockerCpuPercent(), r.throttledRatio(), r.throttledTime(), r.cpuPressure(), r.memoryBytes(),
                r.memoryLimitBytes(), r.memoryPercentOfLimit(), r.swapBytes(), r.pids(), r.pidsLimit(),
                r.oomKilled(), OptionalLong.of(3), OptionalLong.of(4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("oomKillsInInterval");
        assertThatThrownBy(() -> new LimitsReading(r.container(), r.time(),
                r.interval(), r.state(), r.source(), r.cpuCores(), r.cpuCapacity(), r.cpuPercentOfLimit(),
                r.dockerCpuPercent(), r.throttledRatio(), r.throttledTime(), r.cpuPressure(), r.memoryBytes(),
                r.memoryLimitBytes(), r.memoryPercentOfLimit(), r.swapBytes(), r.pids(), r.pidsLimit(),
                r.oomKilled(), OptionalLong.empty(), OptionalLong.of(0)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
