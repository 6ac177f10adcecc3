package org.containerlimits.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CpuLimitTest {

    // ----------------------------------------------------------- docker CLI --cpus (ParseCPUs)

    /**
     * docker/cli {@code opts.ParseCPUs} (behind {@code NanoCPUs.Set}, the {@code --cpus} flag): an
     * exact rational times 10^9, which must be a whole number. Rows mirror docker/cli tests; the
     * CLI's own {@code opts_test.go} only has error cases, so the accepted values come from
     * {@code cli/command/service/opts_test.go} and {@code cli/compose/convert/service_test.go}.
     */
    @ParameterizedTest(name = "[{index}] parse(\"{0}\") = {1} nano-CPUs  <- {2}")
    @CsvSource(delimiter = '|', textBlock = """
            0.35         | 350000000   | service/opts_test TestNanoCPUsSetAndValue Set("0.35")
            6.1          | 6100000000  | service/opts_test TestNanoCPUsString 6100000000 ("6.100")
            6.100        | 6100000000  | service/opts_test TestNanoCPUsString: the CLI's own print form
            1            | 1000000000  | ParseCPUs: a whole number of cores
            2.5          | 2500000000  | ParseCPUs("2.5"): the origin's 2.5 cores
            2.01         | 2010000000  | ParseCPUs is exact: big.Rat, no float
            0.29         | 290000000   | ParseCPUs is exact: big.Rat, no float
            0.123456789  | 123456789   | ParseCPUs: nine decimals is one nano-CPU, still exact
            2.5000000000 | 2500000000  | ParseCPUs: trailing zeros past 9 decimals keep the product whole
            0.01         | 10000000    | the smallest amount the daemon runs (1000 us per 100000 us)
            """)
    void parse_acceptsDockerCliCpus(String text, long nanos, String upstream) {
        CpuLimit cpu = CpuLimit.parse(text);
        assertThat(cpu.toNanoCpus()).as(upstream).isEqualTo(nanos);
        assertThat(cpu.isQuotaForm()).isFalse();
    }

    /**
     * docker/cli {@code opts_test.go TestParseCPUsReturnZeroOnInvalidValues} and the "value is too
     * precise" branch of {@code ParseCPUs}. "1e-32" is "too precise" upstream; we have no exponents
     * at all, so it fails at the 'e'.
     */
    @ParameterizedTest(name = "[{index}] parse(\"{0}\") fails at {1}  <- {2}")
    @CsvSource(delimiter = '|', textBlock = """
            foo            | 0  | TestParseCPUsReturnZeroOnInvalidValues "foo"
            1e-32          | 1  | TestParseCPUsReturnZeroOnInvalidValues "1e-32" (too precise upstream; no exponents here)
            0.0000000001   | 11 | ParseCPUs "value is too precise": a tenth of a nano-CPU
            1.0000000001   | 11 | ParseCPUs "value is too precise"
            2.50000000001  | 11 | ParseCPUs "value is too precise", trailing digits after zeros
            """)
    void parse_rejectsDockerCliErrors(String text, int errorIndex, String upstream) {
        assertParseError(text, errorIndex, upstream);
    }

    @Test
    void parse_refusesMoreThanNineDecimalsLikeTheDockerCli() {
        LimitParseException e = catchThrowableOfType(LimitParseException.class, () -> CpuLimit.parse("0.0000000001"));
        assertThat(e.expected()).startsWith("at most 9 decimal places for cores");
        assertThat(CpuLimit.parse("0.010000000000").toNanoCpus()).isEqualTo(10_000_000L);
    }

    /**
     * Text big.Rat.SetString accepts, and so the docker CLI, that our grammar refuses on purpose:
     * fractions, exponents, base prefixes, signs, and a bare leading or trailing dot.
     */
    @ParameterizedTest(name = "[{index}] parse(\"{0}\") fails at {1}  <- {2}")
    @CsvSource(delimiter = '|', textBlock = """
            1/2   | 1 | big.Rat "1/2" = 0.5 core
            1e3   | 1 | big.Rat "1e3" = 1000 cores
            2E0   | 1 | big.Rat "2E0" = 2 cores
            0x10  | 1 | big.Rat "0x10" = 16 cores
            +1    | 0 | big.Rat "+1" = 1 core
            -1    | 0 | big.Rat "-1" = -1 core (the daemon refuses it later)
            .5    | 0 | big.Rat ".5" = 0.5 core
            """)
    void parse_rejectsBigRatSyntax(String text, int errorIndex, String upstream) {
        assertParseError(text, errorIndex, upstream);
    }

    // -------------------------------------------------------------------- our other forms

    @ParameterizedTest(name = "[{index}] parse(\"{0}\") = {1} nano-CPUs, toString \"{2}\"")
    @CsvSource({
        "2.5, 2500000000, 2.5", "250%, 2500000000, 2.5", "2500m, 2500000000, 2.5", "3, 3000000000, 3",
        "10, 10000000000, 10", "1%, 10000000, 0.01", "10m, 10000000, 0.01", "0.29, 290000000, 0.29",
        "33.3333333%, 333333333, 0.333333333", "333.333333m, 333333333, 0.333333333",
        "9223372036.854775807, 9223372036854775807, 9223372036.854775807"})
    void parse_acceptsCoresPercentAndMillicores(String text, long nanos, String canonical) {
        CpuLimit cpu = CpuLimit.parse(text);
        assertThat(cpu.toNanoCpus()).isEqualTo(nanos);
        assertThat(cpu).hasToString(canonical);
        assertThat(CpuLimit.parse(canonical)).isEqualTo(cpu);
    }

    @Test
    void parse_acceptsQuotaOverPeriod() {
        CpuLimit cpu = CpuLimit.parse("250000us/100000us");
        assertThat(cpu.isQuotaForm()).isTrue();
        assertThat(cpu.cfsQuotaMicros()).hasValue(250_000);
        assertThat(cpu.cfsPeriodMicros()).hasValue(100_000);
        assertThat(cpu.cores()).isEqualByComparingTo("2.5");
        assertThat(cpu).hasToString("250000us/100000us");
        assertThat(CpuLimit.parse("250000US/100000Us")).isEqualTo(cpu);
    }

    @ParameterizedTest(name = "[{index}] parse(\"{0}\") fails at {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                 | 0  | empty
            ' 2'               | 0  | leading blank
            '2 '               | 1  | trailing blank
            2.                 | 2  | a dot needs digits
            2,5                | 1  | a comma is not a decimal point
            2.5.5              | 3  | one dot
            2.5c               | 3  | no such unit
            2500M              | 4  | millicores are a lowercase m
            2500mm             | 4  | one m
            2500m%             | 4  | one unit
            250%%              | 4  | one percent sign
            250000us/100000    | 15 | the period needs its us
            250000us100000us   | 6  | the quota needs us/
            250000us/us        | 9  | the period needs digits
            2.5us/100000us     | 1  | the quota is whole microseconds
            250000us/1000.5us  | 13 | the period is whole microseconds
            NaN                | 0  | not a number
            Infinity           | 0  | not a number
            """)
    void parse_rejectsMalformedText(String text, int errorIndex, String why) {
        assertParseError(text, errorIndex, why);
    }

    @Test
    void parse_rejectsTooPreciseDecimalsInEveryForm() {
        // At most 9 decimals for cores, 7 for percent, 6 for millicores: one nano-CPU each.
        assertParseError("33.33333333%", 10, "eighth decimal of a percent");
        assertParseError("333.3333333m", 10, "seventh decimal of a millicore");
        assertThat(CpuLimit.parse("33.33333330%").toNanoCpus()).isEqualTo(333_333_333L);
    }

    @Test
    void parse_rejectsANoBreakSpaceAsTheEnd() {
        assertParseError("2.5\u00A0", 3, "a no-break space is not the end");
    }

    @Test
    void parse_refusesUnicodeLookalikesInTheQuotaForm() {
        // Regression: "ſ" (long s) upper-cases to 'S' and passed for the s of "us".
        assertParseError("1000u\u017F/1000us", 4, "LATIN SMALL LETTER LONG S is not s");
    }

    @Test
    void parse_rejectsValuesBeyondLong() {
        assertParseError("9223372037", 0, "9223372037 cores is more than Long.MAX_VALUE nano-CPUs");
        assertThat(CpuLimit.parse("9223372036").toNanoCpus()).isEqualTo(9_223_372_036_000_000_000L);
        assertParseError("9223372036.854775808", 0, "one nano-CPU more than Long.MAX_VALUE");
        assertParseError("9223372036854775808us/100000us", 0, "quota beyond a long");
        assertParseError("100000us/9223372036854775808us", 9, "period beyond a long");
    }

    // ------------------------------------------------------------------------------ bounds

    @Test
    void parse_refusesLessThanOneHundredthOfACore() {
        assertThat(CpuLimit.parse("0.01").toNanoCpus()).isEqualTo(10_000_000L);
        InvalidLimitsException e = catchThrowableOfType(InvalidLimitsException.class, () -> CpuLimit.parse("0.009999999"));
        assertThat(e.violations()).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("nano_cpus");
            assertThat(v.value()).isEqualTo("0.009999999");
            assertThat(v.rule()).contains("at least 0.01 core (10000000 nano-CPUs)");
        });
        assertThatThrownBy(() -> CpuLimit.parse("0")).isInstanceOf(InvalidLimitsException.class);
        assertThatThrownBy(() -> CpuLimit.parse("9m")).isInstanceOf(InvalidLimitsException.class);
        assertThatThrownBy(() -> CpuLimit.parse("0.9%")).isInstanceOf(InvalidLimitsException.class);
    }

    @Test
    void ofNanoCpus_enforcesTheMinimum() {
        assertThat(CpuLimit.MIN_NANO_CPUS).isEqualTo(10_000_000L);
        assertThat(CpuLimit.ofNanoCpus(10_000_000L).toNanoCpus()).isEqualTo(10_000_000L);
        assertThatThrownBy(() -> CpuLimit.ofNanoCpus(9_999_999L)).isInstanceOf(InvalidLimitsException.class)
                .hasMessageContaining("nano_cpus = 9999999");
        assertThatThrownBy(() -> CpuLimit.ofNanoCpus(-1)).isInstanceOf(InvalidLimitsException.class);
        assertThat(CpuLimit.ofNanoCpus(Long.MAX_VALUE).toNanoCpus()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void ofQuota_enforcesQuotaAtLeast1000() {
        assertThat(CpuLimit.ofQuota(1000, 100_000).cfsQuotaMicros()).hasValue(1000);
        InvalidLimitsException e = catchThrowableOfType(InvalidLimitsException.class, () -> CpuLimit.ofQuota(999, 100_000));
        assertThat(e.violations()).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("cpu_quota");
            assertThat(v.value()).isEqualTo("999");
            assertThat(v.rule()).contains("at least 1000 us");
        });
    }

    @Test
    void ofQuota_enforcesPeriodBetween1000And1000000() {
        assertThat(CpuLimit.ofQuota(1000, 1000).cfsPeriodMicros()).hasValue(1000);
        assertThat(CpuLimit.ofQuota(1000, 1_000_000).cfsPeriodMicros()).hasValue(1_000_000);
        for (long period : new long[] {999, 1_000_001, 0, -1}) {
            InvalidLimitsException e = catchThrowableOfType(InvalidLimitsException.class, () -> CpuLimit.ofQuota(100_000, period));
            assertThat(e.violations()).as("period %d", period).singleElement().satisfies(v -> {
                assertThat(v.field()).isEqualTo("cpu_period");
                assertThat(v.value()).isEqualTo(Long.toString(period));
                assertThat(v.rule()).contains("between 1000 us (1 ms) and 1000000 us (1 s)");
            });
        }
    }

    @Test
    void ofQuota_reportsBothBrokenBoundsAtOnce() {
        InvalidLimitsException e = catchThrowableOfType(InvalidLimitsException.class, () -> CpuLimit.ofQuota(999, 999));
        assertThat(e.violations()).extracting(Violation::field).containsExactly("cpu_quota", "cpu_period");
    }

    @Test
    void parse_appliesQuotaBounds() {
        assertThatThrownBy(() -> CpuLimit.parse("999us/100000us")).isInstanceOf(InvalidLimitsException.class)
                .hasMessageContaining("cpu_quota = 999");
        assertThatThrownBy(() -> CpuLimit.parse("1000us/999us")).isInstanceOf(InvalidLimitsException.class)
                .hasMessageContaining("cpu_period = 999");
        assertThatThrownBy(() -> CpuLimit.parse("1000us/1000001us")).isInstanceOf(InvalidLimitsException.class);
        assertThat(CpuLimit.parse("1000us/1000000us").cores()).isEqualByComparingTo("0.001");
    }

    @Test
    void ofCores_isExactAndRefusesTooPrecise() {
        assertThat(CpuLimit.ofCores(new BigDecimal("2.5")).toNanoCpus()).isEqualTo(2_500_000_000L);
        assertThat(CpuLimit.ofCores(new BigDecimal("2.5000000000000")).toNanoCpus()).isEqualTo(2_500_000_000L);
        assertThatThrownBy(() -> CpuLimit.ofCores(new BigDecimal("0.0100000001")))
                .isInstanceOf(InvalidLimitsException.class).hasMessageContaining("is too precise");
        assertThat(CpuLimit.ofCores(new BigDecimal("0.01")).toNanoCpus()).isEqualTo(CpuLimit.MIN_NANO_CPUS);
        assertThatThrownBy(() -> CpuLimit.ofCores(new BigDecimal("0.009999999")))
                .isInstanceOf(InvalidLimitsException.class).hasMessageContaining("at least 0.01 core");
        assertThatThrownBy(() -> CpuLimit.ofCores(new BigDecimal("9223372037")))
                .isInstanceOf(InvalidLimitsException.class).hasMessageContaining("at most");
        assertThat(CpuLimit.ofCores(4)).isEqualTo(CpuLimit.parse("4"));
        assertThatThrownBy(() -> CpuLimit.ofCores(0)).isInstanceOf(InvalidLimitsException.class);
        assertThat(CpuLimit.ofMillicores(10)).isEqualTo(CpuLimit.parse("0.01"));
        assertThatThrownBy(() -> CpuLimit.ofMillicores(9)).isInstanceOf(InvalidLimitsException.class);
    }

    // ------------------------------------------------------------------------------ quota math

    @Test
    void quotaMicros_isExactWhereDockerSpawnersFloatIsNot() {
        // DockerSpawner computes int(cpu_limit * cpu_period) in floating point: 28999.
        assertThat((long) (0.29 * 100_000)).isEqualTo(28_999L);
        assertThat(CpuLimit.parse("0.29").quotaMicros(100_000)).isEqualTo(29_000L);
    }

    @Test
    void toNanoCpus_isExactWhereAFloatBasedSpawnerIsNot() {
        // A Java spawner doing (long) (cores * 1e9) sends 2009999999.
        assertThat((long) (2.01 * 1e9)).isEqualTo(2_009_999_999L);
        assertThat(CpuLimit.parse("2.01").toNanoCpus()).isEqualTo(2_010_000_000L);
    }

    @Test
    void quotaMicros_roundsDownOverOtherPeriods() {
        CpuLimit third = CpuLimit.parse("0.333333333");
        assertThat(third.quotaMicros(100_000)).isEqualTo(33_333L);
        assertThat(third.quotaMicros(1_000_000)).isEqualTo(333_333L);
        CpuLimit quota = CpuLimit.ofQuota(100_001, 300_000);
        assertThat(quota.quotaMicros(300_000)).isEqualTo(100_001L);
        assertThat(quota.quotaMicros(100_000)).isEqualTo(33_333L);
        assertThat(CpuLimit.ofQuota(250_000, 100_000).quotaMicros(100_000)).isEqualTo(250_000L);
    }

    @Test
    void quotaMicros_refusesPeriodsOutOfRangeAndQuotasUnder1000() {
        CpuLimit cpu = CpuLimit.parse("2.5");
        assertThat(cpu.quotaMicros(1000)).isEqualTo(2500L);
        assertThat(cpu.quotaMicros(1_000_000)).isEqualTo(2_500_000L);
        assertThatThrownBy(() -> cpu.quotaMicros(999)).isInstanceOf(InvalidLimitsException.class)
                .hasMessageContaining("cpu_period = 999");
        assertThatThrownBy(() -> cpu.quotaMicros(1_000_001)).isInstanceOf(InvalidLimitsException.class);
        // 0.01 core over a 10 ms period is 100 us, under the kernel's minimum.
        assertThat(CpuLimit.parse("0.01").quotaMicros(100_000)).isEqualTo(1000L);
        assertThatThrownBy(() -> CpuLimit.parse("0.01").quotaMicros(99_999))
                .isInstanceOf(InvalidLimitsException.class).hasMessageContaining("use a longer period");
    }

    @Test
    void ofQuota_derivesNanoCpusRoundedDownAndCapped() {
        assertThat(CpuLimit.ofQuota(250_000, 100_000).toNanoCpus()).isEqualTo(2_500_000_000L);
        assertThat(CpuLimit.ofQuota(100_000, 300_000).toNanoCpus()).isEqualTo(333_333_333L);
        assertThat(CpuLimit.ofQuota(Long.MAX_VALUE, 1000).toNanoCpus()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void coresAndPercent_areExactWithoutTrailingZeros() {
        CpuLimit cpu = CpuLimit.parse("2.5");
        assertThat(cpu.cores()).isEqualTo(new BigDecimal("2.5"));
        assertThat(cpu.percentOfOneCore()).isEqualTo(new BigDecimal("2.5E+2"));
        assertThat(cpu.percentOfOneCore().toPlainString()).isEqualTo("250");
        assertThat(cpu.cfsQuotaMicros()).isEmpty();
        assertThat(cpu.cfsPeriodMicros()).isEmpty();
    }

    // ----------------------------------------------------------------------- comparison

    @Test
    void compareTo_comparesAmountsAcrossForms() {
        CpuLimit cores = CpuLimit.parse("2.5");
        CpuLimit quota = CpuLimit.ofQuota(250_000, 100_000);
        assertThat(cores.compareTo(quota)).isZero();
        assertThat(quota.compareTo(cores)).isZero();
        assertThat(cores).isNotEqualTo(quota);
        // 1/3 core is a little more than 0.333333333 core, though both have 333333333 nano-CPUs.
        CpuLimit third = CpuLimit.ofQuota(100_000, 300_000);
        CpuLimit nanos = CpuLimit.ofNanoCpus(333_333_333L);
        assertThat(third.toNanoCpus()).isEqualTo(nanos.toNanoCpus());
        assertThat(third).isGreaterThan(nanos);
        assertThat(nanos).isLessThan(third);
        assertThat(CpuLimit.ofQuota(200_000, 400_000).compareTo(CpuLimit.ofQuota(50_000, 100_000))).isZero();
        assertThat(CpuLimit.ofQuota(200_000, 400_000)).isNotEqualTo(CpuLimit.ofQuota(50_000, 100_000));
    }

    @Test
    void equalsAndHashCode_includeTheForm() {
        assertThat(CpuLimit.parse("250%")).isEqualTo(CpuLimit.parse("2.5")).hasSameHashCodeAs(CpuLimit.parse("2.5"));
        assertThat(CpuLimit.parse("250000us/100000us")).isEqualTo(CpuLimit.ofQuota(250_000, 100_000))
                .hasSameHashCodeAs(CpuLimit.ofQuota(250_000, 100_000));
        assertThat(CpuLimit.parse("2.5")).isNotEqualTo("2.5");
    }

    @Test
    void serialization_preservesValueAndForm() {
        for (CpuLimit cpu : new CpuLimit[] {CpuLimit.parse("2.5"), CpuLimit.ofQuota(250_000, 100_000)}) {
            assertThat(TestSupport.serializedCopy(cpu)).isEqualTo(cpu);
        }
    }

    private static void assertParseError(String text, int errorIndex, String why) {
        LimitParseException e = catchThrowableOfType(LimitParseException.class, () -> CpuLimit.parse(text));
        assertThat(e).as(why).isNotNull();
        assertThat(e.what()).isEqualTo("cpu limit");
        assertThat(e.input()).isEqualTo(text);
        assertThat(e.errorIndex()).as(why).isEqualTo(errorIndex);
    }

    @Test
    void ofCores_refusesExtremeScales_withABoundedMessage() {
        // Regression (issue 7 fuzzing): toPlainString() of 1E+999999999 ran out of memory, and
        // stripTrailingZeros() of 1E+2147483647 threw ArithmeticException.
        for (String huge : new String[] {"1E+999999999", "1E+2147483647", "-1E+2147483647", "1E-999999999"}) {
            InvalidLimitsException e = catchThrowableOfType(InvalidLimitsException.class,
                    () -> CpuLimit.ofCores(new BigDecimal(huge)));
            assertThat(e.violations()).singleElement()
                    .satisfies(v -> assertThat(v.value()).isEqualTo(new BigDecimal(huge).toString()));
        }
    }
}
