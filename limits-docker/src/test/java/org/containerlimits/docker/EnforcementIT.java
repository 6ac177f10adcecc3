package org.containerlimits.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.containerlimits.core.ResourceLimits;
import org.junit.jupiter.api.Test;

/** The kernel enforces what was applied: memory beyond the limit is OOM-killed, pids stop at the limit. */
class EnforcementIT extends DaemonTest {

    private String start(String limits, String... command) {
        AppliedLimits applied = docker.create(createCmd(java.util.List.of(command)), ResourceLimits.parse(limits));
        String id = containers.track(applied.containerId());
        client.startContainerCmd(id).exec();
        return id;
    }

    @Test
    void allocatingBeyondTheMemoryLimit_isOomKilled_andReported() {
        // dd holds one 200 MiB buffer; memory+swap equal to memory leaves no swap to escape to.
        String id = start("mem_limit=64m,memswap_limit=64m", "dd", "if=/dev/zero", "of=/dev/null", "bs=200M", "count=1");
        Containers.Output exit = containers.awaitExit(id, Duration.ofSeconds(30));
        assertThat(exit.exitCode()).isEqualTo(137);
        assertThat(docker.wasOomKilled(id)).isTrue();
    }

    @Test
    void theSameAllocationUnderALargerLimit_completes() {
        String id = start("mem_limit=512m", "dd", "if=/dev/zero", "of=/dev/null", "bs=200M", "count=1");
        assertThat(containers.awaitExit(id, Duration.ofSeconds(30)).exitCode()).isZero();
        assertThat(docker.wasOomKilled(id)).isFalse();
    }

    /**
     * A shell starts short sleeps in the background until a fork fails; with 32 pids, the
     * container's own sleep (pid 1), the shell and its sleeps fill the limit, and the shell dies on
     * the failed fork. The sleeps end after a few seconds, which frees room to exec again.
     */
    private static final String SPAWN_64 =
            "i=0; while [ $i -lt 64 ]; do sleep 4 & i=$((i+1)); echo $i > /tmp/spawned; done";

    @Test
    void aPidsLimitOf32_stopsTheContainerAt32Processes() throws InterruptedException {
        String id = start("pids_limit=32", Containers.DEFAULT_COMMAND.toArray(String[]::new));
        Containers.Output spawner = containers.execOutput(id, "sh", "-c", SPAWN_64);
        assertThat(spawner.exitCode()).isNotZero();
        assertThat(spawner.stderr()).contains("can't fork");

        // Asked of the daemon, not by an exec: with every pid taken, an exec cannot start yet.
        boolean v2 = docker.capabilities().cgroupVersion().equals("2");
        String dir = v2 ? "/sys/fs/cgroup/" : "/sys/fs/cgroup/pids/";
        Containers.Output read = null;
        for (int attempt = 0; attempt < 40; attempt++) {
            read = containers.execOutput(id, "cat", "/tmp/spawned", dir + "pids.max", dir + "pids.events");
            if (read.exitCode() == 0) {
                break;
            }
            Thread.sleep(500);
        }
        assertThat(read.exitCode()).as("exec once the sleeps ended: %s", read).isZero();
        String[] lines = read.stdout().strip().split("\\n");
        // pid 1 and the shell leave 30 of the 32 for sleeps.
        assertThat(Integer.parseInt(lines[0].strip())).isEqualTo(30);
        assertThat(lines[1].strip()).isEqualTo("32");
        // The kernel counts every fork it refused at the limit.
        assertThat(lines[2]).startsWith("max ");
        assertThat(Long.parseLong(lines[2].substring(4).strip())).isPositive();
    }

    @Test
    void withoutAPidsLimit_theSameShellStartsAll64() {
        String id = start("mem_limit=64m", Containers.DEFAULT_COMMAND.toArray(String[]::new));
        Containers.Output spawner = containers.execOutput(id, "sh", "-c", SPAWN_64);
        assertThat(spawner.stderr()).doesNotContain("can't fork");
        assertThat(spawner.exitCode()).isZero();
        assertThat(containers.exec(id, "cat", "/tmp/spawned").strip()).isEqualTo("64");
    }
}
