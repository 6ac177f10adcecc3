package org.containerlimits.cli;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.exception.DockerException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.docker.AppliedLimits;
import org.containerlimits.docker.DaemonRejectedException;
import org.containerlimits.docker.DockerLimits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code limits run [limit options] [--name NAME] IMAGE [COMMAND...]}: validates the limits,
 * checks them against the daemon (preflight), creates the container under them, starts it detached
 * and prints its id. Bad limits create nothing.
 *
 * <pre>
 * $ limits run --memory 1g --cpus 2.5 --name alice jupyter/base-notebook
 * 3f9c0a...
 * </pre>
 */
@Command(name = "run", mixinStandardHelpOptions = true, abbreviateSynopsis = true,
        description = "Create and start a container under limits (detached); print its id.")
public final class RunCommand implements Callable<Integer>, LimitOptions.Holder {

    @ParentCommand
    LimitsCommand parent;

    final LimitOptions options = new LimitOptions();

    @Option(names = "--name", paramLabel = "NAME", description = "The container's name.")
    String name;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "The image; never pulled.")
    String image;

    @Parameters(index = "1..*", paramLabel = "COMMAND", description = "The command and its arguments.")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() {
        ResourceLimits limits = options.toLimits();
        DockerClient client = parent.client();
        CreateContainerCmd cmd = client.createContainerCmd(image);
        if (name != null) {
            cmd.withName(name);
        }
        if (!command.isEmpty()) {
            cmd.withCmd(command);
        }
        AppliedLimits applied = DockerLimits.of(client).create(cmd, limits);
        try {
            client.startContainerCmd(applied.containerId()).exec();
        } catch (RuntimeException e) {
            // A container that cannot start would linger, created but never run: remove it.
            client.removeContainerCmd(applied.containerId()).withForce(true).exec();
            if (e instanceof DockerException refused) {
                // Such as a command missing from the image: one line with the daemon's words.
                throw DaemonRejectedException.of("start container " + applied.containerId().substring(0, 12)
                        + " (removed again)", refused);
            }
            throw e;
        }
        var err = parent.spec.commandLine().getErr();
        applied.warnings().forEach(w -> err.println("limits: warning: " + w));
        err.flush();
        var out = parent.spec.commandLine().getOut();
        out.println(applied.containerId());
        out.flush();
        return 0;
    }

    @Override
    public LimitOptions limitOptions() {
        return options;
    }
}
