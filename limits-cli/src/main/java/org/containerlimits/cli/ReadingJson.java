package org.containerlimits.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.containerlimits.core.usage.CpuCapacity;
import org.containerlimits.core.usage.LimitsReading;

/**
 * One reading as one line of JSON, for {@code limits stats --json}: flat, numbers as numbers,
 * absent values as {@code null}; written by Jackson's generator with {@link CliJson}'s settings.
 *
 * <pre>{@code
 * {"container":"alice","time":"2026-11-28T08:00:01.500Z","state":"RUNNING","source":"cgroup",
 *  "intervalSeconds":1.0000,"cpuCores":1.4987,"cpuLimitCores":1.5,"cpuLimitBasis":"NANO_CPUS",
 *  "cpuReachableCores":1.5,"cpuPercentOfLimit":99.9133,
 *  "dockerCpuPercent":null,"throttledRatio":0.9000,"cpuPressure":"LIMIT","cpuLimitUnreachable":false,
 *  "memoryBytes":1814528,"memoryLimitBytes":null,"memoryPercentOfLimit":null,"swapBytes":null,"pids":4,
 *  "pidsLimit":null,"oomKilled":false,"oomKills":1,"oomKillsInInterval":1}
 * }</pre>
 *
 * <p>{@code oomKilled} says whether the OOM killer ended the container; {@code oomKills} counts the
 * processes it killed in the container since it started, also those the container survived, and
 * {@code oomKillsInInterval} those since the previous reading: {@code null} where the source cannot
 * count them (the Engine API) or, for the interval, where there is none. {@code cpuLimitBasis} says
 * where the CPU limit comes from ({@code QUOTA}, {@code NANO_CPUS}, {@code CPUSET} or {@code HOST}),
 * {@code cpuReachableCores} the most the container can get.
 *
 * <p>{@link #parse} reads such a line back, which is how {@code limits recommend --from} learns a
 * recorded history.
 */
final class ReadingJson {
    private ReadingJson() {
    }

    /**
     * Writes a reading.
     *
     * @param r the reading
     * @return one line of JSON, without the line break
     */
    static String of(LimitsReading r) {
        StringWriter out = new StringWriter(400);
        try (JsonGenerator g = CliJson.generator(out)) {
            g.writeStartObject();
            g.writeStringField("container", r.container());
            g.writeStringField("time", r.time().toString());
            g.writeStringField("state", r.state().name());
            g.writeStringField("source", r.source());
            number(g, "intervalSeconds", r.interval().toNanos() / 1e9);
            number(g, "cpuCores", r.cpuCores());
            g.writeFieldName("cpuLimitCores");
            g.writeNumber(r.cpuLimitCores().toPlainString());
            g.writeStringField("cpuLimitBasis", r.cpuCapacity().basis().name());
            g.writeFieldName("cpuReachableCores");
            g.writeNumber(r.cpuCapacity().reachableCores().toPlainString());
            number(g, "cpuPercentOfLimit", r.cpuPercentOfLimit());
            number(g, "dockerCpuPercent", r.dockerCpuPercent());
            number(g, "throttledRatio", r.throttledRatio());
            g.writeStringField("cpuPressure", r.cpuPressure().name());
            g.writeBooleanField("cpuLimitUnreachable", r.isLimitUnreachable());
            g.writeNumberField("memoryBytes", r.memoryBytes());
            number(g, "memoryLimitBytes", r.memoryLimitBytes());
            number(g, "memoryPercentOfLimit", r.memoryPercentOfLimit());
            number(g, "swapBytes", r.swapBytes());
            g.writeNumberField("pids", r.pids());
            number(g, "pidsLimit", r.pidsLimit());
            g.writeBooleanField("oomKilled", r.oomKilled());
            number(g, "oomKills", r.oomKills());
            number(g, "oomKillsInInterval", r.oomKillsInInterval());
            g.writeEndObject();
        } catch (IOException e) {
            // A StringWriter does not fail.
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * Reads a reading back from the object of one line {@link #of} wrote.
     *
     * @param o the line's object
     * @return the reading
     * @throws IllegalArgumentException naming the field, its text and what it must be
     */
    static LimitsReading parse(Map<String, Object> o) {
        JsonFields f = new JsonFields(o, "a reading of `limits stats --json`");
        CpuCapacity capacity = new CpuCapacity(f.decimal("cpuLimitCores"),
                f.constant("cpuLimitBasis", CpuCapacity.Basis.class), f.decimal("cpuReachableCores"));
        double intervalSeconds = f.number("intervalSeconds");
        if (intervalSeconds > 366 * 86_400.0) {
            throw new IllegalArgumentException("intervalSeconds = " + intervalSeconds + ": must be at most a year");
        }
        return new LimitsReading(f.text("container"), f.instant("time"),
                Duration.ofNanos(Math.round(intervalSeconds * 1e9)), f.constant("state", LimitsReading.State.class),
                f.text("source"), f.number("cpuCores"), capacity, f.number("cpuPercentOfLimit"),
                f.optionalNumber("dockerCpuPercent"), f.number("throttledRatio"), Duration.ZERO,
                f.constant("cpuPressure", LimitsReading.CpuPressure.class), f.whole("memoryBytes"),
                f.optionalWhole("memoryLimitBytes"), f.optionalNumber("memoryPercentOfLimit"),
                f.optionalWhole("swapBytes"), f.whole("pids"), f.optionalWhole("pidsLimit"), f.bool("oomKilled"),
                f.optionalWhole("oomKills"), f.optionalWhole("oomKillsInInterval"));
    }

    private static void number(JsonGenerator g, String key, double value) throws IOException {
        // Readings never hold NaN or infinities; rounded to what a dashboard can use.
        g.writeFieldName(key);
        g.writeNumber(String.format(Locale.ROOT, "%.4f", value));
    }

    private static void number(JsonGenerator g, String key, OptionalDouble value) throws IOException {
        if (value.isPresent()) {
            number(g, key, value.getAsDouble());
        } else {
            g.writeNullField(key);
        }
    }

    private static void number(JsonGenerator g, String key, OptionalLong value) throws IOException {
        if (value.isPresent()) {
            g.writeNumberField(key, value.getAsLong());
        } else {
            g.writeNullField(key);
        }
    }
}
