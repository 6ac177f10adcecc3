package org.containerlimits.examples;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.containerlimits.cli.ReadingsTable;
import org.containerlimits.core.usage.LimitsReading;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.docker.stats.StatsReader;

/**
 * The origin document's walk-through: a notebook spawner starts a container first with no limits,
 * then with {@code mem_limit: '1g'}, then also with {@code cpu_period: 100000} and
 * {@code cpu_quota: 250000} (250% CPU), each given as the docker-py map a JupyterHub config
 * holds. Inside, a stress runs more busy loops than the quota allows and holds 300 MiB of memory.
 * Each second a table shows {@code docker stats}' CPU % beside the cores used and the percent of
 * the container's own limit.
 *
 * <p>On a host with fewer CPUs than the 2.5 the scenario asks for, the quota is scaled down to
 * half a core below the host's CPUs (1.5 on a 2-CPU host), and the output says so: a 2.5-core
 * quota there could never be reached, and docker's 197% would be 78% of it.
 *
 * <p>Runs from an IDE with no arguments; see {@link ExampleRun} for {@code --seconds} and
 * {@code --image}. Removes what it started, also on Ctrl-C.
 */
public final class NotebookLimits {
    private NotebookLimits() {
    }

    /** The stress: busy loops and 300 MiB held in /dev/shm (tmpfs: the memory cgroup charges it). */
    static String stress(int busyLoops) {
        return "head -c 300m /dev/zero > /dev/shm/hold; " + "yes > /dev/null & ".repeat(busyLoops) + "wait";
    }

    /**
     * Runs the walk-through.
     *
     * @param args optional {@code --seconds N} per stage (default 10) and {@code --image NAME}
     */
    public static void main(String[] args) {
        try (ExampleRun run = ExampleRun.start("notebook-limits", args, 10)) {
            int hostCpus = run.docker().capabilities().cpus();
            long quota = 250_000;
            if (hostCpus < 3) {
                quota = Math.max(50_000, (hostCpus * 100_000L) - 50_000);
                run.out().printf("This host has %d CPUs, fewer than the 2.5 the scenario asks for: the quota is scaled"
                        + " down to %d us per 100000 us (%s cores), which the host can show.%n", hostCpus, quota,
                        BigDecimal.valueOf(quota, 5).stripTrailingZeros().toPlainString());
            }
            // docker-py keyword maps, as c.DockerSpawner.extra_host_config holds them. shm_size lets
            // the stress hold its 300 MiB in /dev/shm (Docker's default /dev/shm is 64 MiB).
            Map<String, Map<String, Object>> stages = new LinkedHashMap<>();
            stages.put("no limits", Map.of("shm_size", "512m"));
            stages.put("mem_limit '1g'", Map.of("shm_size", "512m", "mem_limit", "1g"));
            Map<String, Object> cpu = new LinkedHashMap<>(Map.of("shm_size", "512m", "mem_limit", "1g"));
            cpu.put("cpu_period", 100_000);
            cpu.put("cpu_quota", quota);
            stages.put("cpu_period 100000, cpu_quota " + quota, cpu);

            int loops = hostCpus + 1;
            for (Map.Entry<String, Map<String, Object>> stage : stages.entrySet()) {
                ResourceLimits limits = ResourceLimits.fromDockerPy(stage.getValue());
                run.out().println();
                run.out().println("== " + stage.getKey() + ": extra_host_config = " + stage.getValue());
                run.out().println("   limits " + limits + "; stress: " + loops + " busy loops and 300 MiB held");
                String id = run.startContainer("notebook", limits, "sh", "-c", stress(loops));
                watch(run, id, "notebook");
                run.remove(id);
            }
            run.out().println();
            run.out().println("docker stats' CPU % is a percent of one host core; CPU % OF LIMIT is the distance to the"
                    + " container's own limit. PRESSURE says what holds it: LIMIT (throttled by its quota), HOST (the"
                    + " host has no more to give), BELOW_LIMIT or IDLE.");
        }
    }

    /** Prints a table row each second for {@code run.seconds()} seconds. */
    static List<LimitsReading> watch(ExampleRun run, String id, String name) {
        List<LimitsReading> readings = new java.util.ArrayList<>();
        try (StatsReader reader = StatsReader.of(run.client())) {
            reader.read(id); // first sample: the rows below each cover one second
            run.out().println(ReadingsTable.header());
            for (int i = 0; i < run.seconds(); i++) {
                ExampleRun.pause(Duration.ofSeconds(1));
                LimitsReading r = reader.read(id);
                readings.add(r);
                run.out().println(ReadingsTable.row(name, r));
            }
        }
        return readings;
    }
}
