package org.containerlimits.docker.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.containerlimits.core.usage.LimitsReading;
import org.containerlimits.core.usage.LimitsReading.State;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.docker.AppliedLimits;
import org.containerlimits.docker.Containers;
import org.containerlimits.docker.DaemonTest;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures how long one round of readings takes for 1, 10 and 30 containers from each source, once
 * the containers are known to the reader (the cgroup source has a previous sample, the API source
 * open streams), and logs it. The only assertion is a generous bound: this is a measurement.
 */
class StatsReaderLatencyIT extends DaemonTest {
    private static final Logger LOG = LoggerFactory.getLogger(StatsReaderLatencyIT.class);

    @Test
    void roundLatency_for1_10_30Containers() throws InterruptedException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            AppliedLimits applied = docker.create(createCmd(Containers.DEFAULT_COMMAND),
                    ResourceLimits.parse("cpu_quota=50000,cpu_period=100000"));
            ids.add(containers.track(applied.containerId()));
            client.startContainerCmd(applied.containerId()).exec();
        }
        for (StatsSourceKind kind : List.of(StatsSourceKind.CGROUP, StatsSourceKind.API)) {
            try (StatsReader reader = StatsReader.of(client, kind)) {
                // As a poller reads them: each container's own samples, primed, then read in rounds.
                Map<String, SampleWindow> samples = new HashMap<>();
                for (String id : ids) {
                    samples.put(id, new SampleWindow(reader.minWindow()));
                    reader.containers().prime(id, samples.get(id));
                }
                Thread.sleep(2200);
                for (int n : new int[] {1, 10, 30}) {
                    long best = Long.MAX_VALUE;
                    for (int repeat = 0; repeat < 5; repeat++) {
                        long start = System.nanoTime();
                        for (String id : ids.subList(0, n)) {
                            LimitsReading r = reader.containers().poll(id,
                                    new ContainerTracker.Poll(samples.get(id), Duration.ZERO)).reading();
                            assertThat(r.state()).isEqualTo(State.RUNNING);
                        }
                        best = Math.min(best, System.nanoTime() - start);
                    }
                    LOG.info("LATENCY source={} containers={} round={} us ({} us per container)", kind, n,
                            best / 1000, best / 1000 / n);
                    assertThat(best).isLessThan(2_000_000_000L);
                }
            }
        }
    }
}
