package org.containerlimits.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.containerlimits.core.CpuCapacity;
import org.containerlimits.core.LimitsReading;
import org.containerlimits.core.UsageSample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads how close containers are to their own limits ({@link LimitsReading}), from their cgroup
 * files when the daemon runs on this host, else from the Engine API's stats stream.
 *
 * <pre>{@code
 * try (DockerClient client = DockerClients.fromEnvironment();
 *         StatsReader reader = StatsReader.of(client)) {
 *     LimitsReading r = reader.read("jupyter-alice");
 *     r.source();              // "cgroup" here, "api" for a remote daemon
 *     r.cpuPercentOfLimit();   // e.g. 99.6: at its own limit
 *     try (StatsPoller poller = reader.poll(List.of("a", "b"), Duration.ofSeconds(1), batch -> show(batch))) {
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p><b>Sources.</b> With {@link StatsSourceKind#AUTO} each container is read from its cgroup
 * files when its main process's cgroup (see {@code CgroupStatsSource}) is readable here and named
 * after the container's id, else through the API; {@link #source(String)} and each reading's
 * {@code source} say which ({@value CgroupStatsSource#NAME} or {@value ApiStatsSource#NAME}).
 * The cgroup source costs microseconds per container and times samples by this reader's monotonic
 * clock; the API source keeps one stats stream per container open and reads never wait for the
 * daemon, except for a container's first reading, which waits for the stream's first two samples
 * (up to about 2 s).
 *
 * <p><b>{@link #read(String)}</b> compares the container's latest counters with the previous sample
 * this reader kept for it (cgroup) or with the stream's previous sample (API). For the cgroup
 * source, a container read for the first time (or whose previous sample is less than the sample
 * interval old, or from before a restart) is sampled twice, the {@linkplain Builder#sampleInterval
 * sample interval} apart, so that read takes that long.
 *
 * <p><b>Per container</b>, the reader caches the CPU capacity ({@link CpuCapacity#of} of the
 * limits {@code docker inspect} reports and the daemon's CPUs) and {@code State.OOMKilled}; it
 * inspects the container again when it finds it stopped or its stream ended, and at most once a
 * second while it stays stopped. A live change of the CPU limit or cpuset ({@link
 * DockerLimits#update}) is seen at the next read by the cgroup source, which watches the kernel's
 * CFS quota, period and cpuset and inspects again when they change, and within 10 seconds by the API
 * source, which inspects a running container again that often. {@link #forget(String)} drops what
 * it holds for one container.
 *
 * <p><b>Resources.</b> One scheduler thread and a small fixed pool of worker threads (see
 * {@link Builder#threads}) serve every poller and stream; the API source adds one docker-java
 * stream thread and one pooled connection per watched container, closed when the container stops,
 * when it is not read for a minute, on {@link #forget(String)} and on {@link #close()}. The cgroup
 * source keeps each read container's eight to twelve cgroup files open between reads (reading an open
 * file again is several times cheaper than opening it), closed when the container stops, on
 * {@link #forget(String)} and on {@link #close()}. Closing the reader closes its pollers and streams
 * and stops its threads; it does not close the client.
 *
 * <p>Thread-safe.
 */
public final class StatsReader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StatsReader.class);

    /** How often the API source asks the daemon again for a running container's limits. */
    static final Duration API_REINSPECT = Duration.ofSeconds(10);

    /** The default time between the two samples of a cgroup read with no usable previous sample. */
    public static final Duration DEFAULT_SAMPLE_INTERVAL = Duration.ofMillis(250);

    /** How long a first API read waits for its stream's first two samples. */
    public static final Duration API_FIRST_SAMPLES_TIMEOUT = Duration.ofSeconds(5);

    /** An API stream whose latest sample is older than this makes a read inspect the container. */
    static final Duration API_STALE_AFTER = Duration.ofMillis(2500);

    /** An API stream not read for this long is closed. */
    public static final Duration API_IDLE_TIMEOUT = Duration.ofSeconds(60);

    private static final AtomicInteger READERS = new AtomicInteger();

    private final DockerClient client;
    private final StatsSourceKind kind;
    private final Duration sampleInterval;
    private final CgroupStatsSource cgroup = new CgroupStatsSource();
    private final ApiStatsSource api;
    private final DockerLimits limits;
    private final ExecutorService workers;
    private final ScheduledExecutorService scheduler;
    private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();
    private final Set<StatsPoller> pollers = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private StatsReader(Builder b) {
        this.client = b.client;
        this.kind = b.kind;
        this.sampleInterval = b.sampleInterval;
        this.limits = DockerLimits.of(client);
        this.api = new ApiStatsSource(client, () -> OptionalLong.of(limits.capabilities().memory().toBytes()),
                b.maxApiStreams);
        int n = READERS.incrementAndGet();
        this.workers = Executors.newFixedThreadPool(b.threads, threads("containerlimits-stats-" + n + "-worker-"));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(threads("containerlimits-stats-" + n + "-timer-"));
        scheduler.scheduleWithFixedDelay(() -> api.closeIdle(API_IDLE_TIMEOUT), 10, 10, TimeUnit.SECONDS);
    }

    /**
     * Returns a reader that picks the source per container ({@link StatsSourceKind#AUTO}).
     *
     * @param client the daemon's client; not closed by the reader
     * @return the reader, to be closed
     */
    public static StatsReader of(DockerClient client) {
        return builder(client).build();
    }

    /**
     * Returns a reader that uses the given source.
     *
     * @param client the daemon's client; not closed by the reader
     * @param kind which source to use
     * @return the reader, to be closed
     */
    public static StatsReader of(DockerClient client, StatsSourceKind kind) {
        return builder(client).source(kind).build();
    }

    /**
     * Returns a builder for a reader with other settings.
     *
     * @param client the daemon's client; not closed by the reader
     * @return the builder
     */
    public static Builder builder(DockerClient client) {
        return new Builder(client);
    }

    /** Settings of a {@link StatsReader}. Not thread-safe. */
    public static final class Builder {
        private final DockerClient client;
        private StatsSourceKind kind = StatsSourceKind.AUTO;
        private Duration sampleInterval = DEFAULT_SAMPLE_INTERVAL;
        private int threads = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
        private int maxApiStreams = DEFAULT_MAX_API_STREAMS;

        /** The default of {@link #maxApiStreams}: docker-java's pool of 100 less room for other calls. */
        public static final int DEFAULT_MAX_API_STREAMS = 80;

        private Builder(DockerClient client) {
            this.client = Objects.requireNonNull(client, "client");
        }

        /**
         * Sets the source, {@link StatsSourceKind#AUTO} by default.
         *
         * @param kind the source
         * @return this builder
         */
        public Builder source(StatsSourceKind kind) {
            this.kind = Objects.requireNonNull(kind, "kind");
            return this;
        }

        /**
         * Sets the time between the two samples of a cgroup read that has no usable previous
         * sample, {@link #DEFAULT_SAMPLE_INTERVAL} by default. Below a few CFS periods (100 ms
         * each) readings get noisy.
         *
         * @param sampleInterval positive
         * @return this builder
         */
        public Builder sampleInterval(Duration sampleInterval) {
            if (sampleInterval.isNegative() || sampleInterval.isZero()) {
                throw new IllegalArgumentException("sampleInterval must be positive: " + sampleInterval);
            }
            this.sampleInterval = sampleInterval;
            return this;
        }

        /**
         * Sets the number of worker threads that read containers for pollers and streams: 2 to 4
         * by default, by this machine's CPUs.
         *
         * @param threads at least 1
         * @return this builder
         */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1: " + threads);
            }
            this.threads = threads;
            return this;
        }

        /**
         * Sets how many containers the API source may watch at once, {@value #DEFAULT_MAX_API_STREAMS}
         * by default. Each watched container holds one of the client's pooled connections for its
         * stream (docker-java's pool has 100), and a reader holding them all would leave none for
         * {@code inspect} and other calls, so past this number reading another container through the
         * API fails with an {@link IllegalStateException} saying so, instead of waiting for a
         * connection. Streams of containers not read for a minute are closed, which frees room.
         *
         * @param maxApiStreams at least 1
         * @return this builder
         */
        public Builder maxApiStreams(int maxApiStreams) {
            if (maxApiStreams < 1) {
                throw new IllegalArgumentException("maxApiStreams must be at least 1: " + maxApiStreams);
            }
            this.maxApiStreams = maxApiStreams;
            return this;
        }

        /**
         * Builds the reader, which starts its threads.
         *
         * @return the reader, to be closed
         */
        public StatsReader build() {
            return new StatsReader(this);
        }
    }

    /**
     * Returns the source this reader was asked to use.
     *
     * @return the kind
     */
    public StatsSourceKind kind() {
        return kind;
    }

    /**
     * Returns the source a container is read from, inspecting it if it is new to this reader.
     *
     * @param containerId the container's id or name
     * @return {@value CgroupStatsSource#NAME} or {@value ApiStatsSource#NAME}
     * @throws DaemonRejectedException if the container does not exist
     * @throws DockerUnavailableException if the daemon cannot be reached or does not answer within
     *     the client's response timeout
     * @throws IllegalStateException with {@link StatsSourceKind#CGROUP}, if its cgroup cannot be
     *     read here
     */
    public String source(String containerId) {
        return track(containerId).source;
    }

    /**
     * Reads one container now.
     *
     * @param containerId the container's id or name
     * @return the reading; {@link LimitsReading.State#STOPPED} for a container that is not running
     * @throws DaemonRejectedException if the container does not exist
     * @throws DockerUnavailableException if the daemon cannot be reached or does not answer within
     *     the client's response timeout
     * @throws IllegalStateException with {@link StatsSourceKind#CGROUP}, if its cgroup cannot be
     *     read here; if the daemon sends no stats in time; if this reader is closed or the thread
     *     is interrupted
     */
    public LimitsReading read(String containerId) {
        return read(containerId, true);
    }

    /**
     * Reads one container at a fixed interval and hands each reading to a listener, until closed:
     * a {@link #poll} of one container. Failed reads are logged (see {@link StatsPoller}).
     *
     * @param containerId the container's id or name
     * @param interval the time between readings, positive
     * @param listener called with each reading, on a pool thread
     * @return the running stream; close it to stop
     */
    public StatsPoller stream(String containerId, Duration interval, Consumer<? super LimitsReading> listener) {
        return stream(containerId, interval, listener, null);
    }

    /**
     * Like {@link #stream(String, Duration, Consumer)}, handing each failed read to
     * {@code failureListener} instead of logging it. The stream ends by itself (closes) when the
     * container no longer exists; see {@link StatsPoller} for what each failure means.
     *
     * <pre>{@code
     * reader.stream(id, Duration.ofSeconds(1), r -> show(r),
     *         f -> show(f.container() + ": " + f.cause().getMessage()));
     * }</pre>
     *
     * @param containerId the container's id or name
     * @param interval the time between readings, positive
     * @param listener called with each reading, on a pool thread
     * @param failureListener called with each failed read, on a pool thread; {@code null} to log them
     * @return the running stream; close it to stop
     */
    public StatsPoller stream(String containerId, Duration interval, Consumer<? super LimitsReading> listener,
            Consumer<? super StatsPoller.Failure> failureListener) {
        Objects.requireNonNull(listener, "listener");
        return poll(List.of(containerId), interval, batch -> batch.forEach(listener), failureListener);
    }

    /**
     * Reads many containers concurrently at a fixed interval and hands each round's readings to a
     * listener as one batch, until closed. Failed reads are logged. See {@link StatsPoller}.
     *
     * @param containerIds the containers' ids or names
     * @param interval the time between rounds, positive
     * @param listener called with each round's batch, on a pool thread
     * @return the running poller; close it to stop
     */
    public StatsPoller poll(Collection<String> containerIds, Duration interval,
            Consumer<? super List<LimitsReading>> listener) {
        return poll(containerIds, interval, listener, null);
    }

    /**
     * Like {@link #poll(Collection, Duration, Consumer)}, handing each failed read to
     * {@code failureListener} (before the round's batch) instead of logging it. See
     * {@link StatsPoller} for what each failure means and what the poller does next.
     *
     * @param containerIds the containers' ids or names
     * @param interval the time between rounds, positive
     * @param listener called with each round's batch, on a pool thread
     * @param failureListener called with each failed read, on a pool thread; {@code null} to log them
     * @return the running poller; close it to stop
     */
    public StatsPoller poll(Collection<String> containerIds, Duration interval,
            Consumer<? super List<LimitsReading>> listener, Consumer<? super StatsPoller.Failure> failureListener) {
        Objects.requireNonNull(containerIds, "containerIds");
        Objects.requireNonNull(listener, "listener");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive: " + interval);
        }
        checkOpen();
        StatsPoller poller = new StatsPoller(this, containerIds, interval, listener, failureListener);
        pollers.add(poller);
        poller.start();
        return poller;
    }

    /**
     * Drops what this reader holds for a container: its cached capacity, its previous sample and its
     * API stream.
     *
     * @param containerId the container's id or name, as it was read
     */
    public void forget(String containerId) {
        Tracked t = tracked.remove(containerId);
        if (t != null) {
            t.forgotten = true;
            // Closing the stream first wakes a read waiting on it, which holds t's lock, so that
            // forgetting never waits for the daemon's first samples.
            if (t.fullId != null) {
                api.unwatch(t.fullId);
            }
            synchronized (t) {
                closeFiles(t);
            }
        }
    }

    /**
     * Closes every poller and stream, stops the threads and drops all cached state. The client is
     * not closed. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        new ArrayList<>(pollers).forEach(StatsPoller::close);
        scheduler.shutdownNow();
        workers.shutdownNow();
        api.close();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Tracked t : tracked.values()) {
            synchronized (t) {
                closeFiles(t);
            }
        }
        tracked.clear();
        cgroup.close();
    }

    // ------------------------------------------------------------------------------ for pollers

    ExecutorService workers() {
        return workers;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    void removed(StatsPoller poller) {
        pollers.remove(poller);
    }

    /** Takes a first sample (cgroup) or opens the stream (API), so that a round need not wait. */
    void prime(String containerId) {
        try {
            Tracked t = track(containerId);
            if (t.running && ApiStatsSource.NAME.equals(t.source)) {
                api.open(t.fullId);
                if (t.forgotten) {
                    api.unwatch(t.fullId);
                }
                return;
            }
            read(containerId, false);
        } catch (RuntimeException e) {
            log.debug("cannot read container {}: {}", LimitsMismatchException.shortId(containerId), e.toString());
        }
    }

    LimitsReading readForRound(String containerId) {
        return read(containerId, false);
    }

    // ------------------------------------------------------------------------------ reading

    /** What the reader holds for one container; guarded by itself. */
    private static final class Tracked {
        final String key;
        volatile String fullId;
        volatile String source;
        volatile CpuCapacity capacity;
        volatile boolean oomKilled;
        volatile boolean running;
        /** Set by {@link #forget}: a read in progress must not open anything again. */
        volatile boolean forgotten;
        /** The open cgroup files, when read from them; closed when replaced or dropped. */
        CgroupFiles files;
        /** The CFS quota and period the kernel held when the capacity was last inspected. */
        String cpuLimitText;
        UsageSample last;
        long inspectedAtNanos;

        Tracked(String key) {
            this.key = key;
        }
    }

    private Tracked track(String containerId) {
        Objects.requireNonNull(containerId, "containerId");
        checkOpen();
        Tracked t = tracked.computeIfAbsent(containerId, Tracked::new);
        synchronized (t) {
            if (t.capacity == null) {
                inspect(t);
            }
        }
        return t;
    }

    private LimitsReading read(String containerId, boolean wait) {
        Tracked t = track(containerId);
        synchronized (t) {
            checkOpen();
            long sinceInspect = System.nanoTime() - t.inspectedAtNanos;
            if (!t.running && sinceInspect > 1_000_000_000L
                    || t.running && ApiStatsSource.NAME.equals(t.source) && sinceInspect > API_REINSPECT.toNanos()) {
                // Stopped: has it started again? Read through the API: has a live update changed
                // its limits? (The cgroup source sees that in the kernel's own files.)
                inspect(t);
            }
            if (!t.running) {
                return stopped(t);
            }
            return t.source.equals(CgroupStatsSource.NAME) ? readCgroup(t, wait) : readApi(t, true);
        }
    }

    private LimitsReading readCgroup(Tracked t, boolean wait) {
        UsageSample now;
        try {
            now = cgroup.sample(t.files);
        } catch (IOException e) {
            // The cgroup went away: the container stopped (or restarted into a new one).
            inspect(t);
            if (!t.running) {
                return stopped(t);
            }
            if (!t.source.equals(CgroupStatsSource.NAME)) {
                return readApi(t, true);
            }
            now = sampleOrThrow(t);
        }
        if (cpuLimitChanged(t)) {
            // A live update of the CPU limit or cpuset: the capacity cached from inspect is stale.
            log.debug("container {}: CPU limit changed in its cgroup; inspecting again",
                    LimitsMismatchException.shortId(t.key));
            inspect(t);
            if (!t.running || !t.source.equals(CgroupStatsSource.NAME)) {
                return t.running ? readApi(t, true) : stopped(t);
            }
        }
        UsageSample previous = t.last;
        if (previous != null && restarted(previous, now)) {
            previous = null;
        }
        if (wait) {
            if (previous == null) {
                previous = now;
                sleep(sampleInterval);
                now = sampleOrStopped(t);
            } else {
                Duration age = Duration.between(previous.time(), now.time());
                if (age.compareTo(sampleInterval) < 0) {
                    sleep(sampleInterval.minus(age));
                    now = sampleOrStopped(t);
                }
            }
            if (now == null) {
                return stopped(t);
            }
        }
        t.last = now;
        return LimitsReading.between(t.key, CgroupStatsSource.NAME, previous, now, t.capacity, t.oomKilled);
    }

    private static boolean cpuLimitChanged(Tracked t) {
        try {
            return t.files != null && !t.files.cpuLimitText().equals(t.cpuLimitText);
        } catch (IOException e) {
            return false; // the next sample finds the cgroup gone
        }
    }

    private UsageSample sampleOrThrow(Tracked t) {
        try {
            return cgroup.sample(t.files);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the cgroup of container " + t.key, e);
        }
    }

    private UsageSample sampleOrStopped(Tracked t) {
        try {
            return cgroup.sample(t.files);
        } catch (IOException e) {
            inspect(t);
            return null;
        }
    }

    private static boolean restarted(UsageSample previous, UsageSample now) {
        return now.cpuNanos() < previous.cpuNanos() || now.cfsPeriods() < previous.cfsPeriods()
                || now.throttledNanos() < previous.throttledNanos();
    }

    private LimitsReading readApi(Tracked t, boolean retry) {
        ApiStatsSource.Result r;
        try {
            r = api.read(t.fullId, API_FIRST_SAMPLES_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading container " + t.key, e);
        }
        if (t.forgotten) {
            api.unwatch(t.fullId); // in case this read opened it again after forget closed it
            throw new IllegalStateException("container " + t.key + " was forgotten while being read");
        }
        switch (r.outcome()) {
            case SAMPLES:
                if (r.age().compareTo(API_STALE_AFTER) > 0) {
                    // The daemon sends a sample a second: a silent stream may belong to a
                    // container that stopped or paused.
                    inspect(t);
                    if (!t.running) {
                        return stopped(t);
                    }
                }
                return LimitsReading.between(t.key, ApiStatsSource.NAME, r.pair().previous(), r.pair().latest(),
                        t.capacity, t.oomKilled);
            case ENDED:
                inspect(t);
                if (!t.running) {
                    return stopped(t);
                }
                if (retry) {
                    return readApi(t, false);
                }
                throw new IllegalStateException("the stats stream of container " + t.key + " keeps ending");
            default:
                inspect(t);
                if (!t.running) {
                    return stopped(t);
                }
                throw new IllegalStateException("the daemon sent no stats for container " + t.key + " within "
                        + API_FIRST_SAMPLES_TIMEOUT.toSeconds() + " s");
        }
    }

    private LimitsReading stopped(Tracked t) {
        t.last = null;
        return LimitsReading.stopped(t.key, t.source, cgroup.now(), t.capacity, t.oomKilled);
    }

    /** Inspects the container and updates what is cached for it. Called holding {@code t}'s lock. */
    private void inspect(Tracked t) {
        InspectContainerResponse r;
        try {
            r = client.inspectContainerCmd(t.key).exec();
        } catch (RuntimeException e) {
            // Gone, or the daemon is: start afresh with this container once it answers again.
            closeFiles(t);
            tracked.remove(t.key, t);
            throw DaemonFailures.of(client, "inspect container " + LimitsMismatchException.shortId(t.key), e);
        }
        t.inspectedAtNanos = System.nanoTime();
        t.fullId = r.getId();
        InspectContainerResponse.ContainerState state = r.getState();
        t.running = state != null && Boolean.TRUE.equals(state.getRunning());
        t.oomKilled = state != null && Boolean.TRUE.equals(state.getOOMKilled());
        t.capacity = CpuCapacity.of(DockerLimits.fromHostConfig(r.getHostConfig()), limits.capabilities().cpus());
        if (!t.running) {
            t.last = null;
            closeFiles(t);
            if (t.source == null) {
                t.source = kind == StatsSourceKind.CGROUP ? CgroupStatsSource.NAME : ApiStatsSource.NAME;
            }
            api.unwatch(t.fullId);
            return;
        }
        long pid = state.getPidLong() == null ? 0 : state.getPidLong();
        closeFiles(t);
        Optional<CgroupFiles> files = kind == StatsSourceKind.API ? Optional.empty()
                : cgroup.open(pid, kind == StatsSourceKind.AUTO ? t.fullId : null);
        if (files.isPresent()) {
            t.files = files.get();
            t.source = CgroupStatsSource.NAME;
            try {
                t.cpuLimitText = t.files.cpuLimitText();
            } catch (IOException e) {
                t.cpuLimitText = null;
            }
            if (closed || tracked.get(t.key) != t) {
                // Forgotten or closed while this was inspecting: nobody else would close the files.
                closeFiles(t);
            }
        } else if (kind == StatsSourceKind.CGROUP) {
            tracked.remove(t.key, t);
            throw new IllegalStateException("the cgroup of container " + LimitsMismatchException.shortId(t.key)
                    + " (pid " + pid + ") cannot be read here: is the daemon on another host or in another"
                    + " pid namespace? Use StatsSourceKind.API or AUTO.");
        } else {
            t.source = ApiStatsSource.NAME;
        }
        log.debug("container {}: source {}, CPU capacity {}", LimitsMismatchException.shortId(t.key), t.source,
                t.capacity);
    }

    /** Closes a container's cgroup files, if open. Called holding {@code t}'s lock. */
    private static void closeFiles(Tracked t) {
        if (t.files != null) {
            t.files.close();
            t.files = null;
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this StatsReader is closed");
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(Math.max(1, d.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
