package org.containerlimits.docker.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.usage.LimitsReading;
import org.containerlimits.core.usage.LimitsReading.State;
import org.containerlimits.docker.AppliedLimits;
import org.containerlimits.docker.DaemonTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first reading of a saturated container, against the real daemon: it covers at least the
 * reader's minimum window (1 s by default), so it reads within the band of the readings after it,
 * at most 105% of the limit from the cgroup files and 110% through the API (a 250 ms first window
 * read 113.7% and 115.1%); and a poller's
 * readings never cover less either. For both sources.
 */
class FirstReadingIT extends DaemonTest {
    private static final Logger LOG = LoggerFactory.getLogger(FirstReadingIT.class);

    /** Eight busy loops under half a core, as {@code ContainmentIT}'s CPU burner: always at the quota. */
    private static final String EIGHT_LOOPS = "for i in 1 2 3 4 5 6 7 8; do yes > /dev/null & done; wait";

    private String burner() throws InterruptedException {
        AppliedLimits applied = docker.create(createCmd(List.of("sh", "-c", EIGHT_LOOPS)),
                ResourceLimits.parse("cpu_quota=50000,cpu_period=100000"));
        String id = containers.track(applied.containerId());
        client.startContainerCmd(id).exec();
        Thread.sleep(1500); // all eight loops running
        return id;
    }

    @ParameterizedTest
    @EnumSource(value = StatsSourceKind.class, names = {"CGROUP", "API"})
    void aSaturatedContainersFirstReading_coversTheWindow_andReadsAtItsLimit(StatsSourceKind kind)
            throws InterruptedException {
        String id = burner();
        List<LimitsReading> firsts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            try (StatsReader reader = StatsReader.of(client, kind)) {
                long start = System.nanoTime();
                LimitsReading first = reader.read(id);
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                firsts.add(first);
                assertThat(first.state()).isEqualTo(State.RUNNING);
                assertThat(first.interval()).isGreaterThanOrEqualTo(StatsReader.DEFAULT_MIN_WINDOW);
                // Cgroup source: the reader ends the 1 s window within 2 ms of 10 whole CFS periods (a
                // sleep that overran waits on to the next period), so every burst is in or out: 105% at
                // most, as every reading after it (seen 99.4% to 102.4%; 105.1% once, in a full CI
                // run, before the overrun rule). API source: the daemon picks its samples' instants,
                // about 1 s apart but not on period edges, and one burst of the quota more at an edge
                // is 110%, the band of every API reading (StatsReaderIT). A busy shared host may hold
                // it far below its limit.
                double most = kind == StatsSourceKind.CGROUP ? 105.0 : 110.0;
                assertThat(first.cpuPercentOfLimit()).as("first reading, %% of the limit").isBetween(25.0, most);
                // read blocks for the window: the cgroup source times it; the API source waits for the
                // daemon's samples, at least as long apart by the daemon's clock.
                if (kind == StatsSourceKind.CGROUP) {
                    assertThat(took).isGreaterThanOrEqualTo(StatsReader.DEFAULT_MIN_WINDOW);
                }
            }
        }
        LOG.info("{}: first readings {}", kind, firsts.stream()
                .map(r -> String.format("%.1f%% over %d ms", r.cpuPercentOfLimit(), r.interval().toMillis())).toList());
        if (kind == StatsSourceKind.CGROUP) {
            // A 250 ms minimum window, for the record only: the reader rounds it up to 300 ms, three whole
            // CFS periods, which hold three bursts wherever they begin (the old 250 ms held two or three).
            List<String> old = new ArrayList<>();
            try (StatsReader reader = StatsReader.builder(client).source(kind).minWindow(Duration.ofMillis(250)).build()) {
                for (int i = 0; i < 8; i++) {
                    LimitsReading r = reader.read(id);
                    old.add(String.format("%.1f%% over %d ms", r.cpuPercentOfLimit(), r.interval().toMillis()));
                    reader.forget(id);
                }
            }
            LOG.info("{}: first readings with a 250 ms minimum window (read over 300 ms): {}", kind, old);
        }
    }

    @ParameterizedTest
    @EnumSource(value = StatsSourceKind.class, names = {"CGROUP", "API"})
    void aPollersReadings_neverCoverLessThanTheWindow(StatsSourceKind kind) throws InterruptedException {
        String id = burner();
        List<LimitsReading> everySecond = new CopyOnWriteArrayList<>();
        List<LimitsReading> fast = new CopyOnWriteArrayList<>();
        try (StatsReader reader = StatsReader.of(client, kind);
                StatsPoller a = reader.stream(id, Duration.ofSeconds(1), everySecond::add);
                StatsPoller b = reader.stream(id, Duration.ofMillis(250), fast::add)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while ((everySecond.size() < 3 || fast.size() < 8) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(a.failures() + b.failures()).as("failed reads").isZero();
        }
        LOG.info("{}: every 1 s: {}; every 250 ms: {}", kind,
                everySecond.stream().map(r -> String.format("%.1f%%/%d ms", r.cpuPercentOfLimit(),
                        r.interval().toMillis())).toList(),
                fast.stream().map(r -> String.format("%.1f%%/%d ms", r.cpuPercentOfLimit(),
                        r.interval().toMillis())).toList());
        assertThat(everySecond).hasSizeGreaterThanOrEqualTo(3);
        assertThat(fast).hasSizeGreaterThanOrEqualTo(8);
        assertThat(everySecond).allSatisfy(r -> assertThat(r.interval()).isGreaterThanOrEqualTo(Duration.ofSeconds(1)));
        assertThat(fast).allSatisfy(r -> assertThat(r.interval()).isGreaterThanOrEqualTo(Duration.ofSeconds(1)));
        // The first round's reading, like a first read: the band of the rest.
        assertThat(everySecond.get(0).cpuPercentOfLimit()).isBetween(25.0, 105.0);
    }
}
