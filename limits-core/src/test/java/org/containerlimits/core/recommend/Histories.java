package org.containerlimits.core.recommend;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.containerlimits.core.usage.CpuCapacity;
import org.containerlimits.core.usage.LimitsReading;
import org.containerlimits.core.usage.LimitsReading.CpuPressure;
import org.containerlimits.core.usage.LimitsReading.State;

/** Synthetic readings for the recommender's tests: one a minute unless told otherwise. */
final class Histories {
    static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
    static final long MIB = 1024L * 1024;

    private Histories() {
    }

    /** A running reading of {@code cores} (censored when {@code atLimit}) and {@code memory} bytes. */
    static LimitsReading running(Instant time, Duration interval, double cores, double limitCores, boolean atLimit,
            long memory, long memoryLimit, long pids, long oomKillsInInterval) {
        CpuCapacity capacity = new CpuCapacity(BigDecimal.valueOf(limitCores), CpuCapacity.Basis.NANO_CPUS,
                BigDecimal.valueOf(limitCores).min(BigDecimal.valueOf(4)));
        return new LimitsReading("c", time, interval, State.RUNNING, "test", cores, capacity, 100 * cores / limitCores,
                OptionalDouble.empty(), atLimit ? 0.9 : 0, Duration.ZERO,
                atLimit ? CpuPressure.LIMIT : CpuPressure.BELOW_LIMIT, memory,
                memoryLimit > 0 ? OptionalLong.of(memoryLimit) : OptionalLong.empty(), OptionalDouble.empty(),
                OptionalLong.empty(), pids, OptionalLong.empty(), false,
                OptionalLong.of(oomKillsInInterval), OptionalLong.of(oomKillsInInterval));
    }

    static LimitsReading running(Instant time, double cores, long memory) {
        return running(time, Duration.ofMinutes(1), cores, 2, false, memory, 1024 * MIB, 5, 0);
    }

    /** The container ended by the OOM killer under {@code memoryLimit}. */
    static LimitsReading oomKilled(Instant time, long memoryLimit) {
        CpuCapacity capacity = new CpuCapacity(BigDecimal.ONE, CpuCapacity.Basis.NANO_CPUS, BigDecimal.ONE);
        return new LimitsReading("c", time, Duration.ZERO, State.STOPPED, "test", 0, capacity, 0,
                OptionalDouble.empty(), 0, Duration.ZERO, CpuPressure.UNKNOWN, 0, OptionalLong.of(memoryLimit),
                OptionalDouble.empty(), OptionalLong.empty(), 0, OptionalLong.empty(), true, OptionalLong.empty(),
                OptionalLong.empty());
    }
}
