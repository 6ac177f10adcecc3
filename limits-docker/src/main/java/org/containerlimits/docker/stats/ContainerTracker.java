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
    private final Duration minWindow;
    private final CgroupStatsSource cgroup;
    private final ApiStatsSource api;
    private final DockerLimits limits;
    private final Map<String, TrackedContainer> tracked = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * Reads containers through the given client.
     *
     * @param client the daemon's client; not closed here
     * @param kind which source to use
     * @param minWindow the shortest interval a reading may cover (see {@link StatsReader.Builder#minWindow})
     * @param streamClient the client the API source opens its stats streams through: {@code client}
     *     itself, or one of their own ({@link StatsReader.Builder#apiStreamClient}); not closed here
     * @param maxApiStreams how many containers the API source may watch at once
     * @param openFiles the descriptors the cgroup source may keep open between samples
     */
    ContainerTracker(DockerClient client, StatsSourceKind kind, Duration minWindow, DockerClient streamClient,
            int maxApiStreams, DescriptorBudget openFiles) {
        this.client = client;
        this.cgroup = new CgroupStatsSource(openFiles);
        this.kind = kind;
        this.minWindow = minWindow;
        this.limits = DockerLimits.of(client);
        this.api = new ApiStatsSource(streamClient, () -> OptionalLong.of(limits.capabilities().memory().toBytes()),
                maxApiStreams, minWindow, streamClient != client);
    }

    /** The shortest interval a reading covers. */
    Duration minWindow() {
        return minWindow;
    }

    /**
     * What one read of a container gave: a reading; or, for a poller's read, a time after which to
     * try again (its window completes soon), or neither (its window is not complete: no reading in
     * this round).
     *
     * @param reading the reading, or null
     * @param retryAfter when to try again, or null
     */
    record Step(LimitsReading reading, Duration retryAfter) {
        /** No reading this round. */
        static final Step NOT_YET = new Step(null, null);

        static Step of(LimitsReading reading) {
            return new Step(reading, null);
        }
    }

    /**
     * How a poller reads a container: its own recent samples of it, and how long a round may wait
     * for a window that is about to complete.
     *
     * @param samples the poller's samples of the container (cgroup source), guarded by the
     *     container's entry
     * @param slack the longest a read may ask to be tried again after; zero to take the first
     *     sample only (priming)
     */
    record Poll(SampleWindow samples, Duration slack) {
    }

    /** See {@link StatsReader#source(String)}. */
    String source(String containerId) {
        return track(containerId).source;
    }

    /**
     * Takes a first sample into a poller's samples (cgroup) or opens the stream (API), so that its
     * rounds need not wait.
     */
    void prime(String containerId, SampleWindow samples) {
        try {
            TrackedContainer t = track(containerId);
            if (t.running && ApiStatsSource.NAME.equals(t.source)) {
                api.open(t.fullId);
                if (t.forgotten) {
                    api.unwatch(t.fullId);
                }
                return;
            }
            read(containerId, new Poll(samples, Duration.ZERO));
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

    /** Reads one container for {@link StatsReader#read(String)}: blocks until its window is complete. */
    LimitsReading read(String containerId) {
        return read(containerId, (Poll) null).reading();
    }

    /**
     * Reads one container for a poller's round, from the poller's own samples of it (cgroup) or
     * its stream (API); never waits for a window to complete, but says when to try again if it
     * completes within the poll's slack.
     */
    Step poll(String containerId, Poll poll) {
        return read(containerId, poll);
    }

    private Step read(String containerId, Poll poll) {
        TrackedContainer t = track(containerId);
        synchronized (t) {
            checkOpen();
            if (!t.forgotten) {
                Step r = readTracked(t, poll);
                if (r != null) {
                    return r;
                }
            }
        }
        // forget() dropped the entry while this read waited for it or read it: the read completes
        // as if it had come first, on an entry of its own that nothing keeps afterwards.
        return readDetached(containerId, poll);
    }

    /** Reads a container on an entry outside the map, closing what it opened. */
    private Step readDetached(String containerId, Poll poll) {
        checkOpen();
        TrackedContainer d = new TrackedContainer(containerId);
        synchronized (d) {
            try {
                inspect(d);
                Step r = readTracked(d, poll);
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
     * @param poll how a poller reads it, or null for {@link #read(String)}
     * @return what the read gave, or null when the entry was dropped meanwhile (see {@link TrackedContainer#forgotten})
     */
    private Step readTracked(TrackedContainer t, Poll poll) {
        long sinceInspect = System.nanoTime() - t.inspectedAtNanos;
        if (!t.running && sinceInspect > 1_000_000_000L
                || t.running && ApiStatsSource.NAME.equals(t.source) && sinceInspect > API_REINSPECT.toNanos()) {
            // Stopped: has it started again? Read through the API: has a live update changed
            // its limits? (The cgroup source sees that in the kernel's own files.)
            inspect(t);
        }
        return readNow(t, poll);
    }

    /** After an inspect: what the read gives, or null when the entry was dropped meanwhile. */
    private Step readNow(TrackedContainer t, Poll poll) {
        if (t.forgotten) {
            return null;
        }
        if (!t.running) {
            return Step.of(t.stopped(cgroup.now()));
        }
        return t.source.equals(CgroupStatsSource.NAME) ? readCgroup(t, poll) : readApi(t, true);
    }

    private Step readCgroup(TrackedContainer t, Poll poll) {
        UsageSample now = t.sample(cgroup);
        if (now == null) {
            // The cgroup went away: the container stopped (or restarted into a new one).
            checkOpen();
            inspect(t);
            if (t.forgotten || !t.running || !t.source.equals(CgroupStatsSource.NAME)) {
                return readNow(t, poll);
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
                return readNow(t, poll);
            }
        }
        return poll == null ? readCgroupWaiting(t, now) : readCgroupPolled(t, now, poll);
    }

    /**
     * {@link #read(String)} on the cgroup source: from the previous read's sample when it is at
     * least the window old, else over a window of its own, blocking until it is complete.
     */
    private Step readCgroupWaiting(TrackedContainer t, UsageSample now) {
        UsageSample previous = t.last;
        if (previous == null || TrackedContainer.restarted(previous, now)) {
            previous = now; // a container seen for the first time (or again): its window starts now
        }
        if (Duration.between(previous.time(), now.time()).compareTo(minWindow) < 0) {
            // The reader picks the window's length: whole CFS periods, so that a saturated
            // container's bursts are all inside it or all outside, wherever the periods begin. A
            // sleep that overran the target (a busy host) waits on to the next whole period.
            Duration target = wholePeriods(minWindow, t.cfsPeriodMicros);
            int overruns = 0;
            while (true) {
                Duration elapsed = Duration.between(previous.time(), now.time());
                if (elapsed.compareTo(minWindow) >= 0) {
                    if (offWholePeriods(elapsed, t.cfsPeriodMicros).compareTo(PERIOD_EDGE_TOLERANCE) <= 0
                            || ++overruns > MAX_OVERRUNS) {
                        break;
                    }
                    target = wholePeriods(elapsed, t.cfsPeriodMicros);
                }
                sleep(target.minus(elapsed));
                now = t.sample(cgroup);
                if (now == null) {
                    return stoppedOrUnreadable(t);
                }
            }
        }
        try {
            LimitsReading r = t.between(CgroupStatsSource.NAME, previous, now);
            t.last = now;
            return Step.of(r);
        } catch (InvalidSampleException e) {
            t.last = null; // compare the next sample with a fresh one, not with this impossible pair
            throw e;
        }
    }

    /**
     * A poller's read on the cgroup source: from the newest of its samples at least the window
     * old; or, when one of them will be the window old within the poll's slack, again after that.
     */
    private Step readCgroupPolled(TrackedContainer t, UsageSample now, Poll poll) {
        SampleWindow samples = poll.samples();
        samples.belongTo(t.generation);
        UsageSample latest = samples.latest();
        if (latest != null && TrackedContainer.restarted(latest, now)) {
            samples.clear();
        }
        Duration wait = samples.untilNextBase(now.time());
        if (wait != null && wait.compareTo(poll.slack()) <= 0) {
            return new Step(null, wait);
        }
        UsageSample base = samples.base(now.time());
        samples.add(now);
        if (base == null) {
            return Step.NOT_YET;
        }
        try {
            return Step.of(t.between(CgroupStatsSource.NAME, base, now));
        } catch (InvalidSampleException e) {
            samples.clear(); // compare the next sample with a fresh one, not with this impossible pair
            samples.add(now);
            throw e;
        }
    }

    /**
     * How far from a whole number of CFS periods a first read's window may end. Each millisecond
     * off can count a millisecond of a saturated container's burst per CPU too many or too few: a
     * sleep that overran by 25 ms on a busy 2-CPU host read 105.1% of the limit; 2 ms off moves a
     * 1 s reading by 0.4% at most there.
     */
    static final Duration PERIOD_EDGE_TOLERANCE = Duration.ofMillis(2);

    /** Overrun windows waited on to the next whole period before the last one is taken as it is. */
    private static final int MAX_OVERRUNS = 3;

    /**
     * How far {@code window} is from the nearest whole number of CFS periods.
     *
     * @param window the time between two samples
     * @param periodMicros the container's CFS period, as for {@link #wholePeriods}
     * @return the distance, at most half a period
     */
    static Duration offWholePeriods(Duration window, long periodMicros) {
        long period = periodNanos(periodMicros);
        long over = window.toNanos() % period;
        return Duration.ofNanos(Math.min(over, period - over));
    }

    /**
     * The shortest whole number of CFS periods that covers {@code min}.
     *
     * @param min the minimum window
     * @param periodMicros the container's CFS period ({@code HostConfig.CpuPeriod}); 0 or less for
     *     the kernel's default, 100 ms; above 1 s (the kernel's largest) taken as 1 s
     * @return {@code min} rounded up to whole periods
     */
    static Duration wholePeriods(Duration min, long periodMicros) {
        long period = periodNanos(periodMicros);
        long periods = (min.toNanos() + period - 1) / period;
        return Duration.ofNanos(periods * period);
    }

    /** A CFS period in nanoseconds: 0 or less is the kernel's default, 100 ms; above 1 s, 1 s. */
    private static long periodNanos(long periodMicros) {
        return (periodMicros <= 0 ? 100_000L : Math.min(periodMicros, 1_000_000L)) * 1_000L;
    }

    /** Its cgroup failed twice in a row: stopped, or running with files this process cannot read. */
    private Step stoppedOrUnreadable(TrackedContainer t) {
        checkOpen();
        inspect(t);
        if (t.forgotten || !t.running) {
            return readNow(t, null);
        }
        throw new IllegalStateException("the cgroup files of container " + ContainerNames.shortId(t.key)
                + " cannot be read although it runs; they vanish as they are opened");
    }

    private Step readApi(TrackedContainer t, boolean retry) {
        ApiStatsSource.Result r;
        try {
            r = api.read(t.fullId, API_FIRST_SAMPLES_TIMEOUT.plus(minWindow));
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
                        return readNow(t, null);
                    }
                }
                return Step.of(t.between(ApiStatsSource.NAME, r.pair().previous(), r.pair().latest()));
            case INVALID:
                throw ((InvalidSampleException) r.failure()).in(t.where(ApiStatsSource.NAME));
            case FAILED:
                throw DaemonFailures.of(client, "read the stats of container " + ContainerNames.shortId(t.key),
                        r.failure() instanceof RuntimeException re ? re : new IllegalStateException(r.failure()));
            case ENDED:
                inspect(t);
                if (t.forgotten || !t.running) {
                    return readNow(t, null);
                }
                if (retry) {
                    return readApi(t, false);
                }
                throw new IllegalStateException("the stats stream of container " + t.key + " keeps ending");
            default:
                inspect(t);
                if (t.forgotten || !t.running) {
                    return readNow(t, null);
                }
                throw new IllegalStateException("the daemon sent no stats for container " + t.key + " within "
                        + seconds(API_FIRST_SAMPLES_TIMEOUT.plus(minWindow)) + " s (two samples at least "
                        + seconds(minWindow) + " s apart, the reader's minimum window)");
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
        Long period = r.getHostConfig() == null ? null : r.getHostConfig().getCpuPeriod();
        t.cfsPeriodMicros = period == null ? 0 : period;
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

    /** A duration in seconds, as short as it can be written: {@code 13}, {@code 0.25}. */
    static String seconds(Duration d) {
        return java.math.BigDecimal.valueOf(d.toNanos(), 9).stripTrailingZeros().toPlainString();
    }

    private static void sleep(Duration d) {
        try {
            long nanos = Math.max(1_000, d.toNanos());
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
