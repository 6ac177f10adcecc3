package org.containerlimits.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import org.containerlimits.core.ResourceLimits;
import org.junit.jupiter.api.Test;

/** Preflight, against the real daemon's {@code /info}: refusals name the problem, create nothing. */
class DockerLimitsPreflightIT extends DaemonTest {

    @Test
    void capabilities_describeThisHost() {
        HostCapabilities caps = docker.capabilities();
        assertThat(caps.cpus()).isEqualTo(client.infoCmd().exec().getNCPU());
        assertThat(caps.memory().toBytes()).isEqualTo(client.infoCmd().exec().getMemTotal());
        assertThat(caps.cgroupVersion()).isIn("1", "2");
        assertThat(docker.capabilities()).isSameAs(caps);
    }

    @Test
    void moreCpusThanTheHost_cpusetBeyondIt_andATerabyte_areEachRefusedByName() {
        int cpus = docker.capabilities().cpus();
        String beyond = Integer.toString(cpus + 3);
        List<LimitProblem> problems = docker.check(ResourceLimits.parse(
                "nano_cpus=64000000000,cpuset_cpus=" + beyond + ",mem_limit=1t"));
        assertThat(problems).extracting(LimitProblem::field)
                .containsExactlyInAnyOrder("mem_limit", "nano_cpus", "cpuset_cpus");
        assertThat(problems).allMatch(LimitProblem::isError);
        assertThat(problems.toString())
                .contains("64 cores is more than the " + cpus + " CPUs")
                .contains("CPUs " + beyond + " of " + beyond + " do not exist")
                .contains("1t");
    }

    @Test
    void refusedLimits_createNoContainer() {
        for (String limits : List.of("nano_cpus=64000000000", "cpuset_cpus=5-6", "mem_limit=1t")) {
            String name = "containerlimits-preflight-" + UUID.randomUUID();
            assertThatThrownBy(() -> docker.create(sleeper().withName(name), ResourceLimits.parse(limits)))
                    .isInstanceOf(PreflightException.class)
                    .hasMessageContaining(limits.substring(0, limits.indexOf('=')));
            assertThat(client.listContainersCmd().withShowAll(true).withNameFilter(List.of(name)).exec())
                    .as("containers named %s", name).isEmpty();
        }
    }

    @Test
    void aQuotaAboveTheHostsCpus_isAWarning_andTheContainerIsCreated() {
        int cpus = docker.capabilities().cpus();
        ResourceLimits limits = ResourceLimits.parse("cpu_quota=" + (cpus + 2) * 100_000 + ",cpu_period=100000");
        assertThat(docker.check(limits)).singleElement()
                .satisfies(p -> assertThat(p.isError()).isFalse())
                .satisfies(p -> assertThat(p.message()).contains("can never be reached"));
        AppliedLimits applied = docker.create(sleeper(), limits);
        containers.track(applied.containerId());
        assertThat(applied.warnings()).anyMatch(w -> w.contains("can never be reached"));
        assertThat(docker.read(applied.containerId())).isEqualTo(readBackOf(limits));
    }

    @Test
    void pidsLimitOne_isAWarning_andTheWorkloadReallyCannotFork() {
        ResourceLimits limits = ResourceLimits.parse("pids_limit=1");
        assertThat(docker.check(limits)).singleElement()
                .satisfies(p -> assertThat(p.isError()).isFalse())
                .satisfies(p -> assertThat(p.field()).isEqualTo("pids_limit"))
                .satisfies(p -> assertThat(p.message()).contains("cannot fork"));
        // The warning is true: the shell's first fork fails and it exits non-zero; or the runtime's
        // own start-up (runc's init, counted in the same cgroup) is refused a task first and the
        // daemon answers the start with 500 "cannot start a stopped process" (a fresh-clone CI
        // run saw that once).
        AppliedLimits applied = docker.create(createCmd(List.of("sh", "-c", "sleep 1 & wait")), limits);
        containers.track(applied.containerId());
        assertThat(applied.warnings()).anyMatch(w -> w.contains("cannot fork"));
        try {
            client.startContainerCmd(applied.containerId()).exec();
            int exit = client.waitContainerCmd(applied.containerId()).start()
                    .awaitStatusCode(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(exit).isNotZero();
        } catch (com.github.dockerjava.api.exception.InternalServerErrorException e) {
            assertThat(e.getMessage()).contains("cannot start a stopped process");
        }
        // With room for one child, the same command works: the limit, not the command, failed it.
        assertThat(docker.check(ResourceLimits.parse("pids_limit=2"))).isEmpty();
        AppliedLimits two = docker.create(createCmd(List.of("sh", "-c", "sleep 1 & wait")),
                ResourceLimits.parse("pids_limit=2"));
        containers.track(two.containerId());
        client.startContainerCmd(two.containerId()).exec();
        assertThat(client.waitContainerCmd(two.containerId()).start()
                .awaitStatusCode(30, java.util.concurrent.TimeUnit.SECONDS)).isZero();
    }

    /** The warnings preflight adds on Podman to every mem_limit; see {@link #theEngineIsKnown_andPodmansDifferencesArePreflightProblems}. */
    private static boolean isPodmansMemLimitWarning(LimitProblem p) {
        return onPodman() && !p.isError() && p.field().equals("mem_limit") && p.message().startsWith(engine().toString());
    }

    /**
     * Which engine answers decides what preflight adds: nothing on Docker; on Podman an error for the
     * unlimited swap it would drop, and warnings for a mem_limit whose OOM kills (before Podman 5.0)
     * and page cache (its stats) it does not report.
     */
    @Test
    void theEngineIsKnown_andPodmansDifferencesArePreflightProblems() {
        Engine engine = engine();
        assertThat(engine.version()).isNotEqualTo("unknown");
        assertThat(docker.engine()).isSameAs(engine);
        assertThat(engine.version()).isEqualTo(onPodman()
                ? client.versionCmd().exec().getComponents().stream()
                        .filter(c -> c.getName().equals("Podman Engine")).findFirst().orElseThrow().getVersion()
                : client.versionCmd().exec().getVersion());
        List<LimitProblem> problems = docker.check(ResourceLimits.parse("mem_limit=64m,memswap_limit=-1"));
        if (!onPodman()) {
            assertThat(engine.differences()).isEmpty();
            assertThat(problems).isEmpty();
            return;
        }
        assertThat(problems).filteredOn(LimitProblem::isError).extracting(LimitProblem::field)
                .containsExactly("memswap_limit");
        assertThat(problems).filteredOn(p -> !p.isError()).allMatch(DockerLimitsPreflightIT::isPodmansMemLimitWarning)
                .anyMatch(p -> p.message().contains("page cache"))
                .hasSize(engine.reportsOomKills() ? 1 : 2);
        String name = "containerlimits-preflight-" + UUID.randomUUID();
        assertThatThrownBy(() -> docker.create(sleeper().withName(name), ResourceLimits.parse("mem_limit=64m,memswap_limit=-1")))
                .isInstanceOf(PreflightException.class).hasMessageContaining("memswap_limit");
        assertThat(client.listContainersCmd().withShowAll(true).withNameFilter(List.of(name)).exec()).isEmpty();
    }

    @Test
    void shmAboveTheHostsMemory_orAboveMemLimit_isAWarning() {
        long hostBytes = docker.capabilities().memory().toBytes();
        String beyondHost = "shm_size=" + (hostBytes / (1L << 20) + 1024) + "m";
        assertThat(docker.check(ResourceLimits.parse(beyondHost))).singleElement()
                .satisfies(p -> assertThat(p.isError()).isFalse())
                .satisfies(p -> assertThat(p.field()).isEqualTo("shm_size"))
                .satisfies(p -> assertThat(p.message()).contains("more than this host's"));
        assertThat(docker.check(ResourceLimits.parse("shm_size=512m,mem_limit=256m")))
                .filteredOn(p -> !isPodmansMemLimitWarning(p)).singleElement()
                .satisfies(p -> assertThat(p.isError()).isFalse())
                .satisfies(p -> assertThat(p.message()).contains("more than mem_limit 256m"));
        assertThat(docker.check(ResourceLimits.parse("shm_size=64m,mem_limit=256m")))
                .filteredOn(p -> !isPodmansMemLimitWarning(p)).isEmpty();
    }
}
