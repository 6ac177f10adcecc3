package org.containerlimits.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A container's cgroup as the host kernel shows it, read directly from {@code /sys/fs/cgroup} and
 * independent of the library's own cgroup code: the ground truth of the containment tests. Found
 * through {@code /proc/<pid>/cgroup} of the container's main process; cgroup v1 (one hierarchy per
 * controller) and v2 (one unified hierarchy). Public for the tests of the stats package.
 */
public final class HostCgroup {
    private static final Path ROOT = Path.of("/sys/fs/cgroup");

    /** Per v1 controller ("pids", "memory", "cpuacct"), or "" for v2, the cgroup's directory. */
    private final Map<String, Path> dirs;
    private final boolean v2;

    private HostCgroup(Map<String, Path> dirs, boolean v2) {
        this.dirs = dirs;
        this.v2 = v2;
    }

    /** The cgroup of the process {@code pid} (on the host). */
    public static HostCgroup ofPid(long pid) {
        Map<String, Path> dirs = new HashMap<>();
        List<String> lines = lines(Path.of("/proc", Long.toString(pid), "cgroup"));
        for (String line : lines) {
            String[] parts = line.split(":", 3);
            if (parts.length < 3) {
                continue;
            }
            String path = parts[2].startsWith("/") ? parts[2].substring(1) : parts[2];
            if (parts[1].isEmpty()) {
                dirs.put("", ROOT.resolve(path));
            } else {
                for (String controller : parts[1].split(",")) {
                    dirs.put(controller, ROOT.resolve(parts[1]).resolve(path));
                }
            }
        }
        boolean v2 = !dirs.containsKey("memory") && dirs.containsKey("");
        return new HostCgroup(dirs, v2);
    }

    /** Processes and threads now in the cgroup. */
    public long pidsCurrent() {
        return number(file("pids", "pids.current"));
    }

    /** The pids limit, empty when unlimited. */
    public OptionalLong pidsMax() {
        String max = text(file("pids", "pids.max"));
        return max.equals("max") ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(max));
    }

    /** How many forks the pids limit refused ({@code pids.events}, "max"). */
    public long pidsRefused() {
        return keyed(file("pids", "pids.events")).getOrDefault("max", 0L);
    }

    /** CPU time used by the cgroup so far, in nanoseconds. */
    public long cpuNanos() {
        if (v2) {
            return keyed(file("cpu", "cpu.stat")).get("usage_usec") * 1000;
        }
        return number(file("cpuacct", "cpuacct.usage"));
    }

    /**
     * The CPU limit the kernel holds, in cores: the CFS quota over its period (v1
     * {@code cpu.cfs_quota_us}/{@code cpu.cfs_period_us}, v2 {@code cpu.max}); empty when unlimited.
     */
    public java.util.Optional<java.math.BigDecimal> cpuLimitCores() {
        String quota;
        String period;
        if (v2) {
            String[] max = text(file("cpu", "cpu.max")).split("\\s+");
            quota = max[0];
            period = max[1];
        } else {
            quota = text(file("cpu", "cpu.cfs_quota_us"));
            period = text(file("cpu", "cpu.cfs_period_us"));
        }
        if (quota.equals("max") || quota.equals("-1")) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new java.math.BigDecimal(quota).divide(new java.math.BigDecimal(period),
                java.math.MathContext.DECIMAL64).stripTrailingZeros());
    }

    /** CFS periods in which the cgroup was throttled. */
    public long throttledPeriods() {
        return keyed(file("cpu", "cpu.stat")).getOrDefault("nr_throttled", 0L);
    }

    /** The most memory the cgroup ever used (v1 max_usage_in_bytes, v2 memory.peak where the kernel has it). */
    public OptionalLong memoryPeakBytes() {
        Path f = v2 ? file("memory", "memory.peak") : file("memory", "memory.max_usage_in_bytes");
        return Files.isReadable(f) ? OptionalLong.of(number(f)) : OptionalLong.empty();
    }

    /** Memory in use, page cache included (v1 memory.usage_in_bytes, v2 memory.current). */
    public long memoryUsageBytes() {
        return number(v2 ? file("memory", "memory.current") : file("memory", "memory.usage_in_bytes"));
    }

    /** The memory limit in bytes. */
    public long memoryLimitBytes() {
        return number(v2 ? file("memory", "memory.max") : file("memory", "memory.limit_in_bytes"));
    }

    /**
     * The write rate limits in bytes per second the kernel holds, by {@code major:minor}: v1's
     * {@code blkio.throttle.write_bps_device} ({@code 254:0 4194304}), v2's {@code io.max}
     * ({@code 254:0 rbps=max wbps=4194304 riops=max wiops=max}).
     */
    Map<String, Long> writeBpsByDevice() {
        Map<String, Long> out = new HashMap<>();
        for (String line : lines(v2 ? file("", "io.max") : file("blkio", "blkio.throttle.write_bps_device"))) {
            String[] parts = line.trim().split("\\s+");
            for (int i = 1; i < parts.length; i++) {
                String value = parts[i].startsWith("wbps=") ? parts[i].substring(5) : v2 ? null : parts[i];
                if (value != null && !value.equals("max")) {
                    out.put(parts[0], Long.parseLong(value));
                }
            }
        }
        return out;
    }

    /** Whether the cgroup's directory is still there (it goes when the container stops). */
    public boolean exists() {
        return Files.isDirectory(dir(v2 ? "" : "memory"));
    }

    private Path file(String controller, String name) {
        return dir(v2 ? "" : controller).resolve(name);
    }

    private Path dir(String controller) {
        Path d = dirs.get(controller);
        if (d == null) {
            throw new IllegalStateException("no " + controller + " cgroup in " + dirs);
        }
        return d;
    }

    private static long number(Path f) {
        return Long.parseLong(text(f));
    }

    private static Map<String, Long> keyed(Path f) {
        Map<String, Long> values = new HashMap<>();
        for (String line : lines(f)) {
            String[] kv = line.trim().split("\\s+");
            if (kv.length == 2) {
                values.put(kv[0], Long.parseLong(kv[1]));
            }
        }
        return values;
    }

    private static String text(Path f) {
        try {
            return Files.readString(f).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> lines(Path f) {
        try {
            return Files.readAllLines(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether a file can be read now; empty while it cannot (the cgroup went away). */
    public static <T> Optional<T> whileThere(java.util.function.Supplier<T> read) {
        try {
            return Optional.of(read.get());
        } catch (UncheckedIOException e) {
            return Optional.empty();
        }
    }
}
