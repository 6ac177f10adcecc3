package org.containerlimits.docker;

import org.containerlimits.testing.BusyboxImage;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.usage.LimitsReading;
import org.containerlimits.docker.stats.StatsReader;
import org.containerlimits.docker.stats.StatsSourceKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * {@link DockerLimits#modifier} plugs into Testcontainers' {@code withCreateContainerCmdModifier}
 * unchanged, and the container runs under the limits; and limits-docker works with the client a
 * user already has: every call here goes through Testcontainers' own client (its zerodep
 * transport), none through a client of this library's making.
 */
@RequiresDocker
class TestcontainersModifierIT {
    private static DockerClient client;

    @BeforeAll
    static void connect() {
        // Testcontainers' shared client: Testcontainers owns it and closes it, not this test.
        client = DockerClientFactory.instance().client();
        BusyboxImage.ensure(client);
    }

    @Test
    void genericContainerWithTheModifier_runsUnderTheLimits() throws Exception {
        ResourceLimits limits = ResourceLimits.parse("mem_limit=96m,cpu_quota=50000,cpu_period=100000,pids_limit=40");
        try (GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(BusyboxImage.NAME))
                .withCommand("sleep", "3600")
                .withLabel(Containers.LABEL, "true")
                .withCreateContainerCmdModifier(DockerLimits.modifier(limits))) {
            container.start();

            assertThat(DockerLimits.of(client).read(container.getContainerId())).isEqualTo(limits);
            boolean v2 = container.execInContainer("cat", "/sys/fs/cgroup/cgroup.controllers").getExitCode() == 0;
            ExecResult memory = container.execInContainer("cat",
                    v2 ? "/sys/fs/cgroup/memory.max" : "/sys/fs/cgroup/memory/memory.limit_in_bytes");
            ExecResult cpu = container.execInContainer("cat",
                    v2 ? "/sys/fs/cgroup/cpu.max" : "/sys/fs/cgroup/cpu/cpu.cfs_quota_us");
            ExecResult pids = container.execInContainer("cat",
                    v2 ? "/sys/fs/cgroup/pids.max" : "/sys/fs/cgroup/pids/pids.max");
            assertThat(memory.getStdout().strip()).isEqualTo("100663296");
            assertThat(cpu.getStdout().strip()).isEqualTo(v2 ? "50000 100000" : "50000");
            assertThat(pids.getStdout().strip()).isEqualTo("40");

            // Preflight and a stats reading through the same client (the API source: no cgroup files).
            assertThat(DockerLimits.of(client).check(limits)).noneMatch(LimitProblem::isError);
            try (StatsReader reader = StatsReader.builder(client).source(StatsSourceKind.API).build()) {
                LimitsReading reading = reader.read(container.getContainerId());
                assertThat(reading.memoryLimitBytes()).hasValue(100663296L);
                assertThat(reading.pidsLimit()).hasValue(40L);
            }
        }
    }
}
