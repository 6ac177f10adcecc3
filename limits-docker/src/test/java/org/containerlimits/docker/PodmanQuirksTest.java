package org.containerlimits.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.HostConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.containerlimits.core.LimitsReading;
import org.containerlimits.core.ResourceLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What Podman's Docker-compatible API (4.3) does differently, as seen on a real Podman service and
 * replayed here: its stats stream's first answer carries an earlier half taken milliseconds before,
 * it sends a sample every five seconds, it stores a CPU limit in both forms and its own default
 * shared-memory size.
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
            try (DockerClient client = DockerClients.fromEnvironment(Map.of("DOCKER_HOST", engine.dockerHost()),
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
}
