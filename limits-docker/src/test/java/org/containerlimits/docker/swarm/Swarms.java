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
                        .withCommand(command)))
                .withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(1)));
    }

    @Override
    public void close() {
        for (String name : services) {
            try {
                client.removeServiceCmd(name).exec();
            } catch (RuntimeException e) {
                // Not created, or already removed by the library after a failed create.
            }
        }
    }
}
