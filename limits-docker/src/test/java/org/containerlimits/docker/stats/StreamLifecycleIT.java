package org.containerlimits.docker.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.containerlimits.core.usage.LimitsReading;
import org.containerlimits.core.usage.LimitsReading.State;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.docker.Containers;
import org.containerlimits.docker.DaemonRejectedException;
import org.containerlimits.docker.DaemonTest;
import org.containerlimits.docker.DockerLimits;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a stream does when its container goes away under it, as {@link StatsPoller} documents: a
 * removed container is reported once and the stream ends; a restarted one reads as stopped, then
 * running again, on the same stream; an OOM-killed one reads as stopped with {@code oomKilled}
 * set, and the stream stays open. For both sources.
 */
class StreamLifecycleIT extends DaemonTest {
    private static final Logger LOG = LoggerFactory.getLogger(StreamLifecycleIT.class);
    private static final Duration EVERY = Duration.ofMillis(200);

    private final List<LimitsReading> readings = new CopyOnWriteArrayList<>();
    private final List<StatsPoller.Failure> failures = new CopyOnWriteArrayList<>();

    @ParameterizedTest
    @EnumSource(value = StatsSourceKind.class, names = {"CGROUP", "API"})
    void removedMidStream_isReportedOnce_andTheStreamEnds(StatsSourceKind kind) throws InterruptedException {
        String id = containers.start(c -> c.withCmd(Containers.DEFAULT_COMMAND));
        try (StatsReader reader = StatsReader.of(client, kind);
                StatsPoller stream = reader.stream(id, EVERY, readings::add, failures::add)) {
            await(() -> running() >= 2, "two running readings");

            client.removeContainerCmd(id).withForce(true).exec();
            await(stream::isClosed, "the stream to end");

            assertThat(failures).singleElement().satisfies(f -> {
                assertThat(f.container()).isEqualTo(id);
                assertThat(f.dropped()).isTrue();
                assertThat(f.cause()).isInstanceOfSatisfying(DaemonRejectedException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(404));
            });
            assertThat(stream.containers()).isEmpty();
            int after = readings.size();
            Thread.sleep(EVERY.multipliedBy(4).toMillis());
            assertThat(readings).as("nothing after the end").hasSize(after);
            LOG.info("{}: removed container reported as {} and the stream closed after {} readings", kind,
                    failures.get(0).cause().getMessage(), after);
        }
    }

    @ParameterizedTest
    @EnumSource(value = StatsSourceKind.class, names = {"CGROUP", "API"})
    void restartedMidStream_readsAsStopped_thenRunningAgain_onTheSameStream(StatsSourceKind kind)
            throws InterruptedException {
        String id = containers.start(c -> c.withCmd(Containers.DEFAULT_COMMAND));
        try (StatsReader reader = StatsReader.of(client, kind);
                StatsPoller stream = reader.stream(id, EVERY, readings::add, failures::add)) {
            await(() -> running() >= 2, "two running readings");

            client.stopContainerCmd(id).withTimeout(0).exec();
            await(() -> last().state() == State.STOPPED, "a stopped reading");
            int stoppedAt = readings.size();
            client.startContainerCmd(id).exec();
            await(() -> readings.subList(stoppedAt, readings.size()).stream()
                    .filter(r -> r.state() == State.RUNNING).count() >= 2, "running readings after the start");

            assertThat(stream.isClosed()).isFalse();
            assertThat(failures).isEmpty();
            LOG.info("{}: states seen across the restart: {}", kind, readings.stream().map(LimitsReading::state)
                    .distinct().toList());
        }
    }

    @ParameterizedTest
    @EnumSource(value = StatsSourceKind.class, names = {"CGROUP", "API"})
    void oomKilledMidStream_readsAsStoppedAndOomKilled_andTheStreamStaysOpen(StatsSourceKind kind)
            throws InterruptedException {
        String id = containers.start(c -> DockerLimits.modifier(ResourceLimits.parse("mem_limit=32m,memswap_limit=32m"))
                .accept(c.withCmd("sh", "-c", "sleep 2; exec dd if=/dev/zero of=/dev/null bs=100M count=1")));
        try (StatsReader reader = StatsReader.of(client, kind);
                StatsPoller stream = reader.stream(id, EVERY, readings::add, failures::add)) {
            await(() -> !readings.isEmpty() && last().state() == State.STOPPED && last().oomKilled(),
                    "a stopped, OOM-killed reading");
            int at = readings.size();
            Thread.sleep(EVERY.multipliedBy(4).toMillis());

            assertThat(readings.size()).as("the stream goes on").isGreaterThan(at);
            assertThat(stream.isClosed()).isFalse();
            assertThat(failures).isEmpty();
            assertThat(docker.wasOomKilled(id)).isTrue();
        }
    }

    private long running() {
        return readings.stream().filter(r -> r.state() == State.RUNNING).count();
    }

    private LimitsReading last() {
        return readings.get(readings.size() - 1);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("no " + what + " within 30 s");
            }
            Thread.sleep(50);
        }
    }
}
