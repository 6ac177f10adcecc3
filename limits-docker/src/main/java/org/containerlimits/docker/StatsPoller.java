package org.containerlimits.docker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.containerlimits.core.LimitsReading;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a set of containers at a fixed interval, all of them concurrently on the
 * {@link StatsReader}'s small thread pool, and hands each round's readings to a listener as one
 * batch, in the order the containers were given. Made by {@link StatsReader#poll} and
 * {@link StatsReader#stream}.
 *
 * <p>Each reading covers the time since the previous round (the first round's, since the poller
 * started: it samples every container once when it starts). A round that is still running when the
 * next is due makes that one be skipped, never run twice at once. A container that cannot be read
 * (removed, say) is left out of its round's batch and logged. The listener runs on a pool thread,
 * one round at a time; it should return quickly.
 *
 * <p>{@link #close()} stops the rounds; no batch is delivered after it returns, and closing the
 * reader closes its pollers. Thread-safe.
 */
public final class StatsPoller implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StatsPoller.class);

    private final StatsReader reader;
    private final List<String> containers;
    private final Duration interval;
    private final Consumer<? super List<LimitsReading>> listener;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong rounds = new AtomicLong();
    private final Object deliveryLock = new Object();
    private volatile boolean closed;
    private volatile ScheduledFuture<?> schedule;

    StatsPoller(StatsReader reader, Collection<String> containers, Duration interval,
            Consumer<? super List<LimitsReading>> listener) {
        this.reader = reader;
        this.containers = new CopyOnWriteArrayList<>(containers);
        this.interval = interval;
        this.listener = listener;
    }

    void start() {
        running.set(true);
        CompletableFuture<?>[] primes = containers.stream()
                .map(id -> CompletableFuture.runAsync(() -> reader.prime(id), reader.workers()))
                .toArray(CompletableFuture<?>[]::new);
        CompletableFuture.allOf(primes).whenComplete((v, e) -> running.set(false));
        long millis = Math.max(1, interval.toMillis());
        schedule = reader.scheduler().scheduleAtFixedRate(this::round, millis, millis, TimeUnit.MILLISECONDS);
    }

    private void round() {
        if (closed || !running.compareAndSet(false, true)) {
            return;
        }
        List<CompletableFuture<Optional<LimitsReading>>> reads = new ArrayList<>();
        for (String id : containers) {
            reads.add(CompletableFuture.supplyAsync(() -> readQuietly(id), reader.workers()));
        }
        CompletableFuture.allOf(reads.toArray(CompletableFuture<?>[]::new)).whenComplete((v, e) -> {
            try {
                List<LimitsReading> batch = new ArrayList<>(reads.size());
                for (CompletableFuture<Optional<LimitsReading>> f : reads) {
                    f.getNow(Optional.empty()).ifPresent(batch::add);
                }
                synchronized (deliveryLock) {
                    if (!closed) {
                        rounds.incrementAndGet();
                        listener.accept(List.copyOf(batch));
                    }
                }
            } catch (RuntimeException ex) {
                log.warn("stats listener failed", ex);
            } finally {
                running.set(false);
            }
        });
    }

    private Optional<LimitsReading> readQuietly(String id) {
        try {
            return Optional.of(reader.readForRound(id));
        } catch (RuntimeException e) {
            log.debug("cannot read container {}: {}", LimitsMismatchException.shortId(id), e.toString());
            return Optional.empty();
        }
    }

    /**
     * Returns the containers this poller reads.
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
     * Returns whether {@link #close()} was called (or the reader closed).
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
        reader.removed(this);
    }
}
