package org.containerlimits.docker.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.containerlimits.core.usage.LimitsReading;
import org.containerlimits.core.usage.LimitsReading.CpuPressure;
import org.containerlimits.core.usage.LimitsReading.State;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.docker.AppliedLimits;
import org.containerlimits.docker.DaemonTest;
import org.containerlimits.docker.Engine;
import org.containerlimits.docker.HostCgroup;
import org.containerlimits.docker.LiveUpdateUnsupportedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Readings of real containers, from both sources: CPU at and far below the limit, memory, stop, OOM.
 * On Podman the API source has what Podman's stats carry (see {@link Engine}): no throttling figures,
 * no pids limit, memory with page cache, a sample every 5 s; and OOM kills show only where the engine
 * reports them.
 */
class StatsReaderIT extends DaemonTest {
    private static final Logger LOG = LoggerFactory.getLogger(StatsReaderIT.class);

    private static final String THREE_BUSY_LOOPS = "yes > /dev/null & yes > /dev/null & yes > /dev/null & wait";

    private String start(String limits, String... command) {
        AppliedLimits applied = docker.create(createCmd(List.of(command)), ResourceLimits.parse(limits));
        String id = containers.track(applied.containerId());
        client.startContainerCmd(id).exec();
        return id;
    }

    private static double sleepAndAverage(StatsReader reader, String id, List<LimitsReading> into)
            throws InterruptedException {
        reader.read(id);
        Thread.sleep(1000); // warm-up second
        reader.read(id);
        for (int i = 0; i < 3; i++) {
            Thread.sleep(1000);
            into.add(reader.read(id));
        }
        return into.stream().mapToDouble(LimitsReading::cpuPercentOfLimit).average().orElseThrow();
    }

    @ParameterizedTest
    @EnumSource(value = StatsSourceKind.class, names = {"CGROUP", "API"})
    void threeBusyLoopsUnderAHalfCoreQuota_readAtTheLimit(StatsSourceKind kind) throws InterruptedException {
        String id = start("cpu_quota=50000,cpu_period=100000", "sh", "-c", THREE_BUSY_LOOPS);
        try (StatsReader reader = StatsReader.of(client, kind)) {
            List<LimitsReading> readings = new ArrayList<>();
            double average = sleepAndAverage(reader, id, readings);
            LOG.info("{}: busy at 0.5 cores: {}", kind, readings);
            assertThat(average).isBetween(90.0, 105.0);
            assertThat(readings).allSatisfy(r -> {
                assertThat(r.state()).isEqualTo(State.RUNNING);
                assertThat(r.source()).isEqualTo(kind.name().toLowerCase(java.util.Locale.ROOT));
                assertThat(r.cpuLimitCores()).isEqualByComparingTo("0.5");
                assertThat(r.cpuPressure()).isEqualTo(CpuPressure.LIMIT);
                if (kind == StatsSourceKind.API && !engine().statsReportThrottling()) {
                    assertThat(r.throttledRatio()).isZero(); // Podman's stats send zeros; at the limit by use alone
                } else {
                    assertThat(r.throttledRatio()).isGreaterThan(0.5);
                }
                assertThat(r.pids()).isGreaterThanOrEqualTo(4);
            });
        }
    }

    @ParameterizedTest
    @EnumSource(value = StatsSourceKind.class, names = {"CGROUP", "API"})
    void aSleepingContainer_readsIdle(StatsSourceKind kind) throws InterruptedException {
        String id = start("cpu_quota=50000,cpu_period=100000", "sleep", "3600");
        try (StatsReader reader = StatsReader.of(client, kind)) {
            List<LimitsReading> readings = new ArrayList<>();
            double average = sleepAndAverage(reader, id, readings);
            assertThat(average).isLessThan(5.0);
            assertThat(readings).allSatisfy(r -> {
                assertThat(r.state()).isEqualTo(State.RUNNING);
                assertThat(r.cpuPressure()).isEqualTo(CpuPressure.IDLE);
                assertThat(r.pids()).isEqualTo(1);
            });
        }
    }

    @ParameterizedTest
    @EnumSource(value = StatsSourceKind.class, names = {"CGROUP", "API"})
    void aFileWrittenToTmp_isPageCache_andDoesNotCount(StatsSourceKind kind) throws InterruptedException {
        // /tmp in the test image is on the container's overlay file system, not a tmpfs.
        String id = start("mem_limit=256m,pids_limit=64", "sh", "-c",
                "dd if=/dev/zero of=/tmp/f bs=1M count=50 && touch /tmp/done && sleep 3600");
        for (int i = 0; i < 100 && containers.execOutput(id, "ls", "/tmp/done").exitCode() != 0; i++) {
            Thread.sleep(100);
        }
        try (StatsReader reader = StatsReader.of(client, kind)) {
            LimitsReading r = reader.read(id);
            LOG.info("{}: after writing 50 MiB to /tmp: {}", kind, r);
            assertThat(r.state()).isIn(State.RUNNING, State.NO_INTERVAL);
            assertThat(r.memoryLimitBytes()).hasValue(256L << 20);
            if (kind == StatsSourceKind.API && engine().statsCountPageCache()) {
                // Podman's stats carry no memory.stat to subtract the cache with, nor a pids limit.
                assertThat(r.memoryBytes()).isGreaterThan(45L << 20);
                assertThat(r.memoryPercentOfLimit().getAsDouble()).isGreaterThan(17.0);
                assertThat(r.pidsLimit()).isEmpty();
            } else {
                assertThat(r.memoryBytes()).isLessThan(20L << 20);
                assertThat(r.memoryPercentOfLimit().getAsDouble()).isLessThan(8.0);
                assertThat(r.pidsLimit()).hasValue(64);
            }
        }
        // And the cache is there: the cgroup's raw usage (v1 memory.usage_in_bytes, v2 memory.current)
        // holds the file, as the host's kernel shows it.
        long pid = client.inspectContainerCmd(id).exec().getState().getPidLong();
        assertThat(HostCgroup.ofPid(pid).memoryUsageBytes()).isGreaterThan(45L << 20);
    }

    @ParameterizedTest
    @EnumSource(value = StatsSourceKind.class, names = {"CGROUP", "API"})
    void aContainerThatStops_readsStopped(StatsSourceKind kind) throws InterruptedException {
        String id = start("cpu_quota=50000,cpu_period=100000", "sleep", "3600");
        try (StatsReader reader = StatsReader.of(client, kind)) {
            assertThat(reader.read(id).state()).isIn(State.RUNNING, State.NO_INTERVAL);
            client.killContainerCmd(id).exec();
            containers.awaitExit(id, Duration.ofSeconds(30));
            // The cgroup source sees it at once; the API source once the stream's next sample
            // (one a second; Podman's, one every 5 s) says so.
            LimitsReading r = reader.read(id);
            int tries = kind == StatsSourceKind.API && onPodman() ? 120 : 30;
            for (int i = 0; i < tries && r.state() != State.STOPPED; i++) {
                Thread.sleep(100);
                r = reader.read(id);
            }
            if (kind == StatsSourceKind.CGROUP) {
                assertThat(reader.read(id).state()).isEqualTo(State.STOPPED);
            }
            assertThat(r.state()).isEqualTo(State.STOPPED);
            assertThat(r.oomKilled()).isFalse();
            assertThat(r.cpuLimitCores()).isEqualByComparingTo("0.5");
        }
    }

    @ParameterizedTest
    @EnumSource(value = StatsSourceKind.class, names = {"CGROUP", "API"})
    void anOomKilledContainer_reportsIt(StatsSourceKind kind) {
        String id = start("mem_limit=64m,memswap_limit=64m", "dd", "if=/dev/zero", "of=/dev/null", "bs=200M", "count=1");
        assertThat(containers.awaitExit(id, Duration.ofSeconds(30)).exitCode()).isEqualTo(137);
        try (StatsReader reader = StatsReader.of(client, kind)) {
            LimitsReading r = reader.read(id);
            assertThat(r.state()).isEqualTo(State.STOPPED);
            // Podman before 5.0 does not report it (State.OOMKilled stays false); preflight said so at
            // create. Docker on cgroup v2 sometimes misses it (see assertOomKillReport).
            assertOomKillReport(id, r.oomKilled());
        }
    }

    @Test
    void auto_picksTheCgroupFiles_forThisLocalDaemon() {
        String id = start("cpu_quota=50000,cpu_period=100000", "sleep", "3600");
        try (StatsReader reader = StatsReader.of(client)) {
            assertThat(reader.source(id)).isEqualTo("cgroup");
            assertThat(reader.read(id).source()).isEqualTo("cgroup");
        }
    }

    @ParameterizedTest
    @EnumSource(value = StatsSourceKind.class, names = {"CGROUP", "API"})
    void aPoller_deliversOneBatchPerRound_forEveryContainer(StatsSourceKind kind) throws InterruptedException {
        String busy = start("cpu_quota=50000,cpu_period=100000", "sh", "-c", THREE_BUSY_LOOPS);
        String idle = start("cpu_quota=50000,cpu_period=100000", "sleep", "3600");
        List<List<LimitsReading>> batches = new CopyOnWriteArrayList<>();
        // Readings over 2 s, so that one CFS burst more or less at an edge (or, in the emulated
        // guest, the daemon's lagging timestamps) moves the busy one by 5 points, not 10.
        try (StatsReader reader = StatsReader.builder(client).source(kind).minWindow(Duration.ofSeconds(2)).build();
                StatsPoller poller = reader.poll(List.of(busy, idle), Duration.ofSeconds(1), batches::add)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (batches.size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(poller.rounds()).isGreaterThanOrEqualTo(3);
        }
        int delivered = batches.size();
        Thread.sleep(1500);
        assertThat(batches).as("nothing after close").hasSize(delivered);
        List<LimitsReading> last = batches.get(batches.size() - 1);
        assertThat(last).extracting(LimitsReading::container).containsExactly(busy, idle);
        assertThat(last.get(0).interval()).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(last.get(0).cpuPercentOfLimit()).isBetween(85.0, 110.0);
        assertThat(last.get(1).cpuPressure()).isEqualTo(CpuPressure.IDLE);
    }

    /** A live CPU update shows in the next reading: the old limit is not kept. */
    @Test
    void aLiveCpuUpdate_changesTheLimitTheReadingsUse() throws InterruptedException {
        String id = start("cpu_quota=50000,cpu_period=100000", "sh", "-c", THREE_BUSY_LOOPS);
        try (StatsReader reader = StatsReader.of(client, StatsSourceKind.CGROUP)) {
            reader.read(id);
            Thread.sleep(1000);
            assertThat(reader.read(id).cpuLimitCores()).isEqualByComparingTo("0.5");
            if (!engine().hasLiveUpdate()) {
                assertThatThrownBy(() -> docker.update(id, ResourceLimits.parse("cpu_quota=100000,cpu_period=100000")))
                        .isInstanceOf(LiveUpdateUnsupportedException.class).hasMessageContaining(engine().toString());
                Thread.sleep(1000);
                LimitsReading after = reader.read(id);
                assertThat(after.cpuLimitCores()).isEqualByComparingTo("0.5");
                assertThat(after.cpuPercentOfLimit()).isBetween(85.0, 106.0);
                return;
            }
            docker.update(id, ResourceLimits.parse("cpu_quota=100000,cpu_period=100000"));
            Thread.sleep(1000);
            reader.read(id);
            Thread.sleep(1000);
            LimitsReading after = reader.read(id);
            assertThat(after.cpuLimitCores()).isEqualByComparingTo("1");
            assertThat(after.cpuPercentOfLimit()).isBetween(85.0, 106.0);
        }
    }

    /** A live cpuset change shows in the next reading too: fewer CPUs can give fewer cores. */
    @Test
    void aLiveCpusetUpdate_changesWhatTheReadingsCanReach() throws InterruptedException {
        String id = start("cpuset_cpus=0-1", "sh", "-c", THREE_BUSY_LOOPS);
        try (StatsReader reader = StatsReader.of(client, StatsSourceKind.CGROUP)) {
            reader.read(id);
            assertThat(reader.read(id).cpuCapacity().reachableCores()).isEqualByComparingTo("2");
            if (!engine().hasLiveUpdate()) {
                assertThatThrownBy(() -> docker.update(id, ResourceLimits.parse("cpuset_cpus=0")))
                        .isInstanceOf(LiveUpdateUnsupportedException.class).hasMessageContaining(engine().toString());
                Thread.sleep(1000);
                LimitsReading after = reader.read(id);
                assertThat(after.cpuCapacity().reachableCores()).isEqualByComparingTo("2");
                assertThat(docker.read(id).cpusetCpus()).hasValue(org.containerlimits.core.CpuSet.parse("0-1"));
                return;
            }
            docker.update(id, ResourceLimits.parse("cpuset_cpus=0"));
            reader.read(id);
            Thread.sleep(1000);
            LimitsReading after = reader.read(id);
            assertThat(after.cpuCapacity().reachableCores()).isEqualByComparingTo("1");
            assertThat(after.cpuCores()).isBetween(0.85, 1.06);
        }
    }

    /** Past its stream limit the API source says so at once rather than wait for a pooled connection. */
    @Test
    void theApiSource_refusesMoreStreamsThanItsLimit_andForgetFreesOne() {
        String first = start("cpu_quota=50000,cpu_period=100000", "sleep", "3600");
        String second = start("cpu_quota=50000,cpu_period=100000", "sleep", "3600");
        try (StatsReader reader = StatsReader.builder(client).source(StatsSourceKind.API).maxApiStreams(1).build()) {
            assertThat(reader.read(first).source()).isEqualTo("api");
            assertThatThrownBy(() -> reader.read(second))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already watches 1 containers")
                    .hasMessageContaining("maxApiStreams");
            reader.forget(first);
            assertThat(reader.read(second).state()).isIn(State.RUNNING, State.NO_INTERVAL);
        }
    }

    /** The cgroup source keeps a container's files open between reads, and closes them when done. */
    @Test
    void cgroupFiles_stayOpenBetweenReads_andCloseOnForgetStopAndClose() throws InterruptedException {
        String warm = start("cpu_quota=50000,cpu_period=100000", "sleep", "3600");
        String id = start("cpu_quota=50000,cpu_period=100000,pids_limit=64", "sleep", "3600");
        try (StatsReader reader = StatsReader.of(client, StatsSourceKind.CGROUP)) {
            reader.read(warm); // the client's pooled connection and /proc/stat, opened once
            // The client's HTTP connections come and go by one or two: a leak or a reopen is 7 or more.
            Offset<Long> pool = Offset.offset(2L);
            long base = openFds();
            reader.read(id);
            long reading = openFds();
            // cpuacct.usage, cpu.stat, cfs quota and period, memory usage, stat and limit, pids current and max
            assertThat(reading - base).isBetween(7L, 13L);
            reader.read(id);
            assertThat(openFds()).as("read again, not opened again").isCloseTo(reading, pool);
            reader.forget(id);
            assertThat(openFds()).as("closed on forget").isCloseTo(base, pool);
            reader.read(id);
            assertThat(openFds()).isCloseTo(reading, pool);
            client.killContainerCmd(id).exec();
            containers.awaitExit(id, Duration.ofSeconds(30));
            assertThat(reader.read(id).state()).isEqualTo(State.STOPPED);
            assertThat(openFds()).as("closed when the container stopped").isCloseTo(base, pool);
        }
    }

    /** Opening and closing streams and pollers leaves no thread and no file descriptor behind. */
    @Test
    void streamsAndPollers_releaseTheirThreadsAndDescriptors() throws InterruptedException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(start("cpu_quota=50000,cpu_period=100000", "sleep", "3600"));
        }
        openAndClose(ids); // class loading, pooled connections
        int threadsBefore = liveThreads();
        long fdsBefore = openFds();
        for (int round = 0; round < 2; round++) {
            openAndClose(ids);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while ((liveThreads() > threadsBefore + 2 || openFds() > fdsBefore + 10)
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        LOG.info("threads {} -> {}, fds {} -> {}", threadsBefore, liveThreads(), fdsBefore, openFds());
        assertThat(liveThreads()).isLessThanOrEqualTo(threadsBefore + 2);
        assertThat(openFds()).isLessThanOrEqualTo(fdsBefore + 10);
    }

    private void openAndClose(List<String> ids) throws InterruptedException {
        for (StatsSourceKind kind : List.of(StatsSourceKind.CGROUP, StatsSourceKind.API)) {
            List<LimitsReading> seen = new CopyOnWriteArrayList<>();
            try (StatsReader reader = StatsReader.of(client, kind)) {
                List<StatsPoller> streams = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    streams.add(reader.stream(ids.get(i % ids.size()), Duration.ofMillis(200), seen::add));
                }
                StatsPoller poller = reader.poll(ids, Duration.ofMillis(200), seen::addAll);
                // Readings come once a container has been watched for the reader's minimum window
                // (1 s), which an emulated guest under 55 streams can take several seconds to reach.
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while ((poller.rounds() < 2 || seen.isEmpty()) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                streams.forEach(StatsPoller::close);
                poller.close();
                assertThat(seen).as(kind + " delivered").isNotEmpty();
            }
        }
    }

    private static int liveThreads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    private static long openFds() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
