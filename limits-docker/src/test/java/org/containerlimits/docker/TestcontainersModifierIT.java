package org.containerlimits.docker;

import org.containerlimits.docker.client.DockerClients;
import org.containerlimits.testing.BusyboxImage;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import java.io.IOException;
import org.containerlimits.core.ResourceLimits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * {@link DockerLimits#modifier} plugs into Testcontainers' {@code withCreateContainerCmdModifier}
 * unchanged, and the container runs under the limits.
 */
@RequiresDocker
class TestcontainersModifierIT {
    private static DockerClient client;

    @BeforeAll
    static void connect() {
        client = DockerClients.fromEnvironment();
        BusyboxImage.ensure(client);
    }

    @AfterAll
    static void disconnect() throws IOException {
        client.close();
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
        }
    }
}
