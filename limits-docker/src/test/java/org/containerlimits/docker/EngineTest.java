package org.containerlimits.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Version;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Telling Docker from Podman by {@code GET /version}, and what each Podman version can do. */
@Timeout(30)
class EngineTest {

    private static Engine engineAt(FakeEngine fake) throws Exception {
        try (DockerClient client = TestClients.forHost(fake.dockerHost(),
                Duration.ofSeconds(5))) {
            return Engine.of(client);
        }
    }

    @Test
    void dockers20_10Version_isDocker() throws Exception {
        try (FakeEngine fake = FakeEngine.start()) {
            Engine engine = engineAt(fake);
            assertThat(engine).isEqualTo(new Engine(Engine.Kind.DOCKER, "20.10.24", "1.41"));
            assertThat(engine.toString()).isEqualTo("Docker 20.10.24 (API 1.41)");
            assertThat(engine.isPodman()).isFalse();
            assertThat(engine.hasLiveUpdate()).isTrue();
            assertThat(engine.reportsOomKills()).isTrue();
            assertThat(engine.statsCountPageCache()).isFalse();
            assertThat(engine.statsReportThrottling()).isTrue();
            assertThat(engine.differences()).isEmpty();
        }
    }

    @Test
    void podman4_3sVersion_asItsCompatibleApiSendsIt_isPodmanWithoutLiveUpdateOrOomKilled() throws Exception {
        try (FakeEngine fake = FakeEngine.start()) {
            fake.respond("GET", "/version", 200, "application/json", FakeEngine.podmanVersionJson("4.3.1"));
            Engine engine = engineAt(fake);
            assertThat(engine).isEqualTo(new Engine(Engine.Kind.PODMAN, "4.3.1", "1.41"));
            assertThat(engine.toString()).isEqualTo("Podman 4.3.1 (API 1.41)");
            assertThat(engine.hasLiveUpdate()).isFalse();
            assertThat(engine.reportsOomKills()).isFalse();
            assertThat(engine.statsCountPageCache()).isTrue();
            assertThat(engine.statsReportThrottling()).isFalse();
            assertThat(engine.differences())
                    .anyMatch(d -> d.contains("no live update") && d.contains("5.1"))
                    .anyMatch(d -> d.contains("OOMKilled"))
                    .anyMatch(d -> d.contains("memswap_limit"))
                    .anyMatch(d -> d.contains("pids_limit") && d.contains("2048"))
                    .anyMatch(d -> d.contains("page cache"));
        }
    }

    @Test
    void podmanVersions_decideLiveUpdateAndOomKilled() {
        assertThat(podman("5.0.3").hasLiveUpdate()).isFalse();
        assertThat(podman("5.0.3").reportsOomKills()).isTrue();
        assertThat(podman("4.9.4").reportsOomKills()).isFalse();
        assertThat(podman("5.1.0").hasLiveUpdate()).isTrue();
        assertThat(podman("5.1.0-rc1").hasLiveUpdate()).isTrue();
        assertThat(podman("v5.2.1").hasLiveUpdate()).isTrue();
        assertThat(podman("10.0").hasLiveUpdate()).isTrue();
        assertThat(podman("4.10.0").hasLiveUpdate()).isFalse();
        // An unreadable version is taken as new; the update's own 404 then tells (DockerLimits.update).
        assertThat(podman("unknown").hasLiveUpdate()).isTrue();
        assertThat(podman("5.1.0").differences()).noneMatch(d -> d.contains("no live update"))
                .anyMatch(d -> d.contains("NanoCpus"));
        assertThat(podman("5.1.0").differences()).noneMatch(d -> d.contains("OOMKilled"));
    }

    @Test
    void aPlatformNamedPodman_isPodman_withTheTopLevelVersion() throws Exception {
        Version v = new ObjectMapper().readValue("{\"Platform\":{\"Name\":\"Podman Engine\"},\"Version\":\"4.9.3\","
                + "\"ApiVersion\":\"1.41\"}", Version.class);
        assertThat(Engine.from(v)).isEqualTo(new Engine(Engine.Kind.PODMAN, "4.9.3", "1.41"));
        Version bare = new ObjectMapper().readValue("{}", Version.class);
        assertThat(Engine.from(bare)).isEqualTo(new Engine(Engine.Kind.DOCKER, "unknown", "unknown"));
    }

    @Test
    void anOwnDefaultIsExplained_podmansPidsLimitByName() {
        assertThat(podman("4.3.1").ownDefault("pids_limit")).contains("containers.conf").contains("2048")
                .contains("enforces");
        assertThat(new Engine(Engine.Kind.DOCKER, "26.1.5", "1.45").ownDefault("shm_size"))
                .startsWith("Docker 26.1.5 (API 1.45) applied it on its own");
    }

    private static Engine podman(String version) {
        return new Engine(Engine.Kind.PODMAN, version, "1.41");
    }
}
