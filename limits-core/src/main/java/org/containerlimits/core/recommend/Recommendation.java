package org.containerlimits.core.recommend;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.policy.LimitsPolicy.Adjustment;

/**
 * Limits for one container, worked out by a {@link Recommender} from its {@link UsageHistory}.
 *
 * <pre>{@code
 * Recommendation r = recommender.recommend(history, current);
 * r.recommended();   // mem_limit=300m,mem_reservation=250m,nano_cpus=1150000000,pids_limit=64
 * r.changes();       // only the fields that differ from current: what `limits update` needs
 * r.notes();         // [CPU held at its limit (0.50 cores) in 97% of the time: ...]
 * }</pre>
 *
 * @param container the container's id or name, as the history names it
 * @param current the limits it has (or, read from a file, had)
 * @param recommended the limits recommended: {@code current} with CPU, memory, memory
 *     reservation, memory+swap and pids worked out, every other field kept
 * @param confidence how much history the recommendation rests on, 0 to 1: VPA's measure, the
 *     lesser of the days of history and the readings over one a minute for a day, capped at 1
 * @param evidence the figures it rests on
 * @param notes why, in sentences: a censored CPU limit, an OOM kill, a minimum or a ceiling applied
 * @param adjustments what a policy's ceilings lowered, empty without a policy
 */
public record Recommendation(String container, ResourceLimits current, ResourceLimits recommended, double confidence,
        Evidence evidence, List<String> notes, List<Adjustment> adjustments) {

    /**
     * Creates the record; no reference may be null.
     *
     * @param container container
     * @param current current limits
     * @param recommended recommended limits
     * @param confidence confidence, 0 to 1
     * @param evidence evidence
     * @param notes notes
     * @param adjustments policy adjustments
     */
    public Recommendation {
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(recommended, "recommended");
        Objects.requireNonNull(evidence, "evidence");
        notes = List.copyOf(notes);
        adjustments = List.copyOf(adjustments);
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("confidence " + confidence + " must be between 0 and 1");
        }
    }

    /**
     * Returns the fields whose recommended value differs from the current one: what a live update
     * ({@code limits update}, {@code docker update}) must send. Memory travels with memory+swap and
     * the reservation when either changes, because the daemon checks them against each other.
     *
     * @return the changes, {@link ResourceLimits#none()} when the current limits are already right
     */
    public ResourceLimits changes() {
        Map<String, Object> now = current.toDockerPy();
        Map<String, Object> next = recommended.toDockerPy();
        Map<String, Object> changed = new java.util.LinkedHashMap<>();
        next.forEach((key, value) -> {
            if (!value.equals(now.get(key))) {
                changed.put(key, value);
            }
        });
        boolean memory = changed.containsKey("mem_limit") || changed.containsKey("memswap_limit")
                || changed.containsKey("mem_reservation");
        if (memory) {
            for (String key : List.of("mem_limit", "memswap_limit", "mem_reservation")) {
                if (next.containsKey(key)) {
                    changed.put(key, next.get(key));
                }
            }
        }
        if (changed.containsKey("cpu_quota") || changed.containsKey("cpu_period")) {
            for (String key : List.of("cpu_quota", "cpu_period")) {
                if (next.containsKey(key)) {
                    changed.put(key, next.get(key));
                }
            }
        }
        return ResourceLimits.fromDockerPy(changed);
    }
}
