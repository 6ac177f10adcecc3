package org.containerlimits.core.usage;


import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * The one rule for impossible stats: what no kernel and no clock can report, checked where samples
 * enter the model (the {@link UsageSample} constructor for one sample, {@link LimitsReading#between}
 * for two), so that a hostile or broken daemon can never turn into a reading. A value that breaks a
 * rule raises an {@link InvalidSampleException} naming the field, the value and the rule.
 *
 * <table class="striped">
 *   <caption>Bounds</caption>
 *   <thead><tr><th>Fields</th><th>Rule</th><th>Why</th></tr></thead>
 *   <tbody>
 *   <tr><td>{@code time}</td><td>from {@value #EARLIEST_TEXT} to before {@value #LATEST_TEXT}</td>
 *       <td>a clock that reads outside it is broken; inside it, two samples are less than 292
 *       years apart, so their interval fits in a {@code long} of nanoseconds</td></tr>
 *   <tr><td>CPU and throttling counters, host CPU and idle time</td><td>not negative</td>
 *       <td>cumulative counters start at 0 and only grow (a restart is a drop, not a sign)</td></tr>
 *   <tr><td>{@code onlineCpus}</td><td>0 to {@value #MAX_CPUS}</td><td>no kernel supports more
 *       (x86-64's largest {@code NR_CPUS} is 8192)</td></tr>
 *   <tr><td>memory usage, inactive file cache, swap</td><td>0 to 2<sup>53</sup> bytes (8 PiB)</td>
 *       <td>more than any machine's memory, and the largest byte count a {@code double} (a
 *       percentage) holds exactly</td></tr>
 *   <tr><td>{@code memoryLimitBytes}</td><td>not negative (2<sup>62</sup> and above reads as
 *       unlimited)</td><td>a limit is a size</td></tr>
 *   <tr><td>{@code pids}</td><td>0 to {@value #MAX_PIDS}</td><td>the kernel's
 *       {@code PID_MAX_LIMIT}, the highest {@code pid_max} it accepts</td></tr>
 *   <tr><td>{@code oomKills}</td><td>0 to 2<sup>53</sup></td><td>a million kills a second (the OOM
 *       killer manages far fewer: each kill takes its lock, scans the cgroup's tasks and waits for
 *       the victim to exit) for the 230 years a sample's time may span stays below it; and it is the
 *       largest count a {@code double} (a gauge) holds exactly</td></tr>
 *   <tr><td>CPU time between two samples</td><td>at most CPUs &times; ({@value #CPU_TIME_MARGIN}
 *       &times; interval + {@value #CPU_ACCOUNTING_SLACK_MILLIS} ms), CPUs being the larger of the
 *       sample's online CPUs and the container's reachable cores</td>
 *       <td>a container cannot run on more CPUs than the host has; the margin covers the skew
 *       between a sample's timestamp and its counter read, the slack the kernel's accounting of CPU
 *       time per scheduler tick (up to 10 ms late per CPU at HZ=100)</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>Samples whose counters went back (a restart) or whose interval is not positive are not
 * invalid: they give {@link LimitsReading.State#RESTARTED} and {@link LimitsReading.State#NO_INTERVAL}
 * readings, as before.
 */
public final class SampleBounds {

    /** The earliest sample time accepted, as text. */
    public static final String EARLIEST_TEXT = "1970-01-01T00:00:00Z";

    /** The first sample time no longer accepted, as text. */
    public static final String LATEST_TEXT = "2200-01-01T00:00:00Z";

    /** The earliest sample time accepted: the Unix epoch, where a host without a clock starts. */
    public static final Instant EARLIEST = Instant.parse(EARLIEST_TEXT);

    /** The first sample time no longer accepted. */
    public static final Instant LATEST = Instant.parse(LATEST_TEXT);

    /** The most online CPUs a sample may report. */
    public static final int MAX_CPUS = 65_536;

    /** The most bytes of memory, cache or swap a sample may report: 2^53, 8 PiB. */
    public static final long MAX_MEMORY_BYTES = 1L << 53;

    /** The most tasks a sample may report: the kernel's {@code PID_MAX_LIMIT} on 64-bit, 2^22. */
    public static final long MAX_PIDS = 4_194_304L;

    /** The most OOM kills a sample may report: 2^53 (see the table above). */
    public static final long MAX_OOM_KILLS = 1L << 53;

    /** How much faster than the interval times the CPUs a container's CPU time may grow. */
    public static final double CPU_TIME_MARGIN = 1.25;

    /** Per CPU, the CPU time a container may show beyond the margin: the kernel's tick-late accounting. */
    public static final long CPU_ACCOUNTING_SLACK_MILLIS = 20;

    private SampleBounds() {
    }

    static void time(Instant time) {
        if (time.isBefore(EARLIEST) || !time.isBefore(LATEST)) {
            throw new InvalidSampleException("time", time.toString(), "is outside " + EARLIEST_TEXT + " to "
                    + LATEST_TEXT + ", the window of a working clock");
        }
    }

    static void counter(String field, long value) {
        if (value < 0) {
            throw new InvalidSampleException(field, Long.toString(value), "is negative; a cumulative counter never is");
        }
    }

    static void counter(String field, OptionalLong value) {
        if (value.isPresent()) {
            counter(field, value.getAsLong());
        }
    }

    static void cpus(int onlineCpus) {
        if (onlineCpus < 0 || onlineCpus > MAX_CPUS) {
            throw new InvalidSampleException("onlineCpus", Integer.toString(onlineCpus),
                    "is outside 0 to " + MAX_CPUS + "; no kernel supports more CPUs");
        }
    }

    static void memory(String field, long bytes) {
        if (bytes < 0) {
            throw new InvalidSampleException(field, Long.toString(bytes), "is negative; a memory figure never is");
        }
        if (bytes > MAX_MEMORY_BYTES) {
            throw new InvalidSampleException(field, Long.toString(bytes),
                    "is above 2^53 bytes (8 PiB), more memory than any machine has");
        }
    }

    static void memory(String field, OptionalLong bytes) {
        if (bytes.isPresent()) {
            memory(field, bytes.getAsLong());
        }
    }

    static void limit(String field, OptionalLong bytes) {
        if (bytes.isPresent() && bytes.getAsLong() < 0) {
            throw new InvalidSampleException(field, Long.toString(bytes.getAsLong()),
                    "is negative; a limit is a size (an unlimited one is absent or 2^62 and above)");
        }
    }

    static void pids(long pids) {
        if (pids < 0 || pids > MAX_PIDS) {
            throw new InvalidSampleException("pids", Long.toString(pids),
                    "is outside 0 to " + MAX_PIDS + ", the kernel's largest pid_max (PID_MAX_LIMIT)");
        }
    }

    static void oomKills(OptionalLong kills) {
        if (kills.isPresent()) {
            long n = kills.getAsLong();
            counter("oomKills", n);
            if (n > MAX_OOM_KILLS) {
                throw new InvalidSampleException("oomKills", Long.toString(n),
                        "is above 2^53, more OOM kills than a million a second for the 230 years a sample's"
                                + " time may span");
            }
        }
    }

    /**
     * Checks that a container's CPU time grew no faster than its host's CPUs can run it.
     *
     * @param cpuDelta the CPU time between the samples, not negative
     * @param interval the positive time between the samples
     * @param cpus the CPUs the container could at most have run on, at least 1
     */
    static void cpuTime(long cpuDelta, Duration interval, double cpus) {
        double bound = cpus * (CPU_TIME_MARGIN * interval.toNanos() + CPU_ACCOUNTING_SLACK_MILLIS * 1e6);
        if (cpuDelta > bound) {
            throw new InvalidSampleException("cpuNanos", "+" + cpuDelta + " ns in " + interval.toNanos() + " ns",
                    "is more CPU time than " + cpusText(cpus) + " CPUs can spend in that interval (at most CPUs x ("
                            + CPU_TIME_MARGIN + " x interval + " + CPU_ACCOUNTING_SLACK_MILLIS + " ms) = "
                            + (long) bound + " ns)");
        }
    }

    private static String cpusText(double cpus) {
        return cpus == Math.rint(cpus) ? Long.toString((long) cpus) : Double.toString(cpus);
    }
}
