package org.containerlimits.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.containerlimits.testing.BusyboxImage;

/**
 * The shared set-up of the tests that talk to the real daemon: one client and one strict
 * {@link DockerLimits} per test class, and a {@link Containers} tracker per test that removes what
 * the test created, also when it fails. Public, for the examples' tests (limits-docker's test-jar).
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
        client = DockerClients.fromEnvironment();
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
