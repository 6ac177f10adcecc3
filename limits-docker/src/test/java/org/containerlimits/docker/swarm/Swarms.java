package org.containerlimits.docker.swarm;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.LocalNodeState;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.SwarmSpec;
import com.github.dockerjava.api.model.TaskSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.containerlimits.testing.BusyboxImage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one-node swarm the Swarm tests run on, and a tracker that removes the services a test
 * created. {@code bin/ensure-docker --swarm} (and so CI) makes the daemon a swarm manager; where it
 * is not one yet, {@link #ensureManager} makes it one, on 127.0.0.1, and leaves it so.
 */
final class Swarms implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Swarms.class);

    private final DockerClient client;
    private final List<String> services = new ArrayList<>();

    Swarms(DockerClient client) {
        this.client = client;
    }

    static void ensureManager(DockerClient client) {
        var swarm = client.infoCmd().exec().getSwarm();
        LocalNodeState state = swarm == null ? null : swarm.getLocalNodeState();
        if (state != LocalNodeState.ACTIVE) {
            log.info("the daemon is not in a swarm ({}): docker swarm init --advertise-addr 127.0.0.1", state);
            client.initializeSwarmCmd(new SwarmSpec()).withListenAddr("127.0.0.1").withAdvertiseAddr("127.0.0.1")
                    .exec();
        }
    }

    /** A spec of one replica of the test image running the command; its name is tracked for removal. */
    ServiceSpec spec(List<String> command) {
        String name = "cl-it-" + UUID.randomUUID().toString().substring(0, 8);
        services.add(name);
        return new ServiceSpec().withName(name)
                .withTaskTemplate(new TaskSpec().withContainerSpec(new ContainerSpec().withImage(BusyboxImage.NAME)
                        // A shell as pid 1 ignores SIGTERM: without this each removal took the 10 s grace
                        // period, in which a CPU burner went on burning beside the next test.
                        .withStopSignal("SIGKILL").withCommand(command)))
                .withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(1)));
    }

    /** Removes the services and waits (20 s at most) until their containers are gone. */
    @Override
    public void close() {
        for (String name : services) {
            try {
                client.removeServiceCmd(name).exec();
            } catch (RuntimeException e) {
                // Not created, or already removed by the library after a failed create.
            }
        }
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        for (String name : services) {
            while (!client.listContainersCmd().withShowAll(true)
                    .withLabelFilter(java.util.Map.of("com.docker.swarm.service.name", name)).exec().isEmpty()) {
                if (System.nanoTime() > deadline) {
                    log.warn("the containers of service {} are still there after 20 s", name);
                    return;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
