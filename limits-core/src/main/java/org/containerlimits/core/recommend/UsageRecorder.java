package org.containerlimits.core.recommend;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.containerlimits.core.usage.LimitsReading;

/**
 * The {@link UsageHistory} of every container a poller reads, in bounded memory: hand it to
 * {@code StatsReader.poll} as the listener and each batch's readings go to their containers'
 * histories; {@link #record(String, LimitsReading)} files a reading under another name, such as all
 * the task containers of one Swarm service under the service's.
 *
 * <pre>{@code
 * UsageRecorder recorder = new UsageRecorder(Recommender.defaults());
 * try (StatsPoller poller = reader.poll(containers, Duration.ofSeconds(10), recorder)) {
 *     ... hours later
 *     for (UsageHistory h : recorder.histories()) {
 *         recommender.recommend(h, DockerLimits.of(client).read(h.container()));
 *     }
 * }
 * // A service's tasks, one history:
 * reader.readService("jupyter-alice").tasks().forEach(t -> recorder.record("jupyter-alice", t));
 * }</pre>
 *
 * <p>Each history is constant in size; the recorder keeps at most {@code maxHistories} of them
 * (a hub's containers come and go), dropping the one recorded to least recently when a new one
 * would pass the bound, and counts what it dropped ({@link #dropped()}). Thread-safe.
 */
public final class UsageRecorder implements Consumer<List<LimitsReading>> {

    /** The histories a recorder keeps unless told otherwise. */
    public static final int DEFAULT_MAX_HISTORIES = 10_000;

    private final Recommender recommender;
    private final int maxHistories;
    private final Map<String, UsageHistory> histories;
    private long dropped;

    /**
     * Creates a recorder of at most {@value #DEFAULT_MAX_HISTORIES} histories.
     *
     * @param recommender whose half-lives and memory window new histories get
     */
    public UsageRecorder(Recommender recommender) {
        this(recommender, DEFAULT_MAX_HISTORIES);
    }

    /**
     * Creates a recorder.
     *
     * @param recommender whose half-lives and memory window new histories get
     * @param maxHistories the most histories kept, at least 1
     */
    public UsageRecorder(Recommender recommender, int maxHistories) {
        this.recommender = Objects.requireNonNull(recommender, "recommender");
        if (maxHistories < 1) {
            throw new IllegalArgumentException("maxHistories " + maxHistories + " must be at least 1");
        }
        this.maxHistories = maxHistories;
        this.histories = new LinkedHashMap<>(16, 0.75f, true);
    }

    /**
     * Records a poller's batch: each reading into its container's history.
     *
     * @param batch the readings
     */
    @Override
    public void accept(List<LimitsReading> batch) {
        for (LimitsReading r : batch) {
            record(r.container(), r);
        }
    }

    /**
     * Records a reading into the history of {@code name}, made if there is none.
     *
     * @param name the history's name: the container's, or a service's for its tasks' readings
     * @param reading the reading
     * @return whether it was recorded (not a repeat of a reading already there)
     */
    public boolean record(String name, LimitsReading reading) {
        return historyFor(name).record(reading);
    }

    /**
     * Returns the history of {@code name}, made empty if there is none.
     *
     * @param name the history's name
     * @return the history
     */
    public synchronized UsageHistory historyFor(String name) {
        Objects.requireNonNull(name, "name");
        UsageHistory h = histories.get(name);
        if (h == null) {
            h = recommender.newHistory(name);
            put(h);
        }
        return h;
    }

    /**
     * Adds a restored history, replacing one of the same name.
     *
     * @param checkpoint the history as data
     * @return the history
     */
    public synchronized UsageHistory restore(HistoryCheckpoint checkpoint) {
        UsageHistory h = recommender.restore(checkpoint);
        histories.remove(h.container());
        put(h);
        return h;
    }

    private void put(UsageHistory h) {
        if (histories.size() == maxHistories) {
            String eldest = histories.keySet().iterator().next();
            histories.remove(eldest);
            dropped++;
        }
        histories.put(h.container(), h);
    }

    /**
     * Returns the history of {@code name}, without making one.
     *
     * @param name the history's name
     * @return the history, empty when none
     */
    public synchronized Optional<UsageHistory> history(String name) {
        return Optional.ofNullable(histories.get(name));
    }

    /**
     * Returns every history kept, the least recently recorded to first.
     *
     * @return a copy
     */
    public synchronized List<UsageHistory> histories() {
        return new ArrayList<>(histories.values());
    }

    /**
     * Returns how many histories were dropped to keep within the bound.
     *
     * @return the count
     */
    public synchronized long dropped() {
        return dropped;
    }
}
