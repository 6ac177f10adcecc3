package org.containerlimits.cli;

import com.github.dockerjava.api.DockerClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import org.containerlimits.docker.LimitProblem;
import org.containerlimits.docker.PreflightException;
import org.containerlimits.docker.swarm.SwarmLimits;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code limits service}: Swarm services under limits, through the library's {@link SwarmLimits},
 * on the swarm manager at {@code DOCKER_HOST}.
 *
 * <pre>
 * limits service create --limit-cpu 2.01 --limit-memory 1g --name web IMAGE [COMMAND...]
 * limits service update --limit-memory 2g web
 * limits service inspect [--json] web
 * limits service stats [--json] web
 * </pre>
 *
 * <p>The resource options are {@code docker service create}'s, one per row of
 * {@link org.containerlimits.docker.swarm.ServiceField} (see {@link ServiceOptions}). Exit codes as
 * for containers: 2 for bad input or resources the swarm cannot provide (nothing created or
 * changed), 1 when the daemon refuses or the tasks do not come to run (the scheduler's words
 * printed), 3 when no daemon answers.
 */
@Command(name = "service", mixinStandardHelpOptions = true,
        description = "Swarm services under limits: create, update, inspect and read them.",
        subcommands = {ServiceCreateCommand.class, ServiceUpdateCommand.class, ServiceInspectCommand.class,
                ServiceStatsCommand.class, ServiceRecommendCommand.class})
public final class ServiceCommand implements Runnable {

    @ParentCommand
    LimitsCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a service command is required: create,"
                + " update, inspect or stats (see limits service --help)");
    }

    /**
     * The client, connected on first use.
     *
     * @return the client
     */
    DockerClient client() {
        return parent.client();
    }

    /**
     * The library, in its default (strict) mode, waiting at most the time given.
     *
     * @param timeout the {@code --timeout} text, or null for the library's default
     * @return the instance
     */
    SwarmLimits swarm(Duration timeout) {
        SwarmLimits swarm = SwarmLimits.of(client());
        return timeout == null ? swarm : swarm.timeout(timeout);
    }

    /**
     * Parses {@code --timeout}.
     *
     * @param text the text, or null
     * @return the duration, or null when not given
     * @throws BadInputException naming the option, the text and the grammar
     */
    static Duration timeout(String text) {
        return text == null ? null : DurationText.parse("--timeout", text);
    }

    /**
     * The same refusal with each problem named by the option that gives its field
     * ({@code --reserve-cpu}, not the library's {@code cpu_reservation}).
     *
     * @param e the library's refusal
     * @return the refusal to report
     */
    static PreflightException byFlag(PreflightException e) {
        return new PreflightException(e.problems().stream()
                .map(p -> new LimitProblem(p.severity(), ServiceOptions.flagOf(p.field()), p.message())).toList());
    }

    /**
     * Prints warnings to standard error, one {@code limits: warning:} line each.
     *
     * @param err standard error
     * @param warnings the warnings
     */
    static void warn(PrintWriter err, List<String> warnings) {
        warnings.forEach(w -> err.println("limits: warning: " + LimitsCommand.oneLine(w)));
        err.flush();
    }
}
