package org.containerlimits.docker.swarm;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.docker.Mismatch;

/**
 * One running task of a service, read back: where it runs and, for a task on the node this client
 * talks to, the limits its container carries as {@code docker inspect} reports them.
 *
 * @param taskId the task's id
 * @param slot the task's slot in a replicated service; 0 in a global one
 * @param nodeId the node the task is placed on
 * @param state the task's state, as the Engine spells it ({@code running}, {@code pending}, ...)
 * @param containerId the task's container, once the node has created it; empty before
 * @param container the limits of the task's container, for a task on this node; empty for a task
 *     on another node, whose daemon this client cannot ask
 * @param mismatches every limit the container does not carry as the service asks; empty when it
 *     carries them all or cannot be read
 */
public record TaskLimits(String taskId, int slot, String nodeId, String state, Optional<String> containerId,
        Optional<ResourceLimits> container, List<Mismatch> mismatches) {

    /**
     * Checks and copies the components.
     *
     * @throws NullPointerException if a component is null
     */
    public TaskLimits {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(containerId, "containerId");
        Objects.requireNonNull(container, "container");
        mismatches = List.copyOf(mismatches);
    }

    /**
     * Returns whether the task's container was read on this node.
     *
     * @return true when {@link #container()} is present
     */
    public boolean isLocal() {
        return container.isPresent();
    }
}
