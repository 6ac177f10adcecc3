package org.containerlimits.docker.stats;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.containerlimits.core.usage.CpuCapacity;
import org.containerlimits.core.usage.InvalidSampleException;
import org.containerlimits.core.usage.LimitsReading;
import org.containerlimits.core.usage.UsageSample;
import org.containerlimits.docker.DaemonFailures;
import org.containerlimits.docker.DockerLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link StatsReader} holds for each container it reads, and how it reads one: the source
 * picked when the container is inspected, its CPU capacity and {@code OOMKilled}, its open cgroup
 * files and previous sample (cgroup source) or its stream (API source), and when to inspect it
 * again (stopped, restarted, its cgroup gone, its CPU limit changed live, its stream silent or
 * ended). The reader's public methods and its pollers' rounds all read through this.
 *
 * <p>Each container's entry is guarded by itself: reads of one container take turns, reads of
 * different containers run in parallel. Thread-safe.
 */
final class ContainerTracker {
    private static final Logger log = LoggerFactory.getLogger(ContainerTracker.class);

    /** How often the API source asks the daemon again for a running container's limits. */
    static final Duration API_REINSPECT = Duration.ofSeconds(10);

    /** See {@link StatsReader#API_FIRST_SAMPLES_TIMEOUT}. */
    static final Duration API_FIRST_SAMPLES_TIMEOUT = Duration.ofSeconds(12);

    /**
     * An API stream whose latest sample is older than this, or than 2.5 of its own periods, makes a
     * read inspect the container.
     */
    static final Duration API_STALE_AFTER = Duration.ofMillis(2500);

    /** See {@link StatsReader#API_IDLE_TIMEOUT}. */
    static final Duration API_IDLE_TIMEOUT = Duration.ofSeconds(60);

    private final DockerClient client;
    private final StatsSourceKind kind;
    private final Duration sampleInterval;
    private final CgroupStatsSource cgroup = new CgroupStatsSource();
    private final ApiStatsSource api;
    private final DockerLimits limits;
    private final Map<String, TrackedContainer> tracked = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * Reads containers through the given client.
     *
     * @param client the daemon's client; not closed here
     * @param kind which source to use
     * @param sampleInterval the time between the two samples of a cgroup read with no usable
     *     previous sample
     * @param maxApiStreams how many containers the API source may watch at once
     */
    ContainerTracker(DockerClient client, StatsSourceKind kind, Duration sampleInterval, int maxApiStreams) {
        this.client = client;
        this.kind = kind;
        this.sampleInterval = sampleInterval;
        this.limits = DockerLimits.of(client);
        this.api = new ApiStatsSource(client, () -> OptionalLong.of(limits.capabilities().memory().toBytes()),
                maxApiStreams);
    }

    /** See {@link StatsReader#source(String)}. */
    String source(String containerId) {
        return track(containerId).source;
    }

    /** Takes a first sample (cgroup) or opens the stream (API), so that a round need not wait. */
    void prime(String containerId) {
        try {
            TrackedContainer t = track(containerId);
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

    /** See {@link StatsReader#forget(String)}. */
    void forget(String containerId) {
        TrackedContainer t = tracked.remove(containerId);
        if (t != null) {
            t.forgotten = true;
            // Closing the stream first wakes a read waiting on it, which holds t's lock, so that
            // forgetting never waits for the daemon's first samples.
            if (t.fullId != null) {
                api.unwatch(t.fullId);
            }
            synchronized (t) {
                t.closeFiles();
            }
        }
    }

    /** Closes the API streams not read for {@link #API_IDLE_TIMEOUT}. */
    void closeIdleStreams() {
        api.closeIdle(API_IDLE_TIMEOUT);
    }

    /**
     * The first step of closing: every read from now on, and every read in progress at its next
     * step, fails.
     *
     * @return {@code false} when this was closed already
     */
    boolean markClosed() {
        boolean wasOpen = !closed;
        closed = true;
        return wasOpen;
    }

    /** The second step: closes every API stream, which wakes the reads waiting on one. */
    void closeStreams() {
        api.close();
    }

    /** The last step, once no read runs: closes every container's cgroup files and {@code /proc/stat}. */
    void closeFiles() {
        for (TrackedContainer t : tracked.values()) {
            synchronized (t) {
                t.closeFiles();
            }
        }
        tracked.clear();
        cgroup.close();
    }

    private TrackedContainer track(String containerId) {
        ContainerNames.check(containerId);
        checkOpen();
        TrackedContainer t = tracked.computeIfAbsent(containerId, TrackedContainer::new);
        synchronized (t) {
            if (t.capacity == null) {
                inspect(t);
            }
        }
        return t;
    }

    /**
     * Reads one container (see {@link StatsReader#read(String)}); with {@code wait} false, as a
     * poller's round does, a cgroup read compares with the sample it has instead of taking two.
     */
    LimitsReading read(String containerId, boolean wait) {
        TrackedContainer t = track(containerId);
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
        TrackedContainer d = new TrackedContainer(containerId);
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
                d.closeFiles();
                if (d.fullId != null && !tracked.containsKey(containerId)) {
                    api.unwatch(d.fullId);
                }
            }
        }
    }

    /**
     * Reads a container whose entry this thread holds locked.
     *
     * @return the reading, or null when the entry was dropped meanwhile (see {@link TrackedContainer#forgotten})
     */
    private LimitsReading readTracked(TrackedContainer t, boolean wait) {
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
    private LimitsReading readNow(TrackedContainer t, boolean wait) {
        if (t.forgotten) {
            return null;
        }
        if (!t.running) {
            return t.stopped(cgroup.now());
        }
        return t.source.equals(CgroupStatsSource.NAME) ? readCgroup(t, wait) : readApi(t, true);
    }

    private LimitsReading readCgroup(TrackedContainer t, boolean wait) {
        UsageSample now = t.sample(cgroup);
        if (now == null) {
            // The cgroup went away: the container stopped (or restarted into a new one).
            checkOpen();
            inspect(t);
            if (t.forgotten || !t.running || !t.source.equals(CgroupStatsSource.NAME)) {
                return readNow(t, wait);
            }
            now = t.sample(cgroup);
            if (now == null) {
                return stoppedOrUnreadable(t);
            }
        }
        if (t.cpuLimitChanged()) {
            // A live update of the CPU limit or cpuset: the capacity cached from inspect is stale.
            log.debug("container {}: CPU limit changed in its cgroup; inspecting again",
                    ContainerNames.shortId(t.key));
            inspect(t);
            if (t.forgotten || !t.running || !t.source.equals(CgroupStatsSource.NAME)) {
                return readNow(t, wait);
            }
        }
        UsageSample previous = t.last;
        if (previous != null && TrackedContainer.restarted(previous, now)) {
            previous = null;
        }
        if (wait) {
            if (previous == null) {
                previous = now;
                sleep(sampleInterval);
                now = t.sample(cgroup);
            } else {
                Duration age = Duration.between(previous.time(), now.time());
                if (age.compareTo(sampleInterval) < 0) {
                    sleep(sampleInterval.minus(age));
                    now = t.sample(cgroup);
                }
            }
            if (now == null) {
                return stoppedOrUnreadable(t);
            }
        }
        t.last = now;
        return t.between(CgroupStatsSource.NAME, previous, now);
    }

    /** Its cgroup failed twice in a row: stopped, or running with files this process cannot read. */
    private LimitsReading stoppedOrUnreadable(TrackedContainer t) {
        checkOpen();
        inspect(t);
        if (t.forgotten || !t.running) {
            return readNow(t, false);
        }
        throw new IllegalStateException("the cgroup files of container " + ContainerNames.shortId(t.key)
                + " cannot be read although it runs; they vanish as they are opened");
    }

    private LimitsReading readApi(TrackedContainer t, boolean retry) {
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
                return t.between(ApiStatsSource.NAME, r.pair().previous(), r.pair().latest());
            case INVALID:
                throw ((InvalidSampleException) r.failure()).in(t.where(ApiStatsSource.NAME));
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

    /** Inspects the container and updates what is cached for it. Called holding {@code t}'s lock. */
    private void inspect(TrackedContainer t) {
        InspectContainerResponse r;
        try {
            r = client.inspectContainerCmd(t.key).exec();
        } catch (RuntimeException e) {
            // Gone, or the daemon is: start afresh with this container once it answers again.
            t.closeFiles();
            drop(t);
            throw DaemonFailures.of(client, "inspect container " + ContainerNames.shortId(t.key), e);
        }
        long pid = t.inspected(r);
        t.capacity = CpuCapacity.of(DockerLimits.fromHostConfig(r.getHostConfig()), limits.capabilities().cpus());
        if (!t.running) {
            t.last = null;
            t.closeFiles();
            if (t.source == null) {
                t.source = kind == StatsSourceKind.CGROUP ? CgroupStatsSource.NAME : ApiStatsSource.NAME;
            }
            api.unwatch(t.fullId);
            return;
        }
        t.closeFiles();
        Optional<CgroupFiles> files = kind == StatsSourceKind.API ? Optional.empty()
                : cgroup.open(pid, kind == StatsSourceKind.AUTO ? t.fullId : null);
        if (files.isPresent()) {
            t.readFrom(files.get());
            if (closed || t.forgotten) {
                // Dropped or closed while this was inspecting: nobody else would close the files.
                t.closeFiles();
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
    private void drop(TrackedContainer t) {
        if (tracked.remove(t.key, t)) {
            t.forgotten = true;
        }
    }

    /** Throws an {@link IllegalStateException} once {@link #markClosed()} was called. */
    void checkOpen() {
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
}
