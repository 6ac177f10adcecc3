package org.containerlimits.examples;

import java.util.List;
import org.containerlimits.core.CpuLimit;
import org.containerlimits.core.MemorySize;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.docker.AppliedLimits;

/**
 * Raises and lowers the CPU and memory limits of a running container, live, and shows the readings
 * follow: a busy container at 0.5 cores, raised to 1.5, lowered to 0.25; its memory limit from
 * 256 MiB up to 512 MiB and down to 128 MiB, while it holds 100 MiB.
 *
 * <p>Runs from an IDE with no arguments; see {@link ExampleRun} for {@code --seconds} (per step,
 * default 5) and {@code --image}. Removes what it started, also on Ctrl-C.
 */
public final class LiveResize {
    private LiveResize() {
    }

    private static ResourceLimits limits(String memory, String cpus) {
        return ResourceLimits.builder().memory(MemorySize.parse(memory)).cpu(CpuLimit.parse(cpus)).build();
    }

    /**
     * Runs the example.
     *
     * @param args optional {@code --seconds N} per step and {@code --image NAME}
     */
    public static void main(String[] args) {
        try (ExampleRun run = ExampleRun.start("live-resize", args, 5)) {
            ResourceLimits start = limits("256m", "0.5").toBuilder().shmSize(MemorySize.parse("256m")).build();
            int loops = run.docker().capabilities().cpus() + 1;
            String id = run.startContainer("worker", start, "sh", "-c",
                    "head -c 100m /dev/zero > /dev/shm/hold; " + "yes > /dev/null & ".repeat(loops) + "wait");
            run.out().println("started with " + start);
            NotebookLimits.watch(run, id, "worker");
            for (ResourceLimits change : List.of(limits("512m", "1.5"), limits("128m", "0.25"))) {
                AppliedLimits applied = run.docker().update(id, change);
                run.out().println();
                run.out().println("updated live to " + change + "; the daemon now holds " + applied.effective());
                NotebookLimits.watch(run, id, "worker");
            }
        }
    }
}
