package org.containerlimits.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
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

    /**
     * The kernel kills the allocation on every engine (exit 137); Docker's inspect says so, Podman's
     * before 5.0 does not (State.OOMKilled stays false), and the library said that at create.
     */
    @Test
    void allocatingBeyondTheMemoryLimit_isOomKilled_andReported() {
        // dd holds one 200 MiB buffer; memory+swap equal to memory leaves no swap to escape to.
        AppliedLimits applied = docker.create(createCmd(java.util.List.of("dd", "if=/dev/zero", "of=/dev/null",
                "bs=200M", "count=1")), ResourceLimits.parse("mem_limit=64m,memswap_limit=64m"));
        String id = containers.track(applied.containerId());
        client.startContainerCmd(id).exec();
        Containers.Output exit = containers.awaitExit(id, Duration.ofSeconds(30));
        assertThat(exit.exitCode()).isEqualTo(137);
        boolean reported = engine().reportsOomKills();
        assertOomKillReport(id, docker.wasOomKilled(id));
        if (reported) {
            assertThat(applied.warnings()).noneMatch(w -> w.contains("OOM"));
        } else {
            assertThat(applied.warnings()).anyMatch(w -> w.startsWith("WARNING mem_limit: " + engine()
                    + " does not report OOM kills"));
        }
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
     * the failed fork.
     */
    private static final String SPAWN_64 =
            "i=0; while [ $i -lt 64 ]; do sleep 4 & i=$((i+1)); echo $i > /tmp/spawned; done";

    @Test
    void aPidsLimitOf32_stopsTheContainerAt32Processes() throws IOException {
        String id = start("pids_limit=32", Containers.DEFAULT_COMMAND.toArray(String[]::new));
        Containers.Output spawner = containers.execOutput(id, "sh", "-c", SPAWN_64);
        assertThat(spawner.exitCode()).isNotZero();
        assertThat(spawner.stderr()).contains("can't fork");

        // Read from the host's view of the cgroup and from the container's file system, not by an
        // exec: the sleeps' zombies stay until pid 1 (a plain sleep) reaps them, which it never does,
        // so an exec may find no pid left for runc's process (seen on cgroup v2 with Engine 26).
        HostCgroup cgroup = HostCgroup.ofPid(client.inspectContainerCmd(id).exec().getState().getPidLong());
        assertThat(cgroup.pidsMax()).hasValue(32);
        assertThat(cgroup.pidsCurrent()).isLessThanOrEqualTo(32);
        // The kernel counts every fork it refused at the limit.
        assertThat(cgroup.pidsRefused()).isPositive();
        // pid 1 and the shell leave 30 of the 32 for sleeps.
        assertThat(fileOf(id, "/tmp/spawned").strip()).isEqualTo("30");
    }

    /** A small file of a container, through the archive endpoint ({@code docker cp}): no process runs. */
    private static String fileOf(String id, String path) throws IOException {
        try (InputStream tar = client.copyArchiveFromContainerCmd(id, path).exec();
                TarArchiveInputStream entries = new TarArchiveInputStream(tar)) {
            if (entries.getNextEntry() == null) {
                throw new AssertionError("no " + path + " in container " + id);
            }
            return new String(entries.readAllBytes(), StandardCharsets.UTF_8);
        }
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
