package org.containerlimits.cli;

import java.util.List;

/**
 * Input the command line refuses before anything reaches the daemon; exit code
 * {@value LimitsCommand#EXIT_BAD_INPUT}. Each problem names the option, the offending text and the rule.
 */
public final class BadInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The problems, one line each: an unmodifiable {@code List.copyOf}, which serializes. */
    @SuppressWarnings("serial")
    private final List<String> problems;

    /**
     * Creates the exception.
     *
     * @param problems one line per problem, at least one
     */
    public BadInputException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    /**
     * Returns the problems.
     *
     * @return one line per problem
     */
    public List<String> problems() {
        return problems;
    }
}
