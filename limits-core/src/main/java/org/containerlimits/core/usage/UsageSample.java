package org.containerlimits.core.usage;


import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A container's cumulative counters at one instant, as a stats source read them: the raw material
 * of a {@link LimitsReading}, which compares two samples.
 *
 * <p>Counters are cumulative since the container (re)started; only differences between two samples
 * of the same container mean anything. A counter the source does not report is 0 (throttling) or
 * empty (the optional ones). A sample with a value no kernel can report (a negative counter, more
 * memory than any machine has, a year outside 1970 to 2199) cannot be made: see {@link SampleBounds}.
 *
 * <pre>{@code
 * UsageSample s = new UsageSample(Instant.now(), 1_500_000_000L, OptionalLong.empty(), OptionalLong.empty(), 2,
 *         100, 40, 2_000_000_000L, 52_428_800L, 10_485_760L, OptionalLong.of(1L << 30),
 *         OptionalLong.empty(), 7, OptionalLong.of(100), OptionalLong.of(0));
 * }</pre>
 *
 * @param time when the counters were read: the sample's own timestamp ({@code read} in the Engine
 *     API, the reader's monotonic clock for cgroup files); only differences are used
 * @param cpuNanos cumulative CPU time of all the container's tasks, in nanoseconds
 * @param systemCpuNanos cumulative CPU time of the whole host, in nanoseconds (the Engine API's
 *     {@code system_cpu_usage}), if known; used only for the percent {@code docker stats} shows
 * @param hostIdleNanos cumulative idle (and I/O wait) time of the whole host, in nanoseconds, if
 *     known (from {@code /proc/stat}); tells whether the host itself is saturated
 * @param onlineCpus the host's online CPUs as the source saw them, 0 if unknown
 * @param cfsPeriods cumulative CFS periods in which the container ran ({@code nr_periods})
 * @param cfsThrottledPeriods cumulative periods in which it was throttled ({@code nr_throttled})
 * @param throttledNanos cumulative time it was throttled, in nanoseconds ({@code throttled_time})
 * @param memoryUsageBytes memory usage as the cgroup reports it, page cache included
 * @param inactiveFileBytes inactive file cache ({@code total_inactive_file} on cgroup v1,
 *     {@code inactive_file} on v2), which docker/cli subtracts from usage
 * @param memoryLimitBytes the cgroup's memory limit, empty when unlimited
 * @param swapBytes swap in use, where the source reports it
 * @param pids the number of tasks in the container
 * @param pidsLimit the cgroup's pids limit, empty when unlimited
 * @param oomKills the processes the kernel's OOM killer has killed in the container's cgroup since
 *     the container (re)started, whether or not the container survived them ({@code oom_kill} of
 *     {@code memory.events} on cgroup v2, of {@code memory.oom_control} on v1); empty when the
 *     source cannot know it (the Engine API reports no such count, and v1 kernels before 4.13 lack
 *     the line), never 0 for unknown
 */
public record UsageSample(Instant time, long cpuNanos, OptionalLong systemCpuNanos, OptionalLong hostIdleNanos,
        int onlineCpus,
        long cfsPeriods, long cfsThrottledPeriods, long throttledNanos,
        long memoryUsageBytes, long inactiveFileBytes, OptionalLong memoryLimitBytes, OptionalLong swapBytes,
        long pids, OptionalLong pidsLimit, OptionalLong oomKills) {

    /**
     * The smallest value the kernel uses for "no memory limit" on cgroup v1 is
     * {@code 9223372036854771712} (the largest multiple of the page size); anything from 2^62 up is
     * read as unlimited.
     */
    public static final long UNLIMITED_THRESHOLD = 1L << 62;

    /**
     * Creates a sample; no reference may be null.
     *
     * <p>Values no kernel or clock can produce are refused here, for every source alike; see
     * {@link SampleBounds} for each bound.
     *
     * @param time when read
     * @param cpuNanos cumulative container CPU time
     * @param systemCpuNanos cumulative host CPU time, if known
     * @param hostIdleNanos cumulative host idle time, if known
     * @param onlineCpus online CPUs, 0 if unknown
     * @param cfsPeriods cumulative CFS periods
     * @param cfsThrottledPeriods cumulative throttled periods
     * @param throttledNanos cumulative throttled time
     * @param memoryUsageBytes memory usage, cache included
     * @param inactiveFileBytes inactive file cache
     * @param memoryLimitBytes memory limit, empty when unlimited
     * @param swapBytes swap in use, if reported
     * @param pids tasks in the container
     * @param pidsLimit pids limit, empty when unlimited
     * @param oomKills OOM kills in the container's cgroup since it started, empty when unknown
     * @throws InvalidSampleException if a value breaks a rule of {@link SampleBounds}, such as a
     *     negative counter, more than 2^53 OOM kills or a time outside the years 1970 to 2199
     */
    public UsageSample {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(systemCpuNanos, "systemCpuNanos");
        Objects.requireNonNull(hostIdleNanos, "hostIdleNanos");
        Objects.requireNonNull(memoryLimitBytes, "memoryLimitBytes");
        Objects.requireNonNull(swapBytes, "swapBytes");
        Objects.requireNonNull(pidsLimit, "pidsLimit");
        Objects.requireNonNull(oomKills, "oomKills");
        // Where samples enter the model: nothing impossible gets past here (see SampleBounds).
        SampleBounds.time(time);
        SampleBounds.counter("cpuNanos", cpuNanos);
        SampleBounds.counter("systemCpuNanos", systemCpuNanos);
        SampleBounds.counter("hostIdleNanos", hostIdleNanos);
        SampleBounds.cpus(onlineCpus);
        SampleBounds.counter("cfsPeriods", cfsPeriods);
        SampleBounds.counter("cfsThrottledPeriods", cfsThrottledPeriods);
        SampleBounds.counter("throttledNanos", throttledNanos);
        SampleBounds.memory("memoryUsageBytes", memoryUsageBytes);
        SampleBounds.memory("inactiveFileBytes", inactiveFileBytes);
        SampleBounds.limit("memoryLimitBytes", memoryLimitBytes);
        SampleBounds.memory("swapBytes", swapBytes);
        SampleBounds.pids(pids);
        SampleBounds.oomKills(oomKills);
        if (memoryLimitBytes.isPresent() && memoryLimitBytes.getAsLong() >= UNLIMITED_THRESHOLD) {
            memoryLimitBytes = OptionalLong.empty();
        }
        if (pidsLimit.isPresent() && (pidsLimit.getAsLong() <= 0 || pidsLimit.getAsLong() >= UNLIMITED_THRESHOLD)) {
            pidsLimit = OptionalLong.empty();
        }
    }

    /**
     * Returns the memory in use the way docker/cli counts it: usage less inactive file cache (never
     * below zero), so that files a container wrote and no longer touches do not count.
     *
     * @return the bytes in use
     */
    public long memoryUsedBytes() {
        return inactiveFileBytes < memoryUsageBytes ? memoryUsageBytes - inactiveFileBytes : memoryUsageBytes;
    }
}
