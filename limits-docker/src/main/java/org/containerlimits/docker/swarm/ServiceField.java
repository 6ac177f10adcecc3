package org.containerlimits.docker.swarm;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.containerlimits.core.Limit;

/**
 * The resource fields of a Swarm service's task template, with their names in each tool that sets
 * them: the one table that {@link ServiceResources}, {@link SwarmLimits}' mapping and preflight, and
 * the command line's {@code limits service} flags iterate.
 *
 * <table class="striped">
 *   <caption>Service resources</caption>
 *   <thead><tr><th>field</th><th>docker service flag</th><th>TaskTemplate.Resources</th>
 *       <th>container limit</th><th>Compose deploy.resources</th></tr></thead>
 *   <tbody>
 *   <tr><td>{@link #LIMIT_CPU}</td><td>--limit-cpu</td><td>Limits.NanoCPUs</td><td>nano_cpus</td><td>limits.cpus</td></tr>
 *   <tr><td>{@link #LIMIT_MEMORY}</td><td>--limit-memory</td><td>Limits.MemoryBytes</td><td>mem_limit</td><td>limits.memory</td></tr>
 *   <tr><td>{@link #LIMIT_PIDS}</td><td>--limit-pids</td><td>Limits.Pids</td><td>pids_limit</td><td>limits.pids</td></tr>
 *   <tr><td>{@link #RESERVE_CPU}</td><td>--reserve-cpu</td><td>Reservations.NanoCPUs</td><td></td><td>reservations.cpus</td></tr>
 *   <tr><td>{@link #RESERVE_MEMORY}</td><td>--reserve-memory</td><td>Reservations.MemoryBytes</td><td>mem_reservation</td><td>reservations.memory</td></tr>
 *   </tbody>
 * </table>
 * A container limit with no row here (swap, swappiness, CPU shares, cpusets, the quota/period
 * form of the CPU limit, block IO, {@code /dev/shm}, the OOM killer's settings, ulimits) cannot be
 * carried by a service: {@link SwarmLimits} reports it by name. The reservations are the
 * scheduler's: they decide where a task may run, and the daemon gives the task's container no
 * limit for them.
 *
 * <pre>{@code
 * ServiceField.ofFlag("--limit-memory").get().limit();   // Optional[MEMORY]
 * ServiceField.RESERVE_CPU.engineField();               // "Reservations.NanoCPUs"
 * }</pre>
 */
public enum ServiceField {
    /** The CPU limit of each task, in nano-CPUs. */
    LIMIT_CPU("--limit-cpu", "Limits.NanoCPUs", Limit.NANO_CPUS, "limits.cpus"),
    /** The memory limit of each task. */
    LIMIT_MEMORY("--limit-memory", "Limits.MemoryBytes", Limit.MEMORY, "limits.memory"),
    /** The pids limit of each task (Engine API 1.41 and later). */
    LIMIT_PIDS("--limit-pids", "Limits.Pids", Limit.PIDS_LIMIT, "limits.pids"),
    /** The CPU the scheduler reserves for each task on its node. */
    RESERVE_CPU("--reserve-cpu", "Reservations.NanoCPUs", null, "reservations.cpus"),
    /** The memory the scheduler reserves for each task on its node. */
    RESERVE_MEMORY("--reserve-memory", "Reservations.MemoryBytes", Limit.MEMORY_RESERVATION, "reservations.memory");

    private final String flag;
    private final String engineField;
    private final Limit limit;
    private final String composeKey;

    ServiceField(String flag, String engineField, Limit limit, String composeKey) {
        this.flag = flag;
        this.engineField = engineField;
        this.limit = limit;
        this.composeKey = composeKey;
    }

    /**
     * Returns the {@code docker service create} and {@code update} flag.
     *
     * @return the flag, such as {@code --limit-cpu}
     */
    public String flag() {
        return flag;
    }

    /**
     * Returns the field's path under the Engine API's {@code TaskTemplate.Resources}.
     *
     * @return the path, such as {@code Limits.NanoCPUs}
     */
    public String engineField() {
        return engineField;
    }

    /**
     * Returns the container limit this field carries into each task's container, or the
     * reservation's keyword in {@link org.containerlimits.core.ResourceLimits}.
     *
     * @return the limit; empty for {@link #RESERVE_CPU}, which no container limit holds
     */
    public Optional<Limit> limit() {
        return Optional.ofNullable(limit);
    }

    /**
     * Returns the key under a Compose file's {@code deploy.resources}.
     *
     * @return the key, such as {@code limits.cpus}
     */
    public String composeKey() {
        return composeKey;
    }

    /**
     * Returns whether this is a scheduling reservation rather than a limit.
     *
     * @return true for {@link #RESERVE_CPU} and {@link #RESERVE_MEMORY}
     */
    public boolean isReservation() {
        return engineField.startsWith("Reservations.");
    }

    /**
     * Finds a field by its flag.
     *
     * @param flag a flag such as {@code --reserve-memory}
     * @return the field, or empty
     */
    public static Optional<ServiceField> ofFlag(String flag) {
        return Arrays.stream(values()).filter(f -> f.flag.equals(flag)).findFirst();
    }

    /**
     * Returns the container limits a service carries, in table order.
     *
     * @return the limits of the rows that have one
     */
    public static List<Limit> carriedLimits() {
        return Arrays.stream(values()).map(f -> f.limit).filter(l -> l != null).toList();
    }
}
