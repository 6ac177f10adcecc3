package org.containerlimits.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.exception.NotFoundException;
import org.containerlimits.core.ResourceLimits;
import org.junit.jupiter.api.Test;

/**
 * Live updates change the cgroup files of a running container, raising and lowering alike. On an
 * engine without live update (Podman before 5.1) each test asserts that engine's outcome instead:
 * {@link LiveUpdateUnsupportedException} naming it, and the container's cgroup as before.
 */
class DockerLimitsUpdateIT extends DaemonTest {

    /**
     * On an engine without live update, asserts that updating is refused before anything changes
     * and returns {@code true}; on one with live update returns {@code false} and asserts nothing.
     */
    private boolean refusedLive(String id, String limits, String v1File, String v2File) {
        if (engine().hasLiveUpdate()) {
            return false;
        }
        String before = cgroup(id, v1File, v2File);
        assertThatThrownBy(() -> docker.update(id, ResourceLimits.parse(limits)))
                .isInstanceOfSatisfying(LiveUpdateUnsupportedException.class, e -> {
                    assertThat(e.engine()).isEqualTo(engine());
                    assertThat(e.containerId()).isEqualTo(id);
                })
                .hasMessageStartingWith(engine() + " cannot change the limits of container " + id.substring(0, 12))
                .hasMessageContaining("only from Podman 5.1")
                .hasMessageContaining("Recreate the container");
        assertThat(cgroup(id, v1File, v2File)).as("unchanged").isEqualTo(before);
        return true;
    }

    /**
     * The engine says whether it updates live, and it does what it says: Docker answers the update
     * endpoint; Podman before 5.1 answers it 404, which the library reports as
     * {@link LiveUpdateUnsupportedException} before asking.
     */
    @Test
    void theEngineSaysWhetherItUpdatesLive_andItsUpdateEndpointAgrees() {
        String id = running("mem_limit=64m");
        if (engine().hasLiveUpdate()) {
            client.updateContainerCmd(id).withMemory(96L << 20).withMemorySwap(192L << 20).exec();
            assertThat(memoryLimit(id)).isEqualTo(Long.toString(96L << 20));
            return;
        }
        assertThatThrownBy(() -> client.updateContainerCmd(id).withMemory(96L << 20).withMemorySwap(192L << 20).exec())
                .isInstanceOf(NotFoundException.class);
        assertThat(refusedLive(id, "mem_limit=96m", "memory/memory.limit_in_bytes", "memory.max")).isTrue();
        assertThat(memoryLimit(id)).isEqualTo("67108864");
    }

    private String running(String limits) {
        AppliedLimits applied = docker.create(sleeper(),
                ResourceLimits.parse(limits));
        String id = containers.track(applied.containerId());
        client.startContainerCmd(id).exec();
        return id;
    }

    private String cgroup(String id, String v1File, String v2File) {
        boolean v2 = containers.cgroupVersion(id) == 2;
        return containers.exec(id, "cat", "/sys/fs/cgroup/" + (v2 ? v2File : v1File)).strip();
    }

    private String memoryLimit(String id) {
        return cgroup(id, "memory/memory.limit_in_bytes", "memory.max");
    }

    @Test
    void raisingMemoryAboveCurrentSwap_sendsSwapAlong_andDefaultSwapStaysDefault() {
        String id = running("mem_limit=64m");
        if (refusedLive(id, "mem_limit=256m", "memory/memory.limit_in_bytes", "memory.max")) {
            return;
        }
        // Memory alone at 256m would be refused: "Memory limit should be smaller than already set
        // memoryswap limit" (the current memory+swap is the default 128m).
        AppliedLimits raised = docker.update(id, ResourceLimits.parse("mem_limit=256m"));
        assertThat(raised.mismatches()).isEmpty();
        assertThat(memoryLimit(id)).isEqualTo("268435456");
        if (containers.cgroupVersion(id) == 1) {
            assertThat(cgroup(id, "memory/memory.memsw.limit_in_bytes", null)).isEqualTo("536870912");
        }
        assertThat(docker.read(id)).isEqualTo(readBackOf(ResourceLimits.parse("mem_limit=256m")));

        AppliedLimits lowered = docker.update(id, ResourceLimits.parse("mem_limit=32m"));
        assertThat(lowered.mismatches()).isEmpty();
        assertThat(memoryLimit(id)).isEqualTo("33554432");
        assertThat(docker.read(id)).isEqualTo(readBackOf(ResourceLimits.parse("mem_limit=32m")));
    }

    @Test
    void memoryWithExplicitSwap_raisesAndLowersBoth() {
        String id = running("mem_limit=64m,memswap_limit=96m");
        if (refusedLive(id, "mem_limit=512m,memswap_limit=768m", "memory/memory.limit_in_bytes", "memory.max")) {
            return;
        }
        docker.update(id, ResourceLimits.parse("mem_limit=512m,memswap_limit=768m"));
        assertThat(memoryLimit(id)).isEqualTo("536870912");
        if (containers.cgroupVersion(id) == 1) {
            assertThat(cgroup(id, "memory/memory.memsw.limit_in_bytes", null)).isEqualTo("805306368");
        }
        docker.update(id, ResourceLimits.parse("mem_limit=48m,memswap_limit=64m"));
        assertThat(memoryLimit(id)).isEqualTo("50331648");
        assertThat(docker.read(id)).isEqualTo(readBackOf(ResourceLimits.parse("mem_limit=48m,memswap_limit=64m")));
    }

    @Test
    void memoryWithoutSwap_keepsANonDefaultSwapAllowance() {
        String id = running("mem_limit=64m,memswap_limit=96m");
        if (refusedLive(id, "mem_limit=128m", "memory/memory.limit_in_bytes", "memory.max")) {
            return;
        }
        docker.update(id, ResourceLimits.parse("mem_limit=128m"));
        // 32m of swap allowance before, 32m after.
        assertThat(docker.read(id)).isEqualTo(readBackOf(ResourceLimits.parse("mem_limit=128m,memswap_limit=160m")));
    }

    @Test
    void nanoCpus_sharesCpusetAndPids_changeLive() {
        String id = running("nano_cpus=500000000,cpu_shares=512,cpuset_cpus=0-1,pids_limit=100");
        boolean v2 = containers.cgroupVersion(id) == 2;
        assertThat(cgroup(id, "cpu/cpu.cfs_quota_us", "cpu.max")).isEqualTo(v2 ? "50000 100000" : "50000");
        if (refusedLive(id, "nano_cpus=1500000000,cpu_shares=256,cpuset_cpus=0,pids_limit=64",
                "pids/pids.max", "pids.max")) {
            assertThat(cgroup(id, "cpu/cpu.cfs_quota_us", "cpu.max")).isEqualTo(v2 ? "50000 100000" : "50000");
            return;
        }

        AppliedLimits updated = docker.update(id,
                ResourceLimits.parse("nano_cpus=1500000000,cpu_shares=256,cpuset_cpus=0,pids_limit=64"));
        assertThat(updated.mismatches()).isEmpty();
        assertThat(cgroup(id, "cpu/cpu.cfs_quota_us", "cpu.max")).isEqualTo(v2 ? "150000 100000" : "150000");
        assertThat(cgroup(id, "cpuset/cpuset.cpus", "cpuset.cpus")).isEqualTo("0");
        assertThat(cgroup(id, "pids/pids.max", "pids.max")).isEqualTo("64");
        if (!v2) {
            assertThat(cgroup(id, "cpu/cpu.shares", null)).isEqualTo("256");
        }
        assertThat(docker.read(id)).isEqualTo(
                readBackOf(ResourceLimits.parse("nano_cpus=1500000000,cpu_shares=256,cpuset_cpus=0,pids_limit=64")));
    }

    @Test
    void quotaAndPeriod_changeLive() {
        String id = running("cpu_quota=50000,cpu_period=100000");
        if (refusedLive(id, "cpu_quota=30000,cpu_period=20000", "cpu/cpu.cfs_quota_us", "cpu.max")) {
            return;
        }
        docker.update(id, ResourceLimits.parse("cpu_quota=30000,cpu_period=20000"));
        boolean v2 = containers.cgroupVersion(id) == 2;
        assertThat(cgroup(id, "cpu/cpu.cfs_quota_us", "cpu.max")).isEqualTo(v2 ? "30000 20000" : "30000");
        if (!v2) {
            assertThat(cgroup(id, "cpu/cpu.cfs_period_us", null)).isEqualTo("20000");
        }
        assertThat(docker.read(id)).isEqualTo(readBackOf(ResourceLimits.parse("cpu_quota=30000,cpu_period=20000")));
    }

    @Test
    void switchingCpuForm_isRefusedBeforeTheDaemon_andNothingChanges() {
        String id = running("nano_cpus=500000000");
        if (refusedLive(id, "cpu_quota=100000,cpu_period=100000", "cpu/cpu.cfs_quota_us", "cpu.max")) {
            return;
        }
        if (onPodman()) {
            // Podman 5.1 and later store every CPU limit as quota and period: there is no form to switch.
            docker.update(id, ResourceLimits.parse("cpu_quota=100000,cpu_period=100000"));
            assertThat(docker.read(id)).isEqualTo(ResourceLimits.parse("cpu_quota=100000,cpu_period=100000,pids_limit=2048"));
            return;
        }
        assertThatThrownBy(() -> docker.update(id, ResourceLimits.parse("cpu_quota=100000,cpu_period=100000")))
                .isInstanceOf(PreflightException.class)
                .hasMessageContaining("cpu_quota")
                .hasMessageContaining("nano_cpus=1000000000");
        assertThat(docker.read(id)).isEqualTo(readBackOf(ResourceLimits.parse("nano_cpus=500000000")));
    }

    @Test
    void fieldsTheDaemonCannotChangeLive_areRefusedByName() {
        String id = running("mem_limit=64m");
        if (refusedLive(id, "mem_limit=128m,shm_size=128m", "memory/memory.limit_in_bytes", "memory.max")) {
            return;
        }
        assertThatThrownBy(() -> docker.update(id, ResourceLimits.parse("mem_limit=128m,shm_size=128m")))
                .isInstanceOf(PreflightException.class)
                .hasMessageContaining("shm_size")
                .hasMessageContaining("cannot change it on an existing container");
        assertThat(memoryLimit(id)).isEqualTo("67108864");
    }
}
