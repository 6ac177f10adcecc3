package org.containerlimits.docker.stats;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import java.util.List;
import java.util.Objects;
import org.containerlimits.docker.DaemonFailures;

/** The containers of a Swarm service's running tasks on the node a client talks to. */
final class ServiceTasks {

    private ServiceTasks() {}

    static List<String> localContainers(DockerClient client, String service) {
        try {
            var swarm = client.infoCmd().exec().getSwarm();
            String node = swarm == null ? null : swarm.getNodeID();
            List<Task> tasks = client.listTasksCmd().withServiceFilter(service).exec();
            return tasks.stream()
                    .filter(t -> t.getDesiredState() == TaskState.RUNNING && t.getStatus() != null
                            && t.getStatus().getState() == TaskState.RUNNING && Objects.equals(node, t.getNodeId())
                            && t.getStatus().getContainerStatus() != null
                            && t.getStatus().getContainerStatus().getContainerID() != null)
                    .sorted(java.util.Comparator.comparing(t -> t.getSlot() == null ? 0 : t.getSlot()))
                    .map(t -> t.getStatus().getContainerStatus().getContainerID())
                    .toList();
        } catch (RuntimeException e) {
            throw DaemonFailures.of(client, "list the tasks of service " + service, e);
        }
    }
}
