package org.containerlimits.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.HostConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.containerlimits.core.CpuSet;
import org.containerlimits.core.usage.LimitsReading;
import org.containerlimits.core.MemorySize;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.docker.stats.StatsReader;
import org.containerlimits.docker.stats.StatsSourceKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What Podman's Docker-compatible API (4.3) does differently, as seen on a real Podman service and
 * replayed here: its stats stream's first answer carries an earlier half taken milliseconds before,
 * it sends a sample every five seconds, it stores a CPU limit in both forms and its own default
 * shared-memory size, applies its own pids limit, reports a swappiness of 0 it did not apply, drops
 * an unlimited swap limit, and has no live update before 5.1. See {@link Engine}.
 */
@Timeout(30)
class PodmanQuirksTest {
    private static final Instant T0 = Instant.parse("2026-11-30T02:29:42.009607169Z");
    private static final long S = 1_000_000_000L;

    @Test
    void aFirstAnswersEarlierHalfMillisecondsBefore_isNotAnInterval() throws Exception {
        // Podman: read 02:29:42.0149, preread 02:29:42.0096, the same total_usage: 0% over 5 ms.
        try (FakeEngine engine = FakeEngine.start()) {
            engine.container("c1");
            String first = new FakeEngine.StatsJson().read(T0.plusNanos(5_378_656)).preread(T0)
                    .cpu(575_748_805L, 575_748_805L).systemCpu(3_829_516 * S / 1000, 3_829_508 * S / 1000)
                    .memory(606_208L, 64L << 20).inactiveFile(0).pids(1).json();
            String second = new FakeEngine.StatsJson().read(T0.plusSeconds(1).plusNanos(5_378_656))
                    .preread(T0.plusNanos(5_378_656)).cpu(575_748_805L + S / 2, 575_748_805L)
                    .systemCpu(3_831_516 * S / 1000, 3_829_516 * S / 1000).memory(606_208L, 64L << 20)
                    .inactiveFile(0).pids(1).json();
            engine.stats("c1", List.of(first, second), Duration.ofSeconds(1));
            try (DockerClient client = TestClients.forHost(engine.dockerHost(),
                    Duration.ofSeconds(5));
                    StatsReader reader = StatsReader.builder(client).source(StatsSourceKind.API).build()) {
                LimitsReading r = reader.read("c1");
                assertThat(r.interval()).isEqualTo(Duration.ofSeconds(1));
                assertThat(r.cpuCores()).isCloseTo(0.5, within(1e-9));
            }
        }
    }

    @Test
    void aCpuLimitStoredInBothForms_readsAsTheQuota_andMatchesEitherForm() {
        // Podman's inspect for --cpus 0.5: NanoCpus 500000000 beside CpuQuota 50000, CpuPeriod 100000.
        HostConfig podman = new HostConfig().withNanoCPUs(500_000_000L).withCpuQuota(50_000L).withCpuPeriod(100_000L);
        ResourceLimits read = HostConfigMapping.read(podman);
        assertThat(read).isEqualTo(ResourceLimits.parse("cpu_quota=50000,cpu_period=100000"));
        assertThat(HostConfigMapping.compare(ResourceLimits.parse("nano_cpus=500000000"), read)).isEmpty();
        assertThat(HostConfigMapping.compare(ResourceLimits.parse("cpu_quota=50000,cpu_period=100000"), read))
                .isEmpty();
        // Another amount, or the same amount over another period, is still a mismatch.
        assertThat(HostConfigMapping.compare(ResourceLimits.parse("nano_cpus=600000000"), read)).isNotEmpty();
        assertThat(HostConfigMapping.compare(ResourceLimits.parse("cpu_quota=100000,cpu_period=200000"), read))
                .isNotEmpty();
    }

    @Test
    void podmansDefaultShmSize_readsAsNotSet() {
        assertThat(HostConfigMapping.read(new HostConfig().withShmSize(65_536_000L))).isEqualTo(ResourceLimits.none());
        assertThat(HostConfigMapping.read(new HostConfig().withShmSize(128L << 20)))
                .isEqualTo(ResourceLimits.parse("shm_size=128m"));
    }

    private static final Engine PODMAN_4_3 = new Engine(Engine.Kind.PODMAN, "4.3.1", "1.41");
    private static final Engine PODMAN_5_1 = new Engine(Engine.Kind.PODMAN, "5.1.0", "1.41");
    private static final Engine DOCKER = new Engine(Engine.Kind.DOCKER, "20.10.24", "1.41");

    /** Podman 4.3's inspect of a container created through its API with cpu_shares=512 only. */
    private static HostConfig podmanCpuShares512() {
        return new HostConfig().withCpuShares(512).withPidsLimit(2048L).withMemorySwappiness(0L)
                .withShmSize(65_536_000L);
    }

    @Test
    void podmansOwnPidsLimit_readsAsTheLimitItIs_itsSwappinessZeroAndShmDefault_asNotSet() {
        assertThat(HostConfigMapping.read(podmanCpuShares512(), PODMAN_4_3))
                .isEqualTo(ResourceLimits.parse("cpu_shares=512,pids_limit=2048"));
        assertThat(DockerLimits.fromHostConfig(podmanCpuShares512(), PODMAN_4_3))
                .isEqualTo(ResourceLimits.parse("cpu_shares=512,pids_limit=2048"));
        // Asked for, the swappiness is 10 and reads so.
        assertThat(HostConfigMapping.read(podmanCpuShares512().withMemorySwappiness(10L), PODMAN_4_3).memorySwappiness())
                .hasValue(10);
        // Docker has none of these defaults: the same figures are limits there.
        assertThat(HostConfigMapping.read(podmanCpuShares512(), DOCKER)).isEqualTo(ResourceLimits.builder()
                .cpuShares(512).pidsLimit(org.containerlimits.core.PidsLimit.of(2048)).memorySwappiness(0)
                .shmSize(MemorySize.ofBytes(65_536_000L)).build());
        // Each engine's own /dev/shm default reads as not set, the other's as a size.
        assertThat(HostConfigMapping.read(new HostConfig().withShmSize(64L << 20), DOCKER)).isEqualTo(ResourceLimits.none());
        assertThat(HostConfigMapping.read(new HostConfig().withShmSize(64L << 20), PODMAN_4_3))
                .isEqualTo(ResourceLimits.parse("shm_size=64m"));
    }

    @Test
    void strictCompareOnPodman_passesItsOwnDefaults_andCatchesTheSwapItDropped() {
        ResourceLimits effective = HostConfigMapping.read(podmanCpuShares512(), PODMAN_4_3);
        assertThat(HostConfigMapping.compare(ResourceLimits.parse("cpu_shares=512"), effective, PODMAN_4_3)).isEmpty();
        // Asked 0, applied 0: Podman's inspect cannot say so, and the 0 is not called a mismatch.
        ResourceLimits zero = HostConfigMapping.read(new HostConfig().withMemorySwappiness(0L).withPidsLimit(2048L),
                PODMAN_4_3);
        assertThat(HostConfigMapping.compare(ResourceLimits.parse("mem_swappiness=0"), zero, PODMAN_4_3)).isEmpty();
        // An unlimited swap becomes Podman's twice-the-memory default: a mismatch (preflight refuses it first).
        ResourceLimits dropped = HostConfigMapping.read(new HostConfig().withMemory(64L << 20)
                .withMemorySwap(128L << 20).withPidsLimit(2048L), PODMAN_4_3);
        assertThat(HostConfigMapping.compare(ResourceLimits.parse("mem_limit=64m,memswap_limit=-1"), dropped, PODMAN_4_3))
                .containsExactly(new Mismatch("memswap_limit", "unlimited", "not set"));
    }

    @Test
    void aLimitTheEngineAppliedUnasked_isNamed_butNotACpuLimitInTheOtherForm() {
        ResourceLimits requested = ResourceLimits.parse("nano_cpus=500000000");
        ResourceLimits effective = ResourceLimits.parse("cpu_quota=50000,cpu_period=100000,pids_limit=2048");
        assertThat(DockerLimits.unasked(requested, effective, PODMAN_4_3)).singleElement().asString()
                .startsWith("pids_limit=2048 was not asked for: Podman 4.3.1 (API 1.41) applied its own pids limit")
                .contains("containers.conf");
        assertThat(DockerLimits.unasked(requested, ResourceLimits.parse("cpu_quota=50000,cpu_period=100000"), DOCKER))
                .isEmpty();
    }

    @Test
    void preflightOnPodman_refusesUnlimitedSwap_andWarnsOfWhatItDoesNotReport() {
        ResourceLimits limits = ResourceLimits.parse("mem_limit=64m,memswap_limit=-1,mem_swappiness=0");
        HostCapabilities host = new HostCapabilities(2, MemorySize.parse("4g"), true, true, true, true, true, true,
                true, "1", "cgroupfs", "4.3.1", Optional.of(CpuSet.of(0)));
        List<LimitProblem> problems = DockerLimits.check(limits, host, PODMAN_4_3);
        assertThat(problems).filteredOn(LimitProblem::isError).singleElement()
                .satisfies(p -> assertThat(p.field()).isEqualTo("memswap_limit"))
                .satisfies(p -> assertThat(p.message()).contains("Podman 4.3.1").contains("twice mem_limit"));
        assertThat(problems).filteredOn(p -> !p.isError()).extracting(LimitProblem::field)
                .containsExactly("mem_swappiness", "mem_limit", "mem_limit");
        assertThat(problems.toString()).contains("OOMKilled stays false").contains("page cache");
        assertThat(DockerLimits.check(ResourceLimits.parse("mem_limit=64m"), host, PODMAN_5_1))
                .singleElement().satisfies(p -> assertThat(p.message()).contains("page cache"));
        // A mem_limit the host refuses gets no word on what Podman would not report about it.
        assertThat(DockerLimits.check(ResourceLimits.parse("mem_limit=1t"), host, PODMAN_4_3)).singleElement()
                .satisfies(p -> assertThat(p.isError()).isTrue());
        assertThat(DockerLimits.check(limits, host, DOCKER)).isEmpty();
        assertThat(DockerLimits.check(limits, host)).isEmpty();
    }

    @Test
    void updateOnPodman4_3_throwsLiveUpdateUnsupported_beforeAskingIt() throws Exception {
        try (FakeEngine engine = FakeEngine.start()) {
            engine.respond("GET", "/version", 200, "application/json", FakeEngine.podmanVersionJson("4.3.1"));
            engine.container("c1").memory(64L << 20);
            try (DockerClient client = TestClients.forHost(engine.dockerHost(),
                    Duration.ofSeconds(5))) {
                DockerLimits docker = DockerLimits.of(client);
                assertThatThrownBy(() -> docker.update("c1", ResourceLimits.parse("mem_limit=128m")))
                        .isInstanceOfSatisfying(LiveUpdateUnsupportedException.class, e -> {
                            assertThat(e.engine()).isEqualTo(PODMAN_4_3);
                            assertThat(e.containerId()).isEqualTo("c1");
                        })
                        .hasMessage("Podman 4.3.1 (API 1.41) cannot change the limits of container c1 live: its"
                                + " Docker-compatible API has POST /containers/{id}/update only from Podman 5.1"
                                + " (containers/podman#22322). Nothing was changed. Recreate the container with the"
                                + " new limits, or upgrade to Podman 5.1 or later.");
                assertThat(engine.requests("/containers/[^/]+/update")).isZero();
            }
        }
    }

    @Test
    void updateOnPodman5_1_sendsNanoCpusAsQuota_andTheRestartPolicyAlong() throws Exception {
        try (FakeEngine engine = FakeEngine.start()) {
            engine.respond("GET", "/version", 200, "application/json", FakeEngine.podmanVersionJson("5.1.0"));
            engine.respond("POST", "/containers/[^/]+/update", 200, "application/json", "{\"Warnings\":[]}");
            // Podman stores --cpus 0.5 as quota and period and reports NanoCpus beside them.
            engine.container("c1").nanoCpus(500_000_000L).cpuQuota(50_000L, 100_000L);
            try (DockerClient client = TestClients.forHost(engine.dockerHost(),
                    Duration.ofSeconds(5))) {
                // No PreflightException: Podman has no form to switch. The fake does not change, so lenient.
                AppliedLimits applied = DockerLimits.of(client).strict(false)
                        .update("c1", ResourceLimits.parse("nano_cpus=1500000000"));
                assertThat(applied.mismatches()).containsExactly(
                        new Mismatch("nano_cpus", "1500000000", "50000us/100000us"));
                FakeEngine.Request update = engine.requestLog().stream()
                        .filter(r -> r.path().endsWith("/update")).findFirst().orElseThrow();
                assertThat(update.body()).contains("\"CpuQuota\":150000").contains("\"CpuPeriod\":100000")
                        .doesNotContainPattern("\"NanoCpus\":[1-9]").contains("\"RestartPolicy\":{").contains("\"Name\":\"no\"");
            }
        }
    }

    @Test
    void aPodmanWhoseVersionDoesNotTell_andAnswersTheUpdateWithTheRoutersNotFound_isLiveUpdateUnsupported()
            throws Exception {
        try (FakeEngine engine = FakeEngine.start()) {
            engine.respond("GET", "/version", 200, "application/json", FakeEngine.podmanVersionJson("dev"));
            engine.respond("POST", "/containers/[^/]+/update", 404, "text/plain; charset=utf-8", "Not Found\n");
            engine.container("c1").memory(64L << 20);
            try (DockerClient client = TestClients.forHost(engine.dockerHost(),
                    Duration.ofSeconds(5))) {
                assertThatThrownBy(() -> DockerLimits.of(client).update("c1", ResourceLimits.parse("mem_limit=128m")))
                        .isInstanceOf(LiveUpdateUnsupportedException.class)
                        .hasMessageStartingWith("Podman dev (API 1.41) cannot change the limits of container c1 live")
                        .hasCauseInstanceOf(com.github.dockerjava.api.exception.NotFoundException.class);
                assertThat(engine.requests("/containers/[^/]+/update")).isEqualTo(1);
            }
        }
    }
}
