package org.containerlimits.core.recommend;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.containerlimits.core.usage.CpuCapacity;
import org.containerlimits.core.usage.CpuCapacity.Basis;
import org.containerlimits.core.usage.LimitsReading;
import org.containerlimits.core.usage.LimitsReading.CpuPressure;
import org.containerlimits.core.usage.LimitsReading.State;

/**
 * What one container (or all the tasks of one service) used over time, kept in constant memory:
 * CPU in a {@link DecayingHistogram} of cores, memory in one of per-window peaks, and the few
 * counts a recommendation needs besides. Made by {@link Recommender#newHistory}, fed by
 * {@link #record} with each {@link LimitsReading} (a {@code StatsPoller}'s batches, or the lines of
 * {@code limits stats --json} read back), turned into limits by {@link Recommender#recommend}.
 *
 * <p><b>CPU.</b> Each reading of a running container adds its cores, weighted by its interval in
 * seconds, so readings of different lengths count by the time they cover. A reading whose
 * {@linkplain LimitsReading#cpuPressure() CPU pressure} is {@link CpuPressure#LIMIT} is also
 * counted as <em>censored</em>: the container was held at its CPU limit, so what it used is only a
 * lower bound of what it wanted.
 *
 * <p><b>Memory</b> is recorded as VPA does: the peak of each {@linkplain Recommender#memoryPeakWindow()
 * window} (memory without inactive file cache, as readings count it) is one sample, dated at the
 * window's start; a later, higher reading in the same window replaces it. An OOM kill (the
 * container ended by it, or a process in it killed while it ran) adds a sample of
 * {@link Recommender#oomBump} of the memory limit it hit, so the next recommendation clears it.
 *
 * <p>Thread-safe: a poller may record while another thread recommends.
 */
public final class UsageHistory {

    private final String container;
    private final Recommender settings;
    private final DecayingHistogram cpu;
    private final DecayingHistogram memoryPeaks;
    private final Counts counts;

    /** The most containers a history remembers the last reading of (a service's tasks come and go). */
    static final int MAX_SOURCES = 1024;

    /** The plain counts beside the histograms; one mutable holder, guarded by the history. */
    static final class Counts {
        long samples;
        Instant first;
        Instant last;
        double cpuWeight;
        double censoredWeight;
        double maxCpuCores;
        Instant peakWindowStart;
        long peakWindowBytes = -1;
        long maxMemoryBytes;
        long oomKills;
        long maxOomLimitBytes = -1;
        long maxPids;
        long maxSwapBytes = -1;
        /** The CPU limit of its own, null when it had none (a cpuset's size or the host's CPUs). */
        BigDecimal cpuLimitCores;
        BigDecimal availableCores;
        long memoryLimitBytes = -1;
        long pidsLimit = -1;
        /**
         * Each container's last reading time, and whether it was then stopped by the OOM killer:
         * a service's tasks are read side by side, so order and repeats are judged per container.
         */
        final Map<String, Source> sources = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Source> eldest) {
                return size() > MAX_SOURCES;
            }
        };
    }

    /** One container's place in the history. */
    static final class Source {
        Instant last;
        boolean stoppedByOom;

        Source(Instant last, boolean stoppedByOom) {
            this.last = last;
            this.stoppedByOom = stoppedByOom;
        }
    }

    UsageHistory(String container, Recommender settings, DecayingHistogram cpu, DecayingHistogram memoryPeaks,
            Counts counts) {
        this.container = Objects.requireNonNull(container, "container");
        this.settings = settings;
        this.cpu = cpu;
        this.memoryPeaks = memoryPeaks;
        this.counts = counts;
    }

    /**
     * Records one reading. The readings of one container should come in time order; one no later
     * than the last recorded of the same container is ignored, so a file read twice counts once.
     * A service's history takes the readings of all its tasks, each by its own container.
     *
     * @param reading the reading
     * @return whether it was recorded
     */
    public synchronized boolean record(LimitsReading reading) {
        Objects.requireNonNull(reading, "reading");
        Instant time = reading.time();
        Source source = counts.sources.get(reading.container());
        if (source != null && !time.isAfter(source.last)) {
            return false;
        }
        if (source == null) {
            source = new Source(time, false);
            counts.sources.put(reading.container(), source);
        }
        source.last = time;
        counts.samples++;
        if (counts.first == null || time.isBefore(counts.first)) {
            counts.first = time;
        }
        if (counts.last == null || time.isAfter(counts.last)) {
            counts.last = time;
        }
        CpuCapacity capacity = reading.cpuCapacity();
        boolean own = capacity.basis() == Basis.QUOTA || capacity.basis() == Basis.NANO_CPUS;
        counts.cpuLimitCores = own ? capacity.limitCores() : null;
        if (!own || !capacity.isReachable()) {
            // What the cpuset or host gives shows only where no smaller limit of its own hides it.
            counts.availableCores = capacity.reachableCores();
        }
        counts.memoryLimitBytes = reading.memoryLimitBytes().orElse(-1);
        counts.pidsLimit = reading.pidsLimit().orElse(-1);

        if (reading.state() == State.STOPPED) {
            // A stopped container reads the same every round: its OOM kill counts once per stop.
            if (reading.oomKilled() && !source.stoppedByOom) {
                oomKill(reading, 1);
            }
            source.stoppedByOom = reading.oomKilled();
            return true;
        }
        source.stoppedByOom = false;
        if (reading.state() == State.RUNNING && !reading.interval().isZero()) {
            double weight = reading.interval().toNanos() / 1e9;
            cpu.add(reading.cpuCores(), weight, time);
            counts.cpuWeight += weight;
            if (reading.cpuPressure() == CpuPressure.LIMIT) {
                counts.censoredWeight += weight;
            }
            counts.maxCpuCores = Math.max(counts.maxCpuCores, reading.cpuCores());
        }
        memory(reading.memoryBytes(), time);
        counts.maxMemoryBytes = Math.max(counts.maxMemoryBytes, reading.memoryBytes());
        counts.maxPids = Math.max(counts.maxPids, reading.pids());
        if (reading.swapBytes().isPresent()) {
            counts.maxSwapBytes = Math.max(counts.maxSwapBytes, reading.swapBytes().getAsLong());
        }
        long kills = reading.oomKillsInInterval().orElse(0);
        if (kills > 0) {
            oomKill(reading, kills);
        }
        return true;
    }

    private void oomKill(LimitsReading reading, long kills) {
        counts.oomKills += kills;
        if (reading.memoryLimitBytes().isPresent()) {
            long limit = reading.memoryLimitBytes().getAsLong();
            counts.maxOomLimitBytes = Math.max(counts.maxOomLimitBytes, limit);
            memory(settings.oomBump(limit), reading.time());
        }
    }

    /** Adds memory to the peak of its window, replacing the window's smaller peak (VPA's AddMemorySample). */
    private void memory(long bytes, Instant time) {
        long window = settings.memoryPeakWindow().toMillis();
        Instant start = Instant.ofEpochMilli(Math.floorDiv(time.toEpochMilli(), window) * window);
        if (!start.equals(counts.peakWindowStart)) {
            counts.peakWindowStart = start;
            counts.peakWindowBytes = -1;
        }
        if (bytes <= counts.peakWindowBytes) {
            return;
        }
        if (counts.peakWindowBytes >= 0) {
            memoryPeaks.subtract(counts.peakWindowBytes, 1.0, start);
        }
        memoryPeaks.add(bytes, 1.0, start);
        counts.peakWindowBytes = bytes;
    }

    /**
     * Returns the container's id or name (or the service's), as its readings name it.
     *
     * @return the name
     */
    public String container() {
        return container;
    }

    /**
     * Returns how many readings were recorded.
     *
     * @return the count
     */
    public synchronized long samples() {
        return counts.samples;
    }

    /**
     * Returns the time from the first reading recorded to the last.
     *
     * @return the span, zero before two readings
     */
    public synchronized Duration span() {
        return counts.first == null ? Duration.ZERO : Duration.between(counts.first, counts.last);
    }

    /**
     * Returns when the first reading was taken.
     *
     * @return the instant, empty before any
     */
    public synchronized Optional<Instant> first() {
        return Optional.ofNullable(counts.first);
    }

    /**
     * Returns when the last reading was taken.
     *
     * @return the instant, empty before any
     */
    public synchronized Optional<Instant> last() {
        return Optional.ofNullable(counts.last);
    }

    /**
     * Returns the share of CPU time (by reading interval, not decayed) in which the container was
     * held at its CPU limit.
     *
     * @return 0 to 1; 0 with no CPU readings
     */
    public synchronized double censoredShare() {
        return counts.cpuWeight == 0 ? 0 : counts.censoredWeight / counts.cpuWeight;
    }

    /**
     * Returns the CPU seconds of readings recorded (the histogram's weight before decay).
     *
     * @return seconds of CPU readings
     */
    public synchronized double cpuSeconds() {
        return counts.cpuWeight;
    }

    /**
     * Returns the most cores any reading showed.
     *
     * @return cores
     */
    public synchronized double maxCpuCores() {
        return counts.maxCpuCores;
    }

    /**
     * Returns the most memory any reading showed.
     *
     * @return bytes
     */
    public synchronized long maxMemoryBytes() {
        return counts.maxMemoryBytes;
    }

    /**
     * Returns the OOM kills seen: the container ended by the OOM killer (once per stop) and
     * processes killed in it while it ran.
     *
     * @return the count
     */
    public synchronized long oomKills() {
        return counts.oomKills;
    }

    /**
     * Returns the highest memory limit an OOM kill happened under.
     *
     * @return bytes, empty when no kill was seen under a limit
     */
    public synchronized OptionalLong oomLimitBytes() {
        return counts.maxOomLimitBytes < 0 ? OptionalLong.empty() : OptionalLong.of(counts.maxOomLimitBytes);
    }

    /**
     * Returns the most tasks any reading showed.
     *
     * @return the count
     */
    public synchronized long maxPids() {
        return counts.maxPids;
    }

    /**
     * Returns the most swap any reading showed.
     *
     * @return bytes, empty when no reading reported swap
     */
    public synchronized OptionalLong maxSwapBytes() {
        return counts.maxSwapBytes < 0 ? OptionalLong.empty() : OptionalLong.of(counts.maxSwapBytes);
    }

    /**
     * Returns the CPU limit of the latest reading, in cores, when it was the container's own
     * (a quota or nano-CPUs, not a cpuset or the host).
     *
     * @return cores, empty when the container had no CPU limit of its own
     */
    public synchronized Optional<BigDecimal> cpuLimitCores() {
        return Optional.ofNullable(counts.cpuLimitCores);
    }

    /**
     * Returns the cores its cpuset and host give the container, when a reading showed them: one
     * with no CPU limit of its own, or with one above them. A reading under a smaller limit of its
     * own does not tell.
     *
     * @return cores, empty when no reading told
     */
    public synchronized Optional<BigDecimal> availableCores() {
        return Optional.ofNullable(counts.availableCores);
    }

    /**
     * Returns the memory limit of the latest reading.
     *
     * @return bytes, empty when unlimited or before any reading
     */
    public synchronized OptionalLong memoryLimitBytes() {
        return counts.memoryLimitBytes < 0 ? OptionalLong.empty() : OptionalLong.of(counts.memoryLimitBytes);
    }

    /**
     * Returns the pids limit of the latest reading.
     *
     * @return the limit, empty when unlimited or before any reading
     */
    public synchronized OptionalLong pidsLimit() {
        return counts.pidsLimit < 0 ? OptionalLong.empty() : OptionalLong.of(counts.pidsLimit);
    }

    /**
     * Returns the history as data, to keep in a file; {@link Recommender#restore} makes it a
     * history again.
     *
     * @return the checkpoint
     */
    public synchronized HistoryCheckpoint checkpoint() {
        Counts c = counts;
        return new HistoryCheckpoint(container, c.samples, Optional.ofNullable(c.first), Optional.ofNullable(c.last),
                c.cpuWeight, c.censoredWeight, c.maxCpuCores, Optional.ofNullable(c.cpuLimitCores),
                Optional.ofNullable(c.availableCores), optional(c.memoryLimitBytes), optional(c.pidsLimit),
                c.maxMemoryBytes, c.oomKills, optional(c.maxOomLimitBytes), c.maxPids, optional(c.maxSwapBytes),
                Optional.ofNullable(c.peakWindowStart), c.peakWindowBytes, HistoryCheckpoint.Histogram.of(cpu),
                HistoryCheckpoint.Histogram.of(memoryPeaks),
                new java.util.TreeMap<>(HistoryCheckpoint.lastTimes(c.sources)));
    }

    /** Counts from a checkpoint, for {@link Recommender#restore}. */
    static Counts counts(HistoryCheckpoint k) {
        Counts c = new Counts();
        c.samples = k.samples();
        c.first = k.first().orElse(null);
        c.last = k.last().orElse(null);
        c.cpuWeight = k.cpuSeconds();
        c.censoredWeight = k.censoredSeconds();
        c.maxCpuCores = k.maxCpuCores();
        c.cpuLimitCores = k.cpuLimitCores().orElse(null);
        c.availableCores = k.availableCores().orElse(null);
        c.memoryLimitBytes = k.memoryLimitBytes().orElse(-1);
        c.pidsLimit = k.pidsLimit().orElse(-1);
        c.maxMemoryBytes = k.maxMemoryBytes();
        c.oomKills = k.oomKills();
        c.maxOomLimitBytes = k.oomLimitBytes().orElse(-1);
        c.maxPids = k.maxPids();
        c.maxSwapBytes = k.maxSwapBytes().orElse(-1);
        c.peakWindowStart = k.peakWindowStart().orElse(null);
        c.peakWindowBytes = k.peakWindowBytes();
        k.sources().forEach((name, last) -> c.sources.put(name, new Source(last, false)));
        return c;
    }

    private static OptionalLong optional(long value) {
        return value < 0 ? OptionalLong.empty() : OptionalLong.of(value);
    }

    /** The settings it was made with (half-lives, peak window, OOM bump). */
    Recommender settings() {
        return settings;
    }

    /** Runs {@code action} on the histograms under the history's lock (percentiles, checkpoints). */
    synchronized <T> T withHistograms(HistogramAction<T> action) {
        return action.apply(cpu, memoryPeaks, counts);
    }

    /** What {@link #withHistograms} runs. */
    @FunctionalInterface
    interface HistogramAction<T> {
        T apply(DecayingHistogram cpu, DecayingHistogram memoryPeaks, Counts counts);
    }

    @Override
    public synchronized String toString() {
        return "UsageHistory[" + container + ", " + counts.samples + " readings over " + span() + "]";
    }
}
