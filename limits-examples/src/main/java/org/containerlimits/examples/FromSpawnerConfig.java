package org.containerlimits.examples;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.containerlimits.core.format.DockerCliFlags;
import org.containerlimits.core.InvalidLimitsException;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.docker.LimitProblem;

/**
 * Limits as a spawner's config holds them, taken in, validated and applied: a docker-py keyword
 * map (JupyterHub's {@code c.DockerSpawner.extra_host_config}), a docker CLI flag line
 * ({@code --memory 1g --cpus 2.5}), a map that smuggles in a non-limit key ({@code privileged}),
 * which is refused naming it, and limits the host cannot enforce, refused before anything is
 * created.
 *
 * <p>Runs from an IDE with no arguments; see {@link ExampleRun} for {@code --image}. Removes what
 * it started, also on Ctrl-C.
 */
public final class FromSpawnerConfig {
    private FromSpawnerConfig() {
    }

    /**
     * Reads limits from docker CLI flags with {@link DockerCliFlags}, as the {@code limits} command
     * line reads its limit options: an unknown flag is an error naming it.
     *
     * @param flags the flags, one argument each
     * @return the limits
     * @throws InvalidLimitsException naming each unknown flag, flag without its value and bad value
     */
    public static ResourceLimits fromFlags(List<String> flags) {
        return DockerCliFlags.read(flags).value();
    }

    /**
     * Runs the example.
     *
     * @param args optional {@code --image NAME}
     */
    public static void main(String[] args) {
        try (ExampleRun run = ExampleRun.start("from-spawner-config", args, 5)) {
            int hostCpus = run.docker().capabilities().cpus();

            // 1. A docker-py map, as extra_host_config holds it (values as a YAML/JSON parser gives them).
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("mem_limit", "1g");
            config.put("cpu_period", 100_000);
            config.put("cpu_quota", Math.min(250_000, hostCpus * 100_000L - 50_000));
            ResourceLimits fromMap = ResourceLimits.fromDockerPy(config);
            run.out().println("docker-py map " + config + "\n  -> " + fromMap);

            // 2. Docker CLI flags, as an admin would type them for docker run.
            List<String> flags = List.of("--memory", "1g", "--cpus", "2.5", "--pids-limit", "256");
            ResourceLimits fromFlags = fromFlags(flags);
            run.out().println("flags " + String.join(" ", flags) + "\n  -> " + fromFlags);

            // 3. A map that carries something that is not a limit: refused, naming it.
            Map<String, Object> hostile = new LinkedHashMap<>(config);
            hostile.put("privileged", true);
            try {
                ResourceLimits.fromDockerPy(hostile);
                run.out().println("NOT refused: " + hostile);
            } catch (InvalidLimitsException e) {
                run.out().println("refused " + hostile + ":\n  " + e.getMessage());
            }
            try {
                fromFlags(List.of("--memory", "1g", "--privileged"));
                run.out().println("NOT refused: --privileged");
            } catch (InvalidLimitsException e) {
                run.out().println("refused flags --memory 1g --privileged:\n  " + e.getMessage());
            }

            // 4. Checked against this daemon before anything is created.
            List<LimitProblem> problems = run.docker().check(fromFlags);
            run.out().println("preflight of " + fromFlags + " on this " + hostCpus + "-CPU host: "
                    + (problems.isEmpty() ? "enforceable" : problems));

            // 5. Applied: the map's limits, at creation; read back from the daemon.
            String id = run.startContainer("notebook", fromMap, "sleep", "600");
            run.out().println("applied; the daemon holds " + run.docker().read(id));
            NotebookLimits.watch(run, id, "notebook");
        }
    }
}
