package org.containerlimits.docker.client;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.containerlimits.docker.ClientOrigin;
import org.containerlimits.docker.DockerUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
  * Builds docker-java {@link DockerClient}s that find the daemon the way the {@code docker} CLI does,
  * fail fast with advice when it is not there, and speak the newest API version both sides know.
  *
  * <p>Only these environment variables are read:
  *
  * <ul>
  *   <li>{@code DOCKER_HOST}: the daemon's address, {@code unix:///path} or {@code tcp://host:port}
  *       ({@value #DEFAULT_DOCKER_HOST} when unset or blank). As with the CLI, a {@code tcp} address
  *       without a port gets 2375, or 2376 with TLS.
  *   <li>{@code DOCKER_TLS_VERIFY}: any non-empty value turns on TLS with verification of the
  *       daemon's certificate. Like the CLI, this includes {@code 0} and {@code false}: the variable
  *       is a switch by presence, not by value.
  *   <li>{@code DOCKER_CERT_PATH}: the directory holding {@code ca.pem}, {@code cert.pem} and {@code
  *       key.pem}; when unset, {@code $DOCKER_CONFIG} or {@code $HOME/.docker}, as for the CLI.
  * </ul>
  *
  * <p><b>TLS needs Bouncy Castle.</b> docker-java reads {@code ca.pem}, {@code cert.pem} and {@code
  * key.pem} with Bouncy Castle, which this module leaves out of its dependencies: it is 9.8 MiB that
  * a Unix socket or plain {@code tcp://} never loads. With {@code DOCKER_TLS_VERIFY} set, add
  * {@value #TLS_DEPENDENCY} (its version is managed by limits-bom; it brings bcprov and bcutil);
  * without it, connecting fails with a {@link DockerUnavailableException} that says so.
  *
  * <p>Deliberately ignored, although docker-java's own {@code
  * DefaultDockerClientConfig.createDefaultConfigBuilder()} would read them: {@code
  * ~/.docker/config.json} and Docker contexts ({@code DOCKER_CONTEXT}), {@code
  * ~/.docker-java.properties}, a {@code docker-java.properties} on the class path, Java system
  * properties such as {@code DOCKER_HOST} or {@code api.version}, registry credentials, and {@code
  * DOCKER_API_VERSION}. Each of those can silently point a program at a different daemon or API
  * than the shell it was started from, which is exactly the kind of surprise a limits library must
  * not have. This class never pulls images, so it needs no registry credentials.
  *
  * <p>Every client is built in two steps. First an unversioned {@code GET /version} (docker-java's
  * {@code versionCmd()} on a client configured without an API version) asks the daemon for the
  * newest and oldest API versions it speaks. Then the returned client is pinned to the newest
  * version both the daemon and docker-java know ({@link #CLIENT_MAX_API_VERSION}). Pinning matters:
  * an unversioned client gets the daemon's newest API, whose JSON may have changed under
  * docker-java, and a client pinned too low is refused by new daemons (Docker Engine 29 refuses
  * everything below API 1.44).
  *
  * <p>Example:
  *
  * <pre>{@code
  * try (DockerClient docker = DockerClients.fromEnvironment()) {
  *   String id = docker.createContainerCmd("containerlimits/busybox:test")
  *       .withCmd("sleep", "60")
  *       .exec()
  *       .getId();
  *   docker.startContainerCmd(id).exec();
  * } catch (DockerUnavailableException e) {
  *   // The message names the host that was tried and how to fix it.
  *   System.err.println(e.getMessage());
  * }
  * }</pre>
  *
  * <p>Timeouts are bounded: {@link #CONNECT_TIMEOUT} to open a connection and, by default, {@link
  * #RESPONSE_TIMEOUT} of silence while waiting for a response. The response timeout applies to
  * every call and every transport, Unix sockets too (docker-java's own Unix-socket transport
  * ignores it; clients made here enforce it with a watchdog that interrupts a call waiting too long,
  * which fails with a {@code SocketTimeoutException} as its cause), including streaming ones such as {@code waitContainerCmd} or attached {@code
  * execStartCmd}: a call that legitimately waits longer without any data needs a client built with
  * {@link #fromEnvironment(Duration)}.
  *
  * <p>All methods are thread-safe; each call builds an independent client, which the caller must
  * close.
  */
public final class DockerClients {

    /** The daemon address used when {@code DOCKER_HOST} is unset or blank, as in the docker CLI. */
    public static final String DEFAULT_DOCKER_HOST = Endpoint.DEFAULT_DOCKER_HOST;

    /**
      * How long to wait for a connection to the daemon to open: 5 seconds. Local sockets connect or
      * fail at once; this bounds a {@code tcp} host that drops packets.
      */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /**
      * How long a call may wait without receiving any data before it fails: 30 seconds by default.
      * Long enough for a container create or start on a loaded machine, short enough that a hung
      * daemon fails a test instead of hanging the build.
      */
    public static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);

    /**
      * How long the initial {@code /version} call may take: 5 seconds, or the response timeout if
      * shorter. A daemon that cannot answer this trivial call that fast is treated as unavailable, so
      * that a wrong {@code DOCKER_HOST} fails in seconds rather than after a full response timeout.
      */
    public static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    /**
      * The newest Docker Engine API version docker-java 3.7.1 knows, {@code 1.44}: the highest
      * {@code RemoteApiVersion} constant it defines. A unit test fails when a docker-java upgrade adds
      * a newer constant, so that this is raised deliberately, not by accident.
      */
    public static final RemoteApiVersion CLIENT_MAX_API_VERSION = RemoteApiVersion.VERSION_1_44;

    /**
      * What a program that connects with TLS ({@code DOCKER_TLS_VERIFY}) adds to its dependencies,
      * as {@code groupId:artifactId:version}: the Bouncy Castle PKIX jar docker-java-core 3.7.1 is
      * built with, which brings bcprov and bcutil.
      */
    public static final String TLS_DEPENDENCY = "org.bouncycastle:bcpkix-jdk18on:1.82";

    /**
      * How many connections to the daemon a client made here keeps at most, unless {@link
      * #connect(Map, Duration, int)} is given another number: 100, docker-java's own default. A call
      * that finds them all in use waits for one; each open stream ({@code statsCmd}, {@code
      * logContainerCmd} with follow, {@code eventsCmd}) holds one until it ends.
      */
    public static final int DEFAULT_MAX_CONNECTIONS = 100;

    private static final Logger LOG = LoggerFactory.getLogger(DockerClients.class);

    private DockerClients() {}

    /**
      * Connects to the daemon named by this process's environment, with the default {@link
      * #RESPONSE_TIMEOUT}.
      *
      * @return a client pinned to the negotiated API version; the caller must close it
      * @throws DockerUnavailableException if no usable daemon answers; the message says where this
      *     looked and how to fix it
      */
    public static DockerClient fromEnvironment() {
        return fromEnvironment(System.getenv(), RESPONSE_TIMEOUT);
    }

    /**
      * Connects to the daemon named by this process's environment, with the given response timeout.
      *
      * @param responseTimeout how long any call may wait without receiving data; positive
      * @return a client pinned to the negotiated API version; the caller must close it
      * @throws DockerUnavailableException if no usable daemon answers
      * @throws IllegalArgumentException if {@code responseTimeout} is not positive
      */
    public static DockerClient fromEnvironment(Duration responseTimeout) {
        return fromEnvironment(System.getenv(), responseTimeout);
    }

    /**
      * Connects to the daemon named by the given environment, with the default {@link
      * #RESPONSE_TIMEOUT}. Only the variables listed in the {@linkplain DockerClients class
      * description} are read, and only from {@code env}, so tests can choose the daemon without
      * touching the process environment.
      *
      * @param env environment variables, such as {@link System#getenv()}
      * @return a client pinned to the negotiated API version; the caller must close it
      * @throws DockerUnavailableException if no usable daemon answers
      */
    public static DockerClient fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env, RESPONSE_TIMEOUT);
    }

    /**
      * Connects to the daemon named by the given environment, with the given response timeout.
      *
      * @param env environment variables, such as {@link System#getenv()}
      * @param responseTimeout how long any call may wait without receiving data; positive
      * @return a client pinned to the negotiated API version; the caller must close it
      * @throws DockerUnavailableException if no usable daemon answers
      * @throws IllegalArgumentException if {@code responseTimeout} is not positive
      */
    public static DockerClient fromEnvironment(Map<String, String> env, Duration responseTimeout) {
        return connect(env, responseTimeout).client();
    }

    /**
      * Connects like {@link #fromEnvironment(Map, Duration)} and also reports what was found and
      * agreed: the host, the daemon's version and API range, and the negotiated API version. Use this
      * when a caller needs to log or check those, for example to explain why a feature is missing.
      *
      * @param env environment variables, such as {@link System#getenv()}
      * @param responseTimeout how long any call may wait without receiving data; positive
      * @return the connection; closing it closes its client
      * @throws DockerUnavailableException if no usable daemon answers
      * @throws IllegalArgumentException if {@code responseTimeout} is not positive
      */
    public static Connection connect(Map<String, String> env, Duration responseTimeout) {
        return connect(env, responseTimeout, DEFAULT_MAX_CONNECTIONS);
    }

    /**
      * Connects like {@link #connect(Map, Duration)}, with a connection pool of the given size instead
      * of {@value #DEFAULT_MAX_CONNECTIONS}. Its use: a client for long-lived streams only, such as the
      * stats streams of a {@code StatsReader} that reads hundreds of containers through the API, so
      * that they hold connections of their own and never leave the main client's calls waiting for
      * one. Each open stream holds one connection (one file descriptor here, one in the daemon);
      * connections are opened as needed, not up front.
      *
      * <pre>{@code
      * Map<String, String> env = System.getenv();
      * try (DockerClients.Connection main = DockerClients.connect(env, DockerClients.RESPONSE_TIMEOUT);
      *         DockerClients.Connection streams = DockerClients.connect(env, DockerClients.RESPONSE_TIMEOUT,
      *                 containers.size() + 2);
      *         StatsReader reader = StatsReader.builder(main.client())
      *                 .apiStreamClient(streams.client(), containers.size())
      *                 .build()) {
      *     reader.poll(containers, Duration.ofSeconds(1), batch -> show(batch));
      *     ...
      * } // the reader closes first, then each connection closes its own client
      * }</pre>
      *
      * <p>Both connections are independent: each is closed by its caller ({@link Connection#close()}
      * or its client's {@code close()}), neither closes the other. The response timeout applies to
      * streams as to other calls: the daemon's stats streams send a sample a second (Podman's every
      * five), well inside the default {@link #RESPONSE_TIMEOUT}.
      *
      * @param env environment variables, such as {@link System#getenv()}
      * @param responseTimeout how long any call may wait without receiving data; positive
      * @param maxConnections how many connections the client may hold at once, at least 1
      * @return the connection; closing it closes its client
      * @throws DockerUnavailableException if no usable daemon answers
      * @throws IllegalArgumentException if {@code responseTimeout} is not positive or {@code
      *     maxConnections} is less than 1
      */
    public static Connection connect(Map<String, String> env, Duration responseTimeout, int maxConnections) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1: " + maxConnections);
        }
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(responseTimeout, "responseTimeout");
        if (responseTimeout.isNegative() || responseTimeout.isZero()) {
            throw new IllegalArgumentException("responseTimeout must be positive: " + responseTimeout);
        }
        Endpoint endpoint = Endpoint.resolve(env);
        LOG.debug("Looking for a Docker daemon at {} ({})", endpoint.dockerHost(), endpoint.source());

        Duration probeTimeout =
                responseTimeout.compareTo(PROBE_TIMEOUT) < 0 ? responseTimeout : PROBE_TIMEOUT;
        Version version = probe(endpoint, probeTimeout);

        RemoteApiVersion daemonMax = ApiVersions.parse(version.getApiVersion()).orElse(null);
        if (daemonMax == null) {
            throw endpoint.unavailable(
                    "it answered GET /version without a readable ApiVersion (got "
                            + quote(version.getApiVersion())
                            + "), so it does not look like a Docker daemon.",
                    "Point DOCKER_HOST at a Docker daemon.",
                    null);
        }
        RemoteApiVersion daemonMin = ApiVersions.parse(version.getMinAPIVersion()).orElse(null);
        RemoteApiVersion negotiated =
                ApiVersions.negotiate(CLIENT_MAX_API_VERSION, daemonMax, daemonMin)
                        .orElseThrow(
                                () ->
                                        endpoint.unavailable(
                                                "Docker "
                                                        + version.getVersion()
                                                        + " there speaks only API "
                                                        + daemonMin.getVersion()
                                                        + " to "
                                                        + daemonMax.getVersion()
                                                        + ", and docker-java speaks at most "
                                                        + CLIENT_MAX_API_VERSION.getVersion()
                                                        + ".",
                                                "Upgrade docker-java, or use an older Docker Engine.",
                                                null));

        DockerClient client = open(endpoint, negotiated, responseTimeout, maxConnections);
        LOG.debug(
                "Connected to Docker {} at {}: API {} (daemon speaks {} to {}, docker-java up to {})",
                version.getVersion(),
                endpoint.dockerHost(),
                negotiated.getVersion(),
                daemonMin == null ? "?" : daemonMin.getVersion(),
                daemonMax.getVersion(),
                CLIENT_MAX_API_VERSION.getVersion());
        return new Connection(
                client,
                endpoint.dockerHost(),
                endpoint.source(),
                negotiated,
                Objects.toString(version.getVersion(), "unknown"),
                daemonMax,
                daemonMin);
    }

    /** Asks the daemon, without an API version in the path, which versions it speaks. */
    private static Version probe(Endpoint endpoint, Duration timeout) {
        // Without withApiVersion(...) docker-java leaves the version out of every path, so this is the
        // plain GET /version that any daemon answers regardless of its supported range.
        DefaultDockerClientConfig config = endpoint.config(null);
        DockerHttpClient http;
        try {
            http = httpClient(endpoint, config, timeout, DEFAULT_MAX_CONNECTIONS);
        } catch (RuntimeException e) {
            throw endpoint.unavailable(
                    "its TLS settings could not be loaded (" + Causes.describe(e) + ").",
                    "Check DOCKER_CERT_PATH and the ca.pem, cert.pem and key.pem in it.",
                    e);
        }
        try (DockerClient probe = DockerClientImpl.getInstance(config, http)) {
            return probe.versionCmd().exec();
        } catch (DockerException e) {
            throw endpoint.unavailable(
                    "it answered GET /version with HTTP status "
                            + e.getHttpStatus()
                            + ", so it does not look like a Docker daemon.",
                    "Point DOCKER_HOST at a Docker daemon.",
                    e);
        } catch (IOException | RuntimeException e) {
            // docker-java wraps transport failures (refused, no socket, timeout) in plain
            // RuntimeExceptions; the IOException can only come from close().
            throw endpoint.unavailable(endpoint.reason(e, CONNECT_TIMEOUT, timeout), endpoint.advice(e), e);
        }
    }

    private static DockerClient open(Endpoint endpoint, RemoteApiVersion api, Duration timeout, int maxConnections) {
        DefaultDockerClientConfig config = endpoint.config(api);
        DockerClient client =
                DockerClientImpl.getInstance(config, httpClient(endpoint, config, timeout, maxConnections));
        ClientOrigin.register(client, new ClientOrigin(endpoint.dockerHost(), timeout));
        return client;
    }

    private static DockerHttpClient httpClient(
            Endpoint endpoint, DefaultDockerClientConfig config, Duration responseTimeout, int maxConnections) {
        ApacheDockerHttpClient apache = new ApacheDockerHttpClient.Builder()
                .dockerHost(endpoint.uri())
                .sslConfig(config.getSSLConfig())
                .maxConnections(maxConnections)
                .connectionTimeout(CONNECT_TIMEOUT)
                .responseTimeout(responseTimeout)
                .build();
        return new DeadlineHttpClient(apache, responseTimeout);
    }

    private static String quote(String s) {
        return s == null ? "nothing" : "\"" + s + "\"";
    }

    /**
      * A client together with what was learned while connecting it.
      *
      * @param client the client, pinned to {@code apiVersion}; closed by {@link #close()}
      * @param dockerHost the daemon address that was used, such as {@value #DEFAULT_DOCKER_HOST}
      * @param dockerHostSource where that address came from, in words, for messages
      * @param apiVersion the negotiated API version every request of {@code client} uses
      * @param daemonVersion the daemon's product version, such as {@code 20.10.24}
      * @param daemonMaxApiVersion the newest API version the daemon speaks
      * @param daemonMinApiVersion the oldest API version the daemon accepts, or {@code null} if it did
      *     not say
      */
    public record Connection(
            DockerClient client,
            String dockerHost,
            String dockerHostSource,
            RemoteApiVersion apiVersion,
            String daemonVersion,
            RemoteApiVersion daemonMaxApiVersion,
            RemoteApiVersion daemonMinApiVersion)
            implements Closeable {

        /**
          * Checks that the required parts are present.
          *
          * @throws NullPointerException if any component but {@code daemonMinApiVersion} is null
          */
        public Connection {
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(dockerHost, "dockerHost");
            Objects.requireNonNull(dockerHostSource, "dockerHostSource");
            Objects.requireNonNull(apiVersion, "apiVersion");
            Objects.requireNonNull(daemonVersion, "daemonVersion");
            Objects.requireNonNull(daemonMaxApiVersion, "daemonMaxApiVersion");
        }

        /**
          * Closes the client and its connections.
          *
          * @throws UncheckedIOException if closing fails
          */
        @Override
        public void close() {
            try {
                client.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
