package org.containerlimits.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LocalNodeState;
import com.github.dockerjava.api.model.ResourceRequirements;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.SwarmSpec;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.containerlimits.cli.LiveCli.Result;
import org.containerlimits.docker.DaemonTest;
import org.containerlimits.testing.BusyboxImage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code limits service} against the real one-node swarm, judged by what the swarm then holds: the
 * service's spec and its task's container ({@code docker inspect}), read with docker-java.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ServiceCliIT extends DaemonTest {
    private static final String[] SLEEP = {"sh", "-c", "while true; do sleep 1; done"};

    /** The services a test named, removed after it. */
    private final List<String> services = new ArrayList<>();


    @BeforeAll
    static void manager() {
        var swarm = client.infoCmd().exec().getSwarm();
        if (swarm == null || swarm.getLocalNodeState() != LocalNodeState.ACTIVE) {
            client.initializeSwarmCmd(new SwarmSpec()).withListenAddr("127.0.0.1").withAdvertiseAddr("127.0.0.1")
                    .exec();
        }
    }

    @AfterEach
    void removeServices() {
        for (String name : services) {
            try {
                client.removeServiceCmd(name).exec();
            } catch (RuntimeException e) {
                // Never created, or removed again by the library after a failed create.
            }
        }
    }

    private String newName() {
        String name = "cl-cli-svc-" + UUID.randomUUID().toString().substring(0, 8);
        services.add(name);
        return name;
    }

    private static Result limits(String... args) {
        return LiveCli.limits(args);
    }

    private static String[] args(String[] head, String... tail) {
        List<String> all = new ArrayList<>(List.of(head));
        all.addAll(List.of(tail));
        return all.toArray(String[]::new);
    }

    private static ResourceRequirements specResources(String service) {
        return client.inspectServiceCmd(service).exec().getSpec().getTaskTemplate().getResources();
    }

    /** The Engine's {@code Limits.Pids}, which docker-java's model lacks: from the raw JSON. */
    private static Object specPids(String service) {
        Map<?, ?> spec = (Map<?, ?>) client.inspectServiceCmd(service).exec().getRawValues().get("Spec");
        Map<?, ?> resources = (Map<?, ?>) ((Map<?, ?>) spec.get("TaskTemplate")).get("Resources");
        return ((Map<?, ?>) resources.get("Limits")).get("Pids");
    }

    /** The running task's container, as the daemon holds it. */
    private static String runningContainer(String service) {
        List<Task> running = client.listTasksCmd().withServiceFilter(service).exec().stream()
                .filter(t -> t.getDesiredState() == TaskState.RUNNING && t.getStatus().getState() == TaskState.RUNNING)
                .toList();
        assertThat(running).hasSize(1);
        return running.get(0).getStatus().getContainerStatus().getContainerID();
    }

    private static double number(Map<?, ?> o, String key) {
        assertThat(o.get(key)).as(key).isInstanceOf(Number.class);
        return ((Number) o.get(key)).doubleValue();
    }

    @Test
    void create_inspect_update_stats_changeWhatTheSwarmHolds() {
        String name = newName();
        Result create = limits(args(new String[] {"service", "create", "--limit-cpu", "0.51", "--limit-memory", "64m",
            "--limit-pids", "50", "--reserve-cpu", "0.25", "--reserve-memory", "32m", "--name", name, BusyboxImage.NAME},
                SLEEP));
        assertThat(create.exitCode()).as(create.err()).isZero();
        String id = create.out().strip();
        assertThat(id).matches("[0-9a-z]{25}");
        Service service = client.inspectServiceCmd(name).exec();
        assertThat(service.getId()).isEqualTo(id);
        // Everything after the image is the tasks' command, its -c included.
        assertThat(service.getSpec().getTaskTemplate().getContainerSpec().getArgs()).containsExactly(SLEEP);
        ResourceRequirements resources = specResources(id);
        assertThat(resources.getLimits().getNanoCPUs()).isEqualTo(510_000_000L);
        assertThat(resources.getLimits().getMemoryBytes()).isEqualTo(64L << 20);
        assertThat(specPids(id)).isEqualTo(50);
        assertThat(resources.getReservations().getNanoCPUs()).isEqualTo(250_000_000L);
        assertThat(resources.getReservations().getMemoryBytes()).isEqualTo(32L << 20);
        String container = runningContainer(id);
        HostConfig created = client.inspectContainerCmd(container).exec().getHostConfig();
        assertThat(created.getNanoCPUs()).isEqualTo(510_000_000L);
        assertThat(created.getMemory()).isEqualTo(64L << 20);
        assertThat(created.getPidsLimit()).isEqualTo(50L);

        Result inspectJson = limits("service", "inspect", "--json", name);
        assertThat(inspectJson.exitCode()).as(inspectJson.err()).isZero();
        Map<String, Object> inspected = CliJson.readObject(inspectJson.out(), "from service inspect");
        assertThat(inspected.get("service")).isEqualTo(id);
        Map<?, ?> spec = (Map<?, ?>) inspected.get("spec");
        assertThat(number(spec, "Limits.NanoCPUs")).isEqualTo(510_000_000.0);
        assertThat(number(spec, "Limits.MemoryBytes")).isEqualTo((double) (64L << 20));
        assertThat(number(spec, "Limits.Pids")).isEqualTo(50.0);
        assertThat(number(spec, "Reservations.NanoCPUs")).isEqualTo(250_000_000.0);
        assertThat(number(spec, "Reservations.MemoryBytes")).isEqualTo((double) (32L << 20));
        List<?> tasks = (List<?>) inspected.get("tasks");
        assertThat(tasks).hasSize(1);
        Map<?, ?> task = (Map<?, ?>) tasks.get(0);
        assertThat(task.get("state")).isEqualTo("running");
        assertThat(task.get("containerId")).isEqualTo(container);
        assertThat(task.get("slot")).isEqualTo(1);
        assertThat(task.get("limits")).isEqualTo("mem_limit=64m,nano_cpus=510000000,pids_limit=50");
        assertThat((List<?>) task.get("mismatches")).isEmpty();

        Result inspectText = limits("service", "inspect", id);
        assertThat(inspectText.exitCode()).as(inspectText.err()).isZero();
        assertThat(inspectText.out()).contains("flags:      --limit-cpu 0.51 --limit-memory 64m --limit-pids 50"
                + " --reserve-cpu 0.25 --reserve-memory 32m").contains(container.substring(0, 12)).contains("running");

        Result update = limits("service", "update", "--limit-cpu", "0.75", "--limit-memory", "96m", name);
        assertThat(update.exitCode()).as(update.err()).isZero();
        assertThat(update.out().strip()).isEqualTo(id);
        ResourceRequirements updated = specResources(id);
        assertThat(updated.getLimits().getNanoCPUs()).isEqualTo(750_000_000L);
        assertThat(updated.getLimits().getMemoryBytes()).isEqualTo(96L << 20);
        // What the update did not name stays.
        assertThat(specPids(id)).isEqualTo(50);
        assertThat(updated.getReservations().getNanoCPUs()).isEqualTo(250_000_000L);
        String newContainer = runningContainer(id);
        assertThat(newContainer).isNotEqualTo(container);
        HostConfig after = client.inspectContainerCmd(newContainer).exec().getHostConfig();
        assertThat(after.getNanoCPUs()).isEqualTo(750_000_000L);
        assertThat(after.getMemory()).isEqualTo(96L << 20);
        assertThat(after.getPidsLimit()).isEqualTo(50L);

        Result stats = limits("service", "stats", name);
        assertThat(stats.exitCode()).as(stats.err()).isZero();
        assertThat(stats.out()).contains("CPU % OF LIMIT").contains(newContainer.substring(0, 12))
                .contains("TOTAL").contains("1 task").contains("/ 0.75").contains("/ 96MiB");
        Result statsJson = limits("service", "stats", "--json", name);
        assertThat(statsJson.exitCode()).as(statsJson.err()).isZero();
        assertThat(statsJson.out().strip()).doesNotContain("\n");
        Map<String, Object> reading = CliJson.readObject(statsJson.out(), "from service stats");
        assertThat(reading.get("service")).isEqualTo(name);
        assertThat((List<?>) reading.get("tasks")).singleElement()
                .satisfies(t -> assertThat(((Map<?, ?>) t).get("container")).isEqualTo(newContainer));
        assertThat(number(reading, "cpuLimitCores")).isEqualTo(0.75);
        assertThat(number(reading, "memoryLimitBytes")).isEqualTo((double) (96L << 20));
        assertThat(number(reading, "memoryBytes")).isPositive();
        assertThat(number(reading, "cpuPercentOfLimit")).isBetween(0.0, 20.0);
    }

    @Test
    void aReservationNoNodeHas_exitsTwo_namingTheFlag_andNothingIsCreated() {
        String name = newName();
        Result r = limits("service", "create", "--reserve-cpu", "64", "--name", name, BusyboxImage.NAME, "sleep", "60");
        assertThat(r.exitCode()).isEqualTo(LimitsCommand.EXIT_BAD_INPUT);
        assertThat(r.err()).contains("nothing was done").contains("--reserve-cpu")
                .contains("no node can satisfy the reservations").doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
        assertThat(client.listServicesCmd().withNameFilter(List.of(name)).exec()).isEmpty();
    }

    @Test
    void anUpdateNoNodeCanRun_exitsTwo_andTheServiceStaysAsItWas() {
        String name = newName();
        Result create = limits(args(new String[] {"service", "create", "--limit-memory", "64m", "--name", name,
            BusyboxImage.NAME}, SLEEP));
        assertThat(create.exitCode()).as(create.err()).isZero();
        Result r = limits("service", "update", "--limit-cpu", "64", name);
        assertThat(r.exitCode()).isEqualTo(LimitsCommand.EXIT_BAD_INPUT);
        assertThat(r.err()).contains("--limit-cpu").contains("more than any node has");
        assertThat(specResources(name).getLimits().getNanoCPUs()).isNull();
        assertThat(specResources(name).getLimits().getMemoryBytes()).isEqualTo(64L << 20);
    }

    @Test
    void tasksThatKeepFailing_exitOne_withTheSwarmsWords_andTheServiceIsRemoved() {
        String name = newName();
        Result r = limits("service", "create", "--limit-memory", "64m", "--name", name, BusyboxImage.NAME,
                "no-such-command");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(LimitsCommand.EXIT_DAEMON_REFUSED);
        assertThat(r.err()).contains("no-such-command").contains("removed again").doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
        assertThat(client.listServicesCmd().withNameFilter(List.of(name)).exec()).isEmpty();
    }

    /**
     * docker's --limit-pids 0, unlimited: the Engine's Pids 0, its "not set"; the create converges,
     * and an update from a limit to unlimited converges and lifts it.
     */
    @Test
    void createWithUnlimitedPids_converges_withoutAPidsLimit() {
        String name = newName();
        Result r = limits(args(new String[] {"service", "create", "--limit-pids", "0", "--limit-memory", "64m",
            "--timeout", "30s", "--name", name, BusyboxImage.NAME}, SLEEP));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(specPids(name)).isIn(null, 0);
        HostConfig host = client.inspectContainerCmd(runningContainer(name)).exec().getHostConfig();
        assertThat(host.getPidsLimit() == null || host.getPidsLimit() <= 0).as("pids limit " + host.getPidsLimit())
                .isTrue();
        assertThat(host.getMemory()).isEqualTo(64L << 20);

        Result limited = limits("service", "update", "--limit-pids", "50", "--timeout", "30s", name);
        assertThat(limited.exitCode()).as(limited.err()).isZero();
        assertThat(client.inspectContainerCmd(runningContainer(name)).exec().getHostConfig().getPidsLimit())
                .isEqualTo(50L);
        Result unlimited = limits("service", "update", "--limit-pids", "0", "--timeout", "30s", name);
        assertThat(unlimited.exitCode()).as(unlimited.err()).isZero();
        Long after = client.inspectContainerCmd(runningContainer(name)).exec().getHostConfig().getPidsLimit();
        assertThat(after == null || after <= 0).as("pids limit " + after).isTrue();
    }

    @Test
    void aServiceThatDoesNotExist_exitsOne() {
        String missing = "cl-cli-no-such-service-" + UUID.randomUUID().toString().substring(0, 8);
        for (String[] args : List.of(new String[] {"service", "inspect", missing},
                new String[] {"service", "stats", missing},
                new String[] {"service", "update", "--limit-memory", "64m", missing})) {
            Result r = limits(args);
            assertThat(r.exitCode()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(1);
            assertThat(r.err()).contains(missing).doesNotContain("\tat ");
        }
    }

    /**
     * Two tasks held at 0.5 cores each, watched together: one history for the service, the CPU
     * recommended above the limit that held them, and the line that applies it run as printed.
     */
    @Test
    void recommend_readsEveryTaskIntoOneHistory_andItsLineApplies() throws Exception {
        String name = newName();
        Result create = limits("service", "create", "--limit-cpu", "0.5", "--limit-memory", "64m", "--replicas", "2",
                "--name", name, BusyboxImage.NAME, "sh", "-c", "while :; do :; done");
        assertThat(create.exitCode()).as(create.err()).isZero();

        Result watched = limits("service", "recommend", "--watch", "15s", name);
        assertThat(watched.exitCode()).as(watched.err()).isZero();
        String text = watched.out();
        assertThat(text).startsWith(name + ": ").contains("held at its limit of 0.5 cores")
                .contains("current      mem_limit=64m,nano_cpus=500000000");
        String apply = text.lines().filter(l -> l.startsWith("  apply        limits service update ")).findFirst()
                .orElseThrow(() -> new AssertionError(text));
        assertThat(apply).contains("--limit-cpu 1.15").endsWith(" " + name);
        int readings = Integer.parseInt(text.substring(name.length() + 2, text.indexOf(" readings")));
        assertThat(readings).as("both tasks read in each round").isGreaterThanOrEqualTo(2 * 8);

        // The line as printed, after "apply" and "limits".
        List<String> printed = List.of(apply.strip().split(" +"));
        List<String> args = new ArrayList<>(printed.subList(2, printed.size()));
        args.add(args.size() - 1, "--timeout");
        args.add(args.size() - 1, "60s");
        Result updated = limits(args.toArray(String[]::new));
        assertThat(updated.exitCode()).as(args + ": " + updated.err()).isZero();
        assertThat(specResources(name).getLimits().getNanoCPUs()).isEqualTo(1_150_000_000L);
    }
}
