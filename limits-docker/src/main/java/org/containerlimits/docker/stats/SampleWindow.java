package org.containerlimits.docker.stats;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import org.containerlimits.core.usage.UsageSample;

/**
 * Recent samples of one container, from which a reading covering at least a minimum window is
 * picked: the earlier sample of a reading is the newest one at least that window before the later.
 * Kept by an API stream (its daemon's samples) and by a poller for each container it reads from
 * cgroup files (its rounds' samples).
 *
 * <p>Bounded: only the newest sample at least the window before the latest is kept among the old
 * ones, and a sample closer than a sixteenth of the window to the one before the latest replaces
 * the latest instead of being added, so a window holds at most about 34 samples however often
 * they come. A sample not later than the latest (a clock that went back) starts the window afresh.
 *
 * <p>Not thread-safe: its owner guards it.
 */
final class SampleWindow {
    private final Duration min;
    private final long minNanos;
    private final long thinNanos;
    private final ArrayDeque<UsageSample> samples = new ArrayDeque<>();
    /** The {@link TrackedContainer#generation} the samples belong to, for a poller's window. */
    private long generation;

    /**
     * An empty window.
     *
     * @param min the shortest interval a reading may cover, positive
     */
    SampleWindow(Duration min) {
        if (min.isNegative() || min.isZero()) {
            throw new IllegalArgumentException("min must be positive: " + min);
        }
        this.min = min;
        this.minNanos = min.toNanos();
        this.thinNanos = minNanos / 16;
    }

    /** The shortest interval a reading may cover. */
    Duration min() {
        return min;
    }

    /**
     * Adds the latest sample.
     *
     * @param s a sample later than those added so far; one that is not starts the window afresh
     */
    void add(UsageSample s) {
        UsageSample last = samples.peekLast();
        if (last != null && !s.time().isAfter(last.time())) {
            // The source's clock went back (or repeated itself): nothing before s is comparable.
            samples.clear();
        } else if (samples.size() >= 2) {
            UsageSample beforeLast = secondLast();
            if (nanosBetween(beforeLast.time(), s.time()) < thinNanos) {
                samples.pollLast();
            }
        }
        samples.addLast(s);
        // Of the samples at least the window before the latest, the newest is all a later reading needs.
        while (samples.size() >= 2 && nanosBetween(second().time(), s.time()) >= minNanos) {
            samples.pollFirst();
        }
    }

    /**
     * Returns the latest sample and the newest one at least the window before it.
     *
     * @return the pair, or null while the samples span less than the window
     */
    ApiStatsSource.Pair pair() {
        UsageSample latest = samples.peekLast();
        if (latest == null) {
            return null;
        }
        UsageSample base = base(latest.time());
        return base == null ? null : new ApiStatsSource.Pair(base, latest);
    }

    /**
     * Returns the newest sample at least the window before {@code now}.
     *
     * @param now the time of a sample not added yet
     * @return the sample, or null when there is none
     */
    UsageSample base(Instant now) {
        UsageSample base = null;
        for (UsageSample s : samples) {
            if (nanosBetween(s.time(), now) < minNanos) {
                break;
            }
            base = s;
        }
        return base;
    }

    /**
     * Returns how long until the oldest sample less than the window before {@code now} is that far
     * before it: after that long, a reading from that sample covers the window exactly.
     *
     * @param now the time of a sample not added yet
     * @return the time left, or null when every sample is already at least the window before
     *     {@code now} (or there is none)
     */
    Duration untilNextBase(Instant now) {
        for (UsageSample s : samples) {
            long age = nanosBetween(s.time(), now);
            if (age < minNanos) {
                return Duration.ofNanos(minNanos - age);
            }
        }
        return null;
    }

    /** The latest sample, or null. */
    UsageSample latest() {
        return samples.peekLast();
    }

    /** How many samples are kept. */
    int size() {
        return samples.size();
    }

    /** Whether no sample is kept. */
    boolean isEmpty() {
        return samples.isEmpty();
    }

    /** Drops every sample. */
    void clear() {
        samples.clear();
    }

    /**
     * Drops every sample unless they belong to the given run of the container; then they do.
     *
     * @param runGeneration the container's {@link TrackedContainer#generation}
     */
    void belongTo(long runGeneration) {
        if (generation != runGeneration) {
            samples.clear();
            generation = runGeneration;
        }
    }

    private UsageSample second() {
        Iterator<UsageSample> it = samples.iterator();
        it.next();
        return it.next();
    }

    private UsageSample secondLast() {
        Iterator<UsageSample> it = samples.descendingIterator();
        it.next();
        return it.next();
    }

    /** Nanoseconds from {@code a} to {@code b}, saturated rather than overflowing. */
    private static long nanosBetween(Instant a, Instant b) {
        long seconds = b.getEpochSecond() - a.getEpochSecond();
        if (seconds > 9_000_000_000L || seconds < -9_000_000_000L) {
            return seconds > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        return seconds * 1_000_000_000L + (b.getNano() - a.getNano());
    }
}
