package org.containerlimits.examples;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.docker.AppliedLimits;
import org.containerlimits.docker.DockerLimits;
import org.containerlimits.docker.client.DockerClients;
import org.containerlimits.testing.BusyboxImage;

/**
 * What every example shares: its arguments, the daemon, the image, and the containers it starts,
 * all removed when it ends, also on Ctrl-C.
 *
 * <p>Arguments, all optional, so that an example runs from an IDE with none:
 * {@code --seconds N} (how long each stage watches; tests pass 2 or 3) and {@code --image NAME}
 * (any image with a POSIX shell; also the system property {@code containerlimits.image}). The
 * default image is {@value BusyboxImage#NAME}, built locally from the host's static busybox when
 * missing: nothing is pulled.
 *
 * <pre>{@code
 * try (ExampleRun run = ExampleRun.start("notebook-limits", args, 10)) {
 *     String id = run.startContainer("alice", limits, "sh", "-c", "yes > /dev/null");
 *     ...
 * }
 * }</pre>
 */
public final class ExampleRun implements AutoCloseable {

    /** The label on every container an example starts; its value is the example's name. */
    public static final String LABEL = "org.containerlimits.example";

    private final String example;
    private final DockerClient client;
    private final DockerLimits docker;
    private final String image;
    private final int seconds;
    private final PrintStream out;
    private final List<String> started = new ArrayList<>();
    private final Thread cleanup;

    private ExampleRun(String example, DockerClient client, String image, int seconds, PrintStream out) {
        this.example = example;
        this.client = client;
        this.docker = DockerLimits.of(client);
        this.image = image;
        this.seconds = seconds;
        this.out = out;
        this.cleanup = new Thread(this::removeAll, example + "-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    /**
     * Parses the arguments, connects to the daemon at {@code DOCKER_HOST} and makes sure the image
     * is there.
     *
     * @param example the example's name, for the containers' label and names
     * @param args {@code --seconds N}, {@code --image NAME}
     * @param defaultSeconds how long a stage watches when {@code --seconds} is not given
     * @return the run; close it to remove what it started
     * @throws IllegalArgumentException naming a bad argument
     */
    public static ExampleRun start(String example, String[] args, int defaultSeconds) {
        int seconds = defaultSeconds;
        String image = System.getProperty("containerlimits.image");
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if ((arg.equals("--seconds") || arg.equals("--image")) && i + 1 == args.length) {
                throw new IllegalArgumentException(arg + " needs a value");
            }
            if (arg.equals("--seconds")) {
                String value = args[++i];
                try {
                    seconds = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    seconds = -1;
                }
                if (seconds < 1 || seconds > 3600) {
                    throw new IllegalArgumentException("--seconds '" + value + "': expected a whole number of seconds,"
                            + " 1 to 3600");
                }
            } else if (arg.equals("--image")) {
                image = args[++i];
            } else {
                throw new IllegalArgumentException("unknown argument '" + arg + "': expected --seconds N or"
                        + " --image NAME");
            }
        }
        DockerClient client = DockerClients.fromEnvironment();
        if (image == null) {
            image = BusyboxImage.ensure(client);
        }
        return new ExampleRun(example, client, image, seconds, System.out);
    }

    /**
     * The client.
     *
     * @return the connected client
     */
    public DockerClient client() {
        return client;
    }

    /**
     * The library's Docker side, strict.
     *
     * @return the limits applier for this daemon
     */
    public DockerLimits docker() {
        return docker;
    }

    /**
     * How long one stage watches.
     *
     * @return seconds
     */
    public int seconds() {
        return seconds;
    }

    /**
     * Where the example prints.
     *
     * @return standard output
     */
    public PrintStream out() {
        return out;
    }

    /**
     * Creates and starts a container as a spawner would: the limits applied at creation
     * (preflight, create, read back), labelled for clean-up.
     *
     * @param name a name, unique within the example; the container is named {@code example-name}
     * @param limits the limits
     * @param command the command, run by the image's shell when given as one string after {@code sh -c}
     * @return the container's id
     */
    public String startContainer(String name, ResourceLimits limits, String... command) {
        String containerName = example + "-" + name + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
        AppliedLimits applied = docker.create(client.createContainerCmd(image).withName(containerName)
                .withLabels(Map.of(LABEL, example)).withCmd(command), limits);
        synchronized (started) {
            started.add(applied.containerId());
        }
        applied.warnings().forEach(w -> out.println("  daemon warning: " + w));
        client.startContainerCmd(applied.containerId()).exec();
        return applied.containerId();
    }

    /**
     * Removes one container now.
     *
     * @param id the container
     */
    public void remove(String id) {
        try {
            client.removeContainerCmd(id).withForce(true).exec();
        } catch (NotFoundException e) {
            // Already gone.
        }
        synchronized (started) {
            started.remove(id);
        }
    }

    /**
     * Sleeps, returning early on interruption.
     *
     * @param d how long
     */
    public static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void removeAll() {
        List<String> ids;
        synchronized (started) {
            ids = new ArrayList<>(started);
        }
        for (String id : ids) {
            remove(id);
        }
    }

    /** Removes every container this run started and disconnects. */
    @Override
    public void close() {
        removeAll();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException e) {
            // Shutting down: the hook is running.
        }
        try {
            client.close();
        } catch (IOException e) {
            // Closing the pool of a finished run loses nothing.
        }
    }
}
