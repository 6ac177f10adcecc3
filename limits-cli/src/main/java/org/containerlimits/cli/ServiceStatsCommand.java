package org.containerlimits.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.containerlimits.core.usage.LimitsReading;
import org.containerlimits.docker.stats.ServiceReading;
import org.containerlimits.docker.stats.StatsReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code limits service stats [--json] SERVICE}: one reading of a service's running tasks on this
 * node ({@code docker stats --no-stream}), a line per task's container as {@code limits stats}
 * prints it and a total line: the cores the tasks use together, as a percent of their CPU limits
 * added up, and their memory against their memory limits added up.
 *
 * <pre>
 * $ limits service stats web
 * NAME                CPU %     CPU CORES   CPU % OF LIMIT MEM USAGE / LIMIT        MEM %   PIDS   PRESSURE
 * 3f9c0a1b2c3d        49.9%   0.50 / 0.50            99.8% 1.7MiB / 64MiB           2.66%      4   LIMIT
 * TOTAL               1 task  0.50 / 0.50            99.8% 1.7MiB / 64MiB
 * </pre>
 *
 * <p>{@code --json} prints one object on one line: {@code service}, {@code tasks} (each one reading
 * as {@code limits stats --json} writes it), {@code cpuCores}, {@code cpuLimitCores},
 * {@code cpuPercentOfLimit}, {@code memoryBytes} and {@code memoryLimitBytes}; {@code null} where
 * there is no limit to add up (a task without one, or no task).
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Show one reading of a Swarm service's tasks on this node against their limits, and the total.")
public final class ServiceStatsCommand implements Callable<Integer> {

    private static final String TOTAL = "%-16s %8s %13s %16s %s";

    @ParentCommand
    ServiceCommand service;

    @Option(names = "--json", description = "One JSON object instead of the table.")
    boolean json;

    @Parameters(index = "0", paramLabel = "SERVICE", description = "The service's id or name.")
    String target;

    @Override
    public Integer call() {
        ServiceReading reading;
        try (StatsReader reader = StatsReader.builder(service.client()).build()) {
            reading = reader.readService(target);
        }
        PrintWriter out = service.spec.commandLine().getOut();
        if (json) {
            out.println(json(reading));
        } else {
            out.println(ReadingsTable.header());
            for (LimitsReading r : reading.tasks()) {
                out.println(ReadingsTable.row(ReadingsTable.shortName(r.container()), r));
            }
            out.println(total(reading));
        }
        out.flush();
        if (reading.tasks().isEmpty()) {
            var err = service.spec.commandLine().getErr();
            err.println("limits: service " + target + " has no running task on this node");
            err.flush();
        }
        return 0;
    }

    /** The total line, aligned with {@link ReadingsTable}'s columns. */
    static String total(ServiceReading r) {
        int n = r.tasks().size();
        String cores = String.format(Locale.ROOT, "%.2f / %s", r.cpuCores(),
                r.cpuLimitCores().map(l -> String.format(Locale.ROOT, "%.2f", l)).orElse("--"));
        String ofLimit = r.cpuPercentOfLimit().isPresent()
                ? String.format(Locale.ROOT, "%.1f%%", r.cpuPercentOfLimit().getAsDouble()) : "--";
        String memory = ReadingsTable.bytes(r.memoryBytes()) + " / "
                + (r.memoryLimitBytes().isPresent() ? ReadingsTable.bytes(r.memoryLimitBytes().getAsLong()) : "--");
        return String.format(Locale.ROOT, TOTAL, "TOTAL", n + (n == 1 ? " task" : " tasks"), cores, ofLimit, memory);
    }

    /** The reading as one line of JSON. */
    static String json(ServiceReading r) {
        StringWriter text = new StringWriter(600);
        try (JsonGenerator g = CliJson.generator(text)) {
            g.writeStartObject();
            g.writeStringField("service", r.service());
            g.writeArrayFieldStart("tasks");
            for (LimitsReading task : r.tasks()) {
                g.writeRawValue(ReadingJson.of(task));
            }
            g.writeEndArray();
            g.writeFieldName("cpuCores");
            g.writeNumber(String.format(Locale.ROOT, "%.4f", r.cpuCores()));
            g.writeFieldName("cpuLimitCores");
            if (r.cpuLimitCores().isPresent()) {
                g.writeNumber(r.cpuLimitCores().get().toPlainString());
            } else {
                g.writeNull();
            }
            g.writeFieldName("cpuPercentOfLimit");
            if (r.cpuPercentOfLimit().isPresent()) {
                g.writeNumber(String.format(Locale.ROOT, "%.4f", r.cpuPercentOfLimit().getAsDouble()));
            } else {
                g.writeNull();
            }
            g.writeNumberField("memoryBytes", r.memoryBytes());
            if (r.memoryLimitBytes().isPresent()) {
                g.writeNumberField("memoryLimitBytes", r.memoryLimitBytes().getAsLong());
            } else {
                g.writeNullField("memoryLimitBytes");
            }
            g.writeEndObject();
        } catch (IOException e) {
            // A StringWriter does not fail.
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}
