package org.containerlimits.docker.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.containerlimits.core.usage.LimitsReading;
import org.containerlimits.docker.Containers;
import org.containerlimits.docker.DaemonTest;
import org.containerlimits.docker.ReliabilityFigures;
import org.containerlimits.docker.ReliabilityFigures.Resources;
import org.containerlimits.docker.TestClients;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API source past its reader's client's pool ({@link StatsReader.Builder#apiStreamClient}):
 * a reader whose own client has a pool of {@value #MAIN_POOL} connections reads {@value #CONTAINERS}
 * containers through a stream client of their own, all of them in one round, and its
 * {@code inspect}s still answer at once while every stream is open. Streams on the main client
 * could not do it: {@value #CONTAINERS} streams would wait for its {@value #MAIN_POOL} connections, and
 * so would every inspect. Also states what each open stream costs this process (threads, sockets).
 */
class ApiStreamsAtScaleIT extends DaemonTest {
    private static final Logger LOG = LoggerFactory.getLogger(ApiStreamsAtScaleIT.class);
    private static final int CONTAINERS = 40;
    private static final int MAIN_POOL = 8;

    @Test
    void streamsOfTheirOwn_readEveryContainer_andLeaveTheMainPoolFree() throws Exception {
        List<String> ids = startInParallel(CONTAINERS + 1);
        String extra = ids.remove(CONTAINERS); // one more than the stream client is sized for
        try (TestClients.Connection main = TestClients.connect(TestClients.dockerHost(), TestClients.RESPONSE_TIMEOUT,
                        MAIN_POOL);
                TestClients.Connection streams = TestClients.connect(TestClients.dockerHost(),
                        TestClients.RESPONSE_TIMEOUT, CONTAINERS + 2);
                StatsReader reader = StatsReader.builder(main.client())
                        .source(StatsSourceKind.API)
                        .apiStreamClient(streams.client(), CONTAINERS)
                        .build()) {
            Resources before = Resources.now();
            LinkedBlockingQueue<List<LimitsReading>> rounds = new LinkedBlockingQueue<>();
            List<StatsPoller.Failure> failures = new CopyOnWriteArrayList<>();
            long t0 = System.nanoTime();
            try (StatsPoller poller = reader.poll(ids, Duration.ofSeconds(1), rounds::add, failures::add)) {
                List<LimitsReading> first = rounds.poll(20, TimeUnit.SECONDS);
                double firstRound = (System.nanoTime() - t0) / 1e9;
                assertThat(first).as("a first round within 20 s").isNotNull();
                assertThat(failures).as("failed reads").isEmpty();
                assertThat(poller.failures()).isZero();
                assertThat(first).as("every container read in the first round").hasSize(CONTAINERS);
                assertThat(first).allSatisfy(r -> {
                    assertThat(r.state()).isEqualTo(LimitsReading.State.RUNNING);
                    assertThat(r.source()).isEqualTo(ApiStatsSource.NAME);
                });
                assertThat(first.stream().map(LimitsReading::container)).containsExactlyElementsOf(ids);

                // Every stream is open: the main client's few connections are all still free.
                long inspectStart = System.nanoTime();
                main.client().inspectContainerCmd(ids.get(0)).exec();
                Duration inspect = Duration.ofNanos(System.nanoTime() - inspectStart);
                assertThat(inspect).as("an inspect while %d streams are open", CONTAINERS)
                        .isLessThan(Duration.ofSeconds(1));

                List<LimitsReading> second = rounds.poll(5, TimeUnit.SECONDS);
                assertThat(second).as("the next round").isNotNull().hasSize(CONTAINERS);
                Resources during = Resources.now();

                // One more than the stream client was given is refused, and the message says why.
                assertThatThrownBy(() -> reader.read(extra))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("already watches " + CONTAINERS + " containers")
                        .hasMessageContaining("apiStreamClient");

                double threadsPerStream = (during.threads() - before.threads()) / (double) CONTAINERS;
                double socketsPerStream = (during.sockets() - before.sockets()) / (double) CONTAINERS;
                ReliabilityFigures.record("api-scale", "%d containers through a stream client (main pool %d):"
                        + " first round in %.1f s, inspect during the streams %d ms; per open stream %.2f threads,"
                        + " %.2f sockets; before: %s; during: %s", CONTAINERS, MAIN_POOL, firstRound, inspect.toMillis(),
                        threadsPerStream, socketsPerStream, before, during);
                // docker-java runs each stream on a thread of its own, over a connection of its own: one
                // socket over TCP, two over its Unix-socket transport (whose java.net.Socket wrapper
                // opens a socket of its own beside the Unix channel).
                assertThat(during.threads() - before.threads()).as("threads added by %d streams", CONTAINERS)
                        .isBetween(CONTAINERS, CONTAINERS + 10);
                assertThat(during.sockets() - before.sockets()).as("sockets added by %d streams", CONTAINERS)
                        .isBetween((long) CONTAINERS, 2L * CONTAINERS + 4);
            }
        } finally {
            removeInParallel();
        }
    }

    /** Starts idle containers of the test image, a few at a time. */
    private List<String> startInParallel(int n) {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<String>> starts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                starts.add(CompletableFuture.supplyAsync(
                        () -> containers.start(c -> c.withCmd(Containers.DEFAULT_COMMAND)), pool));
            }
            List<String> ids = new ArrayList<>();
            starts.forEach(f -> ids.add(f.join()));
            return ids;
        } finally {
            pool.shutdown();
        }
    }

    /** Removes this test's containers, a few at a time ({@code @AfterEach} finds none left). */
    private void removeInParallel() throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        long t0 = System.nanoTime();
        containers.ids().forEach(id -> pool.execute(() -> containers.remove(id)));
        pool.shutdown();
        pool.awaitTermination(60, TimeUnit.SECONDS);
        LOG.info("removed the containers in {} ms", (System.nanoTime() - t0) / 1_000_000);
    }
}
