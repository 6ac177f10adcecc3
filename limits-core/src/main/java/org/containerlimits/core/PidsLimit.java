package org.containerlimits.core;


import java.io.Serializable;
import java.util.OptionalLong;

/**
 * The most processes and threads a container may hold at once ({@code pids_limit},
 * {@code --pids-limit}, the kernel's {@code pids.max}), or unlimited.
 *
 * <h2>Grammar of {@link #parse(CharSequence)}</h2>
 * <pre>
 *   pids = "unlimited" | "-1" | digits        digits: 1 or more; 0 is refused
 * </pre>
 * Docker reads both {@code 0} and {@code -1} as unlimited; this type refuses {@code 0} so that an
 * unlimited container is always written so on purpose. {@link #toString()} prints
 * {@code unlimited} or the number.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class PidsLimit implements Serializable {
    private static final long serialVersionUID = 1L;

    /** No limit on the number of processes, Docker's {@code -1}. */
    public static final PidsLimit UNLIMITED = new PidsLimit(-1);

    private final long max;

    private PidsLimit(long max) {
        this.max = max;
    }

    /**
     * Returns a limit of at most {@code max} processes.
     *
     * @param max the limit, at least 1
     * @return the limit
     * @throws InvalidLimitsException if {@code max} is below 1
     */
    public static PidsLimit of(long max) {
        if (max < 1) {
            throw InvalidLimitsException.of("pids_limit", Long.toString(max), rule());
        }
        return new PidsLimit(max);
    }

    static String rule() {
        return "must be at least 1, or -1 for unlimited (Docker also reads 0 as unlimited;"
                + " say -1 to mean it)";
    }

    /**
     * Parses {@code unlimited}, {@code -1} or a positive number.
     *
     * <pre>{@code
     * PidsLimit.parse("32").max();      // OptionalLong[32]
     * PidsLimit.parse("-1");            // PidsLimit.UNLIMITED
     * }</pre>
     *
     * @param text the text
     * @return the limit
     * @throws LimitParseException if the text is none of these
     * @throws InvalidLimitsException if it is {@code 0}
     */
    public static PidsLimit parse(CharSequence text) {
        String s = java.util.Objects.requireNonNull(text, "text").toString();
        if (s.equals("-1") || TextCursor.equalsIgnoreAsciiCase(s, "unlimited")) {
            return UNLIMITED;
        }
        TextCursor in = new TextCursor("pids limit", s);
        if (!TextCursor.isDigit(in.peek())) {
            throw in.fail("a digit, \"-1\" or \"unlimited\"");
        }
        long n = in.integer(Long.MAX_VALUE, "at most " + Long.MAX_VALUE);
        in.expectEnd();
        return of(n);
    }

    /**
     * Returns whether the number of processes is unlimited.
     *
     * @return {@code true} for {@link #UNLIMITED}
     */
    public boolean isUnlimited() {
        return max < 0;
    }

    /**
     * Returns the limit, unless unlimited.
     *
     * @return the most processes, or empty when unlimited
     */
    public OptionalLong max() {
        return max < 0 ? OptionalLong.empty() : OptionalLong.of(max);
    }

    /**
     * Returns whether the other object is the same limit.
     *
     * @param o the other object
     * @return {@code true} if equal
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof PidsLimit && ((PidsLimit) o).max == max;
    }

    /**
     * Returns a hash code consistent with {@link #equals(Object)}.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Long.hashCode(max);
    }

    /**
     * Returns {@code unlimited} or the number; {@link #parse(CharSequence)} reads it back.
     *
     * @return the canonical text
     */
    @Override
    public String toString() {
        return max < 0 ? "unlimited" : Long.toString(max);
    }
}
