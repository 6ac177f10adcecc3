package org.containerlimits.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.api.model.VersionComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which engine answers the Docker Engine API, Docker itself or Podman's Docker-compatible API, with
 * its version, and what that engine does differently from Docker. This class is the one place that
 * knows each such difference; {@link DockerLimits} and
 * {@link org.containerlimits.docker.stats.StatsReader} ask it.
 *
 * <p>It is read from the daemon's {@code GET /version} ({@code docker version}):
 * <pre>
 * engine     = podman | docker
 * podman     = a Components entry whose Name is "Podman Engine" (its Version is Podman's version),
 *              or else a Platform.Name containing "Podman" (the top-level Version is then Podman's)
 * docker     = anything else: Docker Engine, or an engine that does not say it is Podman
 * version    = that component's Version, else the top-level Version, such as "20.10.24" or "4.3.1"
 * apiVersion = the top-level ApiVersion, the newest Docker API the daemon speaks, such as "1.41"
 * </pre>
 *
 * <pre>{@code
 * Engine engine = Engine.of(client);      // or DockerLimits.of(client).engine(), asked once and cached
 * engine.toString();                      // "Podman 4.3.1 (API 1.41)"
 * engine.isPodman();                      // true
 * engine.hasLiveUpdate();                 // false: POST /containers/{id}/update arrived in Podman 5.1
 * engine.differences().forEach(System.out::println);
 * }</pre>
 *
 * <p>What Podman's Docker-compatible API does differently, as seen on Podman 4.3.1 and, where noted,
 * in Podman's current source (its {@code pkg/api/handlers/compat}):
 * <ul>
 *   <li>No live update before Podman {@value #PODMAN_LIVE_UPDATE_SINCE}: {@code POST
 *       /containers/{id}/update} answers 404 (the endpoint came with containers/podman#22322);
 *       {@link DockerLimits#update} throws {@link LiveUpdateUnsupportedException}. From 5.1 on the
 *       endpoint ignores {@code NanoCpus}, so the library sends a CPU limit as quota and period.
 *   <li>An unlimited {@code memswap_limit} ({@code MemorySwap -1}) is dropped at create (the compat
 *       handler only passes a positive {@code MemorySwap}), and Podman applies memory+swap of twice
 *       the memory: preflight refuses it.
 *   <li>A container created without a pids limit gets Podman's own ({@code pids_limit} in
 *       {@code containers.conf}, {@value #PODMAN_DEFAULT_PIDS_LIMIT} by default), which the kernel
 *       enforces; it reads back as that limit.
 *   <li>{@code MemorySwappiness} reads 0 on a container created without one (the kernel keeps its
 *       own 60), so a 0 cannot be told from none and reads as not set.
 *   <li>Its default {@code /dev/shm} is 65,536,000 bytes (Docker's is 64 MiB); it reads as not set.
 *   <li>A CPU limit is stored as CFS quota and period; {@code NanoCpus} is reported beside them
 *       whenever the period is 100 ms. It reads as the quota, and either form matches.
 *   <li>{@code State.OOMKilled} stays false after an OOM kill before Podman
 *       {@value #PODMAN_OOM_KILLED_SINCE} (containers/podman#21523); the exit code is 137.
 *   <li>No warnings for limits it drops (a block-IO weight the kernel cannot apply is stored as 0):
 *       only the read-back after create sees them.
 *   <li>Its stats carry no {@code memory_stats.stats} (so the API source counts page cache as used
 *       memory), zeros for throttling and for {@code pids_stats.limit}, and one sample every five
 *       seconds (Docker: one a second). This holds for Podman's current source too.
 * </ul>
 *
 * @param kind which engine
 * @param version the engine's own version, such as {@code 20.10.24} or {@code 4.3.1}, or
 *     {@code unknown}
 * @param apiVersion the newest Docker Engine API version the daemon speaks, such as {@code 1.41}, or
 *     {@code unknown}
 */
public record Engine(Kind kind, String version, String apiVersion) {

    /** Which engine answers the Docker Engine API. */
    public enum Kind {
        /** Docker Engine, or any engine that does not say it is Podman. */
        DOCKER,
        /** Podman's Docker-compatible API ({@code podman system service}). */
        PODMAN
    }

    /** The first Podman version with a Docker-compatible live update ({@code POST /containers/{id}/update}). */
    public static final String PODMAN_LIVE_UPDATE_SINCE = "5.1";

    /** The first Podman version whose inspect reports {@code State.OOMKilled} (containers/podman#21523). */
    public static final String PODMAN_OOM_KILLED_SINCE = "5.0";

    /** Podman's default pids limit, {@code pids_limit} in {@code containers.conf}. */
    public static final long PODMAN_DEFAULT_PIDS_LIMIT = 2048;

    /** Podman's default size of /dev/shm, its "64m" of 64,000 KiB, stored whether or not it was asked for. */
    static final long PODMAN_DEFAULT_SHM_BYTES = 65_536_000L;

    /** The name of Podman's entry in {@code /version}'s {@code Components}. */
    static final String PODMAN_COMPONENT = "Podman Engine";

    private static final Pattern MAJOR_MINOR = Pattern.compile("v?(\\d{1,6})\\.(\\d{1,6}).*");

    /**
     * Creates the record; no component may be null.
     *
     * @param kind which engine
     * @param version the engine's version
     * @param apiVersion the newest API version it speaks
     */
    public Engine {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(apiVersion, "apiVersion");
    }

    /**
     * Asks a daemon which engine it is ({@code GET /version}).
     *
     * @param client a client of the daemon
     * @return the engine
     * @throws DockerUnavailableException if the daemon cannot be reached or does not answer within
     *     the client's response timeout
     * @throws DaemonReplyException if its reply cannot be decoded
     */
    public static Engine of(DockerClient client) {
        Objects.requireNonNull(client, "client");
        try {
            return from(client.versionCmd().exec());
        } catch (RuntimeException e) {
            throw DaemonFailures.of(client, "ask which engine it is (GET /version)", e);
        }
    }

    /**
     * Reads the engine from a daemon's {@code /version} answer; see the grammar above.
     *
     * @param version the answer of {@code DockerClient.versionCmd().exec()}
     * @return the engine
     */
    public static Engine from(Version version) {
        Objects.requireNonNull(version, "version");
        String api = blankToUnknown(version.getApiVersion());
        List<VersionComponent> components = version.getComponents() == null ? List.of() : version.getComponents();
        for (VersionComponent c : components) {
            if (c != null && PODMAN_COMPONENT.equalsIgnoreCase(String.valueOf(c.getName()).strip())) {
                String v = c.getVersion() == null || c.getVersion().isBlank() ? version.getVersion() : c.getVersion();
                return new Engine(Kind.PODMAN, blankToUnknown(v), api);
            }
        }
        String platform = version.getPlatform() == null ? null : version.getPlatform().getName();
        Kind kind = platform != null && platform.toLowerCase(Locale.ROOT).contains("podman") ? Kind.PODMAN : Kind.DOCKER;
        return new Engine(kind, blankToUnknown(version.getVersion()), api);
    }

    private static String blankToUnknown(String s) {
        return s == null || s.isBlank() ? "unknown" : s.strip();
    }

    /**
     * Returns whether this is Podman's Docker-compatible API.
     *
     * @return {@code true} for {@link Kind#PODMAN}
     */
    public boolean isPodman() {
        return kind == Kind.PODMAN;
    }

    /**
     * Returns whether the engine can change a container's limits live ({@code POST
     * /containers/{id}/update}): Docker always, Podman from {@value #PODMAN_LIVE_UPDATE_SINCE}.
     *
     * @return {@code false} for Podman before 5.1
     */
    public boolean hasLiveUpdate() {
        return !isPodman() || atLeast(PODMAN_LIVE_UPDATE_SINCE);
    }

    /**
     * Returns whether the engine's inspect says when the kernel's OOM killer ended a container
     * ({@code State.OOMKilled}): Docker always, Podman from {@value #PODMAN_OOM_KILLED_SINCE}.
     *
     * @return {@code false} for Podman before 5.0, where {@code OOMKilled} stays false and only the
     *     exit code 137 is left
     */
    public boolean reportsOomKills() {
        return !isPodman() || atLeast(PODMAN_OOM_KILLED_SINCE);
    }

    /**
     * Returns whether the engine's stats API reports the memory a container uses including its page
     * cache, because it sends no {@code memory_stats.stats} to subtract it with: Podman.
     *
     * @return {@code true} for Podman
     */
    public boolean statsCountPageCache() {
        return isPodman();
    }

    /**
     * Returns whether the engine's stats API reports CFS throttling ({@code throttling_data}):
     * Docker does, Podman sends zeros.
     *
     * @return {@code false} for Podman
     */
    public boolean statsReportThrottling() {
        return !isPodman();
    }

    /**
     * Returns what this engine does differently from Docker, one sentence each, as the library
     * reports it; empty for Docker.
     *
     * @return the differences, in a fixed order
     */
    public List<String> differences() {
        if (!isPodman()) {
            return List.of();
        }
        List<String> d = new ArrayList<>();
        if (!hasLiveUpdate()) {
            d.add("no live update: POST /containers/{id}/update answers 404 before Podman " + PODMAN_LIVE_UPDATE_SINCE
                    + " (containers/podman#22322); DockerLimits.update throws LiveUpdateUnsupportedException");
        } else {
            d.add("its live update ignores NanoCpus: DockerLimits.update sends a CPU limit as cpu_quota/cpu_period");
        }
        d.add("an unlimited memswap_limit (-1) is dropped at create and memory+swap becomes twice mem_limit:"
                + " preflight refuses it");
        d.add("a container created without pids_limit gets Podman's own (containers.conf pids_limit, "
                + PODMAN_DEFAULT_PIDS_LIMIT + " by default), enforced and read back as a limit that was not asked for");
        d.add("MemorySwappiness reads 0 on a container created without one (the kernel keeps 60): a 0 reads as not set");
        if (!reportsOomKills()) {
            d.add("State.OOMKilled stays false after an OOM kill before Podman " + PODMAN_OOM_KILLED_SINCE
                    + " (the exit code is 137): wasOomKilled and readings' oomKilled say false");
        }
        d.add("no warnings for limits it drops: only the read-back after create sees them");
        d.add("its stats carry no memory.stat, so the API stats source counts page cache as used memory;"
                + " no throttling figures and no pids limit; one sample every 5 s");
        return List.copyOf(d);
    }

    /**
     * Says why a limit that was not asked for is in force after a create: the engine applied it on
     * its own.
     *
     * @param field the docker-py keyword, such as {@code pids_limit}
     */
    String ownDefault(String field) {
        if (isPodman() && field.equals("pids_limit")) {
            return this + " applied its own pids limit (pids_limit in containers.conf, " + PODMAN_DEFAULT_PIDS_LIMIT
                    + " by default), and the kernel enforces it";
        }
        return this + " applied it on its own (a default of the daemon's configuration), and it is in force";
    }

    /**
     * Returns whether this engine's version is at least {@code major.minor}; a version that does not
     * start with two numbers counts as new enough.
     */
    boolean atLeast(String majorMinor) {
        Matcher want = MAJOR_MINOR.matcher(majorMinor);
        Matcher have = MAJOR_MINOR.matcher(version);
        if (!want.matches() || !have.matches()) {
            return true;
        }
        int haveMajor = Integer.parseInt(have.group(1));
        int wantMajor = Integer.parseInt(want.group(1));
        if (haveMajor != wantMajor) {
            return haveMajor > wantMajor;
        }
        return Integer.parseInt(have.group(2)) >= Integer.parseInt(want.group(2));
    }

    /**
     * Returns {@code Docker 20.10.24 (API 1.41)} or {@code Podman 4.3.1 (API 1.41)}.
     *
     * @return the engine in words
     */
    @Override
    public String toString() {
        return (isPodman() ? "Podman " : "Docker ") + version + " (API " + apiVersion + ")";
    }
}
