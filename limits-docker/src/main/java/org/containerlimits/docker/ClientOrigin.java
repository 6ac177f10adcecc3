package org.containerlimits.docker;

import com.github.dockerjava.api.DockerClient;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.WeakHashMap;

/**
 * Where a docker-java client talks to and how long its calls may wait: what the messages of this
 * library's failures name. {@code "The Docker daemon at unix:///var/run/docker.sock did not answer
 * within 30 s (the client's response timeout) to ..."} reads better than {@code "The Docker daemon
 * did not answer in time to ..."}, but docker-java's API does not say which host a client uses, so
 * whoever builds a client may tell this library here.
 *
 * <p>limits-docker works with any client, however it was built (Testcontainers' own included); a
 * client nobody registered is fine, its messages then read "The Docker daemon ...". The
 * limits-docker-client module's {@code DockerClients} registers every client it builds. A program
 * that builds its own may do the same:
 *
 * <pre>{@code
 * DockerClient client = DockerClientImpl.getInstance(config, http);
 * ClientOrigin.register(client, new ClientOrigin("tcp://10.0.0.5:2375", Duration.ofSeconds(30)));
 * }</pre>
 *
 * <p>Clients are held weakly: registering one does not keep it alive. Thread-safe.
 *
 * @param dockerHost the daemon's address the client connects to, such as {@code
 *     unix:///var/run/docker.sock}
 * @param responseTimeout how long a call of the client may wait without receiving data
 */
public record ClientOrigin(String dockerHost, Duration responseTimeout) {

    private static final Map<DockerClient, ClientOrigin> REGISTERED =
            Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * Checks that both parts are present.
     *
     * @throws NullPointerException if either is null
     */
    public ClientOrigin {
        Objects.requireNonNull(dockerHost, "dockerHost");
        Objects.requireNonNull(responseTimeout, "responseTimeout");
    }

    /**
     * Records where {@code client} talks to, for the messages of its later failures. Registering a
     * client again replaces what was recorded.
     *
     * @param client the client
     * @param origin its host and response timeout
     * @throws NullPointerException if either is null
     */
    public static void register(DockerClient client, ClientOrigin origin) {
        REGISTERED.put(Objects.requireNonNull(client, "client"), Objects.requireNonNull(origin, "origin"));
    }

    /**
     * Returns what was {@linkplain #register registered} for a client.
     *
     * @param client any client
     * @return its host and response timeout, or empty for a client nobody registered
     */
    public static Optional<ClientOrigin> of(DockerClient client) {
        return Optional.ofNullable(REGISTERED.get(client));
    }

    /**
     * Returns the response timeout the way people write it, as messages show it.
     *
     * @return such as {@code 30 s} or {@code 1500 ms}
     */
    public String responseTimeoutText() {
        return responseTimeout.toMillis() % 1000 == 0
                ? responseTimeout.toSeconds() + " s"
                : responseTimeout.toMillis() + " ms";
    }
}
