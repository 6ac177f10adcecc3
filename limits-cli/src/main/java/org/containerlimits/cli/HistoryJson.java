package org.containerlimits.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.containerlimits.core.recommend.HistoryCheckpoint;

/**
 * One {@link HistoryCheckpoint} as one line of JSON, for {@code limits recommend --save} and back
 * for {@code --from}: what a long watch learned, in a few kilobytes however long it ran. The line
 * is told from a reading by its {@code "history"} field, the format's version:
 *
 * <pre>{@code
 * {"history":1,"container":"alice","samples":60,"first":"2026-11-30T10:00:01Z",
 *  "last":"2026-11-30T10:01:00Z","cpuSeconds":60.0,"censoredSeconds":60.0,"maxCpuCores":0.5,
 *  "cpuLimitCores":0.5,"availableCores":null,"memoryLimitBytes":1073741824,"pidsLimit":null,
 *  "maxMemoryBytes":314572800,"oomKills":0,"oomLimitBytes":null,"maxPids":3,"maxSwapBytes":null,
 *  "peakWindowStart":"2026-11-30T00:00:00Z","peakWindowBytes":314572800,
 *  "cpu":{"halfLifeSeconds":86400,"reference":"1970-01-01T00:00:00Z","buckets":{"41":60.0}},
 *  "memoryPeaks":{"halfLifeSeconds":86400,"reference":"1970-01-01T00:00:00Z","buckets":{"71":1.0}},
 *  "sources":{"alice":"2026-11-30T10:01:00Z"}}
 * }</pre>
 */
final class HistoryJson {
    /** The version of the line's format, in its {@code "history"} field. */
    static final int VERSION = 1;

    private static final String KIND = "a history of `limits recommend --save`";

    private HistoryJson() {
    }

    /**
     * Returns whether a line's object is a history rather than a reading.
     *
     * @param o the object
     * @return {@code true} when it has a {@code "history"} field
     */
    static boolean isHistory(Map<String, Object> o) {
        return o.containsKey("history");
    }

    /**
     * Writes a checkpoint.
     *
     * @param c the checkpoint
     * @return one line of JSON, without the line break
     */
    static String of(HistoryCheckpoint c) {
        StringWriter out = new StringWriter(2000);
        try (JsonGenerator g = CliJson.generator(out)) {
            g.writeStartObject();
            g.writeNumberField("history", VERSION);
            g.writeStringField("container", c.container());
            g.writeNumberField("samples", c.samples());
            instant(g, "first", c.first());
            instant(g, "last", c.last());
            g.writeNumberField("cpuSeconds", c.cpuSeconds());
            g.writeNumberField("censoredSeconds", c.censoredSeconds());
            g.writeNumberField("maxCpuCores", c.maxCpuCores());
            decimal(g, "cpuLimitCores", c.cpuLimitCores());
            decimal(g, "availableCores", c.availableCores());
            whole(g, "memoryLimitBytes", c.memoryLimitBytes());
            whole(g, "pidsLimit", c.pidsLimit());
            g.writeNumberField("maxMemoryBytes", c.maxMemoryBytes());
            g.writeNumberField("oomKills", c.oomKills());
            whole(g, "oomLimitBytes", c.oomLimitBytes());
            g.writeNumberField("maxPids", c.maxPids());
            whole(g, "maxSwapBytes", c.maxSwapBytes());
            instant(g, "peakWindowStart", c.peakWindowStart());
            g.writeNumberField("peakWindowBytes", c.peakWindowBytes());
            histogram(g, "cpu", c.cpu());
            histogram(g, "memoryPeaks", c.memoryPeaks());
            g.writeObjectFieldStart("sources");
            for (var e : c.sources().entrySet()) {
                g.writeStringField(e.getKey(), e.getValue().toString());
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            // A StringWriter does not fail.
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * Reads a checkpoint back from the object of one line {@link #of} wrote.
     *
     * @param o the line's object
     * @return the checkpoint
     * @throws IllegalArgumentException naming the field, its text and what it must be
     */
    static HistoryCheckpoint parse(Map<String, Object> o) {
        JsonFields f = new JsonFields(o, KIND);
        if (!Integer.valueOf(VERSION).equals(f.value("history"))) {
            throw f.wrong("history", o.get("history"), VERSION + ", the only version of the format");
        }
        long peakWindowBytes = o.get("peakWindowBytes") instanceof Number n && n.longValue() == -1 ? -1
                : f.whole("peakWindowBytes");
        TreeMap<String, Instant> sources = new TreeMap<>();
        JsonFields s = f.object("sources");
        for (String name : s.o().keySet()) {
            sources.put(name, s.instant(name));
        }
        return new HistoryCheckpoint(f.text("container"), f.whole("samples"), f.optionalInstant("first"),
                f.optionalInstant("last"), f.number("cpuSeconds"), f.number("censoredSeconds"), f.number("maxCpuCores"),
                f.optionalDecimal("cpuLimitCores"), f.optionalDecimal("availableCores"), f.optionalWhole("memoryLimitBytes"),
                f.optionalWhole("pidsLimit"), f.whole("maxMemoryBytes"), f.whole("oomKills"),
                f.optionalWhole("oomLimitBytes"), f.whole("maxPids"), f.optionalWhole("maxSwapBytes"),
                f.optionalInstant("peakWindowStart"), peakWindowBytes, histogram(f.object("cpu")),
                histogram(f.object("memoryPeaks")), sources);
    }

    private static HistoryCheckpoint.Histogram histogram(JsonFields h) {
        long halfLife = h.whole("halfLifeSeconds");
        if (halfLife < 1 || halfLife > 100L * 365 * 86_400) {
            throw h.wrong("halfLifeSeconds", halfLife, "at least 1 and at most 100 years");
        }
        TreeMap<Integer, Double> buckets = new TreeMap<>();
        JsonFields b = h.object("buckets");
        for (String index : b.o().keySet()) {
            if (!index.matches("\\d{1,4}")) {
                throw b.wrong("buckets", index, "indexes 0 to 9999");
            }
            buckets.put(Integer.valueOf(index), b.number(index));
        }
        return new HistoryCheckpoint.Histogram(Duration.ofSeconds(halfLife), h.instant("reference"), buckets);
    }

    private static void histogram(JsonGenerator g, String key, HistoryCheckpoint.Histogram h) throws IOException {
        g.writeObjectFieldStart(key);
        // Whole seconds: a recommender's half-lives are hours; the flag that sets them takes s/m/h.
        g.writeNumberField("halfLifeSeconds", Math.max(1, h.halfLife().toSeconds()));
        g.writeStringField("reference", h.reference().toString());
        g.writeObjectFieldStart("buckets");
        for (var e : h.buckets().entrySet()) {
            g.writeNumberField(e.getKey().toString(), e.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void instant(JsonGenerator g, String key, Optional<Instant> value) throws IOException {
        if (value.isPresent()) {
            g.writeStringField(key, value.get().toString());
        } else {
            g.writeNullField(key);
        }
    }

    private static void decimal(JsonGenerator g, String key, Optional<BigDecimal> value) throws IOException {
        g.writeFieldName(key);
        if (value.isPresent()) {
            g.writeNumber(value.get().toPlainString());
        } else {
            g.writeNull();
        }
    }

    private static void whole(JsonGenerator g, String key, OptionalLong value) throws IOException {
        if (value.isPresent()) {
            g.writeNumberField(key, value.getAsLong());
        } else {
            g.writeNullField(key);
        }
    }
}
