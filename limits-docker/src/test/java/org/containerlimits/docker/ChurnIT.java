package org.containerlimits.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.containerlimits.docker.ReliabilityFigures.Resources;
import org.containerlimits.docker.stats.StatsPoller;
import org.containerlimits.docker.stats.StatsReader;
import org.containerlimits.docker.stats.StatsSourceKind;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Churn: 1,000 stream open/close cycles and 100 poller start/stop cycles per source leave the
 * process's live threads, open file descriptors (daemon connections among them) and heap after a
 * garbage collection where they were. Each stream cycle also forgets the container, so that the
 * API source really opens and closes its HTTP stream and the cgroup source its files every time.
 */
@Tag("reliability")
class ChurnIT extends DaemonTest {
    private static final int STREAM_CYCLES = 1000;
    private static final int POLLER_CYCLES = 100;
    private static final int CONTAINERS = 5;

    @ParameterizedTest
    @EnumSource(value = StatsSourceKind.class, names = {"CGROUP", "API"})
    void streamsAndPollers_openedAndClosedOverAndOver_leaveNothingBehind(StatsSourceKind kind) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < CONTAINERS; i++) {
            ids.add(containers.start(c -> c.withCmd(Containers.DEFAULT_COMMAND)));
        }
        // Streams live 25 ms and pollers until their first batch: a window as short as their
        // intervals, so that they deliver within that time (the default, 1 s, would make each
        // poller cycle last a second and no stream deliver).
        try (StatsReader reader = StatsReader.builder(client).source(kind).minWindow(Duration.ofMillis(10)).build()) {
            AtomicLong readings = new AtomicLong();
            AtomicLong batches = new AtomicLong();
            // Warm-up: class loading, the worker pool, pooled connections.
            streamCycles(reader, ids, 20, readings);
            pollerCycles(reader, ids, 5, batches);
            Resources before = Resources.now();

            long t0 = System.nanoTime();
            streamCycles(reader, ids, STREAM_CYCLES, readings);
            long t1 = System.nanoTime();
            pollerCycles(reader, ids, POLLER_CYCLES, batches);
            long t2 = System.nanoTime();
            ids.forEach(reader::forget);
            // Streams and connections closing: a stream's thread ends when its blocked read returns,
            // up to a daemon sample (1 s) later. Wait until everything is back within bounds, for 15 s
            // at most: a real leak never comes back.
            Resources after = Resources.now();
            long settle = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            do {
                Thread.sleep(500);
                after = Resources.now();
            } while (!withinBounds(before, after) && System.nanoTime() < settle);

            ReliabilityFigures.record("churn", "%s: %d stream open/close cycles in %.1f s (%d readings delivered),"
                    + " %d poller start/stop cycles over %d containers in %.1f s (%d batches); before: %s; after: %s",
                    kind, STREAM_CYCLES, (t1 - t0) / 1e9, readings.get(), POLLER_CYCLES, CONTAINERS, (t2 - t1) / 1e9,
                    batches.get(), before, after);
            assertThat(readings.get()).as("the streams delivered").isPositive();
            assertThat(batches.get()).as("the pollers delivered").isGreaterThanOrEqualTo(POLLER_CYCLES);
            assertThat(after.threads()).as("threads").isLessThanOrEqualTo(before.threads() + 2);
            assertThat(after.fds()).as("file descriptors").isLessThanOrEqualTo(before.fds() + SPARE_FDS);
            assertThat(after.sockets()).as("sockets").isLessThanOrEqualTo(before.sockets() + SPARE_SOCKETS);
            assertThat(after.heapBytes()).as("heap after GC").isLessThan(before.heapBytes() + 8L * 1024 * 1024);
        }
    }

    /**
     * Connections the client's pool may keep idle for reuse after the churn (a CI run ended with 4
     * more than before); a leak of one per cycle would leave hundreds.
     */
    private static final int SPARE_SOCKETS = 6;
    /** The spare sockets' descriptors and a few of the JVM's own. */
    private static final int SPARE_FDS = SPARE_SOCKETS + 4;

    private static boolean withinBounds(Resources before, Resources after) {
        return after.threads() <= before.threads() + 2 && after.fds() <= before.fds() + SPARE_FDS
                && after.sockets() <= before.sockets() + SPARE_SOCKETS
                && after.heapBytes() < before.heapBytes() + 8L * 1024 * 1024;
    }

    /** Opens a stream, lets it deliver (or not) for a few rounds, closes it and forgets the container. */
    private static void streamCycles(StatsReader reader, List<String> ids, int cycles, AtomicLong readings)
            throws InterruptedException {
        for (int i = 0; i < cycles; i++) {
            String id = ids.get(i % ids.size());
            StatsPoller stream = reader.stream(id, Duration.ofMillis(10), r -> readings.incrementAndGet());
            Thread.sleep(25);
            stream.close();
            reader.forget(id);
        }
    }

    /** Starts a poller over every container, waits for its first batch, and closes it. */
    private static void pollerCycles(StatsReader reader, List<String> ids, int cycles, AtomicLong batches)
            throws InterruptedException {
        for (int i = 0; i < cycles; i++) {
            StatsPoller poller = reader.poll(ids, Duration.ofMillis(20), batch -> batches.incrementAndGet());
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (poller.rounds() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            poller.close();
        }
    }
}
