package org.containerlimits.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.containerlimits.core.FuzzInputs.assertNamesInput;
import static org.containerlimits.core.FuzzInputs.pick;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterProperty;
import org.containerlimits.core.FuzzInputs.Cpu;
import org.containerlimits.core.FuzzInputs.Outcome;
import org.containerlimits.core.FuzzInputs.Sample;
import org.containerlimits.core.FuzzInputs.Stats;
import org.containerlimits.core.FuzzInputs.Verdict;

/**
 * Issue 7 for CPU limits: {@link CpuLimit#parse} on 100,000 generated and mutated texts, and the
 * numeric factories ({@code ofQuota}, {@code ofNanoCpus}, {@code ofCores}, {@code ofMillicores})
 * on 100,000 calls with random, huge, negative and boundary arguments. A BigDecimal oracle says for
 * each input whether it is a value (then nano-CPUs, quota and period must equal its exact
 * computation, and the canonical form must read back), a grammar error
 * ({@link LimitParseException} naming the text) or out of bounds ({@link InvalidLimitsException}
 * whose violations name the field and the value given).
 */
@Tag("reliability")
class CpuFuzzTest {

    @AfterProperty
    void report() {
        FuzzInputs.report();
    }

    // ------------------------------------------------------------------------------ parse

    @Property(tries = FuzzInputs.TRIES, generation = GenerationMode.RANDOMIZED)
    void cpuLimitParse(@ForAll("cpuTexts") Sample<String> sample) {
        Stats stats = FuzzInputs.stats("CpuLimit.parse");
        stats.input(sample);
        String text = sample.value();
        Cpu expected = FuzzInputs.cpu(text);
        Outcome<CpuLimit> out = FuzzInputs.attempt(stats, () -> CpuLimit.parse(text));
        String as = FuzzInputs.describe(text);
        if (out.error() instanceof LimitParseException e) {
            assertNamesInput(e, text);
            assertThat(expected.verdict()).as("%s refused as text", as).isEqualTo(Verdict.PARSE_ERROR);
        } else if (out.error() instanceof InvalidLimitsException e) {
            FuzzInputs.assertViolations(e);
            assertThat(expected.verdict()).as("%s refused as out of bounds", as).isEqualTo(Verdict.INVALID);
            for (Violation v : e.violations()) {
                assertThat(v.field()).isIn("nano_cpus", "cpu_quota", "cpu_period");
                // The whole text for cores, the quota or period as a number for the quota form.
                assertThat(text).as("%s names %s", as, v).contains(v.value());
            }
        } else {
            assertThat(out.error()).isNull();
            assertThat(expected.verdict()).as("%s accepted as %s", as, out.value()).isEqualTo(Verdict.VALUE);
            FuzzInputs.assertCpu(out.value(), expected);
            assertThat(CpuLimit.parse(out.value().toString())).isEqualTo(out.value());
        }
    }

    @Provide
    Arbitrary<Sample<String>> cpuTexts() {
        return FuzzInputs.texts(CpuFuzzTest::cpuText, Arbitraries.oneOf(List.of(
                LimitsArbitraries.cpuLimits().map(Object::toString),
                Arbitraries.of("2.5", "250%", "2500m", "250000us/100000us", "0.29", "2.01", "0.01", "1000us/1000000us"))));
    }

    private static final List<String> CPU_SUFFIXES = List.of("", "", "", "%", "%", "m", "m", "M", "mm", "%%", "us",
            "u", "e9", "E+3", "c", "m ", "\uFF05", "\u2030");

    static String cpuText(Random r) {
        switch (r.nextInt(10)) {
            case 0:
                return pick(r, "0.01", "0.009999999", "0.00999999999", "0.000000001", "0.0000000001", "0",
                        "9223372036.854775807", "9223372036.854775808", "922337203685.4775807%",
                        "922337203685.4775808%", "9223372036854.775807m", "9223372036854.775808m", "1.0000000000",
                        "0.0100000000000", "1%", "0.9%", "10m", "9.999999m", "9.9999999m", "100.0000000%");
            case 1, 2: {
                String quota = pick(r, "999", "1000", "250000", FuzzInputs.LONG_MAX, FuzzInputs.TWO_TO_63, "0",
                        FuzzInputs.number(r));
                String period = pick(r, "999", "1000", "100000", "1000000", "1000001", "0", FuzzInputs.LONG_MAX,
                        FuzzInputs.TWO_TO_63, FuzzInputs.number(r));
                return quota + pick(r, "us/", "US/", "uS/", "us /", "\u00B5s/", "us\u2215", "/") + period
                        + pick(r, "us", "US", "", "us ", "usus", "ms");
            }
            case 3:
                return FuzzInputs.hostileText(r);
            default:
                return FuzzInputs.number(r) + pick(r, CPU_SUFFIXES);
        }
    }

    // ------------------------------------------------------------------------------ factories

    /** One factory call: which factory, its long arguments, or its BigDecimal. */
    record Call(int factory, long a, long b, BigDecimal cores) {
        @Override
        public String toString() {
            return switch (factory) {
                case 0 -> "ofQuota(" + a + ", " + b + ")";
                case 1 -> "ofNanoCpus(" + a + ")";
                case 2 -> "ofCores(" + a + "L)";
                case 3 -> "ofMillicores(" + a + ")";
                default -> "ofCores(new BigDecimal(\"" + cores + "\"))";
            };
        }
    }

    @Property(tries = FuzzInputs.TRIES, generation = GenerationMode.RANDOMIZED)
    void cpuLimitFactories(@ForAll("calls") Sample<Call> sample) {
        Stats stats = FuzzInputs.stats("CpuLimit factories");
        stats.input(sample);
        Call c = sample.value();
        Cpu expected;
        BigDecimal given;
        switch (c.factory()) {
            case 0 -> {
                expected = FuzzInputs.quota(c.a(), c.b());
                given = null;
            }
            case 1 -> {
                given = BigDecimal.valueOf(c.a());
                expected = nanos(given);
            }
            case 2 -> {
                given = BigDecimal.valueOf(c.a());
                expected = nanos(given.scaleByPowerOfTen(9));
            }
            case 3 -> {
                given = BigDecimal.valueOf(c.a(), 3);
                expected = nanos(given.scaleByPowerOfTen(9));
            }
            default -> {
                given = c.cores();
                expected = nanos(given.multiply(BigDecimal.valueOf(1_000_000_000)));
            }
        }
        Outcome<CpuLimit> out = FuzzInputs.attempt(stats, () -> switch (c.factory()) {
            case 0 -> CpuLimit.ofQuota(c.a(), c.b());
            case 1 -> CpuLimit.ofNanoCpus(c.a());
            case 2 -> CpuLimit.ofCores(c.a());
            case 3 -> CpuLimit.ofMillicores(c.a());
            default -> CpuLimit.ofCores(c.cores());
        });
        if (out.error() != null) {
            assertThat(out.error()).as("%s", c).isInstanceOf(InvalidLimitsException.class);
            InvalidLimitsException e = (InvalidLimitsException) out.error();
            FuzzInputs.assertViolations(e);
            assertThat(expected.verdict()).as("%s refused: %s", c, e.getMessage()).isEqualTo(Verdict.INVALID);
            for (Violation v : e.violations()) {
                assertThat(v.value().length()).as("%s: a bounded message", c).isLessThan(2_000);
                if (c.factory() == 0) {
                    assertThat(v.field()).isIn("cpu_quota", "cpu_period");
                    assertThat(v.value()).isEqualTo(Long.toString(v.field().equals("cpu_quota") ? c.a() : c.b()));
                } else {
                    // The value as given, exactly, in plain or scientific notation.
                    assertThat(v.field()).isEqualTo("nano_cpus");
                    // (Plain text only where it is short: 1E+999999999 has a billion digits.)
                    assertThat(v.value().equals(given.toString())
                            || Math.abs((long) given.scale()) <= 1000 && v.value().equals(given.toPlainString()))
                            .as("%s names %s", c, v).isTrue();
                }
            }
            if (c.factory() == 0) {
                long broken = (c.a() < 1000 ? 1 : 0) + (c.b() < 1000 || c.b() > 1_000_000 ? 1 : 0);
                assertThat(e.violations()).as("every broken bound of %s", c).hasSize((int) broken);
            }
            return;
        }
        assertThat(expected.verdict()).as("%s accepted as %s", c, out.value()).isEqualTo(Verdict.VALUE);
        FuzzInputs.assertCpu(out.value(), expected);
        assertThat(CpuLimit.parse(out.value().toString())).isEqualTo(out.value());
        // The quota over the default period, rounded down, never more CPU than the limit grants.
        BigInteger quota = out.value().isQuotaForm()
                ? BigInteger.valueOf(c.a()).multiply(BigInteger.valueOf(100_000)).divide(BigInteger.valueOf(c.b()))
                : BigInteger.valueOf(expected.nanos()).multiply(BigInteger.valueOf(100_000))
                        .divide(BigInteger.valueOf(1_000_000_000));
        if (quota.compareTo(BigInteger.valueOf(1000)) >= 0) {
            assertThat(BigInteger.valueOf(out.value().quotaMicros(100_000)))
                    .isEqualTo(quota.min(BigInteger.valueOf(Long.MAX_VALUE)));
        }
    }

    /** The nano-CPUs form's rules on an exact amount: whole, at most Long.MAX_VALUE, at least 0.01 core. */
    private static Cpu nanos(BigDecimal nanos) {
        if (nanos.scale() > 0 && nanos.signum() != 0 && nanos.stripTrailingZeros().scale() > 0
                || nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0
                || nanos.compareTo(BigDecimal.valueOf(10_000_000)) < 0) {
            return Cpu.error(Verdict.INVALID);
        }
        return new Cpu(Verdict.VALUE, nanos.longValueExact(), 0, 0);
    }

    @Provide
    Arbitrary<Sample<Call>> calls() {
        Arbitrary<Call> valid = Arbitraries.oneOf(List.of(
                LimitsArbitraries.quotas().flatMap(q -> LimitsArbitraries.periods().map(p -> new Call(0, q, p, null))),
                LimitsArbitraries.nanoCpus().map(n -> new Call(1, n, 0, null)),
                Arbitraries.longs().between(1, 9_223_372_036L).map(n -> new Call(2, n, 0, null)),
                Arbitraries.longs().between(10, Long.MAX_VALUE / 1_000_000).map(n -> new Call(3, n, 0, null)),
                LimitsArbitraries.nanoCpus().map(n -> new Call(4, 0, 0, BigDecimal.valueOf(n, 9)))));
        return FuzzInputs.samples(CpuFuzzTest::call, valid, CpuFuzzTest::perturb);
    }

    /** Longs at and around every bound, random, huge and negative. */
    static long hostileLong(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> r.nextLong();
            case 1 -> pick(r, Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L, 1L, 999L, 1000L, 1001L, 100_000L, 999_999L,
                    1_000_000L, 1_000_001L, 9_999_999L, 10_000_000L, 9_223_372_036L, 9_223_372_037L,
                    9_223_372_036_854L, 9_223_372_036_855L, Long.MAX_VALUE / 1_000_000_000, Integer.MAX_VALUE + 1L);
            case 2 -> r.nextInt(2_000_000) - 1000;
            default -> -r.nextInt(10_000);
        };
    }

    static Call call(Random r) {
        int factory = r.nextInt(5);
        BigDecimal cores = null;
        if (factory == 4) {
            cores = switch (r.nextInt(4)) {
                case 0 -> new BigDecimal(new BigInteger(1 + r.nextInt(100), r), r.nextInt(61) - 30);
                case 1 -> new BigDecimal(BigInteger.valueOf(pick(r, 1L, 0L, -1L, 25L)),
                        pick(r, 999_999_999, -999_999_999, Integer.MAX_VALUE, Integer.MIN_VALUE + 1, 9, 10, -400, 400));
                case 2 -> BigDecimal.valueOf(hostileLong(r), r.nextInt(20) - 5);
                default -> new BigDecimal(pick(r, "0.01", "0.00999999999", "0.0000000001", "9223372036.854775807",
                        "9223372036.854775808", "-0.01", "1E+400", "1E-400", "2.5", "0.000"));
            };
        }
        return new Call(factory, hostileLong(r), hostileLong(r), cores);
    }

    /** A valid call with one argument pushed: off by one, negated, scaled, or replaced by a bound. */
    static Call perturb(Call c, Random r) {
        long a = c.a();
        long b = c.b();
        BigDecimal cores = c.cores();
        for (int edits = 1 + r.nextInt(2); edits > 0; edits--) {
            long changed = switch (r.nextInt(6)) {
                case 0 -> a + 1;
                case 1 -> a - 1;
                case 2 -> -a;
                case 3 -> a * 1024;
                case 4 -> a >>> r.nextInt(64);
                default -> hostileLong(r);
            };
            if (r.nextBoolean()) {
                a = changed;
            } else {
                b = changed == a ? b + 1 : changed % 2_000_000;
            }
            if (cores != null) {
                cores = switch (r.nextInt(4)) {
                    case 0 -> cores.movePointLeft(r.nextInt(12));
                    case 1 -> cores.movePointRight(r.nextInt(12));
                    case 2 -> cores.negate();
                    default -> cores.add(BigDecimal.valueOf(1, 10));
                };
            }
        }
        return new Call(c.factory(), a, b, cores);
    }
}
