package org.containerlimits.core;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The CPU and memory limits of one container: every field optional, validated as a whole.
 *
 * <p>"Not set" is an empty {@code Optional}, distinct from any value: an unset memory limit leaves
 * the daemon's default (none), and in a live update leaves the running value untouched. Docker's
 * wire encodings ({@code 0} for unset, {@code -1} for unlimited) never appear here; unlimited swap
 * and pids are {@link SwapLimit#UNLIMITED} and {@link PidsLimit#UNLIMITED}.
 *
 * <h2>Fields, by their docker-py keyword</h2>
 * <table class="striped">
 *   <caption>Fields and the rules {@link Builder#build()} enforces</caption>
 *   <thead><tr><th>keyword</th><th>accessor</th><th>rule (source)</th></tr></thead>
 *   <tbody>
 *   <tr><td>{@code mem_limit}</td><td>{@link #memory()}</td><td>at least 6 MiB (moby
 *       {@code linuxMinMemory}, "Minimum memory limit allowed is 6MB")</td></tr>
 *   <tr><td>{@code mem_reservation}</td><td>{@link #memoryReservation()}</td><td>at least 6 MiB,
 *       not above {@code mem_limit} ("Minimum memory limit can not be less than memory reservation
 *       limit")</td></tr>
 *   <tr><td>{@code memswap_limit}</td><td>{@link #memorySwap()}</td><td>a size needs
 *       {@code mem_limit} and is at least it ("You should always set the Memory limit when using
 *       Memoryswap limit", "Minimum memoryswap limit should be larger than memory limit");
 *       {@code unlimited} is always allowed</td></tr>
 *   <tr><td>{@code mem_swappiness}</td><td>{@link #memorySwappiness()}</td><td>0 to 100 ("valid
 *       memory swappiness range is 0-100")</td></tr>
 *   <tr><td>{@code nano_cpus}, or {@code cpu_quota} with {@code cpu_period}</td><td>{@link #cpu()}</td>
 *       <td>see {@link CpuLimit}: period 1000..1000000 us, quota at least 1000 us, at least 0.01
 *       core; the two forms are exclusive ("Conflicting options: Nano CPUs and CPU Period cannot
 *       both be set")</td></tr>
 *   <tr><td>{@code cpu_shares}</td><td>{@link #cpuShares()}</td><td>2 to 262144, the kernel's
 *       {@code cpu.shares} range (moby {@code linuxMinCPUShares}/{@code linuxMaxCPUShares}, which the
 *       daemon would otherwise clamp silently)</td></tr>
 *   <tr><td>{@code cpuset_cpus}, {@code cpuset_mems}</td><td>{@link #cpusetCpus()},
 *       {@link #cpusetMems()}</td><td>see {@link CpuSet}</td></tr>
 *   <tr><td>{@code pids_limit}</td><td>{@link #pidsLimit()}</td><td>at least 1, or unlimited</td></tr>
 *   <tr><td>{@code blkio_weight}</td><td>{@link #blkioWeight()}</td><td>10 to 1000 ("Range of blkio
 *       weight is from 10 to 1000")</td></tr>
 *   <tr><td>{@code oom_kill_disable}</td><td>{@link #oomKillDisable()}</td><td>any</td></tr>
 *   <tr><td>{@code shm_size}</td><td>{@link #shmSize()}</td><td>above 0 (0 asks for the daemon's
 *       default of 64 MiB; leave it unset instead)</td></tr>
 *   </tbody>
 * </table>
 * The quoted rules are those of the Docker daemon's {@code verifyPlatformContainerResources}
 * (moby {@code daemon/daemon_unix.go}); checking them here means a spawner learns of every broken
 * rule at once, before any container exists, instead of one daemon error at a time.
 *
 * <h2>docker-py keywords</h2>
 * {@link #fromDockerPy(Map)} reads the map a JupyterHub {@code DockerSpawner.extra_host_config}
 * holds; {@link #toDockerPy()} writes the canonical map back:
 * <pre>{@code
 * ResourceLimits limits = ResourceLimits.fromDockerPy(Map.of(
 *         "mem_limit", "1g",
 *         "cpu_period", 100000,
 *         "cpu_quota", 250000));
 * limits.memory();          // Optional[1g]
 * limits.cpu().get().cores();  // 2.5
 * }</pre>
 *
 * <h2>Text form</h2>
 * {@link #toString()} writes the docker-py map as {@code key=value} pairs joined by commas, each
 * value in its type's canonical text; {@link #parse(CharSequence)} reads it back:
 * <pre>
 *   mem_limit=1g,memswap_limit=2g,cpu_quota=250000,cpu_period=100000,cpuset_cpus=0-3,5
 * </pre>
 * (A cpuset's own commas are read as part of its value: an item that has no {@code =} continues
 * the one before it.)
 *
 * <p>Instances are immutable and thread-safe; build them with {@link #builder()} and change them
 * with {@link #toBuilder()}.
 */
public final class ResourceLimits implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The smallest memory limit and reservation the Docker daemon accepts: 6 MiB. */
    public static final MemorySize MIN_MEMORY = MemorySize.ofMebibytes(6);
    /** The smallest {@code cpu.shares} the kernel accepts. */
    public static final int MIN_CPU_SHARES = 2;
    /** The largest {@code cpu.shares} the kernel accepts. */
    public static final int MAX_CPU_SHARES = 262_144;
    /** The smallest block-IO weight. */
    public static final int MIN_BLKIO_WEIGHT = 10;
    /** The largest block-IO weight. */
    public static final int MAX_BLKIO_WEIGHT = 1000;

    private static final ResourceLimits NONE = new Builder().build();

    private final MemorySize memory;
    private final MemorySize memoryReservation;
    private final SwapLimit memorySwap;
    private final Integer memorySwappiness;
    private final CpuLimit cpu;
    private final Integer cpuShares;
    private final CpuSet cpusetCpus;
    private final CpuSet cpusetMems;
    private final PidsLimit pidsLimit;
    private final Integer blkioWeight;
    private final Boolean oomKillDisable;
    private final MemorySize shmSize;

    private ResourceLimits(Builder b) {
        memory = b.memory;
        memoryReservation = b.memoryReservation;
        memorySwap = b.memorySwap;
        memorySwappiness = b.memorySwappiness;
        cpu = b.cpu;
        cpuShares = b.cpuShares;
        cpusetCpus = b.cpusetCpus;
        cpusetMems = b.cpusetMems;
        pidsLimit = b.pidsLimit;
        blkioWeight = b.blkioWeight;
        oomKillDisable = b.oomKillDisable;
        shmSize = b.shmSize;
    }

    /**
     * Returns limits with no field set.
     *
     * @return the empty limits
     */
    public static ResourceLimits none() {
        return NONE;
    }

    /**
     * Returns a new, empty builder.
     *
     * <pre>{@code
     * ResourceLimits limits = ResourceLimits.builder()
     *         .memory(MemorySize.parse("1g"))
     *         .cpu(CpuLimit.parse("250%"))
     *         .build();
     * }</pre>
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a builder holding these limits, to derive changed limits from.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    // ----------------------------------------------------------------------------------- accessors

    /**
     * Returns the memory limit ({@code mem_limit}, {@code --memory}).
     *
     * @return the hard memory limit, if set
     */
    public Optional<MemorySize> memory() {
        return Optional.ofNullable(memory);
    }

    /**
     * Returns the memory reservation ({@code mem_reservation}), a soft limit the kernel reclaims
     * towards under memory pressure.
     *
     * @return the soft limit, if set
     */
    public Optional<MemorySize> memoryReservation() {
        return Optional.ofNullable(memoryReservation);
    }

    /**
     * Returns the memory+swap limit ({@code memswap_limit}): a total of memory and swap, or
     * unlimited. See {@link SwapLimit}.
     *
     * @return the memory+swap limit, if set
     */
    public Optional<SwapLimit> memorySwap() {
        return Optional.ofNullable(memorySwap);
    }

    /**
     * Returns the memory swappiness ({@code mem_swappiness}), 0 to 100.
     *
     * @return the swappiness, if set
     */
    public OptionalInt memorySwappiness() {
        return optionalInt(memorySwappiness);
    }

    /**
     * Returns the CPU limit ({@code nano_cpus}, or {@code cpu_quota} over {@code cpu_period}), in the
     * form it was given.
     *
     * @return the CPU limit, if set
     */
    public Optional<CpuLimit> cpu() {
        return Optional.ofNullable(cpu);
    }

    /**
     * Returns the relative CPU weight ({@code cpu_shares}), 2 to 262144; 1024 is the default weight.
     *
     * @return the CPU shares, if set
     */
    public OptionalInt cpuShares() {
        return optionalInt(cpuShares);
    }

    /**
     * Returns the CPUs the container may run on ({@code cpuset_cpus}).
     *
     * @return the CPU set, if set
     */
    public Optional<CpuSet> cpusetCpus() {
        return Optional.ofNullable(cpusetCpus);
    }

    /**
     * Returns the memory nodes the container may allocate from ({@code cpuset_mems}).
     *
     * @return the memory-node set, if set
     */
    public Optional<CpuSet> cpusetMems() {
        return Optional.ofNullable(cpusetMems);
    }

    /**
     * Returns the limit on processes and threads ({@code pids_limit}).
     *
     * @return the pids limit, if set
     */
    public Optional<PidsLimit> pidsLimit() {
        return Optional.ofNullable(pidsLimit);
    }

    /**
     * Returns the block-IO weight ({@code blkio_weight}), 10 to 1000.
     *
     * @return the weight, if set
     */
    public OptionalInt blkioWeight() {
        return optionalInt(blkioWeight);
    }

    /**
     * Returns whether the kernel's OOM killer is disabled for the container
     * ({@code oom_kill_disable}).
     *
     * @return the setting, if set
     */
    public Optional<Boolean> oomKillDisable() {
        return Optional.ofNullable(oomKillDisable);
    }

    /**
     * Returns the size of {@code /dev/shm} ({@code shm_size}).
     *
     * @return the size, if set
     */
    public Optional<MemorySize> shmSize() {
        return Optional.ofNullable(shmSize);
    }

    /**
     * Returns whether no field is set.
     *
     * @return {@code true} for {@link #none()}
     */
    public boolean isEmpty() {
        return equals(NONE);
    }

    private static OptionalInt optionalInt(Integer value) {
        return value == null ? OptionalInt.empty() : OptionalInt.of(value);
    }

    // ----------------------------------------------------------------------------------- docker-py

    /**
     * Reads limits from docker-py's keyword arguments, as a spawner's configuration holds them
     * (JupyterHub's {@code c.DockerSpawner.extra_host_config}).
     *
     * <p>Accepted keys and value types, exactly docker-py's:
     * <table class="striped">
     *   <caption>Keys</caption>
     *   <thead><tr><th>key</th><th>values</th></tr></thead>
     *   <tbody>
     *   <tr><td>{@code mem_limit}, {@code mem_reservation}, {@code shm_size}</td><td>a whole number
     *       of bytes (any integral {@link Number}, a float only when whole), or a string in
     *       {@link MemorySize#parse(CharSequence)}'s grammar ({@code '1g'})</td></tr>
     *   <tr><td>{@code memswap_limit}</td><td>the same, or {@code -1} / {@code "-1"} for
     *       unlimited</td></tr>
     *   <tr><td>{@code nano_cpus}, {@code cpu_quota}, {@code cpu_period}, {@code cpu_shares},
     *       {@code mem_swappiness}, {@code blkio_weight}</td><td>integers</td></tr>
     *   <tr><td>{@code pids_limit}</td><td>an integer, {@code -1} for unlimited</td></tr>
     *   <tr><td>{@code cpuset_cpus}, {@code cpuset_mems}</td><td>a string such as {@code '0-3,5'}
     *       (a single integer is read as one CPU)</td></tr>
     *   <tr><td>{@code oom_kill_disable}</td><td>a boolean</td></tr>
     *   </tbody>
     * </table>
     * A {@code null} value means "not set", as {@code None} does in docker-py. {@code cpu_quota}
     * alone takes the kernel's default period, 100000 us, written out. Any other key is an error
     * naming it: a limits map from a spawner's configuration must never smuggle other host settings
     * ({@code privileged}, {@code binds}, ...) through.
     *
     * @param keywords docker-py keyword arguments
     * @return the validated limits
     * @throws InvalidLimitsException listing every unknown key, every value of the wrong type or
     *     grammar, and every broken rule, at once
     */
    public static ResourceLimits fromDockerPy(Map<String, ?> keywords) {
        return new DockerPyReader(keywords).read();
    }

    /**
     * Returns the canonical docker-py keyword map of these limits: sizes as {@code Long} bytes,
     * {@code memswap_limit} and {@code pids_limit} as {@code -1L} when unlimited, CPU as
     * {@code nano_cpus} or {@code cpu_quota} and {@code cpu_period} ({@code Long} microseconds),
     * other numbers as {@code Long}, cpusets as canonical strings, {@code oom_kill_disable} as
     * {@code Boolean}. Only set fields appear, in a fixed order.
     * {@code fromDockerPy(limits.toDockerPy())} equals {@code limits}.
     *
     * @return an unmodifiable, ordered map
     */
    public Map<String, Object> toDockerPy() {
        Map<String, Object> map = new LinkedHashMap<>();
        if (memory != null) {
            map.put(DockerPyReader.MEM_LIMIT, memory.toBytes());
        }
        if (memoryReservation != null) {
            map.put(DockerPyReader.MEM_RESERVATION, memoryReservation.toBytes());
        }
        if (memorySwap != null) {
            map.put(DockerPyReader.MEMSWAP_LIMIT,
                    memorySwap.memoryPlusSwap().map(MemorySize::toBytes).orElse(-1L));
        }
        if (memorySwappiness != null) {
            map.put(DockerPyReader.MEM_SWAPPINESS, memorySwappiness.longValue());
        }
        if (cpu != null) {
            if (cpu.isQuotaForm()) {
                map.put(DockerPyReader.CPU_QUOTA, cpu.cfsQuotaMicros().getAsLong());
                map.put(DockerPyReader.CPU_PERIOD, cpu.cfsPeriodMicros().getAsLong());
            } else {
                map.put(DockerPyReader.NANO_CPUS, cpu.toNanoCpus());
            }
        }
        if (cpuShares != null) {
            map.put(DockerPyReader.CPU_SHARES, cpuShares.longValue());
        }
        if (cpusetCpus != null) {
            map.put(DockerPyReader.CPUSET_CPUS, cpusetCpus.toString());
        }
        if (cpusetMems != null) {
            map.put(DockerPyReader.CPUSET_MEMS, cpusetMems.toString());
        }
        if (pidsLimit != null) {
            map.put(DockerPyReader.PIDS_LIMIT, pidsLimit.max().orElse(-1L));
        }
        if (blkioWeight != null) {
            map.put(DockerPyReader.BLKIO_WEIGHT, blkioWeight.longValue());
        }
        if (oomKillDisable != null) {
            map.put(DockerPyReader.OOM_KILL_DISABLE, oomKillDisable);
        }
        if (shmSize != null) {
            map.put(DockerPyReader.SHM_SIZE, shmSize.toBytes());
        }
        return Collections.unmodifiableMap(map);
    }

    // ----------------------------------------------------------------------------------- text form

    /**
     * Parses the text form: {@code key=value} pairs joined by commas, keys as in
     * {@link #fromDockerPy(Map)}, each value in its type's grammar.
     *
     * <pre>
     *   limits = [pair ("," pair)*]
     *   pair   = key "=" value         blanks around a pair are ignored
     * </pre>
     * <table class="striped">
     *   <caption>Values</caption>
     *   <tbody>
     *   <tr><td>{@code mem_limit}, {@code mem_reservation}, {@code shm_size}</td>
     *       <td>{@link MemorySize#parse(CharSequence)}</td></tr>
     *   <tr><td>{@code memswap_limit}</td><td>{@link SwapLimit#parse(CharSequence)}</td></tr>
     *   <tr><td>{@code pids_limit}</td><td>{@link PidsLimit#parse(CharSequence)}</td></tr>
     *   <tr><td>{@code cpuset_cpus}, {@code cpuset_mems}</td><td>{@link CpuSet#parse(CharSequence)}</td></tr>
     *   <tr><td>{@code oom_kill_disable}</td><td>{@code true} or {@code false}</td></tr>
     *   <tr><td>the others</td><td>a whole decimal number</td></tr>
     *   </tbody>
     * </table>
     * <pre>{@code
     * ResourceLimits.parse("mem_limit=1g,cpu_quota=250000,cpu_period=100000");
     * }</pre>
     *
     * @param text the text; empty for {@link #none()}
     * @return the validated limits
     * @throws InvalidLimitsException listing every malformed pair, unknown or repeated key, bad value
     *     and broken rule, at once
     */
    public static ResourceLimits parse(CharSequence text) {
        return DockerPyReader.fromText(String.valueOf(text));
    }

    /**
     * Returns the text form, {@link #toDockerPy()} written as {@code key=value} pairs with each
     * value's canonical text, such as {@code mem_limit=1g,cpu_quota=250000,cpu_period=100000}; empty
     * when no field is set. {@link #parse(CharSequence)} reads it back to an equal value.
     *
     * @return the canonical text
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Object> e : toDockerPy().entrySet()) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(e.getKey()).append('=').append(textOf(e.getKey()));
        }
        return sb.toString();
    }

    private String textOf(String key) {
        switch (key) {
            case DockerPyReader.MEM_LIMIT: return memory.toString();
            case DockerPyReader.MEM_RESERVATION: return memoryReservation.toString();
            case DockerPyReader.MEMSWAP_LIMIT: return memorySwap.toString();
            case DockerPyReader.SHM_SIZE: return shmSize.toString();
            case DockerPyReader.PIDS_LIMIT: return pidsLimit.toString();
            case DockerPyReader.CPUSET_CPUS: return cpusetCpus.toString();
            case DockerPyReader.CPUSET_MEMS: return cpusetMems.toString();
            default: return String.valueOf(toDockerPy().get(key));
        }
    }

    /**
     * Returns whether the other object holds the same limits, field by field (a CPU limit's form
     * included).
     *
     * @param o the other object
     * @return {@code true} if equal
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ResourceLimits)) {
            return false;
        }
        ResourceLimits that = (ResourceLimits) o;
        return Objects.equals(memory, that.memory)
                && Objects.equals(memoryReservation, that.memoryReservation)
                && Objects.equals(memorySwap, that.memorySwap)
                && Objects.equals(memorySwappiness, that.memorySwappiness)
                && Objects.equals(cpu, that.cpu)
                && Objects.equals(cpuShares, that.cpuShares)
                && Objects.equals(cpusetCpus, that.cpusetCpus)
                && Objects.equals(cpusetMems, that.cpusetMems)
                && Objects.equals(pidsLimit, that.pidsLimit)
                && Objects.equals(blkioWeight, that.blkioWeight)
                && Objects.equals(oomKillDisable, that.oomKillDisable)
                && Objects.equals(shmSize, that.shmSize);
    }

    /**
     * Returns a hash code consistent with {@link #equals(Object)}.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Objects.hash(memory, memoryReservation, memorySwap, memorySwappiness, cpu, cpuShares,
                cpusetCpus, cpusetMems, pidsLimit, blkioWeight, oomKillDisable, shmSize);
    }

    // ----------------------------------------------------------------------------------- builder

    /**
     * A mutable builder of {@link ResourceLimits}; {@link #build()} checks every rule at once.
     *
     * <p>Every setter takes {@code null} to clear the field. Builders are not thread-safe.
     */
    public static final class Builder {
        private MemorySize memory;
        private MemorySize memoryReservation;
        private SwapLimit memorySwap;
        private Integer memorySwappiness;
        private CpuLimit cpu;
        private Integer cpuShares;
        private CpuSet cpusetCpus;
        private CpuSet cpusetMems;
        private PidsLimit pidsLimit;
        private Integer blkioWeight;
        private Boolean oomKillDisable;
        private MemorySize shmSize;

        private Builder() {
        }

        private Builder(ResourceLimits l) {
            memory = l.memory;
            memoryReservation = l.memoryReservation;
            memorySwap = l.memorySwap;
            memorySwappiness = l.memorySwappiness;
            cpu = l.cpu;
            cpuShares = l.cpuShares;
            cpusetCpus = l.cpusetCpus;
            cpusetMems = l.cpusetMems;
            pidsLimit = l.pidsLimit;
            blkioWeight = l.blkioWeight;
            oomKillDisable = l.oomKillDisable;
            shmSize = l.shmSize;
        }

        /**
         * Sets the memory limit ({@code mem_limit}).
         *
         * @param memory the hard limit, at least 6 MiB; {@code null} to clear
         * @return this builder
         */
        public Builder memory(MemorySize memory) {
            this.memory = memory;
            return this;
        }

        /**
         * Sets the memory reservation ({@code mem_reservation}).
         *
         * @param memoryReservation the soft limit, at least 6 MiB and not above the memory limit;
         *     {@code null} to clear
         * @return this builder
         */
        public Builder memoryReservation(MemorySize memoryReservation) {
            this.memoryReservation = memoryReservation;
            return this;
        }

        /**
         * Sets the memory+swap limit ({@code memswap_limit}).
         *
         * @param memorySwap the total of memory and swap, or unlimited; {@code null} to clear
         * @return this builder
         */
        public Builder memorySwap(SwapLimit memorySwap) {
            this.memorySwap = memorySwap;
            return this;
        }

        /**
         * Sets the memory swappiness ({@code mem_swappiness}).
         *
         * @param memorySwappiness 0 to 100; {@code null} to clear
         * @return this builder
         */
        public Builder memorySwappiness(Integer memorySwappiness) {
            this.memorySwappiness = memorySwappiness;
            return this;
        }

        /**
         * Sets the CPU limit ({@code nano_cpus}, or {@code cpu_quota} with {@code cpu_period}).
         *
         * @param cpu the CPU limit in either form; {@code null} to clear
         * @return this builder
         */
        public Builder cpu(CpuLimit cpu) {
            this.cpu = cpu;
            return this;
        }

        /**
         * Sets the relative CPU weight ({@code cpu_shares}).
         *
         * @param cpuShares 2 to 262144; {@code null} to clear
         * @return this builder
         */
        public Builder cpuShares(Integer cpuShares) {
            this.cpuShares = cpuShares;
            return this;
        }

        /**
         * Sets the CPUs the container may run on ({@code cpuset_cpus}).
         *
         * @param cpusetCpus the CPU set; {@code null} to clear
         * @return this builder
         */
        public Builder cpusetCpus(CpuSet cpusetCpus) {
            this.cpusetCpus = cpusetCpus;
            return this;
        }

        /**
         * Sets the memory nodes the container may allocate from ({@code cpuset_mems}).
         *
         * @param cpusetMems the node set; {@code null} to clear
         * @return this builder
         */
        public Builder cpusetMems(CpuSet cpusetMems) {
            this.cpusetMems = cpusetMems;
            return this;
        }

        /**
         * Sets the limit on processes and threads ({@code pids_limit}).
         *
         * @param pidsLimit the limit or unlimited; {@code null} to clear
         * @return this builder
         */
        public Builder pidsLimit(PidsLimit pidsLimit) {
            this.pidsLimit = pidsLimit;
            return this;
        }

        /**
         * Sets the block-IO weight ({@code blkio_weight}).
         *
         * @param blkioWeight 10 to 1000; {@code null} to clear
         * @return this builder
         */
        public Builder blkioWeight(Integer blkioWeight) {
            this.blkioWeight = blkioWeight;
            return this;
        }

        /**
         * Sets whether the kernel's OOM killer is disabled for the container
         * ({@code oom_kill_disable}).
         *
         * @param oomKillDisable {@code true} to disable it; {@code null} to clear
         * @return this builder
         */
        public Builder oomKillDisable(Boolean oomKillDisable) {
            this.oomKillDisable = oomKillDisable;
            return this;
        }

        /**
         * Sets the size of {@code /dev/shm} ({@code shm_size}).
         *
         * @param shmSize above 0; {@code null} to clear
         * @return this builder
         */
        public Builder shmSize(MemorySize shmSize) {
            this.shmSize = shmSize;
            return this;
        }

        /**
         * Checks every rule (see {@link ResourceLimits}) and returns the limits.
         *
         * @return the immutable limits
         * @throws InvalidLimitsException listing every broken rule, each naming the field, the value
         *     and the rule
         */
        public ResourceLimits build() {
            List<Violation> violations = violations();
            if (!violations.isEmpty()) {
                throw new InvalidLimitsException(violations);
            }
            return new ResourceLimits(this);
        }

        List<Violation> violations() {
            List<Violation> v = new ArrayList<>();
            if (memory != null && memory.compareTo(MIN_MEMORY) < 0) {
                v.add(new Violation(DockerPyReader.MEM_LIMIT, memory.toString(),
                        "must be at least 6m (6291456 bytes), the Docker daemon's minimum memory limit"));
            }
            if (memoryReservation != null) {
                if (memoryReservation.compareTo(MIN_MEMORY) < 0) {
                    v.add(new Violation(DockerPyReader.MEM_RESERVATION, memoryReservation.toString(),
                            "must be at least 6m (6291456 bytes), the Docker daemon's minimum memory reservation"));
                } else if (memory != null && memoryReservation.compareTo(memory) > 0) {
                    v.add(new Violation(DockerPyReader.MEM_RESERVATION, memoryReservation.toString(),
                            "must not be above mem_limit (" + memory + "): the soft limit cannot exceed the hard one"));
                }
            }
            if (memorySwap != null && !memorySwap.isUnlimited()) {
                MemorySize total = memorySwap.memoryPlusSwap().orElseThrow();
                if (memory == null) {
                    v.add(new Violation(DockerPyReader.MEMSWAP_LIMIT, memorySwap.toString(),
                            "needs mem_limit: it is the total of memory and swap, and the Docker daemon"
                                    + " refuses it without a memory limit"));
                } else if (total.compareTo(memory) < 0) {
                    v.add(new Violation(DockerPyReader.MEMSWAP_LIMIT, memorySwap.toString(),
                            "must be at least mem_limit (" + memory + "): it is the total of memory and swap,"
                                    + " not the swap alone"));
                }
            }
            if (memorySwappiness != null && (memorySwappiness < 0 || memorySwappiness > 100)) {
                v.add(new Violation(DockerPyReader.MEM_SWAPPINESS, memorySwappiness.toString(),
                        "must be between 0 and 100"));
            }
            if (cpuShares != null && (cpuShares < MIN_CPU_SHARES || cpuShares > MAX_CPU_SHARES)) {
                v.add(new Violation(DockerPyReader.CPU_SHARES, cpuShares.toString(),
                        "must be between 2 and 262144, the kernel's cpu.shares range (1024 is the default weight)"));
            }
            if (blkioWeight != null && (blkioWeight < MIN_BLKIO_WEIGHT || blkioWeight > MAX_BLKIO_WEIGHT)) {
                v.add(new Violation(DockerPyReader.BLKIO_WEIGHT, blkioWeight.toString(),
                        "must be between 10 and 1000"));
            }
            if (shmSize != null && shmSize.isZero()) {
                v.add(new Violation(DockerPyReader.SHM_SIZE, shmSize.toString(),
                        "must be above 0 (0 asks for the daemon's default of 64m: leave shm_size unset instead)"));
            }
            return v;
        }
    }

    static BigInteger exactInteger(Number n) {
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
            return BigInteger.valueOf(n.longValue());
        }
        if (n instanceof BigInteger) {
            return (BigInteger) n;
        }
        BigDecimal d;
        if (n instanceof BigDecimal) {
            d = (BigDecimal) n;
        } else if (n instanceof Double || n instanceof Float) {
            double x = n.doubleValue();
            if (Double.isNaN(x) || Double.isInfinite(x)) {
                return null;
            }
            d = new BigDecimal(x);
        } else {
            try {
                d = new BigDecimal(n.toString());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        // In long arithmetic: precision - scale of 1E+2147483647 overflows an int to a negative.
        if ((long) d.precision() - d.scale() > 40) {
            // At least 10^39, far beyond any long; toBigIntegerExact() of 1E+100000000 would run for
            // minutes. Any value past 63 bits reads as "too large" (or "negative") to every caller.
            return BigInteger.valueOf(d.signum()).shiftLeft(64);
        }
        // A fraction is no whole number. Checked on the stripped value before toBigIntegerExact(),
        // which for 1E-100000000 would first compute 10^100000000 and run for minutes.
        if (d.scale() > 0) {
            d = d.stripTrailingZeros();
            if (d.scale() > 0) {
                return null;
            }
        }
        return d.toBigIntegerExact();
    }
}
