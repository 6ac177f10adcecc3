package org.containerlimits.core.recommend;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a {@link Recommendation} rests on: the percentiles it used and the events it weighed.
 *
 * @param samples readings recorded
 * @param span the time from the first reading to the last
 * @param cpuLowerCores CPU at the lower percentile (VPA: 50th), in cores, before the margin
 * @param cpuTargetCores CPU at the target percentile (90th)
 * @param cpuUpperCores CPU at the upper percentile (95th)
 * @param maxCpuCores the most cores a reading showed
 * @param censoredShare the share of CPU time the container was held at its CPU limit, 0 to 1
 * @param cpuLimitCores the CPU limit of its own it ran under, if any
 * @param memoryLowerBytes memory peaks at the lower percentile, before the margin
 * @param memoryTargetBytes memory peaks at the target percentile
 * @param memoryUpperBytes memory peaks at the upper percentile
 * @param maxMemoryBytes the most memory a reading showed
 * @param oomKills OOM kills seen
 * @param oomLimitBytes the highest memory limit an OOM kill happened under, if any
 * @param maxPids the most tasks a reading showed
 * @param maxSwapBytes the most swap a reading showed, if any reported swap
 */
public record Evidence(long samples, Duration span, double cpuLowerCores, double cpuTargetCores, double cpuUpperCores,
        double maxCpuCores, double censoredShare, Optional<BigDecimal> cpuLimitCores, long memoryLowerBytes,
        long memoryTargetBytes, long memoryUpperBytes, long maxMemoryBytes, long oomKills, OptionalLong oomLimitBytes,
        long maxPids, OptionalLong maxSwapBytes) {

    /**
     * Creates the record; no reference may be null.
     *
     * @param samples readings
     * @param span span
     * @param cpuLowerCores CPU lower percentile
     * @param cpuTargetCores CPU target percentile
     * @param cpuUpperCores CPU upper percentile
     * @param maxCpuCores most cores
     * @param censoredShare share held at the limit
     * @param cpuLimitCores CPU limit of its own
     * @param memoryLowerBytes memory lower percentile
     * @param memoryTargetBytes memory target percentile
     * @param memoryUpperBytes memory upper percentile
     * @param maxMemoryBytes most memory
     * @param oomKills OOM kills
     * @param oomLimitBytes limit of the OOM kills
     * @param maxPids most tasks
     * @param maxSwapBytes most swap
     */
    public Evidence {
        Objects.requireNonNull(span, "span");
        Objects.requireNonNull(cpuLimitCores, "cpuLimitCores");
        Objects.requireNonNull(oomLimitBytes, "oomLimitBytes");
        Objects.requireNonNull(maxSwapBytes, "maxSwapBytes");
    }

    /**
     * Returns whether the CPU figures are censored: the container was held at its CPU limit in more
     * of its time than lies above the target percentile, so the target percentile itself is a
     * limit, not a demand.
     *
     * @param targetPercentile the percentile the target was taken at, such as 0.9
     * @return {@code true} when censored
     */
    public boolean isCpuCensored(double targetPercentile) {
        return cpuLimitCores.isPresent() && censoredShare > 1 - targetPercentile;
    }
}
