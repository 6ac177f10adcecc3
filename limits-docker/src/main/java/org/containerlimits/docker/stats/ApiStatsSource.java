package org.containerlimits.docker.stats;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Statistics;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.containerlimits.core.usage.InvalidSampleException;
import org.containerlimits.core.usage.UsageSample;
import org.containerlimits.docker.DaemonFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads containers through the Engine API, for any daemon, remote ones too: one
 * {@code GET /containers/{id}/stats?stream=true} per watched container stays open, and its recent
 * samples are kept ({@link SampleWindow}), so that a read never waits on the daemon once a
 * container's stream has delivered two samples at least the reader's minimum window apart (the
 * daemon sends one a second, timed by its own clock; Podman one every five).
 *
 * <p>A stream ends when its container stops or is removed, when it is {@linkplain #unwatch
 * unwatched} or idle too long, or when this source is closed; docker-java runs each open stream on
 * a thread of its own and holds one pooled connection, both released when the stream ends.
 * Thread-safe.
 */
final class ApiStatsSource implements AutoCloseable {

    /** The source name in readings. */
    static final String NAME = "api";

    private static final Logger log = LoggerFactory.getLogger(ApiStatsSource.class);

    private final DockerClient client;
    private final Supplier<OptionalLong> hostMemory;
    private volatile OptionalLong hostMemoryBytes;
    private final Map<String, Watch> watches = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * A source using the given client.
     *
     * @param client the daemon's client
     * @param hostMemory the daemon host's memory, asked once, on the first read, so that an
     *     unlimited cgroup v2 container reads as unlimited (see {@link StatisticsMapping})
     * @param maxStreams how many streams may be open at once
     * @param minWindow the shortest interval a reading may cover, by the daemon's timestamps
     * @param ownClient whether {@code client} serves the streams only (a stream client of their own,
     *     {@link StatsReader.Builder#apiStreamClient}), for the refusal's advice
     */
    ApiStatsSource(DockerClient client, Supplier<OptionalLong> hostMemory, int maxStreams, Duration minWindow,
            boolean ownClient) {
        this.client = client;
        this.hostMemory = hostMemory;
        this.maxStreams = maxStreams;
        this.minWindow = minWindow;
        this.ownClient = ownClient;
    }

    private final int maxStreams;
    private final Duration minWindow;
    private final boolean ownClient;

    /**
     * The two samples of a reading: the stream's latest, and the newest at least the minimum window
     * before it.
     *
     * @param previous the earlier sample
     * @param latest the later sample
     */
    record Pair(UsageSample previous, UsageSample latest) {
    }

    /** What a read found. */
    enum Outcome {
        /** Two samples at least the minimum window apart are there. */
        SAMPLES,
        /** The stream says the container is not running, or the stream ended. */
        ENDED,
        /** No two samples at least the minimum window apart came in time. */
        TIMEOUT,
        /** The latest sample broke a rule of {@code SampleBounds}; see {@link Result#failure()}. */
        INVALID,
        /** The stream carried a reply that cannot be decoded; see {@link Result#failure()}. */
        FAILED
    }

    /**
     * The result of a read.
     *
     * @param outcome what was found
     * @param pair the samples when {@code outcome} is {@link Outcome#SAMPLES}
     * @param age how long ago the latest sample arrived, by this process's clock
     * @param failure why, when {@code outcome} is {@link Outcome#INVALID} or {@link Outcome#FAILED}
     * @param period the time between the stream's latest two samples as they arrived (Docker sends
     *     one a second, Podman one every five), zero until two have
     */
    record Result(Outcome outcome, Pair pair, Duration age, Throwable failure, Duration period) {
    }

    /**
     * An earlier half ({@code precpu_stats}) closer than this to its answer's own sample is not
     * used: Podman's first answer carries one taken milliseconds before, which would make a first
     * reading of a busy container read 0% over 5 ms.
     */
    static final Duration MIN_EARLIER_HALF = Duration.ofMillis(100);

    /**
     * Returns the latest sample of a container and the newest at least the minimum window before it,
     * opening its stream if needed and waiting for such samples up to {@code timeout}.
     *
     * @param containerId the container's full id
     * @param timeout how long to wait for a new stream's samples
     * @return the result
     * @throws InterruptedException if interrupted while waiting
     */
    Result read(String containerId, Duration timeout) throws InterruptedException {
        Watch w = open(containerId);
        Result r = w.await(timeout);
        if (r.outcome() == Outcome.ENDED || r.outcome() == Outcome.FAILED) {
            watches.remove(containerId, w);
            w.closeQuietly();
        }
        return r;
    }

    /**
     * Opens a container's stream if it is not open, without waiting for samples.
     *
     * @param containerId the container's full id
     * @return the stream
     */
    Watch open(String containerId) {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (hostMemoryBytes == null) {
            hostMemoryBytes = hostMemory.get();
        }
        Watch w = watches.compute(containerId, (id, existing) -> {
            if (existing != null && !existing.ended) {
                return existing;
            }
            // Checked inside compute: concurrent opens of other containers may pass it together, by
            // at most the reader's worker count, which the default leaves room for.
            if (existing == null && watches.size() >= maxStreams) {
                throw new IllegalStateException(refusal(watches.size()));
            }
            Watch fresh = new Watch(id);
            client.statsCmd(id).exec(fresh);
            return fresh;
        });
        if (closed) {
            w.closeQuietly();
            throw new IllegalStateException("closed");
        }
        return w;
    }

    /** Why another stream is refused, and the ways out. */
    private String refusal(int watched) {
        if (ownClient) {
            return "the API source already watches " + watched + " containers, the limit its stream client was"
                    + " given (StatsReader.Builder.apiStreamClient): each stream holds one of that client's pooled"
                    + " connections; give it a larger pool and limit, forget() containers no longer read, or use"
                    + " the cgroup source for a local daemon";
        }
        return "the API source already watches " + watched + " containers, its limit"
                + " (StatsReader.Builder.maxApiStreams): each stream holds one of the client's pooled connections,"
                + " which inspect and other calls share; to read more, open the streams through a client of their"
                + " own with a pool sized for them (StatsReader.Builder.apiStreamClient, e.g. from"
                + " DockerClients.connect(env, timeout, maxConnections)), forget() containers no longer read, or use"
                + " the cgroup source for a local daemon";
    }

    /**
     * Closes a container's stream, if open.
     *
     * @param containerId the container's full id
     */
    void unwatch(String containerId) {
        Watch w = watches.remove(containerId);
        if (w != null) {
            w.closeQuietly();
        }
    }

    /**
     * Closes the streams not read for longer than {@code idle}.
     *
     * @param idle the longest a stream may go unread
     */
    void closeIdle(Duration idle) {
        long now = System.nanoTime();
        for (Watch w : new ArrayList<>(watches.values())) {
            if (now - w.lastReadNanos > idle.toNanos() || w.ended) {
                log.debug("closing the stats stream of {}: idle or ended", ContainerNames.shortId(w.id));
                watches.remove(w.id, w);
                w.closeQuietly();
            }
        }
    }

    /**
     * Returns how many streams are open.
     *
     * @return the number of watched containers
     */
    int openStreams() {
        return watches.size();
    }

    /** Closes every stream. */
    @Override
    public void close() {
        closed = true;
        List<Watch> all = new ArrayList<>(watches.values());
        watches.clear();
        all.forEach(Watch::closeQuietly);
    }

    /**
     * One container's stream and its recent valid samples. A sample that breaks a rule of
     * {@code SampleBounds} is never kept: reads fail with it until the next valid sample arrives,
     * which is then compared with the valid ones before it.
     */
    final class Watch extends ResultCallback.Adapter<Statistics> {
        private final String id;
        private final SampleWindow samples = new SampleWindow(minWindow);
        private InvalidSampleException invalid;
        private Throwable failure;
        private volatile boolean ended;
        private long latestNanos;
        private long periodNanos;
        private volatile long lastReadNanos = System.nanoTime();

        Watch(String id) {
            this.id = id;
        }

        @Override
        public void onNext(Statistics stats) {
            Optional<UsageSample> sample;
            try {
                sample = StatisticsMapping.toSample(stats, hostMemoryBytes);
            } catch (InvalidSampleException e) {
                synchronized (this) {
                    invalid = e;
                    latestNanos = System.nanoTime();
                    notifyAll();
                }
                return;
            }
            synchronized (this) {
                if (sample.isEmpty()) {
                    ended = true;
                } else {
                    long now = System.nanoTime();
                    if (samples.isEmpty()) {
                        // The first answer of a stream may carry an earlier half (precpu_stats).
                        UsageSample earlier = earlierHalf(stats, sample.get());
                        if (earlier != null) {
                            samples.add(earlier);
                        }
                    } else {
                        periodNanos = now - latestNanos;
                    }
                    samples.add(sample.get());
                    invalid = null;
                    latestNanos = now;
                }
                notifyAll();
            }
        }

        private UsageSample earlierHalf(Statistics stats, UsageSample later) {
            try {
                UsageSample earlier = StatisticsMapping.toPreviousSample(stats, hostMemoryBytes).orElse(null);
                if (earlier != null && Duration.between(earlier.time(), later.time()).compareTo(MIN_EARLIER_HALF) < 0) {
                    return null; // too short an interval to mean anything: wait for the next sample
                }
                return earlier;
            } catch (InvalidSampleException e) {
                return null; // the later half is valid: wait for the stream's next sample instead
            }
        }

        @Override
        public void onError(Throwable throwable) {
            if (!ended) {
                log.debug("stats stream of {} failed: {}", ContainerNames.shortId(id), throwable.toString());
                if (DaemonFailures.undecodable(throwable)) {
                    // A reply the daemon keeps sending wrong: a read must say so, not retry forever.
                    synchronized (this) {
                        failure = throwable;
                    }
                }
            }
            markEnded();
            closeQuietly();
        }

        @Override
        public void onComplete() {
            markEnded();
            closeQuietly();
        }

        private synchronized void markEnded() {
            ended = true;
            notifyAll();
        }

        synchronized Result await(Duration timeout) throws InterruptedException {
            lastReadNanos = System.nanoTime();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!ended && invalid == null && samples.pair() == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return new Result(Outcome.TIMEOUT, null, Duration.ZERO, null, Duration.ZERO);
                }
                wait(Math.max(1, left / 1_000_000));
            }
            Duration age = Duration.ofNanos(System.nanoTime() - latestNanos);
            Duration period = Duration.ofNanos(periodNanos);
            if (invalid != null) {
                return new Result(Outcome.INVALID, null, age, invalid, period);
            }
            if (ended) {
                return failure == null ? new Result(Outcome.ENDED, null, Duration.ZERO, null, period)
                        : new Result(Outcome.FAILED, null, Duration.ZERO, failure, period);
            }
            return new Result(Outcome.SAMPLES, samples.pair(), age, null, period);
        }

        void closeQuietly() {
            markEnded();
            try {
                close();
            } catch (IOException | RuntimeException e) {
                log.debug("closing the stats stream of {}: {}", ContainerNames.shortId(id), e.toString());
            }
        }
    }
}
