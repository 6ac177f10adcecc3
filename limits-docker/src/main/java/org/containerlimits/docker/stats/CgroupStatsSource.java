package org.containerlimits.docker.stats;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.containerlimits.core.usage.UsageSample;

/**
 * Reads a container's counters straight from its cgroup files, for a daemon on this host: a few
 * small file reads, microseconds per container, no daemon round trip.
 *
 * <p>The container's cgroup is found from its main process ({@code State.Pid} of
 * {@code docker inspect}): {@code /proc/<pid>/cgroup} names its cgroup in each hierarchy and
 * {@code /proc/self/mountinfo} says where those hierarchies are mounted, which works for the
 * cgroupfs and systemd drivers, cgroup v1 (and hybrid) and v2.
 *
 * <table class="striped">
 *   <caption>Files</caption>
 *   <thead><tr><th>UsageSample</th><th>cgroup v1</th><th>cgroup v2</th></tr></thead>
 *   <tbody>
 *   <tr><td>cpuNanos</td><td>{@code cpuacct/cpuacct.usage}</td><td>{@code cpu.stat} usage_usec</td></tr>
 *   <tr><td>throttling</td><td>{@code cpu/cpu.stat} nr_periods, nr_throttled, throttled_time</td>
 *       <td>{@code cpu.stat} nr_periods, nr_throttled, throttled_usec</td></tr>
 *   <tr><td>memory</td><td>{@code memory/memory.usage_in_bytes}, {@code memory.stat}
 *       total_inactive_file, {@code memory.limit_in_bytes}</td>
 *       <td>{@code memory.current}, {@code memory.stat} inactive_file, {@code memory.max}</td></tr>
 *   <tr><td>swap</td><td>{@code memory.memsw.usage_in_bytes} less usage, with swap accounting</td>
 *       <td>{@code memory.swap.current}</td></tr>
 *   <tr><td>pids</td><td>{@code pids/pids.current}, {@code pids.max}</td>
 *       <td>{@code pids.current}, {@code pids.max}</td></tr>
 *   <tr><td>oomKills</td><td>{@code memory.oom_control} oom_kill (Linux 4.13 and later; empty
 *       before)</td><td>{@code memory.events} oom_kill (hierarchical: kills in child cgroups
 *       count, which {@code memory.events.local} would miss)</td></tr>
 *   <tr><td>host</td><td colspan="2">{@code /proc/stat}'s {@code cpu} line: systemCpuNanos is the sum of
 *       its first seven fields (user to softirq, as dockerd sums them), idle is idle plus iowait, both
 *       in USER_HZ (100 per second) turned into nanoseconds; online CPUs are its {@code cpuN} lines</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>Timestamps come from the reader's monotonic clock, taken around the CPU counter's read (see
 * {@link CgroupFiles#cpu()}). A container's files stay open between samples while the
 * {@link DescriptorBudget} has room, and are opened at each sample past it ({@link CgroupFiles});
 * {@code /proc/stat} is shared by all and read at most once per 20 ms. Thread-safe.
 */
final class CgroupStatsSource {

    /** The source name in readings. */
    static final String NAME = "cgroup";

    private static final long NANOS_PER_TICK = 1_000_000_000L / 100;

    private final Path procRoot;
    private final DescriptorBudget budget;
    private final Instant baseTime;
    private final long baseNanos;

    /**
     * A source reading this host's {@code /proc}.
     *
     * @param budget the descriptors the containers' files may keep open
     */
    CgroupStatsSource(DescriptorBudget budget) {
        this(Path.of("/proc"), budget);
    }

    /**
     * A source reading another {@code /proc} tree, for tests.
     *
     * @param procRoot the directory standing for {@code /proc}
     * @param budget the descriptors the containers' files may keep open
     */
    CgroupStatsSource(Path procRoot, DescriptorBudget budget) {
        this.procRoot = procRoot;
        this.budget = budget;
        this.baseTime = Instant.now();
        this.baseNanos = System.nanoTime();
    }

    /**
     * Finds a process's cgroup directories.
     *
     * @param pid the container's main process, as the daemon reports it
     * @param containerId the container's full id; when not null, the cgroup path must contain it
     *     (both drivers name the cgroup after the id), which rules out a process of another host
     *     that happens to have the same pid
     * @return the location, or empty when the process or its cgroup files cannot be read here
     */
    Optional<CgroupLocation> locate(long pid, String containerId) {
        if (pid <= 0) {
            return Optional.empty();
        }
        try {
            Map<String, String> paths = new HashMap<>();
            String unified = null;
            for (String line : Files.readAllLines(procRoot.resolve(pid + "/cgroup"), StandardCharsets.UTF_8)) {
                int first = line.indexOf(':');
                int second = line.indexOf(':', first + 1);
                if (first < 0 || second < 0) {
                    continue;
                }
                String controllers = line.substring(first + 1, second);
                String path = line.substring(second + 1);
                if (controllers.isEmpty()) {
                    unified = path;
                } else {
                    for (String c : controllers.split(",")) {
                        paths.put(c, path);
                    }
                }
            }
            List<Mount> mounts = mounts();
            CgroupLocation location;
            if (paths.containsKey("cpuacct") && paths.containsKey("memory")) {
                Path cpu = dir(mounts, "cpu", paths.get("cpu"));
                Path cpuacct = dir(mounts, "cpuacct", paths.get("cpuacct"));
                Path memory = dir(mounts, "memory", paths.get("memory"));
                Path pids = paths.containsKey("pids") ? dir(mounts, "pids", paths.get("pids")) : null;
                Path cpuset = paths.containsKey("cpuset") ? dir(mounts, "cpuset", paths.get("cpuset")) : null;
                if (cpu == null || cpuacct == null || memory == null) {
                    return Optional.empty();
                }
                location = new CgroupLocation(false, cpu, cpuacct, memory, pids, cpuset);
            } else if (unified != null) {
                Path dir = dir(mounts, null, unified);
                if (dir == null) {
                    return Optional.empty();
                }
                location = new CgroupLocation(true, dir, dir, dir, dir, dir);
            } else {
                return Optional.empty();
            }
            if (containerId != null && !location.cpuacct().toString().contains(containerId)) {
                return Optional.empty();
            }
            return Optional.of(location);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Finds a process's cgroup and opens its files, checked by one sample.
     *
     * @param pid the container's main process
     * @param containerId the container's full id, or null; see {@link #locate}
     * @return the open files (close them), or empty when they cannot be found or read here
     */
    Optional<CgroupFiles> open(long pid, String containerId) {
        Optional<CgroupLocation> location = locate(pid, containerId);
        if (location.isEmpty()) {
            return Optional.empty();
        }
        CgroupFiles files = null;
        try {
            files = CgroupFiles.open(location.get(), budget);
            sample(files);
            return Optional.of(files);
        } catch (IOException | RuntimeException e) {
            if (files != null) {
                files.close();
            }
            return Optional.empty();
        }
    }

    /**
     * Reads one sample.
     *
     * @param f the container's open files
     * @return the sample, timed by this source's monotonic clock at the instant of the CPU counter
     * @throws IOException when a file is gone (the container stopped) or unreadable
     * @throws org.containerlimits.core.usage.InvalidSampleException when a figure is impossible or, for
     *     the OOM kill count, not a number
     */
    UsageSample sample(CgroupFiles f) throws IOException {
        CgroupFiles.CpuReading cpu = f.cpu();
        long[] throttling = f.throttling();
        long usage = f.memoryUsage();
        long inactiveFile = f.inactiveFile();
        OptionalLong limit = f.memoryLimit();
        OptionalLong swap = f.swap(usage);
        long pids = f.pids();
        OptionalLong pidsLimit = f.pidsLimit();
        OptionalLong oomKills = f.oomKills();
        HostStat host = hostStat();
        return new UsageSample(at(cpu.monotonicNanos()), cpu.cpuNanos(), OptionalLong.of(host.totalNanos()),
                OptionalLong.of(host.idleNanos()), host.cpus(), throttling[0], throttling[1], throttling[2], usage,
                inactiveFile, limit, swap, pids, pidsLimit, oomKills);
    }

    /**
     * Returns this source's monotonic time.
     *
     * @return the base instant plus the nanoseconds elapsed since
     */
    Instant now() {
        return at(System.nanoTime());
    }

    private Instant at(long monotonicNanos) {
        return baseTime.plusNanos(monotonicNanos - baseNanos);
    }

    /** The host's CPU times from {@code /proc/stat}. */
    record HostStat(long totalNanos, long idleNanos, int cpus) {
    }

    /** The latest /proc/stat reading and when it was taken; one serves a whole poller round. */
    private volatile HostStat cachedHost;
    private volatile long cachedHostAt;

    /** How long one /proc/stat reading serves: the host figures only inform docker's percent and
     * the host's saturation, which need no finer timing, and reading it is the costliest file. */
    private static final long HOST_STAT_TTL_NANOS = 20_000_000L;

    HostStat hostStat() throws IOException {
        HostStat cached = cachedHost;
        long now = System.nanoTime();
        if (cached != null && now - cachedHostAt < HOST_STAT_TTL_NANOS) {
            return cached;
        }
        HostStat fresh = readHostStat();
        cachedHost = fresh;
        cachedHostAt = now;
        return fresh;
    }

    /** /proc/stat, kept open and read again from offset 0 like top does; guarded by {@code this}. */
    private FileChannel procStat;
    private byte[] procStatBuffer = new byte[4096];

    private synchronized HostStat readHostStat() throws IOException {
        if (closed) {
            throw new IOException("the source is closed");
        }
        if (procStat == null) {
            procStat = FileChannel.open(procRoot.resolve("stat"), StandardOpenOption.READ);
        }
        while (true) {
            ByteBuffer b = ByteBuffer.wrap(procStatBuffer);
            procStat.read(b, 0);
            HostStat parsed = parseHostStat(procStatBuffer, b.position());
            if (parsed != null || b.hasRemaining()) {
                if (parsed == null) {
                    throw new IOException("no cpu line in " + procRoot.resolve("stat"));
                }
                return parsed;
            }
            // The cpu lines did not all fit (a host with many CPUs): read again into a bigger buffer.
            procStatBuffer = new byte[procStatBuffer.length * 2];
        }
    }

    /**
     * Parses the {@code cpu} lines at the top of {@code /proc/stat}; the rest (the long {@code intr}
     * line) is not needed.
     *
     * @return the figures, or null when the buffer ends before the cpu lines do
     */
    static HostStat parseHostStat(byte[] data, int length) {
        long total = 0;
        long idle = 0;
        int cpus = 0;
        boolean sawTotal = false;
        int line = 0;
        while (line < length) {
            int end = line;
            while (end < length && data[end] != '\n') {
                end++;
            }
            if (end == length) {
                return null;
            }
            boolean cpuLine = end - line > 3 && data[line] == 'c' && data[line + 1] == 'p' && data[line + 2] == 'u';
            if (!cpuLine) {
                return sawTotal ? new HostStat(total * NANOS_PER_TICK, idle * NANOS_PER_TICK, cpus) : null;
            }
            if (data[line + 3] == ' ') {
                long[] f = new long[8];
                int n = 0;
                int i = line + 3;
                while (i < end && n < f.length) {
                    while (i < end && data[i] == ' ') {
                        i++;
                    }
                    long v = 0;
                    int digits = 0;
                    while (i < end && data[i] >= '0' && data[i] <= '9') {
                        v = v * 10 + (data[i] - '0');
                        i++;
                        digits++;
                    }
                    if (digits == 0) {
                        break;
                    }
                    f[n++] = v;
                }
                // user nice system idle iowait irq softirq [steal]: dockerd sums the first seven.
                for (int k = 0; k < Math.min(7, n); k++) {
                    total += f[k];
                }
                idle = f[3] + f[4];
                sawTotal = true;
            } else {
                cpus++;
            }
            line = end + 1;
        }
        return sawTotal ? new HostStat(total * NANOS_PER_TICK, idle * NANOS_PER_TICK, cpus) : null;
    }

    /** Closes {@code /proc/stat}; later samples fail. */
    synchronized void close() {
        closed = true;
        if (procStat != null) {
            try {
                procStat.close();
            } catch (IOException e) {
                // A read-only descriptor: nothing to lose.
            }
            procStat = null;
        }
    }

    private boolean closed;

    // ------------------------------------------------------------------------------ files

    private record Mount(String root, Path mountPoint, boolean v2, List<String> options) {
    }

    private List<Mount> mounts() throws IOException {
        List<Mount> mounts = new ArrayList<>();
        for (String line : Files.readAllLines(procRoot.resolve("self/mountinfo"), StandardCharsets.UTF_8)) {
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String[] left = line.substring(0, dash).split(" ");
            String[] right = line.substring(dash + 3).split(" ");
            if (left.length < 5 || right.length < 3) {
                continue;
            }
            boolean v2 = right[0].equals("cgroup2");
            if (!v2 && !right[0].equals("cgroup")) {
                continue;
            }
            mounts.add(new Mount(unescape(left[3]), Path.of(unescape(left[4])), v2, List.of(right[2].split(","))));
        }
        return mounts;
    }

    /** The directory of a cgroup path in the hierarchy of a v1 controller, or of v2 when null. */
    private static Path dir(List<Mount> mounts, String controller, String cgroupPath) {
        if (cgroupPath == null) {
            return null;
        }
        for (Mount m : mounts) {
            boolean match = controller == null ? m.v2() : !m.v2() && m.options().contains(controller);
            if (!match) {
                continue;
            }
            String root = m.root().equals("/") ? "" : m.root();
            if (!root.isEmpty() && !(cgroupPath.equals(root) || cgroupPath.startsWith(root + "/"))) {
                continue;
            }
            String relative = cgroupPath.substring(root.length());
            while (relative.startsWith("/")) {
                relative = relative.substring(1);
            }
            Path dir = relative.isEmpty() ? m.mountPoint() : m.mountPoint().resolve(relative);
            if (Files.isDirectory(dir)) {
                return dir;
            }
        }
        return null;
    }

    private static String unescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }
}
