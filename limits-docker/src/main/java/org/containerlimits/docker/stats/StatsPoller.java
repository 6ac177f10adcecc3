package org.containerlimits.docker.stats;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.containerlimits.core.usage.LimitsReading;
import org.containerlimits.docker.DaemonRejectedException;
import org.containerlimits.docker.DaemonReplyException;
import org.containerlimits.docker.DockerUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a set of containers at a fixed interval, all of them concurrently on the
 * {@link StatsReader}'s small thread pool, and hands each round's readings to a listener as one
 * batch, in the order the containers were given. Made by {@link StatsReader#poll} and
 * {@link StatsReader#stream}.
 *
 * <p><b>Windows.</b> The poller samples every container when it starts, and its first batch comes
 * after the interval or the reader's {@linkplain StatsReader.Builder#minWindow minimum window},
 * whichever is longer (rounds before it only sample). No reading covers less than the minimum
 * window: on the cgroup source, each reading covers the time since the newest sample this poller
 * took of the container at least that window before. With an interval at least the window, that
 * is the time since the previous round, and readings follow one another; with a shorter one,
 * readings overlap, each covering about the last window, so interval figures of successive
 * readings ({@link LimitsReading#oomKillsInInterval()}, {@link LimitsReading#throttledTime()})
 * overlap too. A round never blocks a thread for a window: a sample that will be the window old
 * within half the interval (or half the window, if shorter) is waited for on the scheduler; a
 * container whose window is further from complete (it just started again) is left out of that
 * round's batch, neither a reading nor a failure. On the API source each reading spans the
 * daemon's samples as {@link StatsReader#read} does.
 *
 * <p>A round that is still running when the next is due makes that one be skipped, never run twice
 * at once. The listener runs on a pool thread, one round at a time; it should return quickly.
 *
 * <p><b>Failures.</b> A container that cannot be read in a round is left out of that round's batch
 * and handed to the failure listener as a {@link Failure}, just before the batch, in the same
 * round; without a failure listener, the first failure of a run of them is logged as a warning and
 * the recovery as an info line. What happens next depends on the cause:
 * <ul>
 *   <li>The daemon cannot be reached or does not answer ({@link DockerUnavailableException}, as
 *       while it restarts): the poller keeps its rounds going, reporting the container in each,
 *       and delivers readings again once the daemon answers. The gap shows as the failures, and
 *       the first reading afterwards covers the time since the last good one (or, if the
 *       container started again meanwhile, comes a minimum window into its new run).
 *   <li>The container no longer exists ({@link DaemonRejectedException} with status 404, as after
 *       {@code docker rm}): reported once and dropped from the poller. A poller left with no
 *       container (a {@linkplain StatsReader#stream stream} whose container was removed) closes
 *       itself: {@link #isClosed()} turns {@code true} and no more rounds run.
 *   <li>A container that stops (exits, is killed, is OOM-killed) is not a failure: it reads as
 *       {@link LimitsReading.State#STOPPED}, with {@code oomKilled} set when the kernel's OOM killer
 *       ended it, and as running again if it starts again (a restart policy, {@code docker start}).
 *   <li>Anything else is reported each round and the container kept: among it an
 *       {@link org.containerlimits.core.usage.InvalidSampleException} (the daemon or the kernel reported
 *       counters no machine can have; the next valid sample reads again) and a
 *       {@link DaemonReplyException} (the daemon's reply cannot be decoded).
 * </ul>
 *
 * <p>{@link #close()} stops the rounds; no batch is delivered after it returns, and closing the
 * reader closes its pollers. Thread-safe.
 */
public final class StatsPoller implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StatsPoller.class);

    private final ContainerTracker tracker;
    private final StatsThreads threads;
    private final Consumer<? super StatsPoller> onClose;
    private final List<String> containers;
    private final Duration interval;
    private final Consumer<? super List<LimitsReading>> listener;
    private final Consumer<? super Failure> failureListener;
    /** Per container, this poller's recent samples of it (cgroup source). */
    private final Map<String, SampleWindow> samples = new ConcurrentHashMap<>();
    /** The longest a read may be tried again after, for a window about to complete. */
    private final Duration slack;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong rounds = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    /** Per container, how many rounds in a row it failed; for the default failure logging. */
    private final Map<String, Integer> failingRounds = new ConcurrentHashMap<>();
    private final Object deliveryLock = new Object();
    private volatile boolean closed;
    private volatile ScheduledFuture<?> schedule;
    /** When the first round that delivers a batch is due, by {@link System#nanoTime()}. */
    private volatile long deliverFrom;

    /**
     * Makes a poller; {@link #start()} starts it.
     *
     * @param tracker reads the containers, and drops those that no longer exist
     * @param threads the threads that run the rounds and their reads
     * @param containers the containers' ids or names
     * @param interval the time between rounds
     * @param listener called with each round's batch
     * @param failureListener called with each failed read, or {@code null} to log them
     * @param onClose called once the poller is closed, with the poller
     * @throws IllegalArgumentException if {@code interval} is not positive or a container is not a
     *     container's id or name
     * @throws NullPointerException if an argument other than {@code failureListener}, or an id, is null
     */
    StatsPoller(ContainerTracker tracker, StatsThreads threads, Collection<String> containers, Duration interval,
            Consumer<? super List<LimitsReading>> listener, Consumer<? super Failure> failureListener,
            Consumer<? super StatsPoller> onClose) {
        Objects.requireNonNull(containers, "containerIds");
        containers.forEach(ContainerNames::check);
        Objects.requireNonNull(listener, "listener");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive: " + interval);
        }
        this.tracker = tracker;
        this.threads = threads;
        this.onClose = onClose;
        this.containers = new CopyOnWriteArrayList<>(containers);
        this.interval = interval;
        this.listener = listener;
        this.failureListener = failureListener;
        Duration shorter = interval.compareTo(tracker.minWindow()) < 0 ? interval : tracker.minWindow();
        this.slack = shorter.dividedBy(2);
    }

    /**
     * A container that could not be read in a round.
     *
     * @param container the container's id or name, as given to the poller
     * @param time when the read failed
     * @param cause why: {@link DockerUnavailableException} when the daemon cannot be reached or does
     *     not answer, {@link DaemonRejectedException} when it refuses (status 404: the container no
     *     longer exists), another runtime exception otherwise
     * @param dropped whether the poller stopped reading the container because of it (it no longer
     *     exists)
     */
    public record Failure(String container, Instant time, RuntimeException cause, boolean dropped) {
        /**
         * Checks the fields.
         *
         * @throws NullPointerException if any field is null
         */
        public Failure {
            Objects.requireNonNull(container, "container");
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(cause, "cause");
        }
    }

    void start() {
        running.set(true);
        long millis = Math.max(1, interval.toMillis());
        // The first delivered round comes once the first window is complete; the rounds before it
        // only sample, so that each window after it starts near a sample.
        long first = Math.max(millis, tracker.minWindow().toMillis());
        deliverFrom = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(first - millis / 2);
        sampleAll(List.copyOf(containers));
        schedule = threads.scheduler().scheduleAtFixedRate(this::round, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Takes a sample of each container (or opens its stream) on the workers, then clears {@code running}. */
    private void sampleAll(List<String> ids) {
        try {
            CompletableFuture<?>[] primes = ids.stream()
                    .map(id -> CompletableFuture.runAsync(() -> tracker.prime(id, samplesOf(id)), threads.workers()))
                    .toArray(CompletableFuture<?>[]::new);
            CompletableFuture.allOf(primes).whenComplete((v, e) -> running.set(false));
        } catch (RejectedExecutionException e) {
            running.set(false); // the reader is closing
        }
    }

    private SampleWindow samplesOf(String id) {
        return samples.computeIfAbsent(id, x -> new SampleWindow(tracker.minWindow()));
    }

    private void round() {
        if (closed || !running.compareAndSet(false, true)) {
            return;
        }
        List<String> ids = List.copyOf(containers);
        if (System.nanoTime() - deliverFrom < 0) {
            sampleAll(ids);
            return;
        }
        List<CompletableFuture<Object>> reads = new ArrayList<>();
        for (String id : ids) {
            CompletableFuture<Object> read = new CompletableFuture<>();
            attempt(id, read, 0);
            reads.add(read);
        }
        CompletableFuture.allOf(reads.toArray(CompletableFuture<?>[]::new)).whenComplete((v, e) -> {
            try {
                List<LimitsReading> batch = new ArrayList<>(reads.size());
                List<Failure> failed = new ArrayList<>();
                for (int i = 0; i < ids.size(); i++) {
                    Object r = reads.get(i).getNow(null);
                    if (r instanceof LimitsReading reading) {
                        batch.add(reading);
                        recovered(ids.get(i));
                    } else if (r instanceof RuntimeException cause) {
                        failed.add(failed(ids.get(i), cause));
                    }
                }
                synchronized (deliveryLock) {
                    if (!closed) {
                        failures.addAndGet(failed.size());
                        for (Failure f : failed) {
                            report(f);
                        }
                        rounds.incrementAndGet();
                        listener.accept(List.copyOf(batch));
                    }
                }
                if (containers.isEmpty()) {
                    log.debug("every container of this poller is gone; closing it");
                    close();
                }
            } catch (RuntimeException ex) {
                log.warn("stats listener failed", ex);
            } finally {
                running.set(false);
            }
        });
    }

    /**
     * Reads a container on a worker and completes {@code result} with the reading, the failure, or
     * nothing when its window is not complete; a window about to complete is waited for on the
     * scheduler, holding no thread.
     */
    private void attempt(String id, CompletableFuture<Object> result, int tries) {
        try {
            threads.workers().execute(() -> {
                Object r = readOrFailure(id);
                if (r instanceof ContainerTracker.Step step && step.retryAfter() != null) {
                    if (tries < 3 && !closed) {
                        try {
                            threads.scheduler().schedule(() -> attempt(id, result, tries + 1),
                                    step.retryAfter().toNanos(), TimeUnit.NANOSECONDS);
                            return;
                        } catch (RejectedExecutionException e) {
                            // the reader is closing
                        }
                    }
                    r = null;
                }
                result.complete(r);
            });
        } catch (RejectedExecutionException e) {
            result.complete(null); // the reader is closing
        }
    }

    /** A reading, a {@link ContainerTracker.Step} to try again after, a failure, or null (no reading yet). */
    private Object readOrFailure(String id) {
        try {
            ContainerTracker.Step step = tracker.poll(id, new ContainerTracker.Poll(samplesOf(id), slack));
            return step.retryAfter() != null ? step : step.reading();
        } catch (RuntimeException e) {
            return e;
        }
    }

    private Failure failed(String id, RuntimeException cause) {
        boolean gone = cause instanceof DaemonRejectedException r && r.statusCode() == 404;
        if (gone) {
            containers.remove(id);
            samples.remove(id);
            tracker.forget(id);
        }
        return new Failure(id, Instant.now(), cause, gone);
    }

    private void report(Failure f) {
        int inRow = failingRounds.merge(f.container(), 1, Integer::sum);
        if (failureListener != null) {
            try {
                failureListener.accept(f);
            } catch (RuntimeException ex) {
                log.warn("stats failure listener failed", ex);
            }
        } else if (f.dropped()) {
            log.warn("container {} no longer exists; no longer reading it", ContainerNames.shortId(f.container()));
        } else if (inRow == 1) {
            log.warn("cannot read container {}; will keep trying every {}: {}",
                    ContainerNames.shortId(f.container()), interval, f.cause().getMessage());
        } else {
            log.debug("cannot read container {} ({} rounds in a row): {}",
                    ContainerNames.shortId(f.container()), inRow, f.cause().toString());
        }
    }

    private void recovered(String id) {
        Integer inRow = failingRounds.remove(id);
        if (inRow != null && failureListener == null) {
            log.info("container {} is readable again after {} failed round(s)", ContainerNames.shortId(id),
                    inRow);
        }
    }

    /**
     * Returns the containers this poller reads: those given, less those dropped because they no
     * longer exist.
     *
     * @return their ids or names, as given
     */
    public List<String> containers() {
        return List.copyOf(containers);
    }

    /**
     * Returns the time between rounds.
     *
     * @return the interval
     */
    public Duration interval() {
        return interval;
    }

    /**
     * Returns how many batches were delivered so far.
     *
     * @return the number of rounds handed to the listener
     */
    public long rounds() {
        return rounds.get();
    }

    /**
     * Returns how many failed reads were reported so far, over all containers and rounds.
     *
     * @return the number of {@link Failure}s
     */
    public long failures() {
        return failures.get();
    }

    /**
     * Returns whether {@link #close()} was called (or the reader closed, or every container of the
     * poller was removed).
     *
     * @return {@code true} once closed
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Stops the rounds. A round in progress finishes its reads but delivers nothing; once this
     * returns, the listener is not called again. The containers' API streams stay open for other
     * users of the reader until they go idle or the reader closes.
     */
    @Override
    public void close() {
        closed = true;
        ScheduledFuture<?> s = schedule;
        if (s != null) {
            s.cancel(false);
        }
        synchronized (deliveryLock) {
            // Waits for a delivery in progress.
            Objects.requireNonNull(listener);
        }
        onClose.accept(this);
    }
}
