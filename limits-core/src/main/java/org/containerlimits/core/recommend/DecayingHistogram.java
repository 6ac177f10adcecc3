package org.containerlimits.core.recommend;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A histogram of weighted samples whose weights halve every half-life, so that recent usage counts
 * more than old: the estimator of the Kubernetes Vertical Pod Autoscaler's recommender
 * ({@code pkg/recommender/util/decaying_histogram.go}), with its bucket layout.
 *
 * <p><b>Buckets</b> grow exponentially: bucket {@code i} starts at
 * {@code firstBucketSize * (ratio^i - 1) / (ratio - 1)}, with a ratio of 1.05, so each bucket is 5%
 * wider than the one before and a percentile is exact to about 5%. CPU
 * ({@link #forCpu}) starts at 0.01 cores and ends at 1,000; memory ({@link #forMemory}) starts at
 * 10 MB and ends at 1 TB; values beyond the last bucket fall into it. {@link #percentile} answers
 * with the end of the bucket that holds the percentile, as VPA does: never below the samples it
 * stands for.
 *
 * <p><b>Decay.</b> A sample taken at {@code t} weighs {@code weight * 2^((t - reference) / halfLife)}:
 * instead of shrinking every old weight as time passes, new samples are made heavier, and the
 * reference moves forward (all weights scaled down together) before the factors grow too large for
 * a double. Only ratios of weights matter to a percentile, so the two are the same.
 *
 * <pre>{@code
 * DecayingHistogram cpu = DecayingHistogram.forCpu(Duration.ofHours(24));
 * cpu.add(0.25, 1.0, Instant.parse("2026-11-30T10:00:00Z"));
 * cpu.add(0.50, 1.0, Instant.parse("2026-11-30T10:00:01Z"));
 * cpu.percentile(0.9);   // 0.5067..., the end of the bucket holding 0.5
 * }</pre>
 *
 * <p>Mutable, and not thread-safe: {@link UsageHistory} guards its own.
 */
public final class DecayingHistogram {

    /** A bucket's width over the previous one's: 5%, VPA's choice. */
    static final double RATIO = 1.05;
    /** A bucket left with less than this share of the weight just taken from it is empty (VPA's epsilon). */
    static final double EPSILON = 1e-4;
    /** The largest exponent of 2 a decay factor may reach before the reference moves (VPA's). */
    private static final double MAX_DECAY_EXPONENT = 100;

    private final Kind kind;
    private final Duration halfLife;
    private final double[] weights;
    private double totalWeight;
    private Instant reference;

    /** What a histogram's values are, which fixes its buckets. */
    public enum Kind {
        /** Cores: first bucket 0.01 cores wide, last from about 1,000 cores. */
        CPU(0.01, 1000.0),
        /** Bytes: first bucket 10^7 bytes wide, last from about 10^12 bytes. */
        MEMORY(1e7, 1e12);

        final double firstBucketSize;
        final int buckets;

        Kind(double firstBucketSize, double maxValue) {
            this.firstBucketSize = firstBucketSize;
            this.buckets = (int) Math.ceil(Math.log(maxValue * (RATIO - 1) / firstBucketSize + 1) / Math.log(RATIO)) + 1;
        }

        /**
         * Returns where a bucket starts.
         *
         * @param bucket the bucket's index, from 0
         * @return its first value
         */
        public double bucketStart(int bucket) {
            return firstBucketSize * (Math.pow(RATIO, bucket) - 1) / (RATIO - 1);
        }

        /**
         * Returns the bucket a value falls into.
         *
         * @param value the value; negative values fall into the first bucket
         * @return the bucket's index
         */
        public int bucketOf(double value) {
            if (!(value >= firstBucketSize)) {
                return 0;
            }
            int bucket = (int) Math.floor(Math.log(value * (RATIO - 1) / firstBucketSize + 1) / Math.log(RATIO));
            // The logarithm can land one off at a bucket's edge; the starts decide.
            while (bucket > 0 && bucketStart(bucket) > value) {
                bucket--;
            }
            while (bucket + 1 < buckets && bucketStart(bucket + 1) <= value) {
                bucket++;
            }
            return Math.min(bucket, buckets - 1);
        }

        /**
         * Returns how many buckets a histogram of this kind has.
         *
         * @return the count
         */
        public int buckets() {
            return buckets;
        }
    }

    private DecayingHistogram(Kind kind, Duration halfLife, Instant reference, double[] weights) {
        this.kind = kind;
        this.halfLife = halfLife;
        this.reference = reference;
        this.weights = weights;
        this.totalWeight = Arrays.stream(weights).sum();
    }

    /**
     * Creates an empty histogram of CPU cores.
     *
     * @param halfLife how long until a sample weighs half as much, positive
     * @return the histogram
     */
    public static DecayingHistogram forCpu(Duration halfLife) {
        return empty(Kind.CPU, halfLife);
    }

    /**
     * Creates an empty histogram of memory bytes.
     *
     * @param halfLife how long until a sample weighs half as much, positive
     * @return the histogram
     */
    public static DecayingHistogram forMemory(Duration halfLife) {
        return empty(Kind.MEMORY, halfLife);
    }

    /**
     * Creates an empty histogram.
     *
     * @param kind what its values are
     * @param halfLife how long until a sample weighs half as much, positive
     * @return the histogram
     */
    public static DecayingHistogram empty(Kind kind, Duration halfLife) {
        return new DecayingHistogram(Objects.requireNonNull(kind, "kind"), positive(halfLife), Instant.EPOCH,
                new double[kind.buckets]);
    }

    /**
     * Restores a histogram from its {@linkplain #bucketWeights() bucket weights} and
     * {@linkplain #reference() reference}, as a history file keeps them.
     *
     * @param kind what its values are
     * @param halfLife its half-life, positive
     * @param reference the instant its weights are relative to
     * @param bucketWeights each non-empty bucket's weight, by index
     * @return the histogram
     * @throws IllegalArgumentException if an index is outside the kind's buckets or a weight is
     *     negative, infinite or NaN
     */
    public static DecayingHistogram restore(Kind kind, Duration halfLife, Instant reference,
            Map<Integer, Double> bucketWeights) {
        double[] weights = new double[kind.buckets];
        for (Map.Entry<Integer, Double> e : bucketWeights.entrySet()) {
            int bucket = e.getKey();
            double weight = e.getValue();
            if (bucket < 0 || bucket >= kind.buckets) {
                throw new IllegalArgumentException("bucket " + bucket + ": a " + kind + " histogram has buckets 0 to "
                        + (kind.buckets - 1));
            }
            if (!(weight >= 0) || Double.isInfinite(weight)) {
                throw new IllegalArgumentException("bucket " + bucket + ": weight " + weight
                        + " must be a finite number of at least 0");
            }
            weights[bucket] = weight;
        }
        return new DecayingHistogram(kind, positive(halfLife), Objects.requireNonNull(reference, "reference"), weights);
    }

    /**
     * Adds a sample.
     *
     * @param value the value, in cores or bytes
     * @param weight its weight before decay, at least 0
     * @param time when it was taken
     */
    public void add(double value, double weight, Instant time) {
        change(value, weight, time);
    }

    /**
     * Takes back a sample added before with the same value, weight and time (how a peak that grew
     * replaces the smaller peak of the same window). Weights never go below zero.
     *
     * @param value the value
     * @param weight its weight
     * @param time its time
     */
    public void subtract(double value, double weight, Instant time) {
        change(value, -weight, time);
    }

    private void change(double value, double weight, Instant time) {
        if (Double.isNaN(value) || !Double.isFinite(weight)) {
            throw new IllegalArgumentException("sample " + value + " with weight " + weight + " is not a number");
        }
        Objects.requireNonNull(time, "time");
        double exponent = exponent(time);
        if (exponent > MAX_DECAY_EXPONENT) {
            moveReference(time);
            exponent = exponent(time);
        }
        int bucket = kind.bucketOf(value);
        double decayed = weight * Math.pow(2, exponent);
        double before = weights[bucket];
        weights[bucket] = before + decayed;
        if (weights[bucket] < EPSILON * Math.abs(decayed)) {
            // What a subtraction leaves is rounding, not weight (VPA's epsilon, relative here
            // because weights are relative to a moving reference).
            weights[bucket] = 0;
        }
        totalWeight = Math.max(0, totalWeight + weights[bucket] - before);
    }

    private double exponent(Instant time) {
        return (double) Duration.between(reference, time).toMillis() / halfLife.toMillis();
    }

    /** Moves the reference to {@code time}, rounded down to a whole half-life, scaling the weights to match. */
    private void moveReference(Instant time) {
        long halfLives = Duration.between(Instant.EPOCH, time).toMillis() / halfLife.toMillis();
        Instant next = Instant.EPOCH.plusMillis(halfLives * halfLife.toMillis());
        double scale = Math.pow(2, -(double) Duration.between(reference, next).toMillis() / halfLife.toMillis());
        totalWeight = 0;
        for (int i = 0; i < weights.length; i++) {
            weights[i] *= scale;
            totalWeight += weights[i];
        }
        reference = next;
    }

    /**
     * Returns the value below which the given share of the weight lies: the end of the bucket where
     * the running sum of weights first reaches it (the start of the last bucket, which has no end).
     *
     * @param share between 0 and 1, such as 0.9 for the 90th percentile
     * @return the value, or 0 for an empty histogram
     */
    public double percentile(double share) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("percentile " + share + " must be between 0 and 1");
        }
        if (isEmpty()) {
            return 0;
        }
        double threshold = share * totalWeight;
        double sum = 0;
        int last = lastBucket();
        int bucket = firstBucket();
        for (; bucket < last; bucket++) {
            sum += weights[bucket];
            if (sum >= threshold) {
                break;
            }
        }
        return bucket < kind.buckets - 1 ? kind.bucketStart(bucket + 1) : kind.bucketStart(bucket);
    }

    private int firstBucket() {
        int i = 0;
        while (i < weights.length - 1 && weights[i] == 0) {
            i++;
        }
        return i;
    }

    private int lastBucket() {
        int i = weights.length - 1;
        while (i > 0 && weights[i] == 0) {
            i--;
        }
        return i;
    }

    /**
     * Returns whether the histogram holds no weight worth counting.
     *
     * @return {@code true} when empty
     */
    public boolean isEmpty() {
        for (double w : weights) {
            if (w > 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns what the histogram's values are.
     *
     * @return its kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * Returns its half-life.
     *
     * @return the half-life
     */
    public Duration halfLife() {
        return halfLife;
    }

    /**
     * Returns the instant the weights are relative to (a sample taken then weighs its own weight).
     *
     * @return the reference
     */
    public Instant reference() {
        return reference;
    }

    /**
     * Returns the weight of each non-empty bucket, by index, relative to {@link #reference()}.
     *
     * @return an unmodifiable sorted map
     */
    public Map<Integer, Double> bucketWeights() {
        TreeMap<Integer, Double> map = new TreeMap<>();
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] > 0) {
                map.put(i, weights[i]);
            }
        }
        return Collections.unmodifiableSortedMap(map);
    }

    private static Duration positive(Duration halfLife) {
        Objects.requireNonNull(halfLife, "halfLife");
        if (halfLife.toMillis() < 1) {
            throw new IllegalArgumentException("half-life " + halfLife + " must be at least 1 ms");
        }
        return halfLife;
    }

    @Override
    public String toString() {
        return kind + " histogram, half-life " + halfLife + ", " + bucketWeights().size() + " buckets in use";
    }
}
