package org.containerlimits.core.policy;

import org.containerlimits.core.CpuLimit;
import org.containerlimits.core.CpuSet;
import org.containerlimits.core.InvalidLimitsException;
import org.containerlimits.core.Limit;
import org.containerlimits.core.MemorySize;
import org.containerlimits.core.PidsLimit;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.SwapLimit;
import org.containerlimits.core.Violation;


import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a spawner grants: defaults, named profiles and ceilings, applied to what a user asks for.
 *
 * <pre>{@code
 * LimitsPolicy policy = LimitsPolicy.builder()
 *         .defaults(ResourceLimits.parse("mem_limit=1g,nano_cpus=1000000000"))
 *         .profile("large", ResourceLimits.parse("mem_limit=4g,nano_cpus=2000000000"))
 *         .maxMemory(MemorySize.parse("4g"))
 *         .maxCpu(CpuLimit.parse("2"))
 *         .build();
 * policy.resolve(ResourceLimits.parse("mem_limit=8g"));            // PolicyViolationException: mem_limit = 8g ...
 * policy.withMode(Mode.CLAMP).resolve(ResourceLimits.parse("mem_limit=8g")).limits();   // mem_limit=4g,nano_cpus=...
 * policy.resolve(ResourceLimits.none(), "large").limits();         // mem_limit=4g,nano_cpus=2000000000
 * }</pre>
 *
 * <p><b>Precedence.</b> A resolution takes each field from the request when the request sets it,
 * else from the profile, else from the defaults. Memory and memory+swap travel together: they
 * come from the first of those layers that sets either, because a swap total only means something
 * beside the memory it was written for. The CPU limit is one field whatever its form (quota/period,
 * nano-CPUs or percent).
 *
 * <p><b>Ceilings</b> are then checked on the result. Memory and CPU that are not set are unlimited,
 * which is above any ceiling; so are a pids limit of {@code -1} and unlimited swap. Memory+swap not
 * set is the daemon's default, twice the memory. CPU is compared in cores whatever the form of the
 * request: {@code cpu_quota=300000,cpu_period=100000} is 3 cores. CPU shares and shm size are
 * compared only when set (unset, they are the daemon's defaults of 1024 and 64m); a cpuset must be
 * a subset of the allowed CPUs, when set.
 *
 * <p><b>Modes.</b> {@link Mode#REJECT} throws a {@link PolicyViolationException} naming every field
 * above its ceiling. {@link Mode#CLAMP} lowers each to its ceiling and reports every change as an
 * {@link Adjustment}; a CPU limit keeps its form (a quota is lowered at the same period, rounded
 * down), and a memory reservation above the clamped memory is lowered to it. A cpuset outside the
 * allowed CPUs cannot be clamped (which CPUs to give up is the user's choice) and is refused in
 * both modes. The result always passes {@link ResourceLimits}' own validation.
 *
 * <p>Immutable and thread-safe.
 */
public final class LimitsPolicy {

    /** What a resolution does with a field above its ceiling. */
    public enum Mode {
        /** Refuses the request, naming every field above its ceiling. */
        REJECT,
        /** Lowers each such field to its ceiling and reports it. */
        CLAMP
    }

    /**
     * One value a {@link Mode#CLAMP} resolution lowered.
     *
     * @param field the field's docker-py keyword
     * @param requested what the request (or its profile or the defaults) gave, as text
     *     ({@code unlimited} when not set)
     * @param granted what the resolution grants instead
     * @param rule why
     */
    public record Adjustment(String field, String requested, String granted, String rule) {
        /**
         * Creates an adjustment; no argument may be null.
         *
         * @param field the field
         * @param requested the requested value
         * @param granted the granted value
         * @param rule the rule
         */
        public Adjustment {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(requested, "requested");
            Objects.requireNonNull(granted, "granted");
            Objects.requireNonNull(rule, "rule");
        }

        /**
         * Returns {@code field: requested -> granted (rule)}.
         *
         * @return the adjustment as one line
         */
        @Override
        public String toString() {
            return field + ": " + requested + " -> " + granted + " (" + rule + ")";
        }
    }

    /**
     * The limits a resolution grants, and what it lowered to grant them.
     *
     * @param limits the limits to apply
     * @param adjustments every value lowered; empty in {@link Mode#REJECT} and when nothing was
     */
    public record Resolution(ResourceLimits limits, List<Adjustment> adjustments) {
        /**
         * Creates a resolution.
         *
         * @param limits the limits
         * @param adjustments the adjustments, copied
         */
        public Resolution {
            Objects.requireNonNull(limits, "limits");
            adjustments = List.copyOf(adjustments);
        }

        /**
         * Whether anything was lowered.
         *
         * @return true when the request was granted as asked
         */
        public boolean isAsRequested() {
            return adjustments.isEmpty();
        }
    }

    private final ResourceLimits defaults;
    private final Map<String, ResourceLimits> profiles;
    private final Mode mode;
    private final MemorySize maxMemory;
    private final MemorySize maxMemoryPlusSwap;
    private final CpuLimit maxCpu;
    private final Long maxPids;
    private final Integer maxCpuShares;
    private final MemorySize maxShmSize;
    private final CpuSet allowedCpus;

    private LimitsPolicy(Builder b, Mode mode) {
        this.defaults = b.defaults;
        this.profiles = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.profiles));
        this.mode = mode;
        this.maxMemory = b.maxMemory;
        this.maxMemoryPlusSwap = b.maxMemoryPlusSwap;
        this.maxCpu = b.maxCpu;
        this.maxPids = b.maxPids;
        this.maxCpuShares = b.maxCpuShares;
        this.maxShmSize = b.maxShmSize;
        this.allowedCpus = b.allowedCpus;
    }

    /**
     * Starts a policy: no defaults, no profiles, no ceilings, {@link Mode#REJECT}.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns this policy in another mode.
     *
     * @param mode the mode
     * @return a policy with the same defaults, profiles and ceilings
     */
    public LimitsPolicy withMode(Mode mode) {
        Builder b = new Builder();
        b.defaults = defaults;
        b.profiles = profiles;
        b.maxMemory = maxMemory;
        b.maxMemoryPlusSwap = maxMemoryPlusSwap;
        b.maxCpu = maxCpu;
        b.maxPids = maxPids;
        b.maxCpuShares = maxCpuShares;
        b.maxShmSize = maxShmSize;
        b.allowedCpus = allowedCpus;
        return new LimitsPolicy(b, Objects.requireNonNull(mode, "mode"));
    }

    /**
     * The mode.
     *
     * @return what a resolution does with a field above its ceiling
     */
    public Mode mode() {
        return mode;
    }

    /**
     * The names of the profiles.
     *
     * @return the names, in the order they were added
     */
    public List<String> profileNames() {
        return List.copyOf(profiles.keySet());
    }

    /**
     * Resolves a request over the defaults, with no profile.
     *
     * @param request what the user asks for; {@link ResourceLimits#none()} for nothing
     * @return the limits to apply, and what was lowered
     * @throws PolicyViolationException in {@link Mode#REJECT}, naming every field above its ceiling;
     *     in both modes, for a cpuset outside the allowed CPUs
     */
    public Resolution resolve(ResourceLimits request) {
        return resolve(request, null);
    }

    /**
     * Resolves a request over a profile over the defaults.
     *
     * @param request what the user asks for; {@link ResourceLimits#none()} for nothing
     * @param profile the profile's name, or null for none
     * @return the limits to apply, and what was lowered
     * @throws InvalidLimitsException naming an unknown profile and the known ones
     * @throws PolicyViolationException in {@link Mode#REJECT}, naming every field above its ceiling;
     *     in both modes, for a cpuset outside the allowed CPUs
     */
    public Resolution resolve(ResourceLimits request, String profile) {
        Objects.requireNonNull(request, "request");
        ResourceLimits profileLimits = ResourceLimits.none();
        if (profile != null) {
            profileLimits = profiles.get(profile);
            if (profileLimits == null) {
                throw InvalidLimitsException.of("profile", profile, "unknown profile; this policy has "
                        + (profiles.isEmpty() ? "none" : String.join(", ", profiles.keySet())));
            }
        }
        return check(merge(List.of(request, profileLimits, defaults)));
    }

    /**
     * Field by field, the first layer that sets it; memory and memory+swap together. The layers
     * are laid over each other from the bottom (defaults) up, each taking whatever it sets.
     */
    private static ResourceLimits merge(List<ResourceLimits> layers) {
        ResourceLimits.Builder b = ResourceLimits.builder();
        for (int i = layers.size() - 1; i >= 0; i--) {
            ResourceLimits layer = layers.get(i);
            if (layer.memory().isPresent() || layer.memorySwap().isPresent()) {
                b.memory(null).memorySwap(null);
            }
            b.overlay(layer);
        }
        return b.build();
    }

    private Resolution check(ResourceLimits merged) {
        List<Violation> over = new ArrayList<>();
        List<Violation> refused = new ArrayList<>();
        List<Adjustment> adjustments = new ArrayList<>();
        ResourceLimits.Builder b = merged.toBuilder();

        MemorySize memory = merged.memory().orElse(null);
        if (maxMemory != null && (memory == null || memory.compareTo(maxMemory) > 0)) {
            over.add(new Violation(Limit.MEMORY.keyword(), text(memory), "must be at most " + maxMemory + ", the policy's ceiling"));
            adjustments.add(new Adjustment(Limit.MEMORY.keyword(), text(memory), maxMemory.toString(), "the policy's ceiling"));
            memory = maxMemory;
            b.memory(memory);
        }
        if (maxMemoryPlusSwap != null) {
            Optional<SwapLimit> swap = merged.memorySwap();
            // Not set: the daemon gives twice the memory; unlimited memory has unlimited swap.
            MemorySize total = swap.isPresent() ? swap.get().memoryPlusSwap().orElse(null)
                    : merged.memory().isPresent() ? merged.memory().get().plus(merged.memory().get()) : null;
            if (total == null || total.compareTo(maxMemoryPlusSwap) > 0) {
                String asked = swap.isPresent() ? swap.get().toString() : total == null ? "unlimited"
                        : "unset (twice the memory: " + total + ")";
                over.add(new Violation(Limit.MEMORY_SWAP.keyword(), asked,
                        "memory+swap must be at most " + maxMemoryPlusSwap + ", the policy's ceiling"));
                adjustments.add(new Adjustment(Limit.MEMORY_SWAP.keyword(), asked, maxMemoryPlusSwap.toString(),
                        "the policy's memory+swap ceiling"));
                b.memorySwap(SwapLimit.of(maxMemoryPlusSwap));
            }
        }
        Optional<MemorySize> reservation = merged.memoryReservation();
        if (reservation.isPresent() && memory != null && reservation.get().compareTo(memory) > 0
                && merged.memory().map(m -> m.compareTo(reservation.get()) >= 0).orElse(true)) {
            // Only a clamped memory makes a valid request's reservation too large: lowered with it.
            adjustments.add(new Adjustment(Limit.MEMORY_RESERVATION.keyword(), reservation.get().toString(), memory.toString(),
                    "at most the memory limit, which was lowered"));
            b.memoryReservation(memory);
        }
        Optional<CpuLimit> cpu = merged.cpu();
        if (maxCpu != null && (cpu.isEmpty() || cpu.get().cores().compareTo(maxCpu.cores()) > 0)) {
            String asked = cpu.map(c -> c + " (" + c.cores().stripTrailingZeros().toPlainString() + " cores)")
                    .orElse("unlimited");
            CpuLimit granted = cpu.isPresent() && cpu.get().isQuotaForm()
                    ? CpuLimit.ofQuota(maxCpu.quotaMicros(cpu.get().cfsPeriodMicros().getAsLong()),
                            cpu.get().cfsPeriodMicros().getAsLong())
                    : CpuLimit.ofNanoCpus(maxCpu.toNanoCpus());
            String field = cpu.isPresent() && cpu.get().isQuotaForm() ? Limit.CPU_QUOTA.keyword() : Limit.NANO_CPUS.keyword();
            over.add(new Violation(field, asked, "must be at most " + cores(maxCpu.cores())
                    + " cores, the policy's ceiling"));
            adjustments.add(new Adjustment(field, asked, granted.toString(), "the policy's ceiling of "
                    + cores(maxCpu.cores()) + " cores"));
            b.cpu(granted);
        }
        if (maxPids != null) {
            Optional<PidsLimit> pids = merged.pidsLimit();
            OptionalLong max = pids.map(PidsLimit::max).orElse(OptionalLong.empty());
            if (max.isEmpty() || max.getAsLong() > maxPids) {
                String asked = pids.map(PidsLimit::toString).orElse("unlimited");
                over.add(new Violation(Limit.PIDS_LIMIT.keyword(), asked, "must be at most " + maxPids + ", the policy's ceiling"));
                adjustments.add(new Adjustment(Limit.PIDS_LIMIT.keyword(), asked, Long.toString(maxPids), "the policy's ceiling"));
                b.pidsLimit(PidsLimit.of(maxPids));
            }
        }
        if (maxCpuShares != null && merged.cpuShares().isPresent() && merged.cpuShares().getAsInt() > maxCpuShares) {
            String asked = Integer.toString(merged.cpuShares().getAsInt());
            over.add(new Violation(Limit.CPU_SHARES.keyword(), asked, "must be at most " + maxCpuShares + ", the policy's ceiling"));
            adjustments.add(new Adjustment(Limit.CPU_SHARES.keyword(), asked, maxCpuShares.toString(), "the policy's ceiling"));
            b.cpuShares(maxCpuShares);
        }
        if (maxShmSize != null && merged.shmSize().filter(s -> s.compareTo(maxShmSize) > 0).isPresent()) {
            String asked = merged.shmSize().get().toString();
            over.add(new Violation(Limit.SHM_SIZE.keyword(), asked, "must be at most " + maxShmSize + ", the policy's ceiling"));
            adjustments.add(new Adjustment(Limit.SHM_SIZE.keyword(), asked, maxShmSize.toString(), "the policy's ceiling"));
            b.shmSize(maxShmSize);
        }
        if (allowedCpus != null && merged.cpusetCpus().filter(s -> !s.isSubsetOf(allowedCpus)).isPresent()) {
            refused.add(new Violation(Limit.CPUSET_CPUS.keyword(), merged.cpusetCpus().get().toString(),
                    "must be within " + allowedCpus + ", the CPUs the policy allows (a cpuset is not clamped)"));
        }

        if (mode == Mode.REJECT && !over.isEmpty()) {
            over.addAll(refused);
            throw new PolicyViolationException(over);
        }
        if (!refused.isEmpty()) {
            throw new PolicyViolationException(refused);
        }
        return new Resolution(mode == Mode.REJECT ? merged : b.build(), mode == Mode.REJECT ? List.of() : adjustments);
    }

    private static String text(MemorySize m) {
        return m == null ? "unlimited" : m.toString();
    }

    private static String cores(BigDecimal cores) {
        return cores.stripTrailingZeros().toPlainString();
    }

    /** Builds a {@link LimitsPolicy}; not thread-safe. */
    public static final class Builder {
        private ResourceLimits defaults = ResourceLimits.none();
        private Map<String, ResourceLimits> profiles = new LinkedHashMap<>();
        private Mode mode = Mode.REJECT;
        private MemorySize maxMemory;
        private MemorySize maxMemoryPlusSwap;
        private CpuLimit maxCpu;
        private Long maxPids;
        private Integer maxCpuShares;
        private MemorySize maxShmSize;
        private CpuSet allowedCpus;

        private Builder() {
        }

        /**
         * Sets the defaults, the bottom layer of every resolution.
         *
         * @param defaults the defaults
         * @return this builder
         */
        public Builder defaults(ResourceLimits defaults) {
            this.defaults = Objects.requireNonNull(defaults, "defaults");
            return this;
        }

        /**
         * Adds or replaces a named profile, the layer between the request and the defaults.
         *
         * @param name the name, not blank
         * @param limits the profile's limits
         * @return this builder
         * @throws IllegalArgumentException if the name is blank
         */
        public Builder profile(String name, ResourceLimits limits) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a profile needs a name: '" + name + "'");
            }
            profiles.put(name, Objects.requireNonNull(limits, "limits"));
            return this;
        }

        /**
         * Sets the mode, {@link Mode#REJECT} by default.
         *
         * @param mode the mode
         * @return this builder
         */
        public Builder mode(Mode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Sets the memory ceiling.
         *
         * @param max the most memory a container may have
         * @return this builder
         */
        public Builder maxMemory(MemorySize max) {
            this.maxMemory = max;
            return this;
        }

        /**
         * Sets the memory+swap ceiling, at least the memory ceiling.
         *
         * @param max the most memory plus swap a container may have
         * @return this builder
         */
        public Builder maxMemoryPlusSwap(MemorySize max) {
            this.maxMemoryPlusSwap = max;
            return this;
        }

        /**
         * Sets the CPU ceiling, compared in cores whatever form a request takes.
         *
         * @param max the most CPU a container may have
         * @return this builder
         */
        public Builder maxCpu(CpuLimit max) {
            this.maxCpu = max;
            return this;
        }

        /**
         * Sets the pids ceiling.
         *
         * @param max the most tasks a container may have, at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code max} is below 1
         */
        public Builder maxPids(long max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxPids must be at least 1: " + max);
            }
            this.maxPids = max;
            return this;
        }

        /**
         * Sets the CPU shares ceiling.
         *
         * @param max the largest weight a container may have
         * @return this builder
         */
        public Builder maxCpuShares(int max) {
            this.maxCpuShares = max;
            return this;
        }

        /**
         * Sets the shm size ceiling.
         *
         * @param max the largest {@code /dev/shm} a container may have
         * @return this builder
         */
        public Builder maxShmSize(MemorySize max) {
            this.maxShmSize = max;
            return this;
        }

        /**
         * Sets the CPUs a cpuset may name.
         *
         * @param allowed the allowed CPUs
         * @return this builder
         */
        public Builder allowedCpus(CpuSet allowed) {
            this.allowedCpus = allowed;
            return this;
        }

        /**
         * Builds the policy, checking that the ceilings agree and that the defaults and every profile
         * are within them.
         *
         * @return the policy
         * @throws InvalidLimitsException if the memory+swap ceiling is below the memory ceiling
         * @throws PolicyViolationException naming the defaults or the profile above a ceiling
         */
        public LimitsPolicy build() {
            if (maxMemory != null && maxMemoryPlusSwap != null && maxMemoryPlusSwap.compareTo(maxMemory) < 0) {
                throw InvalidLimitsException.of("maxMemoryPlusSwap", maxMemoryPlusSwap.toString(),
                        "must be at least the memory ceiling " + maxMemory);
            }
            LimitsPolicy policy = new LimitsPolicy(this, mode);
            LimitsPolicy strict = policy.withMode(Mode.REJECT);
            List<Violation> named = new ArrayList<>();
            checkWithin(strict, "defaults", defaults, named);
            for (Map.Entry<String, ResourceLimits> p : profiles.entrySet()) {
                checkWithin(strict, "profile " + p.getKey(), p.getValue(), named);
            }
            if (!named.isEmpty()) {
                throw new PolicyViolationException(named);
            }
            return policy;
        }

        /**
         * The values the admin set above the admin's own ceilings. A field left unset is not one:
         * requests fill it, and resolving them checks it.
         */
        private static boolean sets(ResourceLimits limits, String field) {
            return Limit.ofKeyword(field).map(limits::isSet).orElse(true);
        }

        private static void checkWithin(LimitsPolicy strict, String what, ResourceLimits limits,
                List<Violation> named) {
            try {
                strict.check(limits);
            } catch (PolicyViolationException e) {
                for (Violation v : e.violations()) {
                    if (sets(limits, v.field())) {
                        named.add(new Violation(what + ": " + v.field(), v.value(), v.rule()));
                    }
                }
            }
        }
    }
}
