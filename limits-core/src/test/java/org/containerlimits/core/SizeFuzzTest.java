package org.containerlimits.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.containerlimits.core.FuzzInputs.assertNamesInput;
import static org.containerlimits.core.FuzzInputs.pick;

import java.math.BigInteger;
import java.util.ArrayList;
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
import org.containerlimits.core.FuzzInputs.Outcome;
import org.containerlimits.core.FuzzInputs.Quantity;
import org.containerlimits.core.FuzzInputs.Sample;
import org.containerlimits.core.FuzzInputs.Stats;

/**
 * Issue 7 for the size grammars: {@link MemorySize#parse}, {@link MemorySize#parseKubernetes} and
 * {@link SwapLimit#parse}, 100,000 generated and mutated texts each. Each input either parses to
 * exactly the byte count an independent BigInteger oracle computes (so nothing past
 * Long.MAX_VALUE bytes wraps, a fraction of a byte is truncated, and the canonical form reads
 * back), or raises a {@link LimitParseException} naming it; the oracle also says which of the two,
 * so neither a too strict nor a too lenient parser passes.
 */
@Tag("reliability")
class SizeFuzzTest {

    @AfterProperty
    void report() {
        FuzzInputs.report();
    }

    // ------------------------------------------------------------------------------ Docker sizes

    @Property(tries = FuzzInputs.TRIES, generation = GenerationMode.RANDOMIZED)
    void memorySizeParse(@ForAll("dockerSizes") Sample<String> sample) {
        Stats stats = FuzzInputs.stats("MemorySize.parse");
        stats.input(sample);
        String text = sample.value();
        BigInteger expected = FuzzInputs.dockerBytes(text);
        Outcome<MemorySize> out = FuzzInputs.attempt(stats, () -> MemorySize.parse(text));
        checkSize(text, out, expected == null || !FuzzInputs.fitsLong(expected) ? null : expected,
                size -> MemorySize.parse(size.toString()));
    }

    /**
     * Refused with a parse error naming the input exactly when the oracle has no value; else the
     * oracle's byte count, and the canonical form reads back ({@code reparse}).
     */
    private static void checkSize(String text, Outcome<MemorySize> out, BigInteger expected,
            java.util.function.UnaryOperator<MemorySize> reparse) {
        if (out.error() != null) {
            assertThat(out.error()).isInstanceOf(LimitParseException.class);
            assertNamesInput((LimitParseException) out.error(), text);
            assertThat(expected).as("refused %s, which is %s bytes", FuzzInputs.describe(text), expected).isNull();
            return;
        }
        assertThat(expected).as("accepted %s as %s", FuzzInputs.describe(text), out.value()).isNotNull();
        assertThat(BigInteger.valueOf(out.value().toBytes())).isEqualTo(expected);
        assertThat(reparse.apply(out.value())).isEqualTo(out.value());
    }

    @Provide
    Arbitrary<Sample<String>> dockerSizes() {
        return FuzzInputs.texts(SizeFuzzTest::dockerSize, Arbitraries.oneOf(List.of(
                LimitsArbitraries.memorySizes().map(Object::toString),
                Arbitraries.of("1.5g", "1 GiB", "64mb", "0.1k", "100000", "1024m", "1 b", "8191p", "1KiB"))));
    }

    private static final List<String> DOCKER_UNITS = List.of("", "", "b", "B", "k", "K", "m", "M", "g", "G", "t", "T",
            "p", "P", "kb", "KB", "kib", "KiB", "mB", "gIb", "Ki", "e", "E", "eb", "i", "ib", "bb", "kk", "\u212A",
            "g ", "gi", "k\u0131b", "%");

    /** A size: a hostile number, maybe a blank, a unit; or a number at the 2^63-byte boundary of a unit. */
    static String dockerSize(Random r) {
        if (r.nextInt(5) == 0) {
            return unitBoundary(r);
        }
        if (r.nextInt(10) == 0) {
            return FuzzInputs.hostileText(r);
        }
        String blank = r.nextInt(8) == 0 ? String.valueOf(pick(r, FuzzInputs.SPACES)) : "";
        return FuzzInputs.number(r) + blank + pick(r, DOCKER_UNITS);
    }

    /** (2^63 - 1) / 1024^n and its neighbours in unit n, and the issue's own overflowing examples. */
    static String unitBoundary(Random r) {
        if (r.nextInt(4) == 0) {
            return pick(r, "9223372036854775807k", "8e", "16384P", "8192p", "8191p", "8388608t", "8388607T",
                    "9223372036854775807", "9223372036854775808", "9223372036854775807.999b",
                    "8191.99999999999999999999p", "8192.0000000000000000001p", "9223372036854775807 b");
        }
        int power = r.nextInt(6);
        BigInteger unit = BigInteger.valueOf(1024).pow(power);
        BigInteger top = BigInteger.valueOf(Long.MAX_VALUE).divide(unit).add(BigInteger.valueOf(r.nextInt(3) - 1));
        String fraction = r.nextBoolean() ? "" : "." + FuzzInputs.digits(r, 1 + r.nextInt(25));
        return top + fraction + (power == 0 ? pick(r, "", "b") : String.valueOf("kmgtp".charAt(power - 1)));
    }

    // ------------------------------------------------------------------------------ Kubernetes

    @Property(tries = FuzzInputs.TRIES, generation = GenerationMode.RANDOMIZED)
    void memorySizeParseKubernetes(@ForAll("kubernetesQuantities") Sample<String> sample) {
        Stats stats = FuzzInputs.stats("MemorySize.parseKubernetes");
        stats.input(sample);
        String text = sample.value();
        Quantity q = FuzzInputs.kubernetes(text);
        // A whole number of bytes within a long, else refused. The library refuses exponents past 40
        // (10^41 overflows anyway; only 0e41 would be a size), which the oracle follows.
        BigInteger expected = q == null || q.value() == null || q.value().stripTrailingZeros().scale() > 0
                || !FuzzInputs.fitsLong(q.value().toBigInteger()) ? null : q.value().toBigIntegerExact();
        Outcome<MemorySize> out = FuzzInputs.attempt(stats, () -> MemorySize.parseKubernetes(text));
        checkSize(text, out, expected, size -> MemorySize.parseKubernetes(size.toKubernetesString()));
    }

    @Provide
    Arbitrary<Sample<String>> kubernetesQuantities() {
        return FuzzInputs.texts(SizeFuzzTest::kubernetesQuantity, Arbitraries.oneOf(List.of(
                LimitsArbitraries.memorySizes().map(MemorySize::toKubernetesString),
                Arbitraries.of("1e9", "123Mi", "+.5Ki", "129M", "1.5Gi", "1000m", "1.", "7Ei", "1E3", "12e-1"))));
    }

    private static final List<String> KUBERNETES_SUFFIXES = List.of("", "", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "n",
            "u", "m", "k", "M", "G", "T", "P", "E", "ki", "KI", "K", "mi", "B", "Gb", "i", "e", "e3", "E+3", "e-3",
            "e40", "e41", "E-41", "e+0", "e1000", "e1001", "e999999999", "Ki ", "\u00B5");

    static String kubernetesQuantity(Random r) {
        if (r.nextInt(6) == 0) {
            return pick(r, "8Ei", "7Ei", "7.99999999999999999999Ei", "9.223372036854775807E", "9.223372036854775808E",
                    FuzzInputs.LONG_MAX, FuzzInputs.TWO_TO_63, "9223372036854775807000m", "9223372036854775808000m",
                    "9223372036854775807e0", "0.9223372036854775807e19", "0.001k", "1500m", "0e41", "8192Pi",
                    "9007199254740992Ki", "+9223372036854775807", "++1", "+", "+.", ".", "1e", "-1");
        }
        if (r.nextInt(10) == 0) {
            return FuzzInputs.hostileText(r);
        }
        return (r.nextInt(6) == 0 ? "+" : "") + FuzzInputs.number(r) + pick(r, KUBERNETES_SUFFIXES);
    }

    // ------------------------------------------------------------------------------ swap

    @Property(tries = FuzzInputs.TRIES, generation = GenerationMode.RANDOMIZED)
    void swapLimitParse(@ForAll("swapTexts") Sample<String> sample) {
        Stats stats = FuzzInputs.stats("SwapLimit.parse");
        stats.input(sample);
        String text = sample.value();
        boolean unlimited = text.equals("-1") || FuzzInputs.equalsIgnoreAsciiCase(text, "unlimited");
        BigInteger bytes = FuzzInputs.dockerBytes(text);
        Outcome<SwapLimit> out = FuzzInputs.attempt(stats, () -> SwapLimit.parse(text));
        if (out.error() != null) {
            assertThat(out.error()).isInstanceOf(LimitParseException.class);
            assertNamesInput((LimitParseException) out.error(), text);
            assertThat(unlimited || bytes != null && FuzzInputs.fitsLong(bytes))
                    .as("refused %s", FuzzInputs.describe(text)).isFalse();
            return;
        }
        if (unlimited) {
            assertThat(out.value()).isEqualTo(SwapLimit.UNLIMITED);
        } else {
            assertThat(bytes).as("accepted %s as %s", FuzzInputs.describe(text), out.value()).isNotNull();
            assertThat(BigInteger.valueOf(out.value().memoryPlusSwap().orElseThrow().toBytes())).isEqualTo(bytes);
        }
        assertThat(SwapLimit.parse(out.value().toString())).isEqualTo(out.value());
    }

    @Provide
    Arbitrary<Sample<String>> swapTexts() {
        List<String> seeds = new ArrayList<>(List.of("-1", "unlimited", "2g", "1.5g", "8191p"));
        return FuzzInputs.texts(r -> r.nextInt(4) == 0
                ? pick(r, "-1", "unlimited", "UNLIMITED", "Unlimited", "unlimite\u0131", "\u212Aunlimited", "-1 ",
                        " -1", "-01", "-2", "\u22121", "-0", "-", "-1g", "unlimited\u0000", "")
                : dockerSize(r),
                Arbitraries.oneOf(List.of(Arbitraries.of(seeds),
                        LimitsArbitraries.swapLimits(0).map(Object::toString))));
    }
}
