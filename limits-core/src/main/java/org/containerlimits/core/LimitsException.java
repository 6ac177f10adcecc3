package org.containerlimits.core;

/**
 * The base of every error this library raises for bad limits: text that does not parse
 * ({@link LimitParseException}) or values that parse but break a rule ({@link InvalidLimitsException}).
 *
 * <p>It extends {@link IllegalArgumentException} because every such error is a caller's bad
 * argument; catching {@code LimitsException} catches all of them and nothing else. Messages always
 * name the field or grammar, quote the offending text and state the rule.
 */
public abstract class LimitsException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a complete, human-readable message.
     *
     * @param message the message, naming the bad input and the rule it breaks
     */
    protected LimitsException(String message) {
        super(message);
    }
}
