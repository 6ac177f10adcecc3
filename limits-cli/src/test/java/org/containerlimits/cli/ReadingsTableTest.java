package org.containerlimits.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.OptionalLong;
import org.containerlimits.core.usage.CpuCapacity;
import org.containerlimits.core.usage.LimitsReading;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.usage.UsageSample;
import org.junit.jupiter.api.Test;

/** The table {@code limits stats} prints; no daemon needed. */
class ReadingsTableTest {
    private static final Instant T0 = Instant.parse("2026-11-28T08:00:00Z");
    private static final CpuCapacity ONE_CORE = CpuCapacity.of(ResourceLimits.parse("nano_cpus=1000000000"), 2);

    private static UsageSample sample(long second, long cpuNanos, OptionalLong oomKills) {
        return new UsageSample(T0.plusSeconds(second), cpuNanos, OptionalLong.empty(), OptionalLong.empty(), 2,
                0, 0, 0, 64L << 20, 0, OptionalLong.of(1L << 30), OptionalLong.empty(), 3, OptionalLong.empty(),
                oomKills);
    }

    private static LimitsReading reading(long killsBefore, long killsAfter) {
        return LimitsReading.between("jupyter-alice", "cgroup", sample(0, 0, OptionalLong.of(killsBefore)),
                sample(1, 500_000_000L, OptionalLong.of(killsAfter)), ONE_CORE, false);
    }

    @Test
    void oomKillsOfARunningContainer_followItsPressure_withTheNewOnesInBrackets() {
        String row = ReadingsTable.row("jupyter-alice", reading(2, 3));
        assertThat(row).endsWith("   BELOW_LIMIT, OOM kills 3 (+1)");
        assertThat(ReadingsTable.row("jupyter-alice", reading(3, 3))).endsWith("   BELOW_LIMIT, OOM kills 3");
        assertThat(row.indexOf("BELOW_LIMIT")).isEqualTo(ReadingsTable.header().indexOf("PRESSURE"));
    }

    @Test
    void noKills_orAnUnknownCount_showNothing() {
        assertThat(ReadingsTable.row("jupyter-alice", reading(0, 0))).endsWith("   BELOW_LIMIT");
        LimitsReading api = LimitsReading.between("bob", "api", sample(0, 0, OptionalLong.empty()),
                sample(1, 500_000_000L, OptionalLong.empty()), ONE_CORE, false);
        assertThat(ReadingsTable.row("bob", api)).endsWith("   BELOW_LIMIT");
    }

    @Test
    void aContainerTheOomKillerEnded_isOomKilled() {
        assertThat(ReadingsTable.row("hog", LimitsReading.stopped("hog", "cgroup", T0, ONE_CORE, true)))
                .endsWith("   OOM-KILLED");
        assertThat(ReadingsTable.row("hog", LimitsReading.stopped("hog", "cgroup", T0, ONE_CORE, false)))
                .endsWith("   STOPPED");
    }
}
