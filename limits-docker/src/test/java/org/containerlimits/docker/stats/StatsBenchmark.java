package org.containerlimits.docker.stats;

import com.github.dockerjava.api.DockerClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.containerlimits.core.usage.LimitsReading;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.docker.Containers;
import org.containerlimits.docker.DockerLimits;
import org.containerlimits.docker.HostCapabilities;
import org.containerlimits.docker.TestClients;

/**
 * Proves the stats reader's accuracy, latency and cost on this machine, side by side with
 * {@code docker stats --no-stream}, and prints the figures as a table. Not a test: run it with
 * {@code bin/stats-benchmark}.
 *
 * <p>Ground truth is the container's own cumulative CPU counter ({@code cpuacct.usage} on cgroup
 * v1, {@code usage_usec} of {@code cpu.stat} on v2), read from the host's cgroup tree with
 * {@link System#nanoTime()} around each read.
 */
public final class StatsBenchmark {
    private static final String IMAGE_BUSY_LOOP = "yes > /dev/null &";

    private final DockerClient client;
    private final DockerLimits limits;
    private final Containers containers;
    private final StringBuilder table = new StringBuilder();
    private final List<String> sections;

    private static final List<String> SECTIONS = List.of("accuracy", "latency", "memory", "scale");

    /** The container counts of the scale section: {@code -Dscale.counts=30,300,1000} by default. */
    private static final List<Integer> SCALE_COUNTS = java.util.Arrays.stream(
            System.getProperty("scale.counts", "30,300,1000").split(",")).map(String::strip).map(Integer::valueOf).toList();

    private StatsBenchmark(DockerClient client, List<String> sections) {
        this.client = client;
        this.sections = sections;
        this.limits = DockerLimits.of(client);
        this.containers = new Containers(client);
    }

    /**
     * Runs the benchmark.
     *
     * @param args the sections to run, any of {@code accuracy latency memory scale}; all when none given
     * @throws Exception on any failure
     */
    public static void main(String[] args) throws Exception {
        List<String> sections = args.length == 0 ? SECTIONS : List.of(args);
        for (String s : sections) {
            if (!SECTIONS.contains(s)) {
                System.err.println("unknown section '" + s + "': expected any of " + String.join(" ", SECTIONS));
                System.exit(2);
            }
        }
        try (DockerClient client = TestClients.fromEnvironment()) {
            StatsBenchmark b = new StatsBenchmark(client, sections);
            // Ctrl-C must not leave busy containers behind: the hook removes what is still there.
            Thread cleanup = new Thread(b.containers::close, "remove-benchmark-containers");
            Runtime.getRuntime().addShutdownHook(cleanup);
            try {
                b.run();
            } finally {
                b.containers.close();
                Runtime.getRuntime().removeShutdownHook(cleanup);
            }
            System.out.println();
            System.out.println(b.table);
        }
    }

    private void run() throws Exception {
        HostCapabilities host = limits.capabilities();
        line("machine: %d CPUs, %s memory, Docker %s, cgroup v%s (%s), Java %s", host.cpus(),
                host.memory(), host.serverVersion(), host.cgroupVersion(), host.cgroupDriver(),
                System.getProperty("java.version"));
        if (sections.contains("accuracy")) {
            accuracy();
        }
        if (sections.contains("latency")) {
            latencyAndCost();
        }
        if (sections.contains("memory")) {
            memory();
        }
        if (sections.contains("scale")) {
            scale();
        }
    }

    // ------------------------------------------------------------------------------------ accuracy

    private void accuracy() throws Exception {
        line("");
        line("ACCURACY: saturated containers (more busy loops than quota), 15 one-second intervals each");
        line("%-6s %-7s %8s %8s %8s %8s %10s %10s", "quota", "source", "truth%", "mean%", "maxErr", "max%",
                "docker%", "dockerErr");
        for (String quota : List.of("0.25", "0.5", "1.0", "1.5")) {
            long quotaMicros = Math.round(Double.parseDouble(quota) * 100_000);
            int loops = (int) Math.ceil(Double.parseDouble(quota)) + 1;
            String id = startBusy("cpu_quota=" + quotaMicros + ",cpu_period=100000", loops);
            Thread.sleep(2000);
            for (StatsSourceKind kind : List.of(StatsSourceKind.CGROUP, StatsSourceKind.API)) {
                accuracyOf(id, Double.parseDouble(quota), kind);
            }
            containers.remove(id);
        }
    }

    private void accuracyOf(String id, double quota, StatsSourceKind kind) throws Exception {
        Path usage = GroundTruth.cpuUsageFile(client, id);
        // The recorder only serves the API source; for the cgroup source it would be load on the host.
        try (StatsReader reader = StatsReader.builder(client).source(kind).build();
                GroundTruth.Recorder truth = kind == StatsSourceKind.API ? new GroundTruth.Recorder(usage) : null) {
            reader.read(id); // warm up: the API source opens its stream here
            Thread.sleep(1100);
            double sumTruth = 0;
            double sumReader = 0;
            double maxErr = 0;
            double maxPercent = 0;
            long[] bracket = bracketedRead(reader, id, usage);
            for (int i = 0; i < 15; i++) {
                Thread.sleep(1000);
                double t;
                LimitsReading r;
                if (kind == StatsSourceKind.CGROUP) {
                    // The cgroup source samples inside read(): the counter read just before and
                    // just after it brackets that sample to within microseconds.
                    long[] previous = bracket;
                    bracket = bracketedRead(reader, id, usage);
                    r = lastRead;
                    t = (double) (bracket[1] - previous[1]) / (bracket[0] - previous[0]) / quota * 100;
                } else {
                    // The API source's samples were taken by the daemon: the counter is
                    // interpolated at the two instants its samples carry.
                    r = reader.read(id);
                    Instant end = r.time();
                    t = truth.cpuPercentOfLimit(end.minus(r.interval()), end, quota);
                }
                sumTruth += t;
                sumReader += r.cpuPercentOfLimit();
                maxErr = Math.max(maxErr, Math.abs(r.cpuPercentOfLimit() - t));
                maxPercent = Math.max(maxPercent, r.cpuPercentOfLimit());
            }
            double dockerPercent = dockerStatsCpuPercent(id);
            double dockerOfLimit = dockerPercent / quota;
            line("%-6s %-7s %8.2f %8.2f %8.2f %8.2f %10.2f %10.2f", quota, kind.name().toLowerCase(Locale.ROOT),
                    sumTruth / 15, sumReader / 15, maxErr, maxPercent, dockerPercent,
                    Math.abs(dockerOfLimit - sumTruth / 15));
        }
    }

    private LimitsReading lastRead;

    /**
     * Reads the container with the counter read just before and just after it, each of those
     * between two clock readings at most 50 us apart (retried otherwise: a preemption between the
     * clock and the counter would put them at different instants): {mid time, mid counter}.
     */
    private long[] bracketedRead(StatsReader reader, String id, Path usage) throws IOException {
        long[] before = tightRead(usage);
        lastRead = reader.read(id);
        long[] after = tightRead(usage);
        return new long[] {before[0] + (after[0] - before[0]) / 2, before[1] + (after[1] - before[1]) / 2};
    }

    /** The counter and the midpoint of the tightest of up to 5 clock brackets around its read. */
    private static long[] tightRead(Path usage) throws IOException {
        long[] best = null;
        long width = Long.MAX_VALUE;
        for (int i = 0; i < 5 && width > 50_000; i++) {
            long t0 = System.nanoTime();
            long u = GroundTruth.cpuNanos(usage);
            long t1 = System.nanoTime();
            if (t1 - t0 < width) {
                width = t1 - t0;
                best = new long[] {t0 + (t1 - t0) / 2, u};
            }
        }
        return best;
    }

    // ------------------------------------------------------------------------------ latency, cost

    private void latencyAndCost() throws Exception {
        line("");
        line("LATENCY of one round (after the first), and COST of polling once a second");
        line("%-10s %-7s %10s %10s %14s %14s %12s", "containers", "source", "round ms", "docker ms",
                "threads % core", "process % core", "idle JVM %");
        line("(round: every container read once, serially, best of 5 rounds a second apart; docker: `docker stats"
                + " --no-stream` of the same containers; cost over 30 s of a 1 s poller: threads = CPU time of"
                + " the reader's threads (and docker-java's stream threads for api), to the nanosecond;"
                + " process = this JVM's CPU time less its CPU time over 20 s with no reader open, in 10 ms"
                + " ticks, so good to about 0.1)");
        measureIdleBaseline();
        List<String> ids = new ArrayList<>();
        for (int n : new int[] {1, 10, 30}) {
            while (ids.size() < n) {
                ids.add(startBusyOrIdle(ids.size()));
            }
            long dockerMs = timeDockerStats(ids);
            for (StatsSourceKind kind : List.of(StatsSourceKind.CGROUP, StatsSourceKind.API)) {
                try (StatsReader reader = StatsReader.builder(client).source(kind).build()) {
                    readRound(reader, ids);
                    Thread.sleep(1000);
                    readRound(reader, ids);
                    long best = Long.MAX_VALUE;
                    for (int i = 0; i < 5; i++) {
                        Thread.sleep(1000);
                        long t0 = System.nanoTime();
                        readRound(reader, ids);
                        best = Math.min(best, System.nanoTime() - t0);
                    }
                    double[] cost = n == 30 ? pollerCost(reader, ids) : null;
                    line("%-10d %-7s %10.2f %10d %14s %14s %12s", n, kind.name().toLowerCase(Locale.ROOT), best / 1e6,
                            dockerMs, cost == null ? "-" : String.format(Locale.ROOT, "%.3f", cost[1]),
                            cost == null ? "-" : String.format(Locale.ROOT, "%.3f", cost[0]),
                            cost == null ? "-" : String.format(Locale.ROOT, "%.3f", idleBaseline));
                }
            }
        }
        for (String id : ids) {
            containers.remove(id);
        }
    }

    /** One round: every container read once, one after another (a poller reads them concurrently). */
    private static void readRound(StatsReader reader, List<String> ids) {
        for (String id : ids) {
            reader.read(id);
        }
    }

    /** What this JVM spends with no reader open (GC, JIT, docker-java's idle threads): not the poller's. */
    private double idleBaseline = Double.NaN;

    private void measureIdleBaseline() throws InterruptedException {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        Thread.sleep(20_000);
        idleBaseline = (double) (os.getProcessCpuTime() - cpu0) / (System.nanoTime() - t0) * 100;
    }

    /** The poller's cost, in percent of one core: {process less idle JVM, the reader's own threads}. */
    private double[] pollerCost(StatsReader reader, List<String> ids) throws InterruptedException {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        // 50 quick rounds first, so that the JIT has compiled the read path before the measurement:
        // steady state is what a spawner pays, not the first minute's compilation.
        StatsPoller warmUp = reader.poll(ids, java.time.Duration.ofMillis(100), batch -> { });
        try {
            Thread.sleep(5_000);
        } finally {
            warmUp.close();
        }
        long cpu0 = os.getProcessCpuTime();
        long threads0 = readerThreadsCpuNanos();
        long t0 = System.nanoTime();
        int[] rounds = {0};
        StatsPoller poller = reader.poll(ids, java.time.Duration.ofSeconds(1), batch -> rounds[0]++);
        try {
            Thread.sleep(30_000); // long enough for the OS's 10 ms CPU-time ticks to resolve 0.1%
        } finally {
            poller.close();
        }
        long threads1 = readerThreadsCpuNanos();
        long cpu1 = os.getProcessCpuTime();
        long t1 = System.nanoTime();
        double total = (double) (cpu1 - cpu0) / (t1 - t0) * 100;
        return new double[] {total - idleBaseline, (double) (threads1 - threads0) / (t1 - t0) * 100};
    }

    /**
     * CPU time of the threads that do the reading: the reader's scheduler and workers, and for the
     * API source docker-java's stream threads, which decode the daemon's samples. Per-thread CPU
     * clocks count nanoseconds, not ticks. Threads that ended in between are not counted; none do
     * while a poller runs.
     */
    private static long readerThreadsCpuNanos() {
        var threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && (info.getThreadName().startsWith("containerlimits-stats")
                    || info.getThreadName().startsWith("docker-java-stream"))) {
                sum += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return sum;
    }

    // ------------------------------------------------------------------------------------ scale

    /**
     * Hundreds and a thousand idle containers: per source, the time and CPU of one round (every
     * container read once, one after another on this thread, a second after the last round) and
     * the descriptors the reader keeps open; for the cgroup source once with the default
     * descriptor budget (a quarter of the process's limit), once with every container's files kept
     * open and once with none (each file opened at each sample, what a process with
     * {@code ulimit -n 1024} does past 21 containers).
     */
    private void scale() throws Exception {
        line("");
        line("SCALE: idle containers (sleep), rounds of serial reads a second apart, median of 5 after 30 warm-up"
                + " rounds; descriptor limit %d, so the default budget keeps %d open",
                ((com.sun.management.UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                        .getMaxFileDescriptorCount(), DescriptorBudget.defaultMax());
        line("%-10s %-18s %10s %12s %14s %12s %10s %10s %10s", "containers", "source", "round ms", "CPU ms/round",
                "CPU us/ctr", "open fds", "docker ms", "bg %core", "daemon %");
        line("(round: wall time to read every container once; CPU: this thread's CPU time for it, so a 1 s poller"
                + " costs CPU ms/round / 10 %% of a core; open fds: this process's descriptors while the reader is"
                + " open, less before it; docker: `docker stats --no-stream` of the same containers; bg: CPU of the"
                + " reader's pool and docker-java's stream threads (decoding the daemon's samples), and daemon: of"
                + " dockerd, containerd and the shims, both in %% of one core over the row's whole run, first round"
                + " included)");
        List<String> ids = new ArrayList<>();
        java.util.concurrent.ExecutorService starter = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            for (int n : SCALE_COUNTS) {
                List<java.util.concurrent.Future<String>> started = new ArrayList<>();
                for (int i = ids.size(); i < n; i++) {
                    started.add(starter.submit(() -> containers.start(cmd -> { })));
                }
                for (var f : started) {
                    ids.add(f.get());
                }
                long dockerMs = timeDockerStats(ids);
                scaleRow(n, "cgroup, default", StatsReader.builder(client).source(StatsSourceKind.CGROUP), ids,
                        dockerMs);
                scaleRow(n, "cgroup, all kept", StatsReader.builder(client).source(StatsSourceKind.CGROUP)
                        .maxOpenFiles(Integer.MAX_VALUE), ids, dockerMs);
                scaleRow(n, "cgroup, none kept", StatsReader.builder(client).source(StatsSourceKind.CGROUP)
                        .maxOpenFiles(0), ids, dockerMs);
                samplesOnlyRow(n, ids);
                try (TestClients.Connection streams = TestClients.connect(TestClients.dockerHost(),
                        TestClients.RESPONSE_TIMEOUT, n + 2)) {
                    scaleRow(n, "api, own streams", StatsReader.builder(client).source(StatsSourceKind.API)
                            .apiStreamClient(streams.client(), n), ids, dockerMs);
                }
            }
            line("removing %d containers ...", ids.size());
            List<java.util.concurrent.Future<?>> removed = new ArrayList<>();
            for (String id : ids) {
                removed.add(starter.submit(() -> containers.remove(id)));
            }
            for (var f : removed) {
                f.get();
            }
        } finally {
            starter.shutdownNow();
        }
    }

    private void scaleRow(int n, String name, StatsReader.Builder builder, List<String> ids, long dockerMs)
            throws Exception {
        long fds0 = openDescriptors();
        long daemon0 = daemonCpuNanos();
        long background0 = readerThreadsCpuNanos();
        long start = System.nanoTime();
        try (StatsReader reader = builder.minWindow(java.time.Duration.ofMillis(100)).build()) {
            // A poller's first round: every container located and (api) its stream opened, all at once.
            java.util.concurrent.CompletableFuture<List<LimitsReading>> first = new java.util.concurrent.CompletableFuture<>();
            StatsPoller p = reader.poll(ids, java.time.Duration.ofSeconds(1), batch -> {
                if (batch.size() == ids.size()) {
                    first.complete(batch);
                }
            });
            try {
                first.get(120, TimeUnit.SECONDS);
            } finally {
                p.close();
            }
            long[] median = medianRound(() -> readRound(reader, ids));
            long fds = openDescriptors() - fds0;
            double seconds = (System.nanoTime() - start) / 1e9;
            double background = (readerThreadsCpuNanos() - background0) / 1e7 / seconds;
            double daemon = (daemonCpuNanos() - daemon0) / 1e7 / seconds;
            line("%-10d %-18s %10.2f %12.2f %14.1f %12d %10d %10.1f %10.1f", n, name, median[0] / 1e6,
                    median[1] / 1e6, median[1] / 1e3 / n, fds, dockerMs, background, daemon);
        }
    }

    /**
     * Times a round: 30 quick ones first ({@code -Dscale.warmup}), so that the JIT has compiled the
     * read path (steady state is what a spawner pays, not the first seconds' compilation), then 5
     * a second apart, as a 1 s poller's.
     *
     * @return the median wall time and this thread's median CPU time of the 5, in nanoseconds
     */
    private static long[] medianRound(Runnable round) throws InterruptedException {
        var threads = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < Integer.getInteger("scale.warmup", 30); i++) {
            round.run();
            Thread.sleep(110);
        }
        long[] wall = new long[5];
        long[] cpu = new long[5];
        for (int i = 0; i < 5; i++) {
            Thread.sleep(1000);
            long c0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            round.run();
            wall[i] = System.nanoTime() - t0;
            cpu[i] = threads.getCurrentThreadCpuTime() - c0;
        }
        java.util.Arrays.sort(wall);
        java.util.Arrays.sort(cpu);
        return new long[] {wall[2], cpu[2]};
    }

    /**
     * The floor under the cgroup source's rounds: the same containers' files kept open and read
     * into samples ({@link CgroupStatsSource#sample}), with no reader around them (no tracking, no
     * readings, no locks): what the kernel charges for the files themselves.
     */
    private void samplesOnlyRow(int n, List<String> ids) throws Exception {
        CgroupStatsSource source = new CgroupStatsSource(DescriptorBudget.of(Integer.MAX_VALUE));
        List<CgroupFiles> files = new ArrayList<>();
        try {
            for (String id : ids) {
                long pid = client.inspectContainerCmd(id).exec().getState().getPidLong();
                files.add(source.open(pid, id).orElseThrow());
            }
            long[] median = medianRound(() -> {
                for (CgroupFiles f : files) {
                    try {
                        source.sample(f);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            });
            line("%-10d %-18s %10.2f %12.2f %14.1f %12s %10s %10s %10s", n, "samples only", median[0] / 1e6,
                    median[1] / 1e6, median[1] / 1e3 / n, "-", "-", "-", "-");
        } finally {
            files.forEach(CgroupFiles::close);
            source.close();
        }
    }

    /** CPU time of dockerd, containerd and the containers' shims: what serving the reads costs the host. */
    private static long daemonCpuNanos() throws IOException {
        long ticks = 0;
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(d -> d.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    String name = stat.substring(open + 1, close);
                    if (name.equals("dockerd") || name.startsWith("containerd")) {
                        String[] f = stat.substring(close + 2).split(" ");
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
                    }
                } catch (IOException | RuntimeException e) {
                    // The process ended meanwhile.
                }
            }
        }
        return ticks * 10_000_000L; // USER_HZ 100
    }

    private static long openDescriptors() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    // ------------------------------------------------------------------------------------ memory

    private void memory() throws Exception {
        line("");
        line("MEMORY: a container that wrote 50 MiB to a file in /tmp (page cache is not usage)");
        String id = containers.start(cmd -> limitsOf("mem_limit=256m").accept(cmd));
        containers.exec(id, "dd", "if=/dev/zero", "of=/tmp/f", "bs=1M", "count=50");
        line("%-7s %14s %14s", "source", "memory MiB", "docker MiB");
        String docker = dockerStats(id, "{{.MemUsage}}");
        for (StatsSourceKind kind : List.of(StatsSourceKind.CGROUP, StatsSourceKind.API)) {
            try (StatsReader reader = StatsReader.builder(client).source(kind).build()) {
                reader.read(id);
                Thread.sleep(1100);
                LimitsReading r = reader.read(id);
                line("%-7s %14.2f %14s", kind.name().toLowerCase(Locale.ROOT), r.memoryBytes() / 1048576.0, docker);
            }
        }
        containers.remove(id);
    }

    // ------------------------------------------------------------------------------------ helpers

    private java.util.function.Consumer<com.github.dockerjava.api.command.CreateContainerCmd> limitsOf(String text) {
        return DockerLimits.modifier(ResourceLimits.parse(text));
    }

    private String startBusy(String limitsText, int loops) {
        String script = IMAGE_BUSY_LOOP.repeat(loops) + " wait";
        return containers.start(cmd -> {
            cmd.withCmd("sh", "-c", script);
            limitsOf(limitsText).accept(cmd);
        });
    }

    /** A mix like a notebook host's: one in three busy under a 0.25-core quota, the rest asleep. */
    private String startBusyOrIdle(int index) {
        return index % 3 == 0 ? startBusy("cpu_quota=25000,cpu_period=100000", 1)
                : containers.start(cmd -> limitsOf("cpu_quota=50000,cpu_period=100000,mem_limit=64m").accept(cmd));
    }

    private long timeDockerStats(List<String> ids) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        runDocker(withArgs(List.of("stats", "--no-stream", "--format", "{{.ID}}"), ids));
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    private double dockerStatsCpuPercent(String id) throws IOException, InterruptedException {
        String out = dockerStats(id, "{{.CPUPerc}}").replace("%", "").strip();
        return Double.parseDouble(out);
    }

    private String dockerStats(String id, String format) throws IOException, InterruptedException {
        return runDocker(List.of("stats", "--no-stream", "--format", format, id)).strip();
    }

    private static List<String> withArgs(List<String> head, List<String> tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(tail);
        return all;
    }

    private static String runDocker(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("docker");
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("docker " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    private void line(String format, Object... args) {
        String s = String.format(Locale.ROOT, format, args);
        System.out.println(s);
        table.append(s).append('\n');
    }

    /** The container's cumulative CPU counter, read straight from the host's cgroup tree. */
    static final class GroundTruth {
        private GroundTruth() {
        }

        static Path cpuUsageFile(DockerClient client, String id) {
            Long pid = client.inspectContainerCmd(id).exec().getState().getPidLong();
            try {
                Map<String, String> byController = new HashMap<>();
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"))) {
                    String[] parts = line.split(":", 3);
                    for (String controller : parts[1].split(",")) {
                        byController.put(controller, parts[2]);
                    }
                }
                if (byController.containsKey("cpuacct")) {
                    Path dir = Path.of("/sys/fs/cgroup/cpuacct" + byController.get("cpuacct"));
                    if (!Files.exists(dir)) {
                        dir = Path.of("/sys/fs/cgroup/cpu,cpuacct" + byController.get("cpuacct"));
                    }
                    return dir.resolve("cpuacct.usage");
                }
                return Path.of("/sys/fs/cgroup" + byController.get("")).resolve("cpu.stat");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /**
         * Samples the counter every 5 ms on its own thread, each sample stamped with the wall clock
         * ({@link Instant#now()}, microseconds on Linux), so that the counter can be interpolated
         * at any instant of the recording.
         */
        static final class Recorder implements AutoCloseable {
            private final Path file;
            private final List<long[]> samples = new ArrayList<>();
            private final Thread thread;
            private volatile boolean stop;

            Recorder(Path file) {
                this.file = file;
                this.thread = new Thread(this::record, "ground-truth");
                thread.setDaemon(true);
                thread.start();
            }

            private void record() {
                while (!stop) {
                    try {
                        long before = epochNanos(Instant.now());
                        long value = cpuNanos(file);
                        long after = epochNanos(Instant.now());
                        synchronized (samples) {
                            samples.add(new long[] {before + (after - before) / 2, value});
                        }
                        Thread.sleep(5);
                    } catch (IOException | InterruptedException e) {
                        return;
                    }
                }
            }

            private static long epochNanos(Instant t) {
                return t.getEpochSecond() * 1_000_000_000L + t.getNano();
            }

            private long latest() {
                synchronized (samples) {
                    return samples.isEmpty() ? Long.MIN_VALUE : samples.get(samples.size() - 1)[0];
                }
            }

            double cpuPercentOfLimit(Instant begin, Instant end, double quota) {
                double cpu = at(epochNanos(end)) - at(epochNanos(begin));
                return cpu / (epochNanos(end) - epochNanos(begin)) / quota * 100;
            }

            private double at(long t) {
                // A reading can end a moment after the recorder's latest sample: wait for the next.
                for (int wait = 0; wait < 100 && latest() < t; wait++) {
                    try {
                        Thread.sleep(3);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                synchronized (samples) {
                    for (int i = 1; i < samples.size(); i++) {
                        long[] a = samples.get(i - 1);
                        long[] b = samples.get(i);
                        if (b[0] >= t) {
                            return a[1] + (double) (b[1] - a[1]) * (t - a[0]) / Math.max(1, b[0] - a[0]);
                        }
                    }
                    throw new IllegalStateException("no ground truth recorded at " + t);
                }
            }

            @Override
            public void close() {
                stop = true;
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        static long cpuNanos(Path file) throws IOException {
            String text = Files.readString(file);
            if (file.getFileName().toString().equals("cpuacct.usage")) {
                return Long.parseLong(text.strip());
            }
            for (String line : text.split("\n")) {
                if (line.startsWith("usage_usec ")) {
                    return Long.parseLong(line.substring(11).strip()) * 1000;
                }
            }
            throw new IOException("no usage_usec in " + file);
        }
    }
}
