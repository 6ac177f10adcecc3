package org.containerlimits.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.containerlimits.core.CpuLimit;
import org.containerlimits.core.MemorySize;
import org.containerlimits.core.PidsLimit;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.format.DockerCliFlags;
import org.containerlimits.core.policy.LimitsPolicy;
import org.containerlimits.core.recommend.Evidence;
import org.containerlimits.core.recommend.HistoryCheckpoint;
import org.containerlimits.core.recommend.Recommendation;
import org.containerlimits.core.recommend.Recommender;
import org.containerlimits.core.recommend.UsageHistory;
import org.containerlimits.core.recommend.UsageRecorder;
import org.containerlimits.core.usage.LimitsReading;
import org.containerlimits.docker.DockerLimits;
import org.containerlimits.docker.stats.StatsPoller;
import org.containerlimits.docker.stats.StatsReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code limits recommend [--from FILE] [--watch DURATION] [--interval DURATION] [--record FILE]
 * [--save FILE] [--policy LIMITS] [--json] [CONTAINER...]}: limits right-sized from what each container used,
 * by {@link Recommender} (VPA's rules, and CPU held at its limit taken as a lower bound of demand),
 * with the evidence and the {@code limits update} line that applies them.
 *
 * <p>The history comes from {@code --from}, lines of {@code limits stats --json} (recorded
 * earlier, by {@code --record} or by hand) or histories an earlier {@code --save} wrote, from
 * {@code --watch}, readings taken now, or from both; {@code --save} writes what was learned, a few
 * kilobytes per container however long it watched, so a watch can go on where the last one
 * stopped. With {@code --watch} the current limits are the daemon's; from a file alone, the limits
 * the readings show (memory, CPU, pids), and no daemon is asked anything.
 *
 * <pre>
 * $ limits recommend --watch 1m alice
 * alice: 60 readings over 59s (confidence 0.00)
 *   cpu     p50 0.51  p90 0.51  p95 0.51  max 0.50 cores; held at its limit 100% of the time
 *   memory  peaks p50 1.0MiB  p90 1.0MiB  p95 1.0MiB  max 1.0MiB; 0 OOM kills
 *   pids    max 2
 *   current      nano_cpus=500000000
 *   recommended  mem_limit=250m,mem_reservation=250m,nano_cpus=1150000000,pids_limit=64
 *   why          CPU held at its limit (0.5 cores) in 100% of the time: ...
 *   apply        limits update --memory 250m --memory-reservation 250m --cpus 1.15 --pids-limit 64 alice
 *   or           docker update --memory 250m --memory-reservation 250m --cpus 1.15 --pids-limit 64 alice
 * </pre>
 */
@Command(name = "recommend", mixinStandardHelpOptions = true,
        description = "Recommend CPU, memory and pids limits from what containers used (VPA's rules, aware of"
                + " throttling and OOM kills).")
public final class RecommendCommand implements Callable<Integer> {

    /**
     * The longest line of a file for {@code --from}: a reading is about 600 characters, a history
     * at most about 120,000 (its histograms and the last reading of up to 1,024 containers).
     */
    static final int MAX_LINE_CHARS = 1 << 18;

    @ParentCommand
    LimitsCommand parent;

    @Option(names = "--from", paramLabel = "FILE",
            description = "Readings or histories recorded before: lines of `limits stats --json`, --record or --save.")
    Path from;

    @Option(names = "--watch", paramLabel = "DURATION", description = "Read the containers for this long: 30s, 10m, 2h.")
    String watch;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "1s",
            description = "Time between readings while watching (default: ${DEFAULT-VALUE}).")
    String interval;

    @Option(names = "--record", paramLabel = "FILE",
            description = "Append the readings taken while watching to FILE, for a later --from.")
    Path record;

    @Option(names = "--save", paramLabel = "FILE",
            description = "Write each container's history (a few KB, however long the watch) to FILE, for a later --from.")
    Path save;

    @Option(names = "--policy", paramLabel = "LIMITS",
            description = "Ceilings the recommendation is clamped to, as limits: mem_limit=4g,nano_cpus=2000000000.")
    String policy;

    @Option(names = "--json", description = "One JSON object per container and line instead of the text.")
    boolean json;

    @Option(names = "--half-life", paramLabel = "DURATION", defaultValue = "24h",
            description = "How long until a reading weighs half as much, CPU and memory (default: ${DEFAULT-VALUE}, VPA's).")
    String halfLife;

    @Option(names = "--memory-window", paramLabel = "DURATION", defaultValue = "24h",
            description = "Memory is judged by the peak of each window this long (default: ${DEFAULT-VALUE}, VPA's).")
    String memoryWindow;

    @Option(names = "--min-cpus", paramLabel = "CORES", defaultValue = "0.025",
            description = "The least CPU limit recommended (default: ${DEFAULT-VALUE}, VPA's 25 millicores).")
    String minCpus;

    @Option(names = "--min-memory", paramLabel = "SIZE", defaultValue = "250m",
            description = "The least memory limit recommended, at least 6m (default: ${DEFAULT-VALUE}, VPA's).")
    String minMemory;

    @Parameters(arity = "0..*", paramLabel = "CONTAINER",
            description = "Containers' ids or names (with --from alone: those of the file; all when none named).")
    List<String> containers = new ArrayList<>();

    private Recommender recommender;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (from == null && watch == null) {
            throw new BadInputException(List.of("limits recommend: give --from FILE, --watch DURATION or both"));
        }
        if (watch != null && containers.isEmpty()) {
            throw new BadInputException(List.of("--watch '" + watch + "': name the containers to watch"));
        }
        if (record != null && watch == null) {
            throw new BadInputException(List.of("--record '" + record + "': records only while watching (--watch)"));
        }
        recommender = recommender();
        Duration watchFor = watch == null ? null : DurationText.parse("--watch", watch);
        Duration every = DurationText.parse("--interval", interval);
        LimitsPolicy ceilings = policy == null ? null : ceilings(policy);

        UsageRecorder recorder = new UsageRecorder(recommender);
        // The order to print in: the command line's, else the file's.
        Set<String> names = new LinkedHashSet<>(containers);
        if (from != null) {
            readFile(recorder, names);
        }
        Map<String, ResourceLimits> current = new LinkedHashMap<>();
        // Ctrl-C ends a watch early; what it learned is still saved and printed.
        try (WatchStop stop = new WatchStop()) {
            if (watchFor != null) {
                DockerLimits docker = DockerLimits.of(parent.client());
                for (String c : containers) {
                    current.put(c, docker.read(c));
                }
                watch(recorder, watchFor, every, stop);
            }
            if (save != null) {
                save(recorder, names);
            }
            PrintWriter out = parent.spec.commandLine().getOut();
            for (String name : names) {
                UsageHistory history = recorder.historyFor(name);
                ResourceLimits now = current.getOrDefault(name, observed(history));
                Recommendation r = recommender.recommend(history, now, ceilings);
                ResourceLimits changes = r.changes();
                out.println(json ? json(r) : text(r, "update",
                        changes.equals(ResourceLimits.none()) ? "" : DockerCliFlags.line(changes)));
            }
            out.flush();
        }
        return 0;
    }

    /**
     * Reads a file of readings and histories line by line (bounded lines, strict UTF-8) into the
     * recorder: those of {@code names}, or of every container when none is named.
     */
    private void readFile(UsageRecorder recorder, Set<String> names) throws IOException {
        boolean all = names.isEmpty();
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        String name = "--from '" + LimitsCommand.oneLine(String.valueOf(from)) + "'";
        int lineNumber = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(from), decoder))) {
            StringBuilder line = new StringBuilder();
            while (true) {
                line.setLength(0);
                int c;
                while ((c = in.read()) >= 0 && c != '\n') {
                    if (line.length() == MAX_LINE_CHARS) {
                        throw new BadInputException(List.of(name + ": line " + (lineNumber + 1) + " is longer than "
                                + MAX_LINE_CHARS + " characters; a reading is one line of about 600"));
                    }
                    line.append((char) c);
                }
                if (c < 0 && line.isEmpty()) {
                    break;
                }
                lineNumber++;
                if (line.toString().isBlank()) {
                    continue;
                }
                try {
                    Map<String, Object> o = CliJson.readObject(line.toString(), "(a reading of `limits stats --json`"
                            + " or a history of `limits recommend --save`)");
                    if (HistoryJson.isHistory(o)) {
                        HistoryCheckpoint checkpoint = HistoryJson.parse(o);
                        if (all || names.contains(checkpoint.container())) {
                            names.add(checkpoint.container());
                            recorder.restore(checkpoint);
                        }
                    } else {
                        LimitsReading reading = ReadingJson.parse(o);
                        if (all || names.contains(reading.container())) {
                            names.add(reading.container());
                            recorder.record(reading.container(), reading);
                        }
                    }
                } catch (IllegalArgumentException e) {
                    throw new BadInputException(List.of(name + ": line " + lineNumber + ": "
                            + LimitsCommand.oneLine(e.getMessage())));
                }
                if (c < 0) {
                    break;
                }
            }
        } catch (CharacterCodingException e) {
            throw new BadInputException(List.of(name + ": line " + (lineNumber + 1) + " is not valid UTF-8"));
        } catch (InvalidPathException | NoSuchFileException e) {
            throw new BadInputException(List.of(name + ": no such file"));
        }
        if (names.isEmpty()) {
            throw new BadInputException(List.of(name + ": holds no reading"));
        }
    }

    /** Writes every history, one line each, to a file beside {@code --save}'s, then moves it there. */
    private void save(UsageRecorder recorder, Set<String> names) throws IOException {
        Path target = save.toAbsolutePath();
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        try (Writer w = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
            for (String n : names) {
                w.write(HistoryJson.of(recorder.historyFor(n).checkpoint()));
                w.write('\n');
            }
        } catch (NoSuchFileException e) {
            throw new BadInputException(List.of("--save '" + LimitsCommand.oneLine(String.valueOf(save))
                    + "': its directory does not exist"));
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void watch(UsageRecorder recorder, Duration watchFor, Duration every, WatchStop stop)
            throws IOException, InterruptedException {
        PrintWriter err = parent.spec.commandLine().getErr();
        Writer recording = record == null ? null : Files.newBufferedWriter(record, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        try (StatsReader reader = StatsReader.builder(parent.client()).build()) {
            StatsPoller poller = reader.poll(containers, every, batch -> {
                recorder.accept(batch);
                for (LimitsReading r : batch) {
                    if (recording != null) {
                        try {
                            recording.write(ReadingJson.of(r));
                            recording.write('\n');
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                }
            }, f -> {
                err.println("limits: cannot read " + f.container() + ": " + LimitsCommand.oneLine(
                        String.valueOf(f.cause().getMessage())) + (f.dropped() ? " (no longer read)" : ""));
                err.flush();
            });
            try {
                long end = System.nanoTime() + watchFor.toNanos();
                while (!poller.isClosed() && System.nanoTime() < end && !stop.requested()) {
                    Thread.sleep(Math.min(200, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
                }
            } finally {
                poller.close();
            }
        } finally {
            if (recording != null) {
                recording.close();
            }
        }
    }

    /** VPA's recommender with this command line's half-life, memory window and minimums. */
    private Recommender recommender() {
        Duration life = DurationText.parse("--half-life", halfLife);
        Duration window = DurationText.parse("--memory-window", memoryWindow);
        CpuLimit cpu;
        try {
            cpu = CpuLimit.parse(minCpus);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(List.of("--min-cpus '" + LimitsCommand.oneLine(minCpus) + "': "
                    + LimitsCommand.oneLine(e.getMessage())));
        }
        MemorySize memory;
        try {
            memory = MemorySize.parse(minMemory);
            return Recommender.defaults().withHalfLives(life, life).withMemoryPeakWindow(window)
                    .withMinimums(cpu, memory);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(List.of("--min-memory '" + LimitsCommand.oneLine(minMemory) + "': "
                    + LimitsCommand.oneLine(e.getMessage())));
        }
    }

    /** The limits a history's readings show: the memory limit, a CPU limit of its own, the pids limit. */
    static ResourceLimits observed(UsageHistory history) {
        ResourceLimits.Builder b = ResourceLimits.builder();
        history.memoryLimitBytes().ifPresent(m -> b.memory(MemorySize.ofBytes(m)));
        history.cpuLimitCores().ifPresent(c -> b.cpu(CpuLimit.ofCores(c)));
        history.pidsLimit().ifPresent(p -> b.pidsLimit(PidsLimit.of(p)));
        return b.build();
    }

    /** A policy of ceilings from limits text: each limit given is the most allowed. */
    static LimitsPolicy ceilings(String text) {
        ResourceLimits max;
        try {
            max = ResourceLimits.parse(text);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(List.of("--policy '" + LimitsCommand.oneLine(text) + "': "
                    + LimitsCommand.oneLine(e.getMessage())));
        }
        LimitsPolicy.Builder b = LimitsPolicy.builder();
        max.memory().ifPresent(b::maxMemory);
        max.cpu().ifPresent(b::maxCpu);
        max.pidsLimit().flatMap(p -> p.max().isPresent() ? java.util.Optional.of(p.max().getAsLong())
                : java.util.Optional.empty()).ifPresent(b::maxPids);
        max.memorySwap().flatMap(s -> s.memoryPlusSwap()).ifPresent(b::maxMemoryPlusSwap);
        return b.build();
    }

    /**
     * The recommendation as text: the evidence, the current and recommended limits, why, and the
     * {@code limits} and {@code docker} lines that apply it.
     *
     * @param r the recommendation
     * @param update the subcommand that applies it: {@code update}, {@code service update}
     * @param flags that command's flags for the changes, empty for none
     */
    static String text(Recommendation r, String update, String flags) {
        Evidence e = r.evidence();
        String name = ReadingsTable.shortName(r.container());
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%s: %d readings over %s (confidence %.2f)%n", name, e.samples(),
                e.span().withNanos(0).toString().substring(2).toLowerCase(Locale.ROOT), r.confidence()));
        s.append(String.format(Locale.ROOT, "  cpu          p50 %.2f  p90 %.2f  p95 %.2f  max %.2f cores%s%n",
                e.cpuLowerCores(), e.cpuTargetCores(), e.cpuUpperCores(), e.maxCpuCores(),
                e.cpuLimitCores().isPresent() ? String.format(Locale.ROOT, "; held at its limit of %s cores %.0f%% of the time",
                        e.cpuLimitCores().get().stripTrailingZeros().toPlainString(), 100 * e.censoredShare()) : ""));
        s.append(String.format(Locale.ROOT, "  memory       peaks p50 %s  p90 %s  p95 %s  max %s; %d OOM kill%s%n",
                ReadingsTable.bytes(e.memoryLowerBytes()), ReadingsTable.bytes(e.memoryTargetBytes()),
                ReadingsTable.bytes(e.memoryUpperBytes()), ReadingsTable.bytes(e.maxMemoryBytes()), e.oomKills(),
                e.oomKills() == 1 ? "" : "s"));
        s.append(String.format(Locale.ROOT, "  pids         max %d%n", e.maxPids()));
        s.append("  current      ").append(r.current().equals(ResourceLimits.none()) ? "(none)" : r.current())
                .append(System.lineSeparator());
        s.append("  recommended  ").append(r.recommended()).append(System.lineSeparator());
        for (String note : r.notes()) {
            s.append("  why          ").append(note).append(System.lineSeparator());
        }
        if (flags.isEmpty()) {
            s.append("  apply        nothing to change");
        } else {
            s.append("  apply        limits ").append(update).append(' ').append(flags).append(' ').append(name)
                    .append(System.lineSeparator());
            s.append("  or           docker ").append(update).append(' ').append(flags).append(' ').append(name);
        }
        return s.toString();
    }

    /**
     * The recommendation as one line of JSON: {@code container}, {@code current},
     * {@code recommended} and {@code changes} as docker-py keywords, {@code confidence},
     * {@code evidence} and {@code notes}.
     *
     * @param r the recommendation
     * @return the line, without its break
     */
    static String json(Recommendation r) {
        Evidence e = r.evidence();
        StringWriter text = new StringWriter(1000);
        try (JsonGenerator g = CliJson.generator(text)) {
            g.writeStartObject();
            g.writeStringField("container", r.container());
            g.writeFieldName("current");
            g.writeObject(r.current().toDockerPy());
            g.writeFieldName("recommended");
            g.writeObject(r.recommended().toDockerPy());
            g.writeFieldName("changes");
            g.writeObject(r.changes().toDockerPy());
            g.writeFieldName("confidence");
            g.writeNumber(String.format(Locale.ROOT, "%.4f", r.confidence()));
            g.writeObjectFieldStart("evidence");
            g.writeNumberField("samples", e.samples());
            g.writeFieldName("spanSeconds");
            g.writeNumber(String.format(Locale.ROOT, "%.3f", e.span().toMillis() / 1000.0));
            number(g, "cpuP50Cores", e.cpuLowerCores());
            number(g, "cpuP90Cores", e.cpuTargetCores());
            number(g, "cpuP95Cores", e.cpuUpperCores());
            number(g, "cpuMaxCores", e.maxCpuCores());
            g.writeFieldName("cpuLimitCores");
            if (e.cpuLimitCores().isPresent()) {
                g.writeNumber(e.cpuLimitCores().get().toPlainString());
            } else {
                g.writeNull();
            }
            number(g, "censoredShare", e.censoredShare());
            g.writeNumberField("memoryP50PeakBytes", e.memoryLowerBytes());
            g.writeNumberField("memoryP90PeakBytes", e.memoryTargetBytes());
            g.writeNumberField("memoryP95PeakBytes", e.memoryUpperBytes());
            g.writeNumberField("memoryMaxBytes", e.maxMemoryBytes());
            g.writeNumberField("oomKills", e.oomKills());
            g.writeNumberField("pidsMax", e.maxPids());
            if (e.maxSwapBytes().isPresent()) {
                g.writeNumberField("swapMaxBytes", e.maxSwapBytes().getAsLong());
            } else {
                g.writeNullField("swapMaxBytes");
            }
            g.writeEndObject();
            g.writeArrayFieldStart("notes");
            for (String note : r.notes()) {
                g.writeString(note);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException ex) {
            // A StringWriter does not fail.
            throw new UncheckedIOException(ex);
        }
        return text.toString();
    }

    private static void number(JsonGenerator g, String key, double value) throws IOException {
        g.writeFieldName(key);
        g.writeNumber(new BigDecimal(String.format(Locale.ROOT, "%.4f", value)).stripTrailingZeros().toPlainString());
    }

}
