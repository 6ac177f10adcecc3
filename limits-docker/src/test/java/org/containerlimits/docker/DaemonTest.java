package org.containerlimits.docker;

import org.containerlimits.testing.BusyboxImage;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The shared set-up of the tests that talk to the real daemon: one client and one strict
 * {@link DockerLimits} per test class, and a {@link Containers} tracker per test that removes what
 * the test created, also when it fails.
 */
@RequiresDocker
abstract class DaemonTest {
    static DockerClient client;
    static DockerLimits docker;
    Containers containers;

    @BeforeAll
    static void connect() {
        client = DockerClients.fromEnvironment();
        docker = DockerLimits.of(client);
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

    /** A create command for the test image, labelled for cleanup, running {@code command}. */
    static CreateContainerCmd createCmd(List<String> command) {
        return client.createContainerCmd(BusyboxImage.ensure(client))
                .withCmd(command)
                .withLabels(Map.of(Containers.LABEL, "true"));
    }

    /** A create command for a container that sleeps, so that it can be exec'd into. */
    static CreateContainerCmd sleeper() {
        return createCmd(Containers.DEFAULT_COMMAND);
    }
}
