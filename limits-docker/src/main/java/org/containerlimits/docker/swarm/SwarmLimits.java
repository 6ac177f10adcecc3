package org.containerlimits.docker.swarm;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateServiceCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.ResourceRequirements;
import com.github.dockerjava.api.model.ResourceSpecs;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServiceMode;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.ServiceUpdateState;
import com.github.dockerjava.api.model.ServiceUpdateStatus;
import com.github.dockerjava.api.model.SwarmNode;
import com.github.dockerjava.api.model.SwarmNodeAvailability;
import com.github.dockerjava.api.model.SwarmNodeState;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.containerlimits.core.Limit;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.docker.DaemonFailures;
import org.containerlimits.docker.DockerLimits;
import org.containerlimits.docker.DockerUnavailableException;
import org.containerlimits.docker.LimitProblem;
import org.containerlimits.docker.LimitsMismatchException;
import org.containerlimits.docker.Mismatch;
import org.containerlimits.docker.PreflightException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies resources to Docker Swarm services, checks them against the swarm's nodes, updates them
 * and waits until the tasks run with them, and reads them back from the spec and from each task's
 * container.
 *
 * <h2>Without a daemon: the modifier</h2>
 * <pre>{@code
 * ServiceResources resources = ServiceResources.parse("mem_limit=1g,nano_cpus=2010000000,pids_limit=100");
 * CreateServiceCmd cmd = client.createServiceCmd(spec);
 * SwarmLimits.modifier(resources).accept(cmd);   // TaskTemplate.Resources.Limits.NanoCPUs = 2010000000, exactly
 * }</pre>
 *
 * <h2>With a swarm manager: preflight, create, update, read back</h2>
 * <pre>{@code
 * SwarmLimits swarm = SwarmLimits.of(client);
 * List<LimitProblem> problems = swarm.check(resources, OptionalLong.of(1));
 * AppliedServiceLimits created = swarm.create(client.createServiceCmd(spec), resources);
 * swarm.update(created.serviceId(), resources.withLimits(ResourceLimits.parse("mem_limit=2g,nano_cpus=2000000000")));
 * AppliedServiceLimits back = swarm.readBack(created.serviceId());
 * }</pre>
 * A service carries only what {@link ServiceField} lists. Any other limit (swap, swappiness, CPU
 * shares, cpusets, the quota/period form of the CPU limit, block IO, {@code /dev/shm}, the OOM
 * killer's settings, ulimits) is reported by name: in strict mode (the default) {@link #create} and
 * {@link #update} refuse it with a {@link PreflightException} before anything is sent; in lenient
 * mode ({@code strict(false)}) it is left out, logged and returned as a warning.
 *
 * <p>Preflight ({@link #check}) asks the swarm for its nodes and the tasks placed on them, and
 * refuses reservations no node has room for, more replicas than the nodes can take, and limits above
 * every node's CPUs or memory. After sending, {@link #create} and {@link #update} wait, at most
 * {@link #timeout()}, until every task runs with the new spec, and then read each task's container
 * on this node back; a task the scheduler keeps pending, a rolling update that pauses or rolls back,
 * and tasks that keep failing end the wait at once with a {@link ServiceConvergenceException} that
 * gives the swarm's own message.
 *
 * <p>The images of a service are taken as given: nothing here resolves a tag to a digest or asks a
 * registry (the docker CLI's {@code --no-resolve-image}).
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class SwarmLimits {
    private static final Logger log = LoggerFactory.getLogger(SwarmLimits.class);

    /** How long {@link #create} and {@link #update} wait for the tasks, unless told otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /** How long a task may stay pending with the scheduler's error before that is the answer. */
    static final Duration PENDING_GRACE = Duration.ofSeconds(3);

    /** How many failed or rejected tasks with the new spec end the wait. */
    static final int FAILED_TASKS = 3;

    private static final Duration POLL = Duration.ofMillis(200);

    private final DockerClient client;
    private final boolean strict;
    private final Duration timeout;

    private SwarmLimits(DockerClient client, boolean strict, Duration timeout) {
        this.client = client;
        this.strict = strict;
        this.timeout = timeout;
    }

    /**
     * Returns an instance that talks to a swarm manager through the given client, in strict mode.
     *
     * @param client a docker-java client of a daemon that is a swarm manager
     * @return the instance
     */
    public static SwarmLimits of(DockerClient client) {
        return new SwarmLimits(Objects.requireNonNull(client, "client"), true, DEFAULT_TIMEOUT);
    }

    /**
     * Returns an instance like this one in the given mode.
     *
     * @param strict {@code true} to refuse a limit a service cannot carry and to throw
     *     {@link LimitsMismatchException} when a task's container does not carry the limits;
     *     {@code false} to leave the limit out and log and return the mismatch
     * @return the instance
     */
    public SwarmLimits strict(boolean strict) {
        return new SwarmLimits(client, strict, timeout);
    }

    /**
     * Returns an instance like this one that waits at most the given time for a service's tasks.
     *
     * @param timeout positive
     * @return the instance
     * @throws IllegalArgumentException if not positive
     */
    public SwarmLimits timeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        return new SwarmLimits(client, strict, timeout);
    }

    /**
     * Returns whether a limit a service cannot carry is refused.
     *
     * @return {@code true} in strict mode, the default
     */
    public boolean isStrict() {
        return strict;
    }

    /**
     * Returns how long {@link #create} and {@link #update} wait for the tasks.
     *
     * @return the timeout, {@link #DEFAULT_TIMEOUT} unless set
     */
    public Duration timeout() {
        return timeout;
    }

    // ------------------------------------------------------------------------------ no daemon

    /**
     * Returns a modifier that writes the resources into a create command's task template. Needs no
     * daemon and runs no preflight; limits a service cannot carry are left out (see
     * {@link #uncarried(ServiceResources)}).
     *
     * @param resources the resources; fields not set leave the spec's values untouched
     * @return the modifier
     */
    public static Consumer<CreateServiceCmd> modifier(ServiceResources resources) {
        Objects.requireNonNull(resources, "resources");
        return cmd -> {
            ServiceSpec spec = cmd.getServiceSpec() == null ? new ServiceSpec() : cmd.getServiceSpec();
            cmd.withServiceSpec(applyTo(spec, resources));
        };
    }

    /**
     * Writes the resources into a service spec's {@code TaskTemplate.Resources}, changing it.
     *
     * @param spec the spec
     * @param resources the resources; fields not set are left untouched
     * @return {@code spec}, for chaining
     */
    public static ServiceSpec applyTo(ServiceSpec spec, ServiceResources resources) {
        return ServiceSpecMapping.applyTo(Objects.requireNonNull(spec, "spec"),
                Objects.requireNonNull(resources, "resources"));
    }

    /**
     * Reads the resources a service spec asks for each task.
     *
     * @param spec an inspected service's spec
     * @return the resources; zeros read as not set
     */
    public static ServiceResources fromServiceSpec(ServiceSpec spec) {
        return ServiceSpecMapping.read(Objects.requireNonNull(spec, "spec").getTaskTemplate());
    }

    /**
     * Returns each limit of the resources that a service cannot carry, as an error naming it.
     *
     * @param resources the resources
     * @return the problems, in field order; empty when a service carries them all
     */
    public static List<LimitProblem> uncarried(ServiceResources resources) {
        return ServiceSpecMapping.uncarried(resources, LimitProblem.Severity.ERROR);
    }

    /**
     * Checks resources against given nodes, without asking any daemon; see {@link #check}.
     *
     * @param resources the resources
     * @param nodes the swarm's nodes
     * @param replicas the tasks wanted; empty for a global service
     * @param strict whether a limit a service cannot carry is an error (else a warning)
     * @return every problem; empty when the swarm can run the tasks
     */
    public static List<LimitProblem> check(ServiceResources resources, List<SwarmNodeCapacity> nodes,
            OptionalLong replicas, boolean strict) {
        return SwarmPreflight.check(resources, nodes, replicas,
                strict ? LimitProblem.Severity.ERROR : LimitProblem.Severity.WARNING);
    }

    // ------------------------------------------------------------------------------ with a daemon

    /**
     * Returns the swarm's nodes with their resources and what the running tasks reserve on each.
     *
     * @return the nodes, by hostname
     * @throws org.containerlimits.docker.DaemonRejectedException if the daemon is not a swarm manager
     * @throws DockerUnavailableException if the daemon cannot be reached
     */
    public List<SwarmNodeCapacity> nodes() {
        return nodes(null);
    }

    private List<SwarmNodeCapacity> nodes(String exceptService) {
        List<SwarmNode> nodes = call("list the swarm's nodes", () -> client.listSwarmNodesCmd().exec());
        List<Task> tasks = call("list the swarm's tasks", () -> client.listTasksCmd()
                .withStateFilter(TaskState.RUNNING).exec());
        Map<String, long[]> reserved = new HashMap<>();
        for (Task task : tasks) {
            if (task.getNodeId() == null || task.getSpec() == null || !isActive(task)
                    || (exceptService != null && exceptService.equals(task.getServiceId()))) {
                continue;
            }
            ResourceRequirements r = task.getSpec().getResources();
            ResourceSpecs res = r == null ? null : r.getReservations();
            long[] sum = reserved.computeIfAbsent(task.getNodeId(), k -> new long[3]);
            sum[0] += res == null || res.getNanoCPUs() == null ? 0 : Math.max(0, res.getNanoCPUs());
            sum[1] += res == null || res.getMemoryBytes() == null ? 0 : Math.max(0, res.getMemoryBytes());
            sum[2]++;
        }
        List<SwarmNodeCapacity> result = new ArrayList<>();
        for (SwarmNode node : nodes) {
            var desc = node.getDescription();
            var res = desc == null ? null : desc.getResources();
            boolean ready = node.getStatus() != null && node.getStatus().getState() == SwarmNodeState.READY;
            boolean active = node.getSpec() != null && node.getSpec().getAvailability() == SwarmNodeAvailability.ACTIVE;
            long[] sum = reserved.getOrDefault(node.getId(), new long[3]);
            result.add(new SwarmNodeCapacity(node.getId(), desc == null || desc.getHostname() == null ? node.getId()
                    : desc.getHostname(), ready && active,
                    res == null || res.getNanoCPUs() == null ? 0 : Math.max(0, res.getNanoCPUs()),
                    res == null || res.getMemoryBytes() == null ? 0 : Math.max(0, res.getMemoryBytes()),
                    sum[0], sum[1], (int) sum[2]));
        }
        result.sort(Comparator.comparing(SwarmNodeCapacity::hostname));
        return result;
    }

    /** A task the scheduler counts against its node: placed and not yet ended. */
    private static boolean isActive(Task task) {
        TaskState s = task.getStatus() == null ? null : task.getStatus().getState();
        return s != null && s.compareTo(TaskState.ASSIGNED) >= 0 && s.compareTo(TaskState.RUNNING) <= 0;
    }

    /**
     * Checks resources against the swarm: limits a service cannot carry (errors in strict mode),
     * limits above every node's CPUs or memory, reservations no node has room for beside the
     * reservations of the tasks already placed, and more replicas than the nodes can take.
     *
     * @param resources the resources
     * @param replicas the tasks wanted; empty for a global service
     * @return every problem, errors and warnings; empty when the swarm can run the tasks
     * @throws org.containerlimits.docker.DaemonRejectedException if the daemon is not a swarm manager
     * @throws DockerUnavailableException if the daemon cannot be reached
     */
    public List<LimitProblem> check(ServiceResources resources, OptionalLong replicas) {
        return check(resources, nodes(), replicas, strict);
    }

    /**
     * Creates a service with the resources: preflight, create, wait until its tasks run, read each
     * task's container on this node back.
     *
     * @param cmd a create command of a client talking to this swarm manager; its spec is changed
     * @param resources the resources
     * @return the new service's id, its resources and its running tasks
     * @throws PreflightException if the swarm cannot run the tasks, or in strict mode a limit cannot
     *     be carried; nothing is created
     * @throws ServiceConvergenceException if the tasks do not come to run (the service is removed
     *     again: a service left pending would wait for ever)
     * @throws LimitsMismatchException in strict mode, if a task's container does not carry the
     *     limits; the service is removed again
     * @throws org.containerlimits.docker.DaemonRejectedException if the daemon refuses the create
     * @throws DockerUnavailableException if the daemon cannot be reached
     */
    public AppliedServiceLimits create(CreateServiceCmd cmd, ServiceResources resources) {
        Objects.requireNonNull(cmd, "cmd");
        ServiceSpec spec = cmd.getServiceSpec() == null ? new ServiceSpec() : cmd.getServiceSpec();
        List<String> warnings = preflight(resources, replicas(spec), null);
        modifier(resources).accept(cmd);
        String id = call("create a service", () -> cmd.exec().getId());
        try {
            return converge(id, resources, warnings, false);
        } catch (RuntimeException e) {
            removeQuietly(id);
            throw e;
        }
    }

    /**
     * Changes a service's resources and waits until its tasks run with them. Fields not set in
     * {@code resources} are left as they are.
     *
     * @param service the service's id or name
     * @param resources the resources to change
     * @return the service's resources and its running tasks afterwards
     * @throws PreflightException if the swarm cannot run the tasks, or in strict mode a limit cannot
     *     be carried; nothing is changed
     * @throws ServiceConvergenceException if the rolling update fails (the swarm's message says why)
     *     or the tasks do not run with the new resources within {@link #timeout()}
     * @throws LimitsMismatchException in strict mode, if a task's container does not carry the limits
     * @throws org.containerlimits.docker.DaemonRejectedException if the service does not exist or the
     *     daemon refuses the update
     * @throws DockerUnavailableException if the daemon cannot be reached
     */
    public AppliedServiceLimits update(String service, ServiceResources resources) {
        Objects.requireNonNull(resources, "resources");
        Service current = inspect(service);
        ServiceSpec spec = current.getSpec();
        ServiceResources wanted = merged(ServiceSpecMapping.read(current), resources);
        List<String> warnings = preflight(wanted, replicas(spec), current.getId());
        // The spec goes back as the daemon sent it, resources changed: docker-java's model of it lacks
        // fields (the pids limit among them) that a round trip through the model would drop.
        // The whole of what the resources will be is written, not only the change, for the same reason.
        ServiceSpec body = ServiceSpecMapping.rawSpec(current)
                .<ServiceSpec>map(raw -> new RawServiceSpec(ServiceSpecMapping.applyTo(raw, carried(wanted))))
                .orElseGet(() -> applyTo(spec, carried(wanted)));
        long version = current.getVersion() == null || current.getVersion().getIndex() == null ? 0
                : current.getVersion().getIndex();
        call("update service " + service, () -> client.updateServiceCmd(current.getId(), body).withVersion(version)
                .exec());
        return converge(current.getId(), wanted, warnings, true);
    }

    /**
     * Reads the resources a service's spec asks for each task.
     *
     * @param service the service's id or name
     * @return the resources
     * @throws org.containerlimits.docker.DaemonRejectedException if the service does not exist
     * @throws DockerUnavailableException if the daemon cannot be reached
     */
    public ServiceResources read(String service) {
        return ServiceSpecMapping.read(inspect(service));
    }

    /**
     * Reads a service back: its spec's resources and every running task, with the limits of each
     * task's container on this node ({@code docker inspect}) and where they differ from the spec.
     *
     * @param service the service's id or name
     * @return the spec's resources (as both request and effective) and the running tasks
     * @throws org.containerlimits.docker.DaemonRejectedException if the service does not exist
     * @throws DockerUnavailableException if the daemon cannot be reached
     */
    public AppliedServiceLimits readBack(String service) {
        Service s = inspect(service);
        ServiceResources spec = ServiceSpecMapping.read(s);
        return new AppliedServiceLimits(s.getId(), spec, spec, tasks(s.getId(), spec), List.of());
    }

    /**
     * Waits, at most {@link #timeout()}, until every task a service wants runs with its spec's
     * resources.
     *
     * @param service the service's id or name
     * @return the service read back
     * @throws ServiceConvergenceException if a task stays pending (with the scheduler's message),
     *     tasks keep failing, an update fails, or time runs out
     * @throws org.containerlimits.docker.DaemonRejectedException if the service does not exist
     * @throws DockerUnavailableException if the daemon cannot be reached
     */
    public AppliedServiceLimits awaitRunning(String service) {
        Service s = inspect(service);
        ServiceResources spec = ServiceSpecMapping.read(s);
        return converge(s.getId(), spec, new ArrayList<>(), false);
    }

    // ------------------------------------------------------------------------------ internals

    private List<String> preflight(ServiceResources resources, OptionalLong replicas, String exceptService) {
        List<LimitProblem> problems = check(resources, nodes(exceptService), replicas, strict);
        if (problems.stream().anyMatch(LimitProblem::isError)) {
            throw new PreflightException(problems);
        }
        List<String> warnings = new ArrayList<>();
        for (LimitProblem p : problems) {
            log.warn("swarm preflight: {}", p);
            warnings.add(p.toString());
        }
        return warnings;
    }

    /** What the spec will hold after an update that sets only some fields. */
    private static ServiceResources merged(ServiceResources current, ServiceResources update) {
        ServiceResources carried = carried(update);
        ResourceLimits limits = current.limits().toBuilder().overlay(carried.limits()).build();
        ServiceResources merged = ServiceResources.of(limits);
        return merged.withCpuReservation(carried.cpuReservation().or(current::cpuReservation).orElse(null));
    }

    /**
     * The resources as a spec holds them, read back: only what a service carries, and an unlimited
     * pids limit as none, since the Engine writes it as its "not set", {@code Pids: 0}.
     */
    static ServiceResources asHeld(ServiceResources resources) {
        ServiceResources carried = carried(resources);
        if (carried.limits().pidsLimit().filter(p -> p.isUnlimited()).isEmpty()) {
            return carried;
        }
        return carried.withLimits(carried.limits().toBuilder().clear(Limit.PIDS_LIMIT).build());
    }

    /** The resources with only what a service carries. */
    private static ServiceResources carried(ServiceResources resources) {
        return ServiceResources.of(carriedOnly(resources.limits()))
                .withCpuReservation(resources.cpuReservation().orElse(null));
    }

    private static ResourceLimits carriedOnly(ResourceLimits limits) {
        ResourceLimits.Builder b = limits.toBuilder();
        for (Limit l : Limit.values()) {
            // Clearing a row of the CPU limit clears all of it, the nano-CPUs form a service carries too.
            if (!ServiceField.carriedLimits().contains(l) && l != Limit.CPU_QUOTA && l != Limit.CPU_PERIOD) {
                b.clear(l);
            }
        }
        if (limits.cpu().filter(c -> c.isQuotaForm()).isPresent()) {
            b.clear(Limit.NANO_CPUS);
        }
        return b.build();
    }

    private static OptionalLong replicas(ServiceSpec spec) {
        ServiceModeConfig mode = spec.getMode();
        if (mode != null && (mode.getGlobal() != null || mode.getMode() == ServiceMode.GLOBAL)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(mode == null || mode.getReplicated() == null ? 1 : mode.getReplicated().getReplicas());
    }

    /**
     * Waits until the service's tasks run with the expected resources, then reads them back; in
     * strict mode a task container that does not carry the limits throws.
     */
    private AppliedServiceLimits converge(String id, ServiceResources expected, List<String> warnings,
            boolean updating) {
        ServiceResources carried = asHeld(expected);
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Long> pendingSince = new HashMap<>();
        String last = "no task yet";
        while (true) {
            Service service = inspect(id);
            OptionalLong replicas = replicas(service.getSpec());
            ServiceUpdateStatus update = service.getUpdateStatus();
            if (updating && update != null && update.getState() != null) {
                ServiceUpdateState state = update.getState();
                if (state == ServiceUpdateState.PAUSED || state == ServiceUpdateState.ROLLBACK_STARTED
                        || state == ServiceUpdateState.ROLLBACK_PAUSED || state == ServiceUpdateState.ROLLBACK_COMPLETED) {
                    String message = Optional.ofNullable(update.getMessage()).orElse("");
                    throw new ServiceConvergenceException(id, ServiceConvergenceException.Reason.UPDATE_FAILED, message,
                            "the rolling update " + state.name().toLowerCase(Locale.ROOT).replace('_', ' ')
                                    + (message.isEmpty() ? "" : ": " + message));
                }
            }
            List<Task> tasks = call("list the tasks of service " + id,
                    () -> client.listTasksCmd().withServiceFilter(id).exec());
            int running = 0;
            int wanted = 0;
            int failed = 0;
            String failure = null;
            long now = System.nanoTime();
            for (Task task : tasks) {
                boolean current = ServiceSpecMapping.read(task).equals(carried);
                TaskState state = task.getStatus() == null ? null : task.getStatus().getState();
                String err = task.getStatus() == null ? null : task.getStatus().getErr();
                if (current && (state == TaskState.FAILED || state == TaskState.REJECTED)) {
                    failed++;
                    failure = err == null ? String.valueOf(state).toLowerCase(Locale.ROOT) : err;
                }
                if (task.getDesiredState() != TaskState.RUNNING) {
                    continue;
                }
                wanted++;
                if (state == TaskState.RUNNING && current) {
                    running++;
                } else if (state == TaskState.PENDING && err != null && !err.isBlank()) {
                    long since = pendingSince.computeIfAbsent(task.getId(), k -> now);
                    if (now - since >= PENDING_GRACE.toNanos()) {
                        throw new ServiceConvergenceException(id, ServiceConvergenceException.Reason.PENDING, err,
                                "task " + task.getName() + " is pending: " + err);
                    }
                }
            }
            if (failed >= FAILED_TASKS) {
                throw new ServiceConvergenceException(id, ServiceConvergenceException.Reason.TASK_FAILED,
                        failure == null ? "" : failure, failed + " tasks failed on their node" + (failure == null ? ""
                                : ", the last: " + failure));
            }
            long target = replicas.isPresent() ? replicas.getAsLong() : Math.max(1, wanted);
            boolean updateDone = !updating || update == null || update.getState() == null
                    || update.getState() == ServiceUpdateState.COMPLETED;
            if (running == target && wanted == target && updateDone) {
                break;
            }
            last = running + " of " + target + " tasks running with the service's resources"
                    + (failure == null ? "" : "; a task failed: " + failure)
                    + (update != null && update.getState() != null ? "; update " + update.getState().name()
                            .toLowerCase(Locale.ROOT) : "");
            if (now - deadline >= 0) {
                throw new ServiceConvergenceException(id, ServiceConvergenceException.Reason.TIMED_OUT,
                        failure == null ? "" : failure, "not converged after " + timeout.toSeconds() + " s: " + last);
            }
            sleep();
        }
        Service service = inspect(id);
        ServiceResources effective = ServiceSpecMapping.read(service);
        List<TaskLimits> tasks = tasks(id, effective);
        for (TaskLimits t : tasks) {
            if (!t.mismatches().isEmpty()) {
                String container = t.containerId().orElse(t.taskId());
                if (strict) {
                    throw new LimitsMismatchException(container, t.mismatches(), List.of());
                }
                t.mismatches().forEach(m -> log.warn("service {} task {}: {}", id, t.taskId(), m));
            }
        }
        List<String> all = new ArrayList<>(warnings);
        if (!strict) {
            for (LimitProblem p : ServiceSpecMapping.uncarried(expected, LimitProblem.Severity.WARNING)) {
                all.add(p.field() + " was left out: " + p.message());
            }
        }
        return new AppliedServiceLimits(id, expected, effective, tasks, all);
    }

    /** The running tasks, each with its container read back when it runs on this node. */
    private List<TaskLimits> tasks(String serviceId, ServiceResources spec) {
        String localNode = localNodeId();
        List<Task> tasks = call("list the tasks of service " + serviceId,
                () -> client.listTasksCmd().withServiceFilter(serviceId).exec());
        List<TaskLimits> result = new ArrayList<>();
        for (Task task : tasks) {
            if (task.getDesiredState() != TaskState.RUNNING) {
                continue;
            }
            TaskState state = task.getStatus() == null ? null : task.getStatus().getState();
            String containerId = task.getStatus() == null || task.getStatus().getContainerStatus() == null ? null
                    : task.getStatus().getContainerStatus().getContainerID();
            Optional<ResourceLimits> held = Optional.empty();
            List<Mismatch> mismatches = List.of();
            if (containerId != null && !containerId.isEmpty() && Objects.equals(localNode, task.getNodeId())) {
                try {
                    InspectContainerResponse c = client.inspectContainerCmd(containerId).exec();
                    ResourceLimits limits = DockerLimits.fromHostConfig(c.getHostConfig() == null
                            ? HostConfig.newHostConfig() : c.getHostConfig());
                    held = Optional.of(limits);
                    mismatches = compare(spec.limits(), limits);
                } catch (NotFoundException e) {
                    log.debug("service {} task {}: container {} is gone", serviceId, task.getId(), containerId);
                } catch (RuntimeException e) {
                    throw DaemonFailures.of(client, "inspect container " + containerId, e);
                }
            }
            result.add(new TaskLimits(task.getId(), task.getSlot() == null ? 0 : task.getSlot(),
                    Objects.toString(task.getNodeId(), ""), state == null ? "unknown" : state.getValue(),
                    Optional.ofNullable(containerId).filter(s -> !s.isEmpty()), held, mismatches));
        }
        result.sort(Comparator.comparingInt(TaskLimits::slot).thenComparing(TaskLimits::taskId));
        return result;
    }

    /** The limits a task's container should carry and does not; the reservations reach no container. */
    static List<Mismatch> compare(ResourceLimits spec, ResourceLimits container) {
        Map<String, Object> asked = spec.toDockerPy();
        Map<String, Object> held = container.toDockerPy();
        List<Mismatch> mismatches = new ArrayList<>();
        for (ServiceField field : ServiceField.values()) {
            if (field.isReservation() || field.limit().isEmpty()) {
                continue;
            }
            String key = field.limit().get().keyword();
            Object want = asked.get(key);
            Object have = held.get(key);
            if (want == null) {
                continue;
            }
            // A service's unlimited pids limit is no limit on the container.
            if (field == ServiceField.LIMIT_PIDS && spec.pidsLimit().orElseThrow().isUnlimited()) {
                if (container.pidsLimit().isPresent() && !container.pidsLimit().get().isUnlimited()) {
                    mismatches.add(new Mismatch(key, want.toString(), have.toString()));
                }
                continue;
            }
            if (!Objects.equals(String.valueOf(want), String.valueOf(have))) {
                mismatches.add(new Mismatch(key, String.valueOf(want), have == null ? "not set" : String.valueOf(have)));
            }
        }
        return mismatches;
    }

    private String localNodeId() {
        var info = call("ask for the swarm's local node (GET /info)", () -> client.infoCmd().exec());
        return info.getSwarm() == null ? null : info.getSwarm().getNodeID();
    }

    private Service inspect(String service) {
        return call("inspect service " + service, () -> client.inspectServiceCmd(service).exec());
    }

    private void removeQuietly(String id) {
        try {
            client.removeServiceCmd(id).exec();
        } catch (RuntimeException e) {
            log.warn("could not remove service {} again: {}", id, e.getMessage());
        }
    }

    private <T> T call(String action, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw DaemonFailures.of(client, action, e);
        }
    }

    private void call(String action, Runnable call) {
        call(action, () -> {
            call.run();
            return null;
        });
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a service's tasks", e);
        }
    }
}
