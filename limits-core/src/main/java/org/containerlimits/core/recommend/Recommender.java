package org.containerlimits.core.recommend;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.containerlimits.core.CpuLimit;
import org.containerlimits.core.MemorySize;
import org.containerlimits.core.PidsLimit;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.SwapLimit;
import org.containerlimits.core.policy.LimitsPolicy;

/**
 * Right-sizes a container's limits from what it used, in the manner of the Kubernetes Vertical
 * Pod Autoscaler's recommender, whose published defaults are this class's: a pure model, no
 * daemon, fed by {@link UsageHistory}.
 *
 * <h2>The rules</h2>
 * <table class="striped">
 *   <caption>How each recommended field is worked out</caption>
 *   <thead><tr><th>field</th><th>rule</th><th>default (VPA's)</th></tr></thead>
 *   <tbody>
 *   <tr><td>CPU limit ({@code nano_cpus}, or the quota at the current period)</td>
 *       <td>the target percentile of cores used, plus the margin, at least the minimum</td>
 *       <td>90th percentile, 15%, 25 millicores</td></tr>
 *   <tr><td>CPU, <b>censored</b></td><td>when the container was held at its CPU limit in more of its
 *       time than lies above the target percentile, the percentile measured the limit, not the
 *       demand: the limit is multiplied by the growth factor (then the margin) instead, so a
 *       container throttled at 0.5 cores is offered 1.15; VPA would offer 0.58 and throttle it
 *       again</td><td>growth 2</td></tr>
 *   <tr><td>{@code mem_limit}</td><td>the target percentile of per-window memory peaks, plus the
 *       margin, at least the minimum, in whole MiB</td><td>90th, 24 h windows, 15%, 250 MiB</td></tr>
 *   <tr><td>after an OOM kill</td><td>a peak of at least {@code max(1.2 x limit, limit + 100 MiB)}
 *       is recorded, so {@code mem_limit} clears it</td><td>1.2, 100 MiB</td></tr>
 *   <tr><td>{@code mem_reservation}</td><td>the lower percentile of peaks plus the margin, at least
 *       the minimum, at most {@code mem_limit}</td><td>50th</td></tr>
 *   <tr><td>{@code memswap_limit}</td><td>when readings report swap: {@code mem_limit} plus the most
 *       swap used with the margin; otherwise the current swap allowance kept beside the new
 *       {@code mem_limit}</td><td></td></tr>
 *   <tr><td>{@code pids_limit}</td><td>twice the most tasks seen, at least the minimum</td>
 *       <td>64 (not VPA's: it has none)</td></tr>
 *   </tbody>
 * </table>
 * CPU is never recommended above what the container can reach (its cpuset, the host's CPUs). With
 * a {@link LimitsPolicy}, the result is clamped to its ceilings ({@link LimitsPolicy.Mode#CLAMP})
 * and every lowered field reported. Histories weigh readings by a half-life (VPA: 24 hours for
 * both CPU and memory), so a recommendation follows a container whose needs change.
 *
 * <pre>{@code
 * Recommender recommender = Recommender.defaults();
 * UsageHistory history = recommender.newHistory("jupyter-alice");
 * poller readings -> history.record(reading);      // or lines of `limits stats --json`
 * Recommendation r = recommender.recommend(history, currentLimits);
 * r.recommended();   // ResourceLimits: mem_limit=..., nano_cpus=..., pids_limit=...
 * }</pre>
 *
 * <p>Immutable and thread-safe; the {@code with} methods return changed copies.
 */
public final class Recommender {

    private static final long MIB = 1024L * 1024;

    private final double lowerPercentile;
    private final double targetPercentile;
    private final double upperPercentile;
    private final double safetyMargin;
    private final Duration cpuHalfLife;
    private final Duration memoryHalfLife;
    private final Duration memoryPeakWindow;
    private final CpuLimit minCpu;
    private final MemorySize minMemory;
    private final double oomBumpRatio;
    private final MemorySize oomMinBump;
    private final double censoredGrowth;
    private final long minPids;

    private Recommender(double lowerPercentile, double targetPercentile, double upperPercentile, double safetyMargin,
            Duration cpuHalfLife, Duration memoryHalfLife, Duration memoryPeakWindow, CpuLimit minCpu,
            MemorySize minMemory, double oomBumpRatio, MemorySize oomMinBump, double censoredGrowth, long minPids) {
        this.lowerPercentile = lowerPercentile;
        this.targetPercentile = targetPercentile;
        this.upperPercentile = upperPercentile;
        this.safetyMargin = safetyMargin;
        this.cpuHalfLife = cpuHalfLife;
        this.memoryHalfLife = memoryHalfLife;
        this.memoryPeakWindow = memoryPeakWindow;
        this.minCpu = minCpu;
        this.minMemory = minMemory;
        this.oomBumpRatio = oomBumpRatio;
        this.oomMinBump = oomMinBump;
        this.censoredGrowth = censoredGrowth;
        this.minPids = minPids;
    }

    /**
     * Returns the recommender with VPA's defaults: percentiles 50/90/95, a 15% margin, 24-hour
     * half-lives and memory windows, 25 millicores and 250 MiB at least, an OOM bump of
     * {@code max(1.2 x, + 100 MiB)}; and this library's own: censored CPU doubled, pids at least 64.
     *
     * @return the recommender
     */
    public static Recommender defaults() {
        return new Recommender(0.5, 0.9, 0.95, 0.15, Duration.ofHours(24), Duration.ofHours(24), Duration.ofHours(24),
                CpuLimit.ofMillicores(25), MemorySize.ofMebibytes(250), 1.2, MemorySize.ofMebibytes(100), 2.0, 64);
    }

    /**
     * Returns a copy with another safety margin.
     *
     * @param margin the share added to each percentile, 0 or more, such as 0.15
     * @return the copy
     */
    public Recommender withSafetyMargin(double margin) {
        if (!(margin >= 0 && margin <= 10)) {
            throw new IllegalArgumentException("safety margin " + margin + " must be between 0 and 10");
        }
        return new Recommender(lowerPercentile, targetPercentile, upperPercentile, margin, cpuHalfLife, memoryHalfLife,
                memoryPeakWindow, minCpu, minMemory, oomBumpRatio, oomMinBump, censoredGrowth, minPids);
    }

    /**
     * Returns a copy whose new histories weigh readings by other half-lives.
     *
     * @param cpu the CPU histogram's half-life, at least 1 ms
     * @param memory the memory histogram's half-life, at least 1 ms
     * @return the copy
     */
    public Recommender withHalfLives(Duration cpu, Duration memory) {
        return new Recommender(lowerPercentile, targetPercentile, upperPercentile, safetyMargin, atLeastMilli(cpu, "cpu"),
                atLeastMilli(memory, "memory"), memoryPeakWindow, minCpu, minMemory, oomBumpRatio, oomMinBump,
                censoredGrowth, minPids);
    }

    /**
     * Returns a copy whose new histories keep one memory peak per window of this length.
     *
     * @param window the window, at least 1 ms
     * @return the copy
     */
    public Recommender withMemoryPeakWindow(Duration window) {
        return new Recommender(lowerPercentile, targetPercentile, upperPercentile, safetyMargin, cpuHalfLife,
                memoryHalfLife, atLeastMilli(window, "memory peak window"), minCpu, minMemory, oomBumpRatio, oomMinBump,
                censoredGrowth, minPids);
    }

    /**
     * Returns a copy with other minimums.
     *
     * @param cpu the least CPU limit recommended
     * @param memory the least memory limit and reservation recommended, at least 6 MiB
     * @return the copy
     */
    public Recommender withMinimums(CpuLimit cpu, MemorySize memory) {
        Objects.requireNonNull(cpu, "cpu");
        if (memory.compareTo(ResourceLimits.MIN_MEMORY) < 0) {
            throw new IllegalArgumentException("minimum memory " + memory + " must be at least "
                    + ResourceLimits.MIN_MEMORY + ", the daemon's least memory limit");
        }
        return new Recommender(lowerPercentile, targetPercentile, upperPercentile, safetyMargin, cpuHalfLife,
                memoryHalfLife, memoryPeakWindow, cpu, memory, oomBumpRatio, oomMinBump, censoredGrowth, minPids);
    }

    /**
     * Returns a copy that multiplies a censored CPU limit by another factor.
     *
     * @param growth the factor, above 1
     * @return the copy
     */
    public Recommender withCensoredGrowth(double growth) {
        if (!(growth > 1 && growth <= 100)) {
            throw new IllegalArgumentException("censored CPU growth " + growth + " must be above 1 and at most 100");
        }
        return new Recommender(lowerPercentile, targetPercentile, upperPercentile, safetyMargin, cpuHalfLife,
                memoryHalfLife, memoryPeakWindow, minCpu, minMemory, oomBumpRatio, oomMinBump, growth, minPids);
    }

    /**
     * Starts an empty history for a container, with this recommender's half-lives and memory window.
     *
     * @param container the container's id or name (or a service's), as its readings name it
     * @return the history
     */
    public UsageHistory newHistory(String container) {
        return new UsageHistory(container, this, DecayingHistogram.forCpu(cpuHalfLife),
                DecayingHistogram.forMemory(memoryHalfLife), new UsageHistory.Counts());
    }

    /**
     * Makes a history of a checkpoint again: its histograms keep the half-lives they were recorded
     * with; the memory window and the OOM bump are this recommender's.
     *
     * @param checkpoint the checkpoint
     * @return the history, to record more readings into or recommend from
     * @throws IllegalArgumentException if a histogram's bucket is outside its kind's
     */
    public UsageHistory restore(HistoryCheckpoint checkpoint) {
        return new UsageHistory(checkpoint.container(), this, checkpoint.cpu().restore(DecayingHistogram.Kind.CPU),
                checkpoint.memoryPeaks().restore(DecayingHistogram.Kind.MEMORY), UsageHistory.counts(checkpoint));
    }

    /**
     * Recommends limits for a container.
     *
     * @param history what it used
     * @param current the limits it has; every field the rules do not cover is kept
     * @return the recommendation
     */
    public Recommendation recommend(UsageHistory history, ResourceLimits current) {
        return recommend(history, current, null);
    }

    /**
     * Recommends limits for a container within a policy's ceilings.
     *
     * @param history what it used
     * @param current the limits it has
     * @param policy ceilings the recommendation is clamped to, or {@code null} for none
     * @return the recommendation
     */
    public Recommendation recommend(UsageHistory history, ResourceLimits current, LimitsPolicy policy) {
        Objects.requireNonNull(current, "current");
        Evidence evidence = evidence(history);
        List<String> notes = new ArrayList<>();
        ResourceLimits.Builder next = current.toBuilder();

        if (history.cpuSeconds() > 0) {
            next.cpu(cpu(evidence, history, current, notes));
        } else {
            notes.add("no reading of the container running: CPU left as it is");
        }
        if (evidence.samples() > 0 && (history.maxMemoryBytes() > 0 || history.oomKills() > 0)) {
            memory(evidence, current, next, notes);
            long pids = Math.max(minPids, 2 * evidence.maxPids());
            next.pidsLimit(PidsLimit.of(pids));
        } else {
            notes.add("no reading of memory: memory and pids left as they are");
        }
        ResourceLimits recommended = next.build();
        List<LimitsPolicy.Adjustment> adjustments = List.of();
        if (policy != null) {
            LimitsPolicy.Resolution resolution = policy.withMode(LimitsPolicy.Mode.CLAMP).resolve(recommended);
            recommended = resolution.limits();
            adjustments = resolution.adjustments();
            for (LimitsPolicy.Adjustment a : adjustments) {
                notes.add("policy: " + a);
            }
        }
        return new Recommendation(history.container(), current, recommended, confidence(history), evidence, notes,
                adjustments);
    }

    private CpuLimit cpu(Evidence evidence, UsageHistory history, ResourceLimits current, List<String> notes) {
        double cores = evidence.cpuTargetCores();
        if (evidence.isCpuCensored(targetPercentile)) {
            double limit = evidence.cpuLimitCores().orElseThrow().doubleValue();
            notes.add(String.format(Locale.ROOT, "CPU held at its limit (%s cores) in %.0f%% of the time: it used what it"
                    + " was given, so demand is at least the limit; recommended %.1f x the limit instead of the"
                    + " %.0fth percentile", plain(limit), 100 * evidence.censoredShare(), censoredGrowth,
                    100 * targetPercentile));
            cores = Math.max(cores, limit * censoredGrowth);
        }
        cores *= 1 + safetyMargin;
        long millicores = (long) Math.ceil(cores * 1000 - 1e-9);
        if (millicores < minCpu.toNanoCpus() / 1_000_000) {
            millicores = minCpu.toNanoCpus() / 1_000_000;
            notes.add("CPU raised to the minimum of " + minCpu + " cores");
        }
        Optional<BigDecimal> reachable = history.availableCores();
        if (reachable.isPresent() && BigDecimal.valueOf(millicores, 3).compareTo(reachable.get()) > 0) {
            long most = reachable.get().movePointRight(3).setScale(0, RoundingMode.DOWN).longValueExact();
            notes.add(String.format(Locale.ROOT, "CPU of %s cores capped at the %s the container can reach (its cpuset"
                    + " or the host's CPUs)", plain(millicores / 1000.0), reachable.get().stripTrailingZeros()
                    .toPlainString()));
            millicores = most;
        }
        CpuLimit nano = CpuLimit.ofMillicores(millicores);
        Optional<CpuLimit> now = current.cpu();
        if (now.isPresent() && now.get().isQuotaForm()) {
            // Keep the form: the daemon refuses nano-CPUs beside a period already set.
            long period = now.get().cfsPeriodMicros().orElseThrow();
            return CpuLimit.ofQuota(Math.max(CpuLimit.MIN_QUOTA_MICROS, nano.quotaMicros(period)), period);
        }
        return nano;
    }

    private void memory(Evidence evidence, ResourceLimits current, ResourceLimits.Builder next, List<String> notes) {
        long limit = mebibytesUp(evidence.memoryTargetBytes() * (1 + safetyMargin));
        if (evidence.oomKills() > 0) {
            long floor = evidence.oomLimitBytes().isPresent() ? oomBump(evidence.oomLimitBytes().getAsLong()) : 0;
            notes.add(String.format(Locale.ROOT, "%d OOM kill%s seen%s", evidence.oomKills(),
                    evidence.oomKills() == 1 ? "" : "s", floor > 0 ? " under a limit of " + MemorySize.ofBytes(
                            evidence.oomLimitBytes().getAsLong()) + ": memory raised to at least "
                            + MemorySize.ofBytes(mebibytesUp(floor)) + " (max(1.2 x the limit, the limit + 100m))" : ""));
            limit = Math.max(limit, mebibytesUp(floor));
        }
        if (limit < minMemory.toBytes()) {
            notes.add("memory raised to the minimum of " + minMemory);
            limit = minMemory.toBytes();
        }
        long reservation = Math.min(limit, Math.max(minMemory.toBytes(),
                mebibytesUp(evidence.memoryLowerBytes() * (1 + safetyMargin))));
        next.memory(MemorySize.ofBytes(limit));
        next.memoryReservation(MemorySize.ofBytes(reservation));
        Optional<SwapLimit> swap = current.memorySwap();
        if (evidence.maxSwapBytes().isPresent()) {
            long allowance = mebibytesUp(evidence.maxSwapBytes().getAsLong() * (1 + safetyMargin));
            next.memorySwap(SwapLimit.of(MemorySize.ofBytes(limit + allowance)));
        } else if (swap.isPresent() && !swap.get().isUnlimited() && current.memory().isPresent()) {
            long allowance = swap.get().memoryPlusSwap().orElseThrow().toBytes() - current.memory().get().toBytes();
            next.memorySwap(SwapLimit.of(MemorySize.ofBytes(limit + allowance)));
        }
    }

    private Evidence evidence(UsageHistory history) {
        return history.withHistograms((cpu, peaks, counts) -> new Evidence(counts.samples,
                counts.first == null ? Duration.ZERO : Duration.between(counts.first, counts.last),
                cpu.percentile(lowerPercentile), cpu.percentile(targetPercentile), cpu.percentile(upperPercentile),
                counts.maxCpuCores, counts.cpuWeight == 0 ? 0 : counts.censoredWeight / counts.cpuWeight,
                Optional.ofNullable(counts.cpuLimitCores),
                (long) Math.ceil(peaks.percentile(lowerPercentile)), (long) Math.ceil(peaks.percentile(targetPercentile)),
                (long) Math.ceil(peaks.percentile(upperPercentile)), counts.maxMemoryBytes, counts.oomKills,
                counts.maxOomLimitBytes < 0 ? OptionalLong.empty() : OptionalLong.of(counts.maxOomLimitBytes),
                counts.maxPids, counts.maxSwapBytes < 0 ? OptionalLong.empty() : OptionalLong.of(counts.maxSwapBytes)));
    }

    /** VPA's confidence: the lesser of the days of history and of the readings over one a minute for a day. */
    private static double confidence(UsageHistory history) {
        double days = history.span().toMillis() / 86_400_000.0;
        double perMinuteDays = history.samples() / (60.0 * 24);
        return Math.min(1, Math.min(days, perMinuteDays));
    }

    /**
     * Returns the memory a peak sample of an OOM kill under a limit stands for: VPA's
     * {@code max(limit x 1.2, limit + 100 MiB)}.
     *
     * @param limitBytes the memory limit the kill happened under
     * @return bytes
     */
    public long oomBump(long limitBytes) {
        return Math.max((long) Math.ceil(limitBytes * oomBumpRatio), limitBytes + oomMinBump.toBytes());
    }

    /**
     * Returns the length of the windows a history keeps one memory peak of.
     *
     * @return the window
     */
    public Duration memoryPeakWindow() {
        return memoryPeakWindow;
    }

    /**
     * Returns the percentile the CPU and memory targets are taken at.
     *
     * @return 0.9 unless changed
     */
    public double targetPercentile() {
        return targetPercentile;
    }

    /**
     * Returns the CPU histogram's half-life.
     *
     * @return the half-life
     */
    public Duration cpuHalfLife() {
        return cpuHalfLife;
    }

    /**
     * Returns the memory histogram's half-life.
     *
     * @return the half-life
     */
    public Duration memoryHalfLife() {
        return memoryHalfLife;
    }

    private static long mebibytesUp(double bytes) {
        return (long) Math.ceil(bytes / MIB) * MIB;
    }

    private static String plain(double cores) {
        return BigDecimal.valueOf(cores).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    private static Duration atLeastMilli(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.toMillis() < 1) {
            throw new IllegalArgumentException(what + " " + d + " must be at least 1 ms");
        }
        return d;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Recommender[percentiles %.2f/%.2f/%.2f, margin %.2f, half-lives %s/%s,"
                + " memory window %s, minimums %s cores/%s, censored growth %.2f]", lowerPercentile, targetPercentile,
                upperPercentile, safetyMargin, cpuHalfLife, memoryHalfLife, memoryPeakWindow, minCpu, minMemory,
                censoredGrowth);
    }
}
