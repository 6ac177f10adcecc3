package org.containerlimits.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import com.github.dockerjava.api.DockerClient;
import org.containerlimits.core.usage.LimitsReading;
import org.containerlimits.docker.stats.StatsPoller;
import org.containerlimits.docker.stats.StatsReader;
import org.containerlimits.docker.stats.StatsSourceKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code limits stats [--interval DURATION] [--samples N] [--source auto|cgroup|api] [--json]
 * [--chart FILE.png] CONTAINER...}: how close each container is to its own limits, once per
 * interval: a table like {@code docker stats} with CPU CORES and CPU % OF LIMIT beside docker's
 * CPU %, or one JSON object per reading and line.
 *
 * <pre>
 * $ limits stats --samples 1 alice
 * NAME                CPU %     CPU CORES   CPU % OF LIMIT MEM USAGE / LIMIT        MEM %   PIDS   PRESSURE
 * alice              149.9%   1.50 / 1.50            99.9% 1.7MiB / unlimited          --      4   LIMIT
 * </pre>
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Show how close containers are to their own CPU and memory limits.")
public final class StatsCommand implements Callable<Integer> {

    @ParentCommand
    LimitsCommand parent;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "1s",
            description = "Time between readings: 500ms, 1s, 2m (default: ${DEFAULT-VALUE}).")
    String interval;

    @Option(names = "--samples", paramLabel = "N", description = "Stop after N rounds (default: until Ctrl-C).")
    Integer samples;

    @Option(names = "--source", paramLabel = "SOURCE", defaultValue = "auto",
            description = "auto (cgroup files when the daemon is local, else the API), cgroup or api.")
    String source;

    @Option(names = "--json", description = "One JSON object per reading and line instead of the table.")
    boolean json;

    @Option(names = "--chart", paramLabel = "FILE.png",
            description = "Also draw CPU cores used against the limit, with docker's figure, into a PNG at the end.")
    Path chart;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER", description = "Containers' ids or names.")
    List<String> containers = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException, IOException {
        Duration every = DurationText.parse("--interval", interval);
        StatsSourceKind kind = sourceKind();
        if (samples != null && samples < 1) {
            throw new BadInputException(List.of("--samples '" + samples + "': must be at least 1"));
        }
        if (chart != null && !chart.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".png")) {
            throw new BadInputException(List.of("--chart '" + chart + "': must name a .png file"));
        }
        PrintWriter out = parent.spec.commandLine().getOut();
        StatsReader.Builder builder = StatsReader.builder(parent.client()).source(kind);
        OptionalInt streams = apiStreams(kind, containers.size());
        DockerClient streamClient = streams.isPresent() ? parent.streamClient(streams.getAsInt() + STREAM_POOL_SPARE)
                : null;
        if (streamClient != null) {
            builder.apiStreamClient(streamClient, streams.getAsInt());
        }
        try {
            return readRounds(builder, every, out);
        } finally {
            // After the reader, which closed its streams.
            if (streamClient != null) {
                streamClient.close();
            }
        }
    }

    private int readRounds(StatsReader.Builder builder, Duration every, PrintWriter out)
            throws InterruptedException, IOException {
        CpuChart cpuChart = chart == null ? null : new CpuChart();
        Map<String, String> names = new HashMap<>();
        containers.forEach(c -> names.put(c, ReadingsTable.shortName(c)));
        BlockingQueue<List<LimitsReading>> rounds = new LinkedBlockingQueue<>();
        try (StatsReader reader = builder.build()) {
            // Each container's source is settled (and a missing one reported) before the first round.
            settleSources(reader, containers);
            // A list of its own, compared by identity: an empty batch is also what a round where
            // no container could be read delivers.
            List<LimitsReading> stopMarker = new ArrayList<>();
            Thread stop = new Thread(() -> rounds.add(stopMarker), "limits-stats-stop");
            Runtime.getRuntime().addShutdownHook(stop);
            PrintWriter err = parent.spec.commandLine().getErr();
            // Failures (the daemon away, a container removed) go to stderr, the round goes on.
            StatsPoller poller = reader.poll(containers, every, rounds::add, f -> {
                err.println("limits: cannot read " + names.get(f.container()) + ": " + f.cause().getMessage()
                        + (f.dropped() ? " (no longer read)" : ""));
                err.flush();
            });
            try {
                int done = 0;
                while (samples == null || done < samples) {
                    List<LimitsReading> batch = rounds.poll(200, TimeUnit.MILLISECONDS);
                    if (batch == null) {
                        if (poller.isClosed() && rounds.isEmpty()) {
                            err.println("limits: no container left to read");
                            return LimitsCommand.EXIT_DAEMON_REFUSED;
                        }
                        continue;
                    }
                    if (batch == stopMarker) {
                        break; // Ctrl-C
                    }
                    if (!batch.isEmpty()) {
                        print(out, batch, names);
                    }
                    if (cpuChart != null) {
                        batch.forEach(r -> cpuChart.add(names.get(r.container()), r));
                    }
                    done++;
                }
            } finally {
                poller.close();
                try {
                    Runtime.getRuntime().removeShutdownHook(stop);
                } catch (IllegalStateException e) {
                    // Already shutting down: the hook has run.
                }
            }
        }
        if (cpuChart != null) {
            try {
                cpuChart.write(chart);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            parent.spec.commandLine().getErr().println("limits: chart written to " + chart);
        }
        out.flush();
        return 0;
    }

    /**
     * Inspects asked at once when settling the containers' sources: each takes the daemon a few
     * milliseconds, and 300 one after another took most of a second of a one-shot command.
     */
    static final int SETTLE_THREADS = 8;

    /**
     * Settles every container's source ({@link StatsReader#source}), {@value #SETTLE_THREADS} at a
     * time; the first container in argument order that fails is reported, as a loop over them would.
     */
    static void settleSources(StatsReader reader, List<String> containers) throws InterruptedException {
        int threads = Math.min(SETTLE_THREADS, containers.size());
        if (threads <= 1) {
            containers.forEach(reader::source);
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "limits-settle");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<String>> settled = new ArrayList<>();
            for (String c : containers) {
                settled.add(pool.submit(() -> reader.source(c)));
            }
            for (Future<String> f : settled) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    if (e.getCause() instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Connections a stream client has beyond one per stream: room for a stream that ends as another opens. */
    static final int STREAM_POOL_SPARE = 2;

    /**
     * How many API streams a stream client of their own must carry for {@code containers}, or
     * nothing when the main client can carry them: the cgroup source opens none, and up to
     * {@value StatsReader.Builder#DEFAULT_MAX_API_STREAMS} fit the main client's pool beside its
     * other calls. With {@code auto}, every container is counted, since which source each gets is
     * settled only later; an unused stream client costs one {@code GET /version} and opens no other
     * connection.
     *
     * @param kind the source asked for
     * @param containers how many containers the command line names
     * @return the streams to size a client for, or empty for none
     */
    static OptionalInt apiStreams(StatsSourceKind kind, int containers) {
        if (kind == StatsSourceKind.CGROUP || containers <= StatsReader.Builder.DEFAULT_MAX_API_STREAMS) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(containers);
    }

    private StatsSourceKind sourceKind() {
        return switch (source.toLowerCase(java.util.Locale.ROOT)) {
            case "auto" -> StatsSourceKind.AUTO;
            case "cgroup" -> StatsSourceKind.CGROUP;
            case "api" -> StatsSourceKind.API;
            default -> throw new BadInputException(List.of("--source '" + source + "': expected auto, cgroup or api"));
        };
    }

    private void print(PrintWriter out, List<LimitsReading> batch, Map<String, String> names) {
        if (json) {
            batch.forEach(r -> out.println(ReadingJson.of(r)));
        } else {
            out.println(ReadingsTable.header());
            batch.forEach(r -> out.println(ReadingsTable.row(names.get(r.container()), r)));
            out.println();
        }
        out.flush();
    }
}
