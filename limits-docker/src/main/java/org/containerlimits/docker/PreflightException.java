package org.containerlimits.docker;

import java.util.List;
import java.util.stream.Collectors;
import org.containerlimits.core.LimitsException;

/**
 * Limits that the daemon cannot enforce, found before any container was created or changed;
 * {@link #problems()} lists every one.
 *
 * <pre>{@code
 * limits cannot be enforced by this Docker daemon (2 problems):
 *   ERROR nano_cpus: 64 cores is more than the 2 CPUs of this host; the daemon refuses it
 *   ERROR mem_limit: 1t is more than this host's 23.6 GiB of memory
 * }</pre>
 */
public final class PreflightException extends LimitsException {
    private static final long serialVersionUID = 1L;

    private final transient List<LimitProblem> problems;

    /**
     * Creates the exception.
     *
     * @param problems every problem found, errors first; at least one
     */
    public PreflightException(List<LimitProblem> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    private static String format(List<LimitProblem> problems) {
        if (problems.size() == 1) {
            return "limits cannot be enforced by this Docker daemon: " + problems.get(0);
        }
        return problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n",
                "limits cannot be enforced by this Docker daemon (" + problems.size() + " problems):\n", ""));
    }

    /**
     * Returns every problem found, errors and warnings.
     *
     * @return an unmodifiable list with at least one error
     */
    public List<LimitProblem> problems() {
        return problems;
    }
}
