package org.containerlimits.docker.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.function.LongUnaryOperator;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.usage.CpuCapacity;
import org.containerlimits.core.usage.LimitsReading;
import org.containerlimits.core.usage.UsageSample;
import org.junit.jupiter.api.Test;

/**
 * The minimum window on samples of a fake clock: which two samples a reading takes
 * ({@link SampleWindow}, for API streams and pollers), how the reader rounds the window it picks
 * ({@link ContainerTracker#wholePeriods}), and why: a fake saturated container that spends its
 * quota in a burst at the start of each CFS period, read over windows starting at every phase.
 */
class SampleWindowTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration SECOND = Duration.ofSeconds(1);

    /** A sample at {@code millis} after T0 with the given CPU time. */
    private static UsageSample at(long millis, long cpuNanos) {
        return new UsageSample(T0.plusMillis(millis), cpuNanos, OptionalLong.empty(), OptionalLong.empty(), 2,
                0, 0, 0, 10L << 20, 0, OptionalLong.empty(), OptionalLong.empty(), 1, OptionalLong.empty(),
                OptionalLong.empty());
    }

    private static UsageSample at(long millis) {
        return at(millis, millis * 1_000_000L / 2);
    }

    @Test
    void noPair_untilTheSamplesSpanTheWindow_thenTheNewestAtLeastTheWindowBeforeTheLatest() {
        SampleWindow w = new SampleWindow(SECOND);
        for (long t = 0; t < 1000; t += 250) {
            w.add(at(t));
            assertThat(w.pair()).as("at %d ms", t).isNull();
        }
        w.add(at(1000));
        assertThat(w.pair().previous().time()).isEqualTo(T0);
        assertThat(w.pair().latest().time()).isEqualTo(T0.plusMillis(1000));
        w.add(at(1100));
        assertThat(w.pair().previous().time()).isEqualTo(T0);
        w.add(at(1300));
        assertThat(w.pair().previous().time()).as("newest at least 1 s before").isEqualTo(T0.plusMillis(250));
    }

    @Test
    void aDaemonSampleEverySecond_givesOneSecondPairs_andOneJustShortOfIt_waitsForTheNext() {
        SampleWindow w = new SampleWindow(SECOND);
        w.add(at(0));
        w.add(at(999)); // a clock slewed by 1 ms: not a second yet
        assertThat(w.pair()).isNull();
        w.add(at(2000));
        assertThat(Duration.between(w.pair().previous().time(), w.pair().latest().time()))
                .isEqualTo(Duration.ofMillis(1001));
        w.add(at(3000));
        assertThat(Duration.between(w.pair().previous().time(), w.pair().latest().time())).isEqualTo(SECOND);
    }

    @Test
    void samplesEveryMillisecond_stayBounded_andEveryPairCoversTheWindowAndLittleMore() {
        SampleWindow w = new SampleWindow(SECOND);
        int most = 0;
        for (long t = 0; t <= 10_000; t++) {
            w.add(at(t));
            most = Math.max(most, w.size());
            if (t >= 1000) {
                Duration d = Duration.between(w.pair().previous().time(), w.pair().latest().time());
                assertThat(d).isBetween(SECOND, SECOND.plus(SECOND.dividedBy(16)).plusMillis(1));
            }
        }
        assertThat(most).isLessThanOrEqualTo(36);
    }

    @Test
    void aClockThatGoesBack_startsAfresh() {
        SampleWindow w = new SampleWindow(SECOND);
        w.add(at(5000));
        w.add(at(6000));
        assertThat(w.pair()).isNotNull();
        w.add(at(5500));
        assertThat(w.size()).isEqualTo(1);
        assertThat(w.pair()).isNull();
    }

    @Test
    void aPoller_waitsForTheSampleAboutToBeTheWindowOld_elseTakesTheNewestThatIs() {
        SampleWindow w = new SampleWindow(SECOND);
        w.add(at(0));
        Instant now = T0.plusMillis(990);
        assertThat(w.base(now)).isNull();
        assertThat(w.untilNextBase(now)).isEqualTo(Duration.ofMillis(10));
        w.add(at(1000));
        now = T0.plusMillis(1400);
        assertThat(w.base(now).time()).isEqualTo(T0);
        assertThat(w.untilNextBase(now)).isEqualTo(Duration.ofMillis(600));
        assertThat(w.untilNextBase(T0.plusMillis(2000))).isNull();
        w.belongTo(42);
        assertThat(w.isEmpty()).as("another run of the container").isTrue();
    }

    @Test
    void theReaderRoundsItsWindowUpToWholeCfsPeriods() {
        assertThat(ContainerTracker.wholePeriods(SECOND, 0)).isEqualTo(SECOND);
        assertThat(ContainerTracker.wholePeriods(SECOND, 100_000)).isEqualTo(SECOND);
        assertThat(ContainerTracker.wholePeriods(SECOND, 300_000)).isEqualTo(Duration.ofMillis(1200));
        assertThat(ContainerTracker.wholePeriods(Duration.ofMillis(1050), 100_000)).isEqualTo(Duration.ofMillis(1100));
        assertThat(ContainerTracker.wholePeriods(Duration.ofMillis(250), 0)).isEqualTo(Duration.ofMillis(300));
        assertThat(ContainerTracker.wholePeriods(Duration.ofMillis(20), 0)).isEqualTo(Duration.ofMillis(100));
        assertThat(ContainerTracker.wholePeriods(SECOND, 5_000_000)).as("the kernel's longest period, 1 s")
                .isEqualTo(SECOND);
    }

    @Test
    void aWindowEndsWithinTheToleranceOfWholePeriods_orWaitsForTheNext() {
        assertThat(ContainerTracker.offWholePeriods(Duration.ofMillis(1000), 0)).isZero();
        assertThat(ContainerTracker.offWholePeriods(Duration.ofMillis(1025), 100_000)).isEqualTo(Duration.ofMillis(25));
        assertThat(ContainerTracker.offWholePeriods(Duration.ofMillis(1099), 100_000)).isEqualTo(Duration.ofMillis(1));
        assertThat(ContainerTracker.offWholePeriods(Duration.ofMillis(1250), 300_000)).isEqualTo(Duration.ofMillis(50));
        // Why: a sleep that overran a 1 s window by 25 ms counts a whole burst of two CPUs more.
        String halfCore = "cpu_quota=50000,cpu_period=100000";
        LongUnaryOperator cpu = burner(50, 100);
        assertThat(band(cpu, 100, Duration.ofMillis(1025), halfCore)[1]).as("1025 ms").isGreaterThan(107.0);
        double[] tolerated = band(cpu, 100, SECOND.plus(ContainerTracker.PERIOD_EDGE_TOLERANCE), halfCore);
        assertThat(tolerated[1]).as("the most a window 2 ms off reads").isLessThan(100.7); // 504 ms of CPU in 1002 ms
        assertThat(tolerated[0]).as("the least").isGreaterThan(99.5);
    }

    // ------------------------------------------------------------------------------ a saturated container

    /**
     * The CPU time a container saturating a quota of {@code quotaMs} per {@code periodMs} has spent
     * by {@code t} ns: as the kernel gives it, in a burst at the start of each period on two CPUs.
     */
    private static LongUnaryOperator burner(long quotaMs, long periodMs) {
        long period = periodMs * 1_000_000L;
        long quota = quotaMs * 1_000_000L;
        return t -> t / period * quota + Math.min(quota, 2 * (t % period));
    }

    /** The highest and lowest percent of the limit over windows of this length starting at every ms of a period. */
    private static double[] band(LongUnaryOperator cpu, long periodMs, Duration window, String limits) {
        CpuCapacity capacity = CpuCapacity.of(ResourceLimits.parse(limits), 2);
        double most = 0;
        double least = Double.MAX_VALUE;
        for (long phase = 0; phase < periodMs; phase++) {
            long start = 10_000L + phase;
            long end = start + window.toMillis();
            LimitsReading r = LimitsReading.between("c", "cgroup", at(start, cpu.applyAsLong(start * 1_000_000L)),
                    at(end, cpu.applyAsLong(end * 1_000_000L)), capacity, false);
            most = Math.max(most, r.cpuPercentOfLimit());
            least = Math.min(least, r.cpuPercentOfLimit());
        }
        return new double[] {least, most};
    }

    @Test
    void aSaturatedContainer_readsAtItsLimit_overWholePeriods_wherever_theWindowStarts() {
        String halfCore = "cpu_quota=50000,cpu_period=100000";
        LongUnaryOperator cpu = burner(50, 100);
        // 250 ms, the old first window: two or three bursts in two and a half periods.
        double[] old = band(cpu, 100, Duration.ofMillis(250), halfCore);
        assertThat(old[1]).as("the most a 250 ms window reads").isGreaterThan(115.0);
        assertThat(old[0]).as("the least").isLessThan(85.0);
        // The default window, 1 s: ten periods, ten bursts.
        double[] oneSecond = band(cpu, 100, ContainerTracker.wholePeriods(StatsReader.DEFAULT_MIN_WINDOW, 100_000),
                halfCore);
        assertThat(oneSecond[0]).isCloseTo(100.0, within(1e-9));
        assertThat(oneSecond[1]).isCloseTo(100.0, within(1e-9));

        // A 300 ms period: 1 s is 3.33 periods and reads up to 120%; rounded up to 1.2 s, exactly 100%.
        String longPeriod = "cpu_quota=150000,cpu_period=300000";
        LongUnaryOperator slow = burner(150, 300);
        assertThat(band(slow, 300, SECOND, longPeriod)[1]).isGreaterThan(115.0);
        double[] rounded = band(slow, 300, ContainerTracker.wholePeriods(SECOND, 300_000), longPeriod);
        assertThat(rounded[0]).isCloseTo(100.0, within(1e-9));
        assertThat(rounded[1]).isCloseTo(100.0, within(1e-9));
    }
}
