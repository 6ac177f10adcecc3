package org.containerlimits.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Every canonical text and every docker-py map reads back to an equal value. */
class RoundTripPropertyTest {

    @Property
    void memorySize_parseReadsToStringBack(@ForAll("memorySizes") MemorySize size) {
        assertThat(MemorySize.parse(size.toString())).isEqualTo(size);
    }

    @Property
    void memorySize_parseKubernetesReadsToKubernetesStringBack(@ForAll("memorySizes") MemorySize size) {
        assertThat(MemorySize.parseKubernetes(size.toKubernetesString())).isEqualTo(size);
    }

    @Property
    void memorySize_parseReadsEverySpellingOfAUnit(@ForAll("memorySizes") MemorySize size,
            @ForAll @IntRange(min = 0, max = 5) int suffixStyle, @ForAll boolean upper, @ForAll boolean blank) {
        assertThat(MemorySize.parse(Long.toString(size.toBytes()))).isEqualTo(size);
        assertThat(MemorySize.parse(size.toBytes() + "b")).isEqualTo(size);
        String[] letters = {"k", "m", "g", "t", "p"};
        for (int i = letters.length - 1; i >= 0; i--) {
            long unit = LimitsArbitraries.BINARY_UNITS[i];
            if (size.toBytes() % unit == 0) {
                String suffix = letters[i] + new String[] {"", "b", "ib", "B", "iB", "IB"}[suffixStyle];
                String text = size.toBytes() / unit + (blank ? " " : "") + (upper ? suffix.toUpperCase(Locale.ROOT) : suffix);
                assertThat(MemorySize.parse(text)).as(text).isEqualTo(size);
            }
        }
    }

    @Property
    void cpuLimit_parseReadsToStringBackInTheNanoForm(@ForAll("nanoCpuLimits") CpuLimit cpu) {
        CpuLimit parsed = CpuLimit.parse(cpu.toString());
        assertThat(parsed).isEqualTo(cpu);
        assertThat(parsed.isQuotaForm()).isFalse();
    }

    @Property
    void cpuLimit_parseReadsToStringBackInTheQuotaForm(@ForAll("quotaCpuLimits") CpuLimit cpu) {
        CpuLimit parsed = CpuLimit.parse(cpu.toString());
        assertThat(parsed).isEqualTo(cpu);
        assertThat(parsed.isQuotaForm()).isTrue();
    }

    @Property
    void cpuSet_parseReadsToStringBack(@ForAll("cpuSets") CpuSet set) {
        assertThat(CpuSet.parse(set.toString())).isEqualTo(set);
        assertThat(set.toString()).matches("\\d+(-\\d+)?(,\\d+(-\\d+)?)*");
    }

    @Property
    void swapLimit_parseReadsToStringBack(@ForAll("swapLimits") SwapLimit swap) {
        assertThat(SwapLimit.parse(swap.toString())).isEqualTo(swap);
    }

    @Property
    void pidsLimit_parseReadsToStringBack(@ForAll("pidsLimits") PidsLimit pids) {
        assertThat(PidsLimit.parse(pids.toString())).isEqualTo(pids);
    }

    @Property
    void resourceLimits_parseReadsToStringBack(@ForAll("resourceLimits") ResourceLimits limits) {
        assertThat(ResourceLimits.parse(limits.toString())).isEqualTo(limits);
    }

    @Property
    void resourceLimits_fromDockerPyReadsToDockerPyBack(@ForAll("resourceLimits") ResourceLimits limits) {
        assertThat(ResourceLimits.fromDockerPy(limits.toDockerPy())).isEqualTo(limits);
    }

    @Property(tries = 200)
    void resourceLimits_survivesSerialization(@ForAll("resourceLimits") ResourceLimits limits) {
        assertThat(TestSupport.serializedCopy(limits)).isEqualTo(limits).hasSameHashCodeAs(limits);
    }

    @Provide
    Arbitrary<MemorySize> memorySizes() {
        return LimitsArbitraries.memorySizes();
    }

    @Provide
    Arbitrary<CpuLimit> nanoCpuLimits() {
        return LimitsArbitraries.nanoCpuLimits();
    }

    @Provide
    Arbitrary<CpuLimit> quotaCpuLimits() {
        return LimitsArbitraries.quotaCpuLimits();
    }

    @Provide
    Arbitrary<CpuSet> cpuSets() {
        return LimitsArbitraries.cpuSets();
    }

    @Provide
    Arbitrary<SwapLimit> swapLimits() {
        return LimitsArbitraries.swapLimits(0);
    }

    @Provide
    Arbitrary<PidsLimit> pidsLimits() {
        return LimitsArbitraries.pidsLimits();
    }

    @Provide
    Arbitrary<ResourceLimits> resourceLimits() {
        return LimitsArbitraries.resourceLimits();
    }
}
