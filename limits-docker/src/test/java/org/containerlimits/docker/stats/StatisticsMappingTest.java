package org.containerlimits.docker.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.core.DockerClientConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.containerlimits.core.usage.CpuCapacity;
import org.containerlimits.core.usage.LimitsReading;
import org.containerlimits.core.usage.LimitsReading.CpuPressure;
import org.containerlimits.core.usage.LimitsReading.State;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.usage.UsageSample;
import org.junit.jupiter.api.Test;

/**
 * Maps recorded (cgroup v1) and reference (cgroup v2) stats answers, deserialized with docker-java's
 * own ObjectMapper, and computes readings from pairs of them. See {@code stats/README.md}.
 */
class StatisticsMappingTest {

    private static final CpuCapacity HALF_CORE_ON_2 =
            CpuCapacity.of(ResourceLimits.parse("cpu_quota=50000,cpu_period=100000"), 2);
    private static final CpuCapacity HALF_CORE_ON_4 =
            CpuCapacity.of(ResourceLimits.parse("cpu_quota=50000,cpu_period=100000"), 4);

    static Statistics load(String name) {
        try (InputStream in = StatisticsMappingTest.class.getResourceAsStream("/stats/" + name)) {
            assertThat(in).as(name).isNotNull();
            return DockerClientConfig.getDefaultObjectMapper().readValue(in, Statistics.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static UsageSample sample(String name) {
        return StatisticsMapping.toSample(load(name), OptionalLong.empty()).orElseThrow();
    }

    @Test
    void cgroupV1_recorded_mapsEveryField() {
        UsageSample s = sample("v1-quota-busy-1.json");
        assertThat(s.time()).isEqualTo(Instant.parse("2026-11-28T06:00:09.411062339Z"));
        assertThat(s.cpuNanos()).isEqualTo(7_769_058_079L);
        assertThat(s.systemCpuNanos()).hasValue(9_545_670_000_000L);
        assertThat(s.hostIdleNanos()).isEmpty();
        assertThat(s.onlineCpus()).isEqualTo(2);
        assertThat(s.cfsPeriods()).isEqualTo(157);
        assertThat(s.cfsThrottledPeriods()).isEqualTo(154);
        assertThat(s.throttledNanos()).isEqualTo(7_684_854_430L);
        assertThat(s.memoryUsageBytes()).isEqualTo(22_274_048L);
        assertThat(s.inactiveFileBytes()).isEqualTo(20_971_520L);
        assertThat(s.memoryUsedBytes()).isEqualTo(22_274_048L - 20_971_520L);
        assertThat(s.memoryLimitBytes()).hasValue(128L << 20);
        assertThat(s.swapBytes()).as("no swap accounting on this host").isEmpty();
        assertThat(s.pids()).isEqualTo(2);
        assertThat(s.pidsLimit()).as("read from the raw JSON, docker-java has no getter").hasValue(50);
        assertThat(s.oomKills()).as("the API counts no OOM kills: unknown, not 0").isEmpty();
    }

    @Test
    void cgroupV1_unlimited_readsAsUnlimited_notAsTheHostsMemory() {
        UsageSample s = sample("v1-unlimited-idle.json");
        assertThat(load("v1-unlimited-idle.json").getMemoryStats().getLimit()).isEqualTo(25_325_268_992L);
        assertThat(s.memoryLimitBytes()).isEmpty();
        assertThat(s.pidsLimit()).isEmpty();
        assertThat(s.pids()).isEqualTo(1);
    }

    @Test
    void cgroupV2_mapsEveryField_withoutPercpuUsage() {
        Statistics stats = load("v2-quota-busy-1.json");
        assertThat(stats.getCpuStats().getCpuUsage().getPercpuUsage()).isNull();
        UsageSample s = StatisticsMapping.toSample(stats, OptionalLong.of(16L << 30)).orElseThrow();
        assertThat(s.time()).isEqualTo(Instant.parse("2024-03-12T10:15:30.123456789Z"));
        assertThat(s.cpuNanos()).isEqualTo(10_000_000_000L);
        assertThat(s.systemCpuNanos()).hasValue(400_000_000_000_000L);
        assertThat(s.onlineCpus()).isEqualTo(4);
        assertThat(s.cfsPeriods()).isEqualTo(200);
        assertThat(s.cfsThrottledPeriods()).isEqualTo(190);
        assertThat(s.throttledNanos()).isEqualTo(9_500_000_000L);
        assertThat(s.memoryUsageBytes()).isEqualTo(54_001_664L);
        assertThat(s.inactiveFileBytes()).as("v2's inactive_file").isEqualTo(52_428_800L);
        assertThat(s.memoryLimitBytes()).hasValue(256L << 20);
        assertThat(s.swapBytes()).isEmpty();
        assertThat(s.pids()).isEqualTo(4);
        assertThat(s.pidsLimit()).hasValue(100);
        assertThat(s.oomKills()).as("the API counts no OOM kills: unknown, not 0").isEmpty();
    }

    @Test
    void cgroupV2_unlimited_isTheHostsMemory_unlimitedOnlyWhenTheHostMemoryIsKnown() {
        Statistics stats = load("v2-unlimited-idle.json");
        assertThat(StatisticsMapping.toSample(stats, OptionalLong.of(16L << 30)).orElseThrow().memoryLimitBytes())
                .isEmpty();
        assertThat(StatisticsMapping.toSample(stats, OptionalLong.empty()).orElseThrow().memoryLimitBytes())
                .hasValue(16L << 30);
        UsageSample s = StatisticsMapping.toSample(stats, OptionalLong.empty()).orElseThrow();
        assertThat(s.time()).as("offset form").isEqualTo(Instant.parse("2024-03-12T09:15:31.5Z"));
        assertThat(s.pidsLimit()).isEmpty();
    }

    @Test
    void aStoppedContainersAnswer_isNoSample() {
        assertThat(StatisticsMapping.toSample(load("v1-stopped.json"), OptionalLong.empty())).isEmpty();
        assertThat(StatisticsMapping.toPreviousSample(load("v1-stopped.json"), OptionalLong.empty())).isEmpty();
        assertThat(StatisticsMapping.toSample(new Statistics(), OptionalLong.empty())).isEmpty();
    }

    @Test
    void theEarlierHalf_isASampleToo() {
        Statistics stats = load("v1-quota-busy-1.json");
        UsageSample before = StatisticsMapping.toPreviousSample(stats, OptionalLong.empty()).orElseThrow();
        UsageSample after = StatisticsMapping.toSample(stats, OptionalLong.empty()).orElseThrow();
        assertThat(before.cpuNanos()).isEqualTo(7_264_981_007L);
        LimitsReading r = LimitsReading.between("c", "api", before, after, HALF_CORE_ON_2, false);
        assertThat(r.state()).isEqualTo(State.RUNNING);
        assertThat(r.cpuPercentOfLimit()).isCloseTo(100, within(6.0));
    }

    @Test
    void v1Pair_atItsHalfCoreQuota_readsLimit() {
        LimitsReading r = LimitsReading.between("c", "api", sample("v1-quota-busy-1.json"),
                sample("v1-quota-busy-2.json"), HALF_CORE_ON_2, false);
        assertThat(r.state()).isEqualTo(State.RUNNING);
        assertThat(r.interval()).isEqualTo(Duration.ofNanos(2_025_016_101L));
        assertThat(r.cpuCores()).isCloseTo(0.5055, within(0.001));
        assertThat(r.cpuPercentOfLimit()).isCloseTo(101.1, within(0.2));
        assertThat(r.throttledRatio()).isEqualTo(1.0);
        assertThat(r.cpuPressure()).isEqualTo(CpuPressure.LIMIT);
        // docker stats: 1023685819 / 4120000000 x 2 CPUs.
        assertThat(r.dockerCpuPercent().getAsDouble()).isCloseTo(49.7, within(0.1));
        assertThat(r.memoryBytes()).isEqualTo(1_302_528L);
        assertThat(r.memoryPercentOfLimit().getAsDouble()).isCloseTo(0.970, within(0.001));
        assertThat(r.pidsLimit()).hasValue(50);
    }

    @Test
    void v2Pair_atItsHalfCoreQuota_readsLimit() {
        LimitsReading r = LimitsReading.between("c", "api", sample("v2-quota-busy-1.json"),
                sample("v2-quota-busy-2.json"), HALF_CORE_ON_4, false);
        assertThat(r.state()).isEqualTo(State.RUNNING);
        assertThat(r.interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(r.cpuCores()).isCloseTo(0.5, within(1e-9));
        assertThat(r.cpuPercentOfLimit()).isCloseTo(100, within(1e-6));
        assertThat(r.throttledRatio()).isEqualTo(1.0);
        assertThat(r.throttledTime()).isEqualTo(Duration.ofMillis(500));
        assertThat(r.cpuPressure()).isEqualTo(CpuPressure.LIMIT);
        assertThat(r.dockerCpuPercent().getAsDouble()).isCloseTo(50, within(1e-6));
        assertThat(r.memoryBytes()).as("the 50 MiB file cache does not count").isEqualTo(54_001_664L - 52_428_800L);
        assertThat(r.oomKills()).isEmpty();
        assertThat(r.oomKillsInInterval()).isEmpty();
    }

    @Test
    void aCounterReset_readsRestarted() {
        LimitsReading r = LimitsReading.between("c", "api", sample("v1-quota-busy-2.json"),
                withTime(sample("v1-unlimited-idle.json"), Instant.parse("2026-11-28T06:00:20Z")), HALF_CORE_ON_2,
                false);
        assertThat(r.state()).isEqualTo(State.RESTARTED);
        assertThat(r.cpuCores()).isZero();
        assertThat(r.cpuPressure()).isEqualTo(CpuPressure.UNKNOWN);
    }

    @Test
    void theSameSampleTwice_orAFirstSample_hasNoInterval() {
        UsageSample s = sample("v2-quota-busy-1.json");
        assertThat(LimitsReading.between("c", "api", s, s, HALF_CORE_ON_4, false).state()).isEqualTo(State.NO_INTERVAL);
        LimitsReading first = LimitsReading.between("c", "api", null, s, HALF_CORE_ON_4, false);
        assertThat(first.state()).isEqualTo(State.NO_INTERVAL);
        assertThat(first.memoryBytes()).isEqualTo(54_001_664L - 52_428_800L);
    }

    @Test
    void missingFields_areZeroOrEmpty_andTheReadingStillComputes() {
        Statistics bare = readJson("{\"read\":\"2026-11-28T06:00:11.43607844Z\","
                + "\"cpu_stats\":{\"cpu_usage\":{\"total_usage\":8792743898}}}");
        UsageSample s = StatisticsMapping.toSample(bare, OptionalLong.empty()).orElseThrow();
        assertThat(s.systemCpuNanos()).isEmpty();
        assertThat(s.onlineCpus()).isZero();
        assertThat(s.cfsPeriods()).isZero();
        assertThat(s.memoryUsageBytes()).isZero();
        assertThat(s.memoryLimitBytes()).isEmpty();
        assertThat(s.pidsLimit()).isEmpty();
        Statistics earlier = readJson("{\"read\":\"2026-11-28T06:00:09.411062339Z\","
                + "\"cpu_stats\":{\"cpu_usage\":{\"total_usage\":7769058079}}}");
        LimitsReading r = LimitsReading.between("c", "api",
                StatisticsMapping.toSample(earlier, OptionalLong.empty()).orElseThrow(), s, HALF_CORE_ON_2, false);
        assertThat(r.state()).isEqualTo(State.RUNNING);
        assertThat(r.dockerCpuPercent()).isEmpty();
        assertThat(r.throttledRatio()).isZero();
        assertThat(r.memoryPercentOfLimit()).isEmpty();
    }

    @Test
    void noLimit_hasNoMemoryPercent_andTheHostAsCpuCapacity() {
        CpuCapacity host = CpuCapacity.of(ResourceLimits.none(), 2);
        UsageSample a = sample("v1-unlimited-idle.json");
        UsageSample b = withTime(a, a.time().plusSeconds(1));
        LimitsReading r = LimitsReading.between("c", "api", a, b, host, false);
        assertThat(r.cpuLimitCores()).isEqualByComparingTo(BigDecimal.valueOf(2));
        assertThat(r.memoryLimitBytes()).isEmpty();
        assertThat(r.memoryPercentOfLimit()).isEmpty();
        assertThat(r.cpuPressure()).isEqualTo(CpuPressure.IDLE);
    }

    @Test
    void timestamps_withAndWithoutFraction_orUnreadable() {
        assertThat(StatisticsMapping.parseTime("2015-01-08T22:57:31.547920715Z"))
                .hasValue(Instant.parse("2015-01-08T22:57:31.547920715Z"));
        assertThat(StatisticsMapping.parseTime("2015-05-07T19:30:48.165009273+05:30"))
                .hasValue(Instant.parse("2015-05-07T14:00:48.165009273Z"));
        assertThat(StatisticsMapping.parseTime("0001-01-01T00:00:00Z")).hasValue(StatisticsMapping.ZERO_TIME);
        assertThat(StatisticsMapping.parseTime("yesterday")).isEqualTo(Optional.empty());
        assertThat(StatisticsMapping.parseTime(null)).isEmpty();
    }

    private static Statistics readJson(String json) {
        try {
            return DockerClientConfig.getDefaultObjectMapper().readValue(json, Statistics.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static UsageSample withTime(UsageSample s, Instant time) {
        return new UsageSample(time, s.cpuNanos(), s.systemCpuNanos(), s.hostIdleNanos(), s.onlineCpus(),
                s.cfsPeriods(), s.cfsThrottledPeriods(), s.throttledNanos(), s.memoryUsageBytes(),
                s.inactiveFileBytes(), s.memoryLimitBytes(), s.swapBytes(), s.pids(), s.pidsLimit(), s.oomKills());
    }
}
