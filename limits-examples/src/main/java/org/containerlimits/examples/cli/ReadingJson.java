package org.containerlimits.examples.cli;

import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.containerlimits.core.LimitsReading;

/**
 * One reading as one line of JSON, for {@code limits stats --json}: flat, numbers as numbers,
 * absent values as {@code null}.
 *
 * <pre>{@code
 * {"container":"alice","time":"2026-11-28T08:00:01.500Z","state":"RUNNING","source":"cgroup",
 *  "intervalSeconds":1.0000,"cpuCores":1.4987,"cpuLimitCores":1.5,"cpuPercentOfLimit":99.9133,
 *  "dockerCpuPercent":null,"throttledRatio":0.9000,"cpuPressure":"LIMIT","cpuLimitUnreachable":false,
 *  "memoryBytes":1814528,"memoryLimitBytes":null,"memoryPercentOfLimit":null,"swapBytes":null,"pids":4,
 *  "pidsLimit":null,"oomKilled":false,"oomKills":1,"oomKillsInInterval":1}
 * }</pre>
 *
 * <p>{@code oomKilled} says whether the OOM killer ended the container; {@code oomKills} counts the
 * processes it killed in the container since it started, also those the container survived, and
 * {@code oomKillsInInterval} those since the previous reading: {@code null} where the source cannot
 * count them (the Engine API) or, for the interval, where there is none.
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
        StringBuilder b = new StringBuilder(400).append('{');
        string(b, "container", r.container()).append(',');
        string(b, "time", r.time().toString()).append(',');
        string(b, "state", r.state().name()).append(',');
        string(b, "source", r.source()).append(',');
        number(b, "intervalSeconds", r.interval().toNanos() / 1e9).append(',');
        number(b, "cpuCores", r.cpuCores()).append(',');
        key(b, "cpuLimitCores").append(r.cpuLimitCores().toPlainString()).append(',');
        number(b, "cpuPercentOfLimit", r.cpuPercentOfLimit()).append(',');
        number(b, "dockerCpuPercent", r.dockerCpuPercent()).append(',');
        number(b, "throttledRatio", r.throttledRatio()).append(',');
        string(b, "cpuPressure", r.cpuPressure().name()).append(',');
        key(b, "cpuLimitUnreachable").append(r.isLimitUnreachable()).append(',');
        key(b, "memoryBytes").append(r.memoryBytes()).append(',');
        number(b, "memoryLimitBytes", r.memoryLimitBytes()).append(',');
        number(b, "memoryPercentOfLimit", r.memoryPercentOfLimit()).append(',');
        number(b, "swapBytes", r.swapBytes()).append(',');
        key(b, "pids").append(r.pids()).append(',');
        number(b, "pidsLimit", r.pidsLimit()).append(',');
        key(b, "oomKilled").append(r.oomKilled()).append(',');
        number(b, "oomKills", r.oomKills()).append(',');
        number(b, "oomKillsInInterval", r.oomKillsInInterval());
        return b.append('}').toString();
    }

    private static StringBuilder key(StringBuilder b, String key) {
        return b.append('"').append(key).append("\":");
    }

    private static StringBuilder string(StringBuilder b, String key, String value) {
        Json.string(key(b, key), value);
        return b;
    }

    private static StringBuilder number(StringBuilder b, String key, double value) {
        // Readings never hold NaN or infinities; rounded to what a dashboard can use.
        return key(b, key).append(String.format(Locale.ROOT, "%.4f", value));
    }

    private static StringBuilder number(StringBuilder b, String key, OptionalDouble value) {
        return value.isPresent() ? number(b, key, value.getAsDouble()) : key(b, key).append("null");
    }

    private static StringBuilder number(StringBuilder b, String key, OptionalLong value) {
        return key(b, key).append(value.isPresent() ? Long.toString(value.getAsLong()) : "null");
    }
}
