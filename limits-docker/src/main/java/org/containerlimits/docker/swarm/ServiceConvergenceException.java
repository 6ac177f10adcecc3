package org.containerlimits.docker.swarm;

import java.util.Objects;

/**
 * A service's tasks did not come to run with its resources: the scheduler keeps them pending, a
 * rolling update failed, the node refuses them, or the time allowed ran out. The message is the
 * swarm's own where it gave one ({@link #swarmMessage()}), such as the scheduler's
 * {@code no suitable node (insufficient resources on 1 node)}.
 */
public final class ServiceConvergenceException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** Why the tasks did not converge. */
    public enum Reason {
        /** The scheduler cannot place a task, and says why. */
        PENDING,
        /** The rolling update paused or rolled back after a task failed. */
        UPDATE_FAILED,
        /** Tasks keep failing or being rejected on their node. */
        TASK_FAILED,
        /** None of the above within the time allowed. */
        TIMED_OUT
    }

    private final String serviceId;
    private final Reason reason;
    private final String swarmMessage;

    /**
     * Creates the exception.
     *
     * @param serviceId the service
     * @param reason why
     * @param swarmMessage the swarm's own words, or empty
     * @param detail what was seen
     */
    public ServiceConvergenceException(String serviceId, Reason reason, String swarmMessage, String detail) {
        super("service " + serviceId + ": " + detail);
        this.serviceId = Objects.requireNonNull(serviceId, "serviceId");
        this.reason = Objects.requireNonNull(reason, "reason");
        this.swarmMessage = Objects.requireNonNull(swarmMessage, "swarmMessage");
    }

    /**
     * Returns the service's id or name.
     *
     * @return the service
     */
    public String serviceId() {
        return serviceId;
    }

    /**
     * Returns why the tasks did not converge.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }

    /**
     * Returns the swarm's own message: the pending task's error, the update status's message or the
     * failed task's error.
     *
     * @return the message; empty when the swarm gave none
     */
    public String swarmMessage() {
        return swarmMessage;
    }
}
