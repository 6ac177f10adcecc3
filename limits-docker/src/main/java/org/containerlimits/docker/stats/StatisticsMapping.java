package org.containerlimits.docker.stats;

import com.github.dockerjava.api.model.CpuStatsConfig;
import com.github.dockerjava.api.model.CpuUsageConfig;
import com.github.dockerjava.api.model.MemoryStatsConfig;
import com.github.dockerjava.api.model.PidsStatsConfig;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.api.model.StatsConfig;
import com.github.dockerjava.api.model.ThrottlingDataConfig;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.containerlimits.core.usage.UsageSample;

/**
 * Maps docker-java's {@link Statistics} (the Engine API's {@code GET /containers/{id}/stats} JSON)
 * to a {@link UsageSample}, for both the cgroup v1 and the cgroup v2 layout of that JSON.
 *
 * <table class="striped">
 *   <caption>Fields</caption>
 *   <thead><tr><th>UsageSample</th><th>Engine API</th></tr></thead>
 *   <tbody>
 *   <tr><td>time</td><td>{@code read} (RFC 3339 with nanoseconds)</td></tr>
 *   <tr><td>cpuNanos</td><td>{@code cpu_stats.cpu_usage.total_usage}</td></tr>
 *   <tr><td>systemCpuNanos</td><td>{@code cpu_stats.system_cpu_usage}</td></tr>
 *   <tr><td>hostIdleNanos</td><td>never: the API does not report it</td></tr>
 *   <tr><td>onlineCpus</td><td>{@code cpu_stats.online_cpus}, else the length of
 *       {@code percpu_usage} (cgroup v1 only), else 0</td></tr>
 *   <tr><td>cfsPeriods, cfsThrottledPeriods, throttledNanos</td>
 *       <td>{@code cpu_stats.throttling_data.periods}, {@code throttled_periods},
 *       {@code throttled_time}</td></tr>
 *   <tr><td>memoryUsageBytes</td><td>{@code memory_stats.usage}</td></tr>
 *   <tr><td>inactiveFileBytes</td><td>{@code memory_stats.stats.total_inactive_file} (v1), else
 *       {@code inactive_file} (v2)</td></tr>
 *   <tr><td>memoryLimitBytes</td><td>{@code memory_stats.stats.hierarchical_memory_limit} on v1,
 *       else {@code memory_stats.limit}; see below</td></tr>
 *   <tr><td>swapBytes</td><td>{@code memory_stats.stats.total_swap}, else {@code swap}: cgroup v1
 *       with swap accounting only; cgroup v2 stats carry no swap figure</td></tr>
 *   <tr><td>pids, pidsLimit</td><td>{@code pids_stats.current}, {@code pids_stats.limit}</td></tr>
 *   <tr><td>oomKills</td><td>never (empty, not 0): the API counts no OOM kills ({@code failcnt} on v1
 *       counts hits of the limit, not kills)</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>An unlimited container's {@code memory_stats.limit} is the host's memory, not "unlimited": on
 * cgroup v1 the hierarchical limit in {@code stats} tells the difference; on cgroup v2 it cannot be
 * told apart from a limit equal to the host's memory, so a limit at or above the host's memory
 * (when the caller knows it) reads as unlimited.
 *
 * <p>docker-java 3.7.1 has no getter for {@code pids_stats.limit}; it is read from the raw JSON
 * values docker-java keeps for every object ({@code getRawValues()}).
 *
 * <p>Stateless and thread-safe.
 */
public final class StatisticsMapping {

    /** The {@code read} time the daemon reports for a container that is not running. */
    static final Instant ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

    private StatisticsMapping() {
    }

    /**
     * Maps one stats answer to a sample.
     *
     * @param stats the answer, as docker-java deserialized it
     * @param hostMemoryBytes the host's memory, if known, so that an unlimited cgroup v2 container
     *     reads as unlimited; empty to take {@code memory_stats.limit} as it is
     * @return the sample, or empty when the answer describes a container that is not running (its
     *     {@code read} time is missing or the zero time, or it has no CPU figures)
     */
    public static Optional<UsageSample> toSample(Statistics stats, OptionalLong hostMemoryBytes) {
        Objects.requireNonNull(stats, "stats");
        Objects.requireNonNull(hostMemoryBytes, "hostMemoryBytes");
        Optional<Instant> time = parseTime(stats.getRead());
        CpuStatsConfig cpu = stats.getCpuStats();
        if (time.isEmpty() || !time.get().isAfter(ZERO_TIME) || cpu == null || cpu.getCpuUsage() == null
                || cpu.getCpuUsage().getTotalUsage() == null) {
            return Optional.empty();
        }
        return Optional.of(sample(time.get(), cpu, stats, hostMemoryBytes));
    }

    /**
     * Maps the earlier half of a stats answer ({@code preread} and {@code precpu_stats}) to a
     * sample, with the memory and pids figures of the later half (the API reports those once).
     *
     * @param stats the answer
     * @param hostMemoryBytes the host's memory, if known
     * @return the earlier sample, or empty when the answer has none (the first answer of a stream)
     */
    public static Optional<UsageSample> toPreviousSample(Statistics stats, OptionalLong hostMemoryBytes) {
        Objects.requireNonNull(stats, "stats");
        Optional<Instant> time = parseTime(stats.getPreread());
        CpuStatsConfig cpu = stats.getPreCpuStats();
        if (time.isEmpty() || !time.get().isAfter(ZERO_TIME) || cpu == null || cpu.getCpuUsage() == null
                || cpu.getCpuUsage().getTotalUsage() == null || cpu.getSystemCpuUsage() == null) {
            return Optional.empty();
        }
        return Optional.of(sample(time.get(), cpu, stats, hostMemoryBytes));
    }

    private static UsageSample sample(Instant time, CpuStatsConfig cpu, Statistics stats,
            OptionalLong hostMemoryBytes) {
        MemoryStatsConfig memory = stats.getMemoryStats();
        PidsStatsConfig pids = stats.getPidsStats();
        CpuUsageConfig usage = cpu.getCpuUsage();
        ThrottlingDataConfig throttling = cpu.getThrottlingData();
        int online = 0;
        if (cpu.getOnlineCpus() != null && cpu.getOnlineCpus() > 0) {
            online = (int) Math.min(Integer.MAX_VALUE, cpu.getOnlineCpus());
        } else {
            List<Long> perCpu = usage.getPercpuUsage();
            online = perCpu == null ? 0 : perCpu.size();
        }
        long memoryUsage = 0;
        long inactiveFile = 0;
        OptionalLong memoryLimit = OptionalLong.empty();
        OptionalLong swap = OptionalLong.empty();
        if (memory != null) {
            memoryUsage = orZero(memory.getUsage());
            StatsConfig s = memory.getStats();
            Long hierarchicalLimit = null;
            if (s != null) {
                inactiveFile = s.getTotalInactiveFile() != null ? s.getTotalInactiveFile() : orZero(s.getInactiveFile());
                Long swapUsed = s.getTotalSwap() != null ? s.getTotalSwap() : s.getSwap();
                swap = swapUsed == null ? OptionalLong.empty() : OptionalLong.of(swapUsed);
                hierarchicalLimit = s.getHierarchicalMemoryLimit();
            }
            Long limit = memory.getLimit();
            if (hierarchicalLimit != null && hierarchicalLimit > 0) {
                // cgroup v1: the cgroup's own limit; memory_stats.limit is min(that, host memory).
                memoryLimit = limit != null && limit > 0 ? OptionalLong.of(Math.min(limit, hierarchicalLimit))
                        : OptionalLong.of(hierarchicalLimit);
                if (hierarchicalLimit >= UsageSample.UNLIMITED_THRESHOLD) {
                    memoryLimit = OptionalLong.empty();
                }
            } else if (limit != null && limit > 0
                    && (hostMemoryBytes.isEmpty() || limit < hostMemoryBytes.getAsLong())) {
                memoryLimit = OptionalLong.of(limit);
            }
        }
        long pidsCurrent = 0;
        OptionalLong pidsLimit = OptionalLong.empty();
        if (pids != null) {
            pidsCurrent = orZero(pids.getCurrent());
        }
        pidsLimit = pidsLimit(stats, pids);
        return new UsageSample(time, usage.getTotalUsage(),
                cpu.getSystemCpuUsage() == null ? OptionalLong.empty() : OptionalLong.of(cpu.getSystemCpuUsage()),
                OptionalLong.empty(), online,
                throttling == null ? 0 : orZero(throttling.getPeriods()),
                throttling == null ? 0 : orZero(throttling.getThrottledPeriods()),
                throttling == null ? 0 : orZero(throttling.getThrottledTime()),
                memoryUsage, inactiveFile, memoryLimit, swap, pidsCurrent, pidsLimit, OptionalLong.empty());
    }

    /**
     * docker-java keeps the raw JSON of the object its deserializer was called for; nested objects
     * are read by a plain mapper and keep none, so {@code pids_stats.limit} is looked for in the
     * top-level object first, then in the nested one.
     */
    private static OptionalLong pidsLimit(Statistics stats, PidsStatsConfig pids) {
        Object raw = null;
        if (stats.getRawValues().get("pids_stats") instanceof Map<?, ?> map) {
            raw = map.get("limit");
        }
        if (raw == null && pids != null) {
            raw = pids.getRawValues().get("limit");
        }
        return raw instanceof Number n ? OptionalLong.of(n.longValue()) : OptionalLong.empty();
    }

    /**
     * Parses the API's timestamps, RFC 3339 with up to nanoseconds and a {@code Z} or an offset.
     *
     * @param text the timestamp, such as {@code 2015-01-08T22:57:31.547920715Z}
     * @return the instant, or empty when missing or unreadable
     */
    static Optional<Instant> parseTime(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text.strip(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}
