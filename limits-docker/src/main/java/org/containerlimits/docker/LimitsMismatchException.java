package org.containerlimits.docker;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The daemon accepted limits but does not enforce them as asked, found by reading the container
 * back after a create or update in strict mode (the default of {@link DockerLimits}).
 *
 * <p>After a create, the container has already been removed when this is thrown, so nothing that
 * runs without its limits is left behind. After an update the container keeps running with the
 * {@linkplain #mismatches() reported} values.
 */
public final class LimitsMismatchException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final String containerId;
    private final transient List<Mismatch> mismatches;
    private final transient List<String> warnings;

    /**
     * Creates the exception.
     *
     * @param containerId the container concerned
     * @param mismatches every field that differs; at least one
     * @param warnings the warnings the daemon returned with the create or update, often the reason
     */
    public LimitsMismatchException(String containerId, List<Mismatch> mismatches, List<String> warnings) {
        super(format(containerId, mismatches, warnings));
        this.containerId = containerId;
        this.mismatches = List.copyOf(mismatches);
        this.warnings = List.copyOf(warnings);
    }

    private static String format(String id, List<Mismatch> mismatches, List<String> warnings) {
        String head = "the Docker daemon does not enforce the limits asked for container " + shortId(id) + ": ";
        String body = mismatches.stream().map(Mismatch::toString).collect(Collectors.joining("; "));
        String tail = warnings.isEmpty() ? "" : " (daemon warnings: " + String.join("; ", warnings) + ")";
        return head + body + tail;
    }

    static String shortId(String id) {
        return id != null && id.length() > 12 ? id.substring(0, 12) : String.valueOf(id);
    }

    /**
     * Returns the id of the container concerned.
     *
     * @return the container id
     */
    public String containerId() {
        return containerId;
    }

    /**
     * Returns every field whose effective value differs from the one asked.
     *
     * @return an unmodifiable, non-empty list
     */
    public List<Mismatch> mismatches() {
        return mismatches;
    }

    /**
     * Returns the warnings the daemon returned with the create or update.
     *
     * @return an unmodifiable list, possibly empty
     */
    public List<String> warnings() {
        return warnings;
    }
}
