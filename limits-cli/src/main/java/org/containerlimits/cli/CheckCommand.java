package org.containerlimits.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.docker.DockerLimits;
import org.containerlimits.docker.LimitProblem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code limits check [limit options]}: validates the limits and checks them against the daemon's
 * host, creating nothing. Prints the canonical limits and each problem; exit code 2 when any is an
 * error.
 *
 * <pre>
 * $ limits check --memory 1g --cpus 4
 * limits: mem_limit=1g,nano_cpus=4
 * ERROR nano_cpus: 4 CPUs asked, the daemon's host has 2
 * </pre>
 */
@Command(name = "check", mixinStandardHelpOptions = true, abbreviateSynopsis = true,
        description = "Validate limits and check them against the daemon; create nothing.")
public final class CheckCommand implements Callable<Integer>, LimitOptions.Holder {

    @ParentCommand
    LimitsCommand parent;

    final LimitOptions options = new LimitOptions();

    @Option(names = "--offline", description = "Validate only; do not ask the daemon.")
    boolean offline;

    @Override
    public Integer call() {
        ResourceLimits limits = options.toLimits();
        var out = parent.spec.commandLine().getOut();
        out.println("limits: " + limits);
        List<LimitProblem> problems = offline ? List.of() : DockerLimits.of(parent.client()).check(limits);
        problems.forEach(out::println);
        if (problems.isEmpty()) {
            out.println(offline ? "valid" : "valid, and the daemon can enforce every limit");
        }
        out.flush();
        return problems.stream().anyMatch(LimitProblem::isError) ? LimitsCommand.EXIT_BAD_INPUT : 0;
    }

    @Override
    public LimitOptions limitOptions() {
        return options;
    }
}
