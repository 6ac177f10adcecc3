package org.containerlimits.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link ResourceLimits#fromDockerPy(Map)} and {@link ResourceLimits#toDockerPy()}. */
class DockerPyKeywordsTest {

    // ------------------------------------------------------------------ the origin document

    /**
     * The values of the origin document (a JupyterHub DockerSpawner's extra_host_config), each with
     * its exact canonical map and text form.
     */
    static Stream<Arguments> originDocument() {
        return Stream.of(
                Arguments.of(Map.of("mem_limit", "1g"),
                        Map.of("mem_limit", 1_073_741_824L), "mem_limit=1g"),
                Arguments.of(Map.of("cpu_period", 100_000, "cpu_quota", 250_000),
                        Map.of("cpu_quota", 250_000L, "cpu_period", 100_000L), "cpu_quota=250000,cpu_period=100000"),
                Arguments.of(Map.of("cpu_shares", 512),
                        Map.of("cpu_shares", 512L), "cpu_shares=512"),
                Arguments.of(Map.of("cpuset_cpus", "0-3,5"),
                        Map.of("cpuset_cpus", "0-3,5"), "cpuset_cpus=0-3,5"),
                Arguments.of(Map.of("mem_swappiness", 0),
                        Map.of("mem_swappiness", 0L), "mem_swappiness=0"),
                Arguments.of(Map.of("memswap_limit", "2g", "mem_limit", "1g"),
                        Map.of("mem_limit", 1_073_741_824L, "memswap_limit", 2_147_483_648L),
                        "mem_limit=1g,memswap_limit=2g"));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("originDocument")
    void fromDockerPy_roundTripsTheOriginDocument(Map<String, Object> keywords, Map<String, Object> canonical,
            String text) {
        ResourceLimits limits = ResourceLimits.fromDockerPy(keywords);
        assertThat(limits.toDockerPy()).containsExactlyInAnyOrderEntriesOf(canonical);
        assertThat(limits).hasToString(text);
        assertThat(ResourceLimits.fromDockerPy(limits.toDockerPy())).isEqualTo(limits);
        assertThat(ResourceLimits.parse(text)).isEqualTo(limits);
        assertThat(ResourceLimits.parse(text).toDockerPy()).isEqualTo(limits.toDockerPy());
    }

    @Test
    void fromDockerPy_readsOriginValuesIntoTypedFields() {
        assertThat(ResourceLimits.fromDockerPy(Map.of("mem_limit", "1g")).memory())
                .contains(MemorySize.ofBytes(1_073_741_824L));
        CpuLimit cpu = ResourceLimits.fromDockerPy(Map.of("cpu_period", 100_000, "cpu_quota", 250_000)).cpu()
                .orElseThrow();
        assertThat(cpu.cores()).isEqualByComparingTo("2.5");
        assertThat(cpu.toNanoCpus()).isEqualTo(2_500_000_000L);
        assertThat(cpu.compareTo(CpuLimit.parse("2.5"))).isZero();
        assertThat(ResourceLimits.fromDockerPy(Map.of("cpu_shares", 512)).cpuShares()).hasValue(512);
        assertThat(ResourceLimits.fromDockerPy(Map.of("cpuset_cpus", "0-3,5")).cpusetCpus().orElseThrow().size())
                .isEqualTo(5);
        assertThat(ResourceLimits.fromDockerPy(Map.of("mem_swappiness", 0)).memorySwappiness()).hasValue(0);
        ResourceLimits swap = ResourceLimits.fromDockerPy(Map.of("memswap_limit", "2g", "mem_limit", "1g"));
        assertThat(swap.memorySwap()).contains(SwapLimit.of(MemorySize.ofGibibytes(2)));
        assertThat(swap.memory()).contains(MemorySize.ofGibibytes(1));
    }

    @Test
    void toDockerPy_writesTheWholeOriginDocumentInCanonicalOrder() {
        Map<String, Object> keywords = new LinkedHashMap<>();
        keywords.put("cpuset_cpus", "0-3,5");
        keywords.put("cpu_shares", 512);
        keywords.put("mem_swappiness", 0);
        keywords.put("cpu_period", 100_000);
        keywords.put("cpu_quota", 250_000);
        keywords.put("memswap_limit", "2g");
        keywords.put("mem_limit", "1g");
        Map<String, Object> canonical = ResourceLimits.fromDockerPy(keywords).toDockerPy();
        assertThat(canonical).containsExactly(
                entry("mem_limit", 1_073_741_824L),
                entry("memswap_limit", 2_147_483_648L),
                entry("mem_swappiness", 0L),
                entry("cpu_quota", 250_000L),
                entry("cpu_period", 100_000L),
                entry("cpu_shares", 512L),
                entry("cpuset_cpus", "0-3,5"));
        assertThatThrownBy(() -> canonical.put("privileged", true)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void toDockerPy_writesEveryFieldWithItsType() {
        assertThat(ResourceLimitsTest.full().toDockerPy()).containsExactly(
                entry("mem_limit", 1_073_741_824L),
                entry("mem_reservation", 536_870_912L),
                entry("memswap_limit", 2_147_483_648L),
                entry("mem_swappiness", 0L),
                entry("cpu_quota", 250_000L),
                entry("cpu_period", 100_000L),
                entry("cpu_shares", 512L),
                entry("cpuset_cpus", "0-3,5"),
                entry("cpuset_mems", "0"),
                entry("pids_limit", 100L),
                entry("blkio_weight", 500L),
                entry("oom_kill_disable", false),
                entry("shm_size", 67_108_864L));
        assertThat(ResourceLimits.fromDockerPy(ResourceLimitsTest.full().toDockerPy()))
                .isEqualTo(ResourceLimitsTest.full());
        assertThat(ResourceLimits.builder().cpu(CpuLimit.parse("2.5")).memorySwap(SwapLimit.UNLIMITED)
                .pidsLimit(PidsLimit.UNLIMITED).build().toDockerPy()).containsExactly(
                entry("memswap_limit", -1L), entry("nano_cpus", 2_500_000_000L), entry("pids_limit", -1L));
    }

    // ------------------------------------------------------------------ value types

    @Test
    void fromDockerPy_acceptsEveryIntegralNumberType() {
        for (Object bytes : List.of(1_073_741_824, 1_073_741_824L, BigInteger.valueOf(1_073_741_824L),
                new BigDecimal("1073741824"), new BigDecimal("1.073741824E+9"), 1_073_741_824.0, 1_073_741_824.0f,
                new AtomicLong(1_073_741_824L))) {
            assertThat(ResourceLimits.fromDockerPy(Map.of("mem_limit", bytes)).memory())
                    .as("%s (%s)", bytes, bytes.getClass().getSimpleName())
                    .contains(MemorySize.ofGibibytes(1));
        }
        assertThat(ResourceLimits.fromDockerPy(Map.of("cpu_shares", (short) 512)).cpuShares()).hasValue(512);
        assertThat(ResourceLimits.fromDockerPy(Map.of("mem_swappiness", (byte) 10)).memorySwappiness()).hasValue(10);
    }

    @Test
    void fromDockerPy_acceptsWholeFloatsForSizes() {
        // docker-py api_container_test test_create_container_with_mem_limit_as_int passes
        // mem_limit=128.0; the float reaches the size check (128 bytes is below the daemon's minimum).
        InvalidLimitsException e = catchThrowableOfType(InvalidLimitsException.class,
                () -> ResourceLimits.fromDockerPy(Map.of("mem_limit", 128.0)));
        assertThat(e.violations()).extracting(Violation::field, Violation::value)
                .containsExactly(tuple("mem_limit", "128b"));
        assertThat(ResourceLimits.fromDockerPy(Map.of("mem_limit", 134_217_728.0)).memory())
                .contains(MemorySize.parse("128m"));
    }

    @Test
    void fromDockerPy_acceptsWholeFloatsForIntegers() {
        // Deliberate difference: docker-py dockertypes_test test_create_host_config_invalid_cpu_cfs_types
        // raises TypeError for cpu_period=1999.0; a whole float is an exact integer here, and a JSON
        // or YAML reader in Java may well hand us a Double.
        assertThat(ResourceLimits.fromDockerPy(Map.of("cpu_quota", 1999.0, "cpu_period", 100_000.0)).cpu())
                .contains(CpuLimit.ofQuota(1999, 100_000));
    }

    @Test
    void fromDockerPy_readsIntegersByTheOneRule_numbersOrDigitStrings() {
        // docker-py raises TypeError for cpu_quota='0' (dockertypes_test
        // test_create_host_config_invalid_cpu_cfs_types); a YAML or JSON config quotes numbers, so
        // here a string of digits is the number it spells, in every format (WholeNumber).
        assertThat(ResourceLimits.fromDockerPy(Map.of("cpu_quota", "50000", "cpu_period", "+100000")).cpu())
                .contains(CpuLimit.ofQuota(50_000, 100_000));
        assertThat(ResourceLimits.fromDockerPy(Map.of("nano_cpus", "500000000", "oom_score_adj", "-500")).toString())
                .isEqualTo("nano_cpus=500000000,oom_score_adj=-500");
        assertRejected(Map.of("cpu_quota", "0"), "cpu_quota", "0", "must be at least 1000");
        for (String bad : List.of("5.0", " 5", "5 ", "1e3", "0x10", "", "-", "+", "\u0665", "5_000", "--5")) {
            assertRejected(Map.of("cpu_shares", bad), "cpu_shares", "\"" + bad + "\"", WholeNumber.RULE);
        }
        assertRejected(Map.of("cpu_quota", 23.11), "cpu_quota", "23.11", WholeNumber.RULE);
        assertRejected(Map.of("cpu_shares", true), "cpu_shares", "true", "must be an integer, not a Boolean");
        assertRejected(Map.of("cpu_shares", Double.NaN), "cpu_shares", "NaN", WholeNumber.RULE);
        assertRejected(Map.of("cpu_shares", "9".repeat(100_000)), "cpu_shares", "\"" + "9".repeat(100_000) + "\"",
                "must be at most 9223372036854775807");
        assertRejected(Map.of("cpu_shares", 1L << 40), "cpu_shares", "1099511627776", "must be between");
        assertRejected(Map.of("nano_cpus", new BigInteger("9223372036854775808")), "nano_cpus",
                "9223372036854775808", "must be at most 9223372036854775807");
    }

    @Test
    void fromDockerPy_rejectsBadSizes() {
        // docker-py api_container_test test_create_container_with_mem_limit_as_string_with_wrong_value.
        assertRejected(Map.of("mem_limit", "1f28"), "mem_limit", "\"1f28\"", "unexpected 'f' at index 1");
        assertRejected(Map.of("mem_limit", 1.5), "mem_limit", "1.5", "must be a whole number of bytes");
        assertRejected(Map.of("mem_limit", -1), "mem_limit", "-1", "must not be negative");
        assertRejected(Map.of("mem_limit", List.of("1g")), "mem_limit", "[1g]",
                "must be a number of bytes or a string such as '1g', not a");
        assertRejected(Map.of("shm_size", new BigInteger("9223372036854775808")), "shm_size",
                "9223372036854775808", "must be at most 9223372036854775807 bytes");
        // Deliberate difference: docker-py's parse_bytes refuses '128p'; the docker CLI accepts it.
        assertThat(ResourceLimits.fromDockerPy(Map.of("mem_limit", "128p")).memory())
                .contains(MemorySize.parse("131072t"));
    }

    @Test
    void fromDockerPy_readsHugeDecimalsQuickly() {
        // Regression: BigDecimal 1E+100000000 went through toBigIntegerExact(), minutes of work.
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertRejected(Map.of("mem_limit", new BigDecimal("1E+100000000")), "mem_limit", "1E+100000000",
                    "must be at most 9223372036854775807 bytes");
            assertRejected(Map.of("mem_limit", new BigDecimal("-1E+100000000")), "mem_limit", "-1E+100000000",
                    "must not be negative");
            assertRejected(Map.of("cpu_shares", new BigDecimal("1E+100000000")), "cpu_shares", "1E+100000000",
                    "must be at most 9223372036854775807");
        });
    }

    @Test
    void fromDockerPy_treatsNullAsNotSet() {
        Map<String, Object> keywords = new HashMap<>();
        keywords.put("mem_limit", null);
        keywords.put("cpu_quota", null);
        keywords.put("oom_kill_disable", null);
        assertThat(ResourceLimits.fromDockerPy(keywords)).isEqualTo(ResourceLimits.none());
        assertThat(ResourceLimits.fromDockerPy(Map.of())).isEqualTo(ResourceLimits.none());
    }

    @Test
    void fromDockerPy_rejectsANullMap() {
        assertRejected(null, "keywords", "null", "must be a map (empty for no limits)");
    }

    @Test
    void fromDockerPy_readsOtherKeys() {
        ResourceLimits limits = ResourceLimits.fromDockerPy(Map.of("mem_reservation", "512m", "shm_size", "64m",
                "cpuset_mems", 0, "pids_limit", 32, "blkio_weight", 500, "oom_kill_disable", true,
                "nano_cpus", 2_500_000_000L));
        assertThat(limits.memoryReservation()).contains(MemorySize.parse("512m"));
        assertThat(limits.shmSize()).contains(MemorySize.parse("64m"));
        assertThat(limits.cpusetMems()).contains(CpuSet.of(0));
        assertThat(limits.pidsLimit()).contains(PidsLimit.of(32));
        assertThat(limits.blkioWeight()).hasValue(500);
        assertThat(limits.oomKillDisable()).contains(true);
        assertThat(limits.cpu()).contains(CpuLimit.parse("2.5"));
        assertRejected(Map.of("oom_kill_disable", "true"), "oom_kill_disable", "\"true\"", "must be a boolean");
        assertRejected(Map.of("cpuset_cpus", 1.0), "cpuset_cpus", "1.0", "must be a string such as '0-3,5'");
        assertRejected(Map.of("cpuset_cpus", "3-1"), "cpuset_cpus", "\"3-1\"", "unexpected '1' at index 2");
        assertRejected(Map.of("cpuset_mems", -1), "cpuset_mems", "\"-1\"", "unexpected '-' at index 0");
    }

    // ------------------------------------------------------------------ CPU keys

    @Test
    void fromDockerPy_givesCpuQuotaAloneThePeriod100000() {
        ResourceLimits limits = ResourceLimits.fromDockerPy(Map.of("cpu_quota", 50_000));
        assertThat(limits.cpu()).contains(CpuLimit.ofQuota(50_000, 100_000));
        assertThat(limits.toDockerPy()).containsExactly(entry("cpu_quota", 50_000L), entry("cpu_period", 100_000L));
    }

    @Test
    void fromDockerPy_rejectsNanoCpusWithCpuQuota() {
        assertRejected(Map.of("nano_cpus", 2_500_000_000L, "cpu_quota", 250_000), "nano_cpus", "2500000000",
                "cannot be combined with cpu_quota or cpu_period");
    }

    @Test
    void fromDockerPy_rejectsNanoCpusWithCpuPeriod() {
        assertRejected(Map.of("nano_cpus", 2_500_000_000L, "cpu_period", 100_000), "nano_cpus", "2500000000",
                "cannot be combined with cpu_quota or cpu_period");
    }

    @Test
    void fromDockerPy_rejectsCpuPeriodWithoutCpuQuota() {
        assertRejected(Map.of("cpu_period", 100_000), "cpu_period", "100000", "has no effect without cpu_quota");
    }

    @Test
    void fromDockerPy_enforcesNanoCpusOfAtLeastOneHundredthOfACore() {
        assertThat(ResourceLimits.fromDockerPy(Map.of("nano_cpus", 10_000_000)).cpu())
                .contains(CpuLimit.ofNanoCpus(10_000_000));
        assertRejected(Map.of("nano_cpus", 9_999_999), "nano_cpus", "9999999", "must be at least 0.01 core");
        // docker-py dockertypes_test test_create_host_config_with_nano_cpus sends nano_cpus=1000;
        // the daemon would turn it into a 100 us quota, which the kernel refuses.
        assertRejected(Map.of("nano_cpus", 1000), "nano_cpus", "1000", "must be at least 0.01 core");
    }

    @Test
    void fromDockerPy_enforcesCpuQuotaOfAtLeast1000() {
        assertThat(ResourceLimits.fromDockerPy(Map.of("cpu_quota", 1000)).cpu()).contains(CpuLimit.ofQuota(1000, 100_000));
        // docker-py dockertypes_test test_create_host_config_with_cpu_quota: cpu_quota=1999 is fine.
        assertThat(ResourceLimits.fromDockerPy(Map.of("cpu_quota", 1999)).cpu()).contains(CpuLimit.ofQuota(1999, 100_000));
        assertRejected(Map.of("cpu_quota", 999), "cpu_quota", "999", "must be at least 1000 us");
        assertRejected(Map.of("cpu_quota", -1), "cpu_quota", "-1", "must be at least 1000 us; -1 is Docker's 'no limit'");
    }

    @Test
    void fromDockerPy_enforcesCpuPeriodBetween1000And1000000() {
        assertThat(ResourceLimits.fromDockerPy(Map.of("cpu_quota", 1000, "cpu_period", 1000)).cpu())
                .contains(CpuLimit.ofQuota(1000, 1000));
        assertThat(ResourceLimits.fromDockerPy(Map.of("cpu_quota", 1000, "cpu_period", 1_000_000)).cpu())
                .contains(CpuLimit.ofQuota(1000, 1_000_000));
        assertRejected(Map.of("cpu_quota", 1000, "cpu_period", 999), "cpu_period", "999", "must be between 1000 us");
        // docker-py dockertypes_test test_create_host_config_with_cpu_period: cpu_period=1999 is fine.
        assertThat(ResourceLimits.fromDockerPy(Map.of("cpu_quota", 1999, "cpu_period", 1999)).cpu())
                .contains(CpuLimit.ofQuota(1999, 1999));
        assertRejected(Map.of("cpu_quota", 1000, "cpu_period", 1_000_001), "cpu_period", "1000001",
                "must be between 1000 us");
    }

    // ------------------------------------------------------------------ memory+swap and pids

    @Test
    void fromDockerPy_acceptsUnlimitedSwapWithoutMemory() {
        for (Object unlimited : List.of(-1, -1L, "-1", "unlimited", BigInteger.ONE.negate(), -1.0)) {
            assertThat(ResourceLimits.fromDockerPy(Map.of("memswap_limit", unlimited)).memorySwap())
                    .as("%s", unlimited).contains(SwapLimit.UNLIMITED);
        }
    }

    @Test
    void fromDockerPy_rejectsSwapWithoutMemory() {
        assertRejected(Map.of("memswap_limit", "2g"), "memswap_limit", "2g", "needs mem_limit");
    }

    @Test
    void fromDockerPy_rejectsSwapBelowMemory() {
        assertThat(ResourceLimits.fromDockerPy(Map.of("mem_limit", "1g", "memswap_limit", 1_073_741_824L)).memorySwap())
                .contains(SwapLimit.parse("1g"));
        assertRejected(Map.of("mem_limit", "1g", "memswap_limit", 1_073_741_823L), "memswap_limit", "1073741823b",
                "must be at least mem_limit (1g)");
    }

    @Test
    void fromDockerPy_rejectsZeroAndOtherNegativeSwap() {
        assertRejected(Map.of("mem_limit", "1g", "memswap_limit", 0), "memswap_limit", "0",
                "must be a size of at least mem_limit, or -1 for unlimited");
        assertRejected(Map.of("mem_limit", "1g", "memswap_limit", "0"), "memswap_limit", "\"0\"",
                "must be a size of at least mem_limit, or -1 for unlimited");
        assertRejected(Map.of("mem_limit", "1g", "memswap_limit", -2), "memswap_limit", "-2",
                "must be a size, or -1 for unlimited");
        assertRejected(Map.of("mem_limit", "1g", "memswap_limit", 2.5), "memswap_limit", "2.5",
                "must be a whole number of bytes");
    }

    @Test
    void fromDockerPy_readsPidsLimitWithMinusOneAsUnlimited() {
        assertThat(ResourceLimits.fromDockerPy(Map.of("pids_limit", -1)).pidsLimit()).contains(PidsLimit.UNLIMITED);
        assertThat(ResourceLimits.fromDockerPy(Map.of("pids_limit", "unlimited")).pidsLimit())
                .contains(PidsLimit.UNLIMITED);
        assertThat(ResourceLimits.fromDockerPy(Map.of("pids_limit", 1)).pidsLimit()).contains(PidsLimit.of(1));
        assertRejected(Map.of("pids_limit", 0), "pids_limit", "0", "must be at least 1, or -1 for unlimited");
        assertRejected(Map.of("pids_limit", -2), "pids_limit", "-2", "must be at least 1, or -1 for unlimited");
        assertRejected(Map.of("pids_limit", "0"), "pids_limit", "\"0\"", "must be at least 1, or -1 for unlimited");
    }

    @Test
    void fromDockerPy_appliesTheBuilderRules() {
        assertRejected(Map.of("mem_limit", 6_291_455), "mem_limit", "6291455b", "must be at least 6m");
        assertThat(ResourceLimits.fromDockerPy(Map.of("mem_limit", 6_291_456)).memory())
                .contains(ResourceLimits.MIN_MEMORY);
        assertRejected(Map.of("mem_limit", "1g", "mem_reservation", "1025m"), "mem_reservation", "1025m",
                "must not be above mem_limit (1g)");
        assertRejected(Map.of("mem_swappiness", 101), "mem_swappiness", "101", "must be between 0 and 100");
        assertRejected(Map.of("cpu_shares", 1), "cpu_shares", "1", "must be between 2 and 262144");
        assertRejected(Map.of("blkio_weight", 1999), "blkio_weight", "1999", "must be between 10 and 1000");
        assertRejected(Map.of("shm_size", 0), "shm_size", "0b", "must be above 0");
    }

    // ------------------------------------------------------------------ unknown keys, all at once

    @Test
    void fromDockerPy_rejectsUnknownKeysNamingThem() {
        InvalidLimitsException e = catchThrowableOfType(InvalidLimitsException.class,
                () -> ResourceLimits.fromDockerPy(Map.of("privileged", true, "mem_limit", "1g")));
        assertThat(e.violations()).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("privileged");
            assertThat(v.value()).isEqualTo("true");
            assertThat(v.rule()).startsWith("is not a resource limit; accepted keys are mem_limit,");
        });
        assertThat(e).hasMessageContaining("privileged = true: is not a resource limit");

        InvalidLimitsException binds = catchThrowableOfType(InvalidLimitsException.class,
                () -> ResourceLimits.fromDockerPy(Map.of("binds", List.of("/:/host"))));
        assertThat(binds.violations()).extracting(Violation::field, Violation::value)
                .containsExactly(tuple("binds", "[/:/host]"));
    }

    @Test
    void fromDockerPy_namesNonStringKeys() {
        Map<Object, Object> keywords = new HashMap<>();
        keywords.put(42, "1g");
        @SuppressWarnings("unchecked")
        Map<String, ?> raw = (Map<String, ?>) (Map<?, ?>) keywords;
        assertRejected(raw, "42", "\"1g\"", "is not a resource limit");
    }

    @Test
    void fromDockerPy_collectsEveryKindOfProblemIntoOneException() {
        Map<String, Object> keywords = new LinkedHashMap<>();
        keywords.put("mem_swappiness", 150);           // rule violation
        keywords.put("cpu_shares", "512.0");           // not a whole number by the one rule
        keywords.put("binds", List.of("/:/host"));     // unknown key
        keywords.put("mem_limit", "1.5.5g");           // parse error
        keywords.put("privileged", true);              // unknown key
        keywords.put("nano_cpus", 1000);               // bound violation inside CpuLimit
        InvalidLimitsException e = catchThrowableOfType(InvalidLimitsException.class,
                () -> ResourceLimits.fromDockerPy(keywords));
        assertThat(e.violations()).extracting(Violation::field, Violation::value).containsExactly(
                tuple("binds", "[/:/host]"),
                tuple("privileged", "true"),
                tuple("mem_limit", "\"1.5.5g\""),
                tuple("mem_swappiness", "150"),
                tuple("nano_cpus", "1000"),
                tuple("cpu_shares", "\"512.0\""));
        assertThat(e.violations().get(2).rule())
                .isEqualTo("unexpected '.' at index 3, expected a unit (b, k, m, g, t, p) or the end");
        assertThat(e.getMessage()).startsWith("invalid resource limits (6 violations):\n");
    }

    @Test
    void fromDockerPy_doesNotBlameSwapForAnUnreadableMemoryLimit() {
        // Regression: a mem_limit that failed to parse also produced "memswap_limit needs mem_limit".
        InvalidLimitsException e = catchThrowableOfType(InvalidLimitsException.class,
                () -> ResourceLimits.fromDockerPy(Map.of("mem_limit", "1x", "memswap_limit", "2g")));
        assertThat(e.violations()).extracting(Violation::field).containsExactly("mem_limit");
    }

    private static void assertRejected(Map<String, ?> keywords, String field, String value, String ruleStart) {
        InvalidLimitsException e = catchThrowableOfType(InvalidLimitsException.class,
                () -> ResourceLimits.fromDockerPy(keywords));
        assertThat(e).as("%s must be refused", keywords).isNotNull();
        assertThat(e.violations()).as("%s", keywords).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo(field);
            assertThat(v.value()).isEqualTo(value);
            assertThat(v.rule()).startsWith(ruleStart);
        });
    }

    @Test
    void fromDockerPy_refusesExtremeBigDecimals_quickly() {
        // Regression (issue 7 fuzzing): toBigIntegerExact() of 1E-99999999 computed 10^99999999, and
        // precision - scale of 1E+2147483647 overflowed an int, so it was computed too.
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertThatThrownBy(() -> ResourceLimits.fromDockerPy(Map.of("mem_limit", new BigDecimal("1E-99999999"))))
                    .isInstanceOf(InvalidLimitsException.class).hasMessageContaining("whole number of bytes");
            assertThatThrownBy(() -> ResourceLimits.fromDockerPy(Map.of("mem_limit", new BigDecimal("1E+2147483647"))))
                    .isInstanceOf(InvalidLimitsException.class).hasMessageContaining("at most");
        });
    }
}
