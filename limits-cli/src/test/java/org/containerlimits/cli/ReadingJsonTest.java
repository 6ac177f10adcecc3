package org.containerlimits.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import org.containerlimits.core.usage.CpuCapacity;
import org.containerlimits.core.usage.LimitsReading;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.usage.UsageSample;
import org.junit.jupiter.api.Test;

/** {@code limits stats --json}: one flat object per reading; no daemon needed. */
class ReadingJsonTest {
    private static final Instant T0 = Instant.parse("2026-11-28T08:00:00.5Z");
    private static final CpuCapacity ONE_AND_A_HALF_ON_2 =
            CpuCapacity.of(ResourceLimits.parse("nano_cpus=1500000000"), 2);

    private static UsageSample sample(long second, long cpuNanos, OptionalLong oomKills) {
        return new UsageSample(T0.plusSeconds(second), cpuNanos, OptionalLong.empty(), OptionalLong.empty(), 2,
                10 * second, 9 * second, 0, 1_814_528, 0, OptionalLong.empty(), OptionalLong.empty(), 4,
                OptionalLong.empty(), oomKills);
    }

    private static Map<String, Object> parse(LimitsReading r) {
        String line = ReadingJson.of(r);
        assertThat(line).doesNotContain("\n");
        return CliJson.readObject(line, "for a reading");
    }

    @Test
    void aSurvivedOomKill_isInOomKills_andInTheInterval_notInOomKilled() {
        LimitsReading r = LimitsReading.between("alice", "cgroup", sample(0, 0, OptionalLong.of(0)),
                sample(1, 1_498_700_000L, OptionalLong.of(1)), ONE_AND_A_HALF_ON_2, false);
        // The line ReadingJson's javadoc shows.
        assertThat(ReadingJson.of(r)).isEqualTo("{\"container\":\"alice\",\"time\":\"2026-11-28T08:00:01.500Z\","
                + "\"state\":\"RUNNING\",\"source\":\"cgroup\",\"intervalSeconds\":1.0000,\"cpuCores\":1.4987,"
                + "\"cpuLimitCores\":1.5,\"cpuLimitBasis\":\"NANO_CPUS\",\"cpuReachableCores\":1.5,"
                + "\"cpuPercentOfLimit\":99.9133,\"dockerCpuPercent\":null,"
                + "\"throttledRatio\":0.9000,\"cpuPressure\":\"LIMIT\",\"cpuLimitUnreachable\":false,"
                + "\"memoryBytes\":1814528,\"memoryLimitBytes\":null,\"memoryPercentOfLimit\":null,\"swapBytes\":null,"
                + "\"pids\":4,\"pidsLimit\":null,\"oomKilled\":false,\"oomKills\":1,\"oomKillsInInterval\":1}");
        Map<String, Object> o = parse(r);
        // What limits recommend --from reads back is the reading written, to the line's four decimals.
        LimitsReading back = ReadingJson.parse(o);
        assertThat(ReadingJson.of(back)).isEqualTo(ReadingJson.of(r));
        assertThat(back.cpuCapacity()).isEqualTo(r.cpuCapacity());
        assertThat(o).containsEntry("container", "alice").containsEntry("state", "RUNNING")
                .containsEntry("source", "cgroup").containsEntry("oomKilled", false);
        assertThat(((Number) o.get("oomKills")).longValue()).isEqualTo(1);
        assertThat(((Number) o.get("oomKillsInInterval")).longValue()).isEqualTo(1);
        assertThat(((Number) o.get("cpuPercentOfLimit")).doubleValue()).isEqualTo(99.9133);
        assertThat(o.get("memoryLimitBytes")).isNull();
    }

    @Test
    void anUnknownCount_isNull_notZero() {
        LimitsReading api = LimitsReading.between("bob", "api", sample(0, 0, OptionalLong.empty()),
                sample(1, 100_000_000L, OptionalLong.empty()), ONE_AND_A_HALF_ON_2, false);
        Map<String, Object> o = parse(api);
        assertThat(o).containsKeys("oomKills", "oomKillsInInterval");
        assertThat(o.get("oomKills")).isNull();
        assertThat(o.get("oomKillsInInterval")).isNull();
        Map<String, Object> stopped = parse(LimitsReading.stopped("bob", "cgroup", T0, ONE_AND_A_HALF_ON_2, true));
        assertThat(stopped).containsEntry("oomKilled", true).containsEntry("state", "STOPPED");
        assertThat(stopped.get("oomKills")).isNull();
    }
}
