package org.containerlimits.docker.stats;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of one {@link StatsReader}: a small fixed pool of workers that read containers for
 * its pollers and streams, and one scheduler thread that starts their rounds and closes idle API
 * streams. Daemon threads, named {@code containerlimits-stats-<reader>-worker-<n>} and
 * {@code containerlimits-stats-<reader>-timer-1}.
 */
final class StatsThreads {
    private static final AtomicInteger READERS = new AtomicInteger();

    private final ExecutorService workers;
    private final ScheduledExecutorService scheduler;

    /**
     * Starts the threads.
     *
     * @param workerCount how many worker threads, at least 1
     */
    StatsThreads(int workerCount) {
        int n = READERS.incrementAndGet();
        this.workers = Executors.newFixedThreadPool(workerCount, threads("containerlimits-stats-" + n + "-worker-"));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(threads("containerlimits-stats-" + n + "-timer-"));
    }

    /** The workers, which run the reads of pollers' rounds. */
    ExecutorService workers() {
        return workers;
    }

    /** The scheduler, which starts rounds and runs the reader's housekeeping; its tasks must be short. */
    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Stops both, interrupting what runs; see {@link #awaitTermination()}. */
    void shutdownNow() {
        scheduler.shutdownNow();
        workers.shutdownNow();
    }

    /** Waits up to 5 seconds for each to end, keeping the interrupt if interrupted. */
    void awaitTermination() {
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
