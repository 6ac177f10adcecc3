package org.containerlimits.docker;

import org.containerlimits.testing.BusyboxImage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@RequiresDocker
class ContainersIT {

    private static final long MEMORY = 64L * 1024 * 1024;

    private static DockerClient docker;

    @BeforeAll
    static void connect() {
        docker = TestClients.fromEnvironment();
    }

    @AfterAll
    static void disconnect() throws IOException {
        docker.close();
    }

    @Test
    void labelsContainersAndRemovesThemEvenWhenTheTestFails() {
        String[] id = new String[1];

        assertThatThrownBy(
                        () -> {
                            try (Containers containers = new Containers(docker)) {
                                id[0] = containers.start(cmd -> {});
                                assertThat(docker.inspectContainerCmd(id[0]).exec().getConfig().getLabels())
                                        .containsEntry(Containers.LABEL, "true");
                                assertThat(containers.ids()).containsExactly(id[0]);
                                throw new IllegalStateException("the test failed");
                            }
                        })
                .hasMessage("the test failed");

        assertThatThrownBy(() -> docker.inspectContainerCmd(id[0]).exec())
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void keepsTheCallersLabelsAndAddsItsOwn() {
        try (Containers containers = new Containers(docker)) {
            String id = containers.create(cmd -> cmd.withLabels(Map.of("purpose", "label-test")));

            assertThat(docker.inspectContainerCmd(id).exec().getConfig().getLabels())
                    .containsEntry("purpose", "label-test")
                    .containsEntry(Containers.LABEL, "true");
            // Found by the label, which is how leftovers are cleaned up by hand.
            assertThat(
                            docker
                                    .listContainersCmd()
                                    .withShowAll(true)
                                    .withLabelFilter(Map.of(Containers.LABEL, "true"))
                                    .exec())
                    .anySatisfy(c -> assertThat(c.getId()).isEqualTo(id));
        }
    }

    @Test
    void execReturnsStdoutAndFailsWithStderr() {
        try (Containers containers = new Containers(docker)) {
            String id = containers.start(cmd -> {});

            assertThat(containers.exec(id, "sh", "-c", "echo hello; echo noise >&2"))
                    .isEqualTo("hello\n");
            assertThat(containers.execOutput(id, "sh", "-c", "echo bad >&2; exit 7"))
                    .isEqualTo(new Containers.Output(7, "", "bad\n"));
            assertThatThrownBy(() -> containers.exec(id, "cat", "/no/such/file"))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("exited with 1")
                    .hasMessageContaining("No such file");
        }
    }

    @Test
    void readsTheContainersOwnMemoryLimitFromItsCgroup() {
        try (Containers containers = new Containers(docker)) {
            String id = containers.start(cmd -> cmd.getHostConfig().withMemory(MEMORY));

            String file =
                    containers.cgroupVersion(id) == 2
                            ? "/sys/fs/cgroup/memory.max"
                            : "/sys/fs/cgroup/memory/memory.limit_in_bytes";
            assertThat(containers.exec(id, "cat", file).strip()).isEqualTo(Long.toString(MEMORY));
        }
    }

    @Test
    void detectsTheSameCgroupVersionAsTheHost() {
        // Only meaningful when the daemon runs on this machine.
        assumeThat(System.getenv().getOrDefault("DOCKER_HOST", TestClients.DEFAULT_DOCKER_HOST))
                .startsWith("unix://");
        int host = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers")) ? 2 : 1;

        try (Containers containers = new Containers(docker)) {
            String id = containers.start(cmd -> {});

            assertThat(containers.cgroupVersion(id)).isEqualTo(host);
        }
    }

    @Test
    void removeIsIdempotentAndCloseForgetsRemovedContainers() {
        Containers containers = new Containers(docker);
        try {
            String first = containers.create(cmd -> {});
            String second = containers.create(cmd -> {});
            containers.remove(first);
            containers.remove(first);
            docker.removeContainerCmd(second).withForce(true).exec();

            assertThat(containers.ids()).isEqualTo(List.of(second));
            // The second is gone already; close must not fail on it.
            containers.close();
            assertThat(containers.ids()).isEmpty();
        } finally {
            containers.close();
        }
    }

    @Test
    void tracksContainersCreatedElsewhere() {
        String id =
                docker
                        .createContainerCmd(BusyboxImage.ensure(docker))
                        .withCmd(Containers.DEFAULT_COMMAND)
                        .withLabels(Map.of(Containers.LABEL, "true"))
                        .exec()
                        .getId();
        try (Containers containers = new Containers(docker)) {
            assertThat(containers.track(id)).isEqualTo(id);
        }

        assertThatThrownBy(() -> docker.inspectContainerCmd(id).exec())
                .isInstanceOf(NotFoundException.class);
    }
}
