package org.containerlimits.docker;

import java.util.Objects;

/**
  * Thrown when no usable Docker daemon answers at the configured host: there is no socket, the
  * connection is refused or times out, the endpoint is not a Docker daemon, or the daemon speaks no
  * API version that docker-java does.
  *
  * <p>The message is meant for a person: it names the host that was tried, where that host came
  * from, and what to do about it. The transport failure, if any, is kept as the {@linkplain
  * #getCause() cause} rather than pasted into the message, so logs keep the full detail without
  * burying the advice.
  *
  * <p>The exception is unchecked because callers can rarely recover from it locally: it reports a
  * broken environment, not a condition of one request.
  *
  * <p>Thrown by limits-docker-client's {@code DockerClients} when connecting, and by every call of
  * this module when the daemon goes away or stops answering (see {@link ClientOrigin} for how its
  * message names the host):
  *
  * <pre>{@code
  * try {
  *     DockerLimits.of(client).read(containerId);
  * } catch (DockerUnavailableException e) {
  *     log.warn("{} (host {})", e.getMessage(), e.dockerHost());
  * }
  * }</pre>
  */
public class DockerUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The DOCKER_HOST value that was tried. */
    private final String dockerHost;

    /**
      * Creates an exception for a daemon that could not be used.
      *
      * @param dockerHost the Docker host that was tried, such as {@code unix:///var/run/docker.sock}
      * @param message a complete, human-readable explanation including how to fix it
      * @param cause the underlying failure, or {@code null} when there is none
      */
    public DockerUnavailableException(String dockerHost, String message, Throwable cause) {
        super(message, cause);
        this.dockerHost = Objects.requireNonNull(dockerHost, "dockerHost");
    }

    /**
      * Returns the Docker host that was tried.
      *
      * @return the host URI as written in DOCKER_HOST or the default, such as {@code
      *     unix:///var/run/docker.sock} or {@code tcp://127.0.0.1:2375}; {@code unknown} for a call
      *     through a client whose {@link ClientOrigin} nobody registered
      */
    public String dockerHost() {
        return dockerHost;
    }
}
