package org.containerlimits.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.containerlimits.core.usage.LimitsReading;
import org.containerlimits.core.usage.LimitsReading.State;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.docker.stats.StatsReader;
import org.containerlimits.docker.stats.StatsSourceKind;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile workloads in real containers, each bounded in time, stay inside the limits this library
 * applied, by the kernel's own counters ({@link HostCgroup}): a fork bomb, memory hogs, a CPU
 * burner, and two containers fighting for one CPU. Their neighbours and the host go on.
 */
@Tag("reliability")
class ContainmentIT extends DaemonTest {
    private static final String SUITE = "containment";

    /** A fork bomb under pids_limit 64 never has more than 64 processes; the host keeps answering. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void forkBomb_staysAtItsPidsLimit_andTheHostKeepsAnswering() throws Exception {
        String id = start("pids_limit=64,mem_limit=256m", Containers.DEFAULT_COMMAND);
        HostCgroup cgroup = HostCgroup.ofPid(pid(id));
        assertThat(cgroup.pidsMax()).hasValue(64);

        // Started by exec so that the container's main process (sleep) outlives the bomb's failures.
        // Detached: the bomb's processes hold the exec's output open for as long as they live.
        String exec = client.execCreateCmd(id).withCmd("sh", "-c", "bomb() { bomb | bomb & }; bomb").exec().getId();
        client.execStartCmd(exec).withDetach(true).exec(new ResultCallback.Adapter<>()).awaitCompletion(10,
                TimeUnit.SECONDS);
        long maxPids = 0;
        long maxPing = 0;
        long maxSpawn = 0;
        long samples = 0;
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < end) {
            maxPids = Math.max(maxPids, cgroup.pidsCurrent());
            samples++;
            if (samples % 10 == 0) {
                maxPing = Math.max(maxPing, timeMillis(() -> client.pingCmd().exec()));
                maxSpawn = Math.max(maxSpawn, timeMillis(ContainmentIT::spawnOnHost));
            }
            Thread.sleep(10);
        }
        long refused = cgroup.pidsRefused();
        LimitsReading reading;
        try (StatsReader reader = StatsReader.of(client)) {
            reading = reader.read(id);
        }
        ReliabilityFigures.record(SUITE, "fork bomb under pids_limit 64: at most %d processes in %d samples over"
                + " 10 s, %d forks refused by the kernel; StatsReader read %d of %s; meanwhile the daemon's ping took"
                + " at most %d ms and starting a host process at most %d ms", maxPids, samples, refused,
                reading.pids(), reading.pidsLimit(), maxPing, maxSpawn);
        assertThat(maxPids).isLessThanOrEqualTo(64);
        assertThat(maxPids).as("the bomb reached the limit").isGreaterThanOrEqualTo(60);
        assertThat(refused).as("forks refused").isPositive();
        assertThat(reading.pidsLimit()).hasValue(64);
        assertThat(reading.pids()).isLessThanOrEqualTo(64);
        assertThat(maxPing).as("daemon ping while the bomb runs, ms").isLessThan(2000);
        assertThat(maxSpawn).as("host process start while the bomb runs, ms").isLessThan(2000);
    }

    /**
     * A memory hog under mem_limit 64m, with no memswap_limit and with one, is OOM-killed and
     * reported so; a neighbour and the host are unaffected.
     */
    @ParameterizedTest
    @ValueSource(strings = {"mem_limit=64m", "mem_limit=64m,memswap_limit=64m", "mem_limit=64m,memswap_limit=128m"})
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void memoryHog_isOomKilled_reported_andAloneInThat(String limits) throws Exception {
        String neighbour = start("mem_limit=64m", List.of("sh", "-c", "while true; do sleep 1; done"));
        long hostAvailableBefore = memAvailableKib();
        // A string that doubles until the kernel stops it; exec makes the shell the main process,
        // so its kill ends the container as Docker reports OOM kills. It waits for a file that this
        // test copies in once it holds the cgroup: a slow host (an emulated guest) took longer than
        // any fixed delay to start it and read its pid.
        String hog = start(limits, List.of("sh", "-c",
                "until [ -e /tmp/go ]; do sleep 1; done; exec sh -c 'a=x; while true; do a=$a$a; done'"));
        HostCgroup cgroup = HostCgroup.ofPid(pid(hog));
        Path gate = Files.createDirectories(Files.createTempDirectory("containment").resolve("go"));
        client.copyArchiveToContainerCmd(hog).withHostResource(gate.toString()).withRemotePath("/tmp").exec();
        long limit = cgroup.memoryLimitBytes();
        long peak = 0;
        while (cgroup.exists()) {
            peak = Math.max(peak, HostCgroup.whileThere(() -> cgroup.memoryPeakBytes().orElse(0)).orElse(0L));
            Thread.sleep(5);
        }
        var exit = containers.awaitExit(hog, Duration.ofSeconds(60));
        LimitsReading reading;
        try (StatsReader reader = StatsReader.of(client)) {
            reading = reader.read(hog);
        }
        InspectContainerResponse.ContainerState neighbourState = client.inspectContainerCmd(neighbour).exec().getState();
        long hostAvailableAfter = memAvailableKib();
        ReliabilityFigures.record(SUITE, "memory hog under %s: cgroup limit %d MiB, peak usage %.1f MiB, exit code %d,"
                + " OOMKilled %s, wasOomKilled %s, StatsReader %s/oomKilled=%s; neighbour running=%s oomKilled=%s;"
                + " host MemAvailable %d -> %d MiB", limits, limit >> 20, peak / 1048576.0, exit.exitCode(),
                client.inspectContainerCmd(hog).exec().getState().getOOMKilled(), docker.wasOomKilled(hog),
                reading.state(), reading.oomKilled(), neighbourState.getRunning(), neighbourState.getOOMKilled(),
                hostAvailableBefore >> 10, hostAvailableAfter >> 10);
        assertThat(limit).isEqualTo(64L << 20);
        assertThat(peak).as("peak usage").isLessThanOrEqualTo(limit);
        assertThat(exit.exitCode()).isEqualTo(137);
        assertOomKillReport(hog, docker.wasOomKilled(hog));
        assertThat(reading.state()).isEqualTo(State.STOPPED);
        assertOomKillReport(hog, reading.oomKilled());
        assertThat(neighbourState.getRunning()).isTrue();
        assertThat(neighbourState.getOOMKilled()).isFalse();
        assertThat(docker.wasOomKilled(neighbour)).isFalse();
        // Unheld, the doubling string takes gigabytes; the host's other processes (the daemon, this
        // JVM, page cache) move MemAvailable by tens of MiB on their own: a CI run saw 64.5 MiB.
        assertThat(hostAvailableAfter).as("host memory available, KiB")
                .isGreaterThan(hostAvailableBefore - (512L << 10));
    }

    /**
     * Eight busy loops under a 0.5-core quota use at most half a core by the cgroup's own CPU
     * counter, and the StatsReader's reading agrees within 2 points of the limit.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void cpuBurner_withEightLoops_staysAtHalfACore_andTheReaderAgrees() throws Exception {
        String id = start("cpu_quota=50000,cpu_period=100000",
                List.of("sh", "-c", "for i in 1 2 3 4 5 6 7 8; do yes > /dev/null & done; wait"));
        HostCgroup cgroup = HostCgroup.ofPid(pid(id));
        Thread.sleep(1500); // all eight loops running
        try (StatsReader cgroupReader = StatsReader.of(client, StatsSourceKind.CGROUP);
                // Readings over 4 s: each edge of a window can cut a CFS burst, and under emulation (the
                // cgroup v2 guest) the daemon's timestamps lag its counters; a longer window shrinks both.
                StatsReader apiReader = StatsReader.builder(client).source(StatsSourceKind.API)
                        .minWindow(Duration.ofSeconds(4)).build()) {
            cgroupReader.read(id);
            apiReader.read(id);
            long throttled0 = cgroup.throttledPeriods();
            long cpu0 = cgroup.cpuNanos();
            long t0 = System.nanoTime();
            Thread.sleep(5000);
            long cpu1 = cgroup.cpuNanos();
            long t1 = System.nanoTime();
            LimitsReading fromCgroup = cgroupReader.read(id);
            LimitsReading fromApi = apiReader.read(id);
            long throttled = cgroup.throttledPeriods() - throttled0;
            double cores = (double) (cpu1 - cpu0) / (t1 - t0);
            double percentOfLimit = cores / 0.5 * 100;
            ReliabilityFigures.record(SUITE, "8 busy loops under 0.5 core: %.4f cores by cpuacct over 5 s (%.2f%% of the"
                    + " limit), throttled in %d periods; StatsReader cgroup %.2f%%, API %.2f%% of the limit"
                    + " (docker stats would show %.1f%%)", cores, percentOfLimit, throttled,
                    fromCgroup.cpuPercentOfLimit(), fromApi.cpuPercentOfLimit(),
                    fromApi.dockerCpuPercent().orElse(Double.NaN));
            // Each edge of the 5 s window can fall inside a period in which the group spends its
            // 50 ms quota: up to 2 x 50 ms more than the 2,500 ms the limit allows, 0.52 cores (seen:
            // 100.4% on the host, 101.0% in the emulated guest, whose counter and clock reads are slow).
            assertThat(cores).as("cores used").isLessThanOrEqualTo(0.52).isGreaterThan(0.45);
            assertThat(throttled).as("throttled periods").isPositive();
            assertThat(fromCgroup.cpuPercentOfLimit()).isCloseTo(percentOfLimit, org.assertj.core.api.Assertions.within(2.0));
            // The API reading spans the Engine's samples (at least the 4 s window), not these 5 s: a
            // 50 ms CFS burst falling inside or outside each edge of it moves the figure by up to 100 ms
            // of the 2,000 ms the limit allows in 4 s, 5 points (over a 1 s window once: 96.7% against
            // 99.7%, and 88% against 101% in the emulated guest). The host-core figure docker stats
            // shows would be 50 points off.
            assertThat(fromApi.interval()).isGreaterThanOrEqualTo(Duration.ofSeconds(4));
            double burstPoints = 100.0 * Duration.ofMillis(100).toNanos() / fromApi.interval().toNanos() / 0.5;
            assertThat(fromApi.cpuPercentOfLimit()).isCloseTo(percentOfLimit,
                    org.assertj.core.api.Assertions.within(2.0 + burstPoints));
        }
    }

    /** Two saturated containers pinned to one CPU with cpu shares 1024 and 512 split it about 2:1. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void sharesOnOneCpu_splitItTwoToOne() throws Exception {
        List<String> burn = List.of("sh", "-c", "yes > /dev/null & yes > /dev/null & wait");
        String heavy = start("cpuset_cpus=0,cpu_shares=1024", burn);
        String light = start("cpuset_cpus=0,cpu_shares=512", burn);
        HostCgroup heavyCgroup = HostCgroup.ofPid(pid(heavy));
        HostCgroup lightCgroup = HostCgroup.ofPid(pid(light));
        Thread.sleep(1500);
        long h0 = heavyCgroup.cpuNanos();
        long l0 = lightCgroup.cpuNanos();
        long t0 = System.nanoTime();
        Thread.sleep(6000);
        long h = heavyCgroup.cpuNanos() - h0;
        long l = lightCgroup.cpuNanos() - l0;
        double wall = System.nanoTime() - t0;
        double ratio = (double) h / l;
        ReliabilityFigures.record(SUITE, "shares 1024 vs 512 on CPU 0: %.3f vs %.3f cores over 6 s, ratio %.2f:1,"
                + " together %.3f of the CPU", h / wall, l / wall, ratio, (h + l) / wall);
        assertThat(ratio).as("heavy:light").isBetween(1.7, 2.3);
        assertThat((h + l) / wall).as("the CPU is saturated").isGreaterThan(0.9);
    }

    private String start(String limits, List<String> command) {
        return containers.start(c -> DockerLimits.modifier(ResourceLimits.parse(limits)).accept(c.withCmd(command)));
    }

    private static long pid(String id) {
        return client.inspectContainerCmd(id).exec().getState().getPidLong();
    }

    private static long timeMillis(Runnable r) {
        long t = System.nanoTime();
        r.run();
        return (System.nanoTime() - t) / 1_000_000;
    }

    private static void spawnOnHost() {
        try {
            new ProcessBuilder("true").start().waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long memAvailableKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemAvailable:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException("no MemAvailable in /proc/meminfo");
    }
}
