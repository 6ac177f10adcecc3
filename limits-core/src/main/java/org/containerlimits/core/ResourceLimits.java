package org.containerlimits.core;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The resource limits of one container (CPU, memory, block IO, processes, the OOM killer): every
 * field optional, validated as a whole.
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
 *   <tr><td>{@code blkio_weight_device}</td><td>{@link #blkioWeightDevice()}</td><td>each device 10
 *       to 1000, each path once</td></tr>
 *   <tr><td>{@code device_read_bps}, {@code device_write_bps}, {@code device_read_iops},
 *       {@code device_write_iops}</td><td>{@link #deviceReadBps()} and the like</td><td>see
 *       {@link DeviceLimit}: a path under {@code /dev/}, a rate of at least 1; each path once</td></tr>
 *   <tr><td>{@code oom_kill_disable}</td><td>{@link #oomKillDisable()}</td><td>any</td></tr>
 *   <tr><td>{@code oom_score_adj}</td><td>{@link #oomScoreAdj()}</td><td>-1000 to 1000, not 0 ("Invalid
 *       value, range for oom score adj is [-1000, 1000]"; 0 is the default: leave it unset)</td></tr>
 *   <tr><td>{@code shm_size}</td><td>{@link #shmSize()}</td><td>above 0 (0 asks for the daemon's
 *       default of 64 MiB; leave it unset instead)</td></tr>
 *   <tr><td>{@code ulimits}</td><td>{@link #ulimits()}</td><td>see {@link Ulimit}; each name once</td></tr>
 *   </tbody>
 * </table>
 * Every keyword's flag, HostConfig field and other names are in {@link Limit}, the one table of
 * them. The quoted rules are those of the Docker daemon's {@code verifyPlatformContainerResources}
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
 * (The commas inside a list value, a cpuset's {@code 0-3,5}, {@code device_write_bps=/dev/sda:10m,/dev/sdb:5m},
 * {@code ulimits=nofile=64:64,nproc=100:200}, are read as part of it: an item that does not start
 * with a keyword and {@code =} continues the one before it.)
 *
 * <p>Instances are immutable and thread-safe; build them with {@link #builder()} and change them
 * with {@link #toBuilder()}.
 */
public final class ResourceLimits implements Serializable {
    private static final long serialVersionUID = 2L;

    /** The smallest memory limit and reservation the Docker daemon accepts: 6 MiB. */
    public static final MemorySize MIN_MEMORY = MemorySize.ofMebibytes(6);
    /** The smallest {@code cpu.shares} the kernel accepts. */
    public static final int MIN_CPU_SHARES = (int) Limit.CPU_SHARES.range().orElseThrow().min();
    /** The largest {@code cpu.shares} the kernel accepts. */
    public static final int MAX_CPU_SHARES = (int) Limit.CPU_SHARES.range().orElseThrow().max();
    /** The smallest block-IO weight. */
    public static final int MIN_BLKIO_WEIGHT = (int) Limit.BLKIO_WEIGHT.range().orElseThrow().min();
    /** The largest block-IO weight. */
    public static final int MAX_BLKIO_WEIGHT = (int) Limit.BLKIO_WEIGHT.range().orElseThrow().max();

    private static final ResourceLimits NONE = new Builder().build();

    /**
     * Each set limit's value, by its table entry: a {@link MemorySize}, {@link SwapLimit},
     * {@code Integer}, {@link CpuSet}, {@link PidsLimit}, {@code Boolean}, or an unmodifiable sorted
     * list of {@link DeviceLimit}s or {@link Ulimit}s. The CPU limit is kept under
     * {@link Limit#NANO_CPUS} or {@link Limit#CPU_QUOTA}, by its form; {@link Limit#CPU_PERIOD} is
     * part of the latter and holds nothing.
     */
    private final EnumMap<Limit, Object> values;

    private ResourceLimits(Builder b) {
        values = new EnumMap<>(b.values);
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
        return get(Limit.MEMORY, MemorySize.class);
    }

    /**
     * Returns the memory reservation ({@code mem_reservation}), a soft limit the kernel reclaims
     * towards under memory pressure.
     *
     * @return the soft limit, if set
     */
    public Optional<MemorySize> memoryReservation() {
        return get(Limit.MEMORY_RESERVATION, MemorySize.class);
    }

    /**
     * Returns the memory+swap limit ({@code memswap_limit}): a total of memory and swap, or
     * unlimited. See {@link SwapLimit}.
     *
     * @return the memory+swap limit, if set
     */
    public Optional<SwapLimit> memorySwap() {
        return get(Limit.MEMORY_SWAP, SwapLimit.class);
    }

    /**
     * Returns the memory swappiness ({@code mem_swappiness}), 0 to 100.
     *
     * @return the swappiness, if set
     */
    public OptionalInt memorySwappiness() {
        return getInt(Limit.MEMORY_SWAPPINESS);
    }

    /**
     * Returns the CPU limit ({@code nano_cpus}, or {@code cpu_quota} over {@code cpu_period}), in the
     * form it was given.
     *
     * @return the CPU limit, if set
     */
    public Optional<CpuLimit> cpu() {
        return get(Limit.NANO_CPUS, CpuLimit.class).or(() -> get(Limit.CPU_QUOTA, CpuLimit.class));
    }

    /**
     * Returns the relative CPU weight ({@code cpu_shares}), 2 to 262144; 1024 is the default weight.
     *
     * @return the CPU shares, if set
     */
    public OptionalInt cpuShares() {
        return getInt(Limit.CPU_SHARES);
    }

    /**
     * Returns the CPUs the container may run on ({@code cpuset_cpus}).
     *
     * @return the CPU set, if set
     */
    public Optional<CpuSet> cpusetCpus() {
        return get(Limit.CPUSET_CPUS, CpuSet.class);
    }

    /**
     * Returns the memory nodes the container may allocate from ({@code cpuset_mems}).
     *
     * @return the memory-node set, if set
     */
    public Optional<CpuSet> cpusetMems() {
        return get(Limit.CPUSET_MEMS, CpuSet.class);
    }

    /**
     * Returns the limit on processes and threads ({@code pids_limit}).
     *
     * @return the pids limit, if set
     */
    public Optional<PidsLimit> pidsLimit() {
        return get(Limit.PIDS_LIMIT, PidsLimit.class);
    }

    /**
     * Returns the block-IO weight ({@code blkio_weight}), 10 to 1000.
     *
     * @return the weight, if set
     */
    public OptionalInt blkioWeight() {
        return getInt(Limit.BLKIO_WEIGHT);
    }

    /**
     * Returns the block-IO weight of single devices ({@code blkio_weight_device}), 10 to 1000 each.
     *
     * @return the devices' weights, sorted by path; empty when not set
     */
    public List<DeviceLimit> blkioWeightDevice() {
        return devices(Limit.BLKIO_WEIGHT_DEVICE);
    }

    /**
     * Returns the read rate limits in bytes per second ({@code device_read_bps}).
     *
     * @return the devices' rates, sorted by path; empty when not set
     */
    public List<DeviceLimit> deviceReadBps() {
        return devices(Limit.DEVICE_READ_BPS);
    }

    /**
     * Returns the write rate limits in bytes per second ({@code device_write_bps}).
     *
     * @return the devices' rates, sorted by path; empty when not set
     */
    public List<DeviceLimit> deviceWriteBps() {
        return devices(Limit.DEVICE_WRITE_BPS);
    }

    /**
     * Returns the read rate limits in IOs per second ({@code device_read_iops}).
     *
     * @return the devices' rates, sorted by path; empty when not set
     */
    public List<DeviceLimit> deviceReadIops() {
        return devices(Limit.DEVICE_READ_IOPS);
    }

    /**
     * Returns the write rate limits in IOs per second ({@code device_write_iops}).
     *
     * @return the devices' rates, sorted by path; empty when not set
     */
    public List<DeviceLimit> deviceWriteIops() {
        return devices(Limit.DEVICE_WRITE_IOPS);
    }

    /**
     * Returns whether the kernel's OOM killer is disabled for the container
     * ({@code oom_kill_disable}).
     *
     * @return the setting, if set
     */
    public Optional<Boolean> oomKillDisable() {
        return get(Limit.OOM_KILL_DISABLE, Boolean.class);
    }

    /**
     * Returns the adjustment of the OOM killer's score of the container's processes
     * ({@code oom_score_adj}), -1000 (never kill) to 1000 (kill first).
     *
     * @return the adjustment, if set
     */
    public OptionalInt oomScoreAdj() {
        return getInt(Limit.OOM_SCORE_ADJ);
    }

    /**
     * Returns the size of {@code /dev/shm} ({@code shm_size}).
     *
     * @return the size, if set
     */
    public Optional<MemorySize> shmSize() {
        return get(Limit.SHM_SIZE, MemorySize.class);
    }

    /**
     * Returns the resource limits of the container's processes ({@code ulimits}).
     *
     * @return the ulimits, sorted by name; empty when not set
     */
    public List<Ulimit> ulimits() {
        @SuppressWarnings("unchecked")
        List<Ulimit> list = (List<Ulimit>) values.get(Limit.ULIMITS);
        return list == null ? List.of() : list;
    }

    /**
     * Returns whether this limit is set. The CPU limit is set in one form: {@code cpu_period} is
     * set with {@code cpu_quota}.
     *
     * @param limit the limit
     * @return whether it has a value here
     */
    public boolean isSet(Limit limit) {
        return values.containsKey(limit == Limit.CPU_PERIOD ? Limit.CPU_QUOTA : limit);
    }

    /**
     * Returns whether no field is set.
     *
     * @return {@code true} for {@link #none()}
     */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    private <T> Optional<T> get(Limit limit, Class<T> type) {
        return Optional.ofNullable(type.cast(values.get(limit)));
    }

    private OptionalInt getInt(Limit limit) {
        Integer v = (Integer) values.get(limit);
        return v == null ? OptionalInt.empty() : OptionalInt.of(v);
    }

    @SuppressWarnings("unchecked")
    private List<DeviceLimit> devices(Limit limit) {
        List<DeviceLimit> list = (List<DeviceLimit>) values.get(limit);
        return list == null ? List.of() : list;
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
     *       {@code mem_swappiness}, {@code blkio_weight}, {@code oom_score_adj}</td><td>whole numbers,
     *       or strings of digits, by {@link WholeNumber}'s one rule (docker-py refuses the strings;
     *       YAML and JSON configs quote numbers)</td></tr>
     *   <tr><td>{@code pids_limit}</td><td>an integer, {@code -1} for unlimited</td></tr>
     *   <tr><td>{@code cpuset_cpus}, {@code cpuset_mems}</td><td>a string such as {@code '0-3,5'}
     *       (a single integer is read as one CPU)</td></tr>
     *   <tr><td>{@code oom_kill_disable}</td><td>a boolean</td></tr>
     *   <tr><td>{@code device_read_bps}, {@code device_write_bps}</td><td>a list of maps
     *       {@code {'Path': '/dev/sda', 'Rate': 1048576}}, the rate in bytes or a size string
     *       ({@code '1m'})</td></tr>
     *   <tr><td>{@code device_read_iops}, {@code device_write_iops}</td><td>a list of maps
     *       {@code {'Path': '/dev/sda', 'Rate': 1000}}</td></tr>
     *   <tr><td>{@code blkio_weight_device}</td><td>a list of maps {@code {'Path': '/dev/sda', 'Weight': 500}}</td></tr>
     *   <tr><td>{@code ulimits}</td><td>a list of maps {@code {'Name': 'nofile', 'Soft': 64, 'Hard': 64}}
     *       (docker-py's {@code Ulimit} is such a map)</td></tr>
     *   </tbody>
     * </table>
     * An item of a list may also be a string in the item's text grammar ({@code '/dev/sda:1m'},
     * {@code 'nofile=64:64'}), as the text form and the flags give it. A {@code null} value means "not set", as {@code None} does in docker-py. {@code cpu_quota}
     * alone takes the kernel's default period, 100000 us, written out. Any other key is an error
     * naming it: a limits map from a spawner's configuration must never smuggle other host settings
     * ({@code privileged}, {@code binds}, ...) through. A JupyterHub Spawner trait that is no
     * docker-py keyword ({@code cpu_limit}, {@code cpu_guarantee}, {@code mem_guarantee}) is refused
     * with a hint to read it with {@link org.containerlimits.core.format.JupyterHubSpawner}.
     *
     * @param keywords docker-py keyword arguments
     * @return the validated limits
     * @throws InvalidLimitsException listing every unknown key, every value of the wrong type or
     *     grammar, and every broken rule, at once
     */
    public static ResourceLimits fromDockerPy(Map<String, ?> keywords) {
        DockerPyReader reader = DockerPyReader.read(keywords);
        return build(reader.values(), reader.problems(), reader.unreadable());
    }

    /**
     * Validates values a reader found, with the problems it already had, as one list.
     *
     * @param unreadable the limits given but not readable, whose dependent rules are not reported
     */
    private static ResourceLimits build(Map<Limit, Object> found, List<Violation> problems, Set<Limit> unreadable) {
        Builder b = new Builder();
        b.values.putAll(found);
        List<Violation> all = new ArrayList<>(problems);
        for (Violation v : b.violations()) {
            // A mem_limit that was given but could not be read is already reported; do not also
            // report memswap_limit as "needs mem_limit", which would tell the user to add a key they gave.
            if (!(unreadable.contains(Limit.MEMORY) && v.field().equals(Limit.MEMORY_SWAP.keyword()))) {
                all.add(v);
            }
        }
        if (!all.isEmpty()) {
            List<String> order = Limit.keywords();
            // Unknown keys first, then by the table's order, ties kept as found.
            all.sort((x, y) -> Integer.compare(order.indexOf(x.field()), order.indexOf(y.field())));
            throw new InvalidLimitsException(all);
        }
        return new ResourceLimits(b);
    }

    /**
     * Returns the canonical docker-py keyword map of these limits: sizes as {@code Long} bytes,
     * {@code memswap_limit} and {@code pids_limit} as {@code -1L} when unlimited, CPU as
     * {@code nano_cpus} or {@code cpu_quota} and {@code cpu_period} ({@code Long} microseconds),
     * other numbers as {@code Long}, cpusets as canonical strings, {@code oom_kill_disable} as
     * {@code Boolean}, device limits as lists of {@code {Path, Rate}} or {@code {Path, Weight}} maps
     * and ulimits as lists of {@code {Name, Soft, Hard}} maps. Only set fields appear, in the order of
     * {@link Limit}. {@code fromDockerPy(limits.toDockerPy())} equals {@code limits}.
     *
     * @return an unmodifiable, ordered map
     */
    public Map<String, Object> toDockerPy() {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Limit limit : Limit.values()) {
            Object wire = dockerPyValue(limit);
            if (wire != null) {
                map.put(limit.keyword(), wire);
            }
        }
        return Collections.unmodifiableMap(map);
    }

    private Object dockerPyValue(Limit limit) {
        Object v = values.get(limit == Limit.CPU_PERIOD ? Limit.CPU_QUOTA : limit);
        if (v == null) {
            return null;
        }
        return switch (limit.kind()) {
            case SIZE -> ((MemorySize) v).toBytes();
            case SWAP -> ((SwapLimit) v).memoryPlusSwap().map(MemorySize::toBytes).orElse(-1L);
            case INTEGER -> ((Integer) v).longValue();
            case NANO_CPUS -> ((CpuLimit) v).toNanoCpus();
            case CPU_QUOTA -> ((CpuLimit) v).cfsQuotaMicros().getAsLong();
            case CPU_PERIOD -> ((CpuLimit) v).cfsPeriodMicros().getAsLong();
            case CPU_SET -> v.toString();
            case PIDS -> ((PidsLimit) v).max().orElse(-1L);
            case BOOLEAN -> v;
            case DEVICE_BYTES_RATE, DEVICE_IO_RATE, DEVICE_WEIGHT -> {
                String key = limit.kind() == Limit.Kind.DEVICE_WEIGHT ? "Weight" : "Rate";
                List<Object> list = new ArrayList<>();
                for (DeviceLimit d : devices(limit)) {
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("Path", d.path());
                    item.put(key, d.value());
                    list.add(Collections.unmodifiableMap(item));
                }
                yield Collections.unmodifiableList(list);
            }
            case ULIMITS -> {
                List<Object> list = new ArrayList<>();
                for (Ulimit u : ulimits()) {
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("Name", u.name());
                    item.put("Soft", u.soft());
                    item.put("Hard", u.hard());
                    list.add(Collections.unmodifiableMap(item));
                }
                yield Collections.unmodifiableList(list);
            }
        };
    }

    /**
     * Returns one limit's value as canonical text, as the text form writes it: one string for a
     * single value ({@code 1g}, {@code 250000}, {@code 0-3,5}, {@code unlimited}), one per item for a
     * list ({@code /dev/sda:10m}, {@code nofile=64:64}). A rate in bytes is written in the size
     * grammar; {@code nano_cpus} in nano-CPUs.
     *
     * @param limit the limit
     * @return the texts; empty when the limit is not set
     */
    public List<String> texts(Limit limit) {
        Object v = values.get(limit == Limit.CPU_PERIOD ? Limit.CPU_QUOTA : limit);
        if (v == null) {
            return List.of();
        }
        return switch (limit.kind()) {
            case SIZE, SWAP, CPU_SET, PIDS, BOOLEAN, INTEGER -> List.of(v.toString());
            case NANO_CPUS, CPU_QUOTA, CPU_PERIOD -> List.of(dockerPyValue(limit).toString());
            case DEVICE_BYTES_RATE -> devices(limit).stream()
                    .map(d -> d.path() + ":" + MemorySize.ofBytes(d.value())).toList();
            case DEVICE_IO_RATE, DEVICE_WEIGHT -> devices(limit).stream().map(DeviceLimit::toString).toList();
            case ULIMITS -> ulimits().stream().map(Ulimit::toString).toList();
        };
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
     *   <tr><td>{@code device_read_bps}, {@code device_write_bps}</td><td>{@code path:size} items,
     *       comma-separated ({@code /dev/sda:10m})</td></tr>
     *   <tr><td>{@code device_read_iops}, {@code device_write_iops}, {@code blkio_weight_device}</td>
     *       <td>{@link DeviceLimit#parse(CharSequence)} items, comma-separated</td></tr>
     *   <tr><td>{@code ulimits}</td><td>{@link Ulimit#parse(CharSequence)} items, comma-separated</td></tr>
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
        DockerPyReader reader = DockerPyReader.readText(String.valueOf(text));
        return build(reader.values(), reader.problems(), reader.unreadable());
    }

    /**
     * Returns the text form, each set limit as {@code key=value} with its {@link #texts(Limit)}
     * joined by commas, such as {@code mem_limit=1g,cpu_quota=250000,cpu_period=100000}; empty
     * when no field is set. {@link #parse(CharSequence)} reads it back to an equal value.
     *
     * @return the canonical text
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Limit limit : Limit.values()) {
            List<String> texts = texts(limit);
            if (!texts.isEmpty()) {
                if (sb.length() > 0) {
                    sb.append(',');
                }
                sb.append(limit.keyword()).append('=').append(String.join(",", texts));
            }
        }
        return sb.toString();
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
        return this == o || o instanceof ResourceLimits that && values.equals(that.values);
    }

    /**
     * Returns a hash code consistent with {@link #equals(Object)}.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return values.hashCode();
    }

    // ----------------------------------------------------------------------------------- builder

    /**
     * A mutable builder of {@link ResourceLimits}; {@link #build()} checks every rule at once.
     *
     * <p>Every setter takes {@code null} (or, for a list, an empty list) to clear the field.
     * Builders are not thread-safe.
     */
    public static final class Builder {
        private final EnumMap<Limit, Object> values = new EnumMap<>(Limit.class);

        private Builder() {
        }

        private Builder(ResourceLimits l) {
            values.putAll(l.values);
        }

        private Builder set(Limit limit, Object value) {
            if (value == null) {
                values.remove(limit);
            } else {
                values.put(limit, value);
            }
            return this;
        }

        private Builder setList(Limit limit, List<?> list) {
            if (list == null || list.isEmpty()) {
                return set(limit, null);
            }
            List<Object> copy = new ArrayList<>();
            for (Object item : list) {
                copy.add(java.util.Objects.requireNonNull(item, limit.keyword() + " item"));
            }
            // Items are DeviceLimits or Ulimits, each Comparable to its own kind.
            copy.sort(null);
            return set(limit, Collections.unmodifiableList(copy));
        }

        /**
         * Sets the memory limit ({@code mem_limit}).
         *
         * @param memory the hard limit, at least 6 MiB; {@code null} to clear
         * @return this builder
         */
        public Builder memory(MemorySize memory) {
            return set(Limit.MEMORY, memory);
        }

        /**
         * Sets the memory reservation ({@code mem_reservation}).
         *
         * @param memoryReservation the soft limit, at least 6 MiB and not above the memory limit;
         *     {@code null} to clear
         * @return this builder
         */
        public Builder memoryReservation(MemorySize memoryReservation) {
            return set(Limit.MEMORY_RESERVATION, memoryReservation);
        }

        /**
         * Sets the memory+swap limit ({@code memswap_limit}).
         *
         * @param memorySwap the total of memory and swap, or unlimited; {@code null} to clear
         * @return this builder
         */
        public Builder memorySwap(SwapLimit memorySwap) {
            return set(Limit.MEMORY_SWAP, memorySwap);
        }

        /**
         * Sets the memory swappiness ({@code mem_swappiness}).
         *
         * @param memorySwappiness 0 to 100; {@code null} to clear
         * @return this builder
         */
        public Builder memorySwappiness(Integer memorySwappiness) {
            return set(Limit.MEMORY_SWAPPINESS, memorySwappiness);
        }

        /**
         * Sets the CPU limit ({@code nano_cpus}, or {@code cpu_quota} with {@code cpu_period}).
         *
         * @param cpu the CPU limit in either form; {@code null} to clear
         * @return this builder
         */
        public Builder cpu(CpuLimit cpu) {
            values.remove(Limit.NANO_CPUS);
            values.remove(Limit.CPU_QUOTA);
            return cpu == null ? this : set(cpu.isQuotaForm() ? Limit.CPU_QUOTA : Limit.NANO_CPUS, cpu);
        }

        /**
         * Sets the relative CPU weight ({@code cpu_shares}).
         *
         * @param cpuShares 2 to 262144; {@code null} to clear
         * @return this builder
         */
        public Builder cpuShares(Integer cpuShares) {
            return set(Limit.CPU_SHARES, cpuShares);
        }

        /**
         * Sets the CPUs the container may run on ({@code cpuset_cpus}).
         *
         * @param cpusetCpus the CPU set; {@code null} to clear
         * @return this builder
         */
        public Builder cpusetCpus(CpuSet cpusetCpus) {
            return set(Limit.CPUSET_CPUS, cpusetCpus);
        }

        /**
         * Sets the memory nodes the container may allocate from ({@code cpuset_mems}).
         *
         * @param cpusetMems the node set; {@code null} to clear
         * @return this builder
         */
        public Builder cpusetMems(CpuSet cpusetMems) {
            return set(Limit.CPUSET_MEMS, cpusetMems);
        }

        /**
         * Sets the limit on processes and threads ({@code pids_limit}).
         *
         * @param pidsLimit the limit or unlimited; {@code null} to clear
         * @return this builder
         */
        public Builder pidsLimit(PidsLimit pidsLimit) {
            return set(Limit.PIDS_LIMIT, pidsLimit);
        }

        /**
         * Sets the block-IO weight ({@code blkio_weight}).
         *
         * @param blkioWeight 10 to 1000; {@code null} to clear
         * @return this builder
         */
        public Builder blkioWeight(Integer blkioWeight) {
            return set(Limit.BLKIO_WEIGHT, blkioWeight);
        }

        /**
         * Sets the block-IO weight of single devices ({@code blkio_weight_device}).
         *
         * @param weights each device at most once, weights 10 to 1000; {@code null} or empty to clear
         * @return this builder
         */
        public Builder blkioWeightDevice(List<DeviceLimit> weights) {
            return setList(Limit.BLKIO_WEIGHT_DEVICE, weights);
        }

        /**
         * Sets the read rate limits in bytes per second ({@code device_read_bps}).
         *
         * @param rates each device at most once; {@code null} or empty to clear
         * @return this builder
         */
        public Builder deviceReadBps(List<DeviceLimit> rates) {
            return setList(Limit.DEVICE_READ_BPS, rates);
        }

        /**
         * Sets the write rate limits in bytes per second ({@code device_write_bps}).
         *
         * @param rates each device at most once; {@code null} or empty to clear
         * @return this builder
         */
        public Builder deviceWriteBps(List<DeviceLimit> rates) {
            return setList(Limit.DEVICE_WRITE_BPS, rates);
        }

        /**
         * Sets the read rate limits in IOs per second ({@code device_read_iops}).
         *
         * @param rates each device at most once; {@code null} or empty to clear
         * @return this builder
         */
        public Builder deviceReadIops(List<DeviceLimit> rates) {
            return setList(Limit.DEVICE_READ_IOPS, rates);
        }

        /**
         * Sets the write rate limits in IOs per second ({@code device_write_iops}).
         *
         * @param rates each device at most once; {@code null} or empty to clear
         * @return this builder
         */
        public Builder deviceWriteIops(List<DeviceLimit> rates) {
            return setList(Limit.DEVICE_WRITE_IOPS, rates);
        }

        /**
         * Sets whether the kernel's OOM killer is disabled for the container
         * ({@code oom_kill_disable}).
         *
         * @param oomKillDisable {@code true} to disable it; {@code null} to clear
         * @return this builder
         */
        public Builder oomKillDisable(Boolean oomKillDisable) {
            return set(Limit.OOM_KILL_DISABLE, oomKillDisable);
        }

        /**
         * Sets the adjustment of the OOM killer's score ({@code oom_score_adj}).
         *
         * @param oomScoreAdj -1000 to 1000, not 0; {@code null} to clear
         * @return this builder
         */
        public Builder oomScoreAdj(Integer oomScoreAdj) {
            return set(Limit.OOM_SCORE_ADJ, oomScoreAdj);
        }

        /**
         * Sets the size of {@code /dev/shm} ({@code shm_size}).
         *
         * @param shmSize above 0; {@code null} to clear
         * @return this builder
         */
        public Builder shmSize(MemorySize shmSize) {
            return set(Limit.SHM_SIZE, shmSize);
        }

        /**
         * Sets the resource limits of the container's processes ({@code ulimits}).
         *
         * @param ulimits each name at most once; {@code null} or empty to clear
         * @return this builder
         */
        public Builder ulimits(List<Ulimit> ulimits) {
            return setList(Limit.ULIMITS, ulimits);
        }

        /**
         * Clears one limit; a row of the CPU limit ({@code nano_cpus}, {@code cpu_quota},
         * {@code cpu_period}) clears the CPU limit.
         *
         * @param limit the limit to clear
         * @return this builder
         */
        public Builder clear(Limit limit) {
            return switch (limit.kind()) {
                case NANO_CPUS, CPU_QUOTA, CPU_PERIOD -> cpu(null);
                default -> set(limit, null);
            };
        }

        /**
         * Takes each limit that {@code other} sets, leaving the others as they are.
         *
         * @param other the limits to lay over these
         * @return this builder
         */
        public Builder overlay(ResourceLimits other) {
            if (other.values.containsKey(Limit.NANO_CPUS) || other.values.containsKey(Limit.CPU_QUOTA)) {
                cpu(null);
            }
            values.putAll(other.values);
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

        private Object get(Limit limit) {
            return values.get(limit);
        }

        List<Violation> violations() {
            List<Violation> v = new ArrayList<>();
            MemorySize memory = (MemorySize) get(Limit.MEMORY);
            MemorySize reservation = (MemorySize) get(Limit.MEMORY_RESERVATION);
            SwapLimit swap = (SwapLimit) get(Limit.MEMORY_SWAP);
            if (memory != null && memory.compareTo(MIN_MEMORY) < 0) {
                v.add(new Violation(Limit.MEMORY.keyword(), memory.toString(),
                        "must be at least 6m (6291456 bytes), the Docker daemon's minimum memory limit"));
            }
            if (reservation != null) {
                if (reservation.compareTo(MIN_MEMORY) < 0) {
                    v.add(new Violation(Limit.MEMORY_RESERVATION.keyword(), reservation.toString(),
                            "must be at least 6m (6291456 bytes), the Docker daemon's minimum memory reservation"));
                } else if (memory != null && reservation.compareTo(memory) > 0) {
                    v.add(new Violation(Limit.MEMORY_RESERVATION.keyword(), reservation.toString(),
                            "must not be above mem_limit (" + memory + "): the soft limit cannot exceed the hard one"));
                }
            }
            if (swap != null && !swap.isUnlimited()) {
                MemorySize total = swap.memoryPlusSwap().orElseThrow();
                if (memory == null) {
                    v.add(new Violation(Limit.MEMORY_SWAP.keyword(), swap.toString(),
                            "needs mem_limit: it is the total of memory and swap, and the Docker daemon"
                                    + " refuses it without a memory limit"));
                } else if (total.compareTo(memory) < 0) {
                    v.add(new Violation(Limit.MEMORY_SWAP.keyword(), swap.toString(),
                            "must be at least mem_limit (" + memory + "): it is the total of memory and swap,"
                                    + " not the swap alone"));
                }
            }
            for (Limit limit : Limit.values()) {
                Object value = get(limit);
                Limit.Range range = limit.range().orElse(null);
                if (value instanceof Integer n && range != null && (n < range.min() || n > range.max())) {
                    v.add(new Violation(limit.keyword(), n.toString(), range.rule()));
                }
                if (value instanceof List<?> list) {
                    listViolations(limit, list, range, v);
                }
            }
            Integer oomScoreAdj = (Integer) get(Limit.OOM_SCORE_ADJ);
            if (oomScoreAdj != null && oomScoreAdj == 0) {
                v.add(new Violation(Limit.OOM_SCORE_ADJ.keyword(), "0",
                        "must not be 0: 0 is the default, leave oom_score_adj unset instead"));
            }
            MemorySize shm = (MemorySize) get(Limit.SHM_SIZE);
            if (shm != null && shm.isZero()) {
                v.add(new Violation(Limit.SHM_SIZE.keyword(), shm.toString(),
                        "must be above 0 (0 asks for the daemon's default of 64m: leave shm_size unset instead)"));
            }
            return v;
        }

        /** Each device or ulimit name at most once; device weights within their range. */
        private static void listViolations(Limit limit, List<?> list, Limit.Range range, List<Violation> v) {
            Set<String> seen = new HashSet<>();
            for (Object item : list) {
                String name = item instanceof DeviceLimit d ? d.path() : ((Ulimit) item).name();
                if (!seen.add(name)) {
                    v.add(new Violation(limit.keyword(), item.toString(), "must name " + name + " once"));
                }
                if (item instanceof DeviceLimit d && range != null && (d.value() < range.min() || d.value() > range.max())) {
                    v.add(new Violation(limit.keyword(), d.toString(), range.rule()));
                }
            }
        }
    }
}
