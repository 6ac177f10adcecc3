package org.containerlimits.docker.swarm;

import java.util.Objects;

/**
 * One swarm node's resources as the scheduler sees them: what the node has and what the tasks
 * already placed on it reserve. The scheduler places a task only on a node whose free CPU and
 * memory cover the task's reservations.
 *
 * <pre>{@code
 * for (SwarmNodeCapacity node : SwarmLimits.of(client).nodes()) {
 *     node.freeNanoCpus();   // 1500000000 on a 2-core node running one task that reserves 0.5
 * }
 * }</pre>
 *
 * @param nodeId the node's id
 * @param hostname the node's hostname
 * @param schedulable whether the node is ready and its availability is active: the only nodes
 *     that take new tasks
 * @param nanoCpus the node's CPUs, in nano-CPUs
 * @param memoryBytes the node's memory, in bytes
 * @param reservedNanoCpus the CPU the node's running tasks reserve
 * @param reservedMemoryBytes the memory the node's running tasks reserve
 * @param tasks the tasks counted in the reservations
 */
public record SwarmNodeCapacity(String nodeId, String hostname, boolean schedulable, long nanoCpus, long memoryBytes,
        long reservedNanoCpus, long reservedMemoryBytes, int tasks) {

    /**
     * Checks the components.
     *
     * @throws NullPointerException if the id or hostname is null
     * @throws IllegalArgumentException if a figure is negative
     */
    public SwarmNodeCapacity {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(hostname, "hostname");
        if (nanoCpus < 0 || memoryBytes < 0 || reservedNanoCpus < 0 || reservedMemoryBytes < 0 || tasks < 0) {
            throw new IllegalArgumentException("negative capacity for node " + hostname);
        }
    }

    /**
     * Returns the CPU not yet reserved; negative when the node is over-reserved.
     *
     * @return nano-CPUs
     */
    public long freeNanoCpus() {
        return nanoCpus - reservedNanoCpus;
    }

    /**
     * Returns the memory not yet reserved; negative when the node is over-reserved.
     *
     * @return bytes
     */
    public long freeMemoryBytes() {
        return memoryBytes - reservedMemoryBytes;
    }

    /**
     * Returns how many more tasks with the given reservations the node can take.
     *
     * @param nanoCpus each task's CPU reservation, 0 for none
     * @param memoryBytes each task's memory reservation, 0 for none
     * @return the count; {@link Integer#MAX_VALUE} when nothing is reserved; 0 when the node is not
     *     schedulable
     */
    public int fits(long nanoCpus, long memoryBytes) {
        if (!schedulable) {
            return 0;
        }
        long byCpu = nanoCpus <= 0 ? Long.MAX_VALUE : Math.max(0, freeNanoCpus()) / nanoCpus;
        long byMemory = memoryBytes <= 0 ? Long.MAX_VALUE : Math.max(0, freeMemoryBytes()) / memoryBytes;
        return (int) Math.min(Integer.MAX_VALUE, Math.min(byCpu, byMemory));
    }
}
