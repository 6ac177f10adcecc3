package org.containerlimits.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.ResourceSpecs;
import com.github.dockerjava.api.model.ServiceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.containerlimits.cli.OfflineCli.Result;
import org.containerlimits.docker.swarm.ServiceField;
import org.containerlimits.docker.swarm.ServiceResources;
import org.containerlimits.docker.swarm.SwarmLimits;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code limits service} without a daemon: its options are {@link ServiceField}'s table, read
 * exactly, into the spec {@link SwarmLimits#create} sends; every bad input exits 2 naming the flag,
 * the text and the rule, before anything connects ({@link OfflineCli} fails a test that connects).
 */
class ServiceCommandTest {

    /** The create command as picocli fills it from the arguments, not run. */
    private static ServiceCreateCommand parsedCreate(String... args) {
        LimitsCommand limits = new LimitsCommand(() -> {
            throw new AssertionError("must not connect");
        });
        CommandLine cli = limits.commandLine();
        List<String> all = new ArrayList<>(List.of("service", "create"));
        all.addAll(List.of(args));
        cli.parseArgs(all.toArray(String[]::new));
        return (ServiceCreateCommand) cli.getSubcommands().get("service").getSubcommands().get("create").getCommand();
    }

    /** The spec that create would send: the command's own, with the resources written as the library writes them. */
    private static ServiceSpec specToSend(ServiceCreateCommand create) {
        return SwarmLimits.applyTo(create.spec(), create.resources());
    }

    private static ResourceSpecs limitsOf(ServiceSpec spec) {
        return spec.getTaskTemplate().getResources().getLimits();
    }

    @Test
    void limitCpu_isReadExactly_intoTheNanoCpusOfTheSpec() {
        ServiceSpec spec = specToSend(parsedCreate("--limit-cpu", "2.01", "--name", "web", "img"));
        assertThat(limitsOf(spec).getNanoCPUs()).isEqualTo(2_010_000_000L);
        // 0.29 * 1e9 in double arithmetic is 289999999.99999994: the exact reading is 290000000.
        assertThat(limitsOf(specToSend(parsedCreate("--limit-cpu", "0.29", "img"))).getNanoCPUs())
                .isEqualTo(290_000_000L);
        assertThat(limitsOf(specToSend(parsedCreate("--limit-cpu=.5", "img"))).getNanoCPUs()).isEqualTo(500_000_000L);
    }

    @Test
    void everyField_reachesItsEngineField() {
        ServiceCreateCommand create = parsedCreate("--limit-cpu", "1.5", "--limit-memory", "1g", "--limit-pids", "100",
                "--reserve-cpu", "0.25", "--reserve-memory", "512m", "--name", "web", "--replicas", "3", "img",
                "sh", "-c", "sleep 1");
        ServiceSpec spec = specToSend(create);
        var resources = spec.getTaskTemplate().getResources();
        assertThat(resources.getLimits().getNanoCPUs()).isEqualTo(1_500_000_000L);
        assertThat(resources.getLimits().getMemoryBytes()).isEqualTo(1L << 30);
        assertThat(resources.getLimits().getRawValues()).containsEntry("Pids", 100L);
        assertThat(resources.getReservations().getNanoCPUs()).isEqualTo(250_000_000L);
        assertThat(resources.getReservations().getMemoryBytes()).isEqualTo(512L << 20);
        assertThat(spec.getName()).isEqualTo("web");
        assertThat(spec.getMode().getReplicated().getReplicas()).isEqualTo(3);
        assertThat(spec.getTaskTemplate().getContainerSpec().getImage()).isEqualTo("img");
        // Everything after the image is the tasks' command, its -c included, as docker service create's.
        assertThat(spec.getTaskTemplate().getContainerSpec().getArgs()).containsExactly("sh", "-c", "sleep 1");
        assertThat(create.options.toResources()).isEqualTo(ServiceResources.parse(
                "mem_limit=1g,mem_reservation=512m,nano_cpus=1500000000,pids_limit=100,cpu_reservation=250000000"));
    }

    @Test
    void limitPidsZero_isDockersUnlimited() {
        assertThat(parsedCreate("--limit-pids", "0", "img").options.toResources())
                .isEqualTo(ServiceResources.parse("pids_limit=-1"));
        assertThat(parsedCreate("--limit-pids", "-1", "img").options.toResources())
                .isEqualTo(ServiceResources.parse("pids_limit=-1"));
        // Sent as the Engine's Pids 0, as docker service create sends it.
        ServiceCreateCommand create = parsedCreate("--limit-pids", "0", "--limit-memory", "64m", "img");
        assertThat(create.resources()).isEqualTo(ServiceResources.parse("mem_limit=64m,pids_limit=-1"));
        assertThat(limitsOf(specToSend(create)).getRawValues()).containsEntry("Pids", 0L);
    }

    @Test
    void globalMode_andOneReplicaByDefault() {
        assertThat(parsedCreate("--mode", "global", "img").spec().getMode().getGlobal()).isNotNull();
        assertThat(parsedCreate("img").spec().getMode().getReplicated().getReplicas()).isEqualTo(1);
    }

    @Test
    void aBadMemory_exitsTwo_withOneLineNamingTheFlagTheTextAndTheRule() {
        Result r = OfflineCli.limits("service", "create", "--limit-memory", "12q", "--name", "web", "img");
        assertThat(r.exitCode()).isEqualTo(LimitsCommand.EXIT_BAD_INPUT);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).startsWith("limits: invalid input, nothing was done: --limit-memory = 12q: ")
                .contains("unexpected 'q'")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void everyBadOption_isNamed_atOnce() {
        Result r = OfflineCli.limits("service", "create", "--limit-cpu", "2,5", "--limit-memory", "4m",
                "--limit-pids", "x", "--reserve-cpu", "0.000000001", "--reserve-memory", "1y", "img");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--limit-cpu = 2,5: must be a decimal number of cores")
                .contains("--limit-memory = 4m: must be at least 6m")
                .contains("--limit-pids = x:")
                .contains("--reserve-cpu = 0.000000001: must be at least")
                .contains("--reserve-memory = 1y:")
                .doesNotContain("\tat ");
    }

    @Test
    void rulesAcrossFields_nameTheFlagAndItsText() {
        Result cpu = OfflineCli.limits("service", "create", "--limit-cpu", "1", "--reserve-cpu", "1.5", "img");
        assertThat(cpu.exitCode()).isEqualTo(2);
        assertThat(cpu.err()).contains("--reserve-cpu = 1.5: must be at most the CPU limit");
        Result memory = OfflineCli.limits("service", "update", "--limit-memory", "64m", "--reserve-memory", "128m", "web");
        assertThat(memory.exitCode()).isEqualTo(2);
        assertThat(memory.err()).contains("--reserve-memory = 128m: must not be above mem_limit");
        Result precise = OfflineCli.limits("service", "create", "--limit-cpu", "1.0000000001", "img");
        assertThat(precise.err()).contains("--limit-cpu = 1.0000000001: is too precise");
    }

    @Test
    void otherBadInput_exitsTwo_beforeConnecting() {
        assertThat(OfflineCli.limits("service", "create", "--mode", "global", "--replicas", "2", "img").err())
                .contains("--replicas '2': a global service");
        assertThat(OfflineCli.limits("service", "create", "--mode", "both", "img").err())
                .contains("--mode 'both': expected replicated or global");
        assertThat(OfflineCli.limits("service", "create", "--replicas", "-1", "img").err())
                .contains("--replicas '-1': must be 0 or more");
        Result timeout = OfflineCli.limits("service", "create", "--timeout", "soon", "img");
        assertThat(timeout.exitCode()).isEqualTo(2);
        assertThat(timeout.err()).contains("--timeout 'soon'");
        Result nothing = OfflineCli.limits("service", "update", "web");
        assertThat(nothing.exitCode()).isEqualTo(2);
        assertThat(nothing.err()).contains("no resource option given");
        // A container limit is not a service's option: picocli's usage error, exit 2.
        assertThat(OfflineCli.limits("service", "create", "--memory-swap", "1g", "img").exitCode()).isEqualTo(2);
        assertThat(OfflineCli.limits("service").exitCode()).isEqualTo(2);
    }

    @Test
    void help_listsEveryFieldOfTheTable_forCreateAndUpdate() {
        for (String sub : List.of("create", "update")) {
            Result help = OfflineCli.limits("service", sub, "--help");
            assertThat(help.exitCode()).isZero();
            for (ServiceField field : ServiceField.values()) {
                assertThat(help.out()).contains(field.flag());
                // The help wraps its lines, at a dot too.
                assertThat(help.out().replaceAll("\\s+", "")).contains(field.engineField());
            }
        }
        assertThat(OfflineCli.limits("--help").out()).contains("service");
        assertThat(OfflineCli.limits("service", "--help").out()).contains("create").contains("update")
                .contains("inspect").contains("stats");
    }

    @Test
    void flags_writeResourcesBackAsTheFlagsThatGiveThem() {
        String[] args = {"--limit-cpu", "2.01", "--limit-memory", "1g", "--limit-pids", "100", "--reserve-cpu", "0.5",
            "--reserve-memory", "512m"};
        ServiceResources read = parsedCreate(concat(args, "img")).options.toResources();
        assertThat(ServiceOptions.flags(read)).containsExactly(args);
        assertThat(parsedCreate(concat(ServiceOptions.flags(read).toArray(String[]::new), "img")).options.toResources())
                .isEqualTo(read);
        assertThat(ServiceOptions.flags(ServiceResources.parse("pids_limit=-1"))).containsExactly("--limit-pids", "0");
        Map<ServiceField, Long> engine = new java.util.EnumMap<>(ServiceField.class);
        for (ServiceField f : ServiceField.values()) {
            engine.put(f, ServiceOptions.engineValue(f, read).orElseThrow());
        }
        assertThat(engine).containsExactlyInAnyOrderEntriesOf(Map.of(ServiceField.LIMIT_CPU, 2_010_000_000L,
                ServiceField.LIMIT_MEMORY, 1L << 30, ServiceField.LIMIT_PIDS, 100L,
                ServiceField.RESERVE_CPU, 500_000_000L, ServiceField.RESERVE_MEMORY, 512L << 20));
    }

    @Test
    void statsOfAServiceWithoutLocalTasks_hasATotalOfNothing_andNullLimits() {
        var none = new org.containerlimits.docker.stats.ServiceReading("web", List.of());
        assertThat(ServiceStatsCommand.total(none)).startsWith("TOTAL").contains("0 tasks").contains("0.00 / --")
                .contains("0B / --");
        Map<String, Object> json = CliJson.readObject(ServiceStatsCommand.json(none), "from service stats");
        assertThat(json).containsEntry("service", "web").containsEntry("tasks", List.of())
                .containsEntry("cpuLimitCores", null).containsEntry("cpuPercentOfLimit", null)
                .containsEntry("memoryBytes", 0).containsEntry("memoryLimitBytes", null);
    }

    private static String[] concat(String[] args, String last) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add(last);
        return all.toArray(String[]::new);
    }
}
