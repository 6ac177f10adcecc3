package org.containerlimits.core.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.containerlimits.core.recommend.Histories.MIB;
import static org.containerlimits.core.recommend.Histories.START;
import static org.containerlimits.core.recommend.Histories.running;

import java.time.Duration;
import java.time.Instant;
import java.util.function.IntFunction;
import org.containerlimits.core.CpuLimit;
import org.containerlimits.core.MemorySize;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.policy.LimitsPolicy;
import org.containerlimits.core.usage.LimitsReading;
import org.junit.jupiter.api.Test;

class RecommenderTest {
    private static final Recommender RECOMMENDER = Recommender.defaults();
    private static final ResourceLimits CURRENT = ResourceLimits.parse("mem_limit=1g,nano_cpus=2000000000");

    /** Feeds one reading a minute for {@code minutes} to both this library's history and VPA's formula. */
    private record Fed(UsageHistory history, VpaReference cpu, VpaReference memory) {
    }

    private static Fed feed(int minutes, IntFunction<LimitsReading> reading) {
        UsageHistory history = RECOMMENDER.newHistory("c");
        VpaReference cpu = VpaReference.cpu();
        VpaReference memory = VpaReference.memory();
        Instant window = null;
        long peak = 0;
        for (int i = 1; i <= minutes; i++) {
            LimitsReading r = reading.apply(i);
            history.record(r);
            cpu.add(r.cpuCores(), 60, r.time());
            // VPA's memory: one peak per 24 h window, dated at its start.
            Instant start = Instant.ofEpochMilli(Math.floorDiv(r.time().toEpochMilli(), 86_400_000L) * 86_400_000L);
            if (!start.equals(window)) {
                if (window != null) {
                    memory.add(peak, 1, window);
                }
                window = start;
                peak = 0;
            }
            peak = Math.max(peak, r.memoryBytes());
        }
        memory.add(peak, 1, window);
        return new Fed(history, cpu, memory);
    }

    private static double cores(ResourceLimits limits) {
        return limits.cpu().orElseThrow().cores().doubleValue();
    }

    private static long bytes(ResourceLimits limits) {
        return limits.memory().orElseThrow().toBytes();
    }

    private static long mebibytesUp(double bytes) {
        return (long) Math.ceil(bytes / MIB) * MIB;
    }

    @Test
    void steady_usage_isTheTargetPercentilePlusTheMargin_asVpaComputesIt() {
        Fed fed = feed(24 * 60, i -> running(START.plusSeconds(60L * i), 0.3, 400 * MIB));
        Recommendation r = RECOMMENDER.recommend(fed.history(), CURRENT);

        assertThat(cores(r.recommended())).isCloseTo(fed.cpu().cpuTargetCores(), within(0.001))
                .isBetween(0.3 * 1.15, 0.3 * 1.08 * 1.15 + 0.001); // a bucket near 0.3 is 8% wide
        assertThat(bytes(r.recommended())).isEqualTo(mebibytesUp(fed.memory().memoryTargetBytes()));
        assertThat(bytes(r.recommended())).isBetween(mebibytesUp(400 * MIB * 1.15), mebibytesUp(400 * MIB * 1.08 * 1.15));
        assertThat(r.recommended().memoryReservation().orElseThrow()).isEqualTo(r.recommended().memory().orElseThrow());
        assertThat(r.recommended().pidsLimit().orElseThrow().max().getAsLong()).isEqualTo(64);
        assertThat(r.confidence()).isCloseTo(1.0, within(0.01));
        assertThat(r.notes()).isEmpty();
    }

    @Test
    void bursty_usage_followsTheBursts_whenTheyAreMoreThanTenPercentOfTheTime() {
        // Four minutes in five at 0.1 cores, one at 1.5: the 90th percentile is a burst.
        Fed fed = feed(24 * 60, i -> running(START.plusSeconds(60L * i), i % 5 == 0 ? 1.5 : 0.1, 300 * MIB));
        Recommendation r = RECOMMENDER.recommend(fed.history(), CURRENT);
        assertThat(cores(r.recommended())).isCloseTo(fed.cpu().cpuTargetCores(), within(0.001)).isGreaterThan(1.5 * 1.15);
        assertThat(r.evidence().cpuLowerCores()).isLessThan(0.115);

        // One in twenty: the bursts fall above the 90th percentile, as VPA would have it.
        Fed rare = feed(24 * 60, i -> running(START.plusSeconds(60L * i), i % 20 == 0 ? 1.5 : 0.1, 300 * MIB));
        assertThat(cores(RECOMMENDER.recommend(rare.history(), CURRENT).recommended()))
                .isCloseTo(rare.cpu().cpuTargetCores(), within(0.001)).isLessThan(0.13);
    }

    @Test
    void a_memoryLeak_isFollowed_recentPeaksWeighingMore() {
        // A week, memory growing 100 MiB a day from 300 MiB: the daily peaks are 400 .. 1000 MiB.
        Fed fed = feed(7 * 24 * 60, i -> running(START.plusSeconds(60L * i), 0.2,
                (long) (300 * MIB + 100 * MIB * (i / 1440.0))));
        Recommendation r = RECOMMENDER.recommend(fed.history(), CURRENT);
        assertThat(bytes(r.recommended())).isEqualTo(mebibytesUp(fed.memory().memoryTargetBytes()))
                .isGreaterThan(mebibytesUp(1000 * MIB * 1.15) - 1);
        assertThat(r.evidence().maxMemoryBytes()).isGreaterThanOrEqualTo(1000 * MIB - 1);
    }

    @Test
    void an_oomKill_raisesMemoryToAtLeastTheBumpOfTheLimitItHit() {
        UsageHistory history = RECOMMENDER.newHistory("c");
        for (int i = 1; i <= 30; i++) {
            history.record(running(START.plusSeconds(i), Duration.ofSeconds(1), 0.1, 1, false, 60 * MIB, 64 * MIB, 2, 0));
        }
        // The poller reads the stopped container every round: one kill, not three.
        for (int i = 31; i <= 33; i++) {
            history.record(Histories.oomKilled(START.plusSeconds(i), 64 * MIB));
        }
        Recommendation r = RECOMMENDER.recommend(history, ResourceLimits.parse("mem_limit=64m"));
        assertThat(r.evidence().oomKills()).isEqualTo(1);
        assertThat(bytes(r.recommended())).isGreaterThanOrEqualTo(164 * MIB);
        assertThat(r.notes()).anyMatch(n -> n.contains("1 OOM kill seen under a limit of 64m"));

        // Under 1g, the bump is 1.2 x: 1228.8m, rounded up to whole MiB.
        UsageHistory big = RECOMMENDER.newHistory("c");
        big.record(running(START.plusSeconds(1), Duration.ofSeconds(1), 0.1, 1, false, 900 * MIB, 1024 * MIB, 2, 2));
        assertThat(bytes(RECOMMENDER.recommend(big, CURRENT).recommended())).isGreaterThanOrEqualTo(1229 * MIB);
    }

    @Test
    void censored_cpu_isRaisedAboveTheLimit_whereVpaRepeatsTheLimitThatThrottlesIt() {
        // Held at 0.5 cores every minute for a day: it used all it was given.
        Fed fed = feed(24 * 60, i -> running(START.plusSeconds(60L * i), Duration.ofMinutes(1), 0.5, 0.5, true,
                300 * MIB, 1024 * MIB, 4, 0));
        Recommendation r = RECOMMENDER.recommend(fed.history(), ResourceLimits.parse("nano_cpus=500000000"));

        double vpa = fed.cpu().cpuTargetCores();
        assertThat(vpa).as("VPA: just above the limit").isBetween(0.5, 0.6);
        assertThat(cores(r.recommended())).as("here: double the limit, plus the margin").isEqualTo(1.15);
        assertThat(r.evidence().isCpuCensored(0.9)).isTrue();
        assertThat(r.evidence().censoredShare()).isEqualTo(1.0);
        assertThat(r.notes()).anyMatch(n -> n.startsWith("CPU held at its limit (0.5 cores) in 100% of the time"));

        // Held only now and then (5% of the time): not censored, and the two agree again.
        Fed sometimes = feed(24 * 60, i -> running(START.plusSeconds(60L * i), Duration.ofMinutes(1),
                i % 20 == 0 ? 0.5 : 0.2, 0.5, i % 20 == 0, 300 * MIB, 1024 * MIB, 4, 0));
        Recommendation s = RECOMMENDER.recommend(sometimes.history(), ResourceLimits.parse("nano_cpus=500000000"));
        assertThat(s.evidence().isCpuCensored(0.9)).isFalse();
        assertThat(cores(s.recommended())).isCloseTo(sometimes.cpu().cpuTargetCores(), within(0.001));
    }

    @Test
    void the_quotaForm_isKept_atItsPeriod() {
        Fed fed = feed(60, i -> running(START.plusSeconds(60L * i), 0.3, 400 * MIB));
        Recommendation r = RECOMMENDER.recommend(fed.history(), ResourceLimits.parse("cpu_quota=50000,cpu_period=50000"));
        CpuLimit cpu = r.recommended().cpu().orElseThrow();
        assertThat(cpu.isQuotaForm()).isTrue();
        assertThat(cpu.cfsPeriodMicros()).hasValue(50_000);
        assertThat(r.changes().toDockerPy()).containsKeys("cpu_quota", "cpu_period", "mem_limit", "mem_reservation");
    }

    @Test
    void minimums_apply_andAreSaid() {
        Fed fed = feed(60, i -> running(START.plusSeconds(60L * i), 0.001, 20 * MIB));
        Recommendation r = RECOMMENDER.recommend(fed.history(), CURRENT);
        assertThat(r.recommended().cpu()).contains(CpuLimit.ofMillicores(25));
        assertThat(r.recommended().memory()).contains(MemorySize.ofMebibytes(250));
        assertThat(r.notes()).contains("CPU raised to the minimum of 0.025 cores", "memory raised to the minimum of 250m");
        assertThat(r.confidence()).isCloseTo(60 / 1440.0, within(0.001));
    }

    @Test
    void a_policy_clampsTheRecommendation_andSaysSo() {
        Fed fed = feed(60, i -> running(START.plusSeconds(60L * i), 1.8, 3000 * MIB));
        LimitsPolicy policy = LimitsPolicy.builder().maxMemory(MemorySize.parse("2g")).maxCpu(CpuLimit.parse("1.5")).build();
        Recommendation r = RECOMMENDER.recommend(fed.history(), CURRENT, policy);
        assertThat(r.recommended().memory()).contains(MemorySize.parse("2g"));
        assertThat(r.recommended().cpu().orElseThrow().cores()).isEqualByComparingTo("1.5");
        assertThat(r.adjustments()).extracting(LimitsPolicy.Adjustment::field).contains("mem_limit", "nano_cpus");
        assertThat(r.notes()).anyMatch(n -> n.startsWith("policy: "));
    }

    @Test
    void an_emptyHistory_changesNothing() {
        Recommendation r = RECOMMENDER.recommend(RECOMMENDER.newHistory("c"), CURRENT);
        assertThat(r.recommended()).isEqualTo(CURRENT);
        assertThat(r.changes()).isEqualTo(ResourceLimits.none());
        assertThat(r.confidence()).isZero();
    }

    @Test
    void readings_outOfOrder_orRepeated_countOnce() {
        UsageHistory history = RECOMMENDER.newHistory("c");
        LimitsReading r = running(START.plusSeconds(60), 0.3, 400 * MIB);
        assertThat(history.record(r)).isTrue();
        assertThat(history.record(r)).isFalse();
        assertThat(history.record(running(START, 0.3, 400 * MIB))).isFalse();
        assertThat(history.samples()).isEqualTo(1);
    }

    @Test
    void settings_refuseNonsense_namingIt() {
        assertThatThrownBy(() -> RECOMMENDER.withSafetyMargin(-0.1)).hasMessage("safety margin -0.1 must be between 0 and 10");
        assertThatThrownBy(() -> RECOMMENDER.withCensoredGrowth(1)).hasMessageContaining("censored CPU growth 1.0");
        assertThatThrownBy(() -> RECOMMENDER.withHalfLives(Duration.ZERO, Duration.ofHours(1)))
                .hasMessage("cpu PT0S must be at least 1 ms");
        assertThatThrownBy(() -> RECOMMENDER.withMinimums(CpuLimit.ofMillicores(25), MemorySize.ofMebibytes(1)))
                .hasMessageContaining("minimum memory 1m must be at least 6m");
    }
}
