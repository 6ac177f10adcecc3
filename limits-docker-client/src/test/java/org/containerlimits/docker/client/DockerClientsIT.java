package org.containerlimits.docker.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.RemoteApiVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.containerlimits.docker.ClientOrigin;
import org.containerlimits.docker.RequiresDocker;
import org.containerlimits.docker.DockerUnavailableException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@link DockerClients} against a real daemon, and against addresses where there is none. */
class DockerClientsIT {

    /** Far above the 5 s connect and probe timeouts, far below a hang. */
    private static final Duration FAST = Duration.ofSeconds(12);

    @Nested
    @RequiresDocker
    class WithTheDaemon {

        @Test
        void negotiatesTheNewestApiVersionBothSidesSpeak() {
            try (DockerClients.Connection connection =
                    DockerClients.connect(System.getenv(), DockerClients.RESPONSE_TIMEOUT)) {
                // A versioned call through the negotiated client: the daemon refuses versions outside its
                // range, so this succeeding also shows the client speaks one it accepts.
                Version daemon = connection.client().versionCmd().exec();
                int[] daemonMax = numbers(daemon.getApiVersion());
                int[] clientMax = highestKnownToDockerJava();
                int[] expected = compare(daemonMax, clientMax) <= 0 ? daemonMax : clientMax;

                int[] negotiated = numbers(connection.apiVersion().getVersion());
                assertThat(negotiated).containsExactly(expected);
                assertThat(compare(negotiated, numbers(daemon.getMinAPIVersion())))
                        .as("negotiated %s, daemon minimum %s", connection.apiVersion().getVersion(),
                                daemon.getMinAPIVersion())
                        .isGreaterThanOrEqualTo(0);
                assertThat(connection.daemonVersion()).isEqualTo(daemon.getVersion());
                assertThat(connection.daemonMaxApiVersion().getVersion())
                        .isEqualTo(daemon.getApiVersion());
                // Registered, so that limits-docker's messages name this host and timeout.
                assertThat(ClientOrigin.of(connection.client()))
                        .hasValue(new ClientOrigin(connection.dockerHost(), DockerClients.RESPONSE_TIMEOUT));
                // And all of it without Bouncy Castle, which only TLS needs.
                assertThat(Endpoint.bouncyCastlePresent()).isFalse();
            }
        }

        /**
         * A pool of two: two open event streams hold both connections, so a third call waits for one,
         * and runs as soon as a stream ends. With docker-java's pool of 100 it would not wait at all.
         */
        @Test
        void aPoolOfItsOwnSize_makesTheNextCallWait_untilAStreamEnds() throws Exception {
            try (DockerClients.Connection connection =
                    DockerClients.connect(System.getenv(), DockerClients.RESPONSE_TIMEOUT, 2)) {
                ResultCallback.Adapter<Event> first = connection.client().eventsCmd().exec(new ResultCallback.Adapter<>());
                ResultCallback.Adapter<Event> second = connection.client().eventsCmd().exec(new ResultCallback.Adapter<>());
                try {
                    first.awaitStarted(5, TimeUnit.SECONDS);
                    second.awaitStarted(5, TimeUnit.SECONDS);
                    Thread.sleep(300); // until both requests hold their connections

                    CompletableFuture<Version> third =
                            CompletableFuture.supplyAsync(() -> connection.client().versionCmd().exec());
                    Thread.sleep(1000);
                    assertThat(third).as("a third call while two streams hold the pool of two").isNotDone();

                    first.close();
                    assertThat(third.get(5, TimeUnit.SECONDS).getApiVersion()).isNotBlank();
                } finally {
                    first.close();
                    second.close();
                }
            }
        }

        @Test
        void fallsBackToTheDefaultUnixSocketWhenDockerHostIsUnset() {
            Map<String, String> env = new HashMap<>(System.getenv());
            String configured = env.remove("DOCKER_HOST");

            if (configured == null || configured.isBlank()
                    || configured.equals(DockerClients.DEFAULT_DOCKER_HOST)) {
                // @RequiresDocker found a daemon at the default socket, so the fallback must reach it.
                try (DockerClients.Connection connection = DockerClients.connect(env, FAST)) {
                    assertThat(connection.dockerHost()).isEqualTo("unix:///var/run/docker.sock");
                    assertThat(connection.dockerHostSource()).contains("DOCKER_HOST is not set");
                    assertThat(connection.client().pingCmd().exec()).isNull();
                }
            } else {
                // The tests' daemon is elsewhere; the fallback must at least have looked at the socket.
                DockerUnavailableException e =
                        catchThrowableOfType(DockerUnavailableException.class,
                                () -> DockerClients.connect(env, FAST).close());
                if (e != null) {
                    assertThat(e.dockerHost()).isEqualTo("unix:///var/run/docker.sock");
                    assertThat(e.getMessage()).contains("DOCKER_HOST is not set");
                }
            }
        }

        @Test
        void fromEnvironmentGivesAWorkingClient() throws IOException {
            try (var docker = DockerClients.fromEnvironment()) {
                assertThat(docker.infoCmd().exec().getServerVersion()).isNotBlank();
            }
        }
    }

    @Test
    void aMissingUnixSocketFailsFastAndSaysWhereItLooked() {
        DockerUnavailableException e =
                unavailable(Map.of("DOCKER_HOST", "unix:///nonexistent.sock"));

        assertThat(e.dockerHost()).isEqualTo("unix:///nonexistent.sock");
        assertThat(e.getMessage())
                .contains("unix:///nonexistent.sock")
                .contains("from the DOCKER_HOST environment variable")
                .contains("no socket file /nonexistent.sock")
                .contains("Start the Docker daemon")
                .contains("set DOCKER_HOST")
                .doesNotContain("\tat ");
        assertThat(e.getCause()).as("the transport failure stays chained").isNotNull();
    }

    @Test
    void aRefusedTcpPortFailsFastAndSaysWhereItLooked() {
        DockerUnavailableException e = unavailable(Map.of("DOCKER_HOST", "tcp://127.0.0.1:1"));

        assertThat(e.dockerHost()).isEqualTo("tcp://127.0.0.1:1");
        assertThat(e.getMessage())
                .contains("tcp://127.0.0.1:1")
                .contains("refused")
                .contains("Start the Docker daemon")
                .doesNotContain("\tat ");
        assertThat(e.getCause()).isNotNull();
    }

    @Test
    void anEndpointThatNeverAnswersTimesOut() throws Exception {
        // Accepts connections and then says nothing, like a hung daemon.
        try (FakeServer server = new FakeServer(socket -> {})) {
            DockerUnavailableException e =
                    unavailable(Map.of("DOCKER_HOST", "tcp://127.0.0.1:" + server.port()));

            assertThat(e.getMessage())
                    .contains("tcp://127.0.0.1:" + server.port())
                    .contains("did not answer in time");
        }
    }

    @Test
    void anEndpointThatIsNotDockerIsReportedAsSuch() throws Exception {
        try (FakeServer server =
                new FakeServer(
                        socket -> respond(socket, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"))) {
            DockerUnavailableException e =
                    unavailable(Map.of("DOCKER_HOST", "tcp://127.0.0.1:" + server.port()));

            assertThat(e.getMessage())
                    .contains("HTTP status 404")
                    .contains("does not look like a Docker daemon");
        }
    }

    @Test
    void aDaemonTooNewForDockerJavaIsRefusedWithAdvice() throws Exception {
        String body = "{\"Version\":\"99.0.0\",\"ApiVersion\":\"1.99\",\"MinAPIVersion\":\"1.90\"}";
        try (FakeServer server =
                new FakeServer(
                        socket ->
                                respond(
                                        socket,
                                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                                                + body.length()
                                                + "\r\n\r\n"
                                                + body))) {
            DockerUnavailableException e =
                    unavailable(Map.of("DOCKER_HOST", "tcp://127.0.0.1:" + server.port()));

            assertThat(e.getMessage())
                    .contains("1.90 to 1.99")
                    .contains("docker-java speaks at most 1.44")
                    .contains("Upgrade docker-java");
        }
    }

    private static DockerUnavailableException unavailable(Map<String, String> env) {
        long start = System.nanoTime();
        DockerUnavailableException e =
                catchThrowableOfType(
                        DockerUnavailableException.class, () -> DockerClients.fromEnvironment(env).close());
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(e).as("connecting to %s should fail", env).isNotNull();
        assertThat(took).as("time to fail").isLessThan(FAST);
        return e;
    }

    private static int[] highestKnownToDockerJava() {
        int[] best = {0, 0};
        for (var field : RemoteApiVersion.class.getFields()) {
            if (field.getType() == RemoteApiVersion.class) {
                try {
                    RemoteApiVersion v = (RemoteApiVersion) field.get(null);
                    if (v != RemoteApiVersion.unknown() && compare(numbers(v.getVersion()), best) > 0) {
                        best = numbers(v.getVersion());
                    }
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return best;
    }

    private static int[] numbers(String version) {
        String[] parts = Objects.requireNonNull(version, "version").split("\\.");
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
    }

    private static int compare(int[] a, int[] b) {
        return a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(a[1], b[1]);
    }

    private static void respond(Socket socket, String response) {
        try {
            InputStream in = socket.getInputStream();
            // Read the request head before answering, as a real server would.
            byte[] buffer = new byte[8192];
            StringBuilder head = new StringBuilder();
            while (!head.toString().contains("\r\n\r\n")) {
                int n = in.read(buffer);
                if (n < 0) {
                    return;
                }
                head.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
            }
            OutputStream out = socket.getOutputStream();
            out.write(response.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            // The client gave up; nothing to answer.
        }
    }

    /** A one-thread TCP server on the loopback interface that hands each connection to a handler. */
    private static final class FakeServer implements AutoCloseable {
        private final ServerSocket server;
        private final Thread thread;
        private final List<Socket> accepted = new ArrayList<>();

        FakeServer(Consumer<Socket> handler) throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            thread =
                    new Thread(
                            () -> {
                                while (!server.isClosed()) {
                                    try {
                                        Socket socket = server.accept();
                                        synchronized (accepted) {
                                            accepted.add(socket);
                                        }
                                        handler.accept(socket);
                                    } catch (IOException e) {
                                        return;
                                    }
                                }
                            },
                            "fake-docker-" + server.getLocalPort());
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
            synchronized (accepted) {
                for (Socket socket : accepted) {
                    socket.close();
                }
            }
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
