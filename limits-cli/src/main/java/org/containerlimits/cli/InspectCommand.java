package org.containerlimits.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.docker.DockerLimits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code limits inspect CONTAINER}: the limits the daemon holds for a container, as docker-py
 * keywords (what a spawner's config would say) and in the canonical text form.
 *
 * <pre>
 * $ limits inspect alice
 * docker-py:  {mem_limit=1g, cpu_period=100000, cpu_quota=250000}
 * canonical:  mem_limit=1g,cpu_quota=250000,cpu_period=100000
 * </pre>
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Print a container's effective limits (docker-py keywords and canonical form).")
public final class InspectCommand implements Callable<Integer> {

    @ParentCommand
    LimitsCommand parent;

    @Parameters(index = "0", paramLabel = "CONTAINER", description = "The container's id or name.")
    String container;

    @Override
    public Integer call() {
        ResourceLimits limits = DockerLimits.of(parent.client()).read(container);
        Map<String, Object> dockerPy = limits.toDockerPy();
        var out = parent.spec.commandLine().getOut();
        out.println("docker-py:  " + dockerPy);
        out.println("canonical:  " + limits);
        out.flush();
        return 0;
    }
}
