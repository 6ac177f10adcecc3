package org.containerlimits.cli;

import com.github.dockerjava.api.DockerClient;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.containerlimits.core.InvalidLimitsException;
import org.containerlimits.core.LimitsException;
import org.containerlimits.files.InvalidFileException;
import org.containerlimits.docker.DaemonRejectedException;
import org.containerlimits.docker.DaemonReplyException;
import org.containerlimits.docker.client.DockerClients;
import org.containerlimits.docker.DockerUnavailableException;
import org.containerlimits.docker.LimitsMismatchException;
import org.containerlimits.docker.PreflightException;
import org.containerlimits.docker.swarm.ServiceConvergenceException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code limits} command line: run containers under limits, read how close they are to them,
 * change and inspect them.
 *
 * <pre>
 * limits run --memory 1g --cpus 2.5 IMAGE [COMMAND...]     create and start, print the id
 * limits stats [--json] [--chart cpu.png] CONTAINER...    the live table, or JSON lines
 * limits update --memory 2g CONTAINER                     change limits live
 * limits inspect CONTAINER                                effective limits, docker-py and canonical
 * limits check --memory 1g --cpus 4                       validate and preflight only
 * limits convert --from flags --to kubernetes --memory 1g  between tools' formats
 * limits service create --limit-cpu 2.01 --limit-memory 1g --name web IMAGE   a Swarm service, print its id
 * limits service update --limit-memory 2g web              change a service's resources
 * limits service inspect [--json] web                      the spec's resources and each task's container
 * limits service stats [--json] web                        one reading of the tasks, and their total
 * </pre>
 *
 * <p>Exit codes: 0 done; {@value #EXIT_BAD_INPUT} bad input or limits the daemon cannot enforce
 * (nothing was created or changed); {@value #EXIT_DAEMON_REFUSED} the daemon refused or failed, or
 * a service's tasks did not come to run with their resources;
 * {@value #EXIT_NO_DAEMON} no daemon answers. The daemon is the one at {@code DOCKER_HOST}, as
 * for the docker CLI.
 */
@Command(name = "limits", mixinStandardHelpOptions = true, versionProvider = LimitsCommand.Version.class,
        description = "Hard CPU and memory limits for containers and Swarm services, and how close each one is to them.",
        subcommands = {RunCommand.class, StatsCommand.class, UpdateCommand.class, InspectCommand.class,
                CheckCommand.class, ConvertCommand.class, ServiceCommand.class, RecommendCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:the daemon refused or failed, or a service's tasks did not come to run",
                "2:bad input, or limits the daemon cannot"
                + " enforce; nothing was created or changed", "3:no Docker daemon answers at DOCKER_HOST"})
public final class LimitsCommand implements Runnable {

    /** Bad input, or limits the daemon cannot enforce: nothing was created or changed. */
    public static final int EXIT_BAD_INPUT = 2;

    /** The daemon refused or failed. */
    public static final int EXIT_DAEMON_REFUSED = 1;

    /** No daemon answers. */
    public static final int EXIT_NO_DAEMON = 3;

    private final Supplier<DockerClient> clients;
    private final IntFunction<DockerClient> streamClients;
    private DockerClient client;
    private InputStream in = System.in;

    /** A command line talking to the daemon at {@code DOCKER_HOST}. */
    public LimitsCommand() {
        this(DockerClients::fromEnvironment, LimitsCommand::streamClientFromEnvironment);
    }

    /**
     * A command line talking to the daemon the supplier connects to, asked once, on first need.
     * {@code limits stats} then opens every API stream through that one client, so it reads at most
     * {@value org.containerlimits.docker.stats.StatsReader.Builder#DEFAULT_MAX_API_STREAMS}
     * containers through the API; {@link #LimitsCommand(Supplier, IntFunction)} lifts that.
     *
     * <pre>{@code
     * LimitsCommand limits = new LimitsCommand(() -> DockerClients.fromEnvironment(Map.of("DOCKER_HOST", host)));
     * }</pre>
     *
     * @param clients connects; the client is closed by {@link #close()}
     */
    public LimitsCommand(Supplier<DockerClient> clients) {
        this(clients, null);
    }

    /**
     * A command line talking to the daemon the supplier connects to, which {@code limits stats}
     * reads more containers through the API than the main client's pool could carry with: it asks
     * {@code streamClients} for a client of the same daemon with a connection pool of the given size,
     * opens the stats streams through it, and closes it when done.
     *
     * <pre>{@code
     * Map<String, String> env = Map.of("DOCKER_HOST", host);
     * LimitsCommand limits = new LimitsCommand(() -> DockerClients.fromEnvironment(env),
     *         pool -> DockerClients.connect(env, DockerClients.RESPONSE_TIMEOUT, pool).client());
     * }</pre>
     *
     * @param clients connects; the client is closed by {@link #close()}
     * @param streamClients connects a client for stats streams with a pool of the given size, or
     *     {@code null} to open them through the main client; each client it returns is closed by the
     *     command that asked for it
     */
    public LimitsCommand(Supplier<DockerClient> clients, IntFunction<DockerClient> streamClients) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.streamClients = streamClients;
    }

    private static DockerClient streamClientFromEnvironment(int maxConnections) {
        return DockerClients.connect(System.getenv(), DockerClients.RESPONSE_TIMEOUT, maxConnections).client();
    }

    /**
     * Runs the command line and exits with its exit code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        LimitsCommand limits = new LimitsCommand();
        int code;
        try {
            code = limits.commandLine().execute(args);
        } finally {
            limits.close();
        }
        System.exit(code);
    }

    /**
     * The picocli command line, with this program's exit codes and error messages: a one-line
     * message, never a stack trace, for every error the library documents.
     *
     * @return the command line, ready to {@code execute}
     */
    public CommandLine commandLine() {
        CommandLine cli = new CommandLine(this);
        // As docker run: everything after the image is the container's command, its -c included.
        cli.getSubcommands().get("run").setStopAtPositional(true);
        // A flag line to convert is input, not options of convert.
        cli.getSubcommands().get("convert").setUnmatchedOptionsArePositionalParams(true);
        // The limit options' values are DockerCliFlags' to read, which knows -m 1g and -m=1g but not
        // -m1g: picocli must not split a cluster into a short option and its value first.
        for (String withLimits : List.of("run", "update", "check")) {
            CommandLine sub = cli.getSubcommands().get(withLimits);
            sub.setPosixClusteredShortOptionsAllowed(false);
            LimitOptions.addTo(sub.getCommandSpec(), ((LimitOptions.Holder) sub.getCommand()).limitOptions());
        }
        // As docker service create: everything after the image is the tasks' command.
        CommandLine services = cli.getSubcommands().get("service");
        CommandLine serviceCreate = services.getSubcommands().get("create");
        serviceCreate.setStopAtPositional(true);
        ServiceOptions.addTo(serviceCreate.getCommandSpec(), ((ServiceCreateCommand) serviceCreate.getCommand()).options);
        CommandLine serviceUpdate = services.getSubcommands().get("update");
        ServiceOptions.addTo(serviceUpdate.getCommandSpec(), ((ServiceUpdateCommand) serviceUpdate.getCommand()).options);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            int code;
            if (e instanceof BadInputException bad) {
                problems(err, "limits: invalid input, nothing was done", bad.problems());
                code = EXIT_BAD_INPUT;
            } else if (e instanceof PreflightException preflight) {
                problems(err, "limits: the daemon cannot enforce these limits, nothing was done", preflight.problems());
                code = EXIT_BAD_INPUT;
            } else if (e instanceof InvalidLimitsException invalid) {
                // The library's message, line by line, each violation kept to its line (a JSON string
                // may hold a line break).
                int n = invalid.violations().size();
                problems(err, "limits: invalid resource limits" + (n == 1 ? "" : " (" + n + " violations)"),
                        invalid.violations());
                code = EXIT_BAD_INPUT;
            } else if (e instanceof InvalidFileException file) {
                problems(err, "limits: invalid file " + oneLine(file.source()), file.problems());
                code = EXIT_BAD_INPUT;
            } else if (e instanceof LimitsException limitsError) {
                err.println("limits: " + oneLine(limitsError.getMessage()));
                code = EXIT_BAD_INPUT;
            } else if (e instanceof ServiceConvergenceException converge) {
                // The message carries the swarm's own words: the scheduler's, the update's, the task's.
                err.println("limits: " + oneLine(converge.getMessage()));
                code = EXIT_DAEMON_REFUSED;
            } else if (e instanceof LimitsMismatchException mismatch) {
                err.println("limits: " + oneLine(mismatch.getMessage()));
                code = EXIT_DAEMON_REFUSED;
            } else if (e instanceof DockerUnavailableException unavailable) {
                err.println("limits: " + unavailable.getMessage());
                code = EXIT_NO_DAEMON;
            } else if (e instanceof DaemonRejectedException rejected) {
                err.println("limits: " + rejected.getMessage());
                code = EXIT_DAEMON_REFUSED;
            } else if (e instanceof DaemonReplyException reply) {
                err.println("limits: " + reply.getMessage());
                code = EXIT_DAEMON_REFUSED;
            } else {
                throw e;
            }
            err.flush();
            return code;
        });
        return cli;
    }

    /** The longest problem printed; a longer one (a hostile value) is cut, saying how long it was. */
    static final int MAX_PROBLEM_LENGTH = 1_000;

    /** The most problems printed; the rest are counted. */
    static final int MAX_PROBLEMS = 20;

    /**
     * Prints problems under a heading: on the heading's line when there is one, else one per line.
     */
    private static void problems(PrintWriter err, String heading, List<?> problems) {
        if (problems.size() == 1) {
            err.println(heading + ": " + oneLine(String.valueOf(problems.get(0))));
            return;
        }
        err.println(heading + ":");
        problems.stream().limit(MAX_PROBLEMS).forEach(p -> err.println("  " + oneLine(String.valueOf(p))));
        if (problems.size() > MAX_PROBLEMS) {
            err.println("  ... and " + (problems.size() - MAX_PROBLEMS) + " more");
        }
    }

    /**
     * Text for one line of an error message: control characters and line separators escaped as
     * {@code &#92;u000a}, and cut after {@value #MAX_PROBLEM_LENGTH} characters.
     *
     * @param text the text
     * @return the text on one line
     */
    static String oneLine(String text) {
        StringBuilder b = new StringBuilder(Math.min(text.length(), MAX_PROBLEM_LENGTH) + 40);
        for (int i = 0; i < text.length(); i++) {
            if (b.length() >= MAX_PROBLEM_LENGTH) {
                return b.append("... (").append(text.length()).append(" characters in all)").toString();
            }
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || c == 0x85 || c == 0x2028 || c == 0x2029) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * Standard input, for {@code convert}.
     *
     * @return the stream
     */
    InputStream in() {
        return in;
    }

    /**
     * Replaces standard input, for tests that feed {@code convert} without the process's own.
     *
     * @param in the stream the command reads instead of {@code System.in}
     */
    void setIn(InputStream in) {
        this.in = Objects.requireNonNull(in, "in");
    }

    /**
     * The client, connected on first use.
     *
     * @return the client
     */
    DockerClient client() {
        if (client == null) {
            client = clients.get();
        }
        return client;
    }

    /**
     * Connects a client for stats streams only, with a pool of {@code maxConnections}; the caller
     * closes it.
     *
     * @param maxConnections the pool's size
     * @return the client, or {@code null} when this command line opens streams through {@link #client()}
     */
    DockerClient streamClient(int maxConnections) {
        return streamClients == null ? null : streamClients.apply(maxConnections);
    }

    /** Closes the client, if one was connected. */
    public void close() {
        if (client != null) {
            try {
                client.close();
            } catch (java.io.IOException e) {
                // Closing the connection pool of a finished run loses nothing.
            }
            client = null;
        }
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: run, stats,"
                + " update, inspect, check, convert or service (see --help)");
    }

    /** The version from the jar's manifest, or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = LimitsCommand.class.getPackage().getImplementationVersion();
            return new String[] {"limits " + (v == null ? "development" : v)};
        }
    }
}
