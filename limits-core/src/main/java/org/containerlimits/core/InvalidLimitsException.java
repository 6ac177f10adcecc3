package org.containerlimits.core;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Values that parse but break one or more rules; {@link #violations()} lists every one of them.
 *
 * <p>{@link ResourceLimits.Builder#build()} and {@link ResourceLimits#fromDockerPy(java.util.Map)}
 * check all rules before throwing, so one exception reports every problem at once:
 * <pre>{@code
 * invalid resource limits (2 violations):
 *   mem_limit = 4m: must be at least 6m (6291456 bytes), the Docker daemon's minimum
 *   mem_swappiness = 150: must be between 0 and 100
 * }</pre>
 */
public final class InvalidLimitsException extends LimitsException {
    private static final long serialVersionUID = 1L;

    /** An unmodifiable {@code List.copyOf}, which serializes, of serializable violations. */
    @SuppressWarnings("serial")
    private final List<Violation> violations;

    /**
     * Creates an exception for one or more violations.
     *
     * @param violations the violations, at least one
     * @throws IllegalStateException if {@code violations} is empty, which is a bug of the caller
     */
    public InvalidLimitsException(List<Violation> violations) {
        super(format(violations));
        this.violations = List.copyOf(violations);
    }

    /**
     * Creates an exception for a single violation.
     *
     * @param field the field's docker-py keyword
     * @param value the offending value as text
     * @param rule the rule it breaks
     * @return the exception, to be thrown by the caller
     */
    public static InvalidLimitsException of(String field, String value, String rule) {
        return new InvalidLimitsException(List.of(new Violation(field, value, rule)));
    }

    private static String format(List<Violation> violations) {
        if (violations.isEmpty()) {
            throw new IllegalStateException("an InvalidLimitsException needs at least one violation");
        }
        if (violations.size() == 1) {
            return "invalid resource limits: " + violations.get(0);
        }
        return violations.stream()
                .map(v -> "  " + v)
                .collect(Collectors.joining("\n",
                        "invalid resource limits (" + violations.size() + " violations):\n", ""));
    }

    /**
     * Returns every violation, in the order the fields were checked.
     *
     * @return an unmodifiable, non-empty list
     */
    public List<Violation> violations() {
        return violations;
    }
}
