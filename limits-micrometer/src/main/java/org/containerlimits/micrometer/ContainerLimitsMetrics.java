package org.containerlimits.micrometer;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.containerlimits.core.usage.LimitsReading;
import org.containerlimits.docker.stats.StatsPoller;
import org.containerlimits.docker.stats.StatsReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes, for each watched container, how close it is to its own limits, as Micrometer gauges
 * (and one counter) fed by a {@link StatsReader} poller; tagged {@code container} (its name) and {@code container.id}
 * (the short id).
 *
 * <table class="striped">
 *   <caption>Meters</caption>
 *   <tbody>
 *   <tr><td>{@code containerlimits.cpu.cores}</td><td>cores used over the last interval</td></tr>
 *   <tr><td>{@code containerlimits.cpu.limit.cores}</td><td>the CPU limit, in cores</td></tr>
 *   <tr><td>{@code containerlimits.cpu.limit.percent}</td><td>cores used, in percent of the limit</td></tr>
 *   <tr><td>{@code containerlimits.cpu.throttled.ratio}</td><td>share of CFS periods throttled, 0 to 1</td></tr>
 *   <tr><td>{@code containerlimits.memory.used}</td><td>bytes, without inactive file cache</td></tr>
 *   <tr><td>{@code containerlimits.memory.limit.percent}</td><td>memory in percent of its limit (NaN when unlimited)</td></tr>
 *   <tr><td>{@code containerlimits.pids}</td><td>tasks</td></tr>
 *   <tr><td>{@code containerlimits.oom.killed}</td><td>1 once the kernel's OOM killer ended it, else 0</td></tr>
 *   <tr><td>{@code containerlimits.oom.kills}</td><td>a counter: processes the kernel's OOM killer
 *       killed in the container since it started, also those it survived (a notebook kernel under
 *       a Jupyter server that runs on); NaN where the source cannot count them (the Engine API);
 *       a stopped container keeps the last count read, and a restart starts it again from 0, which
 *       Prometheus' {@code increase()} takes as a counter reset. Alert on
 *       {@code increase(containerlimits_oom_kills_total[5m]) > 0}</td></tr>
 *   </tbody>
 * </table>
 * A container that stops keeps its meters (its CPU reads 0, and an OOM kill shows); one that is
 * removed, or {@linkplain #unwatch unwatched}, loses them at the next round. While the daemon cannot
 * be reached, the meters keep their last values (logged once as a warning, and again when they
 * update); they never wait on the daemon.
 *
 * <pre>{@code
 * try (StatsReader reader = StatsReader.of(client);
 *         ContainerLimitsMetrics metrics = new ContainerLimitsMetrics(client, reader, Duration.ofSeconds(5))) {
 *     metrics.watch("jupyter-alice");
 *     metrics.bindTo(registry);      // e.g. a PrometheusMeterRegistry
 *     ...
 * }
 * }</pre>
 *
 * <p>Thread-safe. Closing stops the polling and removes every meter it registered; the reader and
 * client are the caller's.
 */
public final class ContainerLimitsMetrics implements MeterBinder, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ContainerLimitsMetrics.class);

    private final DockerClient client;
    private final StatsReader reader;
    private final Duration interval;
    private final Set<String> watched = new java.util.concurrent.CopyOnWriteArraySet<>();
    /** Containers whose last read failed while the daemon was away: warned about once per run of failures. */
    private final Set<String> failing = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Map<String, Published> published = new ConcurrentHashMap<>();
    /**
     * Guards the meters. Never held while waiting for the poller: closing a poller waits for its
     * delivery in progress, which takes this lock; {@code this} guards the watch set and poller.
     */
    private final Object meterLock = new Object();
    private volatile MeterRegistry registry;
    private StatsPoller poller;
    private volatile boolean closed;

    /** One container's latest reading and the meters that show it. */
    private static final class Published {
        volatile LimitsReading latest;
        /** The OOM kill count the counter shows: see {@link #oomKillCount}. */
        volatile double oomKills = Double.NaN;
        final List<Meter> meters = new ArrayList<>();
    }

    /**
     * Creates the binder; nothing is polled before {@link #bindTo}.
     *
     * @param client the daemon's client, to name the containers
     * @param reader the reader that reads them
     * @param interval the time between rounds, positive
     */
    public ContainerLimitsMetrics(DockerClient client, StatsReader reader, Duration interval) {
        this.client = Objects.requireNonNull(client, "client");
        this.reader = Objects.requireNonNull(reader, "reader");
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("interval must be positive: " + interval);
        }
        this.interval = interval;
    }

    /**
     * Watches more containers.
     *
     * @param containers ids or names
     */
    public synchronized void watch(String... containers) {
        watch(List.of(containers));
    }

    /**
     * Watches more containers.
     *
     * @param containers ids or names
     */
    public synchronized void watch(Collection<String> containers) {
        if (watched.addAll(containers)) {
            restart();
        }
    }

    /**
     * Stops watching a container; its meters go at once.
     *
     * @param container the id or name it was watched by
     */
    public synchronized void unwatch(String container) {
        if (watched.remove(container)) {
            drop(container);
            restart();
        }
    }

    /**
     * The containers watched.
     *
     * @return the ids or names, in the order they were added
     */
    public synchronized List<String> watched() {
        return List.copyOf(watched);
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        if (this.registry != null) {
            throw new IllegalStateException("already bound to a registry");
        }
        this.registry = Objects.requireNonNull(registry, "registry");
        restart();
    }

    /** A poller over the current set; the reader keeps each container's state across pollers. */
    private void restart() {
        if (registry == null || closed) {
            return;
        }
        if (poller != null) {
            poller.close();
            poller = null;
        }
        if (!watched.isEmpty()) {
            poller = reader.poll(List.copyOf(watched), interval, this::publish, this::failed);
        }
    }

    private void publish(List<LimitsReading> batch) {
        for (LimitsReading r : batch) {
            if (failing.remove(r.container())) {
                log.info("container {} is readable again", r.container());
            }
            Published p = published.get(r.container());
            if (p == null) {
                p = register(r);
                if (p == null) {
                    continue;
                }
            }
            p.oomKills = oomKillCount(p.oomKills, r);
            p.latest = r;
        }
    }

    /**
     * A container the poller could not read: removed (the poller dropped it), so its meters go; or
     * the daemon is away, so they keep their last values until it answers again. Asking the daemon
     * here would block the rounds for a response timeout per container while it hangs.
     */
    private void failed(StatsPoller.Failure f) {
        if (f.dropped()) {
            log.info("container {} was removed; dropping its meters", f.container());
            drop(f.container());
        } else if (failing.add(f.container())) {
            log.warn("cannot read container {}; its meters keep their last values: {}", f.container(),
                    f.cause().getMessage());
        }
    }

    private Published register(LimitsReading first) {
        synchronized (meterLock) {
            return registerLocked(first);
        }
    }

    private Published registerLocked(LimitsReading first) {
        if (closed || registry == null || !watched.contains(first.container())) {
            return null;
        }
        InspectContainerResponse inspected;
        try {
            inspected = client.inspectContainerCmd(first.container()).exec();
        } catch (RuntimeException e) {
            return null;
        }
        String name = inspected.getName() == null ? first.container() : inspected.getName().replaceFirst("^/", "");
        Tags tags = Tags.of("container", name, "container.id", inspected.getId().substring(0, 12));
        Published p = new Published();
        p.latest = first;
        gauge(p, "containerlimits.cpu.cores", "cores used over the last interval", "cores", tags, LimitsReading::cpuCores);
        gauge(p, "containerlimits.cpu.limit.cores", "the CPU limit", "cores", tags, r -> r.cpuLimitCores().doubleValue());
        gauge(p, "containerlimits.cpu.limit.percent", "cores used in percent of the limit", "percent", tags,
                LimitsReading::cpuPercentOfLimit);
        gauge(p, "containerlimits.cpu.throttled.ratio", "share of CFS periods throttled", null, tags,
                LimitsReading::throttledRatio);
        gauge(p, "containerlimits.memory.used", "memory used, without inactive file cache", "bytes", tags,
                r -> r.memoryBytes());
        gauge(p, "containerlimits.memory.limit.percent", "memory in percent of its limit", "percent", tags,
                r -> r.memoryPercentOfLimit().orElse(Double.NaN));
        gauge(p, "containerlimits.pids", "tasks in the container", null, tags, r -> r.pids());
        gauge(p, "containerlimits.oom.killed", "1 once the OOM killer ended the container", null, tags,
                r -> r.oomKilled() ? 1 : 0);
        p.oomKills = oomKillCount(Double.NaN, first);
        p.meters.add(FunctionCounter.builder("containerlimits.oom.kills", p, x -> x.oomKills)
                .description("processes the OOM killer killed in the container since it started, NaN where unknown")
                .tags(tags).register(registry));
        published.put(first.container(), p);
        return p;
    }

    /**
     * The count the {@code containerlimits.oom.kills} counter shows after a reading: the reading's
     * count when it has one; the last count while the container is stopped (its cgroup, and with it
     * the kernel's count, is gone, and a counter should not jump to NaN and back); else NaN (a source
     * that cannot count them).
     *
     * @param last the count shown so far, NaN if none
     * @param r the new reading
     * @return the count to show
     */
    static double oomKillCount(double last, LimitsReading r) {
        if (r.oomKills().isPresent()) {
            return r.oomKills().getAsLong();
        }
        return r.state() == LimitsReading.State.STOPPED ? last : Double.NaN;
    }

    private void gauge(Published p, String name, String description, String unit, Tags tags,
            ToDoubleFunction<LimitsReading> value) {
        Gauge.Builder<Published> b = Gauge.builder(name, p, x -> value.applyAsDouble(x.latest))
                .description(description).tags(tags);
        if (unit != null) {
            b.baseUnit(unit);
        }
        p.meters.add(b.register(registry));
    }

    private void drop(String container) {
        synchronized (meterLock) {
            Published p = published.remove(container);
            if (p != null && registry != null) {
                p.meters.forEach(registry::remove);
            }
        }
    }

    /** Stops polling and removes every meter this binder registered. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        if (poller != null) {
            poller.close();
            poller = null;
        }
        for (String container : new ArrayList<>(published.keySet())) {
            drop(container);
        }
    }
}
