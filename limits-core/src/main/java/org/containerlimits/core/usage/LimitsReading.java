package org.containerlimits.core.usage;


import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * How close a container is to its own limits over one interval: CPU cores used against its CPU
 * limit, throttling, memory against its memory limit, pids; computed from two
 * {@link UsageSample}s by {@link #between}.
 *
 * <p>Unlike {@code docker stats}, whose CPU percent is relative to one core of the host and blind
 * to the limit (a container capped at 2.5 cores shows 250% when it is at its limit, and 197% on a
 * 2-CPU host where it can never reach it), {@link #cpuPercentOfLimit()} is relative to the
 * container's own limit, and {@link #cpuPressure()} says whether the limit or the host holds it back.
 * {@link #dockerCpuPercent()} gives docker's figure beside it, computed as docker/cli does.
 *
 * <p>Percentages are never negative, infinite or NaN: a first sample, an interval of zero and
 * counters that went back (a restart) give {@link State} values with zero rates instead, and
 * samples no kernel can produce are refused before any reading is made ({@link SampleBounds}:
 * a {@link UsageSample} cannot hold them, and {@link #between} refuses CPU time faster than the
 * host's CPUs can spend it).
 *
 * <p><b>The OOM killer</b>, seen two ways. {@link #oomKilled()} is Docker's {@code State.OOMKilled}
 * for a container that is no longer running: the OOM killer ended it, which Docker knows only once it
 * has exited. {@link #oomKills()} is the kernel's own count of processes it killed in the container's
 * cgroup, which also catches the case a container survives: a notebook hub's Jupyter server keeps
 * running while the kernel's OOM killer kills the notebook kernel inside it, and Docker shows nothing
 * for that while it runs. To alert on new kills, use {@link #oomKillsInInterval()}: over the readings
 * one reader makes of a container, one after the other, those add up to the growth of the count.
 *
 * <p>A window that is not aligned to the kernel's 100 ms CFS periods can legitimately show a few
 * percent above 100% of the limit: a period's quota may be spent just inside the window's start and
 * the next period's just before its end.
 *
 * @param container the container's id or name
 * @param time when the later sample was taken
 * @param interval the time between the two samples
 * @param state whether the figures cover a valid interval
 * @param source which source read the samples, such as {@code cgroup} or {@code api}
 * @param cpuCores the cores used on average over the interval
 * @param cpuCapacity the container's CPU limit, its basis and what it can reach
 * @param cpuPercentOfLimit {@code cpuCores} as a percent of the limit
 * @param dockerCpuPercent the percent {@code docker stats} shows (of one host core), when the
 *     source reports host CPU time
 * @param throttledRatio the fraction of CFS periods in which the container was throttled, 0 to 1
 * @param throttledTime the time it was throttled during the interval
 * @param cpuPressure what holds its CPU use where it is
 * @param memoryBytes memory in use, without inactive file cache (docker/cli's rule)
 * @param memoryLimitBytes the memory limit, empty when unlimited
 * @param memoryPercentOfLimit {@code memoryBytes} as a percent of the limit, empty when unlimited
 * @param swapBytes swap in use, where reported
 * @param pids tasks in the container
 * @param pidsLimit the pids limit, empty when unlimited
 * @param oomKilled whether the kernel's OOM killer ended the container
 * @param oomKills the processes the kernel's OOM killer has killed in the container's cgroup since
 *     the container (re)started, as of the later sample ({@link UsageSample#oomKills()}); empty
 *     when the source cannot know it (the Engine API source, a cgroup v1 kernel before 4.13) and for
 *     a container that is not running (its cgroup is gone)
 * @param oomKillsInInterval the OOM kills between the two samples: the growth of {@code oomKills}
 *     in a {@link State#RUNNING} reading; in a {@link State#RESTARTED} one, the whole count of the
 *     new run, all of which happened within the interval (kills of the old run after the earlier
 *     sample are lost with its cgroup); empty when {@code oomKills} is, and with no interval
 *     ({@link State#NO_INTERVAL}, {@link State#STOPPED})
 */
public record LimitsReading(String container, Instant time, Duration interval, State state, String source,
        double cpuCores, CpuCapacity cpuCapacity, double cpuPercentOfLimit, OptionalDouble dockerCpuPercent,
        double throttledRatio, Duration throttledTime, CpuPressure cpuPressure,
        long memoryBytes, OptionalLong memoryLimitBytes, OptionalDouble memoryPercentOfLimit, OptionalLong swapBytes,
        long pids, OptionalLong pidsLimit, boolean oomKilled, OptionalLong oomKills,
        OptionalLong oomKillsInInterval) {

    /** Whether a reading's figures cover a valid interval. */
    public enum State {
        /** Two samples of a running container: every figure is valid. */
        RUNNING,
        /** Only one sample so far, or two with no time between them: rates are zero. */
        NO_INTERVAL,
        /** The counters went back: the container restarted between the samples; rates are zero. */
        RESTARTED,
        /** The container is not running; rates are zero. */
        STOPPED
    }

    /** What holds a container's CPU use where it is. */
    public enum CpuPressure {
        /** Under 5% of its limit. */
        IDLE,
        /** Below its limit, not throttled, and neither the host nor the cpuset is full. */
        BELOW_LIMIT,
        /**
         * At its limit: throttled in more than 5% of periods, or at 95% or more of a CPU limit of its
         * own (a quota or nano-CPUs).
         */
        LIMIT,
        /**
         * Held by the host or its cpuset: below its limit and not throttled but they cannot give it
         * more, or, with no CPU limit of its own, using 95% or more of what they give.
         */
        HOST,
        /** No valid interval (see {@link State}). */
        UNKNOWN
    }

    /** A throttled share of periods above this means the limit is what holds the container. */
    public static final double THROTTLED_AT_LIMIT = 0.05;

    /**
     * Creates a reading; no reference may be null.
     *
     * @param container the container
     * @param time when
     * @param interval the interval
     * @param state the state
     * @param source the source
     * @param cpuCores cores used
     * @param cpuCapacity the CPU limit
     * @param cpuPercentOfLimit percent of the limit
     * @param dockerCpuPercent docker's percent
     * @param throttledRatio throttled share of periods
     * @param throttledTime throttled time
     * @param cpuPressure what holds CPU use
     * @param memoryBytes memory in use
     * @param memoryLimitBytes memory limit
     * @param memoryPercentOfLimit memory percent of limit
     * @param swapBytes swap in use
     * @param pids tasks
     * @param pidsLimit pids limit
     * @param oomKilled OOM-killed
     * @param oomKills OOM kills in the container since it started, empty when unknown
     * @param oomKillsInInterval OOM kills during the interval, empty when unknown or no interval
     * @throws IllegalArgumentException if {@code oomKillsInInterval} is negative, or present while
     *     {@code oomKills} is empty or smaller
     */
    public LimitsReading {
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(cpuCapacity, "cpuCapacity");
        Objects.requireNonNull(dockerCpuPercent, "dockerCpuPercent");
        Objects.requireNonNull(throttledTime, "throttledTime");
        Objects.requireNonNull(cpuPressure, "cpuPressure");
        Objects.requireNonNull(memoryLimitBytes, "memoryLimitBytes");
        Objects.requireNonNull(memoryPercentOfLimit, "memoryPercentOfLimit");
        Objects.requireNonNull(swapBytes, "swapBytes");
        Objects.requireNonNull(pidsLimit, "pidsLimit");
        Objects.requireNonNull(oomKills, "oomKills");
        Objects.requireNonNull(oomKillsInInterval, "oomKillsInInterval");
        if (oomKillsInInterval.isPresent() && (oomKillsInInterval.getAsLong() < 0 || oomKills.isEmpty()
                || oomKillsInInterval.getAsLong() > oomKills.getAsLong())) {
            throw new IllegalArgumentException("oomKillsInInterval " + oomKillsInInterval
                    + " must be between 0 and oomKills " + oomKills);
        }
    }

    /**
     * Computes a reading from two samples of one container.
     *
     * <pre>{@code
     * CpuCapacity capacity = CpuCapacity.of(limits, hostCpus);
     * LimitsReading r = LimitsReading.between("jupyter-alice", "cgroup", before, after, capacity, false);
     * r.cpuPercentOfLimit();   // e.g. 99.6 for a container using its whole 2.5-core quota
     * }</pre>
     *
     * @param container the container's id or name
     * @param source the source's name
     * @param previous the earlier sample, or {@code null} for a container's first sample
     * @param current the later sample
     * @param capacity the container's CPU capacity, from {@link CpuCapacity#of}
     * @param oomKilled whether the container was OOM-killed
     * @return the reading
     * @throws InvalidSampleException if the container's CPU time grew faster than its host's CPUs
     *     can spend it ({@link SampleBounds})
     */
    public static LimitsReading between(String container, String source, UsageSample previous, UsageSample current,
            CpuCapacity capacity, boolean oomKilled) {
        Objects.requireNonNull(current, "current");
        Duration interval = previous == null ? Duration.ZERO : Duration.between(previous.time(), current.time());
        State state;
        if (previous == null || interval.isZero() || interval.isNegative()) {
            state = State.NO_INTERVAL;
            interval = Duration.ZERO;
        } else if (current.cpuNanos() < previous.cpuNanos() || current.cfsPeriods() < previous.cfsPeriods()
                || current.throttledNanos() < previous.throttledNanos()
                || wentBack(previous.oomKills(), current.oomKills())) {
            state = State.RESTARTED;
        } else {
            state = State.RUNNING;
        }
        double limit = capacity.limitCores().doubleValue();
        double cores = 0;
        double percent = 0;
        OptionalDouble docker = OptionalDouble.empty();
        double throttledRatio = 0;
        Duration throttled = Duration.ZERO;
        CpuPressure pressure = CpuPressure.UNKNOWN;
        if (state == State.RUNNING) {
            long cpuDelta = current.cpuNanos() - previous.cpuNanos();
            SampleBounds.cpuTime(cpuDelta, interval,
                    Math.max(1, Math.max(current.onlineCpus(), Math.ceil(capacity.reachableCores().doubleValue()))));
            cores = (double) cpuDelta / interval.toNanos();
            percent = cores / limit * 100.0;
            docker = dockerPercent(previous, current, cpuDelta);
            long periods = current.cfsPeriods() - previous.cfsPeriods();
            if (periods > 0) {
                throttledRatio = Math.min(1.0,
                        (double) (current.cfsThrottledPeriods() - previous.cfsThrottledPeriods()) / periods);
                throttledRatio = Math.max(0.0, throttledRatio);
            }
            throttled = Duration.ofNanos(Math.max(0, current.throttledNanos() - previous.throttledNanos()));
            pressure = pressure(cores, percent, throttledRatio, capacity, previous, current, interval);
        }
        long memory = current.memoryUsedBytes();
        OptionalDouble memoryPercent = current.memoryLimitBytes().isPresent() && current.memoryLimitBytes().getAsLong() > 0
                ? OptionalDouble.of(memory * 100.0 / current.memoryLimitBytes().getAsLong())
                : OptionalDouble.empty();
        OptionalLong oomKills = current.oomKills();
        OptionalLong newOomKills = OptionalLong.empty();
        if (state == State.RUNNING && oomKills.isPresent() && previous.oomKills().isPresent()) {
            newOomKills = OptionalLong.of(oomKills.getAsLong() - previous.oomKills().getAsLong());
        } else if (state == State.RESTARTED && oomKills.isPresent()) {
            // A new cgroup since the earlier sample: every kill it counts happened in the interval.
            newOomKills = oomKills;
        }
        return new LimitsReading(container, current.time(), interval, state, source, cores, capacity, percent,
                docker, throttledRatio, throttled, pressure, memory, current.memoryLimitBytes(), memoryPercent,
                current.swapBytes(), current.pids(), current.pidsLimit(), oomKilled, oomKills, newOomKills);
    }

    /**
     * A reading for a container that is not running: zero rates, no memory in use, no OOM kill
     * count (its cgroup is gone; {@code oomKilled} says whether the OOM killer ended it).
     *
     * @param container the container's id or name
     * @param source the source's name
     * @param time when it was found stopped
     * @param capacity its CPU capacity
     * @param oomKilled whether the OOM killer ended it
     * @return the reading, in state {@link State#STOPPED}
     */
    public static LimitsReading stopped(String container, String source, Instant time, CpuCapacity capacity,
            boolean oomKilled) {
        return new LimitsReading(container, time, Duration.ZERO, State.STOPPED, source, 0, capacity, 0,
                OptionalDouble.empty(), 0, Duration.ZERO, CpuPressure.UNKNOWN, 0, OptionalLong.empty(),
                OptionalDouble.empty(), OptionalLong.empty(), 0, OptionalLong.empty(), oomKilled, OptionalLong.empty(),
                OptionalLong.empty());
    }

    /** A count known in both samples that went down: a new cgroup, so a restart. */
    private static boolean wentBack(OptionalLong previous, OptionalLong current) {
        return previous.isPresent() && current.isPresent() && current.getAsLong() < previous.getAsLong();
    }

    /** docker/cli: (container CPU delta / host CPU delta) x online CPUs x 100, 0 when either delta is not positive. */
    private static OptionalDouble dockerPercent(UsageSample previous, UsageSample current, long cpuDelta) {
        if (previous.systemCpuNanos().isEmpty() || current.systemCpuNanos().isEmpty() || current.onlineCpus() <= 0) {
            return OptionalDouble.empty();
        }
        long systemDelta = current.systemCpuNanos().getAsLong() - previous.systemCpuNanos().getAsLong();
        if (systemDelta <= 0 || cpuDelta <= 0) {
            return OptionalDouble.of(0.0);
        }
        return OptionalDouble.of((double) cpuDelta / systemDelta * current.onlineCpus() * 100.0);
    }

    private static CpuPressure pressure(double cores, double percent, double throttledRatio, CpuCapacity capacity,
            UsageSample previous, UsageSample current, Duration interval) {
        if (throttledRatio > THROTTLED_AT_LIMIT) {
            return CpuPressure.LIMIT;
        }
        if (percent >= 95.0) {
            // Without a CPU limit of its own (a quota or nano-CPUs), what it fills is the host or
            // its cpuset, which is what HOST means; LIMIT would send an admin looking for a limit.
            boolean ownLimit = capacity.basis() == CpuCapacity.Basis.QUOTA
                    || capacity.basis() == CpuCapacity.Basis.NANO_CPUS;
            return ownLimit ? CpuPressure.LIMIT : CpuPressure.HOST;
        }
        if (percent < 5.0) {
            return CpuPressure.IDLE;
        }
        if (!capacity.isReachable() && cores >= 0.9 * capacity.reachableCores().doubleValue()) {
            return CpuPressure.HOST;
        }
        if (previous.hostIdleNanos().isPresent() && current.hostIdleNanos().isPresent() && current.onlineCpus() > 0) {
            double idle = (double) (current.hostIdleNanos().getAsLong() - previous.hostIdleNanos().getAsLong())
                    / ((double) interval.toNanos() * current.onlineCpus());
            if (idle < 0.1) {
                return CpuPressure.HOST;
            }
        }
        return CpuPressure.BELOW_LIMIT;
    }

    /**
     * Returns whether the container's CPU limit is above what its cpuset or the host can give.
     *
     * @return {@code true} when the limit can never be reached
     */
    public boolean isLimitUnreachable() {
        return !cpuCapacity.isReachable();
    }

    /**
     * Returns the CPU limit in cores.
     *
     * @return the limit, from {@link #cpuCapacity()}
     */
    public BigDecimal cpuLimitCores() {
        return cpuCapacity.limitCores();
    }
}
