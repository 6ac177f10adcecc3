package org.containerlimits.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.docker.DockerLimits;
import org.containerlimits.core.InvalidLimitsException;
import org.containerlimits.docker.LimitProblem;
import org.containerlimits.docker.swarm.ServiceResources;
import org.containerlimits.docker.swarm.SwarmLimits;
import org.containerlimits.docker.swarm.SwarmNodeCapacity;
import org.containerlimits.files.FileLimits;
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
 *
 * <p>{@code limits check -f FILE} does the same for every service of a Compose file or every
 * container of Kubernetes manifests ({@code --from compose-file|kubernetes-file}; by default a file
 * whose name contains {@code compose} is a Compose file, any other a manifest), each line prefixed
 * with the service's or container's name; a limit the file gives that has no container equivalent
 * is named too. With {@code --swarm}, each entry is checked as a one-replica Swarm service against the
 * swarm's nodes instead ({@code deploy.resources.reservations.cpus} included).
 *
 * <pre>
 * $ limits check -f compose.yaml
 * web: mem_limit=256m,nano_cpus=4000000000
 * web: ERROR nano_cpus: 4 CPUs asked, the daemon's host has 2
 * db: mem_limit=1g
 * db: no equivalent in limits: deploy.resources.reservations.cpus = '0.5': a swarm scheduling reservation, ...
 * </pre>
 */
@Command(name = "check", mixinStandardHelpOptions = true, abbreviateSynopsis = true,
        description = "Validate limits, or every service or container of a file (-f), and check them against the"
                + " daemon; create nothing.")
public final class CheckCommand implements Callable<Integer>, LimitOptions.Holder {

    @ParentCommand
    LimitsCommand parent;

    final LimitOptions options = new LimitOptions();

    @Option(names = "--offline", description = "Validate only; do not ask the daemon.")
    boolean offline;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE",
            description = "Check every service of a Compose file or container of Kubernetes manifests (- for standard"
                    + " input) instead of limit flags.")
    String file;

    @Option(names = "--swarm", description = "With -f: check each entry as a Swarm service against the swarm's nodes"
            + " (their free CPUs and memory, the reservations of the tasks already placed), one replica each, instead of"
            + " as a container against this host.")
    boolean swarm;

    @Option(names = "--from", paramLabel = "FORMAT",
            description = "With -f: compose-file or kubernetes-file; by default from the file's name (compose-file when"
                    + " it contains 'compose').")
    String from;

    @Override
    public Integer call() throws IOException {
        if (file != null) {
            return checkFile();
        }
        if (from != null || swarm) {
            throw new BadInputException(List.of((swarm ? "--swarm" : "--from '" + LimitsCommand.oneLine(from) + "'")
                    + ": only with -f FILE"));
        }
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

    private int checkFile() throws IOException {
        if (!options.toLimits().equals(ResourceLimits.none())) {
            throw new BadInputException(List.of("-f '" + LimitsCommand.oneLine(file) + "': give the limits by flags or"
                    + " by a file, not both"));
        }
        FileLimits limits = InputFile.read(format(), file, "-f", parent.in());
        DockerLimits docker = offline || swarm ? null : DockerLimits.of(parent.client());
        List<SwarmNodeCapacity> nodes = offline || !swarm ? null : SwarmLimits.of(parent.client()).nodes();
        PrintWriter out = parent.spec.commandLine().getOut();
        boolean error = false;
        for (FileLimits.Entry entry : limits.entries()) {
            String name = entry.name();
            ResourceLimits l = entry.limits().value();
            out.println(name + ": " + l);
            entry.limits().unconverted().forEach(u -> out.println(name + ": no equivalent in limits: "
                    + LimitsCommand.oneLine(u)));
            List<LimitProblem> problems = docker != null ? docker.check(l)
                    : nodes != null ? swarmProblems(entry, nodes) : List.of();
            for (LimitProblem p : problems) {
                out.println(name + ": " + p);
                error |= p.isError();
            }
        }
        limits.skipped().forEach(s -> out.println("skipped: " + LimitsCommand.oneLine(s)));
        List<String> summary = new ArrayList<>();
        summary.add(limits.entries().size() + (limits.entries().size() == 1 ? " entry" : " entries"));
        out.println(error ? "not enforceable: " + String.join(", ", summary) + " checked"
                : (offline ? "valid: " : "valid, and the daemon can enforce every limit: ")
                        + String.join(", ", summary) + " checked");
        out.flush();
        return error ? LimitsCommand.EXIT_BAD_INPUT : 0;
    }

    /**
     * The entry as a one-replica service: what it cannot carry as warnings (docker stack deploy
     * ignores it), reservations and limits the nodes cannot meet as errors.
     */
    private static List<LimitProblem> swarmProblems(FileLimits.Entry entry, List<SwarmNodeCapacity> nodes) {
        ServiceResources resources;
        try {
            resources = ServiceResources.of(entry.limits().value()).withCpuReservation(entry.cpuReservation().orElse(null));
        } catch (InvalidLimitsException e) {
            return e.violations().stream().map(v -> new LimitProblem(LimitProblem.Severity.ERROR, v.field(),
                    v.value() + ": " + v.rule())).toList();
        }
        return SwarmLimits.check(resources, nodes, OptionalLong.of(1), false);
    }

    private String format() {
        if (from == null) {
            if (file.equals("-")) {
                throw new BadInputException(List.of("-f -: say which format standard input holds, --from compose-file"
                        + " or --from kubernetes-file"));
            }
            String name = file.substring(file.lastIndexOf('/') + 1);
            return name.toLowerCase(Locale.ROOT).contains("compose") ? "compose-file" : "kubernetes-file";
        }
        String f = from.toLowerCase(Locale.ROOT);
        if (!ConvertCommand.FILE_FORMATS.contains(f)) {
            throw new BadInputException(List.of("--from '" + LimitsCommand.oneLine(from) + "': expected one of "
                    + String.join(", ", ConvertCommand.FILE_FORMATS)));
        }
        return f;
    }

    @Override
    public LimitOptions limitOptions() {
        return options;
    }
}
