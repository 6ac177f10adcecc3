package org.containerlimits.cli;

import java.util.Locale;
import java.util.OptionalLong;
import org.containerlimits.core.usage.LimitsReading;

/**
 * Formats readings as a table like {@code docker stats}'s (NAME, CPU %, MEM USAGE / LIMIT, MEM %),
 * with the columns docker lacks beside it: CPU CORES used and CPU % OF LIMIT, and what holds the
 * container back (PRESSURE).
 *
 * <pre>{@code
 * System.out.println(ReadingsTable.header());
 * System.out.println(ReadingsTable.row("jupyter-alice", reading));
 * // NAME            CPU %   CPU CORES   CPU % OF LIMIT   MEM USAGE / LIMIT     MEM %   PIDS   PRESSURE
 * // jupyter-alice  196.9%   1.97 / 2.50          78.8%   812.4MiB / 1GiB      79.34%     12   HOST
 * }</pre>
 *
 * <p>CPU % is docker's figure (percent of one host core, computed as docker/cli does; {@code --}
 * where the source reports no host CPU time); CPU % OF LIMIT is the distance to the container's own
 * limit. A stopped container shows {@code STOPPED} (or {@code OOM-KILLED}) in the pressure column.
 * Processes the OOM killer killed in a container that runs on (a notebook kernel under a Jupyter
 * server) follow its pressure, with those since the previous reading in brackets:
 * {@code BELOW_LIMIT, OOM kills 3 (+1)}; nothing when there were none or the source cannot count
 * them.
 */
public final class ReadingsTable {

    private static final String FORMAT = "%-16s %8s %13s %16s %-21s %8s %6s   %s";

    private ReadingsTable() {
    }

    /**
     * The header line.
     *
     * @return the column names, aligned with {@link #row}
     */
    public static String header() {
        return String.format(Locale.ROOT, FORMAT, "NAME", "CPU %", "CPU CORES", "CPU % OF LIMIT",
                "MEM USAGE / LIMIT", "MEM %", "PIDS", "PRESSURE");
    }

    /**
     * One container's line.
     *
     * @param name the name to show (a container name or short id; cut to 16 characters)
     * @param r the reading
     * @return the line, aligned with {@link #header()}
     */
    public static String row(String name, LimitsReading r) {
        String shown = name.length() > 16 ? name.substring(0, 16) : name;
        String docker = r.dockerCpuPercent().isPresent()
                ? String.format(Locale.ROOT, "%.1f%%", r.dockerCpuPercent().getAsDouble()) : "--";
        String cores = String.format(Locale.ROOT, "%.2f / %.2f", r.cpuCores(), r.cpuLimitCores().doubleValue());
        String ofLimit = String.format(Locale.ROOT, "%.1f%%", r.cpuPercentOfLimit());
        // A stopped container has no cgroup left to say its memory limit.
        String memory = r.state() == LimitsReading.State.STOPPED ? "--"
                : bytes(r.memoryBytes()) + " / " + limit(r.memoryLimitBytes());
        String memoryPercent = r.memoryPercentOfLimit().isPresent()
                ? String.format(Locale.ROOT, "%.2f%%", r.memoryPercentOfLimit().getAsDouble()) : "--";
        String pressure = r.oomKilled() ? "OOM-KILLED"
                : r.state() == LimitsReading.State.STOPPED ? "STOPPED"
                : r.state() != LimitsReading.State.RUNNING ? r.state().name()
                : r.cpuPressure().name() + (r.isLimitUnreachable() ? " (limit above what the host can give)" : "");
        pressure += oomKills(r);
        return String.format(Locale.ROOT, FORMAT, shown, docker, cores, ofLimit, memory, memoryPercent, r.pids(),
                pressure);
    }

    /** {@code ", OOM kills 3 (+1)"}, or nothing when there were none or they are not known. */
    private static String oomKills(LimitsReading r) {
        if (r.oomKills().isEmpty() || r.oomKills().getAsLong() == 0) {
            return "";
        }
        long fresh = r.oomKillsInInterval().orElse(0);
        return ", OOM kills " + r.oomKills().getAsLong() + (fresh > 0 ? " (+" + fresh + ")" : "");
    }

    private static String limit(OptionalLong limit) {
        return limit.isPresent() ? bytes(limit.getAsLong()) : "unlimited";
    }

    /** Binary units as docker stats prints them: {@code 812.4MiB}, {@code 1GiB}. */
    static String bytes(long n) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        String number = v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
        return number + units[u];
    }

    /**
     * Returns how a table names a container: a full 64-hex id shortened to docker's 12, any other
     * id or name as it is.
     *
     * @param id the container's id or name
     * @return the name to show
     */
    static String shortName(String id) {
        return id.matches("[0-9a-f]{64}") ? id.substring(0, 12) : id;
    }
}
