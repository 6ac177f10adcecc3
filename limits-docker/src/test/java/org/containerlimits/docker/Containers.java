package org.containerlimits.docker;

import org.containerlimits.testing.BusyboxImage;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
  * Creates containers from {@link BusyboxImage} for one test and removes every one of them on {@link
  * #close()}, also when the test fails. Use it in try-with-resources, or close it in
  * {@code @AfterEach}:
  *
  * <pre>{@code
  * try (Containers containers = new Containers(docker)) {
  *   String id = containers.start(cmd -> cmd.getHostConfig().withMemory(64L << 20));
  *   String limit = containers.exec(id, "cat", "/sys/fs/cgroup/memory/memory.limit_in_bytes");
  * }
  * }</pre>
  *
  * <p>Each container is labelled {@value #LABEL}{@code =true}, so that leftovers of a killed test
  * JVM can be found and removed with {@code docker rm -f $(docker ps -aq --filter
  * label=org.containerlimits.test=true)}.
  *
  * <p>Thread-safe.
  */
public final class Containers implements AutoCloseable {

    /** The label key set to {@code true} on every test container. */
    public static final String LABEL = BusyboxImage.LABEL;

    /**
      * The command a container runs unless the customizer sets another: a long sleep, so that exec
      * has something to attach to, and a container left behind by a killed JVM ends on its own.
      */
    public static final List<String> DEFAULT_COMMAND = List.of("sleep", "3600");

    /** How long {@link #exec(String, String...)} waits for a command to finish. */
    public static final Duration EXEC_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(Containers.class);

    private final DockerClient docker;

    /** Guarded by itself: ids created and not yet removed, in creation order. */
    private final Set<String> created = new LinkedHashSet<>();

    /**
      * Creates a tracker using the given client; it does not close the client.
      *
      * @param docker a connected client
      */
    public Containers(DockerClient docker) {
        this.docker = Objects.requireNonNull(docker, "docker");
    }

    /**
      * The output of a finished process.
      *
      * @param exitCode its exit code
      * @param stdout what it wrote to standard output, decoded as UTF-8
      * @param stderr what it wrote to standard error, decoded as UTF-8
      */
    public record Output(long exitCode, String stdout, String stderr) {}

    /**
      * Creates a container from {@link BusyboxImage} and starts it.
      *
      * @param customizer adjusts the create command before it is sent: limits through {@code
      *     cmd.getHostConfig()}, a different command through {@code withCmd}, and so on
      * @return the container id; the container is removed by {@link #close()}
      */
    public String start(Consumer<? super CreateContainerCmd> customizer) {
        String id = create(customizer);
        docker.startContainerCmd(id).exec();
        return id;
    }

    /**
      * Creates a container from {@link BusyboxImage} without starting it.
      *
      * @param customizer adjusts the create command before it is sent
      * @return the container id; the container is removed by {@link #close()}
      */
    public String create(Consumer<? super CreateContainerCmd> customizer) {
        Objects.requireNonNull(customizer, "customizer");
        CreateContainerCmd cmd =
                docker.createContainerCmd(BusyboxImage.ensure(docker)).withCmd(DEFAULT_COMMAND);
        customizer.accept(cmd);
        // Added after the customizer, since withLabels replaces the whole map.
        Map<String, String> labels = new HashMap<>();
        if (cmd.getLabels() != null) {
            labels.putAll(cmd.getLabels());
        }
        labels.put(LABEL, "true");
        cmd.withLabels(labels);
        String id = cmd.exec().getId();
        synchronized (created) {
            created.add(id);
        }
        LOG.debug("Created test container {}", id);
        return id;
    }

    /**
      * Adopts a container created elsewhere, for example by the code under test, so that {@link
      * #close()} removes it too. It should carry the {@value #LABEL} label as well.
      *
      * @param id the container
      * @return {@code id}, so that creation and tracking fit in one expression
      */
    public String track(String id) {
        Objects.requireNonNull(id, "id");
        synchronized (created) {
            created.add(id);
        }
        return id;
    }

    /**
      * Runs a command in a running container and returns its standard output.
      *
      * @param id the container
      * @param command the program and its arguments, such as {@code "cat", "/proc/self/cgroup"}
      * @return standard output, decoded as UTF-8
      * @throws AssertionError if the command exits with a non-zero code; the message has its stderr
      */
    public String exec(String id, String... command) {
        Output output = execOutput(id, command);
        if (output.exitCode() != 0) {
            throw new AssertionError(
                    "'"
                            + String.join(" ", command)
                            + "' in container "
                            + id
                            + " exited with "
                            + output.exitCode()
                            + "; stderr: "
                            + output.stderr().strip()
                            + "; stdout: "
                            + output.stdout().strip());
        }
        return output.stdout();
    }

    /**
      * Runs a command in a running container and returns its exit code and output, whatever the exit
      * code.
      *
      * @param id the container
      * @param command the program and its arguments
      * @return what it printed and how it exited
      * @throws AssertionError if it does not finish within {@link #EXEC_TIMEOUT}
      */
    public Output execOutput(String id, String... command) {
        if (command.length == 0) {
            throw new IllegalArgumentException("No command given");
        }
        String execId =
                docker
                        .execCreateCmd(id)
                        .withCmd(command)
                        .withAttachStdout(true)
                        .withAttachStderr(true)
                        .exec()
                        .getId();
        Collector collector =
                docker.execStartCmd(execId).exec(new Collector());
        await(collector, EXEC_TIMEOUT, "'" + String.join(" ", command) + "' in container " + id);
        // The stream can close a moment before the daemon records the exit code.
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        InspectExecResponse exec = docker.inspectExecCmd(execId).exec();
        while (exec.getExitCodeLong() == null || Boolean.TRUE.equals(exec.isRunning())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("No exit code for '" + String.join(" ", command) + "'");
            }
            sleep(20);
            exec = docker.inspectExecCmd(execId).exec();
        }
        return collector.output(exec.getExitCodeLong());
    }

    /**
      * Waits for a started container to exit and returns its exit code and log output.
      *
      * @param id the container
      * @param timeout how long to wait
      * @return its exit code and everything it printed
      * @throws AssertionError if it does not exit in time
      */
    public Output awaitExit(String id, Duration timeout) {
        Integer status =
                docker.waitContainerCmd(id).start().awaitStatusCode(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Collector logs =
                docker
                        .logContainerCmd(id)
                        .withStdOut(true)
                        .withStdErr(true)
                        .withFollowStream(false)
                        .exec(new Collector());
        await(logs, EXEC_TIMEOUT, "the logs of container " + id);
        return logs.output(status);
    }

    /**
      * Tells which cgroup version a running container sees: 2 when {@code
      * /sys/fs/cgroup/cgroup.controllers} exists inside it (the unified hierarchy), 1 otherwise.
      *
      * @param id the container
      * @return 1 or 2
      */
    public int cgroupVersion(String id) {
        Output test =
                execOutput(id, "sh", "-c", "test -e /sys/fs/cgroup/cgroup.controllers");
        if (test.exitCode() == 0) {
            return 2;
        }
        if (test.exitCode() == 1) {
            return 1;
        }
        throw new AssertionError("Cannot tell the cgroup version of " + id + ": " + test);
    }

    /**
      * Force-removes one container now, with its anonymous volumes.
      *
      * @param id the container
      */
    public void remove(String id) {
        try {
            docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // Already gone, for example removed by the test itself: that is what we wanted.
        }
        synchronized (created) {
            created.remove(id);
        }
    }

    /**
      * Returns the ids of the containers created and not yet removed.
      *
      * @return a snapshot, in creation order
      */
    public List<String> ids() {
        synchronized (created) {
            return List.copyOf(created);
        }
    }

    /**
      * Force-removes every container created here. Tries all of them even when some fail, then
      * reports the first failure with the others suppressed.
      */
    @Override
    public void close() {
        List<String> ids;
        synchronized (created) {
            ids = new ArrayList<>(created);
        }
        RuntimeException failure = null;
        for (String id : ids) {
            try {
                remove(id);
            } catch (RuntimeException e) {
                LOG.warn("Could not remove test container {}", id, e);
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static void await(Collector callback, Duration timeout, String what) {
        try {
            if (!callback.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(what + " did not finish within " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for " + what, e);
        } finally {
            try {
                callback.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted", e);
        }
    }

    /** Collects a multiplexed stdout/stderr stream. */
    private static final class Collector extends ResultCallback.Adapter<Frame> {
        private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

        @Override
        public void onNext(Frame frame) {
            // RAW only occurs with a TTY, which these calls never request; treat it as stdout.
            ByteArrayOutputStream target =
                    switch (frame.getStreamType()) {
                        case STDERR -> stderr;
                        default -> stdout;
                    };
            target.writeBytes(frame.getPayload());
        }

        Output output(long exitCode) {
            return new Output(
                    exitCode,
                    stdout.toString(StandardCharsets.UTF_8),
                    stderr.toString(StandardCharsets.UTF_8));
        }
    }
}
