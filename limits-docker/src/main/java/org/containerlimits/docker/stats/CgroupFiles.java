package org.containerlimits.docker.stats;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.containerlimits.core.usage.InvalidSampleException;

/**
 * One container's cgroup files, kept open between samples and read again from offset 0, as
 * {@code top} does with {@code /proc/stat}: a positional read of an open cgroup file costs about a
 * microsecond, opening it again costs several (the path walk through the cgroup file system is most
 * of a sample's cost). Nine to twelve descriptors per container.
 *
 * <p>Open descriptors are counted against the reader's {@link DescriptorBudget}: a container whose
 * files do not fit in what is left has them opened at each read and closed at once, so a host with
 * more containers than the process may hold descriptors for is still read, one file at a time.
 *
 * <p>When the cgroup is removed (the container stopped), every read fails with an
 * {@link IOException} ({@code ENODEV} on a kept file, {@code ENOENT} on one opened again); the
 * caller closes this and locates the container again.
 *
 * <p>Not thread-safe: one buffer serves every file. The reader holds a container's lock around it.
 */
final class CgroupFiles implements AutoCloseable {

    /** Above this, a CPU counter read and its timestamps are not one instant: the read is retried. */
    static final long TIGHT_BRACKET_NANOS = 50_000;

    /** Tries at a tight bracket; after them the tightest one is kept. */
    private static final int BRACKET_TRIES = 3;

    private final CgroupLocation location;
    private final List<Handle> files = new ArrayList<>();
    private final Handle cpuUsage;
    private final Handle cpuStat;
    private final Handle memoryUsage;
    private final Handle memoryStat;
    private final Handle memoryLimit;
    private final Handle memoryAndSwap;
    private final Handle pidsCurrent;
    private final Handle pidsMax;
    /** v1 cpu.cfs_quota_us and cpu.cfs_period_us, or v2 cpu.max; null where absent. */
    private final Handle cfsQuota;
    private final Handle cfsPeriod;
    /** v1 cpuset.cpus, or v2 cpuset.cpus.effective; null where absent. */
    private final Handle cpusetCpus;
    /** v2 memory.events, or v1 memory.oom_control, for their oom_kill line; null where absent. */
    private final Handle oomEvents;
    private final String oomEventsName;
    /** The budget the kept descriptors are counted against; null once given back, or when none were kept. */
    private DescriptorBudget budget;
    private boolean closed;
    private byte[] buffer = new byte[4096];
    private int length;

    /**
     * A cgroup file: open for the container's life, or (past the budget) opened at each read.
     */
    private static final class Handle {
        final Path path;
        FileChannel channel;

        Handle(Path path) {
            this.path = path;
        }
    }

    private CgroupFiles(CgroupLocation l, DescriptorBudget budget) throws IOException {
        this.location = l;
        try {
            if (l.v2()) {
                cpuStat = open(l.cpu().resolve("cpu.stat"));
                cpuUsage = null;
                memoryUsage = open(l.memory().resolve("memory.current"));
                memoryStat = open(l.memory().resolve("memory.stat"));
                memoryLimit = open(l.memory().resolve("memory.max"));
                memoryAndSwap = openIfExists(l.memory().resolve("memory.swap.current"));
                // memory.events, not memory.events.local: the local file counts only the kills of
                // tasks in this very cgroup, and a container may put its processes in child cgroups
                // of its own (systemd in a container, a v2 init that moves itself to a leaf to enable
                // controllers), whose kills only the hierarchical file counts. It is what v1's
                // memory.oom_control reports too. (A host that mounts cgroup2 with memory_localevents
                // makes memory.events local as well.)
                oomEventsName = "memory.events";
            } else {
                cpuUsage = open(l.cpuacct().resolve("cpuacct.usage"));
                cpuStat = open(l.cpu().resolve("cpu.stat"));
                memoryUsage = open(l.memory().resolve("memory.usage_in_bytes"));
                memoryStat = open(l.memory().resolve("memory.stat"));
                memoryLimit = open(l.memory().resolve("memory.limit_in_bytes"));
                // Present only with swap accounting (swapaccount=1); checked once, not per sample.
                memoryAndSwap = openIfExists(l.memory().resolve("memory.memsw.usage_in_bytes"));
                // Its oom_kill line came with Linux 4.13; older kernels have the file without it.
                oomEventsName = "memory.oom_control";
            }
            oomEvents = openIfExists(l.memory().resolve(oomEventsName));
            if (l.v2()) {
                cfsQuota = openIfExists(l.cpu().resolve("cpu.max"));
                cfsPeriod = null;
            } else {
                cfsQuota = openIfExists(l.cpu().resolve("cpu.cfs_quota_us"));
                cfsPeriod = openIfExists(l.cpu().resolve("cpu.cfs_period_us"));
            }
            cpusetCpus = l.cpuset() == null ? null
                    : openIfExists(l.cpuset().resolve(l.v2() ? "cpuset.cpus.effective" : "cpuset.cpus"));
            pidsCurrent = l.pids() == null ? null : open(l.pids().resolve("pids.current"));
            pidsMax = l.pids() == null ? null : open(l.pids().resolve("pids.max"));
            if (budget.take(files.size())) {
                this.budget = budget;
                for (Handle h : files) {
                    h.channel = FileChannel.open(h.path, StandardOpenOption.READ);
                }
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Finds a container's files and keeps them open when the budget has room for them all.
     *
     * @param l where they are
     * @param budget the descriptors this process may keep open for cgroup files
     * @return the files; close them
     * @throws IOException when one that must be there is missing or cannot be opened
     */
    static CgroupFiles open(CgroupLocation l, DescriptorBudget budget) throws IOException {
        return new CgroupFiles(l, budget);
    }

    /**
     * Whether the files are kept open between reads, or opened at each.
     *
     * @return true when kept open
     */
    boolean keptOpen() {
        return budget != null;
    }

    /**
     * How many files are read per sample.
     *
     * @return the count, the descriptors this holds when kept open
     */
    int fileCount() {
        return files.size();
    }

    /**
     * Where these files are.
     *
     * @return the location
     */
    CgroupLocation location() {
        return location;
    }

    /** The cumulative CPU counter and when it was read: the midpoint of a tight clock bracket. */
    record CpuReading(long cpuNanos, long monotonicNanos) {
    }

    /**
     * Reads the CPU counter between two clock readings, again when they are more than
     * {@value #TIGHT_BRACKET_NANOS} ns apart (the thread was preempted in between, so the counter and
     * the time would not be one instant: a 5 ms preemption would move a 1 s reading of a busy
     * container by half a percent).
     *
     * @return the counter and the midpoint of the tightest bracket
     * @throws IOException when the file cannot be read
     */
    CpuReading cpu() throws IOException {
        CpuReading best = null;
        long bestWidth = Long.MAX_VALUE;
        for (int i = 0; i < BRACKET_TRIES && bestWidth > TIGHT_BRACKET_NANOS; i++) {
            long before = System.nanoTime();
            long nanos = cpuUsage != null ? number(cpuUsage) : key(cpuStat, "usage_usec") * 1000;
            long after = System.nanoTime();
            if (after - before < bestWidth) {
                bestWidth = after - before;
                best = new CpuReading(nanos, before + (after - before) / 2);
            }
        }
        return best;
    }

    /**
     * The CFS counters: periods, throttled periods, throttled nanoseconds.
     *
     * @return the three counters, zero where absent
     * @throws IOException when the file cannot be read
     */
    long[] throttling() throws IOException {
        read(cpuStat);
        long periods = Math.max(0, find("nr_periods"));
        long throttled = Math.max(0, find("nr_throttled"));
        long throttledNanos = location.v2() ? Math.max(0, find("throttled_usec")) * 1000
                : Math.max(0, find("throttled_time"));
        return new long[] {periods, throttled, throttledNanos};
    }

    /**
     * Memory charged to the cgroup, page cache included.
     *
     * @return bytes
     * @throws IOException when the file cannot be read
     */
    long memoryUsage() throws IOException {
        return number(memoryUsage);
    }

    /**
     * Inactive file cache, which docker/cli takes off the usage: {@code total_inactive_file} on v1
     * (hierarchical), {@code inactive_file} on v2 (and on v1 without the total).
     *
     * @return bytes, 0 when absent
     * @throws IOException when the file cannot be read
     */
    long inactiveFile() throws IOException {
        read(memoryStat);
        long value = location.v2() ? -1 : find("total_inactive_file");
        if (value < 0) {
            value = find("inactive_file");
        }
        return Math.max(0, value);
    }

    /**
     * The memory limit.
     *
     * @return bytes, empty for v2's {@code max}; v1's "unlimited" is a huge number the caller judges
     * @throws IOException when the file cannot be read
     */
    OptionalLong memoryLimit() throws IOException {
        return optionalNumber(memoryLimit);
    }

    /**
     * Swap in use, where the kernel accounts it.
     *
     * @param usage the memory usage read just before, which v1's memory+swap counter includes
     * @return bytes, empty without swap accounting
     * @throws IOException when the file cannot be read
     */
    OptionalLong swap(long usage) throws IOException {
        if (memoryAndSwap == null) {
            return OptionalLong.empty();
        }
        long value = number(memoryAndSwap);
        return OptionalLong.of(location.v2() ? value : Math.max(0, value - usage));
    }

    /**
     * Tasks in the cgroup.
     *
     * @return the count, 0 without a pids controller
     * @throws IOException when the file cannot be read
     */
    long pids() throws IOException {
        return pidsCurrent == null ? 0 : number(pidsCurrent);
    }

    /**
     * The pids limit.
     *
     * @return the limit, empty for {@code max} or without a pids controller
     * @throws IOException when the file cannot be read
     */
    OptionalLong pidsLimit() throws IOException {
        return pidsMax == null ? OptionalLong.empty() : optionalNumber(pidsMax);
    }

    /**
     * Processes the kernel's OOM killer has killed in the cgroup (and its child cgroups) since it
     * was created, whether or not the container survived them: the {@code oom_kill} line of v2's
     * {@code memory.events} or v1's {@code memory.oom_control}.
     *
     * @return the count, empty without the file or without the line (v1 kernels before 4.13)
     * @throws IOException when the file cannot be read
     * @throws InvalidSampleException when the line holds no count (not a decimal number, or one
     *     too large for a {@code long})
     */
    OptionalLong oomKills() throws IOException {
        if (oomEvents == null) {
            return OptionalLong.empty();
        }
        read(oomEvents);
        int at = valueOf("oom_kill");
        if (at < 0) {
            return OptionalLong.empty();
        }
        int end = at;
        while (end < length && buffer[end] != '\n') {
            end++;
        }
        long value = parse(at);
        int digitsEnd = at;
        while (digitsEnd < end && buffer[digitsEnd] >= '0' && buffer[digitsEnd] <= '9') {
            digitsEnd++;
        }
        if (value < 0 || digitsEnd != end) {
            String text = new String(buffer, at, Math.min(end - at, 40), StandardCharsets.US_ASCII)
                    .replaceAll("\\p{Cntrl}", "?");
            throw new InvalidSampleException("oomKills", "'" + text + "' (" + oomEventsName + ", line oom_kill)",
                    "is not a count; the kernel writes a decimal number there");
        }
        return OptionalLong.of(value);
    }

    /**
     * The CFS quota and period and the cpuset as the kernel holds them, as text, to notice a live
     * change of the CPU limit ({@code docker update --cpus}, {@code --cpuset-cpus}) without asking
     * the daemon each time.
     *
     * @return the raw text, e.g. {@code 150000 100000 0-1}; empty without the files
     * @throws IOException when a file cannot be read
     */
    String cpuLimitText() throws IOException {
        StringBuilder text = new StringBuilder();
        for (Handle c : new Handle[] {cfsQuota, cfsPeriod, cpusetCpus}) {
            if (c != null) {
                read(c);
                text.append(new String(buffer, 0, length, StandardCharsets.US_ASCII).strip()).append(' ');
            }
        }
        return text.toString().strip();
    }

    @Override
    public void close() {
        closed = true;
        for (Handle h : files) {
            if (h.channel != null) {
                try {
                    h.channel.close();
                } catch (IOException e) {
                    // Closing a read-only descriptor loses nothing.
                }
                h.channel = null;
            }
        }
        if (budget != null) {
            budget.give(files.size());
            budget = null;
        }
    }

    // ------------------------------------------------------------------------------ reading

    /** A file that must be there; opened for the constructor's check, kept or not after it. */
    private Handle open(Path file) throws IOException {
        if (!Files.isReadable(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString(), null, "missing or not readable");
        }
        Handle h = new Handle(file);
        files.add(h);
        return h;
    }

    private Handle openIfExists(Path file) throws IOException {
        return Files.exists(file) ? open(file) : null;
    }

    /**
     * Reads a whole file from offset 0 into the buffer. Cgroup and proc files are generated on each
     * read from offset 0, and a read returns as much as fits: a read that leaves room is the whole
     * file, one that fills the buffer is read again into a bigger one.
     */
    private void read(Handle h) throws IOException {
        if (closed) {
            throw new java.nio.channels.ClosedChannelException();
        }
        if (h.channel != null) {
            read(h.channel);
            return;
        }
        try (FileChannel c = FileChannel.open(h.path, StandardOpenOption.READ)) {
            read(c);
        }
    }

    private void read(FileChannel c) throws IOException {
        while (true) {
            ByteBuffer b = ByteBuffer.wrap(buffer);
            c.read(b, 0);
            if (b.hasRemaining()) {
                length = b.position();
                return;
            }
            buffer = new byte[buffer.length * 2];
        }
    }

    private long number(Handle c) throws IOException {
        OptionalLong value = optionalNumber(c);
        return value.orElse(0);
    }

    /** A file holding one number, or {@code max} (empty). */
    private OptionalLong optionalNumber(Handle c) throws IOException {
        read(c);
        int i = 0;
        while (i < length && buffer[i] <= ' ') {
            i++;
        }
        if (i < length && buffer[i] == 'm') {
            return OptionalLong.empty();
        }
        long value = parse(i);
        if (value < 0) {
            throw new IOException("not a number: '" + new String(buffer, 0, length, StandardCharsets.US_ASCII).strip()
                    + "'");
        }
        return OptionalLong.of(value);
    }

    private long key(Handle c, String key) throws IOException {
        read(c);
        return Math.max(0, find(key));
    }

    /** The value of a {@code key value} line of the buffer, or -1 when there is none. */
    private long find(String key) {
        int at = valueOf(key);
        return at < 0 ? -1 : parse(at);
    }

    /** Where the value of the first {@code key value} line of the buffer starts, or -1 when there is none. */
    private int valueOf(String key) {
        int k = key.length();
        int line = 0;
        while (line < length) {
            if (line + k < length && buffer[line + k] == ' ' && startsWith(line, key)) {
                return line + k + 1;
            }
            while (line < length && buffer[line] != '\n') {
                line++;
            }
            line++;
        }
        return -1;
    }

    private boolean startsWith(int at, String key) {
        for (int i = 0; i < key.length(); i++) {
            if (buffer[at + i] != key.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The non-negative decimal at {@code at}, or -1 when there are no digits or it overflows. */
    private long parse(int at) {
        long value = 0;
        int i = at;
        while (i < length && buffer[i] >= '0' && buffer[i] <= '9') {
            if (value > (Long.MAX_VALUE - 9) / 10) {
                return -1;
            }
            value = value * 10 + (buffer[i] - '0');
            i++;
        }
        return i == at ? -1 : value;
    }
}
