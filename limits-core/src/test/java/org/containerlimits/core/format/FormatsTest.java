package org.containerlimits.core.format;

import org.containerlimits.core.LimitsArbitraries;
import org.containerlimits.core.CpuLimit;
import org.containerlimits.core.InvalidLimitsException;
import org.containerlimits.core.MemorySize;
import org.containerlimits.core.PidsLimit;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.Violation;
import org.containerlimits.core.WholeNumber;

import org.containerlimits.core.format.ComposeResources;
import org.containerlimits.core.format.Conversion;
import org.containerlimits.core.format.DockerCliFlags;
import org.containerlimits.core.format.EngineHostConfig;
import org.containerlimits.core.format.KubernetesResources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Docker CLI flags, Engine HostConfig, Compose and Kubernetes resources, both ways. */
class FormatsTest {

    private static ResourceLimits limits(String text) {
        return ResourceLimits.parse(text);
    }

    // ------------------------------------------------------------------------------ flags

    @Test
    void flags_bothSpellings_andEveryLimitFlag() {
        ResourceLimits r = DockerCliFlags.read("--memory 1g --memory-swap=-1 --memory-reservation 512m"
                + " --cpus=2.5 -c 512 --cpuset-cpus 0-3 --cpuset-mems 0 --pids-limit 100 --memory-swappiness 0"
                + " --oom-kill-disable --blkio-weight 500 --shm-size 64m").value();
        assertThat(r).isEqualTo(limits("mem_limit=1g,mem_reservation=512m,memswap_limit=-1,mem_swappiness=0,"
                + "nano_cpus=2500000000,cpu_shares=512,cpuset_cpus=0-3,cpuset_mems=0,pids_limit=100,blkio_weight=500,"
                + "oom_kill_disable=true,shm_size=64m"));
        assertThat(DockerCliFlags.read("--cpu-quota 250000 --cpu-period 100000").value().cpu())
                .hasValue(CpuLimit.ofQuota(250_000, 100_000));
        assertThat(DockerCliFlags.read("").value()).isEqualTo(ResourceLimits.none());
    }

    @Test
    void flags_nonLimitFlagsAndBadValues_areEachNamed() {
        assertThatThrownBy(() -> DockerCliFlags.read(List.of("--memory", "1x", "--privileged", "-v", "/:/host",
                "--cpus", "-1", "--pids-limit")))
                .isInstanceOf(InvalidLimitsException.class)
                .hasMessageContaining("--privileged = : is not a limit flag")
                .hasMessageContaining("-v = : is not a limit flag")
                .hasMessageContaining("/:/host = : is not a flag")
                .hasMessageContaining("--cpus = -1")
                .hasMessageContaining("--pids-limit = : needs a value")
                .hasMessageContaining("--memory = \"1x\"");
        assertThatThrownBy(() -> DockerCliFlags.read("--memory 4m --memory 5m"))
                .hasMessageContaining("--memory = 5m: is given twice");
        assertThatThrownBy(() -> DockerCliFlags.read("--cpuset-cpus 0-1;reboot"))
                .hasMessageContaining("--cpuset-cpus");
    }

    @Property(tries = 1000, edgeCases = EdgeCasesMode.MIXIN)
    void flags_roundTrip(@ForAll("anyLimits") ResourceLimits limits) {
        assertThat(DockerCliFlags.read(DockerCliFlags.line(limits)).value()).isEqualTo(limits);
        assertThat(DockerCliFlags.read(DockerCliFlags.write(limits).value()).value()).isEqualTo(limits);
    }

    // ------------------------------------------------------------------------------ engine

    @Test
    void engine_readsJsonNumbers_exactly_andZeroIsNotSet() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("Memory", 1073741824.0);       // a JSON parser's double, exact
        json.put("NanoCpus", 2500000000L);
        json.put("MemorySwappiness", -1);       // the Engine's "default"
        json.put("CpuShares", 0);               // not set
        json.put("PidsLimit", -1);
        json.put("CpusetCpus", "");
        json.put("BlkioWeight", null);
        assertThat(EngineHostConfig.read(json).value()).isEqualTo(limits("mem_limit=1g,nano_cpus=2500000000,pids_limit=-1"));
    }

    @Test
    void engine_fractionsWrongTypesAndNonLimitFields_areNamed() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("Memory", 1.5);
        json.put("CpuShares", "512.0");
        json.put("Privileged", true);
        json.put("Binds", List.of("/:/host"));
        json.put("OomKillDisable", "yes");
        assertThatThrownBy(() -> EngineHostConfig.read(json))
                .isInstanceOf(InvalidLimitsException.class)
                .hasMessageContaining("Memory = 1.5: " + WholeNumber.RULE)
                .hasMessageContaining("CpuShares = '512.0': " + WholeNumber.RULE)
                .hasMessageContaining("Privileged = true: is not a resource limit field of HostConfig")
                .hasMessageContaining("Binds = [/:/host]: is not a resource limit field")
                .hasMessageContaining("OomKillDisable = 'yes': must be true or false");
        assertThatThrownBy(() -> EngineHostConfig.read(Map.of("Memory", 4194304)))
                .hasMessageContaining("Memory = 4m: must be at least 6m");
    }

    @Property(tries = 1000, edgeCases = EdgeCasesMode.MIXIN)
    void engine_roundTrip(@ForAll("anyLimits") ResourceLimits limits) {
        assertThat(EngineHostConfig.read(EngineHostConfig.write(limits).value()).value()).isEqualTo(limits);
    }

    // ------------------------------------------------------------------------------ compose

    @Test
    void compose_theSpecsExample_inComposeUnits() {
        Map<String, Object> resources = Map.of(
                "limits", Map.of("cpus", "0.50", "memory", "50M", "pids", 100),
                "reservations", Map.of("memory", "20M", "cpus", "0.25"));
        Conversion<ResourceLimits> c = ComposeResources.read(resources);
        assertThat(c.value()).isEqualTo(limits("mem_limit=50m,mem_reservation=20m,nano_cpus=500000000,pids_limit=100"));
        assertThat(c.unconverted()).singleElement().asString().startsWith("reservations.cpus = '0.25'");
        // Compose's 1G is binary, as the docker CLI's.
        assertThat(ComposeResources.read(Map.of("limits", Map.of("memory", "1G"))).value().memory())
                .hasValue(MemorySize.ofGibibytes(1));
        assertThat(ComposeResources.read(Map.of("limits", Map.of("memory", "1gb", "cpus", 1.5))).value())
                .isEqualTo(limits("mem_limit=1g,nano_cpus=1500000000"));
    }

    @Test
    void compose_unknownKeysAndBadValues_areNamed() {
        assertThatThrownBy(() -> ComposeResources.read(Map.of("limit", Map.of())))
                .hasMessageContaining("limit = {}: is not a key of deploy.resources");
        Map<String, Object> bad = new HashMap<>();
        bad.put("cpus", "lots");
        bad.put("memory", null);
        bad.put("privileged", true);
        assertThatThrownBy(() -> ComposeResources.read(Map.of("limits", bad)))
                .hasMessageContaining("limits.cpus = 'lots': must be a decimal number of cores")
                .hasMessageContaining("limits.memory = null: " + WholeNumber.RULE + ", not null")
                .hasMessageContaining("limits.privileged = true: is not a key of deploy.resources.limits");
    }

    @Test
    void compose_write_reportsWhatDeployResourcesCannotHold() {
        Conversion<Map<String, Object>> c = ComposeResources.write(
                limits("mem_limit=1g,memswap_limit=2g,cpu_quota=150000,cpu_period=50000,cpu_shares=512"));
        assertThat(c.value()).isEqualTo(Map.of("limits", Map.of("cpus", "3", "memory", "1g")));
        assertThat(c.unconverted()).hasSize(3).anySatisfy(u -> assertThat(u).startsWith("cpu_period = 50000"))
                .anySatisfy(u -> assertThat(u).startsWith("memswap_limit = 2g"))
                .anySatisfy(u -> assertThat(u).startsWith("cpu_shares = 512"));
    }

    @Property(tries = 1000, edgeCases = EdgeCasesMode.MIXIN)
    void compose_roundTrip(@ForAll("composeLimits") ResourceLimits limits) {
        Conversion<Map<String, Object>> written = ComposeResources.write(limits);
        assertThat(written.isComplete()).isTrue();
        assertThat(ComposeResources.read(written.value()).value()).isEqualTo(limits);
    }

    // ------------------------------------------------------------------------------ kubernetes

    /** What is not a resource name cannot ride along in a resources map as an "unconverted" resource. */
    @Test
    void kubernetes_namesThatAreNotResources_areErrors_qualifiedExtendedResourcesAreNot() {
        assertThatThrownBy(() -> KubernetesResources.read(Map.of("limits", Map.of("cpu", "1", "hostPath", "/"),
                "requests", Map.of("securityContext", Map.of("privileged", true)))))
                .isInstanceOfSatisfying(InvalidLimitsException.class, e -> assertThat(e.violations())
                        .extracting(Violation::field).containsExactlyInAnyOrder("limits.hostPath",
                                "requests.securityContext"))
                .hasMessageContaining("is not a Kubernetes resource name");
        assertThat(KubernetesResources.read(Map.of("limits", Map.of("nvidia.com/gpu", 1, "hugepages-2Mi", "1Gi")))
                .unconverted()).hasSize(2);
    }

    @Test
    void kubernetes_quantities_andTheKubeletsConversions() {
        Conversion<ResourceLimits> c = KubernetesResources.read(Map.of(
                "limits", Map.of("cpu", "500m", "memory", "1G", "ephemeral-storage", "2Gi"),
                "requests", Map.of("cpu", "250m", "memory", "512Mi")));
        // 1G is 10^9 bytes in Kubernetes; the limit becomes a quota; the request becomes shares.
        assertThat(c.value()).isEqualTo(ResourceLimits.builder().memory(MemorySize.ofBytes(1_000_000_000))
                .memoryReservation(MemorySize.ofMebibytes(512)).cpu(CpuLimit.ofQuota(50_000, 100_000))
                .cpuShares(256).build());
        assertThat(c.unconverted()).singleElement().asString().startsWith("limits.ephemeral-storage");
        assertThat(KubernetesResources.read(Map.of("limits", Map.of("memory", "1Gi"))).value().memory())
                .hasValue(MemorySize.ofGibibytes(1));
        // The kubelet's minimum quota of 1000 us, and its minimum of 2 shares.
        Conversion<ResourceLimits> tiny = KubernetesResources.read(Map.of("limits", Map.of("cpu", "1m"),
                "requests", Map.of("cpu", "1m")));
        assertThat(tiny.value()).isEqualTo(limits("cpu_quota=1000,cpu_period=100000,cpu_shares=2"));
        assertThat(tiny.unconverted()).singleElement().asString().startsWith("limits.cpu = '1m': below the kubelet's");
        assertThat(KubernetesResources.read(Map.of("limits", Map.of("cpu", 2, "memory", "1e9"))).value())
                .isEqualTo(limits("mem_limit=1000000000b,cpu_quota=200000,cpu_period=100000"));
    }

    @Test
    void kubernetes_badQuantities_areNamed() {
        assertThatThrownBy(() -> KubernetesResources.read(Map.of("limits", Map.of("cpu", "0.0005", "memory", "500m"))))
                .isInstanceOf(InvalidLimitsException.class)
                .hasMessageContaining("limits.cpu = '0.0005'").hasMessageContaining("whole number of millicores")
                .hasMessageContaining("limits.memory = '500m'").hasMessageContaining("whole number of bytes");
        assertThatThrownBy(() -> KubernetesResources.read(Map.of("limit", Map.of())))
                .hasMessageContaining("limit = {}: is not a key of resources");
        assertThatThrownBy(() -> KubernetesResources.read(Map.of("limits", Map.of("cpu", true))))
                .hasMessageContaining("limits.cpu = true: must be a number or a string");
    }

    @Test
    void kubernetes_write_reportsWhatAContainersResourcesCannotHold() {
        Conversion<Map<String, Object>> c = KubernetesResources.write(
                limits("mem_limit=1g,nano_cpus=2500000000,pids_limit=100,cpu_shares=1023"));
        assertThat(c.value()).isEqualTo(Map.of("limits", Map.of("cpu", "2500m", "memory", "1Gi"),
                "requests", Map.of("cpu", "1000m")));
        assertThat(c.unconverted()).hasSize(2).anySatisfy(u -> assertThat(u).startsWith("pids_limit = 100"))
                .anySatisfy(u -> assertThat(u).startsWith("cpu_shares = 1023: no CPU request gives exactly"));
    }

    @Property(tries = 1000, edgeCases = EdgeCasesMode.MIXIN)
    void kubernetes_roundTrip(@ForAll("kubernetesLimits") ResourceLimits limits) {
        Conversion<Map<String, Object>> written = KubernetesResources.write(limits);
        assertThat(written.isComplete()).as(written.unconverted().toString()).isTrue();
        assertThat(KubernetesResources.read(written.value()).value()).isEqualTo(limits);
    }

    // ------------------------------------------------------------------------------ all five

    /** The same limits in all five formats read back equal (CPU compared in cores: forms differ). */
    @Test
    void theSameLimits_inAllFiveFormats_readBackEqual() {
        ResourceLimits limits = limits("mem_limit=1g,mem_reservation=512m,nano_cpus=2500000000");
        List<ResourceLimits> readBack = List.of(
                ResourceLimits.fromDockerPy(limits.toDockerPy()),
                DockerCliFlags.read(DockerCliFlags.line(limits)).value(),
                EngineHostConfig.read(EngineHostConfig.write(limits).value()).value(),
                ComposeResources.read(ComposeResources.write(limits).value()).value(),
                KubernetesResources.read(KubernetesResources.write(limits).value()).value());
        for (ResourceLimits r : readBack) {
            assertThat(inCores(r)).isEqualTo(inCores(limits));
        }
        // Kubernetes' CPU limit comes back as the kubelet applies it: a quota per 100 ms.
        assertThat(readBack.get(4).cpu()).hasValue(CpuLimit.ofQuota(250_000, 100_000));
        assertThat(ComposeResources.write(limits).value()).isEqualTo(Map.of(
                "limits", Map.of("cpus", "2.5", "memory", "1g"), "reservations", Map.of("memory", "512m")));
    }

    private static ResourceLimits inCores(ResourceLimits r) {
        return r.cpu().map(c -> r.toBuilder().cpu(CpuLimit.ofNanoCpus(c.toNanoCpus())).build()).orElse(r);
    }

    // ------------------------------------------------------------------------------ generators

    @Provide
    Arbitrary<ResourceLimits> anyLimits() {
        return LimitsArbitraries.resourceLimits();
    }

    @Provide
    Arbitrary<ResourceLimits> composeLimits() {
        return LimitsArbitraries.resourceLimits().map(l -> {
            ResourceLimits.Builder b = ResourceLimits.builder();
            l.memory().ifPresent(b::memory);
            l.memoryReservation().ifPresent(b::memoryReservation);
            l.cpu().filter(c -> c.toNanoCpus() >= CpuLimit.MIN_NANO_CPUS)
                    .ifPresent(c -> b.cpu(CpuLimit.ofNanoCpus(c.toNanoCpus())));
            l.pidsLimit().filter(p -> !p.isUnlimited()).ifPresent(b::pidsLimit);
            return b.build();
        });
    }

    @Provide
    Arbitrary<ResourceLimits> kubernetesLimits() {
        return net.jqwik.api.Combinators.combine(
                LimitsArbitraries.resourceLimits(),
                Arbitraries.longs().between(10, 1_000_000).injectNull(0.3),
                Arbitraries.longs().between(2, 262_144 * 1000L / 1024).injectNull(0.3))
                .as((l, milli, requestMilli) -> {
                    ResourceLimits.Builder b = ResourceLimits.builder();
                    l.memory().ifPresent(b::memory);
                    l.memoryReservation().ifPresent(b::memoryReservation);
                    if (milli != null) {
                        b.cpu(CpuLimit.ofQuota(milli * 100, 100_000));
                    }
                    if (requestMilli != null) {
                        b.cpuShares((int) Math.max(2, requestMilli * 1024 / 1000));
                    }
                    return b.build();
                });
    }

    @Test
    void inCores_isExact() {
        assertThat(CpuLimit.ofQuota(250_000, 100_000).cores()).isEqualByComparingTo(new BigDecimal("2.5"));
    }

    // ------------------------------------------------------------------------------ regressions (issue 7 fuzzing)

    @Test
    void readers_reportANullMapAsAViolation_asFromDockerPyDoes() {
        // Regression: the three readers threw NullPointerException for a null top-level map.
        assertThatThrownBy(() -> EngineHostConfig.read(null)).isInstanceOf(InvalidLimitsException.class)
                .hasMessageContaining("HostConfig = null: must be a map");
        assertThatThrownBy(() -> ComposeResources.read(null)).isInstanceOf(InvalidLimitsException.class)
                .hasMessageContaining("resources = null: must be a map");
        assertThatThrownBy(() -> KubernetesResources.read(null)).isInstanceOf(InvalidLimitsException.class)
                .hasMessageContaining("resources = null: must be a map");
        assertThatThrownBy(() -> DockerCliFlags.read((String) null)).isInstanceOf(InvalidLimitsException.class)
                .hasMessageContaining("flags = null");
        assertThatThrownBy(() -> DockerCliFlags.read((List<String>) null)).isInstanceOf(InvalidLimitsException.class)
                .hasMessageContaining("flags = null");
    }

    @Test
    void readers_refuseUnicodeDigits() {
        // Regression: Long.parseLong and new BigDecimal(String) read Arabic-Indic digits as 1024 and 1.
        assertThatThrownBy(() -> DockerCliFlags.read("--cpu-shares \u0661\u0660\u0662\u0664"))
                .isInstanceOf(InvalidLimitsException.class).hasMessageContaining("--cpu-shares");
        assertThatThrownBy(() -> ComposeResources.read(Map.of("limits", Map.of("cpus", "\u0661"))))
                .isInstanceOf(InvalidLimitsException.class).hasMessageContaining("limits.cpus");
    }

    @Test
    void readers_refuseDecimalsOfABillionDigits_quickly() {
        // Regression: toPlainString() of 1E+999999999 ran out of memory (Compose cores as text or a
        // number, Kubernetes quantities as a BigDecimal) or ran for minutes.
        assertThatThrownBy(() -> ComposeResources.read(Map.of("limits", Map.of("cpus", "1e999999999"))))
                .isInstanceOf(InvalidLimitsException.class).hasMessageContaining("limits.cpus");
        assertThatThrownBy(() -> ComposeResources.read(Map.of("limits", Map.of("cpus", "1e-999999999"))))
                .isInstanceOf(InvalidLimitsException.class).hasMessageContaining("too precise");
        assertThatThrownBy(() -> KubernetesResources.read(Map.of("limits", Map.of("cpu", new BigDecimal("1E+999999999")))))
                .isInstanceOf(InvalidLimitsException.class).hasMessageContaining("limits.cpu");
        assertThatThrownBy(() -> KubernetesResources.read(Map.of("limits", Map.of("memory", new BigDecimal("1E+9999999")))))
                .isInstanceOf(InvalidLimitsException.class).hasMessageContaining("limits.memory");
        assertThatThrownBy(() -> EngineHostConfig.read(Map.of("Memory", new BigDecimal("1E+2147483647"))))
                .isInstanceOf(InvalidLimitsException.class).hasMessageContaining("Memory");
    }

    @Test
    void flags_oomKillDisableGivenTwice_isNamed() {
        // Regression: the second --oom-kill-disable silently won, where every other flag is refused twice.
        assertThatThrownBy(() -> DockerCliFlags.read("--oom-kill-disable=true --oom-kill-disable=false"))
                .isInstanceOf(InvalidLimitsException.class)
                .hasMessageContaining("--oom-kill-disable = false: is given twice");
    }
}
