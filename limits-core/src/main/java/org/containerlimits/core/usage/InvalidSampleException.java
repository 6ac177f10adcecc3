package org.containerlimits.core.usage;


import java.util.Objects;
import java.util.Optional;

/**
 * A stats source delivered counters no kernel can produce, so no {@link LimitsReading} is made
 * from them: a negative counter, memory or pids beyond any machine, CPU time faster than the host's
 * CPUs can spend it, or a timestamp outside the window a real clock shows. {@link SampleBounds}
 * states each rule; this exception names the {@linkplain #field() field}, the {@linkplain #value()
 * offending value} and the rule it breaks.
 *
 * <p>Example message: {@code container 3f2a9c1b7d4e (source api): memoryUsageBytes = -10000000 is
 * negative; a memory figure never is}.
 *
 * <p>It is a runtime exception because the bad value is not the caller's argument but what a daemon
 * or the kernel answered; a reader reports it as one failed read and goes on.
 */
public final class InvalidSampleException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String value;
    private final String rule;
    private final String container;

    /**
     * Creates the exception for a value that breaks a rule, with no container named yet.
     *
     * @param field the {@link UsageSample} component, such as {@code memoryUsageBytes}
     * @param value the offending value as text
     * @param rule the rule it breaks, such as {@code "is negative; a memory figure never is"}
     */
    public InvalidSampleException(String field, String value, String rule) {
        this(field, value, rule, null);
    }

    private InvalidSampleException(String field, String value, String rule, String container) {
        super((container == null ? "" : container + ": ") + field + " = " + value + " " + rule);
        this.field = Objects.requireNonNull(field, "field");
        this.value = Objects.requireNonNull(value, "value");
        this.rule = Objects.requireNonNull(rule, "rule");
        this.container = container;
    }

    /**
     * Returns the same error with where it came from in front of the message.
     *
     * <pre>{@code
     * throw e.in("container 3f2a9c1b7d4e (source api)");
     * }</pre>
     *
     * @param where the container and source, as a person reads them
     * @return a new exception with this one as its cause
     */
    public InvalidSampleException in(String where) {
        InvalidSampleException e = new InvalidSampleException(field, value, rule, Objects.requireNonNull(where));
        e.initCause(this);
        return e;
    }

    /**
     * Returns the {@link UsageSample} component that holds the bad value.
     *
     * @return the field, such as {@code cpuNanos} or {@code time}
     */
    public String field() {
        return field;
    }

    /**
     * Returns the offending value as text.
     *
     * @return the value
     */
    public String value() {
        return value;
    }

    /**
     * Returns the rule the value breaks.
     *
     * @return the rule, as a sentence fragment
     */
    public String rule() {
        return rule;
    }

    /**
     * Returns where the sample came from, once {@link #in} named it.
     *
     * @return the container and source, or empty
     */
    public Optional<String> container() {
        return Optional.ofNullable(container);
    }
}
