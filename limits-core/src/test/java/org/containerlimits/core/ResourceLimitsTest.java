package org.containerlimits.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResourceLimitsTest {
    private static final MemorySize SIX_MIB = MemorySize.ofBytes(6_291_456L);
    private static final MemorySize SIX_MIB_LESS_ONE = MemorySize.ofBytes(6_291_455L);

    // --------------------------------------------------------------------------- builder rules

    @Test
    void build_acceptsMemoryOfSixMebibytes() {
        assertThat(ResourceLimits.MIN_MEMORY.toBytes()).isEqualTo(6_291_456L);
        assertThat(ResourceLimits.builder().memory(SIX_MIB).build().memory()).contains(SIX_MIB);
    }

    @Test
    void build_rejectsMemoryBelowSixMebibytes() {
        assertSingleViolation(ResourceLimits.builder().memory(SIX_MIB_LESS_ONE), "mem_limit", "6291455b",
                "must be at least 6m (6291456 bytes)");
    }

    @Test
    void build_acceptsReservationOfSixMebibytesWithOrWithoutMemory() {
        assertThat(ResourceLimits.builder().memoryReservation(SIX_MIB).build().memoryReservation()).contains(SIX_MIB);
        assertThatCode(() -> ResourceLimits.builder().memory(SIX_MIB).memoryReservation(SIX_MIB).build())
                .doesNotThrowAnyException();
    }

    @Test
    void build_rejectsReservationBelowSixMebibytes() {
        assertSingleViolation(ResourceLimits.builder().memoryReservation(SIX_MIB_LESS_ONE), "mem_reservation",
                "6291455b", "must be at least 6m (6291456 bytes)");
    }

    @Test
    void build_acceptsReservationEqualToMemory() {
        MemorySize oneGib = MemorySize.parse("1g");
        assertThatCode(() -> ResourceLimits.builder().memory(oneGib).memoryReservation(oneGib).build())
                .doesNotThrowAnyException();
    }

    @Test
    void build_rejectsReservationAboveMemory() {
        assertSingleViolation(ResourceLimits.builder().memory(MemorySize.parse("1g"))
                        .memoryReservation(MemorySize.ofBytes(1_073_741_825L)),
                "mem_reservation", "1073741825b", "must not be above mem_limit (1g)");
    }

    @Test
    void build_rejectsSwapWithoutMemory() {
        assertSingleViolation(ResourceLimits.builder().memorySwap(SwapLimit.parse("2g")), "memswap_limit", "2g",
                "needs mem_limit");
    }

    @Test
    void build_acceptsUnlimitedSwapWithoutMemory() {
        assertThat(ResourceLimits.builder().memorySwap(SwapLimit.UNLIMITED).build().memorySwap())
                .contains(SwapLimit.UNLIMITED);
    }

    @Test
    void build_acceptsSwapEqualToMemory() {
        assertThatCode(() -> ResourceLimits.builder().memory(MemorySize.parse("1g"))
                .memorySwap(SwapLimit.parse("1g")).build()).doesNotThrowAnyException();
    }

    @Test
    void build_rejectsSwapBelowMemory() {
        assertSingleViolation(ResourceLimits.builder().memory(MemorySize.parse("1g"))
                        .memorySwap(SwapLimit.of(MemorySize.ofBytes(1_073_741_823L))),
                "memswap_limit", "1073741823b", "must be at least mem_limit (1g)");
    }

    @Test
    void build_acceptsSwappinessFromZeroToHundred() {
        assertThat(ResourceLimits.builder().memorySwappiness(0).build().memorySwappiness()).hasValue(0);
        assertThat(ResourceLimits.builder().memorySwappiness(100).build().memorySwappiness()).hasValue(100);
    }

    @Test
    void build_rejectsSwappinessOutsideZeroToHundred() {
        assertSingleViolation(ResourceLimits.builder().memorySwappiness(-1), "mem_swappiness", "-1",
                "must be between 0 and 100");
        assertSingleViolation(ResourceLimits.builder().memorySwappiness(101), "mem_swappiness", "101",
                "must be between 0 and 100");
    }

    @Test
    void build_acceptsCpuSharesFromTwoTo262144() {
        assertThat(ResourceLimits.builder().cpuShares(2).build().cpuShares()).hasValue(2);
        assertThat(ResourceLimits.builder().cpuShares(262_144).build().cpuShares()).hasValue(262_144);
    }

    @Test
    void build_rejectsCpuSharesOutsideTwoTo262144() {
        assertSingleViolation(ResourceLimits.builder().cpuShares(1), "cpu_shares", "1", "must be between 2 and 262144");
        assertSingleViolation(ResourceLimits.builder().cpuShares(262_145), "cpu_shares", "262145",
                "must be between 2 and 262144");
    }

    @Test
    void build_acceptsBlkioWeightFromTenToThousand() {
        assertThat(ResourceLimits.builder().blkioWeight(10).build().blkioWeight()).hasValue(10);
        assertThat(ResourceLimits.builder().blkioWeight(1000).build().blkioWeight()).hasValue(1000);
    }

    @Test
    void build_rejectsBlkioWeightOutsideTenToThousand() {
        assertSingleViolation(ResourceLimits.builder().blkioWeight(9), "blkio_weight", "9", "must be between 10 and 1000");
        assertSingleViolation(ResourceLimits.builder().blkioWeight(1001), "blkio_weight", "1001",
                "must be between 10 and 1000");
    }

    @Test
    void build_acceptsShmSizeAboveZero() {
        assertThat(ResourceLimits.builder().shmSize(MemorySize.ofBytes(1)).build().shmSize())
                .contains(MemorySize.ofBytes(1));
    }

    @Test
    void build_rejectsZeroShmSize() {
        assertSingleViolation(ResourceLimits.builder().shmSize(MemorySize.ZERO), "shm_size", "0b", "must be above 0");
    }

    @Test
    void build_reportsEveryViolationAtOnce() {
        InvalidLimitsException e = catchThrowableOfType(InvalidLimitsException.class, () -> ResourceLimits.builder()
                .memory(MemorySize.parse("4m"))
                .memorySwappiness(150)
                .cpuShares(1)
                .build());
        assertThat(e.violations()).hasSize(3);
        assertThat(e.violations()).extracting(Violation::field, Violation::value)
                .containsExactly(tuple("mem_limit", "4m"),
                        tuple("mem_swappiness", "150"),
                        tuple("cpu_shares", "1"));
        assertThat(e.violations()).allSatisfy(v -> assertThat(v.rule()).startsWith("must"));
        assertThat(e.getMessage()).startsWith("invalid resource limits (3 violations):\n")
                .contains("  mem_limit = 4m: must be at least 6m (6291456 bytes)")
                .contains("  mem_swappiness = 150: must be between 0 and 100")
                .contains("  cpu_shares = 1: must be between 2 and 262144");
    }

    @Test
    void build_reportsEveryRuleOfEveryField() {
        InvalidLimitsException e = catchThrowableOfType(InvalidLimitsException.class, () -> ResourceLimits.builder()
                .memory(SIX_MIB_LESS_ONE)
                .memoryReservation(SIX_MIB_LESS_ONE)
                .memorySwappiness(101)
                .cpuShares(262_145)
                .blkioWeight(9)
                .shmSize(MemorySize.ZERO)
                .build());
        assertThat(e.violations()).extracting(Violation::field).containsExactly("mem_limit", "mem_reservation",
                "mem_swappiness", "cpu_shares", "blkio_weight", "shm_size");
    }

    // --------------------------------------------------------------------------- the value

    @Test
    void none_hasNoFieldSet() {
        ResourceLimits none = ResourceLimits.none();
        assertThat(none.isEmpty()).isTrue();
        assertThat(none.memory()).isEmpty();
        assertThat(none.memoryReservation()).isEmpty();
        assertThat(none.memorySwap()).isEmpty();
        assertThat(none.memorySwappiness()).isEmpty();
        assertThat(none.cpu()).isEmpty();
        assertThat(none.cpuShares()).isEmpty();
        assertThat(none.cpusetCpus()).isEmpty();
        assertThat(none.cpusetMems()).isEmpty();
        assertThat(none.pidsLimit()).isEmpty();
        assertThat(none.blkioWeight()).isEmpty();
        assertThat(none.oomKillDisable()).isEmpty();
        assertThat(none.shmSize()).isEmpty();
        assertThat(none.toDockerPy()).isEmpty();
        assertThat(none).hasToString("").isEqualTo(ResourceLimits.builder().build());
    }

    @Test
    void builder_setsEveryFieldAndNullClearsIt() {
        ResourceLimits all = full();
        assertThat(all.isEmpty()).isFalse();
        assertThat(all.memory()).contains(MemorySize.parse("1g"));
        assertThat(all.memoryReservation()).contains(MemorySize.parse("512m"));
        assertThat(all.memorySwap()).contains(SwapLimit.parse("2g"));
        assertThat(all.memorySwappiness()).hasValue(0);
        assertThat(all.cpu()).contains(CpuLimit.ofQuota(250_000, 100_000));
        assertThat(all.cpuShares()).hasValue(512);
        assertThat(all.cpusetCpus()).contains(CpuSet.parse("0-3,5"));
        assertThat(all.cpusetMems()).contains(CpuSet.parse("0"));
        assertThat(all.pidsLimit()).contains(PidsLimit.of(100));
        assertThat(all.blkioWeight()).hasValue(500);
        assertThat(all.oomKillDisable()).contains(false);
        assertThat(all.shmSize()).contains(MemorySize.parse("64m"));

        ResourceLimits cleared = all.toBuilder().memory(null).memoryReservation(null).memorySwap(null)
                .memorySwappiness(null).cpu(null).cpuShares(null).cpusetCpus(null).cpusetMems(null)
                .pidsLimit(null).blkioWeight(null).oomKillDisable(null).shmSize(null).build();
        assertThat(cleared).isEqualTo(ResourceLimits.none());
        assertThat(cleared.isEmpty()).isTrue();
    }

    @Test
    void toBuilder_derivesWithoutChangingTheOriginal() {
        ResourceLimits all = full();
        ResourceLimits more = all.toBuilder().cpuShares(1024).build();
        assertThat(more.cpuShares()).hasValue(1024);
        assertThat(all.cpuShares()).hasValue(512);
        assertThat(all.toBuilder().build()).isEqualTo(all).hasSameHashCodeAs(all);
    }

    @Test
    void equals_includesTheCpuForm() {
        ResourceLimits cores = ResourceLimits.builder().cpu(CpuLimit.parse("2.5")).build();
        ResourceLimits quota = ResourceLimits.builder().cpu(CpuLimit.ofQuota(250_000, 100_000)).build();
        assertThat(cores).isNotEqualTo(quota).isNotEqualTo("cpu");
        assertThat(cores).isEqualTo(ResourceLimits.builder().cpu(CpuLimit.parse("250%")).build());
    }

    @Test
    void serialization_preservesEveryField() {
        assertThat(TestSupport.serializedCopy(full())).isEqualTo(full());
    }

    // --------------------------------------------------------------------------- text form

    @Test
    void toString_writesCanonicalKeyValuePairs() {
        assertThat(full()).hasToString("mem_limit=1g,mem_reservation=512m,memswap_limit=2g,mem_swappiness=0,"
                + "cpu_quota=250000,cpu_period=100000,cpu_shares=512,cpuset_cpus=0-3,5,cpuset_mems=0,"
                + "pids_limit=100,blkio_weight=500,oom_kill_disable=false,shm_size=64m");
        assertThat(ResourceLimits.builder().cpu(CpuLimit.parse("2.5")).pidsLimit(PidsLimit.UNLIMITED)
                .memorySwap(SwapLimit.UNLIMITED).build())
                .hasToString("memswap_limit=unlimited,nano_cpus=2500000000,pids_limit=unlimited");
    }

    @Test
    void parse_readsTheTextFormBack() {
        assertThat(ResourceLimits.parse(full().toString())).isEqualTo(full());
        assertThat(ResourceLimits.parse("")).isEqualTo(ResourceLimits.none());
        assertThat(ResourceLimits.parse("   ")).isEqualTo(ResourceLimits.none());
    }

    @Test
    void parse_acceptsEveryValueGrammarAndBlanksAroundPairs() {
        ResourceLimits limits = ResourceLimits.parse(
                " mem_limit = 1.5G , cpu_quota=50000, cpuset_cpus=5,0-3 , pids_limit=-1, memswap_limit=-1,"
                        + "oom_kill_disable=true");
        assertThat(limits.memory()).contains(MemorySize.parse("1536m"));
        assertThat(limits.cpu()).contains(CpuLimit.ofQuota(50_000, 100_000));
        assertThat(limits.cpusetCpus()).contains(CpuSet.parse("0-3,5"));
        assertThat(limits.pidsLimit()).contains(PidsLimit.UNLIMITED);
        assertThat(limits.memorySwap()).contains(SwapLimit.UNLIMITED);
        assertThat(limits.oomKillDisable()).contains(true);
    }

    @Test
    void parse_reportsEveryBadPairAtOnce() {
        InvalidLimitsException e = catchThrowableOfType(InvalidLimitsException.class, () -> ResourceLimits.parse(
                "mem_limit=1x,mem_limit=2g,cpu_shares=abc,oom_kill_disable=yes,privileged=true,junk,"
                        + "mem_swappiness=101"));
        assertThat(e.violations()).extracting(Violation::field, Violation::rule).containsExactly(
                tuple("junk",
                        "is not a key=value pair; the text form is key=value pairs joined by commas"),
                tuple("privileged",
                        "is not a resource limit; accepted keys are " + String.join(", ", Limit.keywords())),
                tuple("mem_limit", "is given twice"),
                tuple("mem_limit",
                        "unexpected 'x' at index 1, expected a unit (b, k, m, g, t, p) or the end"),
                tuple("mem_swappiness", "must be between 0 and 100"),
                tuple("cpu_shares", WholeNumber.RULE),
                tuple("oom_kill_disable", "must be true or false"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mem_limit", "=1g", "mem_limit=1g,", ",mem_limit=1g", "mem_limit=1g,,cpu_shares=2",
        "cpu_shares=-", "cpu_shares=5,12", "cpu_shares=99999999999999999999", "nano_cpus=2.5",
        "oom_kill_disable=TRUE", "mem_limit="})
    void parse_rejectsMalformedText(String text) {
        assertThat(catchThrowableOfType(InvalidLimitsException.class, () -> ResourceLimits.parse(text)))
                .as(text).isNotNull();
    }

    // --------------------------------------------------------------------------- helpers

    static ResourceLimits full() {
        return ResourceLimits.builder()
                .memory(MemorySize.parse("1g"))
                .memoryReservation(MemorySize.parse("512m"))
                .memorySwap(SwapLimit.parse("2g"))
                .memorySwappiness(0)
                .cpu(CpuLimit.ofQuota(250_000, 100_000))
                .cpuShares(512)
                .cpusetCpus(CpuSet.parse("0-3,5"))
                .cpusetMems(CpuSet.parse("0"))
                .pidsLimit(PidsLimit.of(100))
                .blkioWeight(500)
                .oomKillDisable(false)
                .shmSize(MemorySize.parse("64m"))
                .build();
    }

    private static void assertSingleViolation(ResourceLimits.Builder builder, String field, String value,
            String ruleStart) {
        InvalidLimitsException e = catchThrowableOfType(InvalidLimitsException.class, builder::build);
        assertThat(e).as("%s = %s must be refused", field, value).isNotNull();
        List<Violation> violations = e.violations();
        assertThat(violations).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo(field);
            assertThat(v.value()).isEqualTo(value);
            assertThat(v.rule()).startsWith(ruleStart);
        });
    }
}
