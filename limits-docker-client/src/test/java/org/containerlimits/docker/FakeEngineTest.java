package org.containerlimits.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.InternalServerErrorException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.RemoteApiVersion;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.containerlimits.core.usage.LimitsReading;
import org.containerlimits.docker.client.DockerClients;
import org.containerlimits.docker.stats.StatsReader;
import org.containerlimits.docker.stats.StatsSourceKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Checks {@link FakeEngine} against the real docker-java client and this library; no Docker needed. */
@Timeout(20)
class FakeEngineTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void aClientOpensAndPingVersionInfoAndInspectWork() throws IOException {
        try (FakeEngine engine = FakeEngine.start()) {
            FakeEngine.Container c1 = engine.container("c1").nanoCpus(1_500_000_000L).memory(256L << 20);
            try (DockerClients.Connection connection =
                    DockerClients.connect(Map.of("DOCKER_HOST", engine.dockerHost()), TIMEOUT)) {
                // Opening asks an unversioned GET /version, and nothing else.
                assertThat(engine.requestLog()).extracting(FakeEngine.Request::target).containsExactly("/version");
                assertThat(connection.apiVersion()).isEqualTo(RemoteApiVersion.VERSION_1_41);
                assertThat(connection.daemonVersion()).isEqualTo("20.10.24");
                assertThat(connection.daemonMinApiVersion().getVersion()).isEqualTo("1.12");
                DockerClient client = connection.client();

                client.pingCmd().exec();
                Version version = client.versionCmd().exec();
                assertThat(version.getApiVersion()).isEqualTo("1.41");
                assertThat(version.getArch()).isEqualTo("amd64");
                Info info = client.infoCmd().exec();
                assertThat(info.getNCPU()).isEqualTo(2);
                assertThat(info.getMemTotal()).isEqualTo(4294967296L);
                HostCapabilities caps = DockerLimits.of(client).capabilities();
                assertThat(caps.cpus()).isEqualTo(2);
                assertThat(caps.cgroupVersion()).isEqualTo("1");
                assertThat(caps.serverVersion()).isEqualTo("20.10.24");
                assertThat(caps.oomKillDisable()).isTrue();

                InspectContainerResponse byName = client.inspectContainerCmd("c1").exec();
                assertThat(byName.getId()).isEqualTo(c1.id()).hasSize(64).matches("[0-9a-f]{64}");
                assertThat(byName.getName()).isEqualTo("/c1");
                assertThat(byName.getState().getRunning()).isTrue();
                assertThat(byName.getState().getPidLong()).isZero();
                assertThat(byName.getHostConfig().getNanoCPUs()).isEqualTo(1_500_000_000L);
                assertThat(byName.getHostConfig().getMemory()).isEqualTo(256L << 20);
                assertThat(client.inspectContainerCmd(c1.id().substring(0, 12)).exec().getId()).isEqualTo(c1.id());
                assertThatThrownBy(() -> client.inspectContainerCmd("nope").exec())
                        .isInstanceOf(NotFoundException.class)
                        .hasMessageContaining("No such container: nope");

                // Every call after opening carries the negotiated version, stripped for counting.
                assertThat(engine.requests("/_ping")).isEqualTo(1);
                assertThat(engine.requests("/version")).isEqualTo(2);
                assertThat(engine.requests("/info")).isEqualTo(2);
                assertThat(engine.requests("/containers/[^/]+/json")).isEqualTo(3);
                assertThat(engine.requestLog()).filteredOn(r -> !r.target().equals("/version"))
                        .allSatisfy(r -> assertThat(r.apiVersion()).isEqualTo("1.41"));
                // docker-java's pool reuses connections: far fewer than one per request.
                assertThat(engine.connectionsAccepted()).isLessThan(engine.requestLog().size());
            }
        }
    }

    @Test
    void statsReaderReadsScriptedApiStats() throws Exception {
        try (FakeEngine engine = FakeEngine.start()) {
            engine.container("c1");
            Instant t0 = Instant.parse("2024-05-01T12:00:00.123456789Z");
            long s = 1_000_000_000L;
            // 0.5 cores over each 1 s interval; the host's 2 CPUs advance system time by 2 s a second.
            engine.stats("c1", List.of(
                    FakeEngine.statsJson(t0.plusSeconds(1), t0, 1_500_000_000L, s, 1_002 * s, 1_000 * s,
                            100L << 20, 512L << 20, 5),
                    FakeEngine.statsJson(t0.plusSeconds(2), t0.plusSeconds(1), 2_000_000_000L, 1_500_000_000L,
                            1_004 * s, 1_002 * s, 110L << 20, 512L << 20, 6)),
                    Duration.ofMillis(200));
            try (DockerClient client = DockerClients.fromEnvironment(Map.of("DOCKER_HOST", engine.dockerHost()),
                    TIMEOUT);
                    StatsReader reader = StatsReader.builder(client).source(StatsSourceKind.API).build()) {
                LimitsReading first = reader.read("c1");
                assertThat(first.source()).isEqualTo("api");
                assertThat(first.state()).isEqualTo(LimitsReading.State.RUNNING);
                assertThat(first.interval()).isEqualTo(Duration.ofSeconds(1));
                assertThat(first.cpuCores()).isCloseTo(0.5, within(1e-9));
                assertThat(first.memoryLimitBytes()).hasValue(512L << 20);
                assertThat(first.pids()).isEqualTo(5);

                Thread.sleep(500); // the second object has come
                LimitsReading second = reader.read("c1");
                assertThat(second.time()).isEqualTo(t0.plusSeconds(2));
                assertThat(second.cpuCores()).isCloseTo(0.5, within(1e-9));
                assertThat(second.pids()).isEqualTo(6);

                // Inspected by the name it was read by, streamed by the id inspect returned.
                assertThat(engine.requests("/containers/c1/json")).isEqualTo(1);
                assertThat(engine.requests("/containers/[^/]+/stats")).isEqualTo(1);
                assertThat(engine.requestLog()).filteredOn(r -> r.path().endsWith("/stats"))
                        .singleElement().satisfies(r -> assertThat(r.path())
                                .isEqualTo("/containers/" + engine.container("c1").id() + "/stats"));
                assertThat(engine.openStatsStreams()).isEqualTo(1);

                reader.forget("c1");
                awaitZero(engine::openStatsStreams);
            }
        }
    }

    @Test
    void keepsAliveChunksAndServesCannedReplies() throws IOException {
        try (FakeEngine engine = FakeEngine.start()) {
            engine.container("c1");
            engine.statsRaw("c1", List.of("{\"read\":", "\"not json at all", "\n"), Duration.ZERO,
                    FakeEngine.AfterScript.END);
            engine.respond("GET", "/containers/c2/json", 500, "application/json", "{\"message\":\"boom\"}");
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(engine.socket()));
                // Three pipelined requests on one connection, one of them chunked.
                ch.write(ByteBuffer.wrap(("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n"
                        + "GET /v1.41/containers/c1/stats?stream=1 HTTP/1.1\r\nHost: x\r\n\r\n"
                        + "GET /v1.99/info HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII)));
                String all = readAll(ch);
                assertThat(all).startsWith("HTTP/1.1 200 OK\r\n").contains("Api-Version: 1.41\r\n")
                        .contains("Content-Length: 2\r\n\r\nOK")
                        .contains("Transfer-Encoding: chunked\r\n\r\n8\r\n{\"read\":\r\n10\r\n\"not json at all\r\n"
                                + "1\r\n\n\r\n0\r\n\r\n")
                        .contains("HTTP/1.1 400 Bad Request")
                        .endsWith("{\"message\":\"client version 1.99 is too new. Maximum supported API version is"
                                + " 1.41\"}");
            }
            assertThat(engine.connectionsAccepted()).isEqualTo(1);

            try (DockerClient client = DockerClients.fromEnvironment(Map.of("DOCKER_HOST", engine.dockerHost()),
                    TIMEOUT)) {
                assertThatThrownBy(() -> client.inspectContainerCmd("c2").exec())
                        .isInstanceOf(InternalServerErrorException.class).hasMessageContaining("boom");
                // A canned reply streamed as it is made: 10 MB, never held whole.
                engine.respond("GET", "/info", 200, "application/json",
                        FakeEngine.repeated("{\"Name\":\"", (byte) 'n', 10_000_000, "\",\"NCPU\":7}"));
                Info info = client.infoCmd().exec();
                assertThat(info.getNCPU()).isEqualTo(7);
                assertThat(info.getName()).hasSize(10_000_000);
            }
        }
    }

    @Test
    void closeStopsItsThreadsAndDeletesTheSocket() throws Exception {
        FakeEngine engine = FakeEngine.start();
        engine.container("c1").cpuCores(0.25);
        Path socket = engine.socket();
        SocketChannel held = SocketChannel.open(StandardProtocolFamily.UNIX);
        held.connect(UnixDomainSocketAddress.of(socket));
        // An unscripted stream sends live samples until the engine closes.
        held.write(ByteBuffer.wrap("GET /containers/c1/stats HTTP/1.1\r\nHost: x\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII)));
        ByteBuffer buf = ByteBuffer.allocate(8192);
        String first = "";
        while (!first.contains("}\n\r\n")) { // the end of the first chunk
            assertThat(held.read(buf)).isNotNegative();
            first = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
        }
        assertThat(first).contains("\"preread\":\"0001-01-01T00:00:00Z\"");
        assertThat(engine.openStatsStreams()).isEqualTo(1);
        assertThat(engine.openConnections()).isEqualTo(1);

        engine.close();
        held.close();
        assertThat(socket).doesNotExist();
        assertThat(Files.exists(socket.getParent())).isFalse();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(
                t -> t.getName().startsWith(engine.threadPrefix()) && t.isAlive());
    }

    private static String readAll(SocketChannel ch) throws IOException {
        StringBuilder s = new StringBuilder();
        ByteBuffer buf = ByteBuffer.allocate(8192);
        while (ch.read(buf) >= 0) {
            s.append(new String(buf.array(), 0, buf.position(), StandardCharsets.ISO_8859_1));
            buf.clear();
        }
        return s.toString();
    }

    private static void awaitZero(java.util.function.IntSupplier value) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (value.getAsInt() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(value.getAsInt()).isZero();
    }
}
