package org.containerlimits.docker.client;

import static org.containerlimits.docker.client.Causes.causedBy;
import static org.containerlimits.docker.client.Causes.describe;
import static org.containerlimits.docker.client.Causes.rootCause;

import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.RemoteApiVersion;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.containerlimits.docker.DockerUnavailableException;

/**
  * What the environment says about where the daemon is.
  *
  * @param dockerHost the address to connect to, normalized as the CLI would
  * @param source where that address came from, for messages
  * @param uri {@code dockerHost} parsed
  * @param tlsCertPath the certificate directory when TLS is on, otherwise {@code null}
  */
record Endpoint(String dockerHost, String source, URI uri, String tlsCertPath) {

    /** The daemon address used when {@code DOCKER_HOST} is unset or blank, as in the docker CLI. */
    static final String DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock";

    private static final String DOCKER_HOST = "DOCKER_HOST";
    private static final String DOCKER_TLS_VERIFY = "DOCKER_TLS_VERIFY";
    private static final String DOCKER_CERT_PATH = "DOCKER_CERT_PATH";
    private static final String DOCKER_CONFIG = "DOCKER_CONFIG";

    /**
      * Reads DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH from {@code env}.
      *
      * @throws DockerUnavailableException if they are unusable, such as an unsupported scheme
      */
    static Endpoint resolve(Map<String, String> env) {
        String raw = blankToNull(env.get(DOCKER_HOST));
        String host = raw == null ? DEFAULT_DOCKER_HOST : raw;
        String source =
                raw == null
                        ? "the default, because DOCKER_HOST is not set"
                        : "from the DOCKER_HOST environment variable";
        boolean tls = blankToNull(env.get(DOCKER_TLS_VERIFY)) != null;
        URI uri;
        try {
            uri = new URI(host);
        } catch (URISyntaxException e) {
            throw new DockerUnavailableException(
                    host,
                    "DOCKER_HOST=" + host + " is not a valid address (" + e.getReason() + "). " + EXAMPLES,
                    e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "unix":
            case "npipe":
                if (uri.getPath() == null || uri.getPath().isEmpty()) {
                    throw new DockerUnavailableException(
                            host, "DOCKER_HOST=" + host + " names no socket path. " + EXAMPLES, null);
                }
                break;
            case "tcp":
                if (uri.getHost() == null) {
                    throw new DockerUnavailableException(
                            host, "DOCKER_HOST=" + host + " names no host. " + EXAMPLES, null);
                }
                if (uri.getPort() < 0) {
                    // The CLI fills in the IANA ports for Docker; docker-java would otherwise use 80.
                    int port = tls ? 2376 : 2375;
                    uri = URI.create("tcp://" + uri.getRawAuthority() + ":" + port + uri.getRawPath());
                    source = source + ", with the default port " + port;
                }
                break;
            default:
                throw new DockerUnavailableException(
                        host,
                        "DOCKER_HOST="
                                + host
                                + " uses a scheme that docker-java's HTTP transport cannot speak; it supports"
                                + " unix:// and tcp:// (ssh:// needs the docker CLI). "
                                + EXAMPLES,
                        null);
        }
        String certPath = null;
        if (tls) {
            certPath = blankToNull(env.get(DOCKER_CERT_PATH));
            if (certPath == null) {
                String configDir = blankToNull(env.get(DOCKER_CONFIG));
                String home = blankToNull(env.get("HOME"));
                certPath =
                        configDir != null
                                ? configDir
                                : Path.of(home != null ? home : System.getProperty("user.home"), ".docker")
                                        .toString();
            }
        }
        return new Endpoint(uri.toString(), source, uri, certPath);
    }

    private static final String EXAMPLES =
            "Use for example DOCKER_HOST=unix:///var/run/docker.sock or"
                    + " DOCKER_HOST=tcp://127.0.0.1:2375, or unset it for the default "
                    + DEFAULT_DOCKER_HOST
                    + ".";

    /** Builds docker-java's config from nothing but this endpoint. */
    DefaultDockerClientConfig config(RemoteApiVersion api) {
        if (tlsCertPath != null) {
            // docker-java's LocalDirectorySSLConfig quietly returns no SSL context when a file is
            // missing, which would send plain HTTP to a TLS port; insist on all three instead.
            for (String file : List.of("ca.pem", "cert.pem", "key.pem")) {
                if (!Files.isRegularFile(Path.of(tlsCertPath, file))) {
                    throw unavailable(
                            "DOCKER_TLS_VERIFY is set but " + Path.of(tlsCertPath, file) + " does not exist.",
                            "Set DOCKER_CERT_PATH to the directory with ca.pem, cert.pem and key.pem, or"
                                    + " unset DOCKER_TLS_VERIFY for a daemon without TLS.",
                            null);
                }
            }
        }
        if (tlsCertPath != null && !bouncyCastlePresent()) {
            // docker-java reads the PEM files with Bouncy Castle, which limits-docker-client leaves
            // out (9.8 MiB that only TLS needs); without it docker-java would fail later with a
            // NoClassDefFoundError from inside its HTTP client.
            throw unavailable(
                    "DOCKER_TLS_VERIFY is set, and docker-java reads the TLS certificates with Bouncy"
                            + " Castle, which is not on the class path.",
                    "Add the dependency " + DockerClients.TLS_DEPENDENCY + " (limits-bom manages its"
                            + " version), or unset DOCKER_TLS_VERIFY for a daemon without TLS.",
                    null);
        }
        // A fresh Builder, not createDefaultConfigBuilder(): only the latter reads system
        // properties, ~/.docker-java.properties and the class path, and leaving withDockerConfig
        // unset keeps build() from reading ~/.docker/config.json and its current context.
        DefaultDockerClientConfig.Builder builder =
                new DefaultDockerClientConfig.Builder()
                        .withDockerHost(dockerHost)
                        .withDockerTlsVerify(Boolean.valueOf(tlsCertPath != null))
                        .withDockerCertPath(tlsCertPath);
        if (api != null) {
            builder.withApiVersion(api);
        }
        return builder.build();
    }

    DockerUnavailableException unavailable(String reason, String advice, Throwable cause) {
        return new DockerUnavailableException(
                dockerHost,
                "No usable Docker daemon at "
                        + dockerHost
                        + " ("
                        + source
                        + "): "
                        + reason
                        + " "
                        + advice,
                cause);
    }

    /** Says in a few words why connecting failed, without a stack trace. */
    String reason(Throwable failure, Duration connectTimeout, Duration probeTimeout) {
        if ("unix".equals(uri.getScheme())) {
            Path socket = Path.of(uri.getPath());
            if (!Files.exists(socket) || causedBy(failure, NoSuchFileException.class)) {
                return "there is no socket file " + socket + ".";
            }
            if (causedBy(failure, AccessDeniedException.class) || !Files.isWritable(socket)) {
                return "permission denied on " + socket + ".";
            }
        }
        if (causedBy(failure, ConnectException.class)) {
            return "the connection was refused, so no daemon listens there.";
        }
        if (causedBy(failure, SocketTimeoutException.class)
                || rootCause(failure).getClass().getSimpleName().contains("Timeout")) {
            return "it did not answer in time (connect timeout "
                    + connectTimeout.toMillis()
                    + " ms, then "
                    + probeTimeout.toMillis()
                    + " ms for GET /version).";
        }
        return "connecting failed (" + describe(failure) + ").";
    }

    /** Says what a person can do about it. */
    String advice(Throwable failure) {
        if ("unix".equals(uri.getScheme())
                && Files.exists(Path.of(uri.getPath()))
                && (causedBy(failure, AccessDeniedException.class)
                        || !Files.isWritable(Path.of(uri.getPath())))) {
            return "Run as root or as a member of the socket's group (usually 'docker').";
        }
        return "Start the Docker daemon (for example 'sudo systemctl start docker', or 'sudo dockerd"
                + " &' where there is no systemd), or set DOCKER_HOST to a running daemon. "
                + EXAMPLES;
    }

    /** Whether the Bouncy Castle classes docker-java's TLS needs (bcprov and bcpkix) can be loaded. */
    static boolean bouncyCastlePresent() {
        ClassLoader loader = Endpoint.class.getClassLoader();
        for (String name : List.of(
                "org.bouncycastle.jce.provider.BouncyCastleProvider", "org.bouncycastle.openssl.PEMParser")) {
            try {
                Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
        }
        return true;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
