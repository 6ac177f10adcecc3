package org.containerlimits.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Optional;

/**
 * Turns what docker-java throws when a call fails into this library's exceptions: the daemon's
 * refusal into a {@link DaemonRejectedException}, a daemon that cannot be reached or does not answer
 * in time into a {@link DockerUnavailableException} naming the host and the timeout.
 *
 * <p>docker-java reports transport failures (refused, no socket, timed out) as plain
 * {@code RuntimeException}s around an {@link IOException}; left alone they would reach callers as
 * a stack trace from inside the HTTP client.
 */
final class DaemonFailures {
    private DaemonFailures() {
    }

    /**
     * Translates a failure of a call.
     *
     * @param client the client the call was made with
     * @param action what was being done, such as "inspect container 0123456789ab"
     * @param e what the call threw
     * @return the exception to throw: translated, or {@code e} itself if it is neither kind
     */
    static RuntimeException of(DockerClient client, String action, RuntimeException e) {
        if (e instanceof DockerException de) {
            return DockerLimits.rejected(action, de);
        }
        if (e instanceof DockerUnavailableException || cause(e, IOException.class).isEmpty()) {
            return e;
        }
        Optional<DockerClients.Opened> opened = DockerClients.opened(client);
        String host = opened.map(DockerClients.Opened::dockerHost).orElse("unknown");
        String daemon = opened.map(o -> "The Docker daemon at " + o.dockerHost()).orElse("The Docker daemon");
        if (cause(e, SocketTimeoutException.class).isPresent()) {
            String within = opened.map(o -> " within " + DeadlineHttpClient.DurationText.of(o.responseTimeout())
                    + " (the client's response timeout)").orElse(" in time");
            return new DockerUnavailableException(host, daemon + " did not answer" + within + " to " + action
                    + ": it is hung or overloaded. Check it with 'docker info'; a call that legitimately takes"
                    + " longer needs a client with a longer timeout (DockerClients.fromEnvironment(Duration)).", e);
        }
        IOException io = cause(e, IOException.class).get();
        return new DockerUnavailableException(host, daemon + " could not be reached to " + action + " ("
                + io.getClass().getSimpleName() + (io.getMessage() == null ? "" : ": " + io.getMessage())
                + "): it stopped or restarted. Start it again, or check DOCKER_HOST.", e);
    }

    private static <T extends Throwable> Optional<T> cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }
}
