package org.containerlimits.core.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.containerlimits.core.InvalidLimitsException;
import org.containerlimits.core.Limit;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.Violation;
import org.containerlimits.core.format.JupyterHubSpawner.Mapping;
import org.junit.jupiter.api.Test;

/** JupyterHub's Spawner traits: the byte grammar, the three spawners' mappings, their floats. */
class JupyterHubSpawnerTest {

    private static ResourceLimits limits(String text) {
        return ResourceLimits.parse(text);
    }

    private static long memLimitBytes(Object spec) {
        return JupyterHubSpawner.read(Map.of("mem_limit", spec)).value().memory().orElseThrow().toBytes();
    }

    private static Violation refused(Map<String, ?> traits, Mapping spawner) {
        InvalidLimitsException e = catchThrowableOfType(InvalidLimitsException.class,
                () -> JupyterHubSpawner.read(traits, spawner));
        assertThat(e).as("refused: " + traits).isNotNull();
        assertThat(e.violations()).hasSize(1);
        return e.violations().get(0);
    }

    private static Violation refused(Object memLimit) {
        return refused(Map.of("mem_limit", memLimit), Mapping.DOCKER);
    }

    // ------------------------------------------------------------------------------ the byte grammar

    @Test
    void bytes_areExact_and1024Based() {
        assertThat(memLimitBytes("1.5G")).isEqualTo(1_610_612_736L);
        assertThat(memLimitBytes("6144K")).isEqualTo(6L << 20);
        assertThat(memLimitBytes("6M")).isEqualTo(6L << 20);
        assertThat(memLimitBytes("2G")).isEqualTo(2L << 30);
        assertThat(memLimitBytes("0.5T")).isEqualTo(1L << 39);
        assertThat(memLimitBytes(".5G")).isEqualTo(1L << 29);
        assertThat(memLimitBytes("1.G")).isEqualTo(1L << 30);
        assertThat(memLimitBytes("+1.5e3M")).isEqualTo(1500L << 20);
        assertThat(memLimitBytes(" 1_536 M")).isEqualTo(1536L << 20);   // Python's float(" 1_536 ")
        assertThat(memLimitBytes(1_610_612_736)).isEqualTo(1_610_612_736L);
        assertThat(memLimitBytes(1.5e9)).isEqualTo(1_500_000_000L);
        assertThat(memLimitBytes(new BigDecimal("1.5E9"))).isEqualTo(1_500_000_000L);
        assertThat(JupyterHubSpawner.read(Map.of("mem_limit", "1.5G")).isComplete()).isTrue();
    }

    @Test
    void aFractionOfAByte_isDropped_andSaidSo() {
        Conversion<ResourceLimits> c = JupyterHubSpawner.read(Map.of("mem_limit", "6144.0001K"));
        assertThat(c.value().memory().orElseThrow().toBytes()).isEqualTo(6_291_456L);
        assertThat(c.unconverted()).containsExactly("mem_limit = '6144.0001K': is 6291456.1024 bytes; a size is"
                + " whole bytes: 6291456, the fraction dropped as JupyterHub's int() drops it");
        Conversion<ResourceLimits> number = JupyterHubSpawner.read(Map.of("mem_limit", 1_610_612_736.7));
        assertThat(number.value().memory().orElseThrow().toBytes()).isEqualTo(1_610_612_736L);
        assertThat(number.unconverted()).singleElement().asString().contains("is 1610612736.7 bytes");
    }

    @Test
    void jupyterHubsFloat_isNamedWhereItDiffersFromTheExactSize() {
        // int(float('8589934591.9999999999') * 1024) is 8796093022208; exactly it is 8796093022207.9999998976.
        Conversion<ResourceLimits> c = JupyterHubSpawner.read(Map.of("mem_limit", "8589934591.9999999999K"));
        assertThat(c.value().memory().orElseThrow().toBytes()).isEqualTo(8_796_093_022_207L);
        assertThat(c.unconverted()).contains("mem_limit = '8589934591.9999999999K': JupyterHub computes"
                + " int(float('8589934591.9999999999') * 1024) in floating point, 8796093022208 bytes; the exact"
                + " value, applied here, is 8796093022207 bytes");
    }

    @Test
    void badByteSpecifications_areNamed_withTheRule() {
        String rule = "is not a JupyterHub byte specification: a number of bytes, or a string of a number and the"
                + " suffix K, M, G or T (1024-based), such as '1.5G'";
        assertThat(refused("1g")).isEqualTo(new Violation("mem_limit", "'1g'", rule + "; the suffix is upper case"));
        assertThat(refused("1073741824")).isEqualTo(new Violation("mem_limit", "'1073741824'",
                rule + "; a string needs a suffix: give a plain number of bytes as a number"));
        assertThat(refused("1GiB").rule()).isEqualTo(rule + "; no 'B' or 'iB' after it");
        for (String bad : List.of("", "G", "1.5.5G", "1__0G", "_1G", "1_G", "infG", "nanG", "1e400000000000G",
                "0x10G", "\u0661G", "1.5 G ", ". G", "1e G")) {
            assertThat(refused(bad)).as(bad).isEqualTo(new Violation("mem_limit", "'" + bad + "'", rule));
        }
        assertThat(refused("-1G")).isEqualTo(new Violation("mem_limit", "'-1G'", "must not be negative"));
        assertThat(refused("1e30T").rule()).isEqualTo("must be at most 9223372036854775807 bytes");
        assertThat(refused(Double.NaN).rule()).isEqualTo("must be a finite number of bytes");
        assertThat(refused(true).rule()).isEqualTo("must be a number of bytes or a string such as '1.5G', not a boolean");
        assertThat(refused(List.of("1G")).rule()).endsWith("not a list");
        // The model's own rules, named by the trait.
        assertThat(refused("1M")).isEqualTo(new Violation("mem_limit", "'1M'", "as DockerSpawner's mem_limit 1m:"
                + " must be at least 6m (6291456 bytes), the Docker daemon's minimum memory limit"));
    }

    @Test
    void badCores_areNamed() {
        assertThat(refused(Map.of("cpu_limit", "half"), Mapping.DOCKER))
                .isEqualTo(new Violation("cpu_limit", "'half'", "must be a number of cores, such as 0.5 or '0.5'"));
        assertThat(refused(Map.of("cpu_limit", -1), Mapping.SWARM))
                .isEqualTo(new Violation("cpu_limit", "-1", "must not be negative"));
        assertThat(refused(Map.of("cpu_guarantee", Double.POSITIVE_INFINITY), Mapping.KUBE).rule())
                .isEqualTo("must be a finite number of cores");
        assertThat(refused(Map.of("cpu_limit", false), Mapping.DOCKER).rule())
                .isEqualTo("must be a number of cores, such as 0.5, not a boolean");
        assertThat(refused(Map.of("cpu_limit", "1e99"), Mapping.DOCKER).rule()).isEqualTo("is too large for a CPU limit");
    }

    // ------------------------------------------------------------------------------ DockerSpawner

    @Test
    void dockerSpawner_quotaOverTheDefaultPeriod_memoryAsIs() {
        Conversion<ResourceLimits> c = JupyterHubSpawner.read(Map.of("mem_limit", "1G", "cpu_limit", 2.5));
        assertThat(c.value()).isEqualTo(limits("mem_limit=1g,cpu_quota=250000,cpu_period=100000"));
        assertThat(c.isComplete()).isTrue();
        assertThat(JupyterHubSpawner.read(Map.of("cpu_limit", 2))).isEqualTo(new Conversion<>(
                limits("cpu_quota=200000,cpu_period=100000"), List.of()));
    }

    @Test
    void dockerSpawner_029Cores_isAQuotaOf29000_andItsFloat28999IsNamed() {
        String note = "cpu_limit = 0.29: DockerSpawner computes int(0.29 * 100000) in floating point, a cpu_quota"
                + " of 28999 us; the exact value, applied here, is 29000 us per 100000 us period";
        for (Object cores : List.of(0.29, new BigDecimal("0.29"))) {
            Conversion<ResourceLimits> c = JupyterHubSpawner.read(Map.of("cpu_limit", cores));
            assertThat(c.value()).isEqualTo(limits("cpu_quota=29000,cpu_period=100000"));
            assertThat(c.unconverted()).containsExactly(note);
        }
        assertThat(JupyterHubSpawner.read(Map.of("cpu_limit", "0.29")).unconverted())
                .containsExactly(note.replace("0.29:", "'0.29':"));
        // Where the float is right, nothing is said.
        assertThat(JupyterHubSpawner.read(Map.of("cpu_limit", 0.14)).unconverted()).isEmpty();
    }

    @Test
    void dockerSpawner_extraHostConfig_givesThePeriod_andWinsOverTheTraits() {
        Map<String, Object> traits = new LinkedHashMap<>();
        traits.put("cpu_limit", 0.5);
        traits.put("extra_host_config", Map.of("cpu_period", 50_000));
        assertThat(JupyterHubSpawner.read(traits).value()).isEqualTo(limits("cpu_quota=25000,cpu_period=50000"));

        Conversion<ResourceLimits> overridden = JupyterHubSpawner.read(Map.of("mem_limit", "2G",
                "extra_host_config", Map.of("mem_limit", "1g", "memswap_limit", "2g")));
        assertThat(overridden.value()).isEqualTo(limits("mem_limit=1g,memswap_limit=2g"));
        assertThat(overridden.unconverted()).containsExactly("mem_limit = '2G': overridden by"
                + " extra_host_config.mem_limit = '1g', as DockerSpawner merges extra_host_config over the traits");

        // The origin document's configuration, as is.
        assertThat(JupyterHubSpawner.read(Map.of("extra_host_config", Map.of("cpu_period", 100000, "cpu_quota", 250000)))
                .value()).isEqualTo(limits("cpu_quota=250000,cpu_period=100000"));

        InvalidLimitsException e = catchThrowableOfType(InvalidLimitsException.class, () -> JupyterHubSpawner.read(
                Map.of("cpu_limit", 0.5, "extra_host_config", Map.of("cpu_period", "fast", "privileged", true))));
        assertThat(e.violations()).extracting(Violation::field, Violation::value).containsExactlyInAnyOrder(
                tuple("extra_host_config.cpu_period", "'fast'"), tuple("extra_host_config.privileged", "true"));
    }

    @Test
    void dockerSpawner_guarantees_areOnlyEnvironmentVariables_reported() {
        Conversion<ResourceLimits> c = JupyterHubSpawner.read(Map.of("mem_limit", "1G", "mem_guarantee", "512M",
                "cpu_guarantee", 0.5));
        assertThat(c.value()).isEqualTo(limits("mem_limit=1g"));
        assertThat(c.unconverted()).containsExactly(
                "mem_guarantee = '512M': DockerSpawner gives it to the notebook only as the environment variable"
                        + " MEM_GUARANTEE; no container setting holds it",
                "cpu_guarantee = 0.5: DockerSpawner gives it to the notebook only as the environment variable"
                        + " CPU_GUARANTEE; no container setting holds it");
    }

    @Test
    void dockerSpawner_aQuotaUnderTheKernelsMinimum_isNamedByTheTrait() {
        assertThat(refused(Map.of("cpu_limit", 0.001), Mapping.DOCKER)).isEqualTo(new Violation("cpu_limit", "0.001",
                "as DockerSpawner's cpu_quota 100: must be at least 1000 us (1 ms), the kernel's minimum CFS quota"));
    }

    @Test
    void zeroAndNone_setNothing_zeroIsSaid() {
        Map<String, Object> traits = new HashMap<>();
        traits.put("mem_limit", null);
        traits.put("cpu_limit", 0);
        Conversion<ResourceLimits> c = JupyterHubSpawner.read(traits);
        assertThat(c.value()).isEqualTo(ResourceLimits.none());
        assertThat(c.unconverted()).containsExactly("cpu_limit = 0: DockerSpawner treats 0 as not set, as it treats None");
    }

    // ------------------------------------------------------------------------------ SwarmSpawner

    @Test
    void swarmSpawner_201Cores_isExact_andItsFloat2009999999IsNamed() {
        Conversion<ResourceLimits> c = JupyterHubSpawner.read(Map.of("cpu_limit", "2.01"), Mapping.SWARM);
        assertThat(c.value()).isEqualTo(limits("nano_cpus=2010000000"));
        assertThat(c.unconverted()).containsExactly("cpu_limit = '2.01': SwarmSpawner computes int(2.01 * 1e9) in"
                + " floating point, NanoCPUs of 2009999999; the exact value, applied here, is NanoCPUs of 2010000000");
        assertThat(JupyterHubSpawner.read(Map.of("cpu_limit", 0.5), Mapping.SWARM).isComplete()).isTrue();
    }

    @Test
    void swarmSpawner_memoryLimitAndReservation_cpuReservationReported() {
        Conversion<ResourceLimits> c = JupyterHubSpawner.read(Map.of("mem_limit", "1G", "mem_guarantee", "512M",
                "cpu_guarantee", 2.01), Mapping.SWARM);
        assertThat(c.value()).isEqualTo(limits("mem_limit=1g,mem_reservation=512m"));
        assertThat(c.unconverted()).containsExactly(
                "mem_guarantee = '512M': SwarmSpawner makes it the service's memory reservation, which swarm"
                        + " schedules by and does not set on the container; read as mem_reservation, the"
                        + " container's soft limit",
                "cpu_guarantee = 2.01: SwarmSpawner computes int(2.01 * 1e9) in floating point, NanoCPUs of"
                        + " 2009999999; the exact value, applied here, is NanoCPUs of 2010000000",
                "cpu_guarantee = 2.01: SwarmSpawner makes it the service's CPU reservation (NanoCPUs 2010000000),"
                        + " which swarm schedules by; this library's limits have no CPU reservation");
        assertThat(refused(Map.of("extra_host_config", Map.of("cpu_period", 50000)), Mapping.SWARM))
                .isEqualTo(new Violation("extra_host_config", "{cpu_period=50000}",
                        "is read by DockerSpawner only; SwarmSpawner does not read it"));
    }

    // ------------------------------------------------------------------------------ KubeSpawner

    @Test
    void kubeSpawner_limitsAndRequests_asTheKubeletAppliesThem() {
        Conversion<ResourceLimits> c = JupyterHubSpawner.read(Map.of("cpu_limit", 0.5, "cpu_guarantee", 0.25,
                "mem_limit", "1G", "mem_guarantee", "512M"), Mapping.KUBE);
        assertThat(c.value()).isEqualTo(KubernetesResources.read(Map.of(
                "limits", Map.of("cpu", "0.5", "memory", "1Gi"),
                "requests", Map.of("cpu", "0.25", "memory", "512Mi"))).value());
        assertThat(c.value()).isEqualTo(limits("mem_limit=1g,mem_reservation=512m,cpu_quota=50000,"
                + "cpu_period=100000,cpu_shares=256"));
        assertThat(c.isComplete()).isTrue();
        // KubeSpawner sends 0.29 as JSON, exactly: no float to report.
        Conversion<ResourceLimits> exact = JupyterHubSpawner.read(Map.of("cpu_limit", 0.29), Mapping.KUBE);
        assertThat(exact.value()).isEqualTo(limits("cpu_quota=29000,cpu_period=100000"));
        assertThat(exact.isComplete()).isTrue();
        assertThat(refused(Map.of("cpu_limit", 0.0005), Mapping.KUBE)).satisfies(v -> {
            assertThat(v.field()).isEqualTo("cpu_limit");
            assertThat(v.value()).isEqualTo("5.0E-4");
            assertThat(v.rule()).startsWith("as KubeSpawner's limits.cpu '0.0005': ");
        });
    }

    // ------------------------------------------------------------------------------ keys

    @Test
    void unknownKeysAndNull_areRefusedByName() {
        assertThat(refused(Map.of("cpu_quota", 50000), Mapping.DOCKER)).isEqualTo(new Violation("cpu_quota", "50000",
                "is not a JupyterHub Spawner resource trait; expected mem_limit, mem_guarantee, cpu_limit,"
                        + " cpu_guarantee or extra_host_config (DockerSpawner); cpu_quota is a docker-py keyword:"
                        + " give it in extra_host_config with DockerSpawner, or read it with"
                        + " ResourceLimits.fromDockerPy(...)"));
        assertThat(refused(Map.of("privileged", true), Mapping.KUBE).rule())
                .endsWith("or extra_host_config (DockerSpawner)");
        InvalidLimitsException nullMap = catchThrowableOfType(InvalidLimitsException.class,
                () -> JupyterHubSpawner.read(null));
        assertThat(nullMap.violations()).containsExactly(new Violation("traits", "null",
                "must be a map (empty for no limits)"));
    }

    @Test
    void everyProblem_atOnce() {
        InvalidLimitsException e = catchThrowableOfType(InvalidLimitsException.class, () -> JupyterHubSpawner.read(
                Map.of("mem_limit", "1g", "cpu_limit", "x", "mem_guarantee", "1GB", "binds", "/:/host")));
        assertThat(e.violations()).extracting(Violation::field)
                .containsExactlyInAnyOrder("mem_limit", "cpu_limit", "mem_guarantee", "binds");
    }

    // ------------------------------------------------------------------------------ fromDockerPy's hint

    @Test
    void fromDockerPy_pointsSpawnerTraitsToThisReader() {
        for (String trait : JupyterHubSpawner.TRAITS) {
            if (Limit.ofKeyword(trait).isPresent()) {
                continue;   // mem_limit is docker-py's too
            }
            InvalidLimitsException e = catchThrowableOfType(InvalidLimitsException.class,
                    () -> ResourceLimits.fromDockerPy(Map.of(trait, 0.5)));
            assertThat(e.violations()).singleElement().satisfies(v -> {
                assertThat(v.field()).isEqualTo(trait);
                assertThat(v.rule()).isEqualTo("is not a resource limit; " + trait + " is a JupyterHub Spawner trait:"
                        + " read it with JupyterHubSpawner.read(...); accepted keys are "
                        + String.join(", ", Limit.keywords()));
            });
        }
        assertThat(catchThrowableOfType(InvalidLimitsException.class,
                () -> ResourceLimits.fromDockerPy(Map.of("cpu_limit", 0.5))))
                .hasMessageContaining("cpu_limit = 0.5: is not a resource limit; cpu_limit is a JupyterHub Spawner"
                        + " trait: read it with JupyterHubSpawner.read(...)");
        assertThat(catchThrowableOfType(InvalidLimitsException.class, () -> ResourceLimits.parse("cpu_guarantee=1")))
                .hasMessageContaining("cpu_guarantee is a JupyterHub Spawner trait");
        assertThat(catchThrowableOfType(InvalidLimitsException.class,
                () -> ResourceLimits.fromDockerPy(Map.of("privileged", true))))
                .hasMessageNotContaining("JupyterHub");
    }
}
