package org.containerlimits.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** The quota math agrees with exact nano-CPU arithmetic, done here independently with BigInteger. */
class CpuMathPropertyTest {
    private static final BigInteger NANOS = BigInteger.valueOf(1_000_000_000L);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final BigInteger MIN_QUOTA = BigInteger.valueOf(1000);

    @Property
    void quotaMicros_isTheFloorOfNanosTimesPeriodOverOneBillion(@ForAll("nanoCpus") long nanos,
            @ForAll @LongRange(min = 1000, max = 1_000_000) long period) {
        CpuLimit cpu = CpuLimit.ofNanoCpus(nanos);
        BigInteger expected = BigInteger.valueOf(nanos).multiply(BigInteger.valueOf(period)).divide(NANOS);
        if (expected.compareTo(MIN_QUOTA) < 0) {
            assertThatThrownBy(() -> cpu.quotaMicros(period)).isInstanceOf(InvalidLimitsException.class);
        } else {
            assertThat(cpu.quotaMicros(period)).isEqualTo(expected.longValueExact());
        }
    }

    @Property
    void quotaMicros_scalesAQuotaToAnotherPeriodRoundingDown(@ForAll("quotas") long quota,
            @ForAll @LongRange(min = 1000, max = 1_000_000) long period,
            @ForAll @LongRange(min = 1000, max = 1_000_000) long otherPeriod) {
        CpuLimit cpu = CpuLimit.ofQuota(quota, period);
        assertThat(cpu.quotaMicros(period)).isEqualTo(quota);
        BigInteger expected = BigInteger.valueOf(quota).multiply(BigInteger.valueOf(otherPeriod))
                .divide(BigInteger.valueOf(period));
        if (expected.compareTo(MIN_QUOTA) < 0) {
            assertThatThrownBy(() -> cpu.quotaMicros(otherPeriod)).isInstanceOf(InvalidLimitsException.class);
        } else {
            assertThat(cpu.quotaMicros(otherPeriod)).isEqualTo(expected.min(LONG_MAX).longValueExact());
        }
    }

    @Property
    void quotaMicros_refusesPeriodsOutOfRange(@ForAll("cpuLimits") CpuLimit cpu, @ForAll long period) {
        if (period < 1000 || period > 1_000_000) {
            assertThatThrownBy(() -> cpu.quotaMicros(period)).isInstanceOf(InvalidLimitsException.class)
                    .hasMessageContaining("cpu_period");
        }
    }

    @Property
    void ofQuota_toNanoCpusIsTheFloorOfQuotaTimesOneBillionOverPeriod(@ForAll("quotas") long quota,
            @ForAll @LongRange(min = 1000, max = 1_000_000) long period) {
        BigInteger expected = BigInteger.valueOf(quota).multiply(NANOS).divide(BigInteger.valueOf(period));
        assertThat(CpuLimit.ofQuota(quota, period).toNanoCpus()).isEqualTo(expected.min(LONG_MAX).longValueExact());
    }

    @Property
    void compareTo_agreesWithExactFractions(@ForAll("cpuLimits") CpuLimit a, @ForAll("cpuLimits") CpuLimit b) {
        BigInteger[] x = fraction(a);
        BigInteger[] y = fraction(b);
        int expected = x[0].multiply(y[1]).compareTo(y[0].multiply(x[1]));
        assertThat(Integer.signum(a.compareTo(b))).isEqualTo(expected);
        assertThat(Integer.signum(b.compareTo(a))).isEqualTo(-expected);
        if (a.equals(b)) {
            assertThat(a.compareTo(b)).isZero();
            assertThat(a.hashCode()).isEqualTo(b.hashCode());
        }
    }

    @Property
    void compareTo_findsEqualAmountsAcrossForms(@ForAll @LongRange(min = 1, max = 100_000) long hundredths,
            @ForAll @IntRange(min = 0, max = 2) int periodChoice) {
        long period = new long[] {100_000, 1_000_000, 200_000}[periodChoice];
        CpuLimit nanos = CpuLimit.ofNanoCpus(hundredths * 10_000_000L);
        CpuLimit quota = CpuLimit.ofQuota(hundredths * period / 100, period);
        assertThat(nanos.compareTo(quota)).isZero();
        assertThat(nanos).isNotEqualTo(quota);
        assertThat(quota.toNanoCpus()).isEqualTo(nanos.toNanoCpus());
    }

    @Property
    void parse_readsCoresPercentAndMillicoresExactly(@ForAll("nanoCpus") long nanos,
            @ForAll @IntRange(min = 0, max = 12) int trailingZeros) {
        String zeros = "0".repeat(trailingZeros);
        String cores = BigDecimal.valueOf(nanos, 9).toPlainString() + zeros;
        assertThat(CpuLimit.parse(cores).toNanoCpus()).as(cores).isEqualTo(nanos);
        String percent = BigDecimal.valueOf(nanos, 7).toPlainString() + zeros + "%";
        assertThat(CpuLimit.parse(percent).toNanoCpus()).as(percent).isEqualTo(nanos);
        String millicores = BigDecimal.valueOf(nanos, 6).toPlainString() + zeros + "m";
        assertThat(CpuLimit.parse(millicores).toNanoCpus()).as(millicores).isEqualTo(nanos);
        assertThat(CpuLimit.ofCores(new BigDecimal(cores)).toNanoCpus()).isEqualTo(nanos);
    }

    @Property
    void parse_refusesATenthDecimalLikeTheDockerCli(@ForAll("nanoCpus") long nanos,
            @ForAll @IntRange(min = 1, max = 9) int digit, @ForAll @IntRange(min = 0, max = 3) int zeros) {
        String text = BigDecimal.valueOf(nanos, 9).toPlainString() + "0".repeat(zeros) + digit;
        assertThatThrownBy(() -> CpuLimit.parse(text)).as(text).isInstanceOf(LimitParseException.class)
                .hasMessageContaining("at most 9 decimal places");
    }

    @Property
    void quotaMicros_matchesTheDaemonsNanoCpuConversion(@ForAll("nanoCpus") long nanos) {
        // The daemon applies NanoCpus as a quota of nanos / 10^4 us per 100000 us period.
        assertThat(CpuLimit.ofNanoCpus(nanos).quotaMicros(100_000)).isEqualTo(nanos / 10_000);
    }

    private static BigInteger[] fraction(CpuLimit cpu) {
        if (cpu.isQuotaForm()) {
            return new BigInteger[] {BigInteger.valueOf(cpu.cfsQuotaMicros().getAsLong()),
                BigInteger.valueOf(cpu.cfsPeriodMicros().getAsLong())};
        }
        return new BigInteger[] {BigInteger.valueOf(cpu.toNanoCpus()), NANOS};
    }

    @Provide
    Arbitrary<Long> nanoCpus() {
        return LimitsArbitraries.nanoCpus();
    }

    @Provide
    Arbitrary<Long> quotas() {
        return LimitsArbitraries.quotas();
    }

    @Provide
    Arbitrary<CpuLimit> cpuLimits() {
        return LimitsArbitraries.cpuLimits();
    }
}
