package org.containerlimits.core;

import java.io.Serializable;
import java.util.Objects;

/**
 * One broken rule: the field, the offending value as text, and the rule it breaks.
 *
 * <p>Fields are named by their docker-py keyword ({@code mem_limit}, {@code cpu_quota},
 * {@code memswap_limit}, ...), the vocabulary of the spawner configurations this library reads.
 *
 * <pre>{@code
 * new Violation("mem_limit", "4m", "must be at least 6m (6291456 bytes), the Docker daemon's minimum")
 *     .toString();   // mem_limit = 4m: must be at least 6m (6291456 bytes), the Docker daemon's minimum
 * }</pre>
 *
 * @param field the field's docker-py keyword
 * @param value the offending value as text
 * @param rule the rule, phrased so that it completes "the value ..."
 */
public record Violation(String field, String value, String rule) implements Serializable {

    /**
     * Creates a violation; no component may be null.
     *
     * @param field the field's docker-py keyword
     * @param value the offending value as text
     * @param rule the rule
     */
    public Violation {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(rule, "rule");
    }

    /**
     * Returns {@code field = value: rule}.
     *
     * @return the violation as one line of text
     */
    @Override
    public String toString() {
        return field + " = " + value + ": " + rule;
    }
}
