package org.containerlimits.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.containerlimits.docker.DaemonTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each example runs to completion against the real daemon, shows what it claims, and leaves no
 * container behind.
 */
class ExamplesIT extends DaemonTest {

    @AfterEach
    void nothingLeftBehind() {
        assertThat(client.listContainersCmd().withShowAll(true).withLabelFilter(List.of(ExampleRun.LABEL)).exec())
                .as("containers labelled " + ExampleRun.LABEL)
                .isEmpty();
    }

    /** Runs a main method with standard output captured. */
    private static String run(ThrowingMain main, String... args) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            main.run(args);
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        original.println(out);
        return out;
    }

    interface ThrowingMain {
        void run(String[] args) throws Exception;
    }

    /** The CPU % OF LIMIT column of every table row of a section of the output. */
    private static List<Double> percentsOfLimit(String section) {
        Matcher m = Pattern.compile("(?m)^notebook .*?\\d+\\.\\d\\d / \\d+\\.\\d\\d\\s+(\\d+\\.\\d)%").matcher(section);
        return m.results().map(r -> Double.valueOf(r.group(1))).toList();
    }

    @Test
    void notebookLimits_showsTheQuotaStageAtItsLimit() throws Exception {
        String out = run(NotebookLimits::main, "--seconds", "4");
        assertThat(out).contains("== no limits").contains("== mem_limit '1g'").contains("== cpu_period 100000");
        int cpus = Runtime.getRuntime().availableProcessors();
        if (cpus < 3) {
            assertThat(out).contains("fewer than the 2.5 the scenario asks for");
        }
        String quotaStage = out.substring(out.indexOf("== cpu_period"));
        assertThat(quotaStage).contains("LIMIT").contains("/ 1GiB");
        List<Double> percents = percentsOfLimit(quotaStage);
        assertThat(percents).hasSize(4);
        // The first second includes the stress starting up; the last is at the limit.
        assertThat(percents.get(percents.size() - 1)).isBetween(90.0, 106.0);
        String memoryStage = out.substring(out.indexOf("== mem_limit"), out.indexOf("== cpu_period"));
        assertThat(memoryStage).containsPattern("30\\d\\.\\dMiB / 1GiB");
    }

    @Test
    void liveResize_readingsFollowEachUpdate() throws Exception {
        String out = run(LiveResize::main, "--seconds", "3");
        assertThat(out).contains("updated live to mem_limit=512m").contains("updated live to mem_limit=128m");
        assertThat(out).contains("/ 1.50").contains("/ 0.25").contains("/ 512MiB").contains("/ 128MiB");
        String last = out.substring(out.lastIndexOf("updated live"));
        Matcher m = Pattern.compile("(?m)^worker .*?(\\d+\\.\\d\\d) / 0\\.25").matcher(last);
        List<Double> cores = m.results().map(r -> Double.valueOf(r.group(1))).toList();
        assertThat(cores).isNotEmpty();
        assertThat(cores.get(cores.size() - 1)).isBetween(0.2, 0.27);
    }

    @Test
    void outOfMemory_reportsTheKill() throws Exception {
        String out = run(OutOfMemory::main);
        assertThat(out).contains("exit code 137, OOMKilled true")
                .contains("reading: state STOPPED, oomKilled true")
                .contains("DockerLimits.wasOomKilled: true")
                .contains("OOM-KILLED");
    }

    @Test
    void fromSpawnerConfig_readsBothFormats_refusesNonLimits_andApplies() throws Exception {
        String out = run(FromSpawnerConfig::main, "--seconds", "2");
        assertThat(out).contains("-> mem_limit=1g,cpu_quota=")
                .contains("-> mem_limit=1g,nano_cpus=2500000000,pids_limit=256")
                .contains("refused {mem_limit=1g")
                .contains("privileged")
                .contains("refused flags --memory 1g --privileged:")
                .contains("applied; the daemon holds mem_limit=1g,cpu_quota=")
                .doesNotContain("NOT refused");
        if (Runtime.getRuntime().availableProcessors() < 3) {
            assertThat(out).contains("ERROR nano_cpus");
        }
    }

    @Test
    void applyLimits_theReadmeExample_runsAndRemovesItsContainer() throws Exception {
        java.util.Set<String> before = client.listContainersCmd().withShowAll(true).exec().stream()
                .map(c -> c.getId()).collect(java.util.stream.Collectors.toSet());
        String out = run(ApplyLimits::main);
        assertThat(out).contains("effective: mem_limit=1g,cpu_quota=250000,cpu_period=100000")
                .contains("after update: mem_limit=2g");
        assertThat(client.listContainersCmd().withShowAll(true).exec().stream().map(c -> c.getId())
                .collect(java.util.stream.Collectors.toSet())).as("no container of its own left")
                .isSubsetOf(before); // another test's container may be removed meanwhile
    }

    @Test
    void swarmService_theReadmeExample_runsAndRemovesItsService() throws Exception {
        var swarm = client.infoCmd().exec().getSwarm();
        if (swarm == null || swarm.getLocalNodeState() != com.github.dockerjava.api.model.LocalNodeState.ACTIVE) {
            client.initializeSwarmCmd(new com.github.dockerjava.api.model.SwarmSpec()).withListenAddr("127.0.0.1")
                    .withAdvertiseAddr("127.0.0.1").exec();
        }
        String out = run(SwarmService::main);
        assertThat(out).contains("problems: []")
                .contains("spec: mem_limit=256m,mem_reservation=128m,nano_cpus=500000000,pids_limit=128,"
                        + "cpu_reservation=250000000")
                .contains("task 1 container: mem_limit=256m,nano_cpus=500000000,pids_limit=128")
                .contains("after update: mem_limit=512m,mem_reservation=128m,nano_cpus=1000000000,pids_limit=128,"
                        + "cpu_reservation=250000000, exact: true")
                .containsPattern("1 task\\(s\\) use 0\\.0\\d of 1 cores");
        assertThat(client.listServicesCmd().withNameFilter(List.of("containerlimits-example")).exec()).isEmpty();
        // Its task's container stops within the 10 s grace period (sleep as pid 1 ignores SIGTERM);
        // wait for it, so that the tests that compare the host's containers before and after do not
        // see it go.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (!client.listContainersCmd().withShowAll(true).withLabelFilter(java.util.Map.of(
                "com.docker.swarm.service.name", "containerlimits-example")).exec().isEmpty()) {
            assertThat(System.nanoTime()).as("the example's task container is gone within 30 s").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    @Test
    void badArguments_areNamed() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ExampleRun.start("x", new String[] {"--seconds",
                "soon"}, 1)).hasMessageContaining("--seconds 'soon'");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ExampleRun.start("x", new String[] {"--fast"}, 1))
                .hasMessageContaining("unknown argument '--fast'");
    }
}
