package org.containerlimits.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.containerlimits.core.usage.LimitsReading;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.docker.client.DockerClients;
import org.containerlimits.docker.stats.StatsPoller;
import org.containerlimits.docker.stats.StatsReader;
import org.containerlimits.docker.stats.StatsSourceKind;
import org.containerlimits.testing.BusyboxImage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A daemon that is not there, or that accepts connections and never answers: every call of the
 * library returns or fails within the client's response timeout, with a {@link
 * DockerUnavailableException} that names the host, and works again once the daemon answers. The
 * faults come from {@link DaemonProxy} in front of the real daemon's socket.
 */
class DaemonFaultIT extends DaemonTest {
    private static final Logger LOG = LoggerFactory.getLogger(DaemonFaultIT.class);

    /** The response timeout of the clients under test. */
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** What a call may take beyond its timeout: thread hand-offs and the client's own retries. */
    private static final Duration SLACK = Duration.ofMillis(1500);

    private static ExecutorService calls;
    private DaemonProxy proxy;

    @BeforeAll
    static void callThreads() {
        calls = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fault-call");
            t.setDaemon(true);
            return t;
        });
    }

    @AfterAll
    static void stopCallThreads() {
        calls.shutdownNow();
    }

    @BeforeEach
    void startProxy() throws IOException {
        proxy = DaemonProxy.start(Path.of("/var/run/docker.sock"));
    }

    @AfterEach
    void stopProxy() throws IOException {
        proxy.close();
    }

    @Test
    void noSocket_connectFailsAtOnceNamingTheSocket() {
        Outcome o = call("connect", () -> DockerClients.fromEnvironment(
                Map.of("DOCKER_HOST", "unix:///run/containerlimits-no-such.sock"), TIMEOUT));
        assertThat(o.failure).isInstanceOf(DockerUnavailableException.class)
                .hasMessageContaining("unix:///run/containerlimits-no-such.sock")
                .hasMessageContaining("no socket file");
        assertThat(o.took).isLessThan(SLACK);
    }

    @Test
    void socketThatNeverAnswers_connectFailsWithinTheProbeTimeout() {
        proxy.mode(DaemonProxy.Mode.SILENT);
        Outcome o = call("connect", () -> DockerClients.fromEnvironment(
                Map.of("DOCKER_HOST", proxy.dockerHost()), TIMEOUT));
        assertThat(o.failure).isInstanceOf(DockerUnavailableException.class)
                .hasMessageContaining(proxy.dockerHost())
                .hasMessageContaining("did not answer in time");
        assertThat(o.took).isLessThan(TIMEOUT.plus(SLACK));
        assertThat(proxy.accepted(DaemonProxy.Mode.SILENT)).as("the socket accepted").isPositive();
        ReliabilityFigures.record("daemon faults", "connecting to a socket that accepts and never answers failed after"
                + " %d ms (timeout %d ms): %s", o.took.toMillis(), TIMEOUT.toMillis(), o.failure.getMessage());
    }

    @Test
    void daemonHangsAfterConnecting_everyCallFailsWithinItsTimeout_andWorksAgainAfterwards() throws Exception {
        checkEveryCall(DaemonProxy.Mode.SILENT, "did not answer within " + TIMEOUT.toSeconds() + " s");
    }

    @Test
    void daemonGoesAwayAfterConnecting_everyCallFailsAtOnce_andWorksAgainAfterwards() throws Exception {
        checkEveryCall(DaemonProxy.Mode.REFUSE, "could not be reached");
    }

    private void checkEveryCall(DaemonProxy.Mode fault, String expected) throws Exception {
        String running = containers.start(c -> DockerLimits.modifier(ResourceLimits.parse("cpu_quota=50000,mem_limit=64m"))
                .accept(c.withCmd(Containers.DEFAULT_COMMAND)));
        try (DockerClient faulty = DockerClients.fromEnvironment(Map.of("DOCKER_HOST", proxy.dockerHost()), TIMEOUT);
                StatsReader apiReader = StatsReader.of(faulty, StatsSourceKind.API);
                StatsReader cgroupReader = StatsReader.of(faulty, StatsSourceKind.CGROUP)) {
            DockerLimits limits = DockerLimits.of(faulty);
            ResourceLimits small = ResourceLimits.parse("mem_limit=32m,cpu_quota=20000");
            // Warm: both readers know the container, the API stream is open.
            assertThat(apiReader.read(running).state()).isEqualTo(LimitsReading.State.RUNNING);
            assertThat(cgroupReader.read(running).state()).isEqualTo(LimitsReading.State.RUNNING);

            proxy.mode(fault);
            Map<String, Callable<?>> everyCall = new LinkedHashMap<>();
            everyCall.put("DockerLimits.capabilities", () -> DockerLimits.of(faulty).capabilities());
            everyCall.put("DockerLimits.check", () -> DockerLimits.of(faulty).check(small));
            everyCall.put("DockerLimits.create", () -> limits.create(
                    faulty.createContainerCmd(BusyboxImage.NAME).withCmd("true")
                            .withLabels(Map.of(Containers.LABEL, "true")), small));
            everyCall.put("DockerLimits.read", () -> limits.read(running));
            everyCall.put("DockerLimits.update", () -> limits.update(running, small));
            everyCall.put("DockerLimits.wasOomKilled", () -> limits.wasOomKilled(running));
            everyCall.put("StatsReader(API).read, new container", () -> apiReader.read(running.substring(0, 12)));
            everyCall.put("StatsReader(API).read", () -> apiReader.read(running));
            everyCall.put("StatsReader(CGROUP).read", () -> cgroupReader.read(running));
            everyCall.put("StatsReader(CGROUP).source, new container", () -> cgroupReader.source(running.substring(0, 12)));
            List<String> report = new ArrayList<>();
            long slowest = 0;
            int failed = 0;
            for (Map.Entry<String, Callable<?>> e : everyCall.entrySet()) {
                Outcome o = call(e.getKey(), e.getValue());
                slowest = Math.max(slowest, o.took.toMillis());
                failed += o.failure == null ? 0 : 1;
                report.add(String.format("%-45s %5d ms  %s", e.getKey(), o.took.toMillis(),
                        o.failure == null ? "returned " + o.value : o.failure.getClass().getSimpleName() + ": "
                                + o.failure.getMessage()));
                assertThat(o.took).as(e.getKey()).isLessThan(TIMEOUT.plus(SLACK));
                if (o.failure != null) {
                    assertThat(o.failure).as(e.getKey()).isInstanceOf(DockerUnavailableException.class)
                            .hasMessageContaining(proxy.dockerHost()).hasMessageContaining(expected);
                }
            }
            report.forEach(line -> LOG.info("{}: {}", fault, line));
            ReliabilityFigures.record("daemon faults", "%s (%s): %d calls, the slowest ended after %d ms with a client"
                    + " timeout of %d ms; %d failed with DockerUnavailableException, %d returned from what the reader"
                    + " already held", fault, fault == DaemonProxy.Mode.SILENT ? "accepts, never answers"
                    : "connections closed and refused", everyCall.size(), slowest, TIMEOUT.toMillis(), failed,
                    everyCall.size() - failed);
            proxy.mode(DaemonProxy.Mode.FORWARD);
            assertThat(limits.read(running).memory()).isPresent();
            assertThat(apiReader.read(running).state()).isEqualTo(LimitsReading.State.RUNNING);
            assertThat(cgroupReader.read(running).state()).isEqualTo(LimitsReading.State.RUNNING);
        }
    }

    /**
     * While the daemon cannot be reached, an API stream reports each failed round and a cgroup
     * stream, which needs no daemon for a container it knows, goes on; both deliver readings once
     * it answers again.
     */
    @Test
    void streamsDuringAnOutage_reportTheGap_andResume() throws Exception {
        for (DaemonProxy.Mode fault : List.of(DaemonProxy.Mode.REFUSE, DaemonProxy.Mode.SILENT)) {
            String running = containers.start(c -> c.withCmd(Containers.DEFAULT_COMMAND));
            try (DockerClient faulty = DockerClients.fromEnvironment(Map.of("DOCKER_HOST", proxy.dockerHost()),
                    TIMEOUT);
                    StatsReader apiReader = StatsReader.of(faulty, StatsSourceKind.API);
                    StatsReader cgroupReader = StatsReader.of(faulty, StatsSourceKind.CGROUP)) {
                List<LimitsReading> api = new CopyOnWriteArrayList<>();
                List<LimitsReading> cgroup = new CopyOnWriteArrayList<>();
                List<StatsPoller.Failure> apiFailures = new CopyOnWriteArrayList<>();
                List<StatsPoller.Failure> cgroupFailures = new CopyOnWriteArrayList<>();
                Duration every = Duration.ofMillis(250);
                try (StatsPoller a = apiReader.stream(running, every, api::add, apiFailures::add);
                        StatsPoller c = cgroupReader.stream(running, every, cgroup::add, cgroupFailures::add)) {
                    awaitUntil(() -> api.size() >= 2 && cgroup.size() >= 2, Duration.ofSeconds(15));

                    proxy.mode(fault);
                    awaitUntil(() -> apiFailures.size() >= 2, TIMEOUT.multipliedBy(4).plus(Duration.ofSeconds(10)));
                    int cgroupDuring = cgroup.size();
                    Thread.sleep(1000);
                    assertThat(cgroup.size()).as("the cgroup stream needs no daemon").isGreaterThan(cgroupDuring);
                    assertThat(apiFailures).allSatisfy(f -> {
                        assertThat(f.container()).isEqualTo(running);
                        assertThat(f.dropped()).isFalse();
                        assertThat(f.cause()).isInstanceOf(DockerUnavailableException.class)
                                .hasMessageContaining(proxy.dockerHost());
                    });

                    proxy.mode(DaemonProxy.Mode.FORWARD);
                    int apiBefore = api.size();
                    awaitUntil(() -> api.size() >= apiBefore + 2, Duration.ofSeconds(20));
                    assertThat(api.get(api.size() - 1).state()).isEqualTo(LimitsReading.State.RUNNING);
                    assertThat(a.isClosed()).isFalse();
                    assertThat(c.failures()).isZero();
                    assertThat(cgroupFailures).isEmpty();
                    ReliabilityFigures.record("daemon faults", "%s: the API stream reported %d failed rounds and"
                            + " resumed; the cgroup stream delivered %d readings and no failure", fault,
                            apiFailures.size(), cgroup.size());
                }
            }
        }
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition, Duration atMost)
            throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not so within " + atMost);
            }
            Thread.sleep(50);
        }
    }

    /** What a call did, and how long it took; fails the test if it takes far longer than allowed. */
    private record Outcome(Object value, Throwable failure, Duration took) {
    }

    private static Outcome call(String name, Callable<?> call) {
        long start = System.nanoTime();
        Future<?> f = calls.submit(call);
        try {
            Object v = f.get(TIMEOUT.plus(SLACK).multipliedBy(4).toMillis(), TimeUnit.MILLISECONDS);
            return new Outcome(v, null, Duration.ofNanos(System.nanoTime() - start));
        } catch (ExecutionException e) {
            return new Outcome(null, e.getCause(), Duration.ofNanos(System.nanoTime() - start));
        } catch (TimeoutException e) {
            f.cancel(true);
            return fail(name + " hangs: no answer after " + TIMEOUT.plus(SLACK).multipliedBy(4));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        }
    }
}
