package org.containerlimits.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The docker-java clients limits-docker's own tests use: built from docker-java-core and its Apache
 * transport (test dependencies of this module), because limits-docker-client, whose
 * {@code DockerClients} applications use, depends on this module and Maven allows no cycle. Plain
 * on purpose: {@code DOCKER_HOST} only ({@code unix://} or {@code tcp://} without TLS), the API
 * version negotiated as {@code DockerClients} does (an unversioned {@code GET /version}, then the
 * older of the daemon's newest and {@value #CLIENT_MAX_API_VERSION}), and each client's host and
 * response timeout {@linkplain ClientOrigin#register registered}, so that failures name the host as
 * they do for an application's client. Unlike {@code DockerClients} it does not enforce the
 * response timeout on a Unix socket; the tests of that are limits-docker-client's. Public, for the
 * examples' tests (limits-docker's test-jar).
 *
 * <pre>{@code
 * try (DockerClient client = TestClients.fromEnvironment()) {
 *     DockerLimits.of(client).capabilities();
 * }
 * }</pre>
 */
public final class TestClients {
    /** Where the daemon is when {@code DOCKER_HOST} is unset or blank, as for the docker CLI. */
    public static final String DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock";
    /** The response timeout of {@link #fromEnvironment()}: 30 s, as {@code DockerClients}'. */
    public static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);
    /** The newest API version docker-java 3.7.1 knows. */
    static final String CLIENT_MAX_API_VERSION = "1.44";

    private static final Pattern API_VERSION = Pattern.compile("v?(\\d+)\\.(\\d+)");

    private TestClients() {
    }

    /**
     * A client and what the daemon said about itself.
     *
     * @param client the client, pinned to {@code apiVersion}
     * @param dockerHost the daemon's address
     * @param apiVersion the API version every request uses
     * @param daemonVersion the daemon's product version, such as {@code 26.1.5}
     */
    public record Connection(DockerClient client, String dockerHost, String apiVersion, String daemonVersion)
            implements Closeable {
        @Override
        public void close() {
            try {
                client.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Returns the daemon's address this process's environment names.
     *
     * @return {@code DOCKER_HOST}, or {@value #DEFAULT_DOCKER_HOST}
     */
    public static String dockerHost() {
        String host = System.getenv("DOCKER_HOST");
        return host == null || host.isBlank() ? DEFAULT_DOCKER_HOST : host.strip();
    }

    /**
     * Connects to the daemon this process's environment names, with {@link #RESPONSE_TIMEOUT}.
     *
     * @return the client; the caller closes it
     * @throws DockerUnavailableException if no daemon answers
     */
    public static DockerClient fromEnvironment() {
        return connect(dockerHost(), RESPONSE_TIMEOUT).client();
    }

    /**
     * Connects to the daemon this process's environment names.
     *
     * @param responseTimeout how long a call may wait for data (on {@code tcp://}; see above)
     * @return the client; the caller closes it
     * @throws DockerUnavailableException if no daemon answers
     */
    public static DockerClient fromEnvironment(Duration responseTimeout) {
        return connect(dockerHost(), responseTimeout).client();
    }

    /**
     * Connects to the daemon at {@code dockerHost}, such as a {@code FakeEngine}'s.
     *
     * @param dockerHost {@code unix:///path} or {@code tcp://host:port}
     * @param responseTimeout how long a call may wait for data (on {@code tcp://}; see above)
     * @return the client; the caller closes it
     * @throws DockerUnavailableException if no daemon answers
     */
    public static DockerClient forHost(String dockerHost, Duration responseTimeout) {
        return connect(dockerHost, responseTimeout).client();
    }

    /**
     * Connects to the daemon at {@code dockerHost} and says what it found.
     *
     * @param dockerHost {@code unix:///path} or {@code tcp://host:port}
     * @param responseTimeout how long a call may wait for data (on {@code tcp://}; see above)
     * @return the connection; closing it closes its client
     * @throws DockerUnavailableException if no daemon answers
     */
    public static Connection connect(String dockerHost, Duration responseTimeout) {
        return connect(dockerHost, responseTimeout, 100);
    }

    /**
     * Connects to the daemon at {@code dockerHost} with a connection pool of the given size
     * (docker-java's default is 100), as {@code DockerClients.connect(env, timeout, maxConnections)}
     * does for applications.
     *
     * <pre>{@code
     * try (TestClients.Connection small = TestClients.connect(TestClients.dockerHost(), TestClients.RESPONSE_TIMEOUT, 8)) {
     *     small.client().inspectContainerCmd(id).exec();
     * }
     * }</pre>
     *
     * @param dockerHost {@code unix:///path} or {@code tcp://host:port}
     * @param responseTimeout how long a call may wait for data (on {@code tcp://}; see above)
     * @param maxConnections how many connections the client may hold at once
     * @return the connection; closing it closes its client
     * @throws DockerUnavailableException if no daemon answers
     */
    public static Connection connect(String dockerHost, Duration responseTimeout, int maxConnections) {
        Objects.requireNonNull(dockerHost, "dockerHost");
        Version version;
        try (DockerClient probe = open(dockerHost, null, Duration.ofSeconds(5), 100)) {
            version = probe.versionCmd().exec();
        } catch (IOException | RuntimeException e) {
            throw new DockerUnavailableException(dockerHost, "No usable Docker daemon at " + dockerHost + " ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "). Start it, or set DOCKER_HOST.", e);
        }
        String daemonMax = version.getApiVersion();
        String api = daemonMax == null || compare(daemonMax, CLIENT_MAX_API_VERSION) >= 0
                ? CLIENT_MAX_API_VERSION
                : daemonMax;
        DockerClient client = open(dockerHost, RemoteApiVersion.parseConfig(api), responseTimeout, maxConnections);
        ClientOrigin.register(client, new ClientOrigin(dockerHost, responseTimeout));
        return new Connection(client, dockerHost, api, Objects.toString(version.getVersion(), "unknown"));
    }

    private static DockerClient open(String dockerHost, RemoteApiVersion api, Duration responseTimeout,
            int maxConnections) {
        DefaultDockerClientConfig.Builder config = new DefaultDockerClientConfig.Builder()
                .withDockerHost(dockerHost)
                .withDockerTlsVerify(false);
        if (api != null) {
            config.withApiVersion(api);
        }
        DefaultDockerClientConfig built = config.build();
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(URI.create(dockerHost))
                .connectionTimeout(Duration.ofSeconds(5))
                .responseTimeout(responseTimeout)
                .maxConnections(maxConnections)
                .build();
        return DockerClientImpl.getInstance(built, http);
    }

    private static int compare(String a, String b) {
        Matcher x = API_VERSION.matcher(a.strip());
        Matcher y = API_VERSION.matcher(b.strip());
        if (!x.matches() || !y.matches()) {
            return 0;
        }
        int major = Integer.compare(Integer.parseInt(x.group(1)), Integer.parseInt(y.group(1)));
        return major != 0 ? major : Integer.compare(Integer.parseInt(x.group(2)), Integer.parseInt(y.group(2)));
    }
}
