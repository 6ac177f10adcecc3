package org.containerlimits.core;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * A resource limit of the container's processes ({@code ulimits}, {@code --ulimit}, the kernel's
 * {@code setrlimit}): a name, a soft limit a process may raise up to the hard one, and the hard
 * limit.
 *
 * <h2>Grammar of {@link #parse(CharSequence)}</h2>
 * <pre>
 *   ulimit = name "=" soft [":" hard]      soft, hard: digits; hard defaults to soft
 *   name   = "core" | "cpu" | "data" | "fsize" | "locks" | "memlock" | "msgqueue" | "nice"
 *          | "nofile" | "nproc" | "rss" | "rtprio" | "rttime" | "sigpending" | "stack"
 * </pre>
 * The names and the rule {@code soft <= hard} are the docker CLI's ({@code go-units ParseUlimit}).
 * Unlimited ({@code -1}) is not accepted: give the number meant. {@link #toString()} always writes
 * both values, {@code nofile=64:64}.
 *
 * <pre>{@code
 * Ulimit.parse("nofile=64");          // nofile=64:64
 * Ulimit.of("nproc", 100, 200).hard(); // 200
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Ulimit implements Serializable, Comparable<Ulimit> {
    private static final long serialVersionUID = 1L;

    /** The names the Docker daemon accepts, in the docker CLI's order. */
    public static final List<String> NAMES = List.of("core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue",
            "nice", "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack");

    private final String name;
    private final long soft;
    private final long hard;

    private Ulimit(String name, long soft, long hard) {
        this.name = name;
        this.soft = soft;
        this.hard = hard;
    }

    /**
     * Returns a ulimit.
     *
     * @param name one of {@link #NAMES}
     * @param soft the soft limit, at least 0
     * @param hard the hard limit, at least {@code soft}
     * @return the ulimit
     * @throws InvalidLimitsException naming the ulimit and the rule it breaks
     */
    public static Ulimit of(String name, long soft, long hard) {
        String given = name + "=" + soft + ":" + hard;
        if (!NAMES.contains(name)) {
            throw InvalidLimitsException.of("ulimits", given, "must name one of " + String.join(", ", NAMES));
        }
        if (soft < 0 || hard < 0) {
            throw InvalidLimitsException.of("ulimits", given,
                    "must have limits of 0 or more (unlimited, -1, is not accepted: give the number meant)");
        }
        if (soft > hard) {
            throw InvalidLimitsException.of("ulimits", given, "must have a soft limit not above the hard limit");
        }
        return new Ulimit(name, soft, hard);
    }

    /**
     * Parses {@code name=soft[:hard]}.
     *
     * @param text such as {@code nofile=64:128}
     * @return the ulimit
     * @throws LimitParseException if the text does not follow the grammar
     * @throws InvalidLimitsException if it breaks a rule
     */
    public static Ulimit parse(CharSequence text) {
        String s = Objects.requireNonNull(text, "text").toString();
        TextCursor in = new TextCursor("ulimit", s);
        int eq = s.indexOf('=');
        if (eq <= 0) {
            throw in.failAt(Math.max(eq, 0), "a name, '=' and a limit (nofile=64:64)");
        }
        for (int i = 0; i <= eq; i++) {
            in.advance();
        }
        if (!TextCursor.isDigit(in.peek())) {
            throw in.fail("a digit");
        }
        long soft = in.integer(Long.MAX_VALUE, "at most " + Long.MAX_VALUE);
        long hard = soft;
        if (in.tryConsume(':')) {
            if (!TextCursor.isDigit(in.peek())) {
                throw in.fail("a digit");
            }
            hard = in.integer(Long.MAX_VALUE, "at most " + Long.MAX_VALUE);
        }
        in.expectEnd();
        return of(s.substring(0, eq), soft, hard);
    }

    /**
     * Returns the name.
     *
     * @return such as {@code nofile}
     */
    public String name() {
        return name;
    }

    /**
     * Returns the soft limit.
     *
     * @return at least 0
     */
    public long soft() {
        return soft;
    }

    /**
     * Returns the hard limit.
     *
     * @return at least {@link #soft()}
     */
    public long hard() {
        return hard;
    }

    /** Orders by name, then soft and hard limits. */
    @Override
    public int compareTo(Ulimit other) {
        int c = name.compareTo(other.name);
        if (c == 0) {
            c = Long.compare(soft, other.soft);
        }
        return c != 0 ? c : Long.compare(hard, other.hard);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ulimit that && name.equals(that.name) && soft == that.soft && hard == that.hard;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, soft, hard);
    }

    /**
     * Returns {@code name=soft:hard}, which {@link #parse(CharSequence)} reads back.
     *
     * @return the text
     */
    @Override
    public String toString() {
        return name + "=" + soft + ":" + hard;
    }
}
