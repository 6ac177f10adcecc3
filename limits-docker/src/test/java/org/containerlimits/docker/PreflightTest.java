package org.containerlimits.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.containerlimits.core.CpuSet;
import org.containerlimits.core.MemorySize;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.docker.LimitProblem.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Preflight} over hand-built {@link HostCapabilities}, on both engines, without a daemon: for
 * each representative limit, the field, whether it is an error or a warning, and the key words of
 * the message.
 */
class PreflightTest {
    static final Engine DOCKER = new Engine(Engine.Kind.DOCKER, "27.3.1", "1.47");
    static final Engine PODMAN_4_3 = new Engine(Engine.Kind.PODMAN, "4.3.1", "1.41");
    static final Engine PODMAN_5_1 = new Engine(Engine.Kind.PODMAN, "5.1.0", "1.41");

    /** A host's capabilities, built by hand: everything supported unless turned off. */
    static final class Host {
        private int cpus;
        private MemorySize memory = MemorySize.parse("4g");
        private boolean memoryLimit = true;
        private boolean swapLimit = true;
        private boolean cfsQuota = true;
        private boolean cfsPeriod = true;
        private boolean cpuShares = true;
        private boolean cpuSet = true;
        private boolean oomKillDisable = true;
        private String cgroupVersion = "1";
        private String cgroupDriver = "cgroupfs";
        private Optional<CpuSet> memoryNodes = Optional.empty();

        /** cgroup v1, cgroupfs, every feature on. */
        static Host v1(int cpus) {
            Host h = new Host();
            h.cpus = cpus;
            return h;
        }

        /** cgroup v2, systemd, as Docker reports it there: no OOM-killer disabling. */
        static Host v2(int cpus) {
            Host h = v1(cpus);
            h.cgroupVersion = "2";
            h.cgroupDriver = "systemd";
            h.oomKillDisable = false;
            return h;
        }

        Host memory(String size) {
            memory = MemorySize.parse(size);
            return this;
        }

        Host noMemoryLimit() {
            memoryLimit = false;
            return this;
        }

        Host noSwapLimit() {
            swapLimit = false;
            return this;
        }

        Host noCfsQuota() {
            cfsQuota = false;
            return this;
        }

        Host noCfsPeriod() {
            cfsPeriod = false;
            return this;
        }

        Host noCpuShares() {
            cpuShares = false;
            return this;
        }

        Host noCpuSet() {
            cpuSet = false;
            return this;
        }

        Host memoryNodes(String nodes) {
            memoryNodes = Optional.of(CpuSet.parse(nodes));
            return this;
        }

        HostCapabilities build() {
            return new HostCapabilities(cpus, memory, memoryLimit, swapLimit, cfsQuota, cfsPeriod, cpuShares, cpuSet,
                    oomKillDisable, cgroupVersion, cgroupDriver, "27.3.1", memoryNodes);
        }
    }

    static Stream<Engine> engines() {
        return Stream.of(DOCKER, PODMAN_4_3);
    }

    static Stream<Arguments> cpusAndEngines() {
        return Stream.of(1, 2, 64).flatMap(cpus -> engines().map(engine -> Arguments.of(cpus, engine)));
    }

    /**
     * The host's problems as {@link DockerLimits#check(ResourceLimits, HostCapabilities, Engine)}
     * lists them, without the engine's own (which name the engine and are tested on their own below).
     */
    static List<LimitProblem> hostProblems(String limits, Host host, Engine engine) {
        ResourceLimits parsed = ResourceLimits.parse(limits);
        List<LimitProblem> all = DockerLimits.check(parsed, host.build(), engine);
        List<LimitProblem> hosts = DockerLimits.check(parsed, host.build());
        assertThat(all).hasSizeGreaterThanOrEqualTo(hosts.size());
        assertThat(all.subList(0, hosts.size())).isEqualTo(hosts);
        assertThat(all.subList(hosts.size(), all.size())).allSatisfy(p ->
                assertThat(p.message()).startsWith(engine.toString()));
        return hosts;
    }

    static void assertOnly(List<LimitProblem> problems, Severity severity, String field, String phrase) {
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo(field);
            assertThat(p.severity()).as(p.toString()).isEqualTo(severity);
            assertThat(p.message()).contains(phrase);
        });
    }

    // ------------------------------------------------------------------------------ CPU

    @ParameterizedTest(name = "{0} CPUs, {1}")
    @MethodSource("cpusAndEngines")
    void nanoCpusAboveTheHostsCpus_isAnError_aQuotaAboveThem_aWarning_andAllOfThemIsFine(int cpus, Engine engine) {
        Host host = Host.v1(cpus);
        assertOnly(hostProblems("nano_cpus=" + (cpus * 1_000_000_000L + 10_000_000L), host, engine), Severity.ERROR,
                "nano_cpus", cpus + ".01 cores is more than the " + cpus + " CPUs of this host; the daemon refuses it");
        assertOnly(hostProblems("cpu_quota=" + (cpus + 1) * 100_000L + ",cpu_period=100000", host, engine),
                Severity.WARNING, "cpu_quota", "(" + (cpus + 1) + " cores) is more than the " + cpus
                        + " CPUs of this host: the daemon accepts it, but it can never be reached");
        assertThat(hostProblems("nano_cpus=" + cpus * 1_000_000_000L, host, engine)).isEmpty();
        assertThat(hostProblems("cpu_quota=" + cpus * 100_000L + ",cpu_period=100000", host, engine)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void aCpuLimitAboveItsCpuset_isAWarning(Engine engine) {
        assertOnly(hostProblems("nano_cpus=3000000000,cpuset_cpus=0-1", Host.v1(64), engine), Severity.WARNING,
                "nano_cpus", "is more than the 2 CPUs of cpuset_cpus 0-1: it can never be reached");
        assertOnly(hostProblems("cpu_quota=300000,cpu_period=100000,cpuset_cpus=0-1", Host.v2(64), engine),
                Severity.WARNING, "cpu_quota", "is more than the 2 CPUs of cpuset_cpus 0-1");
        assertThat(hostProblems("nano_cpus=2000000000,cpuset_cpus=0-1", Host.v1(64), engine)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void withoutCfsQuota_anyCpuLimitIsAnError_withoutCfsPeriod_theQuotaForm(Engine engine) {
        assertOnly(hostProblems("nano_cpus=500000000", Host.v1(2).noCfsQuota(), engine), Severity.ERROR, "nano_cpus",
                "does not support the CFS quota that CPU limits need; the daemon would discard 0.5");
        assertOnly(hostProblems("cpu_quota=50000,cpu_period=100000", Host.v1(2).noCfsQuota(), engine), Severity.ERROR,
                "cpu_quota", "does not support the CFS quota");
        assertOnly(hostProblems("cpu_quota=50000,cpu_period=100000", Host.v1(2).noCfsPeriod(), engine), Severity.ERROR,
                "cpu_quota", "does not support the CFS quota");
        assertThat(hostProblems("nano_cpus=500000000", Host.v1(2).noCfsPeriod(), engine)).isEmpty();
    }

    @ParameterizedTest(name = "{0} CPUs, {1}")
    @MethodSource("cpusAndEngines")
    void aCpusetOutsideTheHost_isAnError_namingTheMissingCpus(int cpus, Engine engine) {
        Host host = Host.v1(cpus);
        String hostCpus = cpus == 1 ? "0" : "0-" + (cpus - 1);
        assertOnly(hostProblems("cpuset_cpus=0-" + (cpus + 1), host, engine), Severity.ERROR, "cpuset_cpus",
                "CPUs " + cpus + "," + (cpus + 1) + " of 0-" + (cpus + 1) + " do not exist: this host has CPUs " + hostCpus);
        assertOnly(hostProblems("cpuset_cpus=" + cpus, host, engine), Severity.ERROR, "cpuset_cpus",
                "CPUs " + cpus + " of " + cpus + " do not exist: this host has CPUs " + hostCpus);
        assertThat(hostProblems("cpuset_cpus=" + hostCpus, host, engine)).isEmpty();
        assertThat(hostProblems("cpuset_cpus=" + (cpus - 1), host, engine)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void cpusetMemsOutsideKnownMemoryNodes_isAnError_andUnknownNodesCannotBeChecked(Engine engine) {
        assertOnly(hostProblems("cpuset_mems=0-1", Host.v1(2).memoryNodes("0"), engine), Severity.ERROR, "cpuset_mems",
                "memory nodes 1 of 0-1 do not exist: this host has memory nodes 0");
        assertThat(hostProblems("cpuset_mems=0-1", Host.v1(2).memoryNodes("0-1"), engine)).isEmpty();
        assertThat(hostProblems("cpuset_mems=0-7", Host.v1(2), engine)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void withoutCpusets_cpusetCpusAndMemsAreErrors(Engine engine) {
        List<LimitProblem> problems = hostProblems("cpuset_cpus=0,cpuset_mems=0", Host.v1(2).noCpuSet(), engine);
        assertThat(problems).extracting(LimitProblem::severity, LimitProblem::field, LimitProblem::message)
                .containsExactlyInAnyOrder(
                        tuple(Severity.ERROR, "cpuset_cpus", "this daemon's kernel does not support cpusets"),
                        tuple(Severity.ERROR, "cpuset_mems", "this daemon's kernel does not support cpusets"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void withoutCpuShares_cpuSharesIsAnError(Engine engine) {
        assertOnly(hostProblems("cpu_shares=512", Host.v1(2).noCpuShares(), engine), Severity.ERROR, "cpu_shares",
                "does not support CPU shares; the daemon would discard 512");
        assertThat(hostProblems("cpu_shares=512", Host.v2(2), engine)).isEmpty();
    }

    // ------------------------------------------------------------------------------ memory

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void memoryAboveTheHosts_isAnError_aReservationAboveIt_aWarning(Engine engine) {
        assertOnly(hostProblems("mem_limit=8g", Host.v1(2), engine), Severity.ERROR, "mem_limit",
                "8g is more than this host's 4g (4.0 GiB) of memory; the limit could never be reached");
        assertOnly(hostProblems("mem_reservation=8g", Host.v1(2), engine), Severity.WARNING, "mem_reservation",
                "8g is more than this host's 4g (4.0 GiB) of memory; it can never take effect");
        assertThat(hostProblems("mem_limit=4g,mem_reservation=4g", Host.v1(2), engine)).isEmpty();
        assertOnly(hostProblems("mem_limit=256m", Host.v1(2).noMemoryLimit(), engine), Severity.ERROR, "mem_limit",
                "does not support memory limits; the daemon would discard 256m");
        assertOnly(hostProblems("mem_reservation=256m", Host.v1(2).noMemoryLimit(), engine), Severity.ERROR,
                "mem_reservation", "does not support memory limits");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void swapWithoutSwapLimitSupport_isAnError(Engine engine) {
        assertOnly(hostProblems("mem_limit=256m,memswap_limit=512m", Host.v1(2).noSwapLimit(), engine), Severity.ERROR,
                "memswap_limit", "does not support swap limits (on cgroup v1 it needs swapaccount=1");
        assertThat(hostProblems("mem_limit=256m,memswap_limit=512m", Host.v1(2), engine)).isEmpty();
        assertThat(hostProblems("mem_limit=256m,memswap_limit=512m", Host.v2(2), engine)).isEmpty();
        // Unlimited needs no swap accounting (Podman's refusal of it is its own; see below).
        assertThat(hostProblems("mem_limit=256m,memswap_limit=unlimited", Host.v1(2).noSwapLimit(), engine)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void swappinessOnCgroupV2_isAnError(Engine engine) {
        assertOnly(hostProblems("mem_swappiness=10", Host.v2(2), engine), Severity.ERROR, "mem_swappiness",
                "cgroup v2 has no per-container swappiness; the daemon would discard 10");
        assertThat(hostProblems("mem_swappiness=10", Host.v1(2), engine)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void oomKillDisableOnCgroupV2_isAnError_onV1WithoutMemoryLimit_aWarning(Engine engine) {
        assertOnly(hostProblems("mem_limit=256m,oom_kill_disable=true", Host.v2(2), engine), Severity.ERROR,
                "oom_kill_disable", "does not support disabling the OOM killer (cgroup v2 never does)");
        assertOnly(hostProblems("oom_kill_disable=true", Host.v1(2), engine), Severity.WARNING, "oom_kill_disable",
                "the OOM killer is disabled but no mem_limit is set");
        assertThat(hostProblems("mem_limit=256m,oom_kill_disable=true", Host.v1(2), engine)).isEmpty();
        assertThat(hostProblems("oom_kill_disable=false", Host.v2(2), engine)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void shmSizeAboveMemory_isAWarning(Engine engine) {
        assertOnly(hostProblems("mem_limit=128m,shm_size=256m", Host.v1(2), engine), Severity.WARNING, "shm_size",
                "256m is more than mem_limit 128m: what /dev/shm holds is charged to the container's memory");
        assertOnly(hostProblems("shm_size=8g", Host.v1(2), engine), Severity.WARNING, "shm_size",
                "8g is more than this host's 4g (4.0 GiB) of memory; /dev/shm can never hold that much");
        assertThat(hostProblems("mem_limit=256m,shm_size=256m", Host.v1(2), engine)).isEmpty();
    }

    // ------------------------------------------------------------------------------ pids, block IO

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void pidsLimitOne_isAWarning(Engine engine) {
        assertOnly(hostProblems("pids_limit=1", Host.v2(2), engine), Severity.WARNING, "pids_limit",
                "1 leaves room for the container's first process only: it cannot fork");
        assertThat(hostProblems("pids_limit=2", Host.v2(2), engine)).isEmpty();
        assertThat(hostProblems("pids_limit=unlimited", Host.v2(2), engine)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void blkioWeightOnCgroupV2_isAWarning(Engine engine) {
        assertOnly(hostProblems("blkio_weight=500", Host.v2(2), engine), Severity.WARNING, "blkio_weight",
                "on cgroup v2 the daemon writes 500 to io.bfq.weight");
        assertThat(hostProblems("blkio_weight=500", Host.v1(2), engine)).isEmpty();
    }

    // ------------------------------------------------------------------------------ all at once

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void everyProblemIsFoundAtOnce(Engine engine) {
        List<LimitProblem> problems = hostProblems("mem_limit=128m,memswap_limit=256m,mem_swappiness=10,"
                + "nano_cpus=4000000000,cpuset_cpus=0-3,cpuset_mems=1,pids_limit=1,blkio_weight=500,"
                + "oom_kill_disable=true,shm_size=256m", Host.v2(2).noSwapLimit().memoryNodes("0"), engine);
        assertThat(problems).extracting(LimitProblem::severity, LimitProblem::field).containsExactlyInAnyOrder(
                tuple(Severity.ERROR, "memswap_limit"),
                tuple(Severity.ERROR, "mem_swappiness"),
                tuple(Severity.ERROR, "nano_cpus"),
                tuple(Severity.ERROR, "cpuset_cpus"),
                tuple(Severity.ERROR, "cpuset_mems"),
                tuple(Severity.ERROR, "oom_kill_disable"),
                tuple(Severity.WARNING, "shm_size"),
                tuple(Severity.WARNING, "pids_limit"),
                tuple(Severity.WARNING, "blkio_weight"));
    }

    @ParameterizedTest(name = "{0} CPUs, {1}")
    @MethodSource("cpusAndEngines")
    void noLimits_haveNoProblems(int cpus, Engine engine) {
        assertThat(DockerLimits.check(ResourceLimits.none(), Host.v2(cpus).noSwapLimit().noCpuSet().build(), engine))
                .isEmpty();
        assertThat(DockerLimits.check(ResourceLimits.none(), Host.v1(cpus).memoryNodes("0").build(), engine)).isEmpty();
    }

    // ------------------------------------------------------------------------------ the engine's own

    @Test
    void podman_refusesUnlimitedSwap_whichDockerApplies() {
        String limits = "mem_limit=256m,memswap_limit=unlimited";
        for (Host host : List.of(Host.v1(2), Host.v1(2).noSwapLimit(), Host.v2(2))) {
            assertThat(DockerLimits.check(ResourceLimits.parse(limits), host.build(), DOCKER)).isEmpty();
            List<LimitProblem> podman = DockerLimits.check(ResourceLimits.parse(limits), host.build(), PODMAN_5_1);
            assertThat(podman).filteredOn(LimitProblem::isError).singleElement().satisfies(p -> {
                assertThat(p.field()).isEqualTo("memswap_limit");
                assertThat(p.message()).startsWith("Podman 5.1.0 (API 1.41) drops an unlimited memswap_limit"
                        + " (MemorySwap -1)").contains("give memswap_limit as a size");
            });
        }
        // Without a memory limit too.
        assertOnly(DockerLimits.check(ResourceLimits.parse("memswap_limit=unlimited"), Host.v1(2).build(), PODMAN_4_3),
                Severity.ERROR, "memswap_limit", "drops an unlimited memswap_limit");
    }

    @Test
    void podman_warnsOfSwappinessZero_andOfWhatItDoesNotReportAboutAMemoryLimit() {
        assertOnly(DockerLimits.check(ResourceLimits.parse("mem_swappiness=0"), Host.v1(2).build(), PODMAN_4_3),
                Severity.WARNING, "mem_swappiness", "reports MemorySwappiness 0 for containers created without one");
        assertThat(DockerLimits.check(ResourceLimits.parse("mem_swappiness=1"), Host.v1(2).build(), PODMAN_4_3)).isEmpty();
        assertThat(DockerLimits.check(ResourceLimits.parse("mem_limit=256m"), Host.v1(2).build(), PODMAN_4_3))
                .extracting(LimitProblem::severity, LimitProblem::field).containsExactly(
                        tuple(Severity.WARNING, "mem_limit"), tuple(Severity.WARNING, "mem_limit"));
        assertOnly(DockerLimits.check(ResourceLimits.parse("mem_limit=256m"), Host.v1(2).build(), PODMAN_5_1),
                Severity.WARNING, "mem_limit", "counts page cache as used memory");
        assertThat(DockerLimits.check(ResourceLimits.parse("mem_swappiness=0,mem_limit=256m"), Host.v1(2).build(), DOCKER))
                .isEmpty();
    }

    @Test
    void podman_saysNothingOfAFieldTheHostAlreadyRefuses() {
        // Swappiness 0 on cgroup v2: the host's error only, not also Podman's warning about reading it back.
        assertOnly(DockerLimits.check(ResourceLimits.parse("mem_swappiness=0"), Host.v2(2).build(), PODMAN_4_3),
                Severity.ERROR, "mem_swappiness", "cgroup v2 has no per-container swappiness");
        assertOnly(DockerLimits.check(ResourceLimits.parse("mem_limit=8g"), Host.v2(2).build(), PODMAN_4_3),
                Severity.ERROR, "mem_limit", "is more than this host's 4g");
    }
}
