package org.containerlimits.cli;

import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.ServiceGlobalModeOptions;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.TaskSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.containerlimits.docker.PreflightException;
import org.containerlimits.docker.swarm.AppliedServiceLimits;
import org.containerlimits.docker.swarm.ServiceConvergenceException;
import org.containerlimits.docker.swarm.ServiceResources;
import org.containerlimits.docker.swarm.SwarmLimits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code limits service create [resource options] [--name NAME] [--replicas N | --mode global]
 * [--timeout DURATION] IMAGE [COMMAND...]}: checks the resources against the swarm's nodes
 * (preflight), creates the service, waits until its tasks run with them and prints the service's
 * id, as {@code docker service create -q}. The image is taken as given: never resolved to a digest,
 * no registry asked (docker's {@code --no-resolve-image}). When the tasks do not come to run, the
 * service is removed again and the scheduler's words are printed.
 *
 * <pre>
 * $ limits service create --limit-cpu 2.01 --limit-memory 1g --name web containerlimits/busybox:test sleep 1d
 * q3v1x0c8w8m1l7f2k9h4d5e6a
 * </pre>
 */
@Command(name = "create", mixinStandardHelpOptions = true, abbreviateSynopsis = true,
        description = "Create a Swarm service under limits, wait until its tasks run, print its id.")
public final class ServiceCreateCommand implements Callable<Integer> {

    @ParentCommand
    ServiceCommand service;

    final ServiceOptions options = new ServiceOptions();

    @Option(names = "--name", paramLabel = "NAME", description = "The service's name.")
    String name;

    @Option(names = "--replicas", paramLabel = "N", description = "Tasks of a replicated service (default: 1).")
    Integer replicas;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "replicated",
            description = "replicated or global (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--timeout", paramLabel = "DURATION",
            description = "How long to wait for the tasks to run: 30s, 2m (default: 60s).")
    String timeout;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "The image; never pulled or resolved.")
    String image;

    @Parameters(index = "1..*", paramLabel = "COMMAND", description = "The command and its arguments.")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() {
        // Everything is read before connecting: bad input is refused without a daemon.
        ServiceResources resources = resources();
        ServiceSpec spec = spec();
        SwarmLimits swarm = service.swarm(ServiceCommand.timeout(timeout));
        AppliedServiceLimits applied;
        try {
            applied = swarm.create(service.client().createServiceCmd(spec), resources);
        } catch (PreflightException e) {
            throw ServiceCommand.byFlag(e);
        } catch (ServiceConvergenceException e) {
            var err = service.spec.commandLine().getErr();
            err.println("limits: the service's tasks did not come to run; the service was removed again");
            err.flush();
            throw e;
        }
        ServiceCommand.warn(service.spec.commandLine().getErr(), applied.warnings());
        var out = service.spec.commandLine().getOut();
        out.println(applied.serviceId());
        out.flush();
        return 0;
    }

    /**
     * The resources to create the service with, from the options.
     *
     * @return the resources
     * @throws BadInputException listing every bad option
     */
    ServiceResources resources() {
        return options.toResources();
    }

    /**
     * The service's spec without its resources, which {@link SwarmLimits#create} adds: name, image,
     * command, mode.
     *
     * @return the spec
     * @throws BadInputException for a mode other than replicated or global, a negative replica count,
     *     or replicas with the global mode
     */
    ServiceSpec spec() {
        ContainerSpec container = new ContainerSpec().withImage(image);
        if (!command.isEmpty()) {
            // As docker service create: the words after the image are the arguments of the image's
            // entrypoint, which for an image without one is the command.
            container.withArgs(command);
        }
        ServiceSpec spec = new ServiceSpec().withTaskTemplate(new TaskSpec().withContainerSpec(container))
                .withMode(mode());
        if (name != null) {
            spec.withName(name);
        }
        return spec;
    }

    private ServiceModeConfig mode() {
        switch (mode.toLowerCase(Locale.ROOT)) {
            case "replicated" -> {
                if (replicas != null && replicas < 0) {
                    throw new BadInputException(List.of("--replicas '" + replicas + "': must be 0 or more"));
                }
                return new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions()
                        .withReplicas(replicas == null ? 1 : replicas));
            }
            case "global" -> {
                if (replicas != null) {
                    throw new BadInputException(List.of("--replicas '" + replicas
                            + "': a global service runs one task on every node; give --replicas only with"
                            + " --mode replicated"));
                }
                return new ServiceModeConfig().withGlobal(new ServiceGlobalModeOptions());
            }
            default -> throw new BadInputException(List.of("--mode '" + mode + "': expected replicated or global"));
        }
    }
}
