package org.containerlimits.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.docker.AppliedLimits;
import org.containerlimits.docker.DockerLimits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code limits update [limit options] CONTAINER}: changes the limits of a running container;
 * options not given stay as they are. Prints the effective limits afterwards.
 *
 * <pre>
 * $ limits update --memory 2g --cpus 1.5 alice
 * mem_limit=2g,memswap_limit=4g,nano_cpus=1.5
 * </pre>
 */
@Command(name = "update", mixinStandardHelpOptions = true, abbreviateSynopsis = true,
        description = "Change the limits of a container, live. Swappiness, OOM-kill and shm size cannot change live.")
public final class UpdateCommand implements Callable<Integer>, LimitOptions.Holder {

    @ParentCommand
    LimitsCommand parent;

    final LimitOptions options = new LimitOptions();

    @Parameters(index = "0", paramLabel = "CONTAINER", description = "The container's id or name.")
    String container;

    @Override
    public Integer call() {
        if (!options.any()) {
            throw new BadInputException(List.of("no limit option given: nothing to update (see --help)"));
        }
        // Read before connecting: bad options are refused without a daemon.
        ResourceLimits limits = options.toLimits();
        AppliedLimits applied = DockerLimits.of(parent.client()).update(container, limits);
        var err = parent.spec.commandLine().getErr();
        applied.warnings().forEach(w -> err.println("limits: warning: " + w));
        err.flush();
        var out = parent.spec.commandLine().getOut();
        out.println(applied.effective());
        out.flush();
        return 0;
    }

    @Override
    public LimitOptions limitOptions() {
        return options;
    }
}
