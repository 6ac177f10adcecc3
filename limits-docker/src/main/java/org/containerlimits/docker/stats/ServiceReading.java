package org.containerlimits.docker.stats;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.containerlimits.core.usage.CpuCapacity;
import org.containerlimits.core.usage.LimitsReading;

/**
 * How close a Swarm service's tasks on this node are to their limits: one reading per task's
 * container and the service's totals, as {@link StatsReader#readService(String)} reads them.
 *
 * <pre>{@code
 * ServiceReading r = reader.readService("jupyter-alice");
 * r.cpuCores();             // 0.93: cores used by all local tasks together
 * r.cpuPercentOfLimit();    // OptionalDouble[93.0] of the tasks' limits added up (1 core)
 * }</pre>
 *
 * @param service the service's id or name, as asked
 * @param tasks one reading per running task container on this node, by container
 */
public record ServiceReading(String service, List<LimitsReading> tasks) {

    /**
     * Checks and copies the components.
     *
     * @throws NullPointerException if a component is null
     */
    public ServiceReading {
        Objects.requireNonNull(service, "service");
        tasks = List.copyOf(tasks);
    }

    /**
     * Returns the cores the tasks use together.
     *
     * @return the sum of each task's cores
     */
    public double cpuCores() {
        return tasks.stream().mapToDouble(LimitsReading::cpuCores).sum();
    }

    /**
     * Returns the tasks' CPU limits added up.
     *
     * @return the sum in cores; empty when there is no task or a task has no CPU limit of its own
     *     (it could use the whole host)
     */
    public Optional<BigDecimal> cpuLimitCores() {
        if (tasks.isEmpty() || tasks.stream().anyMatch(t -> t.cpuCapacity().basis() == CpuCapacity.Basis.HOST)) {
            return Optional.empty();
        }
        return Optional.of(tasks.stream().map(LimitsReading::cpuLimitCores).reduce(BigDecimal.ZERO, BigDecimal::add)
                .stripTrailingZeros());
    }

    /**
     * Returns {@link #cpuCores()} as a percent of {@link #cpuLimitCores()}.
     *
     * @return the percent; empty when there is no limit to compare with
     */
    public OptionalDouble cpuPercentOfLimit() {
        return cpuLimitCores().map(l -> OptionalDouble.of(100 * cpuCores()
                / l.setScale(9, RoundingMode.HALF_UP).doubleValue())).orElse(OptionalDouble.empty());
    }

    /**
     * Returns the memory the tasks use together.
     *
     * @return bytes, the sum of each task's memory in use
     */
    public long memoryBytes() {
        return tasks.stream().mapToLong(LimitsReading::memoryBytes).sum();
    }

    /**
     * Returns the tasks' memory limits added up.
     *
     * @return bytes; empty when there is no task or a task has no memory limit
     */
    public OptionalLong memoryLimitBytes() {
        if (tasks.isEmpty() || tasks.stream().anyMatch(t -> t.memoryLimitBytes().isEmpty())) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(tasks.stream().mapToLong(t -> t.memoryLimitBytes().getAsLong()).sum());
    }
}
