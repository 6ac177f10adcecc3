package org.containerlimits.docker;

import java.util.Objects;

/**
 * One reason a Docker daemon cannot enforce a set of limits as asked, found by
 * {@link DockerLimits#check(org.containerlimits.core.ResourceLimits)} before any container exists.
 *
 * <p>An {@link Severity#ERROR} means the daemon would refuse the limits, or accept and silently
 * drop them; applying limits with an error throws {@link PreflightException}. A
 * {@link Severity#WARNING} means the daemon accepts the limit but it cannot take full effect, such
 * as a CFS quota of 4 cores on a 2-CPU host; warnings are logged and returned, never thrown.
 *
 * <pre>{@code
 * ERROR nano_cpus: 64 cores is more than the 2 CPUs of this host; the daemon refuses it
 * }</pre>
 *
 * @param severity whether applying must stop
 * @param field the docker-py keyword of the field concerned
 * @param message what is wrong and why, naming the value and the host's figure
 */
public record LimitProblem(Severity severity, String field, String message) {

    /** How serious a problem is. */
    public enum Severity {
        /** The daemon would refuse the limit or drop it: applying stops. */
        ERROR,
        /** The daemon accepts the limit but it cannot take full effect. */
        WARNING
    }

    /**
     * Creates a problem; no component may be null.
     *
     * @param severity whether applying must stop
     * @param field the docker-py keyword of the field concerned
     * @param message what is wrong and why
     */
    public LimitProblem {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }

    static LimitProblem error(String field, String message) {
        return new LimitProblem(Severity.ERROR, field, message);
    }

    static LimitProblem warning(String field, String message) {
        return new LimitProblem(Severity.WARNING, field, message);
    }

    /**
     * Returns whether this problem stops the limits from being applied.
     *
     * @return {@code true} for {@link Severity#ERROR}
     */
    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /**
     * Returns {@code SEVERITY field: message}.
     *
     * @return the problem as one line of text
     */
    @Override
    public String toString() {
        return severity + " " + field + ": " + message;
    }
}
