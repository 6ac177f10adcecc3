package org.containerlimits.examples;

import com.github.dockerjava.api.exception.DockerClientException;
import java.util.concurrent.TimeUnit;
import org.containerlimits.cli.ReadingsTable;
import org.containerlimits.core.usage.LimitsReading;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.docker.stats.StatsReader;

/**
 * A container under 64 MiB (and no swap) that allocates 200 MiB at once is killed by the kernel's
 * OOM killer; the reading and the daemon say so.
 *
 * <p>Runs from an IDE with no arguments; see {@link ExampleRun} for {@code --seconds} (how long to
 * wait for the kill, default 30) and {@code --image}. Removes what
 * it started, also on Ctrl-C.
 */
public final class OutOfMemory {
    private OutOfMemory() {
    }

    /**
     * Runs the example.
     *
     * @param args optional {@code --image NAME}
     */
    public static void main(String[] args) {
        try (ExampleRun run = ExampleRun.start("out-of-memory", args, 30)) {
            ResourceLimits limits = ResourceLimits.fromDockerPy(java.util.Map.of("mem_limit", "64m",
                    "memswap_limit", "64m"));
            run.out().println("limits " + limits + "; the container allocates a 200 MiB buffer (dd bs=200M)");
            String id = run.startContainer("hog", limits, "dd", "if=/dev/zero", "of=/dev/null", "bs=200M", "count=1");
            try {
                run.client().waitContainerCmd(id).start().awaitStatusCode(run.seconds(), TimeUnit.SECONDS);
            } catch (DockerClientException e) {
                run.out().println("the container did not end within " + run.seconds() + " s");
                return;
            }
            var state = run.client().inspectContainerCmd(id).exec().getState();
            try (StatsReader reader = StatsReader.of(run.client())) {
                LimitsReading r = reader.read(id);
                run.out().println("exit code " + state.getExitCodeLong() + ", OOMKilled " + state.getOOMKilled());
                run.out().println("reading: state " + r.state() + ", oomKilled " + r.oomKilled());
                run.out().println("DockerLimits.wasOomKilled: " + run.docker().wasOomKilled(id));
                run.out().println(ReadingsTable.header());
                run.out().println(ReadingsTable.row("hog", r));
            }
        }
    }
}
