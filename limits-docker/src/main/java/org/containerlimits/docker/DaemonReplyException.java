package org.containerlimits.docker;

import java.util.Objects;
import java.util.Optional;

/**
 * The Docker daemon was reached and answered, but its reply cannot be decoded as the Engine API
 * specifies it: JSON nested deeper than the decoder allows, a string longer than it allows, text
 * where a number belongs ({@code "NaN"}), a number out of range ({@code 18446744073709551615} for a
 * 64-bit counter), {@code "yes"} for a boolean, or no JSON at all. That is a broken daemon, or
 * something other than a daemon on its socket; retrying will not help, unlike a
 * {@link DockerUnavailableException}.
 *
 * <p>Example message: {@code The Docker daemon at unix:///var/run/docker.sock answered to read the
 * stats of container 3f2a9c1b7d4e with a reply that cannot be decoded, at memory_stats.usage:
 * Numeric value (18446744073709551615) out of range of long. It was reached; its reply is not what
 * the Engine API specifies.}
 *
 * <p>Hostile replies are refused in bounded memory: docker-java decodes with Jackson, whose limits
 * (nesting depth, string and number length) stop the decoding before a huge reply is held.
 */
public final class DaemonReplyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String dockerHost;
    private final String field;

    /**
     * Creates the exception.
     *
     * @param dockerHost the Docker host that answered
     * @param message a complete, human-readable explanation
     * @param field the reply's field that could not be decoded, as a dotted JSON path, or
     *     {@code null} when the decoder did not name one
     * @param cause the decoder's exception
     */
    public DaemonReplyException(String dockerHost, String message, String field, Throwable cause) {
        super(message, cause);
        this.dockerHost = Objects.requireNonNull(dockerHost, "dockerHost");
        this.field = field;
    }

    /**
     * Returns the Docker host that answered.
     *
     * @return the host URI, such as {@code unix:///var/run/docker.sock}
     */
    public String dockerHost() {
        return dockerHost;
    }

    /**
     * Returns the reply's field that could not be decoded.
     *
     * @return a dotted JSON path such as {@code memory_stats.usage} or {@code State.OOMKilled}, or
     *     empty when the decoder stopped before any field (too deep, not JSON)
     */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }
}
