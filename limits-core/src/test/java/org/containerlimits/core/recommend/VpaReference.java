package org.containerlimits.core.recommend;

import java.time.Duration;
import java.time.Instant;
import java.util.TreeMap;

/**
 * VPA's published formula, written from its description and nothing of this library: an
 * exponential histogram (first bucket 0.01 cores or 10^7 bytes, each bucket 5% wider), every
 * sample weighted by {@code 2^(age from the first sample / half-life)}, the percentile read as the
 * end of the bucket the running weight reaches it in, times 1 + the 15% margin, at least 25
 * millicores or 250 MiB. Fed the same samples as {@link Recommender}, it says where the two agree
 * (uncensored usage) and differ (censored).
 */
final class VpaReference {
    private final double firstBucket;
    private final Duration halfLife;
    private final TreeMap<Integer, Double> weights = new TreeMap<>();
    private Instant origin;

    VpaReference(double firstBucket, Duration halfLife) {
        this.firstBucket = firstBucket;
        this.halfLife = halfLife;
    }

    static VpaReference cpu() {
        return new VpaReference(0.01, Duration.ofHours(24));
    }

    static VpaReference memory() {
        return new VpaReference(1e7, Duration.ofHours(24));
    }

    void add(double value, double weight, Instant time) {
        if (origin == null) {
            origin = time;
        }
        int bucket = value < firstBucket ? 0 : (int) Math.floor(Math.log(value * 0.05 / firstBucket + 1) / Math.log(1.05));
        while (start(bucket + 1) <= value) {
            bucket++;
        }
        while (bucket > 0 && start(bucket) > value) {
            bucket--;
        }
        double decayed = weight * Math.pow(2, (double) Duration.between(origin, time).toMillis() / halfLife.toMillis());
        weights.merge(bucket, decayed, Double::sum);
    }

    private double start(int bucket) {
        return firstBucket * (Math.pow(1.05, bucket) - 1) / 0.05;
    }

    double percentile(double p) {
        double total = weights.values().stream().mapToDouble(Double::doubleValue).sum();
        double sum = 0;
        for (var e : weights.entrySet()) {
            sum += e.getValue();
            if (sum >= p * total) {
                return start(e.getKey() + 1);
            }
        }
        return start(weights.lastKey() + 1);
    }

    /** VPA's CPU target: the 90th percentile plus 15%, at least 25 millicores. */
    double cpuTargetCores() {
        return Math.max(0.025, percentile(0.9) * 1.15);
    }

    /** VPA's memory target: the 90th percentile of peaks plus 15%, at least 250 MiB. */
    double memoryTargetBytes() {
        return Math.max(250.0 * 1024 * 1024, percentile(0.9) * 1.15);
    }
}
