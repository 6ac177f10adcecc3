package org.containerlimits.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.github.dockerjava.api.DockerClient;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.containerlimits.core.usage.LimitsReading;
import org.containerlimits.docker.stats.StatsPoller;
import org.containerlimits.docker.stats.StatsReader;
import org.containerlimits.docker.stats.StatsSourceKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The reader's minimum window on the API source, through a fake Engine API whose stream sends a
 * sample every 250 ms by its own clock: no reading, first or later, read or polled, covers less
 * than the window; and the option is checked as the builder's others are.
 */
@Timeout(60)
class MinWindowTest {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final long MS = 1_000_000L;

    private FakeEngine engine;
    private DockerClient client;

    @BeforeEach
    void start() {
        engine = FakeEngine.start();
        engine.container("c1");
        client = TestClients.forHost(engine.dockerHost(), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        engine.close();
    }

    /**
     * Sample {@code n}, 250 ms after the one before by the daemon's clock, of a container using half
     * a core, whose first answer carries the earlier half as Docker's stream does not (as Podman's).
     */
    private static String at(int n) {
        return new FakeEngine.StatsJson().read(T0.plusMillis(250L * n)).preread(T0.plusMillis(250L * (n - 1)))
                .cpu(125 * MS * n, 125 * MS * (n - 1)).systemCpu(500 * MS * n, 500 * MS * (n - 1))
                .memory(100L << 20, 512L << 20).inactiveFile(0).pids(5).json();
    }

    /** Samples 1 to {@code count}, sent 50 ms apart. */
    private void stream(int count) {
        List<String> samples = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            samples.add(at(n));
        }
        engine.stats("c1", samples, Duration.ofMillis(50));
    }

    @Test
    void aFirstRead_waitsForSamplesTheDefaultWindowApart() {
        stream(40);
        try (StatsReader reader = StatsReader.builder(client).source(StatsSourceKind.API).build()) {
            assertThat(reader.minWindow()).isEqualTo(StatsReader.DEFAULT_MIN_WINDOW).isEqualTo(Duration.ofSeconds(1));
            LimitsReading first = reader.read("c1");
            // Without the window it was the stream's first two samples, 250 ms apart.
            assertThat(first.interval()).isEqualTo(Duration.ofSeconds(1));
            assertThat(first.time()).isEqualTo(T0.plusSeconds(1));
            assertThat(first.cpuCores()).isCloseTo(0.5, within(1e-9));
        }
    }

    @Test
    void everyLaterRead_coversTheWindowToo_endingAtTheLatestSample() throws InterruptedException {
        stream(40);
        try (StatsReader reader = StatsReader.builder(client).source(StatsSourceKind.API).build()) {
            reader.read("c1");
            for (int i = 0; i < 5; i++) {
                Thread.sleep(120);
                LimitsReading r = reader.read("c1");
                assertThat(r.interval()).isEqualTo(Duration.ofSeconds(1));
                assertThat(r.cpuCores()).isCloseTo(0.5, within(1e-9));
            }
        }
    }

    @Test
    void aShorterWindow_isTheUsersToChoose() {
        stream(40);
        try (StatsReader reader = StatsReader.builder(client).source(StatsSourceKind.API)
                .minWindow(Duration.ofMillis(250)).build()) {
            assertThat(reader.read("c1").interval()).isEqualTo(Duration.ofMillis(250));
        }
    }

    @Test
    void aPoller_neverDeliversAShorterReading() throws InterruptedException {
        stream(60);
        List<LimitsReading> readings = new CopyOnWriteArrayList<>();
        try (StatsReader reader = StatsReader.builder(client).source(StatsSourceKind.API).build();
                StatsPoller poller = reader.stream("c1", Duration.ofMillis(100), readings::add)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (readings.size() < 5 && !poller.isClosed() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }
        assertThat(readings).hasSizeGreaterThanOrEqualTo(5)
                .allSatisfy(r -> assertThat(r.interval()).isGreaterThanOrEqualTo(Duration.ofSeconds(1)));
    }

    @Test
    void theOption_isChecked() {
        StatsReader.Builder b = StatsReader.builder(client);
        assertThatThrownBy(() -> b.minWindow(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("minWindow must be positive: PT0S");
        assertThatThrownBy(() -> b.minWindow(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("minWindow must be positive: PT-0.001S");
        assertThatThrownBy(() -> b.minWindow(Duration.ofMinutes(1).plusNanos(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("minWindow must be at most PT1M (a first read blocks that long): PT1M0.000000001S");
        assertThatThrownBy(() -> b.minWindow(Duration.ofDays(365 * 100)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("minWindow must be at most PT1M");
        assertThatThrownBy(() -> b.minWindow(null)).isInstanceOf(NullPointerException.class).hasMessage("minWindow");
        assertThat(b.minWindow(StatsReader.MAX_MIN_WINDOW)).isSameAs(b);
        assertThat(b.minWindow(Duration.ofNanos(1))).isSameAs(b);
    }
}
