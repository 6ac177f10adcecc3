package org.containerlimits.cli;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.containerlimits.docker.PreflightException;
import org.containerlimits.docker.swarm.AppliedServiceLimits;
import org.containerlimits.docker.swarm.ServiceResources;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code limits service update [resource options] [--timeout DURATION] SERVICE}: changes a
 * service's resources (options not given stay as they are), checks them against the swarm's nodes
 * first, waits until the rolling update has the tasks running with them and prints the service's id.
 * A failed rolling update, or a task the scheduler cannot place, exits 1 with the swarm's words.
 *
 * <pre>
 * $ limits service update --limit-memory 2g --limit-cpu 1.5 web
 * q3v1x0c8w8m1l7f2k9h4d5e6a
 * </pre>
 */
@Command(name = "update", mixinStandardHelpOptions = true, abbreviateSynopsis = true,
        description = "Change a Swarm service's resources, wait until its tasks run with them, print its id.")
public final class ServiceUpdateCommand implements Callable<Integer> {

    @ParentCommand
    ServiceCommand service;

    final ServiceOptions options = new ServiceOptions();

    @Option(names = "--timeout", paramLabel = "DURATION",
            description = "How long to wait for the tasks to run: 30s, 2m (default: 60s).")
    String timeout;

    @Parameters(index = "0", paramLabel = "SERVICE", description = "The service's id or name.")
    String target;

    @Override
    public Integer call() {
        if (!options.any()) {
            throw new BadInputException(List.of("no resource option given: nothing to update (see --help)"));
        }
        // Read before connecting: bad options are refused without a daemon.
        ServiceResources resources = options.toResources();
        Duration wait = ServiceCommand.timeout(timeout);
        AppliedServiceLimits applied;
        try {
            applied = service.swarm(wait).update(target, resources);
        } catch (PreflightException e) {
            throw ServiceCommand.byFlag(e);
        }
        ServiceCommand.warn(service.spec.commandLine().getErr(), applied.warnings());
        var out = service.spec.commandLine().getOut();
        out.println(applied.serviceId());
        out.flush();
        return 0;
    }
}
