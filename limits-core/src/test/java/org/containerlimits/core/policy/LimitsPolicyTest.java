package org.containerlimits.core.policy;

import org.containerlimits.core.CpuLimit;
import org.containerlimits.core.CpuSet;
import org.containerlimits.core.InvalidLimitsException;
import org.containerlimits.core.MemorySize;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.SwapLimit;
import org.containerlimits.core.Violation;

import org.containerlimits.core.policy.LimitsPolicy;
import org.containerlimits.core.policy.PolicyViolationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.containerlimits.core.policy.LimitsPolicy.Adjustment;
import org.containerlimits.core.policy.LimitsPolicy.Mode;
import org.containerlimits.core.policy.LimitsPolicy.Resolution;
import org.junit.jupiter.api.Test;

class LimitsPolicyTest {

    /** The policy: defaults 1g / 1 CPU, profile large 4g / 2 CPUs, ceilings 4g / 2 CPUs. */
    private static final LimitsPolicy POLICY = LimitsPolicy.builder()
            .defaults(limits("mem_limit=1g,nano_cpus=1000000000"))
            .profile("small", limits("mem_limit=512m"))
            .profile("large", limits("mem_limit=4g,nano_cpus=2000000000"))
            .maxMemory(MemorySize.parse("4g"))
            .maxCpu(CpuLimit.parse("2"))
            .build();

    private static ResourceLimits limits(String text) {
        return ResourceLimits.parse(text);
    }

    @Test
    void eightGigabytes_isRejectedNamingMemory() {
        assertThatThrownBy(() -> POLICY.resolve(limits("mem_limit=8g")))
                .isInstanceOf(PolicyViolationException.class)
                .hasMessageContaining("mem_limit = 8g: must be at most 4g, the policy's ceiling")
                .satisfies(e -> assertThat(((PolicyViolationException) e).violations())
                        .extracting(Violation::field).containsExactly("mem_limit"));
    }

    @Test
    void eightGigabytes_isClampedToFour_withAReport() {
        Resolution r = POLICY.withMode(Mode.CLAMP).resolve(limits("mem_limit=8g"));
        assertThat(r.limits()).isEqualTo(limits("mem_limit=4g,nano_cpus=1000000000"));
        assertThat(r.adjustments()).containsExactly(new Adjustment("mem_limit", "8g", "4g", "the policy's ceiling"));
        assertThat(r.isAsRequested()).isFalse();
    }

    @Test
    void cpu_isComparedInCores_whateverTheFormOfTheRequest() {
        assertThatThrownBy(() -> POLICY.resolve(limits("cpu_quota=300000,cpu_period=100000")))
                .isInstanceOf(PolicyViolationException.class)
                .hasMessageContaining("cpu_quota = 300000us/100000us (3 cores): must be at most 2 cores");
        assertThatThrownBy(() -> POLICY.resolve(ResourceLimits.builder().cpu(CpuLimit.parse("300%")).build()))
                .hasMessageContaining("(3 cores): must be at most 2 cores");
        // 2 cores as a quota at another period is at the ceiling, not above it.
        assertThat(POLICY.resolve(limits("cpu_quota=100000,cpu_period=50000")).isAsRequested()).isTrue();
    }

    @Test
    void aClampedQuota_keepsItsPeriod() {
        Resolution r = POLICY.withMode(Mode.CLAMP).resolve(limits("cpu_quota=300000,cpu_period=50000"));
        assertThat(r.limits().cpu()).hasValue(CpuLimit.ofQuota(100_000, 50_000));
        assertThat(r.adjustments()).extracting(Adjustment::field).containsExactly("cpu_quota");
    }

    @Test
    void precedence_requestOverProfileOverDefaults() {
        assertThat(POLICY.resolve(ResourceLimits.none()).limits()).isEqualTo(limits("mem_limit=1g,nano_cpus=1000000000"));
        assertThat(POLICY.resolve(ResourceLimits.none(), "large").limits())
                .isEqualTo(limits("mem_limit=4g,nano_cpus=2000000000"));
        assertThat(POLICY.resolve(limits("mem_limit=2g"), "large").limits())
                .isEqualTo(limits("mem_limit=2g,nano_cpus=2000000000"));
        // The small profile sets memory only: CPU comes from the defaults.
        assertThat(POLICY.resolve(limits("pids_limit=100"), "small").limits())
                .isEqualTo(limits("mem_limit=512m,nano_cpus=1000000000,pids_limit=100"));
    }

    @Test
    void memoryAndSwap_comeFromTheSameLayer() {
        LimitsPolicy policy = LimitsPolicy.builder().defaults(limits("mem_limit=1g,memswap_limit=2g")).build();
        // The defaults' 2g total would be below the request's 3g: it stays with the defaults' memory.
        assertThat(policy.resolve(limits("mem_limit=3g")).limits()).isEqualTo(limits("mem_limit=3g"));
        assertThat(policy.resolve(ResourceLimits.none()).limits()).isEqualTo(limits("mem_limit=1g,memswap_limit=2g"));
    }

    @Test
    void unlimited_isAboveEveryCeiling() {
        LimitsPolicy ceilingsOnly = LimitsPolicy.builder().maxMemory(MemorySize.parse("2g")).maxCpu(CpuLimit.parse("1"))
                .maxPids(128).build();
        assertThatThrownBy(() -> ceilingsOnly.resolve(ResourceLimits.none()))
                .hasMessageContaining("mem_limit = unlimited")
                .hasMessageContaining("nano_cpus = unlimited")
                .hasMessageContaining("pids_limit = unlimited")
                .satisfies(e -> assertThat(((PolicyViolationException) e).violations()).hasSize(3));
        Resolution r = ceilingsOnly.withMode(Mode.CLAMP).resolve(limits("pids_limit=-1"));
        assertThat(r.limits()).isEqualTo(limits("mem_limit=2g,nano_cpus=1000000000,pids_limit=128"));
        assertThat(r.adjustments()).extracting(Adjustment::requested)
                .containsExactly("unlimited", "unlimited", "unlimited");
    }

    @Test
    void memoryPlusSwap_isBounded_includingTheDaemonsDefaultOfTwiceTheMemory() {
        LimitsPolicy policy = LimitsPolicy.builder().maxMemory(MemorySize.parse("4g"))
                .maxMemoryPlusSwap(MemorySize.parse("6g")).build();
        assertThatThrownBy(() -> policy.resolve(limits("mem_limit=4g")))
                .hasMessageContaining("memswap_limit = unset (twice the memory: 8g): memory+swap must be at most 6g");
        assertThatThrownBy(() -> policy.resolve(limits("mem_limit=4g,memswap_limit=-1")))
                .hasMessageContaining("memswap_limit = unlimited");
        assertThat(policy.resolve(limits("mem_limit=3g")).isAsRequested()).isTrue();
        Resolution r = policy.withMode(Mode.CLAMP).resolve(limits("mem_limit=8g,memswap_limit=16g"));
        assertThat(r.limits()).isEqualTo(limits("mem_limit=4g,memswap_limit=6g"));
        assertThat(r.adjustments()).extracting(Adjustment::field).containsExactly("mem_limit", "memswap_limit");
    }

    @Test
    void aReservationAboveTheClampedMemory_isLoweredWithIt() {
        Resolution r = POLICY.withMode(Mode.CLAMP).resolve(limits("mem_limit=8g,mem_reservation=6g"));
        assertThat(r.limits().memory()).hasValue(MemorySize.parse("4g"));
        assertThat(r.limits().memoryReservation()).hasValue(MemorySize.parse("4g"));
        assertThat(r.adjustments()).extracting(Adjustment::field).containsExactly("mem_limit", "mem_reservation");
    }

    @Test
    void sharesAndShm_areBoundedWhenSet() {
        LimitsPolicy policy = LimitsPolicy.builder().maxCpuShares(1024).maxShmSize(MemorySize.parse("256m")).build();
        assertThat(policy.resolve(ResourceLimits.none()).isAsRequested()).isTrue();
        assertThatThrownBy(() -> policy.resolve(limits("cpu_shares=4096,shm_size=1g")))
                .hasMessageContaining("cpu_shares = 4096").hasMessageContaining("shm_size = 1g");
        assertThat(policy.withMode(Mode.CLAMP).resolve(limits("cpu_shares=4096,shm_size=1g")).limits())
                .isEqualTo(limits("cpu_shares=1024,shm_size=256m"));
    }

    @Test
    void aCpusetOutsideTheAllowedCpus_isRefusedInBothModes() {
        LimitsPolicy policy = LimitsPolicy.builder().allowedCpus(CpuSet.parse("0-3")).build();
        assertThat(policy.resolve(limits("cpuset_cpus=1-2")).isAsRequested()).isTrue();
        for (Mode mode : Mode.values()) {
            assertThatThrownBy(() -> policy.withMode(mode).resolve(limits("cpuset_cpus=2-5")))
                    .isInstanceOf(PolicyViolationException.class)
                    .hasMessageContaining("cpuset_cpus = 2-5: must be within 0-3");
        }
    }

    @Test
    void aBuiltPolicy_doesNotChangeWithItsBuilder() {
        LimitsPolicy.Builder b = LimitsPolicy.builder().profile("a", limits("mem_limit=1g"));
        LimitsPolicy first = b.build();
        b.profile("b", limits("mem_limit=2g")).maxMemory(MemorySize.parse("8g"));
        assertThat(first.profileNames()).containsExactly("a");
        assertThat(b.build().profileNames()).containsExactly("a", "b");
        assertThat(first.resolve(limits("mem_limit=16g")).isAsRequested()).isTrue();
    }

    @Test
    void anUnknownProfile_isNamed_withTheKnownOnes() {
        assertThatThrownBy(() -> POLICY.resolve(ResourceLimits.none(), "huge"))
                .isInstanceOf(InvalidLimitsException.class)
                .hasMessageContaining("profile = huge: unknown profile; this policy has small, large");
        assertThat(POLICY.profileNames()).containsExactly("small", "large");
    }

    @Test
    void aProfileOrDefaultsAboveTheCeilings_failTheBuild() {
        assertThatThrownBy(() -> LimitsPolicy.builder().defaults(limits("mem_limit=8g"))
                .profile("huge", limits("nano_cpus=4000000000")).profile("open", limits("pids_limit=-1"))
                .maxPids(100).maxMemory(MemorySize.parse("4g"))
                .maxCpu(CpuLimit.parse("2")).build())
                .isInstanceOf(PolicyViolationException.class)
                .hasMessageContaining("defaults: mem_limit = 8g")
                .hasMessageContaining("profile huge: nano_cpus")
                .hasMessageContaining("profile open: pids_limit = unlimited")
                .satisfies(e -> assertThat(((PolicyViolationException) e).violations()).hasSize(3));
        assertThatThrownBy(() -> LimitsPolicy.builder().maxMemory(MemorySize.parse("4g"))
                .maxMemoryPlusSwap(MemorySize.parse("2g")).build())
                .hasMessageContaining("maxMemoryPlusSwap = 2g: must be at least the memory ceiling 4g");
    }

    /** Whatever is asked, a clamped resolution is valid and within every ceiling. */
    @Property(tries = 500)
    void clamping_alwaysGivesValidLimitsWithinTheCeilings(
            @ForAll @LongRange(min = 6, max = 65536) long memoryMib,
            @ForAll @LongRange(min = 0, max = 65536) long reservationMib,
            @ForAll @LongRange(min = 1000, max = 1_000_000) long quota,
            @ForAll @LongRange(min = 1000, max = 1_000_000) long period) {
        long reservation = Math.min(reservationMib, memoryMib);
        ResourceLimits.Builder request = ResourceLimits.builder().memory(MemorySize.ofMebibytes(memoryMib))
                .cpu(CpuLimit.ofQuota(quota, period));
        if (reservation >= 6) {
            request.memoryReservation(MemorySize.ofMebibytes(reservation));
        }
        LimitsPolicy policy = LimitsPolicy.builder().maxMemory(MemorySize.parse("4g"))
                .maxMemoryPlusSwap(MemorySize.parse("6g")).maxCpu(CpuLimit.parse("1.5")).mode(Mode.CLAMP).build();
        Resolution r = policy.resolve(request.build());
        assertThat(r.limits().memory().get()).isLessThanOrEqualTo(MemorySize.parse("4g"));
        assertThat(r.limits().cpu().get().cores()).isLessThanOrEqualTo(CpuLimit.parse("1.5").cores());
        assertThat(ResourceLimits.parse(r.limits().toString())).isEqualTo(r.limits());
        // Swap not set is the daemon's default, twice the memory.
        MemorySize total = r.limits().memorySwap().flatMap(SwapLimit::memoryPlusSwap)
                .orElse(r.limits().memory().get().plus(r.limits().memory().get()));
        assertThat(total).isLessThanOrEqualTo(MemorySize.parse("6g"));
        assertThat(policy.withMode(Mode.REJECT).resolve(r.limits()).isAsRequested()).isTrue();
    }
}
