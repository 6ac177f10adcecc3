package org.containerlimits.docker;

import org.containerlimits.testing.BusyboxImage;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@RequiresDocker
class BusyboxImageIT {

    private static DockerClient docker;
    private Containers containers;

    @BeforeAll
    static void connect() {
        docker = TestClients.fromEnvironment();
    }

    @AfterAll
    static void disconnect() throws IOException {
        docker.close();
    }

    @BeforeEach
    void track() {
        containers = new Containers(docker);
    }

    @AfterEach
    void cleanUp() {
        containers.close();
    }

    @Test
    void runsAShellCommandAndReportsItsOutputAndExitCode() {
        String id = containers.start(cmd -> cmd.withCmd("sh", "-c", "echo ok"));

        Containers.Output output = containers.awaitExit(id, Duration.ofSeconds(30));

        assertThat(output.exitCode()).isZero();
        assertThat(output.stdout()).isEqualTo("ok\n");
        assertThat(output.stderr()).isEmpty();
    }

    @Test
    void reportsAFailingCommandsExitCodeAndStderr() {
        String id = containers.start(cmd -> cmd.withCmd("sh", "-c", "echo oops >&2; exit 3"));

        Containers.Output output = containers.awaitExit(id, Duration.ofSeconds(30));

        assertThat(output.exitCode()).isEqualTo(3);
        assertThat(output.stderr()).isEqualTo("oops\n");
    }

    @Test
    void theImageIsCurrentLabelledAndNeverPulled() {
        String name = BusyboxImage.ensure(docker);
        // Again: a no-op once per JVM, and must not fail or load again.
        assertThat(BusyboxImage.ensure(docker)).isEqualTo(name).isEqualTo("containerlimits/busybox:test");

        String expected = BusyboxImage.diffId(BusyboxImage.rootFsTar(BusyboxImage.findStaticBusybox()));
        assertThat(BusyboxImage.layers(docker, name)).contains(List.of(expected));
        InspectImageResponse image = docker.inspectImageCmd(name).exec();
        assertThat(image.getRepoDigests()).as("a pulled image would have a registry digest").isEmpty();
        assertThat(image.getConfig().getLabels()).containsEntry(Containers.LABEL, "true");
        assertThat(image.getConfig().getEnv()).contains("PATH=" + BusyboxImage.PATH);
    }

    @Test
    void buildsTheImageFromScratchWithEveryAppletAndDirectory() {
        String name = "containerlimits/busybox:it-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            String diffId = BusyboxImage.build(docker, name);
            // The layer's diff ID is the tar's SHA-256, which ensure() relies on to spot stale images.
            assertThat(BusyboxImage.layers(docker, name)).contains(List.of(diffId));

            String id = containers.start(cmd -> cmd.withImage(name));
            String bin = containers.exec(id, "ls", "/bin");
            assertThat(bin.lines()).containsAll(BusyboxImage.APPLETS).contains("busybox");
            for (String applet : BusyboxImage.APPLETS) {
                assertThat(containers.exec(id, "sh", "-c", "busybox readlink /bin/" + applet))
                        .as("/bin/%s", applet)
                        .isEqualTo("busybox\n");
            }
            for (String dir : BusyboxImage.DIRECTORIES) {
                assertThat(containers.execOutput(id, "sh", "-c", "test -d /" + dir).exitCode())
                        .as("/%s is a directory", dir)
                        .isZero();
            }
            assertThat(containers.exec(id, "ls", "-ld", "/tmp")).startsWith("drwxrwxrwt");
            // The applets work, not just exist.
            assertThat(containers.exec(id, "sh", "-c", "mkdir /tmp/d && ls /tmp && rm -r /tmp/d"))
                    .isEqualTo("d\n");
            assertThat(containers.exec(id, "sh", "-c", "yes | head -n 2")).isEqualTo("y\ny\n");
            assertThat(containers.exec(id, "sh", "-c", "dd if=/dev/zero bs=1k count=3 2>/dev/null | busybox wc -c"))
                    .isEqualTo("3072\n");
        } finally {
            containers.close();
            try {
                docker.removeImageCmd(name).withForce(true).exec();
            } catch (NotFoundException e) {
                // Loading failed before creating it.
            }
        }
    }

    @Test
    void recognizesStaticAndDynamicExecutables() throws IOException {
        Path busybox = BusyboxImage.findStaticBusybox();
        assertThat(BusyboxImage.isStaticElf(Files.readAllBytes(busybox))).isTrue();

        // The JVM's own launcher is dynamically linked everywhere.
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        assertThat(BusyboxImage.isStaticElf(Files.readAllBytes(java))).isFalse();

        assertThat(BusyboxImage.isStaticElf("#!/bin/sh\necho hi\n".getBytes())).isFalse();
        assertThat(BusyboxImage.isStaticElf(new byte[0])).isFalse();
    }
}
