package org.containerlimits.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.RestartPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.containerlimits.core.usage.LimitsReading;
import org.containerlimits.core.usage.LimitsReading.State;
import org.containerlimits.docker.ReliabilityFigures.Resources;
import org.containerlimits.docker.client.DockerClients;
import org.containerlimits.docker.stats.StatsPoller;
import org.containerlimits.docker.stats.StatsReader;
import org.containerlimits.docker.stats.StatsSourceKind;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The real daemon is stopped and started again while pollers and streams of both sources run: they
 * report the gap as failures, deliver readings again once the daemon and its containers are back,
 * and hold no more threads, file descriptors (the daemon connections among them) or heap than
 * before.
 *
 * <p>Stops the daemon named in {@code /var/run/docker.pid} with SIGTERM and starts it again with
 * the project's {@code bin/ensure-docker}, so it needs root and a daemon started that way, as in CI.
 * Elsewhere it is skipped, saying why; in CI ({@code CI=true}) that fails instead.
 */
@Tag("reliability")
class DaemonRestartIT extends DaemonTest {
    private static final Path PID_FILE = Path.of("/var/run/docker.pid");
    private static final Path ENSURE_DOCKER = Path.of("..", "bin", "ensure-docker").toAbsolutePath().normalize();
    private static final Duration EVERY = Duration.ofMillis(250);

    @Test
    void pollersAndStreams_reportTheGap_resume_andLeakNothing() throws Exception {
        long daemonPid = restartableDaemon();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            // Restarted by the daemon when it comes back; stopped within a second when it goes.
            ids.add(containers.start(c -> c.withCmd(Containers.DEFAULT_COMMAND).withStopTimeout(1)
                    .getHostConfig().withRestartPolicy(RestartPolicy.alwaysRestart())));
        }
        List<Watched> watched = new ArrayList<>();
        try (DockerClient own = DockerClients.fromEnvironment(Duration.ofSeconds(5));
                StatsReader cgroup = StatsReader.of(own, StatsSourceKind.CGROUP);
                StatsReader api = StatsReader.of(own, StatsSourceKind.API)) {
            for (StatsReader reader : List.of(cgroup, api)) {
                Watched poll = new Watched(reader.kind() + " poller");
                poll.poller = reader.poll(ids, EVERY, poll.readings::addAll, poll.failures::add);
                watched.add(poll);
                for (String id : ids) {
                    Watched stream = new Watched(reader.kind() + " stream");
                    stream.poller = reader.stream(id, EVERY, stream.readings::add, stream.failures::add);
                    watched.add(stream);
                }
            }
            await(() -> watched.stream().allMatch(w -> w.running() >= 4), Duration.ofSeconds(30), "readings");
            Resources before = Resources.now();

            Instant stopping = Instant.now();
            stopDaemon(daemonPid);
            Instant stopped = Instant.now();
            await(() -> watched.stream().allMatch(w -> !w.failures.isEmpty()), Duration.ofSeconds(30),
                    "every poller and stream to report the daemon's absence");
            Thread.sleep(2000); // a gap of several rounds
            watched.forEach(Watched::markRestart);
            startDaemon();
            Instant started = Instant.now();
            await(() -> watched.stream().allMatch(w -> w.runningSinceRestart() >= 4), Duration.ofSeconds(60),
                    "readings after the restart");
            Instant resumed = Instant.now();
            Thread.sleep(3000); // settle: streams reopened, failed connections gone
            Resources after = Resources.now();

            for (Watched w : watched) {
                assertThat(w.poller.isClosed()).as(w.name).isFalse();
                assertThat(w.failures).as(w.name).allSatisfy(f -> {
                    assertThat(f.dropped()).isFalse();
                    assertThat(f.cause()).isInstanceOf(DockerUnavailableException.class);
                });
                ReliabilityFigures.record("daemon restart", "%s: %d readings, %d failed reads reported in the gap"
                        + " (first: %s), %d running readings after the restart", w.name, w.readings.size(),
                        w.failures.size(), w.failures.get(0).cause().getMessage(), w.runningSinceRestart());
            }
            ReliabilityFigures.record("daemon restart", "SIGTERM to dockerd took %d ms to stop it, bin/ensure-docker"
                    + " %d ms to answer again; readings resumed %d ms after that",
                    Duration.between(stopping, stopped).toMillis(), Duration.between(stopped, started).toMillis(),
                    Duration.between(started, resumed).toMillis());
            ReliabilityFigures.record("daemon restart", "process before: %s; after restart and resume: %s",
                    before, after);
            assertThat(after.threads()).as("threads").isLessThanOrEqualTo(before.threads() + 2);
            assertThat(after.fds()).as("file descriptors").isLessThanOrEqualTo(before.fds() + 6);
            assertThat(after.heapBytes()).as("heap after GC").isLessThan(before.heapBytes() + 8L * 1024 * 1024);
        }
    }

    /** One poller or stream and what it delivered. */
    private static final class Watched {
        final String name;
        final List<LimitsReading> readings = new CopyOnWriteArrayList<>();
        final List<StatsPoller.Failure> failures = new CopyOnWriteArrayList<>();
        volatile int restartMark = Integer.MAX_VALUE;
        StatsPoller poller;

        Watched(String name) {
            this.name = name;
        }

        long running() {
            return readings.stream().filter(r -> r.state() == State.RUNNING).count();
        }

        void markRestart() {
            restartMark = readings.size();
        }

        long runningSinceRestart() {
            int from = Math.min(restartMark, readings.size());
            return readings.subList(from, readings.size()).stream().filter(r -> r.state() == State.RUNNING).count();
        }
    }

    /** The pid of a daemon this test may stop and start again, or skips (fails in CI) saying why not. */
    private static long restartableDaemon() throws IOException {
        String why = null;
        long pid = -1;
        if (!"root".equals(System.getProperty("user.name"))) {
            why = "stopping and starting dockerd needs root";
        } else if (!Files.isRegularFile(PID_FILE)) {
            why = "no " + PID_FILE + ": the daemon was not started by dockerd itself (bin/ensure-docker)";
        } else if (!Files.isExecutable(ENSURE_DOCKER)) {
            why = ENSURE_DOCKER + " is missing";
        } else {
            pid = Long.parseLong(Files.readString(PID_FILE, StandardCharsets.UTF_8).strip());
            Path comm = Path.of("/proc", Long.toString(pid), "comm");
            if (!Files.isReadable(comm) || !Files.readString(comm).strip().equals("dockerd")) {
                why = PID_FILE + " names pid " + pid + ", which is not a running dockerd";
            }
        }
        if (why != null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI must run the daemon-restart test, but " + why);
            }
            Assumptions.abort(why + "; run it as root with a daemon started by bin/ensure-docker, as CI does");
        }
        return pid;
    }

    private static void stopDaemon(long pid) throws Exception {
        ProcessHandle daemon = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("dockerd " + pid + " gone"));
        run(List.of("kill", "-TERM", Long.toString(pid)), Duration.ofSeconds(10));
        daemon.onExit().get(60, TimeUnit.SECONDS);
    }

    private static void startDaemon() throws Exception {
        run(List.of(ENSURE_DOCKER.toString()), Duration.ofSeconds(120));
    }

    private static void run(List<String> command, Duration timeout) throws Exception {
        // Output goes to a file, not inherited: surefire owns this JVM's stdout.
        Path out = Files.createTempFile("containerlimits-daemon", ".log");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                fail(command + " did not finish within " + timeout + ": " + Files.readString(out));
            }
            assertThat(p.exitValue()).as(command + " exit code; output: " + Files.readString(out)).isZero();
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static void await(BooleanSupplier condition, Duration atMost, String what) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("no " + what + " within " + atMost);
            }
            Thread.sleep(100);
        }
    }
}
