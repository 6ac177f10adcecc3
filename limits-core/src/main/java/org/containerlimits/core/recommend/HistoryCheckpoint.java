package org.containerlimits.core.recommend;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A {@link UsageHistory} as plain data, to keep in a file and restore later
 * ({@link UsageHistory#checkpoint()}, {@link Recommender#restore}): VPA's checkpoints for plain
 * Docker. Its size does not grow with the readings: two histograms of at most a few hundred
 * buckets, the counts, and the last reading time of at most
 * {@value UsageHistory#MAX_SOURCES} containers.
 *
 * <pre>{@code
 * HistoryCheckpoint saved = history.checkpoint();
 * // ... written out, read back in another process
 * UsageHistory again = Recommender.defaults().restore(saved);
 * }</pre>
 *
 * @param container the history's container (or service)
 * @param samples readings recorded
 * @param first the first reading's time, empty before any
 * @param last the last reading's time, empty before any
 * @param cpuSeconds seconds of CPU readings recorded
 * @param censoredSeconds of those, seconds held at the CPU limit
 * @param maxCpuCores the most cores a reading showed
 * @param cpuLimitCores the latest CPU limit of its own, empty when none
 * @param availableCores the cores its cpuset and host give, when a reading showed them
 * @param memoryLimitBytes the latest memory limit, empty when unlimited
 * @param pidsLimit the latest pids limit, empty when unlimited
 * @param maxMemoryBytes the most memory a reading showed
 * @param oomKills OOM kills seen
 * @param oomLimitBytes the highest memory limit an OOM kill happened under, empty when none
 * @param maxPids the most tasks a reading showed
 * @param maxSwapBytes the most swap a reading showed, empty when none reported swap
 * @param peakWindowStart the current memory window's start, empty before any memory reading
 * @param peakWindowBytes that window's peak so far
 * @param cpu the CPU histogram
 * @param memoryPeaks the memory peaks histogram
 * @param sources each container's last reading time
 */
public record HistoryCheckpoint(String container, long samples, Optional<Instant> first, Optional<Instant> last,
        double cpuSeconds, double censoredSeconds, double maxCpuCores, Optional<BigDecimal> cpuLimitCores,
        Optional<BigDecimal> availableCores, OptionalLong memoryLimitBytes, OptionalLong pidsLimit,
        long maxMemoryBytes, long oomKills, OptionalLong oomLimitBytes, long maxPids, OptionalLong maxSwapBytes,
        Optional<Instant> peakWindowStart, long peakWindowBytes, Histogram cpu, Histogram memoryPeaks,
        SortedMap<String, Instant> sources) {

    /**
     * One {@link DecayingHistogram} as data.
     *
     * @param halfLife its half-life
     * @param reference the instant its weights are relative to
     * @param buckets each non-empty bucket's weight, by index
     */
    public record Histogram(Duration halfLife, Instant reference, SortedMap<Integer, Double> buckets) {
        /**
         * Checks and copies the components.
         *
         * @param halfLife half-life
         * @param reference reference
         * @param buckets weights
         */
        public Histogram {
            Objects.requireNonNull(halfLife, "halfLife");
            Objects.requireNonNull(reference, "reference");
            buckets = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(buckets));
        }

        static Histogram of(DecayingHistogram h) {
            return new Histogram(h.halfLife(), h.reference(), new TreeMap<>(h.bucketWeights()));
        }

        DecayingHistogram restore(DecayingHistogram.Kind kind) {
            return DecayingHistogram.restore(kind, halfLife, reference, buckets);
        }
    }

    /**
     * Checks the components: counts and seconds not negative, censored seconds not above the CPU
     * seconds, no more sources than a history keeps.
     *
     * @param container container
     * @param samples samples
     * @param first first
     * @param last last
     * @param cpuSeconds CPU seconds
     * @param censoredSeconds censored seconds
     * @param maxCpuCores most cores
     * @param cpuLimitCores CPU limit
     * @param availableCores available cores
     * @param memoryLimitBytes memory limit
     * @param pidsLimit pids limit
     * @param maxMemoryBytes most memory
     * @param oomKills OOM kills
     * @param oomLimitBytes limit of the OOM kills
     * @param maxPids most tasks
     * @param maxSwapBytes most swap
     * @param peakWindowStart memory window
     * @param peakWindowBytes its peak
     * @param cpu CPU histogram
     * @param memoryPeaks memory histogram
     * @param sources last reading times
     * @throws IllegalArgumentException naming the component and the rule
     */
    public HistoryCheckpoint {
        Objects.requireNonNull(container, "container");
        for (Object o : new Object[] {first, last, cpuLimitCores, availableCores, memoryLimitBytes, pidsLimit,
                oomLimitBytes, maxSwapBytes, peakWindowStart, cpu, memoryPeaks, sources}) {
            Objects.requireNonNull(o, "a checkpoint's component");
        }
        notNegative("samples", samples);
        notNegative("cpuSeconds", cpuSeconds);
        notNegative("censoredSeconds", censoredSeconds);
        notNegative("maxCpuCores", maxCpuCores);
        notNegative("maxMemoryBytes", maxMemoryBytes);
        notNegative("oomKills", oomKills);
        notNegative("maxPids", maxPids);
        if (censoredSeconds > cpuSeconds) {
            throw new IllegalArgumentException("censoredSeconds " + censoredSeconds + " must be at most cpuSeconds "
                    + cpuSeconds);
        }
        if (sources.size() > UsageHistory.MAX_SOURCES) {
            throw new IllegalArgumentException("sources: " + sources.size() + " containers, at most "
                    + UsageHistory.MAX_SOURCES);
        }
        sources = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(sources));
    }

    private static void notNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " " + value + " must be at least 0");
        }
    }

    private static void notNegative(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " " + value + " must be a finite number of at least 0");
        }
    }

    static Map<String, Instant> lastTimes(Map<String, UsageHistory.Source> sources) {
        TreeMap<String, Instant> times = new TreeMap<>();
        sources.forEach((name, source) -> times.put(name, source.last));
        return times;
    }
}
