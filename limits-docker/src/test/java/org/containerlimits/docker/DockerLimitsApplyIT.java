package org.containerlimits.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.HostConfig;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.containerlimits.core.CpuLimit;
import org.containerlimits.core.CpuSet;
import org.containerlimits.core.MemorySize;
import org.containerlimits.core.PidsLimit;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.SwapLimit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each limit, applied at creation on the real daemon, is checked three ways: {@code docker inspect}
 * holds the Docker encoding, the container's own cgroup file holds the kernel's value, and
 * {@link DockerLimits#read} gives back the limits that were applied (on Podman, with what Podman
 * adds on its own: see {@link DaemonTest#readBackOf}).
 */
class DockerLimitsApplyIT extends DaemonTest {

    /**
     * One field: the limits, what inspect must hold, and the cgroup v1 and v2 files with the text
     * they must contain.
     */
    record Case(String field, ResourceLimits limits, Function<HostConfig, Object> inspect, Object inspected,
            String v1File, String v1Text, String v2File, String v2Text) {
        @Override
        public String toString() {
            return field + " " + limits;
        }
    }

    private static final long MIB = 1024 * 1024;

    static Stream<Case> fields() {
        MemorySize m64 = MemorySize.ofMebibytes(64);
        return Stream.of(
                new Case("mem_limit", limits("mem_limit=64m"), HostConfig::getMemory, 64 * MIB,
                        "memory/memory.limit_in_bytes", "67108864", "memory.max", "67108864"),
                new Case("mem_reservation", limits("mem_limit=64m,mem_reservation=32m"),
                        HostConfig::getMemoryReservation, 32 * MIB,
                        "memory/memory.soft_limit_in_bytes", "33554432", "memory.low", "33554432"),
                new Case("memswap_limit", limits("mem_limit=64m,memswap_limit=96m"), HostConfig::getMemorySwap,
                        96 * MIB, "memory/memory.memsw.limit_in_bytes", "100663296", "memory.swap.max", "33554432"),
                new Case("memswap_limit unlimited", ResourceLimits.builder().memory(m64)
                        .memorySwap(SwapLimit.UNLIMITED).build(), HostConfig::getMemorySwap, -1L,
                        "memory/memory.memsw.limit_in_bytes", "9223372036854771712", "memory.swap.max", "max"),
                new Case("mem_swappiness", limits("mem_swappiness=10"), HostConfig::getMemorySwappiness, 10L,
                        "memory/memory.swappiness", "10", null, null),
                new Case("nano_cpus", ResourceLimits.builder().cpu(CpuLimit.parse("0.5")).build(),
                        HostConfig::getNanoCPUs, 500_000_000L,
                        "cpu/cpu.cfs_quota_us", "50000", "cpu.max", "50000 100000"),
                new Case("cpu_quota", limits("cpu_quota=25000,cpu_period=50000"), HostConfig::getCpuQuota, 25_000L,
                        "cpu/cpu.cfs_quota_us", "25000", "cpu.max", "25000 50000"),
                new Case("cpu_period", limits("cpu_quota=25000,cpu_period=50000"), HostConfig::getCpuPeriod, 50_000L,
                        "cpu/cpu.cfs_period_us", "50000", "cpu.max", "25000 50000"),
                new Case("cpu_shares", limits("cpu_shares=512"), HostConfig::getCpuShares, 512,
                        // runc maps shares to cgroup v2 weight: 1 + (512 - 2) * 9999 / 262142 = 20
                        "cpu/cpu.shares", "512", "cpu.weight", "20"),
                new Case("cpuset_cpus", ResourceLimits.builder().cpusetCpus(CpuSet.of(1)).build(),
                        HostConfig::getCpusetCpus, "1", "cpuset/cpuset.cpus", "1", "cpuset.cpus", "1"),
                new Case("cpuset_mems", limits("cpuset_mems=0"), HostConfig::getCpusetMems, "0",
                        "cpuset/cpuset.mems", "0", "cpuset.mems", "0"),
                new Case("pids_limit", ResourceLimits.builder().pidsLimit(PidsLimit.of(32)).build(),
                        HostConfig::getPidsLimit, 32L, "pids/pids.max", "32", "pids.max", "32"),
                new Case("oom_kill_disable", limits("mem_limit=64m,oom_kill_disable=true"),
                        HostConfig::getOomKillDisable, true,
                        "memory/memory.oom_control", "oom_kill_disable 1", null, null),
                new Case("shm_size", limits("shm_size=32m"), HostConfig::getShmSize, 32 * MIB,
                        "/proc/mounts", "size=32768k", "/proc/mounts", "size=32768k"));
    }

    private static ResourceLimits limits(String text) {
        return ResourceLimits.parse(text);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fields")
    void eachField_inspectCgroupAndReadBackAgree(Case c) {
        if (c.v2File() == null && onCgroupV2()) {
            // cgroup v2 has no such control: preflight refuses it by name, never drops it silently.
            assertRefused(c.limits(), c.field());
            return;
        }
        if (onPodman() && c.field().equals("memswap_limit unlimited")) {
            // Podman drops MemorySwap -1 and applies twice the memory: preflight refuses it by name.
            assertRefused(c.limits(), "memswap_limit");
            return;
        }
        AppliedLimits applied = docker.create(sleeper(), c.limits());
        String id = containers.track(applied.containerId());
        client.startContainerCmd(id).exec();

        assertThat(applied.mismatches()).as("mismatches").isEmpty();
        HostConfig inspected = client.inspectContainerCmd(id).exec().getHostConfig();
        assertThat(c.inspect().apply(inspected)).as("docker inspect").isEqualTo(c.inspected());

        boolean v2 = containers.cgroupVersion(id) == 2;
        String file = v2 ? c.v2File() : c.v1File();
        String path = file.startsWith("/") ? file : "/sys/fs/cgroup/" + file;
        String content = containers.exec(id, "cat", path);
        if (path.equals("/proc/mounts") || c.field().equals("oom_kill_disable")) {
            assertThat(content).as(path).contains(v2 ? c.v2Text() : c.v1Text());
        } else {
            assertThat(content.strip()).as(path).isEqualTo(v2 ? c.v2Text() : c.v1Text());
        }

        assertThat(docker.read(id)).as("read back").isEqualTo(readBackOf(c.limits()));
        assertThat(applied.effective()).isEqualTo(readBackOf(c.limits()));
        assertUnaskedNamed(applied);
    }

    /** A limit the engine applied on its own is named in the warnings: Podman's pids limit, nothing on Docker. */
    private static void assertUnaskedNamed(AppliedLimits applied) {
        if (onPodman() && applied.requested().pidsLimit().isEmpty()) {
            assertThat(applied.warnings()).filteredOn(w -> w.contains("was not asked for")).singleElement().asString()
                    .startsWith("pids_limit=2048 was not asked for: " + engine() + " applied its own pids limit");
        } else {
            assertThat(applied.warnings()).noneMatch(w -> w.contains("was not asked for"));
        }
    }

    /** Whether the daemon's containers live on cgroup v2, as its {@code /info} says. */
    private static boolean onCgroupV2() {
        return docker.capabilities().cgroupVersion().equals("2");
    }

    /** Preflight refuses exactly these fields by name, and nothing is created. */
    private static void assertRefused(ResourceLimits limits, String... fields) {
        assertThatThrownBy(() -> docker.create(sleeper(), limits))
                .isInstanceOfSatisfying(PreflightException.class, e -> assertThat(e.problems())
                        .filteredOn(LimitProblem::isError).extracting(LimitProblem::field)
                        .containsExactlyInAnyOrder(fields));
    }

    @Test
    void everyFieldAtOnce_readsBackEqual() {
        ResourceLimits.Builder builder = ResourceLimits.builder()
                .memory(MemorySize.parse("96m"))
                .memoryReservation(MemorySize.parse("48m"))
                .memorySwap(SwapLimit.parse("128m"))
                .memorySwappiness(20)
                .cpu(CpuLimit.ofQuota(150_000, 100_000))
                .cpuShares(700)
                .cpusetCpus(CpuSet.parse("0-1"))
                .cpusetMems(CpuSet.parse("0"))
                .pidsLimit(PidsLimit.of(50))
                .oomKillDisable(true)
                .shmSize(MemorySize.parse("16m"));
        ResourceLimits all = builder.build();
        if (onCgroupV2()) {
            // Swappiness and disabling the OOM killer do not exist on v2: refused by name, and the
            // rest applies exactly.
            assertRefused(all, "mem_swappiness", "oom_kill_disable");
            all = builder.memorySwappiness(null).oomKillDisable(null).build();
        }
        AppliedLimits applied = docker.create(sleeper(), all);
        containers.track(applied.containerId());
        assertThat(applied.isExact()).isTrue();
        assertThat(docker.read(applied.containerId())).isEqualTo(readBackOf(all));
        assertUnaskedNamed(applied);
    }

    static Stream<Map<String, Object>> originConfigs() {
        return Stream.of(
                Map.of("mem_limit", "1g"),
                Map.of("cpu_period", 100000, "cpu_quota", 250000),
                Map.of("cpu_shares", 512),
                Map.of("cpuset_cpus", "0-1"),
                Map.of("mem_swappiness", 0),
                Map.of("memswap_limit", "3g", "mem_limit", "1g"));
    }

    @ParameterizedTest
    @MethodSource("originConfigs")
    void originDocumentConfigs_applyAndReadBack(Map<String, Object> config) {
        ResourceLimits limits = ResourceLimits.fromDockerPy(config);
        if (config.containsKey("mem_swappiness") && onCgroupV2()) {
            assertRefused(limits, "mem_swappiness");
            return;
        }
        AppliedLimits applied = docker.create(sleeper(), limits);
        containers.track(applied.containerId());
        assertThat(applied.mismatches()).isEmpty();
        assertThat(docker.read(applied.containerId())).isEqualTo(readBackOf(limits));
        assertUnaskedNamed(applied);
        if (onPodman() && config.containsKey("mem_swappiness")) {
            // Applied (the cgroup holds 0), but Podman reports 0 for every container: said so, not hidden.
            assertThat(applied.warnings()).anyMatch(w -> w.startsWith("WARNING mem_swappiness") && w.contains("cannot be verified"));
            client.startContainerCmd(applied.containerId()).exec();
            assertThat(containers.exec(applied.containerId(), "cat", "/sys/fs/cgroup/memory/memory.swappiness").strip())
                    .isEqualTo("0");
        }
    }

    @Test
    void memswapOfTwiceTheMemory_isTheDaemonsDefault_enforced_andReadBackAsAskedThroughTheLabel() {
        // The origin's {memswap_limit: '2g', mem_limit: '1g'}: the daemon stores exactly what it
        // stores for mem_limit alone; the request create records on the container tells them apart.
        ResourceLimits limits = ResourceLimits.fromDockerPy(Map.of("memswap_limit", "2g", "mem_limit", "1g"));
        AppliedLimits applied = docker.create(sleeper(), limits);
        String id = containers.track(applied.containerId());
        client.startContainerCmd(id).exec();
        assertThat(applied.mismatches()).isEmpty();
        assertThat(client.inspectContainerCmd(id).exec().getHostConfig().getMemorySwap()).isEqualTo(2048 * MIB);
        if (containers.cgroupVersion(id) == 1) {
            assertThat(containers.exec(id, "cat", "/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes").strip())
                    .isEqualTo(Long.toString(2048 * MIB));
        }
        assertThat(DockerLimits.fromHostConfig(client.inspectContainerCmd(id).exec().getHostConfig(), engine()))
                .isEqualTo(readBackOf(ResourceLimits.fromDockerPy(Map.of("mem_limit", "1g"))));
        assertThat(docker.read(id)).isEqualTo(readBackOf(limits));
        assertThat(applied.effective()).isEqualTo(readBackOf(limits));
    }

    @Test
    void memoryAlone_getsTheDaemonsDefaultSwap_andReadsBackWithoutIt() {
        AppliedLimits applied = docker.create(sleeper(), limits("mem_limit=64m"));
        String id = containers.track(applied.containerId());
        client.startContainerCmd(id).exec();
        // The daemon's own default: memory+swap of twice the memory. Not a mismatch.
        assertThat(client.inspectContainerCmd(id).exec().getHostConfig().getMemorySwap()).isEqualTo(128 * MIB);
        assertThat(containers.cgroupVersion(id) == 1
                ? containers.exec(id, "cat", "/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes").strip()
                : "134217728").isEqualTo("134217728");
        assertThat(applied.isExact()).isTrue();
        assertThat(docker.read(id)).isEqualTo(readBackOf(limits("mem_limit=64m")));
    }

    @Test
    void modifier_worksOnAPlainCreateCommand_withoutPreflight() {
        CreateContainerCmd cmd = sleeper();
        DockerLimits.modifier(limits("mem_limit=80m,cpu_shares=300")).accept(cmd);
        String id = containers.track(cmd.exec().getId());
        assertThat(docker.read(id)).isEqualTo(readBackOf(limits("mem_limit=80m,cpu_shares=300")));
    }

    /**
     * Podman (seen on 4.3.1, and in its current compat handler, which passes only a positive
     * MemorySwap) drops an unlimited swap at create and applies twice the memory: that is why
     * preflight refuses it there. Docker applies it.
     */
    @Test
    void anUnlimitedSwap_isAppliedByDocker_andDroppedByPodman_whichPreflightRefusesByName() {
        ResourceLimits limits = limits("mem_limit=64m,memswap_limit=-1");
        if (!onPodman()) {
            assertThat(docker.check(limits)).isEmpty();
            return; // applied and read back: eachField_inspectCgroupAndReadBackAgree's "memswap_limit unlimited"
        }
        assertThat(docker.check(limits)).filteredOn(LimitProblem::isError).singleElement()
                .satisfies(p -> assertThat(p.field()).isEqualTo("memswap_limit"))
                .satisfies(p -> assertThat(p.message()).contains(engine().toString()).contains("twice mem_limit"));
        // Past preflight (the modifier alone), Podman's own outcome: twice the memory, in inspect and the kernel.
        CreateContainerCmd cmd = sleeper();
        DockerLimits.modifier(limits).accept(cmd);
        String id = containers.track(cmd.exec().getId());
        client.startContainerCmd(id).exec();
        assertThat(client.inspectContainerCmd(id).exec().getHostConfig().getMemorySwap()).isEqualTo(128 * MIB);
        assertThat(containers.cgroupVersion(id) == 1
                ? containers.exec(id, "cat", "/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes").strip()
                : Long.toString(64 * MIB + Long.parseLong(containers.exec(id, "cat", "/sys/fs/cgroup/memory.swap.max").strip())))
                .isEqualTo(Long.toString(128 * MIB));
        // And strict mode's read-back would have caught it: unlimited asked, Podman's default in force.
        assertThat(DockerLimits.fromHostConfig(client.inspectContainerCmd(id).exec().getHostConfig(), engine()))
                .isEqualTo(readBackOf(limits("mem_limit=64m")));
    }

}
