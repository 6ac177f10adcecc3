package org.containerlimits.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every limit this library knows, with its name in each tool that sets it: the one table that the
 * docker-py reader and writer, the text form, the {@code docker run} flags, the Engine's HostConfig
 * fields, the Compose and Kubernetes converters, the live-update rules, the policy and the
 * preflight iterate.
 *
 * <table class="striped">
 *   <caption>The limits</caption>
 *   <thead><tr><th>docker-py keyword</th><th>docker run flag</th><th>HostConfig field</th>
 *       <th>Compose deploy.resources</th><th>Kubernetes resources</th><th>live</th></tr></thead>
 *   <tbody>
 *   <tr><td>mem_limit</td><td>--memory, -m</td><td>Memory</td><td>limits.memory</td><td>limits.memory</td><td>yes</td></tr>
 *   <tr><td>mem_reservation</td><td>--memory-reservation</td><td>MemoryReservation</td><td>reservations.memory</td><td>requests.memory</td><td>yes</td></tr>
 *   <tr><td>memswap_limit</td><td>--memory-swap</td><td>MemorySwap</td><td></td><td></td><td>yes</td></tr>
 *   <tr><td>mem_swappiness</td><td>--memory-swappiness</td><td>MemorySwappiness</td><td></td><td></td><td>no</td></tr>
 *   <tr><td>nano_cpus</td><td>--cpus</td><td>NanoCpus</td><td>limits.cpus</td><td>limits.cpu</td><td>yes</td></tr>
 *   <tr><td>cpu_quota</td><td>--cpu-quota</td><td>CpuQuota</td><td>limits.cpus</td><td>limits.cpu</td><td>yes</td></tr>
 *   <tr><td>cpu_period</td><td>--cpu-period</td><td>CpuPeriod</td><td>limits.cpus</td><td>limits.cpu</td><td>yes</td></tr>
 *   <tr><td>cpu_shares</td><td>--cpu-shares, -c</td><td>CpuShares</td><td></td><td>requests.cpu</td><td>yes</td></tr>
 *   <tr><td>cpuset_cpus</td><td>--cpuset-cpus</td><td>CpusetCpus</td><td></td><td></td><td>yes</td></tr>
 *   <tr><td>cpuset_mems</td><td>--cpuset-mems</td><td>CpusetMems</td><td></td><td></td><td>yes</td></tr>
 *   <tr><td>pids_limit</td><td>--pids-limit</td><td>PidsLimit</td><td>limits.pids</td><td></td><td>yes</td></tr>
 *   <tr><td>blkio_weight</td><td>--blkio-weight</td><td>BlkioWeight</td><td></td><td></td><td>yes</td></tr>
 *   <tr><td>blkio_weight_device</td><td>--blkio-weight-device</td><td>BlkioWeightDevice</td><td></td><td></td><td>no</td></tr>
 *   <tr><td>device_read_bps</td><td>--device-read-bps</td><td>BlkioDeviceReadBps</td><td></td><td></td><td>no</td></tr>
 *   <tr><td>device_write_bps</td><td>--device-write-bps</td><td>BlkioDeviceWriteBps</td><td></td><td></td><td>no</td></tr>
 *   <tr><td>device_read_iops</td><td>--device-read-iops</td><td>BlkioDeviceReadIOps</td><td></td><td></td><td>no</td></tr>
 *   <tr><td>device_write_iops</td><td>--device-write-iops</td><td>BlkioDeviceWriteIOps</td><td></td><td></td><td>no</td></tr>
 *   <tr><td>oom_kill_disable</td><td>--oom-kill-disable</td><td>OomKillDisable</td><td></td><td></td><td>no</td></tr>
 *   <tr><td>oom_score_adj</td><td>--oom-score-adj</td><td>OomScoreAdj</td><td></td><td></td><td>no</td></tr>
 *   <tr><td>shm_size</td><td>--shm-size</td><td>ShmSize</td><td></td><td></td><td>no</td></tr>
 *   <tr><td>ulimits</td><td>--ulimit</td><td>Ulimits</td><td></td><td></td><td>no</td></tr>
 *   </tbody>
 * </table>
 * Compose's {@code limits.cpus} and Kubernetes' {@code limits.cpu} hold the CPU limit in either
 * form, as cores; the period is not kept. "Live" says whether the Docker daemon changes the value of a running container
 * ({@code docker update}). The device throttles are not live: the Engine API's update accepts
 * them and the daemon drops them without a word (seen on Engine 20.10), so the library refuses
 * them in an update instead. The CPU limit is one value in either of two forms, {@code nano_cpus}
 * or {@code cpu_quota} with {@code cpu_period}; {@link ResourceLimits#cpu()} holds it.
 *
 * <h2>Adding a limit</h2>
 * One constant here (its names and {@link Kind}), one accessor and builder setter in
 * {@link ResourceLimits} (with its rule, if the kind's own rules are not enough), and one line in
 * {@code limits-docker}'s HostConfig mapping. The readers and writers of every format, the
 * command line's flags and the live-update rules follow from the table.
 *
 * <pre>{@code
 * Limit.ofKeyword("mem_limit").get().flag();          // "--memory"
 * Limit.ofFlag("-m").get().engineField();             // "Memory"
 * Limit.DEVICE_WRITE_BPS.isLiveUpdatable();          // false
 * }</pre>
 */
public enum Limit {
    /** The hard memory limit. */
    MEMORY("mem_limit", Kind.SIZE, true, "Memory", "limits.memory", "limits.memory", "--memory", "-m"),
    /** The soft memory limit the kernel reclaims towards under pressure. */
    MEMORY_RESERVATION("mem_reservation", Kind.SIZE, true, "MemoryReservation", "reservations.memory",
            "requests.memory", "--memory-reservation"),
    /** Memory plus swap, or unlimited. */
    MEMORY_SWAP("memswap_limit", Kind.SWAP, true, "MemorySwap", null, null, "--memory-swap"),
    /** How readily the kernel swaps the container's pages. */
    MEMORY_SWAPPINESS("mem_swappiness", Kind.INTEGER, false, "MemorySwappiness", null, null, "--memory-swappiness"),
    /** The CPU limit as nano-CPUs (billionths of a core). */
    NANO_CPUS("nano_cpus", Kind.NANO_CPUS, true, "NanoCpus", "limits.cpus", "limits.cpu", "--cpus"),
    /** The CPU limit as a CFS quota, microseconds per period. */
    CPU_QUOTA("cpu_quota", Kind.CPU_QUOTA, true, "CpuQuota", "limits.cpus", "limits.cpu", "--cpu-quota"),
    /** The CFS period the quota is given per. */
    CPU_PERIOD("cpu_period", Kind.CPU_PERIOD, true, "CpuPeriod", "limits.cpus", "limits.cpu", "--cpu-period"),
    /** The relative CPU weight. */
    CPU_SHARES("cpu_shares", Kind.INTEGER, true, "CpuShares", null, "requests.cpu", "--cpu-shares", "-c"),
    /** The CPUs the container may run on. */
    CPUSET_CPUS("cpuset_cpus", Kind.CPU_SET, true, "CpusetCpus", null, null, "--cpuset-cpus"),
    /** The memory nodes the container may allocate from. */
    CPUSET_MEMS("cpuset_mems", Kind.CPU_SET, true, "CpusetMems", null, null, "--cpuset-mems"),
    /** The most processes and threads at once. */
    PIDS_LIMIT("pids_limit", Kind.PIDS, true, "PidsLimit", "limits.pids", null, "--pids-limit"),
    /** The relative block-IO weight. */
    BLKIO_WEIGHT("blkio_weight", Kind.INTEGER, true, "BlkioWeight", null, null, "--blkio-weight"),
    /** The relative block-IO weight per device. */
    BLKIO_WEIGHT_DEVICE("blkio_weight_device", Kind.DEVICE_WEIGHT, false, "BlkioWeightDevice", null, null,
            "--blkio-weight-device"),
    /** The read rate per device, bytes per second. */
    DEVICE_READ_BPS("device_read_bps", Kind.DEVICE_BYTES_RATE, false, "BlkioDeviceReadBps", null, null,
            "--device-read-bps"),
    /** The write rate per device, bytes per second. */
    DEVICE_WRITE_BPS("device_write_bps", Kind.DEVICE_BYTES_RATE, false, "BlkioDeviceWriteBps", null, null,
            "--device-write-bps"),
    /** The read rate per device, IOs per second. */
    DEVICE_READ_IOPS("device_read_iops", Kind.DEVICE_IO_RATE, false, "BlkioDeviceReadIOps", null, null,
            "--device-read-iops"),
    /** The write rate per device, IOs per second. */
    DEVICE_WRITE_IOPS("device_write_iops", Kind.DEVICE_IO_RATE, false, "BlkioDeviceWriteIOps", null, null,
            "--device-write-iops"),
    /** Whether the kernel's OOM killer spares the container. */
    OOM_KILL_DISABLE("oom_kill_disable", Kind.BOOLEAN, false, "OomKillDisable", null, null, "--oom-kill-disable"),
    /** How the kernel's OOM killer ranks the container's processes. */
    OOM_SCORE_ADJ("oom_score_adj", Kind.INTEGER, false, "OomScoreAdj", null, null, "--oom-score-adj"),
    /** The size of {@code /dev/shm}. */
    SHM_SIZE("shm_size", Kind.SIZE, false, "ShmSize", null, null, "--shm-size"),
    /** Resource limits of the container's processes ({@code setrlimit}). */
    ULIMITS("ulimits", Kind.ULIMITS, false, "Ulimits", null, null, "--ulimit");

    /**
     * What a limit's value is, which decides how every format writes it. A format handles each
     * kind once, not each limit.
     */
    public enum Kind {
        /** A {@link MemorySize}: a number of bytes, or a size such as {@code 1g}. */
        SIZE,
        /** A {@link SwapLimit}: a size, or {@code -1} for unlimited. */
        SWAP,
        /** A whole number within the limit's range ({@link #range()}). */
        INTEGER,
        /** The CPU limit in nano-CPUs; the {@code --cpus} flag gives it in cores. */
        NANO_CPUS,
        /** The CPU limit's CFS quota, microseconds, with {@code cpu_period}. */
        CPU_QUOTA,
        /** The CFS period of {@code cpu_quota}, microseconds. */
        CPU_PERIOD,
        /** A {@link CpuSet}, such as {@code 0-3,5}. */
        CPU_SET,
        /** A {@link PidsLimit}: at least 1, or {@code -1} for unlimited. */
        PIDS,
        /** {@code true} or {@code false}. */
        BOOLEAN,
        /** {@link DeviceLimit}s with a rate in bytes per second, in the size grammar ({@code /dev/sda:10m}). */
        DEVICE_BYTES_RATE,
        /** {@link DeviceLimit}s with a rate in IOs per second ({@code /dev/sda:1000}). */
        DEVICE_IO_RATE,
        /** {@link DeviceLimit}s with a block-IO weight, 10 to 1000 ({@code /dev/sda:500}). */
        DEVICE_WEIGHT,
        /** {@link Ulimit}s ({@code nofile=64:64}). */
        ULIMITS;

        /**
         * Returns whether a value of this kind is a list, which a flag may give more than once.
         *
         * @return true for the device kinds and ulimits
         */
        public boolean isList() {
            return this == DEVICE_BYTES_RATE || this == DEVICE_IO_RATE || this == DEVICE_WEIGHT || this == ULIMITS;
        }
    }

    /**
     * The inclusive range of an {@link Kind#INTEGER} limit, with the rule that says it.
     *
     * @param min the smallest value
     * @param max the largest value
     * @param rule the rule as an error states it
     */
    public record Range(long min, long max, String rule) {
    }

    private static final Map<String, Limit> BY_KEYWORD = new HashMap<>();
    private static final Map<String, Limit> BY_FLAG = new HashMap<>();
    private static final Map<String, Limit> BY_FIELD = new HashMap<>();

    static {
        for (Limit l : values()) {
            BY_KEYWORD.put(l.keyword, l);
            BY_FIELD.put(l.engineField, l);
            for (String f : l.flags) {
                BY_FLAG.put(f, l);
            }
        }
    }

    private final String keyword;
    private final Kind kind;
    private final boolean live;
    private final String engineField;
    private final String composeKey;
    private final String kubernetesKey;
    private final List<String> flags;

    Limit(String keyword, Kind kind, boolean live, String engineField, String composeKey, String kubernetesKey,
            String... flags) {
        this.keyword = keyword;
        this.kind = kind;
        this.live = live;
        this.engineField = engineField;
        this.composeKey = composeKey;
        this.kubernetesKey = kubernetesKey;
        this.flags = List.of(flags);
    }

    /**
     * Returns the docker-py keyword, also the key of the text form and of every error.
     *
     * @return such as {@code mem_limit}
     */
    public String keyword() {
        return keyword;
    }

    /**
     * Returns what the value is.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * Returns whether the Docker daemon changes this limit on a running container.
     *
     * @return true if {@code docker update} applies it
     */
    public boolean isLiveUpdatable() {
        return live;
    }

    /**
     * Returns the Engine API's HostConfig field.
     *
     * @return such as {@code Memory}
     */
    public String engineField() {
        return engineField;
    }

    /**
     * Returns the canonical {@code docker run} flag.
     *
     * @return such as {@code --memory}
     */
    public String flag() {
        return flags.get(0);
    }

    /**
     * Returns every {@code docker run} flag that sets this limit, the canonical one first.
     *
     * @return such as {@code [--memory, -m]}
     */
    public List<String> flags() {
        return flags;
    }

    /**
     * Returns the key of a Compose service's {@code deploy.resources} that holds this limit.
     *
     * @return such as {@code limits.memory}; empty when {@code deploy.resources} cannot hold it
     */
    public Optional<String> composeKey() {
        return Optional.ofNullable(composeKey);
    }

    /**
     * Returns the key of a Kubernetes container's {@code resources} that holds this limit.
     *
     * @return such as {@code limits.memory}; empty when a container's resources cannot hold it
     */
    public Optional<String> kubernetesKey() {
        return Optional.ofNullable(kubernetesKey);
    }

    /**
     * Returns the range of an {@link Kind#INTEGER} limit or of a device weight, the Docker
     * daemon's or the kernel's.
     *
     * @return the range; empty for other kinds
     */
    public Optional<Range> range() {
        return Optional.ofNullable(switch (this) {
            case MEMORY_SWAPPINESS -> new Range(0, 100, "must be between 0 and 100");
            case CPU_SHARES -> new Range(2, 262_144,
                    "must be between 2 and 262144, the kernel's cpu.shares range (1024 is the default weight)");
            case BLKIO_WEIGHT, BLKIO_WEIGHT_DEVICE -> new Range(10, 1000, "must be between 10 and 1000");
            case OOM_SCORE_ADJ -> new Range(-1000, 1000,
                    "must be between -1000 and 1000, the kernel's oom_score_adj range");
            default -> null;
        });
    }

    /**
     * Finds a limit by its docker-py keyword.
     *
     * @param keyword such as {@code mem_limit}
     * @return the limit, or empty
     */
    public static Optional<Limit> ofKeyword(String keyword) {
        return Optional.ofNullable(BY_KEYWORD.get(keyword));
    }

    /**
     * Finds a limit by any of its {@code docker run} flags.
     *
     * @param flag such as {@code --memory} or {@code -m}
     * @return the limit, or empty
     */
    public static Optional<Limit> ofFlag(String flag) {
        return Optional.ofNullable(BY_FLAG.get(flag));
    }

    /**
     * Finds a limit by its HostConfig field.
     *
     * @param field such as {@code Memory}
     * @return the limit, or empty
     */
    public static Optional<Limit> ofEngineField(String field) {
        return Optional.ofNullable(BY_FIELD.get(field));
    }

    /**
     * Returns every docker-py keyword, in the table's order.
     *
     * @return the keywords
     */
    public static List<String> keywords() {
        List<String> out = new ArrayList<>();
        for (Limit l : values()) {
            out.add(l.keyword);
        }
        return Collections.unmodifiableList(out);
    }
}
