package org.containerlimits.docker.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.core.RemoteApiVersion;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.containerlimits.docker.DockerUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unit tests of the parts of {@link DockerClients} that need no daemon: {@link ApiVersions} and {@link Endpoint}. */
class DockerClientsTest {

    private static RemoteApiVersion v(String text) {
        return ApiVersions.parse(text).orElseThrow();
    }

    @Test
    void clientMaximumIsTheNewestVersionDockerJavaKnows() {
        // Fails when a docker-java upgrade adds a newer constant: raise CLIENT_MAX_API_VERSION then.
        RemoteApiVersion newest =
                Arrays.stream(RemoteApiVersion.class.getFields())
                        .filter(f -> Modifier.isStatic(f.getModifiers()))
                        .filter(f -> f.getType() == RemoteApiVersion.class)
                        .map(DockerClientsTest::read)
                        .filter(version -> version != RemoteApiVersion.unknown())
                        .max(ApiVersions::compare)
                        .orElseThrow();

        assertThat(DockerClients.CLIENT_MAX_API_VERSION).isEqualTo(newest);
        assertThat(newest.getVersion()).isEqualTo("1.44");
    }

    private static RemoteApiVersion read(Field field) {
        try {
            return (RemoteApiVersion) field.get(null);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void negotiatesTheOlderMaximum() {
        // An old daemon, like Debian 12's 20.10 (API 1.41, minimum 1.12).
        assertThat(ApiVersions.negotiate(v("1.44"), v("1.41"), v("1.12"))).contains(v("1.41"));
        // A new daemon, like Docker Engine 29 (API 1.52, minimum 1.44).
        assertThat(ApiVersions.negotiate(v("1.44"), v("1.52"), v("1.44"))).contains(v("1.44"));
        // A daemon that does not report its minimum.
        assertThat(ApiVersions.negotiate(v("1.44"), v("1.24"), null)).contains(v("1.24"));
    }

    @Test
    void refusesWhenTheDaemonNeedsANewerClient() {
        assertThat(ApiVersions.negotiate(v("1.44"), v("1.60"), v("1.45"))).isEmpty();
    }

    @Test
    void comparesAcrossMajorVersions() {
        // docker-java's own isGreaterOrEqual compares major and minor separately and says false here
        // (RemoteApiVersion cannot even represent 2.0: create() rejects a zero minor).
        assertThat(v("2.1").isGreaterOrEqual(v("1.44"))).isFalse();
        assertThat(ApiVersions.compare(v("2.1"), v("1.44"))).isPositive();
        assertThat(ApiVersions.compare(v("1.9"), v("1.41"))).isNegative();
        assertThat(ApiVersions.compare(v("1.41"), v("1.41"))).isZero();
    }

    @Test
    void parsesOnlyWellFormedVersions() {
        assertThat(ApiVersions.parse("1.41")).contains(RemoteApiVersion.VERSION_1_41);
        assertThat(ApiVersions.parse("v1.44")).contains(RemoteApiVersion.VERSION_1_44);
        assertThat(ApiVersions.parse(null)).isEmpty();
        assertThat(ApiVersions.parse("")).isEmpty();
        assertThat(ApiVersions.parse("latest")).isEqualTo(Optional.empty());
        assertThat(ApiVersions.parse("1.0")).isEmpty();
    }

    @Test
    void defaultsToTheUnixSocketWhenDockerHostIsUnsetOrBlank() {
        for (Map<String, String> env : List.<Map<String, String>>of(Map.of(), Map.of("DOCKER_HOST", "  "))) {
            Endpoint endpoint = Endpoint.resolve(env);
            assertThat(endpoint.dockerHost()).isEqualTo("unix:///var/run/docker.sock");
            assertThat(endpoint.source()).contains("default").contains("DOCKER_HOST is not set");
            assertThat(endpoint.tlsCertPath()).isNull();
        }
    }

    @Test
    void takesDockerHostFromTheEnvironment() {
        Endpoint endpoint = Endpoint.resolve(Map.of("DOCKER_HOST", "tcp://127.0.0.1:2375"));

        assertThat(endpoint.dockerHost()).isEqualTo("tcp://127.0.0.1:2375");
        assertThat(endpoint.source()).contains("DOCKER_HOST environment variable");
    }

    @Test
    void addsTheCliDefaultPortToTcpHosts() {
        assertThat(Endpoint.resolve(Map.of("DOCKER_HOST", "tcp://docker.example")).dockerHost())
                .isEqualTo("tcp://docker.example:2375");
        assertThat(
                        Endpoint.resolve(
                                        Map.of(
                                                "DOCKER_HOST", "tcp://docker.example",
                                                "DOCKER_TLS_VERIFY", "1",
                                                "DOCKER_CERT_PATH", "/certs"))
                                .dockerHost())
                .isEqualTo("tcp://docker.example:2376");
    }

    @Test
    void tlsIsOnWheneverDockerTlsVerifyIsNonEmptyAsInTheCli() {
        Endpoint endpoint =
                Endpoint.resolve(
                        Map.of(
                                "DOCKER_HOST", "tcp://h:2376",
                                "DOCKER_TLS_VERIFY", "0",
                                "DOCKER_CERT_PATH", "/certs"));
        assertThat(endpoint.tlsCertPath()).isEqualTo("/certs");

        assertThat(
                        Endpoint.resolve(Map.of("DOCKER_HOST", "tcp://h:2375", "DOCKER_TLS_VERIFY", ""))
                                .tlsCertPath())
                .isNull();
    }

    @Test
    void certPathDefaultsToDockerConfigThenHomeDotDocker() {
        assertThat(
                        Endpoint.resolve(
                                        Map.of("DOCKER_TLS_VERIFY", "1", "DOCKER_CONFIG", "/cfg", "HOME", "/home/u"))
                                .tlsCertPath())
                .isEqualTo("/cfg");
        assertThat(Endpoint.resolve(Map.of("DOCKER_TLS_VERIFY", "1", "HOME", "/home/u")).tlsCertPath())
                .isEqualTo("/home/u/.docker");
    }

    @Test
    void missingCertificatesFailClearlyInsteadOfFallingBackToPlainHttp(@TempDir Path certs) {
        Map<String, String> env =
                Map.of(
                        "DOCKER_HOST", "tcp://127.0.0.1:2376",
                        "DOCKER_TLS_VERIFY", "1",
                        "DOCKER_CERT_PATH", certs.toString());

        assertThatThrownBy(() -> DockerClients.fromEnvironment(env))
                .isInstanceOf(DockerUnavailableException.class)
                .hasMessageContaining("tcp://127.0.0.1:2376")
                .hasMessageContaining(certs.resolve("ca.pem").toString())
                .hasMessageContaining("DOCKER_CERT_PATH");
    }

    /**
      * The light footprint: Bouncy Castle is not a dependency of this module (README, "Use it from
      * Maven"), and so not on this test class path; every test here and in DockerClientsIT, which
      * connects to the real daemon, runs without it.
      */
    @Test
    void bouncyCastleIsNotOnTheClassPath() {
        assertThat(Endpoint.bouncyCastlePresent()).isFalse();
        assertThatThrownBy(() -> Class.forName("org.bouncycastle.jce.provider.BouncyCastleProvider"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void tlsWithoutBouncyCastle_saysWhichDependencyToAdd(@TempDir Path certs) throws IOException {
        for (String file : List.of("ca.pem", "cert.pem", "key.pem")) {
            Files.writeString(certs.resolve(file), "");
        }
        Map<String, String> env =
                Map.of(
                        "DOCKER_HOST", "tcp://127.0.0.1:2376",
                        "DOCKER_TLS_VERIFY", "1",
                        "DOCKER_CERT_PATH", certs.toString());

        // Without the check, docker-java fails with a NoClassDefFoundError from inside its client.
        assertThatThrownBy(() -> DockerClients.fromEnvironment(env))
                .isInstanceOf(DockerUnavailableException.class)
                .hasMessageContaining("tcp://127.0.0.1:2376")
                .hasMessageContaining("Bouncy Castle")
                .hasMessageContaining("Add the dependency org.bouncycastle:bcpkix-jdk18on:1.82")
                .hasMessageContaining("unset DOCKER_TLS_VERIFY");
        assertThat(DockerClients.TLS_DEPENDENCY).isEqualTo("org.bouncycastle:bcpkix-jdk18on:1.82");
    }

    @Test
    void rejectsSchemesTheTransportCannotSpeak() {
        assertThatThrownBy(() -> Endpoint.resolve(Map.of("DOCKER_HOST", "ssh://me@host")))
                .isInstanceOf(DockerUnavailableException.class)
                .hasMessageContaining("ssh://me@host")
                .hasMessageContaining("unix://")
                .satisfies(
                        e -> assertThat(((DockerUnavailableException) e).dockerHost()).isEqualTo("ssh://me@host"));
        assertThatThrownBy(() -> Endpoint.resolve(Map.of("DOCKER_HOST", "not a uri")))
                .isInstanceOf(DockerUnavailableException.class)
                .hasMessageContaining("not a valid address");
    }

    @Test
    void rejectsANonPositiveResponseTimeout() {
        assertThatThrownBy(() -> DockerClients.fromEnvironment(Map.of(), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsAPoolOfNoConnection_beforeLookingForTheDaemon() {
        // The host does not exist: a check that came after connecting would fail differently.
        Map<String, String> env = Map.of("DOCKER_HOST", "unix:///nonexistent/docker.sock");
        assertThatThrownBy(() -> DockerClients.connect(env, DockerClients.RESPONSE_TIMEOUT, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxConnections");
    }
}
