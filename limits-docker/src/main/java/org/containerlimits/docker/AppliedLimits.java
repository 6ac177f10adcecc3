package org.containerlimits.docker;

import java.util.List;
import java.util.Objects;
import org.containerlimits.core.ResourceLimits;

/**
 * What happened when limits were applied to a container: what was asked, what the daemon reports
 * as effective, the daemon's warnings, and every field that differs.
 *
 * <pre>{@code
 * AppliedLimits applied = docker.create(client.createContainerCmd("busybox"), limits);
 * applied.containerId();   // the new container
 * applied.isExact();       // true when the daemon enforces every field as asked
 * }</pre>
 *
 * @param containerId the container's id
 * @param requested the limits asked for
 * @param effective the limits read back from the daemon afterwards
 * @param warnings the daemon's warnings, this library's preflight warnings and, after a create, the
 *     limits the engine applied without being asked (Podman's pids limit), never swallowed
 * @param mismatches the fields whose effective value differs from the requested one; empty when
 *     the daemon enforces everything as asked
 */
public record AppliedLimits(String containerId, ResourceLimits requested, ResourceLimits effective,
        List<String> warnings, List<Mismatch> mismatches) {

    /**
     * Creates the record; lists are copied.
     *
     * @param containerId the container's id
     * @param requested the limits asked for
     * @param effective the limits read back
     * @param warnings the warnings
     * @param mismatches the mismatches
     */
    public AppliedLimits {
        Objects.requireNonNull(containerId, "containerId");
        Objects.requireNonNull(requested, "requested");
        Objects.requireNonNull(effective, "effective");
        warnings = List.copyOf(warnings);
        mismatches = List.copyOf(mismatches);
    }

    /**
     * Returns whether the daemon enforces every requested field as asked.
     *
     * @return {@code true} when there is no mismatch
     */
    public boolean isExact() {
        return mismatches.isEmpty();
    }
}
