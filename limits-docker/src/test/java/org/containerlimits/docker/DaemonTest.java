package org.containerlimits.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.containerlimits.core.CpuLimit;
import org.containerlimits.core.PidsLimit;
import org.containerlimits.core.ResourceLimits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.containerlimits.testing.BusyboxImage;

/**
 * The shared set-up of the tests that talk to the real daemon: one client and one strict
 * {@link DockerLimits} per test class, and a {@link Containers} tracker per test that removes what
 * the test created, also when it fails. Public, for the examples' tests (limits-docker's test-jar).
 *
 * <p>The daemon may be Docker or Podman's Docker-compatible API ({@code DOCKER_HOST} of a
 * {@code podman system service}, as {@code bin/podman-tests} runs them): {@link #engine()} says
 * which, and tests assert each engine's own outcome where Podman truly differs.
 */
@RequiresDocker
public abstract class DaemonTest {
    /** The client, connected once per test class. */
    protected static DockerClient client;
    /** The strict limits applier for {@link #client}. */
    protected static DockerLimits docker;
    /** Removes what the current test created. */
    protected Containers containers;

    /** Connects, and makes sure the test image is there. */
    @BeforeAll
    static void connect() {
        client = TestClients.fromEnvironment();
        docker = DockerLimits.of(client);
        BusyboxImage.ensure(client);
    }

    @AfterAll
    static void disconnect() throws IOException {
        client.close();
    }

    @BeforeEach
    void tracker() {
        containers = new Containers(client);
    }

    @AfterEach
    void removeContainers() {
        containers.close();
    }

    /**
     * The engine under test, as the library detects it ({@code GET /version}).
     *
     * @return Docker or Podman, with its version
     */
    protected static Engine engine() {
        return docker.engine();
    }

    /**
     * Asserts what the daemon and the library say of a container whose main process the OOM killer
     * ended. Docker on cgroup v1 and Podman from 5.0 always set {@code State.OOMKilled}; Podman
     * before 5.0 never does. Docker 26 on cgroup v2 sometimes does not: containerd's shim can deliver
     * the OOM event after the exit event, and the daemon then misses it (containerd#12714,
     * nomad#13119; 5 of 12 kills in one CI rehearsal in the v2 guest). Wherever the daemon cannot be
     * trusted, the library must say what the daemon says and nothing more.
     *
     * @param id the container
     * @param libraryReport what the library said ({@code wasOomKilled}, a reading's {@code oomKilled})
     */
    protected static void assertOomKillReport(String id, boolean libraryReport) {
        boolean daemonSays = Boolean.TRUE.equals(client.inspectContainerCmd(id).exec().getState().getOOMKilled());
        if (!engine().reportsOomKills()) {
            assertThat(daemonSays).as(engine() + " State.OOMKilled").isFalse();
        } else if ("1".equals(docker.capabilities().cgroupVersion())) {
            assertThat(daemonSays).as(engine() + " State.OOMKilled on cgroup v1").isTrue();
        }
        assertThat(libraryReport).as("the library's report, the daemon saying " + daemonSays).isEqualTo(daemonSays);
    }

    /**
     * Whether the engine under test is Podman's Docker-compatible API.
     *
     * @return {@code true} on Podman
     */
    protected static boolean onPodman() {
        return engine().isPodman();
    }

    /**
     * What {@link DockerLimits#read} gives back for limits applied at create on the engine under
     * test. Docker: the limits themselves. Podman, as seen on 4.3.1 with this project's
     * {@code containers.conf} (which leaves {@code pids_limit} at Podman's default): its own pids
     * limit of 2048 when none was asked, nano-CPUs as the quota over 100 ms it stores them as, and a
     * swappiness of 0 as not set (Podman reports 0 for every container created without one).
     *
     * @param applied the limits given to {@code create}
     * @return the limits the read-back must equal
     */
    protected static ResourceLimits readBackOf(ResourceLimits applied) {
        if (!onPodman()) {
            return applied;
        }
        // What the library created reads back as asked (its label), CPU form and a swappiness of 0
        // included; Podman adds its own pids limit when none was asked.
        ResourceLimits.Builder b = applied.toBuilder();
        if (applied.pidsLimit().isEmpty()) {
            b.pidsLimit(PidsLimit.of(2048));
        }
        return b.build();
    }


    /** A create command for the test image, labelled for cleanup, running {@code command}. */
    protected static CreateContainerCmd createCmd(List<String> command) {
        return client.createContainerCmd(BusyboxImage.ensure(client))
                .withCmd(command)
                .withLabels(Map.of(Containers.LABEL, "true"));
    }

    /** A create command for a container that sleeps, so that it can be exec'd into. */
    protected static CreateContainerCmd sleeper() {
        return createCmd(Containers.DEFAULT_COMMAND);
    }
}
