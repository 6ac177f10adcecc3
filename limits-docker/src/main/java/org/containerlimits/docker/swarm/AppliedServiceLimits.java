package org.containerlimits.docker.swarm;

import java.util.List;
import java.util.Objects;
import org.containerlimits.docker.LimitProblem;
import org.containerlimits.docker.Mismatch;

/**
 * A service's resources after {@link SwarmLimits#create}, {@link SwarmLimits#update} or
 * {@link SwarmLimits#readBack}: what was asked, what its spec holds, and each running task with
 * the limits its container carries.
 *
 * <pre>{@code
 * AppliedServiceLimits applied = swarm.create(client.createServiceCmd(spec), resources);
 * applied.serviceId();   // the new service's id
 * applied.isExact();     // true when every local task's container carries the limits
 * }</pre>
 *
 * @param serviceId the service's id
 * @param requested the resources asked for; for {@link SwarmLimits#readBack}, those of the spec
 * @param effective the resources the service's spec holds
 * @param tasks the running tasks, by slot
 * @param warnings what preflight warned about, and fields left out in lenient mode
 */
public record AppliedServiceLimits(String serviceId, ServiceResources requested, ServiceResources effective,
        List<TaskLimits> tasks, List<String> warnings) {

    /**
     * Checks and copies the components.
     *
     * @throws NullPointerException if a component is null
     */
    public AppliedServiceLimits {
        Objects.requireNonNull(serviceId, "serviceId");
        Objects.requireNonNull(requested, "requested");
        Objects.requireNonNull(effective, "effective");
        tasks = List.copyOf(tasks);
        warnings = List.copyOf(warnings);
    }

    /**
     * Returns every task container's mismatches, in task order.
     *
     * @return the mismatches; empty when each local task carries the limits
     */
    public List<Mismatch> mismatches() {
        return tasks.stream().flatMap(t -> t.mismatches().stream()).toList();
    }

    /**
     * Returns whether the spec holds what was asked and every local task's container carries it. A
     * limit a service cannot carry (left out in lenient mode) is a difference; an unlimited pids
     * limit held as none (the Engine's {@code Pids: 0}) is not.
     *
     * @return true when nothing differs
     */
    public boolean isExact() {
        return ServiceSpecMapping.uncarried(requested, LimitProblem.Severity.ERROR).isEmpty()
                && SwarmLimits.asHeld(requested).equals(effective) && mismatches().isEmpty();
    }
}
