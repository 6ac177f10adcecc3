package org.containerlimits.docker.stats;

import com.github.dockerjava.api.command.InspectContainerResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.containerlimits.core.usage.CpuCapacity;
import org.containerlimits.core.usage.InvalidSampleException;
import org.containerlimits.core.usage.LimitsReading;
import org.containerlimits.core.usage.UsageSample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link ContainerTracker} holds for one container: what its last inspect said, the source
 * it is read from, its open cgroup files and its previous sample. Guarded by itself: a read holds
 * its lock throughout; the volatile fields are also looked at without it.
 */
final class TrackedContainer {
    private static final Logger log = LoggerFactory.getLogger(TrackedContainer.class);
    private static final AtomicLong GENERATIONS = new AtomicLong();

    /** The container's id or name, as it was read. */
    final String key;
    volatile String fullId;
    volatile String source;
    volatile CpuCapacity capacity;
    volatile boolean oomKilled;
    volatile boolean running;
    /**
     * Set when the entry leaves the tracker's map ({@link ContainerTracker#forget}, or a failed
     * inspect): a read holding it must not open anything again, and reads the container afresh
     * instead.
     */
    volatile boolean forgotten;
    /** The open cgroup files, when read from them; closed when replaced or dropped. */
    CgroupFiles files;
    /** The CFS quota and period the kernel held when the capacity was last inspected. */
    String cpuLimitText;
    /** The sample of the previous {@link StatsReader#read}, from which the next one reads (cgroup). */
    UsageSample last;
    long inspectedAtNanos;
    /** The container's CFS period ({@code HostConfig.CpuPeriod}), microseconds; 0 for the default. */
    long cfsPeriodMicros;
    /**
     * Which run of the container a poller's samples belong to: changes whenever the container is
     * seen not running, so that no reading spans a stop. Unique across entries, so that samples
     * taken through an entry that was dropped never pass for another's.
     */
    volatile long generation = GENERATIONS.incrementAndGet();

    TrackedContainer(String key) {
        this.key = key;
    }

    /**
     * Takes what an inspect says about the container's state: its full id, whether it runs and
     * whether the OOM killer ended it. The caller sets the capacity.
     *
     * @param r the inspect's answer
     * @return the container's main process when it runs, else 0
     */
    long inspected(InspectContainerResponse r) {
        inspectedAtNanos = System.nanoTime();
        fullId = r.getId();
        InspectContainerResponse.ContainerState state = r.getState();
        running = state != null && Boolean.TRUE.equals(state.getRunning());
        // Newer engines set OOMKilled on containerd's OOM event (moby's daemon/monitor.go), that is as
        // soon as any process of the container is OOM-killed, while the container runs on; 20.10 does
        // not while it runs. A reading's oomKilled means the OOM killer ended the container, so it is
        // taken for a container that no longer runs; a kill the container survived shows in oomKills.
        oomKilled = !running && state != null && Boolean.TRUE.equals(state.getOOMKilled());
        if (!running) {
            generation = GENERATIONS.incrementAndGet();
        }
        return running && state.getPidLong() != null ? state.getPidLong() : 0;
    }

    /**
     * Reads the container from now on from its open cgroup files, noting the CPU limit they hold.
     *
     * @param opened the files, now owned by this entry
     */
    void readFrom(CgroupFiles opened) {
        files = opened;
        source = CgroupStatsSource.NAME;
        try {
            cpuLimitText = files.cpuLimitText();
        } catch (IOException e) {
            cpuLimitText = null;
        }
    }

    /**
     * One sample of the open cgroup files.
     *
     * @param cgroup the source that opened them
     * @return the sample, or null when a file is gone or unreadable (the container stopped)
     * @throws InvalidSampleException if the kernel's figures break a rule of {@code SampleBounds}
     */
    UsageSample sample(CgroupStatsSource cgroup) {
        try {
            return cgroup.sample(files);
        } catch (IOException e) {
            log.debug("container {}: cgroup files unreadable: {}", ContainerNames.shortId(key), e.toString());
            return null;
        } catch (InvalidSampleException e) {
            throw e.in(where(CgroupStatsSource.NAME));
        }
    }

    /** Closes the container's cgroup files, if open. Called holding the lock. */
    void closeFiles() {
        if (files != null) {
            files.close();
            files = null;
        }
    }

    /** Whether the kernel's CFS quota, period or cpuset changed since the capacity was inspected. */
    boolean cpuLimitChanged() {
        try {
            return files != null && !files.cpuLimitText().equals(cpuLimitText);
        } catch (IOException e) {
            return false; // the next sample finds the cgroup gone
        }
    }

    /**
     * The reading between two samples.
     *
     * @throws InvalidSampleException naming the container and the source, for an impossible pair
     */
    LimitsReading between(String from, UsageSample previous, UsageSample now) {
        try {
            return LimitsReading.between(key, from, previous, now, capacity, oomKilled);
        } catch (InvalidSampleException e) {
            throw e.in(where(from));
        }
    }

    /** The reading of a container that does not run, at the given time. */
    LimitsReading stopped(Instant now) {
        last = null;
        generation = GENERATIONS.incrementAndGet();
        return LimitsReading.stopped(key, source, now, capacity, oomKilled);
    }

    /** The container and a source, for messages: {@code container 3f2a9c1b7d4e (source cgroup)}. */
    String where(String from) {
        return "container " + ContainerNames.shortId(key) + " (source " + from + ")";
    }

    /** Whether a counter went back between two samples: the container started again in between. */
    static boolean restarted(UsageSample previous, UsageSample now) {
        return now.cpuNanos() < previous.cpuNanos() || now.cfsPeriods() < previous.cfsPeriods()
                || now.throttledNanos() < previous.throttledNanos()
                || previous.oomKills().isPresent() && now.oomKills().isPresent()
                        && now.oomKills().getAsLong() < previous.oomKills().getAsLong();
    }
}
