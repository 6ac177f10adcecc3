package org.containerlimits.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.docker.DaemonTest;
import org.containerlimits.docker.DockerLimits;
import org.containerlimits.docker.stats.StatsReader;
import org.junit.jupiter.api.Test;

/** The binder against real containers: what the registry holds, and that removed containers leave it. */
class ContainerLimitsMetricsIT extends DaemonTest {

    private String start(String limits, String... command) {
        return containers.start(cmd -> {
            cmd.withCmd(command);
            DockerLimits.modifier(ResourceLimits.parse(limits)).accept(cmd);
        });
    }

    private static double gauge(MeterRegistry registry, String name, String containerId) {
        Gauge g = registry.find(name).tag("container.id", containerId.substring(0, 12)).gauge();
        return g == null ? Double.NaN : g.value();
    }

    private static double counter(MeterRegistry registry, String name, String containerId) {
        FunctionCounter c = registry.find(name).tag("container.id", containerId.substring(0, 12)).functionCounter();
        return c == null ? Double.NaN : c.count();
    }

    private static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    @Test
    void publishesTheReadings_andDropsTheMetersOfARemovedContainer() throws InterruptedException {
        String busy = start("cpu_quota=50000,cpu_period=100000,mem_limit=128m,pids_limit=64",
                "sh", "-c", "yes > /dev/null & yes > /dev/null & wait");
        String idle = start("mem_limit=64m", "sleep", "600");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (StatsReader reader = StatsReader.of(client);
                ContainerLimitsMetrics metrics = new ContainerLimitsMetrics(client, reader, Duration.ofMillis(500))) {
            metrics.watch(busy, idle);
            metrics.bindTo(registry);
            await(() -> gauge(registry, "containerlimits.cpu.limit.percent", busy) > 80, Duration.ofSeconds(10));
            assertThat(gauge(registry, "containerlimits.cpu.limit.percent", busy)).isBetween(80.0, 115.0);
            assertThat(gauge(registry, "containerlimits.cpu.limit.cores", busy)).isEqualTo(0.5);
            assertThat(gauge(registry, "containerlimits.cpu.cores", busy)).isBetween(0.4, 0.58);
            assertThat(gauge(registry, "containerlimits.cpu.throttled.ratio", busy)).isGreaterThan(0.5);
            assertThat(gauge(registry, "containerlimits.memory.used", busy)).isPositive();
            assertThat(gauge(registry, "containerlimits.memory.limit.percent", busy)).isBetween(0.0, 10.0);
            assertThat(gauge(registry, "containerlimits.pids", busy)).isGreaterThanOrEqualTo(3);
            assertThat(gauge(registry, "containerlimits.oom.killed", busy)).isZero();
            assertThat(counter(registry, "containerlimits.oom.kills", busy)).as("read from its cgroup").isZero();
            assertThat(gauge(registry, "containerlimits.cpu.limit.percent", idle)).isLessThan(5.0);
            String name = client.inspectContainerCmd(busy).exec().getName().substring(1);
            assertThat(registry.find("containerlimits.cpu.cores").tag("container", name).gauge()).isNotNull();
            assertThat(registry.getMeters()).hasSize(18);

            containers.remove(busy);
            await(() -> Double.isNaN(gauge(registry, "containerlimits.cpu.cores", busy)), Duration.ofSeconds(10));
            assertThat(registry.find("containerlimits.cpu.cores").tag("container.id", busy.substring(0, 12)).gauge())
                    .as("meters of the removed container").isNull();
            assertThat(registry.getMeters()).hasSize(9);

            metrics.unwatch(idle);
            assertThat(registry.getMeters()).isEmpty();
        }
    }

    @Test
    void anOomKilledContainer_showsIt_andCloseRemovesEveryMeter() throws InterruptedException {
        String hog = start("mem_limit=64m,memswap_limit=64m", "dd", "if=/dev/zero", "of=/dev/null", "bs=200M", "count=1");
        containers.awaitExit(hog, Duration.ofSeconds(30));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ContainerLimitsMetrics metrics;
        try (StatsReader reader = StatsReader.of(client)) {
            metrics = new ContainerLimitsMetrics(client, reader, Duration.ofMillis(300));
            metrics.watch(List.of(hog));
            metrics.bindTo(registry);
            await(() -> gauge(registry, "containerlimits.oom.killed", hog) == 1, Duration.ofSeconds(10));
            assertThat(gauge(registry, "containerlimits.oom.killed", hog)).isEqualTo(1);
            metrics.close();
        }
        assertThat(registry.getMeters()).isEmpty();
    }

    /** The case a notebook hub meets: the kernel OOM-kills a process and the container runs on. */
    @Test
    void anOomKillTheContainerSurvives_countsInOomKills_notInOomKilled() throws InterruptedException {
        String notebook = start("mem_limit=64m,memswap_limit=64m",
                "sh", "-c", "sh -c 'a=x; while true; do a=$a$a; done'; echo survived; sleep 3600");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (StatsReader reader = StatsReader.of(client);
                ContainerLimitsMetrics metrics = new ContainerLimitsMetrics(client, reader, Duration.ofMillis(300))) {
            metrics.watch(notebook);
            metrics.bindTo(registry);
            await(() -> counter(registry, "containerlimits.oom.kills", notebook) >= 1, Duration.ofSeconds(20));
            assertThat(counter(registry, "containerlimits.oom.kills", notebook)).isGreaterThanOrEqualTo(1);
            assertThat(gauge(registry, "containerlimits.oom.killed", notebook)).isZero();
            assertThat(client.inspectContainerCmd(notebook).exec().getState().getRunning()).isTrue();
        }
    }

    /** What Prometheus scrapes; the README shows this output. */
    @Test
    void prometheusOutput() throws InterruptedException {
        String notebook = containers.start(cmd -> {
            cmd.withName("jupyter-alice-" + Long.toHexString(System.nanoTime() & 0xfff));
            cmd.withCmd("sh", "-c", "yes > /dev/null & yes > /dev/null & wait");
            DockerLimits.modifier(ResourceLimits.parse("mem_limit=1g,nano_cpus=500000000,pids_limit=256")).accept(cmd);
        });
        // README: the code the metrics section shows, with a wait before the scrape
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (StatsReader reader = StatsReader.of(client);
                ContainerLimitsMetrics metrics = new ContainerLimitsMetrics(client, reader, Duration.ofSeconds(1))) {
            metrics.watch(notebook);                      // a container's id or name; unwatch() to stop
            metrics.bindTo(registry);
            await(() -> gauge(registry, "containerlimits.cpu.limit.percent", notebook) > 90, Duration.ofSeconds(10));
            String scrape = registry.scrape();            // what Prometheus reads at /metrics
            System.out.println(scrape);
            assertThat(scrape).contains("containerlimits_cpu_limit_percent{container=\"jupyter-alice-")
                    .contains("containerlimits_memory_used_bytes{").contains("containerlimits_oom_killed{")
                    .contains("containerlimits_oom_kills_total{");
        }
    }
}
