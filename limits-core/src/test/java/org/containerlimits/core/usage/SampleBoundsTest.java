package org.containerlimits.core.usage;

import org.containerlimits.core.ResourceLimits;

import org.containerlimits.core.usage.CpuCapacity;
import org.containerlimits.core.usage.InvalidSampleException;
import org.containerlimits.core.usage.LimitsReading;
import org.containerlimits.core.usage.SampleBounds;
import org.containerlimits.core.usage.UsageSample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** Hostile counters, as a broken or malicious daemon reports them, never become readings. */
class SampleBoundsTest {
    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    private static final long SECOND = 1_000_000_000L;
    private static final CpuCapacity HALF_CORE_ON_2 = CpuCapacity.of(ResourceLimits.parse("nano_cpus=500000000"), 2);

    /** A plausible sample of a container on a 2-CPU host, with the values a test varies. */
    private static UsageSample sample(Instant time, long cpuNanos, long memory, long pids) {
        return new UsageSample(time, cpuNanos, OptionalLong.of(4 * SECOND), OptionalLong.empty(), 2, 0, 0, 0,
                memory, 0, OptionalLong.of(64L << 20), OptionalLong.empty(), pids, OptionalLong.empty(),
                OptionalLong.empty());
    }

    @Test
    void negativeMemoryAndPids_fromTheDaemon_areRefusedNamingTheField() {
        // The API source once read memory_stats.usage = -10000000 as memoryPercentOfLimit = -14.9.
        InvalidSampleException memory = catchThrowableOfType(InvalidSampleException.class,
                () -> sample(T0, 0, -10_000_000L, 1));
        assertThat(memory.field()).isEqualTo("memoryUsageBytes");
        assertThat(memory.value()).isEqualTo("-10000000");
        assertThat(memory).hasMessage("memoryUsageBytes = -10000000 is negative; a memory figure never is");
        assertThatThrownBy(() -> sample(T0, 0, 0, -3)).isInstanceOf(InvalidSampleException.class)
                .hasMessageStartingWith("pids = -3 is outside 0 to 4194304");
    }

    @Test
    void everyNegativeCounter_isRefused() {
        assertThatThrownBy(() -> sample(T0, -1, 0, 0)).hasMessageStartingWith("cpuNanos = -1 is negative");
        assertThatThrownBy(() -> new UsageSample(T0, 0, OptionalLong.of(-5), OptionalLong.empty(), 2, 0, 0, 0, 0, 0,
                OptionalLong.empty(), OptionalLong.empty(), 0, OptionalLong.empty(), OptionalLong.empty()))
                .hasMessageStartingWith("systemCpuNanos = -5 is negative");
        assertThatThrownBy(() -> new UsageSample(T0, 0, OptionalLong.empty(), OptionalLong.empty(), 2, 5, -1, 0, 0, 0,
                OptionalLong.empty(), OptionalLong.empty(), 0, OptionalLong.empty(), OptionalLong.empty()))
                .hasMessageStartingWith("cfsThrottledPeriods = -1 is negative");
        assertThatThrownBy(() -> new UsageSample(T0, 0, OptionalLong.empty(), OptionalLong.empty(), 2, 0, 0, 0, 0, 0,
                OptionalLong.of(-1), OptionalLong.empty(), 0, OptionalLong.empty(), OptionalLong.empty()))
                .hasMessageStartingWith("memoryLimitBytes = -1 is negative");
        assertThatThrownBy(() -> new UsageSample(T0, 0, OptionalLong.empty(), OptionalLong.empty(), 2, 0, 0, 0, 0, 0,
                OptionalLong.empty(), OptionalLong.of(-7), 0, OptionalLong.empty(), OptionalLong.empty()))
                .hasMessageStartingWith("swapBytes = -7 is negative");
        assertThatThrownBy(() -> new UsageSample(T0, 0, OptionalLong.empty(), OptionalLong.empty(), -2, 0, 0, 0, 0, 0,
                OptionalLong.empty(), OptionalLong.empty(), 0, OptionalLong.empty(), OptionalLong.empty()))
                .hasMessageStartingWith("onlineCpus = -2 is outside 0 to 65536");
    }

    @Test
    void oomKills_negativeOrAboveTwoToThe53_areRefused_andTheBoundItselfIsASample() {
        assertThatThrownBy(() -> new UsageSample(T0, 0, OptionalLong.empty(), OptionalLong.empty(), 2, 0, 0, 0, 0, 0,
                OptionalLong.empty(), OptionalLong.empty(), 0, OptionalLong.empty(), OptionalLong.of(-1)))
                .isInstanceOf(InvalidSampleException.class)
                .hasMessage("oomKills = -1 is negative; a cumulative counter never is");
        InvalidSampleException huge = catchThrowableOfType(InvalidSampleException.class,
                () -> new UsageSample(T0, 0, OptionalLong.empty(), OptionalLong.empty(), 2, 0, 0, 0, 0, 0,
                        OptionalLong.empty(), OptionalLong.empty(), 0, OptionalLong.empty(),
                        OptionalLong.of(Long.MAX_VALUE)));
        assertThat(huge.field()).isEqualTo("oomKills");
        assertThat(huge).hasMessage("oomKills = 9223372036854775807 is above 2^53, more OOM kills than a million a"
                + " second for the 230 years a sample's time may span");
        assertThat(new UsageSample(T0, 0, OptionalLong.empty(), OptionalLong.empty(), 2, 0, 0, 0, 0, 0,
                OptionalLong.empty(), OptionalLong.empty(), 0, OptionalLong.empty(),
                OptionalLong.of(SampleBounds.MAX_OOM_KILLS)).oomKills()).hasValue(1L << 53);
        // The bound's reason holds: a million kills a second over the whole time window stays below it.
        long windowSeconds = Duration.between(SampleBounds.EARLIEST, SampleBounds.LATEST).toSeconds();
        assertThat(1_000_000L * windowSeconds).isLessThan(SampleBounds.MAX_OOM_KILLS);
    }

    @Test
    void memoryNearTwoToThe63_isRefused_notReadAsAPercentOf1e13() {
        assertThatThrownBy(() -> sample(T0, 0, Long.MAX_VALUE - 1, 1))
                .hasMessage("memoryUsageBytes = 9223372036854775806 is above 2^53 bytes (8 PiB), more memory than"
                        + " any machine has");
        assertThat(sample(T0, 0, SampleBounds.MAX_MEMORY_BYTES, 1).memoryUsageBytes()).isEqualTo(1L << 53);
    }

    @Test
    void aSampleDatedInTheYear2999_isRefused_soNoIntervalOverflows() {
        // Once: ArithmeticException (long overflow) from Duration.toNanos, then a 1 ns interval.
        assertThatThrownBy(() -> sample(Instant.parse("2999-01-01T00:00:00Z"), 0, 0, 1))
                .isInstanceOf(InvalidSampleException.class)
                .hasMessage("time = 2999-01-01T00:00:00Z is outside 1970-01-01T00:00:00Z to 2200-01-01T00:00:00Z,"
                        + " the window of a working clock");
        assertThatThrownBy(() -> sample(Instant.parse("1969-12-31T23:59:59Z"), 0, 0, 1))
                .isInstanceOf(InvalidSampleException.class);
        // The widest interval the window allows still fits in a long of nanoseconds.
        LimitsReading r = LimitsReading.between("c", "test", sample(SampleBounds.EARLIEST, 0, 0, 1),
                sample(SampleBounds.LATEST.minusNanos(1), SECOND, 0, 1), HALF_CORE_ON_2, false);
        assertThat(r.state()).isEqualTo(LimitsReading.State.RUNNING);
        assertThat(r.interval()).isEqualTo(Duration.between(SampleBounds.EARLIEST, SampleBounds.LATEST.minusNanos(1)));
        assertThat(r.cpuCores()).isPositive().isLessThan(1e-9);
    }

    @Test
    void countersNearTwoToThe63_withAnImpossibleJump_areRefused() {
        // Once: cpuCores = 9.2E9 and cpuPercentOfLimit = 1.8E12, marked RUNNING.
        UsageSample before = sample(T0, 0, 1 << 20, 1);
        UsageSample after = sample(T0.plusSeconds(1), Long.MAX_VALUE - 1, 1 << 20, 1);
        InvalidSampleException e = catchThrowableOfType(InvalidSampleException.class,
                () -> LimitsReading.between("c", "test", before, after, HALF_CORE_ON_2, false));
        assertThat(e.field()).isEqualTo("cpuNanos");
        assertThat(e).hasMessage("cpuNanos = +9223372036854775806 ns in 1000000000 ns is more CPU time than 2 CPUs"
                + " can spend in that interval (at most CPUs x (1.25 x interval + 20 ms) = 2540000000 ns)");
    }

    @Test
    void countersNearTwoToThe63_growingAtAPossibleRate_areAReading() {
        long high = Long.MAX_VALUE - 10 * SECOND;
        LimitsReading r = LimitsReading.between("c", "test", sample(T0, high, 1 << 20, 1),
                sample(T0.plusSeconds(1), high + SECOND / 2, 1 << 20, 1), HALF_CORE_ON_2, false);
        assertThat(r.cpuCores()).isEqualTo(0.5);
        assertThat(r.cpuPercentOfLimit()).isEqualTo(100.0);
    }

    @Test
    void aOneNanosecondIntervalWithASecondOfCpu_isRefused() {
        // Once: the read after a far-future sample reported a 1 ns interval at 1.0E11 % of the limit.
        assertThatThrownBy(() -> LimitsReading.between("c", "test", sample(T0, 0, 0, 1),
                sample(T0.plusNanos(1), SECOND, 0, 1), HALF_CORE_ON_2, false))
                .isInstanceOf(InvalidSampleException.class).hasMessageContaining("+1000000000 ns in 1 ns");
    }

    @Test
    void cpuAtTheHostsFullSpeed_withTickLateAccounting_isAReading() {
        // Two CPUs busy for 250 ms, the counter a tick (10 ms at HZ=100) late on each CPU.
        LimitsReading r = LimitsReading.between("c", "test", sample(T0, 0, 0, 1),
                sample(T0.plusMillis(250), 520_000_000L, 0, 1), CpuCapacity.of(ResourceLimits.none(), 2), false);
        assertThat(r.cpuCores()).isEqualTo(2.08);
    }

    @Test
    void in_namesTheContainer_andKeepsTheFields() {
        InvalidSampleException e = new InvalidSampleException("pids", "-3", "is negative").in("container abc (source api)");
        assertThat(e).hasMessage("container abc (source api): pids = -3 is negative");
        assertThat(e.container()).hasValue("container abc (source api)");
        assertThat(e.field()).isEqualTo("pids");
        assertThat(e.getCause()).isInstanceOf(InvalidSampleException.class);
    }

    /** Whatever two samples the bounds let in, a reading is finite and never negative. */
    @Property(tries = 20_000)
    void everyReadingOfAcceptedSamples_isFiniteAndNotNegative(
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long cpu0,
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long cpu1,
            @ForAll @LongRange(min = -1_000_000_000_000L, max = 1_000_000_000_000_000L) long intervalNanos,
            @ForAll @LongRange(min = 0, max = 1L << 53) long memory,
            @ForAll @LongRange(min = 0, max = 4_194_304L) long pids) {
        UsageSample a = sample(T0, cpu0, memory, pids);
        UsageSample b = sample(T0.plusNanos(intervalNanos), cpu1, memory, pids);
        LimitsReading r;
        try {
            r = LimitsReading.between("c", "test", a, b, HALF_CORE_ON_2, false);
        } catch (InvalidSampleException e) {
            assertThat(e.field()).isEqualTo("cpuNanos");
            return;
        }
        assertThat(r.cpuCores()).isFinite().isNotNegative().isLessThanOrEqualTo(2 * (1.25 + 0.02 * 1e9));
        assertThat(r.cpuPercentOfLimit()).isFinite().isNotNegative();
        assertThat(r.memoryPercentOfLimit().orElse(0)).isFinite().isNotNegative();
        assertThat(r.dockerCpuPercent().orElse(0)).isFinite().isNotNegative();
        assertThat(r.interval().isNegative()).isFalse();
    }
}
