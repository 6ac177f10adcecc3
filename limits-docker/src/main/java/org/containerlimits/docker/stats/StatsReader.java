package org.containerlimits.docker.stats;

import com.github.dockerjava.api.DockerClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.containerlimits.core.usage.CpuCapacity;
import org.containerlimits.core.usage.InvalidSampleException;
import org.containerlimits.core.usage.LimitsReading;
import org.containerlimits.docker.DaemonRejectedException;
import org.containerlimits.docker.DaemonReplyException;
import org.containerlimits.docker.DockerLimits;
import org.containerlimits.docker.DockerUnavailableException;

/**
 * Reads how close containers are to their own limits ({@link LimitsReading}), from their cgroup
 * files when the daemon runs on this host, else from the Engine API's stats stream.
 *
 * <pre>{@code
 * try (DockerClient client = DockerClients.fromEnvironment();   // or any docker-java client
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
 * at least the minimum window apart (about 2 s on Docker, which sends one a second; up to about
 * 5 s on Podman, one every five).
 * Only the cgroup source knows how many processes the OOM killer killed in a container that runs
 * on ({@link LimitsReading#oomKills()}, from the kernel's {@code oom_kill} count); the API reports
 * no such count, so readings through it have it empty, not 0.
 *
 * <p><b>The minimum window.</b> No reading of a running container covers less than the reader's
 * {@linkplain Builder#minWindow minimum window}, {@link #DEFAULT_MIN_WINDOW 1 s} by default
 * ({@link LimitsReading#interval()}): the kernel grants a CPU quota per CFS period (100 ms by
 * default), and a saturated container spends it in a burst at the start of each period, so a short
 * window that holds one burst more or less than its share reads well above or below the limit
 * (windows of 250 ms were seen reading 115% of it). A window of a whole number of periods holds as many
 * bursts as periods wherever it starts.
 *
 * <p><b>{@link #read(String)}</b> compares the container's latest counters with the previous sample
 * this reader kept for it (cgroup) or with the stream's newest sample at least the minimum window
 * before its latest (API). For the cgroup source, a container read for the first time (or whose
 * previous sample is less than the minimum window old, or from before a restart) is read over a
 * window of its own: the minimum window rounded up to whole CFS periods of the container, so that
 * read blocks that long. {@linkplain #poll Pollers} never block for a window; see {@link StatsPoller}.
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
 * when it is not read for a minute, on {@link #forget(String)} and on {@link #close()}. Those
 * connections come from the client's pool, which caps the API source at
 * {@value Builder#DEFAULT_MAX_API_STREAMS} containers by default ({@link Builder#maxApiStreams}),
 * or from a client of the streams' own ({@link Builder#apiStreamClient}), sized for hundreds or
 * thousands of containers while {@code inspect} and other calls keep the reader's client to
 * themselves. The cgroup
 * source keeps each read container's nine to thirteen cgroup files open between reads (reading an open
 * file again is several times cheaper than opening it), closed when the container stops, on
 * {@link #forget(String)} and on {@link #close()}. Closing the reader closes its pollers and streams
 * and stops its threads; it does not close the client.
 *
 * <p>Thread-safe.
 */
public final class StatsReader implements AutoCloseable {
    /** The default {@linkplain Builder#minWindow minimum window}: 1 s, ten CFS periods of 100 ms. */
    public static final Duration DEFAULT_MIN_WINDOW = Duration.ofSeconds(1);

    /** The longest {@linkplain Builder#minWindow minimum window}: a first read blocks that long. */
    public static final Duration MAX_MIN_WINDOW = Duration.ofMinutes(1);

    /**
     * How long a first API read waits for its stream's first two samples, on top of the minimum
     * window: Docker sends one a second, Podman one every five seconds.
     */
    public static final Duration API_FIRST_SAMPLES_TIMEOUT = ContainerTracker.API_FIRST_SAMPLES_TIMEOUT;

    /** An API stream not read for this long is closed. */
    public static final Duration API_IDLE_TIMEOUT = ContainerTracker.API_IDLE_TIMEOUT;

    /** What {@link #read} and {@link #poll} take as a container: an id, or a name with or without its slash. */
    public static final String CONTAINER_GRAMMAR = ContainerNames.GRAMMAR;

    private final DockerClient client;
    private final StatsSourceKind kind;
    private final Duration minWindow;
    private final ContainerTracker containers;
    private final StatsThreads threads;
    private final Set<StatsPoller> pollers = ConcurrentHashMap.newKeySet();

    private StatsReader(Builder b) {
        this.client = b.client;
        this.kind = b.kind;
        this.minWindow = b.minWindow;
        this.containers = new ContainerTracker(b.client, b.kind, b.minWindow,
                b.streamClient == null ? b.client : b.streamClient, b.maxApiStreams,
                b.maxOpenFiles < 0 ? DescriptorBudget.ofProcessLimit() : DescriptorBudget.of(b.maxOpenFiles));
        this.threads = new StatsThreads(b.threads);
        threads.scheduler().scheduleWithFixedDelay(containers::closeIdleStreams, 10, 10, TimeUnit.SECONDS);
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
        private Duration minWindow = DEFAULT_MIN_WINDOW;
        private int threads = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
        private int maxApiStreams = DEFAULT_MAX_API_STREAMS;
        private int maxOpenFiles = -1;
        private DockerClient streamClient;

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
         * Sets the shortest interval a reading of a running container may cover,
         * {@link #DEFAULT_MIN_WINDOW 1 s} by default. {@link StatsReader#read} of a container seen for
         * the first time blocks for it (rounded up to whole CFS periods of the container, on the
         * cgroup source); a poller's first round comes no sooner. Shorter windows answer sooner and
         * are noisier: below a few CFS periods a saturated container reads well above or below its
         * limit.
         *
         * @param minWindow positive, at most {@link #MAX_MIN_WINDOW}
         * @return this builder
         * @throws IllegalArgumentException if {@code minWindow} is zero, negative or longer than
         *     {@link #MAX_MIN_WINDOW}
         * @throws NullPointerException if {@code minWindow} is null
         */
        public Builder minWindow(Duration minWindow) {
            Objects.requireNonNull(minWindow, "minWindow");
            if (minWindow.isNegative() || minWindow.isZero()) {
                throw new IllegalArgumentException("minWindow must be positive: " + minWindow);
            }
            if (minWindow.compareTo(MAX_MIN_WINDOW) > 0) {
                throw new IllegalArgumentException("minWindow must be at most " + MAX_MIN_WINDOW
                        + " (a first read blocks that long): " + minWindow);
            }
            this.minWindow = minWindow;
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
         * by default. Each watched container holds one pooled connection for its stream: of the
         * reader's client (docker-java's pool has 100), where a reader holding them all would leave
         * none for {@code inspect} and other calls; or, after {@link #apiStreamClient}, of the stream
         * client. Past this number, reading another container through the API fails with an
         * {@link IllegalStateException} saying so, instead of waiting for a connection. Streams of
         * containers not read for a minute are closed, which frees room. To read more containers than
         * the client's pool can spare, use {@link #apiStreamClient}, which sets this limit too; a later
         * call of this method changes it again.
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
         * Sets how many file descriptors the cgroup source may keep open between samples; by
         * default a quarter of the process's descriptor limit ({@code ulimit -n}, which the JVM
         * raises to the hard limit on Linux). A container's cgroup files take nine to twelve; a
         * container whose files do not fit in what is left is read by opening each file at each
         * sample and closing it at once (a few microseconds more per file, no descriptor between
         * samples), so every container is read whatever the limit.
         *
         * <pre>{@code
         * // a process that must keep its descriptors for sockets: read every container file by file
         * StatsReader reader = StatsReader.builder(client).maxOpenFiles(0).build();
         * }</pre>
         *
         * @param maxOpenFiles at least 0
         * @return this builder
         * @throws IllegalArgumentException if {@code maxOpenFiles} is negative
         */
        public Builder maxOpenFiles(int maxOpenFiles) {
            if (maxOpenFiles < 0) {
                throw new IllegalArgumentException("maxOpenFiles must not be negative: " + maxOpenFiles);
            }
            this.maxOpenFiles = maxOpenFiles;
            return this;
        }

        /**
         * Opens the API source's stats streams through a client of their own, and lets it watch up to
         * {@code maxStreams} containers at once: the way to read hundreds or thousands of containers
         * through the API. Every other call ({@code inspect}, {@code GET /info}) keeps using the
         * reader's client, whose pool the streams then never take from, so those calls are never
         * starved however many containers are watched. Give {@code streamClient} a connection pool of
         * at least {@code maxStreams} (one connection per open stream; with {@code DockerClients},
         * {@code connect(env, timeout, maxStreams + 2)}), and use it for nothing else, or other users of
         * it may wait for a connection while every one carries a stream.
         *
         * <pre>{@code
         * int n = containers.size();
         * try (DockerClients.Connection main = DockerClients.connect(System.getenv(), DockerClients.RESPONSE_TIMEOUT);
         *         DockerClients.Connection streams = DockerClients.connect(System.getenv(),
         *                 DockerClients.RESPONSE_TIMEOUT, n + 2);
         *         StatsReader reader = StatsReader.builder(main.client())
         *                 .source(StatsSourceKind.API)
         *                 .apiStreamClient(streams.client(), n)
         *                 .build();
         *         StatsPoller poller = reader.poll(containers, Duration.ofSeconds(1), batch -> show(batch))) {
         *     ...
         * }
         * }</pre>
         *
         * <p><b>Costs</b>, per watched container: one docker-java thread and one connection for its
         * stream (two file descriptors over docker-java's Unix-socket transport), and the daemon's
         * work of collecting and sending its samples. Measured with 300 and 1,000 idle containers
         * polled once a second (Docker 20.10, cgroup v1, 2 CPUs): 0.13 to 0.19 ms of CPU per second
         * and about 150 to 180 KiB of resident memory in the reading process, 0.9 to 1.6 ms of CPU per
         * second in dockerd, containerd and the container's shim together, per container. Docker's
         * collector samples the watched containers one after another, so each stream's samples come
         * further apart as containers are added (about every 2 s at 300 containers there, 4 s at
         * 1,000): every round still reads every container, from its stream's latest samples.
         * The reader does not close {@code streamClient}: close it after the reader.
         *
         * @param streamClient a client of the same daemon as the reader's, used for stats streams only;
         *     not closed by the reader
         * @param maxStreams how many containers the API source may watch at once, at least 1; at most
         *     the size of {@code streamClient}'s connection pool
         * @return this builder
         * @throws NullPointerException if {@code streamClient} is null
         * @throws IllegalArgumentException if {@code maxStreams} is less than 1
         */
        public Builder apiStreamClient(DockerClient streamClient, int maxStreams) {
            Objects.requireNonNull(streamClient, "streamClient");
            if (maxStreams < 1) {
                throw new IllegalArgumentException("maxStreams must be at least 1: " + maxStreams);
            }
            this.streamClient = streamClient;
            this.maxApiStreams = maxStreams;
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
     * Returns the shortest interval a reading of a running container covers.
     *
     * @return the {@linkplain Builder#minWindow minimum window}
     */
    public Duration minWindow() {
        return minWindow;
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
        return containers.source(containerId);
    }

    /**
     * Reads one container, over at least the {@linkplain Builder#minWindow minimum window}.
     *
     * <p><b>Blocks</b> for a container this reader has not read before (or not since it stopped or
     * restarted, or since {@link #forget}): on the cgroup source it samples the container, waits
     * the minimum window rounded up to whole CFS periods of the container (1 s by default), and
     * samples it again; on the API source it waits until the daemon's stream has sent two samples
     * at least the window apart (about 2 s on Docker). A read less than the window after the
     * previous one of the same container waits for the rest of it (cgroup). Other reads answer at
     * once.
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
        return containers.read(containerId);
    }

    /**
     * Reads every running task container of a Swarm service on this node, side by side: each over
     * the minimum window, all at once, so the call takes about one window however many tasks there
     * are. The daemon must be a swarm manager; tasks on other nodes are not read (their daemons are
     * not this client's).
     *
     * <pre>{@code
     * ServiceReading r = reader.readService("jupyter-alice");
     * r.cpuPercentOfLimit();   // of the tasks' CPU limits added up
     * }</pre>
     *
     * @param service the service's id or name
     * @return one reading per local running task, and the totals
     * @throws NullPointerException if {@code service} is null
     * @throws DaemonRejectedException if the service does not exist or the daemon is not a swarm
     *     manager
     * @throws DockerUnavailableException if the daemon cannot be reached
     * @throws IllegalStateException as {@link #read(String)} does, for a task's container
     */
    public ServiceReading readService(String service) {
        Objects.requireNonNull(service, "service");
        List<String> ids = ServiceTasks.localContainers(client, service);
        List<LimitsReading> readings = new java.util.ArrayList<>();
        if (ids.size() == 1) {
            readings.add(read(ids.get(0)));
        } else if (!ids.isEmpty()) {
            var pool = java.util.concurrent.Executors.newFixedThreadPool(Math.min(ids.size(), 16), r -> {
                Thread t = new Thread(r, "containerlimits-service-read");
                t.setDaemon(true);
                return t;
            });
            try {
                var futures = ids.stream().map(id -> pool.submit(() -> read(id))).toList();
                for (var f : futures) {
                    readings.add(f.get());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading service " + service, e);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException(e.getCause());
            } finally {
                pool.shutdownNow();
            }
        }
        return new ServiceReading(service, readings);
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
        StatsPoller poller = new StatsPoller(containers, threads, containerIds, interval, listener, failureListener,
                pollers::remove);
        containers.checkOpen();
        pollers.add(poller);
        poller.start();
        return poller;
    }

    /**
     * Drops what this reader holds for a container: its cached capacity, its previous sample, its
     * open cgroup files and its API stream. Never waits for the daemon; waits at most for a read of
     * the same container in progress on the cgroup source (a minimum window, rounded up to whole CFS
     * periods), whose files it closes.
     * Safe to call at any time, from any thread, for a container this reader never read, and after
     * {@link #close()}.
     *
     * @param containerId the container's id or name, as it was read
     * @throws NullPointerException if {@code containerId} is null
     */
    public void forget(String containerId) {
        containers.forget(containerId);
    }

    /**
     * Closes every poller and stream, stops the threads and drops all cached state. The client is
     * not closed. Idempotent.
     */
    @Override
    public void close() {
        if (!containers.markClosed()) {
            return;
        }
        new ArrayList<>(pollers).forEach(StatsPoller::close);
        threads.shutdownNow();
        containers.closeStreams();
        threads.awaitTermination();
        containers.closeFiles();
    }

    /** The containers this reader reads, for tests that time reads as a poller's rounds make them. */
    ContainerTracker containers() {
        return containers;
    }
}
