package org.containerlimits.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.UpdateContainerCmd;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.UpdateContainerResponse;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.containerlimits.core.CpuLimit;
import org.containerlimits.core.CpuSet;
import org.containerlimits.core.Limit;
import org.containerlimits.core.MemorySize;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.SwapLimit;
import org.containerlimits.docker.stats.StatsReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link ResourceLimits} to Docker containers, checks them against what the daemon can
 * enforce, updates them live and reads them back.
 *
 * <h2>Without a daemon: the modifier</h2>
 * {@link #modifier(ResourceLimits)} returns a {@code Consumer<CreateContainerCmd>} that writes the
 * limits into the command's {@link HostConfig}; it plugs into docker-java and Testcontainers as is:
 * <pre>{@code
 * ResourceLimits limits = ResourceLimits.fromDockerPy(Map.of("mem_limit", "1g", "cpu_period", 100000, "cpu_quota", 250000));
 * CreateContainerCmd cmd = client.createContainerCmd("jupyter/base-notebook");
 * DockerLimits.modifier(limits).accept(cmd);
 * // Testcontainers: new GenericContainer<>(image).withCreateContainerCmdModifier(DockerLimits.modifier(limits))
 * }</pre>
 *
 * <h2>With a daemon: preflight, create, update, read back</h2>
 * <pre>{@code
 * DockerLimits docker = DockerLimits.of(client);
 * List<LimitProblem> problems = docker.check(limits);          // empty when all can be enforced
 * AppliedLimits created = docker.create(client.createContainerCmd(image).withName("jupyter-alice"), limits);
 * docker.update(created.containerId(), limits.toBuilder().memory(MemorySize.parse("2g")).build());
 * ResourceLimits effective = docker.read(created.containerId());
 * }</pre>
 * {@link #create} and {@link #update} run {@link #check} first and throw
 * {@link PreflightException} before touching anything when the daemon cannot enforce the limits.
 * Afterwards they read the container back: in strict mode (the default) a field the daemon did not
 * apply as asked throws {@link LimitsMismatchException} (and a just-created container is removed);
 * in lenient mode ({@code strict(false)}) it is logged and returned in {@link AppliedLimits}.
 * The daemon's own warnings are always logged through slf4j and returned.
 *
 * <h2>Live updates</h2>
 * The daemon can change memory, reservation, memory+swap, CPU (in the form it was created with),
 * CPU shares, cpusets, pids limit and block-IO weight of a running container. It cannot change
 * a limit that {@link Limit#isLiveUpdatable()} says it cannot ({@link #NOT_UPDATABLE_LIVE}:
 * {@code mem_swappiness}, {@code oom_kill_disable}, {@code oom_score_adj}, {@code shm_size},
 * {@code ulimits}, and the device limits, which the daemon's update accepts and drops),
 * cannot switch the CPU limit between {@code nano_cpus} and {@code cpu_quota}/{@code cpu_period},
 * and cannot unset a field: a field not set in the update is left as it is.
 *
 * <h2>Podman</h2>
 * Podman's Docker-compatible API works too; {@link #engine()} says which engine answers, and the
 * library reports where Podman differs (see {@link Engine}): preflight refuses what Podman would
 * drop and warns about what it cannot report, a limit Podman applies on its own (its pids limit)
 * is read back and named in {@link AppliedLimits#warnings()}, and {@link #update} on Podman before
 * 5.1 throws {@link LiveUpdateUnsupportedException}.
 *
 * <p>Instances are immutable and thread-safe; the daemon's {@link HostCapabilities} and
 * {@link Engine} are read once, on first use, and cached.
 */
public final class DockerLimits {
    private static final Logger log = LoggerFactory.getLogger(DockerLimits.class);

    /**
     * The label {@link #create} and {@link #modifier} put on a container: the requested limits in
     * their text form, so that {@link #read(String)} gives them back exactly as asked (an explicit
     * memory+swap of twice the memory, which the daemon stores as its default, included).
     */
    public static final String REQUESTED_LABEL = "org.containerlimits.requested";

    /** The fields the daemon cannot change on an existing container, by docker-py keyword. */
    public static final Set<String> NOT_UPDATABLE_LIVE = java.util.Arrays.stream(Limit.values())
            .filter(l -> !l.isLiveUpdatable()).map(Limit::keyword).collect(java.util.stream.Collectors.toUnmodifiableSet());

    private final DockerClient client;
    private final boolean strict;
    private final AtomicReference<HostCapabilities> capabilities;
    private final AtomicReference<Engine> engine;
    private final AtomicBoolean oomCaveatLogged;

    private DockerLimits(DockerClient client, boolean strict, AtomicReference<HostCapabilities> capabilities,
            AtomicReference<Engine> engine, AtomicBoolean oomCaveatLogged) {
        this.client = client;
        this.strict = strict;
        this.capabilities = capabilities;
        this.engine = engine;
        this.oomCaveatLogged = oomCaveatLogged;
    }

    /**
     * Returns an instance that talks to the daemon through the given client, in strict mode.
     *
     * @param client any docker-java client, such as one from limits-docker-client's {@code
     *     DockerClients.fromEnvironment()} or Testcontainers' {@code DockerClientFactory.instance().client()}
     * @return the instance
     */
    public static DockerLimits of(DockerClient client) {
        return new DockerLimits(Objects.requireNonNull(client, "client"), true, new AtomicReference<>(),
                new AtomicReference<>(), new AtomicBoolean());
    }

    /**
     * Returns an instance like this one in the given mode, sharing its cached capabilities and engine.
     *
     * @param strict {@code true} to throw {@link LimitsMismatchException} when the daemon does not
     *     apply a limit as asked; {@code false} to log and return the mismatch
     * @return the instance
     */
    public DockerLimits strict(boolean strict) {
        return new DockerLimits(client, strict, capabilities, engine, oomCaveatLogged);
    }

    /**
     * Returns whether a mismatch after create or update throws.
     *
     * @return {@code true} in strict mode, the default
     */
    public boolean isStrict() {
        return strict;
    }

    // ------------------------------------------------------------------------------ no daemon

    /**
     * Returns a modifier that writes the limits into a create command's {@link HostConfig}, for
     * docker-java's {@code createContainerCmd(...)} and Testcontainers'
     * {@code withCreateContainerCmdModifier(...)}. Needs no daemon and runs no preflight.
     *
     * @param limits the limits; fields not set leave the command's values untouched
     * @return the modifier
     */
    public static Consumer<CreateContainerCmd> modifier(ResourceLimits limits) {
        Objects.requireNonNull(limits, "limits");
        return cmd -> {
            HostConfig hc = cmd.getHostConfig();
            if (hc == null) {
                hc = HostConfig.newHostConfig();
                cmd.withHostConfig(hc);
            }
            applyTo(hc, limits);
            java.util.Map<String, String> labels = new java.util.HashMap<>();
            if (cmd.getLabels() != null) {
                labels.putAll(cmd.getLabels());
            }
            labels.put(REQUESTED_LABEL, limits.toString());
            cmd.withLabels(labels);
        };
    }

    /**
     * Writes the limits into a {@link HostConfig}, changing it. Fields not set are left untouched;
     * setting the CPU limit in one form clears the other form's fields, which the daemon refuses
     * together.
     *
     * @param hostConfig the host config to change
     * @param limits the limits
     * @return {@code hostConfig}, for chaining
     */
    public static HostConfig applyTo(HostConfig hostConfig, ResourceLimits limits) {
        return HostConfigMapping.applyTo(Objects.requireNonNull(hostConfig, "hostConfig"),
                Objects.requireNonNull(limits, "limits"));
    }

    /**
     * Reads the limits a {@link HostConfig} sets, as {@code docker inspect} reports it. Values the
     * daemon stores whether asked or not read as not set: a memory+swap of twice the memory (its
     * default), a 64 MiB {@code /dev/shm}, {@code OomKillDisable false}, unlimited pids.
     *
     * @param hostConfig an inspected container's host config
     * @return the limits it sets
     */
    public static ResourceLimits fromHostConfig(HostConfig hostConfig) {
        return HostConfigMapping.read(Objects.requireNonNull(hostConfig, "hostConfig"));
    }

    /**
     * Reads the limits a {@link HostConfig} sets, as the given engine reports them: like
     * {@link #fromHostConfig(HostConfig)}, with that engine's own defaults read as not set. On Podman
     * its 65,536,000-byte {@code /dev/shm} and its {@code MemorySwappiness 0} (reported for
     * containers created without one) read as not set; its pids limit of 2048, which it enforces,
     * reads as {@code pids_limit=2048}.
     *
     * @param hostConfig an inspected container's host config
     * @param engine the engine that reported it, such as {@link #engine()}
     * @return the limits it sets
     */
    public static ResourceLimits fromHostConfig(HostConfig hostConfig, Engine engine) {
        return HostConfigMapping.read(Objects.requireNonNull(hostConfig, "hostConfig"),
                Objects.requireNonNull(engine, "engine"));
    }

    /**
     * Checks limits against a host's capabilities, without asking any daemon.
     *
     * @param limits the limits
     * @param host the host's capabilities
     * @return every problem, in field order; empty when the daemon can enforce them all
     */
    public static List<LimitProblem> check(ResourceLimits limits, HostCapabilities host) {
        return Preflight.check(limits, host);
    }

    /**
     * Checks limits against a host's capabilities and what its engine does differently, without
     * asking any daemon: on Podman an unlimited {@code memswap_limit}, which it would drop, is an
     * error, and a {@code mem_limit} gets warnings for what Podman does not report (OOM kills before
     * 5.0; page cache in its stats).
     *
     * @param limits the limits
     * @param host the host's capabilities
     * @param engine the engine
     * @return every problem: the host's in field order, then the engine's (but no engine warning on a
     *     field the host refuses); empty when the daemon can enforce and report them all
     */
    public static List<LimitProblem> check(ResourceLimits limits, HostCapabilities host, Engine engine) {
        List<LimitProblem> problems = new ArrayList<>(Preflight.check(limits, host));
        Set<String> refused = problems.stream().filter(LimitProblem::isError).map(LimitProblem::field)
                .collect(Collectors.toSet());
        // A field the host already refuses needs no word on how the engine would treat it.
        Preflight.engine(limits, engine).stream().filter(p -> p.isError() || !refused.contains(p.field()))
                .forEach(problems::add);
        return problems;
    }

    // ------------------------------------------------------------------------------ with a daemon

    /**
     * Returns the daemon's host capabilities, asked once ({@code /info}) and cached.
     *
     * @return the capabilities
     * @throws DockerUnavailableException if the daemon cannot be reached or does not answer within
     *     the client's response timeout
     */
    public HostCapabilities capabilities() {
        HostCapabilities caps = capabilities.get();
        if (caps == null) {
            try {
                caps = HostCapabilities.from(client.infoCmd().exec());
            } catch (RuntimeException e) {
                throw DaemonFailures.of(client, "ask for the host's capabilities (GET /info)", e);
            }
            capabilities.compareAndSet(null, caps);
            log.debug("daemon capabilities: {}", caps);
        }
        return caps;
    }

    /**
     * Returns which engine answers, Docker or Podman, and its version, asked once ({@code /version})
     * and cached. The first time it finds Podman it logs (slf4j, INFO) what Podman does differently.
     *
     * @return the engine
     * @throws DockerUnavailableException if the daemon cannot be reached or does not answer within
     *     the client's response timeout
     */
    public Engine engine() {
        Engine e = engine.get();
        if (e == null) {
            e = Engine.of(client);
            if (engine.compareAndSet(null, e) && e.isPodman()) {
                log.info("{} answers the Docker Engine API; what it does differently: {}", e,
                        String.join("; ", e.differences()));
            }
            log.debug("engine: {}", e);
        }
        return e;
    }

    /**
     * Checks limits against what this daemon can enforce: CPUs, cpusets and memory the host does
     * not have, features its kernel lacks, and what its engine does differently (Podman; see
     * {@link #check(ResourceLimits, HostCapabilities, Engine)}). See {@link LimitProblem}.
     *
     * @param limits the limits
     * @return every problem, errors and warnings; empty when the daemon can enforce them all
     * @throws DockerUnavailableException if the daemon cannot be reached or does not answer within
     *     the client's response timeout
     */
    public List<LimitProblem> check(ResourceLimits limits) {
        return check(limits, capabilities(), engine());
    }

    /**
     * Creates a container with the limits: preflight, create, then read back and compare.
     *
     * <pre>{@code
     * AppliedLimits applied = DockerLimits.of(client)
     *         .create(client.createContainerCmd("busybox").withCmd("sleep", "60"), limits);
     * client.startContainerCmd(applied.containerId()).exec();
     * }</pre>
     *
     * @param cmd a create command of a client talking to this daemon; its host config is changed
     * @param limits the limits
     * @return the new container's id, effective limits, warnings and mismatches
     * @throws PreflightException if the daemon cannot enforce the limits; nothing is created
     * @throws LimitsMismatchException in strict mode, if the daemon did not apply a limit as asked;
     *     the container is removed again
     * @throws DaemonRejectedException if the daemon refuses the create
     * @throws DockerUnavailableException if the daemon cannot be reached or does not answer within
     *     the client's response timeout
     */
    public AppliedLimits create(CreateContainerCmd cmd, ResourceLimits limits) {
        List<String> warnings = preflight(limits);
        modifier(limits).accept(cmd);
        CreateContainerResponse response;
        try {
            response = cmd.exec();
        } catch (RuntimeException e) {
            throw DaemonFailures.of(client, "create a container", e);
        }
        String id = response.getId();
        List<String> daemonWarnings = response.getWarnings() == null ? List.of() : Arrays.asList(response.getWarnings());
        return verify(id, "creating", limits, limits, warnings, daemonWarnings);
    }

    /**
     * Reads the effective limits of a container from {@code docker inspect}. Applying limits and
     * reading them back gives an equal value, except for fields set to exactly the daemon's default
     * (see {@link #fromHostConfig(HostConfig, Engine)}), which read back as not set, and for limits
     * the engine applies on its own (Podman's pids limit), which read back as set.
     *
     * @param containerId the container's id or name
     * @return the limits the daemon holds for it
     * @throws DaemonRejectedException if the container does not exist or the daemon refuses
     * @throws DockerUnavailableException if the daemon cannot be reached or does not answer within
     *     the client's response timeout
     */
    public ResourceLimits read(String containerId) {
        InspectContainerResponse container = inspectContainer(containerId);
        HostConfig hc = container.getHostConfig() == null ? HostConfig.newHostConfig() : container.getHostConfig();
        Engine eng = engine();
        ResourceLimits effective = fromHostConfig(hc, eng);
        return requestedOf(container).map(asked -> HostConfigMapping.asAsked(asked, effective, eng)).orElse(effective);
    }

    /**
     * Reads a container's limits back beside what was asked when it was created: the request its
     * {@link #REQUESTED_LABEL} records, the limits as {@link #read(String)} gives them, and every
     * limit where they differ. A limit changed live since create differs too: the label keeps the
     * request of create (Docker cannot change a container's labels).
     *
     * <pre>{@code
     * AppliedLimits back = docker.readBack(id);
     * back.mismatches();   // [] while the daemon holds what create asked
     * }</pre>
     *
     * @param containerId the container's id or name
     * @return the request (or, for a container this library did not create, the effective limits),
     *     the effective limits and the mismatches; no warnings
     * @throws DaemonRejectedException if the container does not exist
     * @throws DockerUnavailableException if the daemon cannot be reached
     */
    public AppliedLimits readBack(String containerId) {
        InspectContainerResponse container = inspectContainer(containerId);
        Engine eng = engine();
        ResourceLimits held = fromHostConfig(container.getHostConfig() == null ? HostConfig.newHostConfig()
                : container.getHostConfig(), eng);
        ResourceLimits requested = requestedOf(container).orElse(null);
        if (requested == null) {
            return new AppliedLimits(containerId, held, held, List.of(), List.of());
        }
        return new AppliedLimits(containerId, requested, HostConfigMapping.asAsked(requested, held, eng), List.of(),
                HostConfigMapping.compare(requested, held, eng));
    }

    /** The request a container's label records; empty when it has none, or one that does not parse. */
    private static java.util.Optional<ResourceLimits> requestedOf(InspectContainerResponse container) {
        java.util.Map<String, String> labels = container.getConfig() == null ? null : container.getConfig().getLabels();
        String text = labels == null ? null : labels.get(REQUESTED_LABEL);
        if (text == null) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(ResourceLimits.parse(text));
        } catch (org.containerlimits.core.LimitsException e) {
            log.debug("container {}: label {} does not hold limits, read as the daemon holds them: {}",
                    LimitsMismatchException.shortId(container.getId()), REQUESTED_LABEL, e.getMessage());
            return java.util.Optional.empty();
        }
    }

    /**
     * Changes the limits of an existing, possibly running, container. Fields not set in
     * {@code limits} are left as they are.
     *
     * <p>Memory and memory+swap are sent together, so raising memory above the current memory+swap
     * works (the daemon refuses memory alone: "Memory limit should be smaller than already set
     * memoryswap limit"). When memory is given without memory+swap and the container's swap is
     * limited, the swap follows: a container on the daemon's default (memory+swap twice the memory)
     * stays on it, any other keeps its swap allowance (memory+swap minus memory).
     *
     * <p>On Podman from 5.1, whose update ignores {@code NanoCpus}, a CPU limit is sent as
     * {@code cpu_quota}/{@code cpu_period} (100 ms), and the container's restart policy is sent
     * along, which Podman's update would otherwise reset. Podman before 5.1 cannot update live.
     *
     * @param containerId the container's id or name
     * @param limits the limits to change
     * @return the effective limits afterwards, warnings and mismatches
     * @throws LiveUpdateUnsupportedException if the engine cannot update live (Podman before 5.1);
     *     nothing is changed
     * @throws PreflightException if a field cannot be changed live, the CPU form would switch, or the
     *     daemon cannot enforce the limits; nothing is changed
     * @throws LimitsMismatchException in strict mode, if the daemon did not apply a limit as asked
     * @throws DaemonRejectedException if the daemon refuses the update
     * @throws DockerUnavailableException if the daemon cannot be reached or does not answer within
     *     the client's response timeout
     */
    public AppliedLimits update(String containerId, ResourceLimits limits) {
        Objects.requireNonNull(limits, "limits");
        Engine eng = engine();
        if (!eng.hasLiveUpdate()) {
            throw new LiveUpdateUnsupportedException(eng, containerId);
        }
        HostConfig current = inspect(containerId);
        List<LimitProblem> liveProblems = LiveUpdate.problems(limits, current, eng);
        List<LimitProblem> problems = new ArrayList<>(liveProblems);
        problems.addAll(check(limits, capabilities()));
        if (problems.stream().anyMatch(LimitProblem::isError)) {
            throw new PreflightException(problems);
        }
        List<String> warnings = warningsOf(problems);

        ResourceLimits expected = LiveUpdate.withFollowingSwap(limits, current);
        UpdateContainerCmd cmd = LiveUpdate.command(client.updateContainerCmd(containerId), expected, eng, current);

        UpdateContainerResponse response;
        try {
            response = cmd.exec();
        } catch (NotFoundException e) {
            if (eng.isPodman() && !DaemonFailures.daemonMessage(e).toLowerCase(java.util.Locale.ROOT).contains("container")) {
                // The router's 404 ("Not Found"), not "no such container": a Podman without the endpoint.
                throw new LiveUpdateUnsupportedException(eng, containerId, e);
            }
            throw DaemonFailures.of(client, "update container " + LimitsMismatchException.shortId(containerId), e);
        } catch (RuntimeException e) {
            throw DaemonFailures.of(client, "update container " + LimitsMismatchException.shortId(containerId), e);
        }
        List<String> daemonWarnings = response == null || response.getWarnings() == null
                ? List.of() : response.getWarnings();
        return verify(containerId, "updating", limits, expected, warnings, daemonWarnings);
    }

    /**
     * Logs the daemon's warnings, reads the container back and compares it with what is expected;
     * in strict mode a mismatch throws, after removing a container that was just created.
     */
    private AppliedLimits verify(String id, String action, ResourceLimits requested, ResourceLimits expected,
            List<String> warnings, List<String> daemonWarnings) {
        String shortId = LimitsMismatchException.shortId(id);
        daemonWarnings.forEach(w -> log.warn("Docker daemon warning {} container {}: {}", action, shortId, w));
        warnings.addAll(daemonWarnings);
        Engine eng = engine();
        // The daemon's own view decides what it holds; the request's form is only how it reads back.
        ResourceLimits held = fromHostConfig(inspect(id), eng);
        ResourceLimits effective = read(id);
        List<Mismatch> mismatches = HostConfigMapping.compare(expected, held, eng);
        if (action.equals("creating")) {
            for (String note : unasked(requested, held, eng)) {
                log.info("container {}: {}", shortId, note);
                warnings.add(note);
            }
        }
        if (!mismatches.isEmpty()) {
            if (strict) {
                if (action.equals("creating")) {
                    removeQuietly(id);
                }
                throw new LimitsMismatchException(id, mismatches, daemonWarnings);
            }
            mismatches.forEach(m -> log.warn("container {}: {}", shortId, m));
        }
        return new AppliedLimits(id, requested, effective, warnings, mismatches);
    }

    /**
     * Returns whether the kernel's OOM killer ended the container's last run: it used more memory
     * than its limit allows (Docker's {@code State.OOMKilled}; the exit code is then 137).
     *
     * <p>Podman before 5.0 never sets {@code State.OOMKilled} ({@link Engine#reportsOomKills()}):
     * there this returns {@code false} for an OOM-killed container too, and logs once (WARN) that it
     * cannot tell; only the exit code 137 is left, which a {@code docker kill} gives as well.
     * Docker on cgroup v2 (seen with Engine 26.1 and containerd 1.7) sometimes leaves it false too:
     * containerd's shim can deliver the OOM event after the exit event, and the daemon misses it
     * (containerd#12714); this method says what the daemon says. A kill the container survives is
     * counted whatever the engine by {@link StatsReader}'s cgroup source
     * ({@code LimitsReading.oomKills()}).
     *
     * @param containerId the container's id or name
     * @return {@code true} if the container was OOM-killed
     * @throws DaemonRejectedException if the container does not exist or the daemon refuses
     * @throws DockerUnavailableException if the daemon cannot be reached or does not answer within
     *     the client's response timeout
     */
    public boolean wasOomKilled(String containerId) {
        try {
            var state = client.inspectContainerCmd(containerId).exec().getState();
            boolean oomKilled = state != null && Boolean.TRUE.equals(state.getOOMKilled());
            if (!oomKilled) {
                Engine eng = engine();
                if (!eng.reportsOomKills() && oomCaveatLogged.compareAndSet(false, true)) {
                    log.warn("{} does not report OOM kills (State.OOMKilled stays false; exit code 137):"
                            + " wasOomKilled cannot tell and says false", eng);
                }
            }
            return oomKilled;
        } catch (RuntimeException e) {
            throw DaemonFailures.of(client, "inspect container " + LimitsMismatchException.shortId(containerId), e);
        }
    }

    /** The limits in force that were not asked for, as notes: what the engine applied on its own. */
    static List<String> unasked(ResourceLimits requested, ResourceLimits effective, Engine engine) {
        Set<String> cpuKeys = HostConfigMapping.CPU_KEYS;
        Set<String> asked = requested.toDockerPy().keySet();
        boolean askedCpu = asked.stream().anyMatch(cpuKeys::contains);
        List<String> notes = new ArrayList<>();
        effective.toDockerPy().forEach((key, value) -> {
            if (!asked.contains(key) && !(askedCpu && cpuKeys.contains(key))) {
                notes.add(key + "=" + value + " was not asked for: " + engine.ownDefault(key));
            }
        });
        return notes;
    }

    // ------------------------------------------------------------------------------ internals

    private List<String> preflight(ResourceLimits limits) {
        List<LimitProblem> problems = check(limits);
        if (problems.stream().anyMatch(LimitProblem::isError)) {
            throw new PreflightException(problems);
        }
        return warningsOf(problems);
    }

    private static List<String> warningsOf(List<LimitProblem> problems) {
        List<String> warnings = new ArrayList<>();
        for (LimitProblem p : problems) {
            log.warn("limits preflight: {}", p);
            warnings.add(p.toString());
        }
        return warnings;
    }

    private InspectContainerResponse inspectContainer(String containerId) {
        try {
            return client.inspectContainerCmd(containerId).exec();
        } catch (RuntimeException e) {
            throw DaemonFailures.of(client, "inspect container " + LimitsMismatchException.shortId(containerId), e);
        }
    }

    private HostConfig inspect(String containerId) {
        try {
            HostConfig hc = client.inspectContainerCmd(containerId).exec().getHostConfig();
            return hc == null ? HostConfig.newHostConfig() : hc;
        } catch (RuntimeException e) {
            throw DaemonFailures.of(client, "inspect container " + LimitsMismatchException.shortId(containerId), e);
        }
    }

    private void removeQuietly(String id) {
        try {
            client.removeContainerCmd(id).withForce(true).exec();
        } catch (NotFoundException e) {
            // already gone: nothing is left behind, which is what removing was for
        } catch (RuntimeException e) {
            log.error("could not remove container {} after its limits did not apply: {}", id,
                    DaemonFailures.of(client, "remove it", e).getMessage());
        }
    }


}
