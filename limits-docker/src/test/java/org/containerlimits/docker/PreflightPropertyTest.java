package org.containerlimits.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.containerlimits.core.CpuLimit;
import org.containerlimits.core.CpuSet;
import org.containerlimits.core.MemorySize;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.SwapLimit;

/**
 * {@link Preflight} over generated hosts (cgroup v1 and v2, 1 to 256 CPUs, features on and off,
 * memory nodes known or not), both engines, and generated limits: limits that fit every capability
 * get no error, and on any limits the errors and warnings are exactly those of the rules, written
 * out independently here ({@link #expectedErrors}, {@link #expectedWarnings}).
 */
class PreflightPropertyTest {
    private static final long MIB = LimitsGenerators.MIB;

    record Case(HostCapabilities host, Engine engine, ResourceLimits limits) {
        boolean v2() {
            return host.cgroupVersion().equals("2");
        }
    }

    static Arbitrary<Engine> engines() {
        return Arbitraries.of(PreflightTest.DOCKER, PreflightTest.PODMAN_4_3, PreflightTest.PODMAN_5_1);
    }

    /** Hosts as Docker describes them; on cgroup v2 OOM-killer disabling is never supported. */
    static Arbitrary<HostCapabilities> hosts() {
        Arbitrary<Integer> cpus = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(1, 2, 64)),
                Tuple.of(1, Arbitraries.integers().between(1, 256)));
        Arbitrary<MemorySize> memory = LimitsGenerators.sizes(256 * MIB, 4L << 40);
        Arbitrary<String> cgroup = Arbitraries.of("1", "2");
        Arbitrary<List<Boolean>> flags = Arbitraries.of(true, true, true, false).list().ofSize(7);
        Arbitrary<Optional<CpuSet>> nodes = Arbitraries.oneOf(List.of(
                Arbitraries.just(Optional.<CpuSet>empty()),
                Arbitraries.integers().between(1, 4).map(n -> Optional.of(CpuSet.firstN(n)))));
        return Combinators.combine(cpus, memory, cgroup, flags, nodes).as((c, m, v, f, n) -> new HostCapabilities(
                c, m, f.get(0), f.get(1), f.get(2), f.get(3), f.get(4), f.get(5), !v.equals("2") && f.get(6), v,
                v.equals("2") ? "systemd" : "cgroupfs", "27.3.1", n));
    }

    /** Limits that each capability of the host allows, in whatever combination. */
    static Arbitrary<ResourceLimits> fitting(HostCapabilities h, Engine engine) {
        long min = LimitsGenerators.MIN_MEMORY;
        Arbitrary<MemorySize> memories = h.memoryLimit()
                ? LimitsGenerators.sizes(min, h.memory().toBytes()).injectNull(0.3)
                : Arbitraries.<MemorySize>just(null);
        return memories.flatMap(memory -> {
            List<Arbitrary<Consumer<ResourceLimits.Builder>>> fields = new ArrayList<>();
            long maxReservation = Math.min(h.memory().toBytes(), memory == null ? Long.MAX_VALUE : memory.toBytes());
            fields.add(h.memoryLimit()
                    ? LimitsGenerators.setter(LimitsGenerators.sizes(min, maxReservation),
                            ResourceLimits.Builder::memoryReservation)
                    : LimitsGenerators.unset());
            List<Arbitrary<SwapLimit>> swaps = new ArrayList<>();
            if (memory != null && h.swapLimit()) {
                swaps.add(LimitsGenerators.swaps(memory).filter(s -> !s.isUnlimited()));
            }
            if (!engine.isPodman()) {
                swaps.add(Arbitraries.just(SwapLimit.UNLIMITED));
            }
            fields.add(swaps.isEmpty() ? LimitsGenerators.unset()
                    : LimitsGenerators.setter(Arbitraries.oneOf(swaps), ResourceLimits.Builder::memorySwap));
            fields.add(h.cgroupVersion().equals("1")
                    ? LimitsGenerators.setter(LimitsGenerators.swappiness(), ResourceLimits.Builder::memorySwappiness)
                    : LimitsGenerators.unset());
            Arbitrary<CpuLimit> cpus = h.cpuCfsPeriod() ? LimitsGenerators.cpuLimits(h.cpus())
                    : LimitsGenerators.nanoCpuLimits(h.cpus());
            fields.add(h.cpuCfsQuota() ? LimitsGenerators.setter(cpus, ResourceLimits.Builder::cpu) : LimitsGenerators.unset());
            fields.add(h.cpuShares() ? LimitsGenerators.setter(LimitsGenerators.cpuShares(), ResourceLimits.Builder::cpuShares)
                    : LimitsGenerators.unset());
            fields.add(h.cpuSet() ? LimitsGenerators.setter(LimitsGenerators.cpuSets(h.cpus() - 1),
                    ResourceLimits.Builder::cpusetCpus) : LimitsGenerators.unset());
            Arbitrary<CpuSet> mems = h.memoryNodes()
                    .map(nodes -> Arbitraries.subsetOf(nodes.stream().boxed().collect(Collectors.toList())).ofMinSize(1)
                            .map(s -> CpuSet.of(s.stream().mapToInt(Integer::intValue).toArray())))
                    .orElse(LimitsGenerators.cpuSets(7));
            fields.add(h.cpuSet() ? LimitsGenerators.setter(mems, ResourceLimits.Builder::cpusetMems) : LimitsGenerators.unset());
            fields.add(LimitsGenerators.setter(LimitsGenerators.pidsLimits(), ResourceLimits.Builder::pidsLimit));
            fields.add(LimitsGenerators.setter(LimitsGenerators.blkioWeights(), ResourceLimits.Builder::blkioWeight));
            fields.add(LimitsGenerators.setter(h.oomKillDisable() ? Arbitraries.of(true, false) : Arbitraries.just(false),
                    ResourceLimits.Builder::oomKillDisable));
            fields.add(LimitsGenerators.setter(LimitsGenerators.shmSizes(), ResourceLimits.Builder::shmSize));
            return Combinators.combine(fields).as(setters -> {
                ResourceLimits.Builder b = ResourceLimits.builder().memory(memory);
                setters.forEach(s -> s.accept(b));
                return b.build();
            });
        });
    }

    @Provide
    Arbitrary<Case> fittingCases() {
        return Combinators.combine(hosts(), engines())
                .flatAs((host, engine) -> fitting(host, engine).map(limits -> new Case(host, engine, limits)));
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Case> any = Combinators.combine(hosts(), engines(), LimitsGenerators.limits()).as(Case::new);
        return Arbitraries.oneOf(List.of(any, fittingCases()));
    }

    @Property
    void limitsThatFitEveryCapability_getNoError(@ForAll("fittingCases") Case c) {
        assertThat(expectedErrors(c)).as("the generator's own view").isEmpty();
        assertThat(DockerLimits.check(c.limits(), c.host(), c.engine())).filteredOn(LimitProblem::isError).isEmpty();
    }

    @Property
    void theProblemsAreExactlyThoseOfTheRules(@ForAll("cases") Case c) {
        List<LimitProblem> problems = DockerLimits.check(c.limits(), c.host(), c.engine());
        assertThat(problems).filteredOn(LimitProblem::isError).extracting(LimitProblem::field)
                .containsExactlyInAnyOrderElementsOf(expectedErrors(c));
        assertThat(problems).filteredOn(p -> !p.isError()).extracting(LimitProblem::field)
                .containsExactlyInAnyOrderElementsOf(expectedWarnings(c));
        Set<String> set = c.limits().toDockerPy().keySet();
        assertThat(problems).allSatisfy(p -> assertThat(set).contains(p.field()));
        assertThat(problems).allSatisfy(p -> assertThat(p.message()).isNotBlank());
        if (!c.engine().isPodman()) {
            assertThat(problems).isEqualTo(Preflight.check(c.limits(), c.host()));
        }
    }

    // ------------------------------------------------------------------------------ the rules

    /** Errors: what the daemon (or the engine) would refuse or silently drop. */
    static List<String> expectedErrors(Case c) {
        List<String> errors = hostErrors(c);
        if (c.engine().isPodman() && c.limits().memorySwap().map(SwapLimit::isUnlimited).orElse(false)) {
            errors.add("memswap_limit");
        }
        return errors;
    }

    private static List<String> hostErrors(Case c) {
        HostCapabilities h = c.host();
        ResourceLimits l = c.limits();
        List<String> errors = new ArrayList<>();
        l.memory().ifPresent(m -> {
            if (!h.memoryLimit() || m.toBytes() > h.memory().toBytes()) {
                errors.add("mem_limit");
            }
        });
        if (l.memoryReservation().isPresent() && !h.memoryLimit()) {
            errors.add("mem_reservation");
        }
        if (l.memorySwap().map(s -> !s.isUnlimited()).orElse(false) && !h.swapLimit()) {
            errors.add("memswap_limit");
        }
        if (l.memorySwappiness().isPresent() && c.v2()) {
            errors.add("mem_swappiness");
        }
        l.cpu().ifPresent(cpu -> {
            if (!cpuSupported(cpu, h) || (!cpu.isQuotaForm() && above(cpu, h.cpus()))) {
                errors.add(cpuField(cpu));
            }
        });
        if (l.cpuShares().isPresent() && !h.cpuShares()) {
            errors.add("cpu_shares");
        }
        l.cpusetCpus().ifPresent(set -> {
            if (!h.cpuSet() || set.stream().anyMatch(n -> n >= h.cpus())) {
                errors.add("cpuset_cpus");
            }
        });
        l.cpusetMems().ifPresent(set -> {
            if (!h.cpuSet() || h.memoryNodes().map(nodes -> set.stream().anyMatch(n -> !nodes.contains(n))).orElse(false)) {
                errors.add("cpuset_mems");
            }
        });
        if (l.oomKillDisable().orElse(false) && !h.oomKillDisable()) {
            errors.add("oom_kill_disable");
        }
        // A daemon on this host (its memory nodes known) can be asked only for devices it has.
        if (h.memoryNodes().isPresent()) {
            java.util.Map<String, List<org.containerlimits.core.DeviceLimit>> devices = java.util.Map.of(
                    "blkio_weight_device", l.blkioWeightDevice(), "device_read_bps", l.deviceReadBps(),
                    "device_write_bps", l.deviceWriteBps(), "device_read_iops", l.deviceReadIops(),
                    "device_write_iops", l.deviceWriteIops());
            devices.forEach((keyword, list) -> {
                if (list.stream().anyMatch(d -> !Preflight.isBlockDevice(java.nio.file.Path.of(d.path())))) {
                    errors.add(keyword);
                }
            });
        }
        return errors;
    }

    /** Warnings: what the daemon accepts but cannot fully honour, or the engine cannot report. */
    static List<String> expectedWarnings(Case c) {
        HostCapabilities h = c.host();
        ResourceLimits l = c.limits();
        List<String> warnings = new ArrayList<>();
        if (h.memoryLimit() && l.memoryReservation().map(r -> r.toBytes() > h.memory().toBytes()).orElse(false)) {
            warnings.add("mem_reservation");
        }
        l.shmSize().ifPresent(shm -> {
            if (shm.toBytes() > h.memory().toBytes()
                    || l.memory().map(m -> shm.toBytes() > m.toBytes()).orElse(false)) {
                warnings.add("shm_size");
            }
        });
        if (l.pidsLimit().map(p -> p.max().orElse(-1) == 1).orElse(false)) {
            warnings.add("pids_limit");
        }
        if (l.blkioWeight().isPresent() && c.v2()) {
            warnings.add("blkio_weight");
        }
        if (!l.blkioWeightDevice().isEmpty() && c.v2()) {
            warnings.add("blkio_weight_device");
        }
        l.cpu().filter(cpu -> cpuSupported(cpu, h)).ifPresent(cpu -> {
            if (above(cpu, h.cpus())) {
                if (cpu.isQuotaForm()) {
                    warnings.add(cpuField(cpu));
                }
            } else if (l.cpusetCpus().map(set -> above(cpu, set.size())).orElse(false)) {
                warnings.add(cpuField(cpu));
            }
        });
        if (l.oomKillDisable().orElse(false) && h.oomKillDisable() && l.memory().isEmpty()) {
            warnings.add("oom_kill_disable");
        }
        if (c.engine().isPodman()) {
            // The engine says nothing of a field the host already refuses.
            List<String> refused = hostErrors(c);
            if (l.memorySwappiness().equals(java.util.OptionalInt.of(0)) && !refused.contains("mem_swappiness")) {
                warnings.add("mem_swappiness");
            }
            if (!l.ulimits().isEmpty()) {
                warnings.add("ulimits"); // Podman reports its own default ulimits for every container
            }
            if (l.memory().isPresent() && !refused.contains("mem_limit")) {
                if (c.engine().version().startsWith("4.")) {
                    warnings.add("mem_limit"); // no State.OOMKilled before 5.0
                }
                warnings.add("mem_limit"); // page cache counted in its stats
            }
        }
        return warnings;
    }

    private static boolean cpuSupported(CpuLimit cpu, HostCapabilities h) {
        return h.cpuCfsQuota() && (!cpu.isQuotaForm() || h.cpuCfsPeriod());
    }

    private static String cpuField(CpuLimit cpu) {
        return cpu.isQuotaForm() ? "cpu_quota" : "nano_cpus";
    }

    /** Whether the CPU limit is more than {@code cores}, in exact integer arithmetic. */
    private static boolean above(CpuLimit cpu, long cores) {
        if (cpu.isQuotaForm()) {
            return BigInteger.valueOf(cpu.cfsQuotaMicros().getAsLong())
                    .compareTo(BigInteger.valueOf(cores).multiply(BigInteger.valueOf(cpu.cfsPeriodMicros().getAsLong()))) > 0;
        }
        return BigInteger.valueOf(cpu.toNanoCpus())
                .compareTo(BigInteger.valueOf(cores).multiply(BigInteger.valueOf(CpuLimit.NANOS_PER_CORE))) > 0;
    }
}
