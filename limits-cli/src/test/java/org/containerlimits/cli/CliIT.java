package org.containerlimits.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.containerlimits.cli.LiveCli.Result;
import org.containerlimits.docker.DaemonTest;
import org.containerlimits.docker.client.DockerClients;
import org.containerlimits.testing.BusyboxImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code limits} command line against the real daemon, judged by what the daemon then holds. */
class CliIT extends DaemonTest {


    private static Result limits(String... args) {
        return LiveCli.limits(args);
    }

    private static Set<String> allContainerIds() {
        return client.listContainersCmd().withShowAll(true).exec().stream().map(Container::getId)
                .collect(Collectors.toCollection(HashSet::new));
    }

    /**
     * The containers that exist now and did not before. Only new ones count: a container of
     * another test may be removed meanwhile (a CI run saw one vanish between the two listings).
     */
    private static Set<String> containersCreatedSince(Set<String> before) {
        Set<String> now = allContainerIds();
        now.removeAll(before);
        return now;
    }

    /** A Compose file whose service asks more CPUs than the host has: that service is named, exit 2. */
    @Test
    void checkFile_namesTheServiceTheDaemonCannotEnforce_andExitsTwo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path compose = dir.resolve("compose.yaml");
        java.nio.file.Files.writeString(compose, """
                services:
                  small:
                    mem_limit: 64m
                  big:
                    deploy:
                      resources:
                        limits: {cpus: '64', memory: 64m}
                """);
        Result r = limits("check", "-f", compose.toString());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(LimitsCommand.EXIT_BAD_INPUT);
        assertThat(r.out()).contains("small: mem_limit=64m").contains("big: ERROR nano_cpus:")
                .doesNotContain("small: ERROR").contains("not enforceable: 2 entries checked");
    }

    /** With --swarm, a Compose service whose CPU reservation no node has room for is named, exit 2. */
    @Test
    void checkFileSwarm_namesTheServiceNoNodeCanPlace(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        var swarm = client.infoCmd().exec().getSwarm();
        if (swarm == null || swarm.getLocalNodeState() != com.github.dockerjava.api.model.LocalNodeState.ACTIVE) {
            client.initializeSwarmCmd(new com.github.dockerjava.api.model.SwarmSpec()).withListenAddr("127.0.0.1")
                    .withAdvertiseAddr("127.0.0.1").exec();
        }
        java.nio.file.Path compose = dir.resolve("compose.yaml");
        java.nio.file.Files.writeString(compose, """
                services:
                  small:
                    deploy:
                      resources:
                        limits: {cpus: '0.5', memory: 64m}
                        reservations: {cpus: '0.25'}
                  greedy:
                    deploy:
                      resources:
                        reservations: {cpus: '64'}
                """);
        Result r = limits("check", "--swarm", "-f", compose.toString());
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(LimitsCommand.EXIT_BAD_INPUT);
        assertThat(r.out()).contains("small: mem_limit=64m,nano_cpus=500000000").doesNotContain("small: ERROR")
                .contains("greedy: ERROR cpu_reservation: no node can satisfy the reservations (64 cores)");
    }

    @Test
    void run_withBadLimits_exitsTwo_namesEveryBadOption_andCreatesNothing() {
        Set<String> before = allContainerIds();
        Result r = limits("run", "--memory", "1x", "--cpus", "-1", "--pids-limit", "0", "--cpu-shares", "1",
                "--name", "cl-bad-" + UUID.randomUUID(), BusyboxImage.NAME, "sleep", "60");
        assertThat(r.exitCode()).isEqualTo(LimitsCommand.EXIT_BAD_INPUT);
        assertThat(r.err()).contains("--memory = \"1x\": unexpected 'x'")
                .contains("--cpus = -1: invalid cpu limit \"-1\"")
                .contains("--pids-limit = \"0\"")
                .contains("--cpu-shares = 1:")
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
        assertThat(containersCreatedSince(before)).isEmpty();
    }

    @Test
    void run_belowTheKernelsMinimumQuota_andAboveTheHostsCpus_isRefusedBeforeCreating() {
        Set<String> before = allContainerIds();
        Result quota = limits("run", "--cpu-quota", "500", "--memory", "4m", BusyboxImage.NAME);
        assertThat(quota.exitCode()).isEqualTo(2);
        assertThat(quota.err()).contains("--cpu-quota = 500: must be at least 1000 us")
                .contains("--memory = 4m: must be at least 6m");
        Result tooMany = limits("run", "--cpus", "64", BusyboxImage.NAME);
        assertThat(tooMany.exitCode()).isEqualTo(2);
        assertThat(tooMany.err()).contains("cannot enforce").contains("nano_cpus");
        assertThat(containersCreatedSince(before)).isEmpty();
    }

    @Test
    void run_inspect_update_inspect_changesWhatTheDaemonHolds() {
        String name = "cl-cli-" + UUID.randomUUID().toString().substring(0, 8);
        Result run = limits("run", "--memory", "256m", "--cpu-period", "100000", "--cpu-quota", "50000",
                "--pids-limit", "64", "--name", name, BusyboxImage.NAME, "sh", "-c", "sleep 600");
        assertThat(run.exitCode()).as(run.err()).isZero();
        String id = containers.track(run.out().strip());
        assertThat(id).matches("[0-9a-f]{64}");
        HostConfig created = client.inspectContainerCmd(id).exec().getHostConfig();
        assertThat(created.getMemory()).isEqualTo(256L << 20);
        assertThat(created.getCpuQuota()).isEqualTo(50_000L);
        assertThat(created.getCpuPeriod()).isEqualTo(100_000L);
        assertThat(created.getPidsLimit()).isEqualTo(64L);
        // The command after the image is the container's, its -c included.
        assertThat(client.inspectContainerCmd(id).exec().getConfig().getCmd()).containsExactly("sh", "-c", "sleep 600");
        assertThat(client.inspectContainerCmd(id).exec().getState().getRunning()).isTrue();

        Result inspect = limits("inspect", name);
        assertThat(inspect.exitCode()).isZero();
        assertThat(inspect.out()).contains("canonical:  mem_limit=256m,cpu_quota=50000,cpu_period=100000,pids_limit=64");

        Result update = limits("update", "--memory", "512m", "--cpu-quota", "150000", "--cpu-period", "100000", name);
        assertThat(update.exitCode()).as(update.err()).isZero();
        HostConfig updated = client.inspectContainerCmd(id).exec().getHostConfig();
        assertThat(updated.getMemory()).isEqualTo(512L << 20);
        assertThat(updated.getCpuQuota()).isEqualTo(150_000L);
        assertThat(limits("inspect", name).out()).contains("mem_limit=512m").contains("cpu_quota=150000");

        Result noOptions = limits("update", name);
        assertThat(noOptions.exitCode()).isEqualTo(2);
        assertThat(noOptions.err()).contains("no limit option given");
    }

    @Test
    void check_reportsWithoutCreating() {
        Set<String> before = allContainerIds();
        Result fine = limits("check", "--memory", "1g", "--cpus", "0.5");
        assertThat(fine.exitCode()).isZero();
        assertThat(fine.out()).contains("mem_limit=1g").contains("valid");
        Result tooMany = limits("check", "--cpus", "64");
        assertThat(tooMany.exitCode()).isEqualTo(2);
        assertThat(tooMany.out()).contains("ERROR nano_cpus");
        assertThat(containersCreatedSince(before)).isEmpty();
    }

    @Test
    void stats_json_isOneParseableObjectPerLine_withTheContainersLimits() {
        String busy = containers.start(cmd -> {
            cmd.withCmd("sh", "-c", "yes >/dev/null & yes >/dev/null & wait");
            cmd.getHostConfig().withCpuQuota(50_000L).withCpuPeriod(100_000L).withMemory(128L << 20);
        });
        String idle = containers.start(cmd -> cmd.withCmd("sleep", "600"));
        Result r = limits("stats", "--json", "--samples", "3", "--interval", "500ms", busy, idle);
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(6);
        List<Map<String, Object>> readings = new ArrayList<>();
        for (String line : lines) {
            readings.add(CliJson.readObject(line, "for a reading"));
        }
        for (Map<String, Object> o : readings) {
            assertThat(o).containsKeys("container", "time", "cpuCores", "cpuLimitCores", "cpuPercentOfLimit",
                    "dockerCpuPercent", "throttledRatio", "memoryBytes", "memoryLimitBytes", "memoryPercentOfLimit",
                    "pids", "oomKilled", "oomKills", "oomKillsInInterval", "source");
            assertThat(o.get("source")).isEqualTo("cgroup");
            assertThat(o.get("oomKilled")).isEqualTo(false);
            assertThat(number(o, "oomKills")).as("the cgroup source counts them").isZero();
            assertThat(number(o, "memoryBytes")).isPositive();
        }
        List<Map<String, Object>> ofBusy = readings.stream().filter(o -> busy.equals(o.get("container"))).toList();
        assertThat(ofBusy).hasSize(3);
        for (Map<String, Object> o : ofBusy) {
            assertThat(number(o, "cpuLimitCores")).isEqualTo(0.5);
            assertThat(number(o, "memoryLimitBytes")).isEqualTo((double) (128L << 20));
            assertThat(number(o, "cpuPercentOfLimit")).isBetween(80.0, 115.0);
        }
        Map<String, Object> lastIdle = readings.stream().filter(o -> idle.equals(o.get("container")))
                .reduce((a, b) -> b).orElseThrow();
        assertThat(lastIdle.get("memoryLimitBytes")).isNull();
        assertThat(number(lastIdle, "cpuPercentOfLimit")).isLessThan(5.0);
    }

    private static double number(Map<String, Object> o, String key) {
        assertThat(o.get(key)).as(key).isInstanceOf(Number.class);
        return ((Number) o.get(key)).doubleValue();
    }

    @Test
    void stats_chart_writesAPng_andTheTableNamesTheContainer(@TempDir Path dir) throws IOException {
        String busy = containers.start(cmd -> {
            cmd.withCmd("sh", "-c", "yes >/dev/null & yes >/dev/null & wait");
            cmd.getHostConfig().withNanoCPUs(500_000_000L);
        });
        Path png = dir.resolve("cpu.png");
        Result r = limits("stats", "--samples", "3", "--interval", "500ms", "--chart", png.toString(), busy);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("CPU % OF LIMIT").contains(busy.substring(0, 12));
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).isNotNull();
        assertThat(image.getWidth()).isEqualTo(1000);
        assertThat(Files.size(png)).isGreaterThan(5_000);
    }

    @Test
    void stats_withBadArguments_exitsTwo() {
        assertThat(limits("stats", "--interval", "soon", "x").exitCode()).isEqualTo(2);
        assertThat(limits("stats", "--interval", "soon", "x").err()).contains("--interval 'soon'");
        assertThat(limits("stats", "--source", "magic", "x").err()).contains("--source 'magic'");
        Result missing = limits("stats", "--samples", "1", "cl-no-such-container-" + UUID.randomUUID());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("No such container");
    }

    /** A container removed while `limits stats` runs is reported, and the command ends instead of waiting. */
    @Test
    void stats_ofAContainerRemovedMidway_reportsIt_andEnds() throws Exception {
        String id = containers.start(cmd -> cmd.withCmd("sleep", "3600"));
        var remover = new Thread(() -> {
            try {
                Thread.sleep(1500);
                client.removeContainerCmd(id).withForce(true).exec();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        remover.start();
        long start = System.nanoTime();
        Result r = limits("stats", "--interval", "250ms", id);
        remover.join();
        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).contains("cannot read " + id.substring(0, 12)).contains("No such container")
                .contains("(no longer read)").contains("no container left to read");
        assertThat(r.out()).contains(id.substring(0, 12));
        assertThat(System.nanoTime() - start).as("ends soon after the removal").isLessThan(15_000_000_000L);
    }

    @Test
    void run_ofACommandMissingFromTheImage_exitsOne_withTheDaemonsWords_andLeavesNoContainer() {
        Set<String> before = allContainerIds();
        Result r = limits("run", "--memory", "64m", BusyboxImage.NAME, "no-such-command");
        assertThat(r.exitCode()).isEqualTo(LimitsCommand.EXIT_DAEMON_REFUSED);
        assertThat(r.err().strip()).startsWith("limits: the Docker daemon refused to start container")
                .contains("no-such-command")
                .doesNotContain("Exception")
                .doesNotContain("\tat ")
                .doesNotContainPattern("\\R");
        assertThat(r.out()).isEmpty();
        assertThat(containersCreatedSince(before)).isEmpty();
    }

    @Test
    void noDaemon_exitsThree_withOneLine() {
        LimitsCommand command = new LimitsCommand(
                () -> DockerClients.fromEnvironment(Map.of("DOCKER_HOST", "unix:///nonexistent/docker.sock")));
        StringWriter err = new StringWriter();
        try {
            var cli = command.commandLine();
            cli.setErr(new PrintWriter(err));
            cli.setOut(new PrintWriter(new StringWriter()));
            assertThat(cli.execute("inspect", "x")).isEqualTo(LimitsCommand.EXIT_NO_DAEMON);
        } finally {
            command.close();
        }
        assertThat(err.toString()).contains("unix:///nonexistent/docker.sock").doesNotContain("\tat ");
    }

    /** The packaged jar, as bin/limits runs it, in a process of its own. */
    @Test
    void theRunnableJar_runsStandalone() throws IOException, InterruptedException {
        Path jar = Path.of("target", "limits.jar");
        assertThat(jar).exists();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar.toString(), "check", "--offline", "--memory", "1x", "--cpus", "2.5").redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isEqualTo(2);
        assertThat(output).contains("--memory = \"1x\": unexpected 'x'").doesNotContain("\tat ");
        Process ok = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar.toString(), "check", "--offline", "--memory", "1g", "--cpus", "250%").redirectErrorStream(true).start();
        String okOutput = new String(ok.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ok.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ok.exitValue()).as(okOutput).isZero();
        assertThat(okOutput).contains("limits: mem_limit=1g,nano_cpus=2500000000");
    }
}
