package org.containerlimits.docker.stats;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import java.io.IOException;
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
import org.containerlimits.core.usage.CpuCapacity;
import org.containerlimits.core.usage.InvalidSampleException;
import org.containerlimits.core.usage.LimitsReading;
import org.containerlimits.core.usage.UsageSample;
import org.containerlimits.docker.DaemonFailures;
import org.containerlimits.docker.DaemonRejectedException;
import org.containerlimits.docker.DaemonReplyException;
import org.containerlimits.docker.DockerLimits;
import org.containerlimits.docker.client.DockerUnavailableException;
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
 * (up to about 2 s on Docker, which sends one a second; up to about 5 s on Podman, one every five).
 * Only the cgroup source knows how many processes the OOM killer killed in a container that runs
 * on ({@link LimitsReading#oomKills()}, from the kernel's {@code oom_kill} count); the API reports
 * no such count, so readings through it have it empty, not 0.
 *
 * <p><b>{@link #read(String)}</b> compares the container's latest counters with the previous sample
 * this reader kept for it (cgroup) or with the stream's previous sample (API). For the cgroup
 * source, a container read for the first time (or whose previous sample is less than the sample
 * interval old, or from before a restart) is sampled twice, the {@linkplain Builder#sampleInterval
 * sample interval} apart, so that read takes that long.
 *
 * <p><b>Per container</b>, the reader caches the CPU capacity ({@link CpuCapacity#of} of the
 * limits {@code docker inspect} reports and the daemon's CPUs) and, for a container that no longer
 * runs, {@code State.OOMKilled} (the reading's {@code oomKilled}); it
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
 * source keeps each read container's nine to thirteen cgroup files open between reads (reading an open
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

    /**
     * How long a first API read waits for its stream's first two samples: Docker sends one a second,
     * Podman one every five seconds.
     */
    public static final Duration API_FIRST_SAMPLES_TIMEOUT = Duration.ofSeconds(12);

    /**
     * An API stream whose latest sample is older than this, or than 2.5 of its own periods, makes a
     * read inspect the container.
     */
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
     * @throws IllegalArgumentException if {@code containerId} is not a container's id or name
     * @throws NullPointerException if {@code containerId} is null
     * @throws DaemonRejectedException if the container does not exist
     * @throws DockerUnavailableException if the daemon cannot be reached or does not answer within
     *     the client's response timeout
     * @throws DaemonReplyException if the daemon's reply cannot be decoded
     * @throws IllegalStateException with {@link StatsSourceKind#CGROUP}, if its cgroup cannot be
     *     read here; if this reader is closed
     */
    public String source(String containerId) {
        return track(containerId).source;
    }

    /**
     * Reads one container now.
     *
     * <p>A read that races {@link #forget(String)} of the same container completes as if it came
     * first: it reads the container afresh and keeps nothing for it afterwards.
     *
     * <p>A sample no kernel can produce (a negative counter, memory above 2<sup>53</sup> bytes, pids
     * above 4,194,304, CPU time faster than the host's CPUs can spend it, a time outside the years
     * 1970 to 2199; see {@link org.containerlimits.core.usage.SampleBounds}) is never turned into a reading:
     * the read throws {@link InvalidSampleException} naming the container, the field and the rule,
     * and the next read compares the next valid sample with the last valid one.
     *
     * @param containerId the container's id or name
     * @return the reading; {@link LimitsReading.State#STOPPED} for a container that is not running
     * @throws IllegalArgumentException if {@code containerId} is not a container's id or name
     *     ({@value #CONTAINER_GRAMMAR})
     * @throws NullPointerException if {@code containerId} is null
     * @throws DaemonRejectedException if the container does not exist
     * @throws DockerUnavailableException if the daemon cannot be reached or does not answer within
     *     the client's response timeout
     * @throws DaemonReplyException if the daemon's reply (its inspect or stats) cannot be decoded
     * @throws InvalidSampleException if the counters the daemon or the kernel reported are impossible
     * @throws IllegalStateException with {@link StatsSourceKind#CGROUP}, if its cgroup cannot be
     *     read here; if its cgroup files vanish as they are opened although it runs; if the daemon
     *     sends no stats in time or its stream keeps ending; if this reader is closed or the thread
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
     * @throws IllegalArgumentException if {@code interval} is not positive or {@code containerId} is
     *     not a container's id or name
     * @throws NullPointerException if {@code containerId}, {@code interval} or {@code listener} is null
     * @throws IllegalStateException if this reader is closed
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
     * @throws IllegalArgumentException if {@code interval} is not positive or {@code containerId} is
     *     not a container's id or name
     * @throws NullPointerException if {@code containerId}, {@code interval} or {@code listener} is null
     * @throws IllegalStateException if this reader is closed
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
     * @throws IllegalArgumentException if {@code interval} is not positive or a container id is not a
     *     container's id or name ({@value #CONTAINER_GRAMMAR})
     * @throws NullPointerException if an argument or an id is null
     * @throws IllegalStateException if this reader is closed
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
     * @throws IllegalArgumentException if {@code interval} is not positive or a container id is not a
     *     container's id or name ({@value #CONTAINER_GRAMMAR})
     * @throws NullPointerException if an argument other than {@code failureListener}, or an id, is null
     * @throws IllegalStateException if this reader is closed
     */
    public StatsPoller poll(Collection<String> containerIds, Duration interval,
            Consumer<? super List<LimitsReading>> listener, Consumer<? super StatsPoller.Failure> failureListener) {
        Objects.requireNonNull(containerIds, "containerIds");
        containerIds.forEach(StatsReader::checkContainerId);
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
     * Drops what this reader holds for a container: its cached capacity, its previous sample, its
     * open cgroup files and its API stream. Never waits for the daemon; waits at most for a read of
     * the same container in progress on the cgroup source (a sample interval), whose files it closes.
     * Safe to call at any time, from any thread, for a container this reader never read, and after
     * {@link #close()}.
     *
     * @param containerId the container's id or name, as it was read
     * @throws NullPointerException if {@code containerId} is null
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
            log.debug("cannot read container {}: {}", ContainerNames.shortId(containerId), e.toString());
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
        /**
         * Set when the entry leaves the map ({@link #forget}, or a failed inspect): a read holding it
         * must not open anything again, and reads the container afresh instead.
         */
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
        checkContainerId(containerId);
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
            if (!t.forgotten) {
                LimitsReading r = readTracked(t, wait);
                if (r != null) {
                    return r;
                }
            }
        }
        // forget() dropped the entry while this read waited for it or read it: the read completes
        // as if it had come first, on an entry of its own that nothing keeps afterwards.
        return readDetached(containerId, wait);
    }

    /** Reads a container on an entry outside the map, closing what it opened. */
    private LimitsReading readDetached(String containerId, boolean wait) {
        checkOpen();
        Tracked d = new Tracked(containerId);
        synchronized (d) {
            try {
                inspect(d);
                LimitsReading r = readTracked(d, wait);
                if (r == null) {
                    // Only a tracked entry can be dropped; a detached one is not in the map.
                    throw new IllegalStateException("container " + containerId + " could not be read");
                }
                return r;
            } finally {
                closeFiles(d);
                if (d.fullId != null && !tracked.containsKey(containerId)) {
                    api.unwatch(d.fullId);
                }
            }
        }
    }

    /**
     * Reads a container whose entry this thread holds locked.
     *
     * @return the reading, or null when the entry was dropped meanwhile (see {@link Tracked#forgotten})
     */
    private LimitsReading readTracked(Tracked t, boolean wait) {
        long sinceInspect = System.nanoTime() - t.inspectedAtNanos;
        if (!t.running && sinceInspect > 1_000_000_000L
                || t.running && ApiStatsSource.NAME.equals(t.source) && sinceInspect > API_REINSPECT.toNanos()) {
            // Stopped: has it started again? Read through the API: has a live update changed
            // its limits? (The cgroup source sees that in the kernel's own files.)
            inspect(t);
        }
        return readNow(t, wait);
    }

    /** After an inspect: the reading it leads to, or null when the entry was dropped meanwhile. */
    private LimitsReading readNow(Tracked t, boolean wait) {
        if (t.forgotten) {
            return null;
        }
        if (!t.running) {
            return stopped(t);
        }
        return t.source.equals(CgroupStatsSource.NAME) ? readCgroup(t, wait) : readApi(t, true);
    }

    private LimitsReading readCgroup(Tracked t, boolean wait) {
        UsageSample now = sample(t);
        if (now == null) {
            // The cgroup went away: the container stopped (or restarted into a new one).
            checkOpen();
            inspect(t);
            if (t.forgotten || !t.running || !t.source.equals(CgroupStatsSource.NAME)) {
                return readNow(t, wait);
            }
            now = sample(t);
            if (now == null) {
                return stoppedOrUnreadable(t);
            }
        }
        if (cpuLimitChanged(t)) {
            // A live update of the CPU limit or cpuset: the capacity cached from inspect is stale.
            log.debug("container {}: CPU limit changed in its cgroup; inspecting again",
                    ContainerNames.shortId(t.key));
            inspect(t);
            if (t.forgotten || !t.running || !t.source.equals(CgroupStatsSource.NAME)) {
                return readNow(t, wait);
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
                now = sample(t);
            } else {
                Duration age = Duration.between(previous.time(), now.time());
                if (age.compareTo(sampleInterval) < 0) {
                    sleep(sampleInterval.minus(age));
                    now = sample(t);
                }
            }
            if (now == null) {
                return stoppedOrUnreadable(t);
            }
        }
        t.last = now;
        return between(t, CgroupStatsSource.NAME, previous, now);
    }

    /**
     * One sample of a container's open cgroup files.
     *
     * @return the sample, or null when a file is gone or unreadable (the container stopped)
     * @throws InvalidSampleException if the kernel's figures break a rule of {@code SampleBounds}
     */
    private UsageSample sample(Tracked t) {
        try {
            return cgroup.sample(t.files);
        } catch (IOException e) {
            log.debug("container {}: cgroup files unreadable: {}", ContainerNames.shortId(t.key), e.toString());
            return null;
        } catch (InvalidSampleException e) {
            throw e.in(where(t, CgroupStatsSource.NAME));
        }
    }

    /** Its cgroup failed twice in a row: stopped, or running with files this process cannot read. */
    private LimitsReading stoppedOrUnreadable(Tracked t) {
        checkOpen();
        inspect(t);
        if (t.forgotten || !t.running) {
            return readNow(t, false);
        }
        throw new IllegalStateException("the cgroup files of container " + ContainerNames.shortId(t.key)
                + " cannot be read although it runs; they vanish as they are opened");
    }

    private LimitsReading between(Tracked t, String source, UsageSample previous, UsageSample now) {
        try {
            return LimitsReading.between(t.key, source, previous, now, t.capacity, t.oomKilled);
        } catch (InvalidSampleException e) {
            t.last = null; // compare the next sample with a fresh one, not with this impossible pair
            throw e.in(where(t, source));
        }
    }

    private static String where(Tracked t, String source) {
        return "container " + ContainerNames.shortId(t.key) + " (source " + source + ")";
    }

    private static boolean cpuLimitChanged(Tracked t) {
        try {
            return t.files != null && !t.files.cpuLimitText().equals(t.cpuLimitText);
        } catch (IOException e) {
            return false; // the next sample finds the cgroup gone
        }
    }

    private static boolean restarted(UsageSample previous, UsageSample now) {
        return now.cpuNanos() < previous.cpuNanos() || now.cfsPeriods() < previous.cfsPeriods()
                || now.throttledNanos() < previous.throttledNanos()
                || previous.oomKills().isPresent() && now.oomKills().isPresent()
                        && now.oomKills().getAsLong() < previous.oomKills().getAsLong();
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
            return null;
        }
        switch (r.outcome()) {
            case SAMPLES:
                Duration staleAfter = r.period().multipliedBy(5).dividedBy(2);
                if (r.age().compareTo(staleAfter.compareTo(API_STALE_AFTER) > 0 ? staleAfter : API_STALE_AFTER) > 0) {
                    // The daemon sends a sample a second (Podman every five): a silent stream may
                    // belong to a container that stopped or paused.
                    inspect(t);
                    if (t.forgotten || !t.running) {
                        return readNow(t, false);
                    }
                }
                return between(t, ApiStatsSource.NAME, r.pair().previous(), r.pair().latest());
            case INVALID:
                throw ((InvalidSampleException) r.failure()).in(where(t, ApiStatsSource.NAME));
            case FAILED:
                throw DaemonFailures.of(client, "read the stats of container " + ContainerNames.shortId(t.key),
                        r.failure() instanceof RuntimeException re ? re : new IllegalStateException(r.failure()));
            case ENDED:
                inspect(t);
                if (t.forgotten || !t.running) {
                    return readNow(t, false);
                }
                if (retry) {
                    return readApi(t, false);
                }
                throw new IllegalStateException("the stats stream of container " + t.key + " keeps ending");
            default:
                inspect(t);
                if (t.forgotten || !t.running) {
                    return readNow(t, false);
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
            drop(t);
            throw DaemonFailures.of(client, "inspect container " + ContainerNames.shortId(t.key), e);
        }
        t.inspectedAtNanos = System.nanoTime();
        t.fullId = r.getId();
        InspectContainerResponse.ContainerState state = r.getState();
        t.running = state != null && Boolean.TRUE.equals(state.getRunning());
        // Newer engines set OOMKilled on containerd's OOM event (moby's daemon/monitor.go), that is as
        // soon as any process of the container is OOM-killed, while the container runs on; 20.10 does
        // not while it runs. A reading's oomKilled means the OOM killer ended the container, so it is
        // taken for a container that no longer runs; a kill the container survived shows in oomKills.
        t.oomKilled = !t.running && state != null && Boolean.TRUE.equals(state.getOOMKilled());
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
            if (closed || t.forgotten) {
                // Dropped or closed while this was inspecting: nobody else would close the files.
                closeFiles(t);
            }
        } else if (kind == StatsSourceKind.CGROUP) {
            drop(t);
            throw new IllegalStateException("the cgroup of container " + ContainerNames.shortId(t.key)
                    + " (pid " + pid + ") cannot be read here: is the daemon on another host or in another"
                    + " pid namespace? Use StatsSourceKind.API or AUTO.");
        } else {
            t.source = ApiStatsSource.NAME;
        }
        log.debug("container {}: source {}, CPU capacity {}", ContainerNames.shortId(t.key), t.source,
                t.capacity);
    }

    /** Takes an entry out of the map, so that a read holding it starts afresh. */
    private void drop(Tracked t) {
        if (tracked.remove(t.key, t)) {
            t.forgotten = true;
        }
    }

    /** Closes a container's cgroup files, if open. Called holding {@code t}'s lock. */
    private static void closeFiles(Tracked t) {
        if (t.files != null) {
            t.files.close();
            t.files = null;
        }
    }

    /** What {@link #read} and {@link #poll} take as a container: an id, or a name with or without its slash. */
    public static final String CONTAINER_GRAMMAR = "an optional '/', then a letter or digit, then letters, digits,"
            + " '_', '.' or '-', 255 characters at most";

    private static final java.util.regex.Pattern CONTAINER = java.util.regex.Pattern.compile(
            "/?[a-zA-Z0-9][a-zA-Z0-9_.-]{0,254}");

    /** Refuses what is no container's id or name before it reaches a request path ("../info"). */
    private static void checkContainerId(String containerId) {
        Objects.requireNonNull(containerId, "containerId");
        if (!CONTAINER.matcher(containerId).matches()) {
            String shown = containerId.length() > 80 ? containerId.substring(0, 80) + "..." : containerId;
            throw new IllegalArgumentException("container '" + shown.replaceAll("\\p{Cntrl}", "?")
                    + "' is not a container's id or name: expected " + CONTAINER_GRAMMAR);
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
