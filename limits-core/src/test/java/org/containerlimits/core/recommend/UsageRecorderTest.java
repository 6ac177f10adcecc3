package org.containerlimits.core.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.containerlimits.core.recommend.Histories.MIB;
import static org.containerlimits.core.recommend.Histories.START;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.usage.LimitsReading;
import org.junit.jupiter.api.Test;

class UsageRecorderTest {
    private static final Recommender RECOMMENDER = Recommender.defaults();

    private static LimitsReading of(String container, Instant time, double cores, long memory) {
        LimitsReading r = Histories.running(time, cores, memory);
        return new LimitsReading(container, r.time(), r.interval(), r.state(), r.source(), r.cpuCores(),
                r.cpuCapacity(), r.cpuPercentOfLimit(), r.dockerCpuPercent(), r.throttledRatio(), r.throttledTime(),
                r.cpuPressure(), r.memoryBytes(), r.memoryLimitBytes(), r.memoryPercentOfLimit(), r.swapBytes(), r.pids(),
                r.pidsLimit(), r.oomKilled(), r.oomKills(), r.oomKillsInInterval());
    }

    @Test
    void a_pollersBatches_goToEachContainersHistory() {
        UsageRecorder recorder = new UsageRecorder(RECOMMENDER);
        for (int i = 1; i <= 10; i++) {
            recorder.accept(List.of(of("a", START.plusSeconds(60L * i), 0.5, 100 * MIB),
                    of("b", START.plusSeconds(60L * i), 1.0, 200 * MIB)));
        }
        assertThat(recorder.history("a").orElseThrow().samples()).isEqualTo(10);
        assertThat(recorder.history("b").orElseThrow().maxCpuCores()).isEqualTo(1.0);
        assertThat(recorder.history("c")).isEmpty();
    }

    @Test
    void a_servicesTasks_readSideBySide_allCountInTheServicesHistory() {
        UsageRecorder recorder = new UsageRecorder(RECOMMENDER);
        for (int i = 1; i <= 10; i++) {
            Instant t = START.plusSeconds(60L * i);
            // Two tasks read at the same instant: neither is a repeat of the other.
            assertThat(recorder.record("web", of("task-1", t, 0.2, 100 * MIB))).isTrue();
            assertThat(recorder.record("web", of("task-2", t, 0.6, 300 * MIB))).isTrue();
            assertThat(recorder.record("web", of("task-2", t, 0.6, 300 * MIB))).isFalse();
        }
        UsageHistory web = recorder.history("web").orElseThrow();
        assertThat(web.samples()).isEqualTo(20);
        assertThat(web.maxMemoryBytes()).as("the peak of the busier task").isEqualTo(300 * MIB);
        assertThat(web.cpuSeconds()).isEqualTo(20 * 60.0);
    }

    @Test
    void histories_areBounded_theLeastRecentlyRecordedDropped() {
        UsageRecorder recorder = new UsageRecorder(RECOMMENDER, 2);
        recorder.record("a", of("a", START.plusSeconds(1), 0.1, MIB));
        recorder.record("b", of("b", START.plusSeconds(1), 0.1, MIB));
        recorder.record("a", of("a", START.plusSeconds(2), 0.1, MIB));
        recorder.record("c", of("c", START.plusSeconds(2), 0.1, MIB));
        assertThat(recorder.histories()).extracting(UsageHistory::container).containsExactly("a", "c");
        assertThat(recorder.dropped()).isEqualTo(1);
        assertThatThrownBy(() -> new UsageRecorder(RECOMMENDER, 0)).hasMessage("maxHistories 0 must be at least 1");
    }

    @Test
    void a_checkpoint_restoresTheSameHistory_andTheSameRecommendation() {
        UsageHistory history = RECOMMENDER.newHistory("c");
        for (int i = 1; i <= 600; i++) {
            history.record(Histories.running(START.plusSeconds(60L * i), Duration.ofMinutes(1), i % 10 == 0 ? 0.5 : 0.3,
                    0.5, i % 10 == 0, (200 + i / 10) * MIB, 1024 * MIB, 4, i == 300 ? 1 : 0));
        }
        HistoryCheckpoint saved = history.checkpoint();
        UsageHistory restored = RECOMMENDER.restore(saved);
        assertThat(restored.checkpoint()).isEqualTo(saved);
        ResourceLimits current = ResourceLimits.parse("mem_limit=1g,nano_cpus=500000000");
        Recommendation before = RECOMMENDER.recommend(history, current);
        Recommendation after = RECOMMENDER.recommend(restored, current);
        assertThat(after.recommended()).isEqualTo(before.recommended());
        assertThat(after.evidence()).isEqualTo(before.evidence());
        // A reading already in the checkpoint is not counted twice.
        assertThat(restored.record(Histories.running(START.plusSeconds(60), 0.3, 200 * MIB))).isFalse();
    }

    @Test
    void a_checkpoint_refusesImpossibleCounts_namingThem() {
        HistoryCheckpoint good = RECOMMENDER.newHistory("c").checkpoint();
        assertThatThrownBy(() -> new HistoryCheckpoint("c", -1, Optional.empty(), Optional.empty(), 0, 0, 0,
                Optional.empty(), Optional.empty(), OptionalLong.empty(), OptionalLong.empty(), 0, 0, OptionalLong.empty(),
                0, OptionalLong.empty(), Optional.empty(), -1, good.cpu(), good.memoryPeaks(), new TreeMap<>()))
                .hasMessage("samples -1 must be at least 0");
        assertThatThrownBy(() -> new HistoryCheckpoint("c", 1, Optional.empty(), Optional.empty(), 1, 2, 0,
                Optional.empty(), Optional.empty(), OptionalLong.empty(), OptionalLong.empty(), 0, 0, OptionalLong.empty(),
                0, OptionalLong.empty(), Optional.empty(), -1, good.cpu(), good.memoryPeaks(), new TreeMap<>()))
                .hasMessage("censoredSeconds 2.0 must be at most cpuSeconds 1.0");
        assertThatThrownBy(() -> new HistoryCheckpoint.Histogram(Duration.ofHours(1), START, new TreeMap<>(Map.of(1, 1.0)))
                .restore(DecayingHistogram.Kind.CPU).percentile(2)).hasMessage("percentile 2.0 must be between 0 and 1");
    }
}
