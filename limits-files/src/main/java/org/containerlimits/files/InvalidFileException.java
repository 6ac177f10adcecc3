package org.containerlimits.files;

import java.util.List;
import java.util.stream.Collectors;
import org.containerlimits.core.LimitsException;

/**
 * A Compose file or Kubernetes manifest that cannot be read: not YAML, too large, too deep, aliased
 * past the bounds, not UTF-8, a repeated key, a tag that is not YAML's own, or limits that break a
 * rule. Every problem is one line naming where ({@code line 12, column 15}, when the parser knows),
 * the path in the file ({@code services.web.deploy.resources.limits.cpus}), the offending text and
 * the rule:
 * <pre>
 * invalid file compose.yaml: line 9, column 17: services.web.deploy.resources.limits.cpus = 'lots': must be a decimal number of cores
 * </pre>
 * Nothing is read past the first problem of the YAML itself; problems of the values are all
 * reported, at once.
 */
public final class InvalidFileException extends LimitsException {
    private static final long serialVersionUID = 1L;

    private final String source;

    /** An unmodifiable {@code List.copyOf}, which serializes. */
    @SuppressWarnings("serial")
    private final List<String> problems;

    /**
     * Creates the exception.
     *
     * @param source the file's name, as given to the reader ({@code -} for standard input)
     * @param problems one line per problem, at least one
     */
    public InvalidFileException(String source, List<String> problems) {
        super(format(source, problems));
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    private static String format(String source, List<String> problems) {
        if (problems.isEmpty()) {
            throw new IllegalStateException("an InvalidFileException needs at least one problem");
        }
        if (problems.size() == 1) {
            return "invalid file " + source + ": " + problems.get(0);
        }
        return problems.stream().map(p -> "  " + p)
                .collect(Collectors.joining("\n", "invalid file " + source + " (" + problems.size() + " problems):\n", ""));
    }

    /**
     * Returns the file's name, as given to the reader.
     *
     * @return such as {@code compose.yaml}
     */
    public String source() {
        return source;
    }

    /**
     * Returns every problem, one line each, in file order.
     *
     * @return an unmodifiable, non-empty list
     */
    public List<String> problems() {
        return problems;
    }
}
