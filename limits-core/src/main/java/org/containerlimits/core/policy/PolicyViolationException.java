package org.containerlimits.core.policy;

import org.containerlimits.core.LimitsException;
import org.containerlimits.core.Violation;


import java.util.List;
import java.util.stream.Collectors;

/**
 * A request that a {@link LimitsPolicy} refuses: every field above its ceiling, or that no
 * clamping can bring under it, each as a {@link Violation} naming the field (its docker-py keyword),
 * the requested value and the ceiling.
 *
 * <pre>{@code
 * request above the policy's ceilings (1 violation):
 *   mem_limit = 8g: must be at most 4g, the policy's ceiling
 * }</pre>
 */
public final class PolicyViolationException extends LimitsException {
    private static final long serialVersionUID = 1L;

    /** An unmodifiable {@code List.copyOf}, which serializes, of serializable violations. */
    @SuppressWarnings("serial")
    private final List<Violation> violations;

    /**
     * Creates the exception.
     *
     * @param violations the violations, at least one
     * @throws IllegalStateException if {@code violations} is empty, which is a bug of the caller
     */
    public PolicyViolationException(List<Violation> violations) {
        super(format(violations));
        this.violations = List.copyOf(violations);
    }

    private static String format(List<Violation> violations) {
        if (violations.isEmpty()) {
            throw new IllegalStateException("a PolicyViolationException needs at least one violation");
        }
        return violations.stream().map(v -> "  " + v).collect(Collectors.joining("\n",
                "request above the policy's ceilings (" + violations.size()
                        + (violations.size() == 1 ? " violation" : " violations") + "):\n", ""));
    }

    /**
     * Returns every violation.
     *
     * @return the violations, in the policy's field order
     */
    public List<Violation> violations() {
        return violations;
    }
}
