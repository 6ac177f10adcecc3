package org.containerlimits.core;


import org.containerlimits.core.KubernetesQuantity;


import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * What the fuzz tests of issue 7 share: a hostile alphabet, grammar-aware generators of text and
 * of map values, mutation of valid seeds, independent exact oracles (BigInteger/BigDecimal and
 * regular expressions, never the code under test) and the per-property counters they print.
 *
 * <p>The generators take a {@link Random} that jqwik supplies ({@link Arbitraries#randoms()}), so
 * every input is reproducible from jqwik's seed while the structure (how many edits, which token,
 * how deep a map) is free-form.
 */
public final class FuzzInputs {
    private FuzzInputs() {
    }

    /** Every fuzz property tries this many inputs; issue 7 asks for at least 100,000. */
    public static final int TRIES = 100_000;

    // ----------------------------------------------------------------------------- the alphabet

    /** Signs, including the look-alike minus signs a copy from a document brings along. */
    public static final String SIGNS = "+-\u2212\uFE63\uFF0D\uFF0B";

    /** Digits of other scripts: Arabic-Indic, fullwidth, Devanagari; Java's number parsers read them. */
    public static final String[] UNICODE_DIGITS = {
        "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669",
        "\uFF10\uFF11\uFF12\uFF13\uFF14\uFF15\uFF16\uFF17\uFF18\uFF19",
        "\u0966\u0967\u0968\u0969\u096A\u096B\u096C\u096D\u096E\u096F",
        "\u2070\u00B9\u00B2\u00B3\u2074\u2075\u2076\u2077\u2078\u2079",
    };

    /** Blanks that are not the ASCII space: no-break, figure, narrow, ideographic, line breaks. */
    public static final String SPACES = " \u00A0\u2007\u202F\u2009\u3000\t\n\r\u000B\u000C\u0085\u2028\uFEFF\u200B";

    /** Control characters and lone surrogates, which must survive into messages without harm. */
    public static final String CONTROLS = "\u0000\u0001\u001B\u007F\uD800\uDBFF\uDC00\uDFFF";

    /** Every character a mutation inserts: the grammars' own, then all of the above and look-alikes. */
    public static final String ALPHABET = "0123456789.,-+%/ =_:;eEiIbBkKmMgGtTpPuUsSnNlaxX#'\"\\"
            + SIGNS + String.join("", UNICODE_DIGITS) + SPACES + CONTROLS
            + "\u212A\u0131\u0130\u017F\u00B5\u03BC\u2024\u066B\uFF0E";

    /** Long.MAX_VALUE, 2^63 and their neighbours, as text. */
    public static final String LONG_MAX = Long.toString(Long.MAX_VALUE);
    public static final String TWO_TO_63 = BigInteger.TWO.pow(63).toString();

    /** Whole tokens a mutation inserts: huge numbers, exponents, signs, units, words. */
    public static final List<String> TOKENS = List.of(LONG_MAX, TWO_TO_63, "9223372036854775806", "18446744073709551616",
            "9".repeat(40), "1" + "0".repeat(400), "e400", "E+3", "e-3", "e9", "e999999999", "e-999999999",
            "e2147483648", "\u2212", "-", "+", "--", ".", "..", "0x1F", "NaN", "Infinity", "-Infinity", "unlimited",
            "-1", "0", "00000", "Ki", "Ei", "E", "us/", "us", "%", "m", "k", "ib", "iB", "8e", "16384P",
            "9223372036854775807k", "null", "true", "=", ",", "0-65535", "65536", "-0", "1.", ".5", "\u00A0",
            "\u3000", "\t", "\n");

    public static char pick(Random r, String chars) {
        return chars.charAt(r.nextInt(chars.length()));
    }

    public static <T> T pick(Random r, List<T> items) {
        return items.get(r.nextInt(items.size()));
    }

    @SafeVarargs
    public static <T> T pick(Random r, T... items) {
        return items[r.nextInt(items.length)];
    }

    // ------------------------------------------------------------------------------ numbers

    /** ASCII digits, {@code n} of them. */
    public static String digits(Random r, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('0' + r.nextInt(10)));
        }
        return sb.toString();
    }

    /** The same text with every ASCII digit written in another script. */
    public static String unicodeDigits(Random r, String s) {
        String script = pick(r, UNICODE_DIGITS);
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            sb.append(c >= '0' && c <= '9' ? script.charAt(c - '0') : c);
        }
        return sb.toString();
    }

    /**
     * A number as text, grammar-aware: small and huge (19 to 400 digits) whole numbers, leading
     * zeros, fractions, Long.MAX_VALUE and its neighbours, exponents, signs, Unicode digits, and
     * the degenerate {@code ""}, {@code "."}, {@code "5."}.
     */
    public static String number(Random r) {
        String n;
        switch (r.nextInt(12)) {
            case 0, 1, 2 -> n = digits(r, 1 + r.nextInt(6));
            case 3 -> n = digits(r, 19 + r.nextInt(r.nextInt(8) == 0 ? 382 : 20));
            case 4 -> n = pick(r, LONG_MAX, TWO_TO_63, "9223372036854775806", "18446744073709551615", "0", "1",
                    "999", "1000", "6291455", "6291456", "10000000", "9999999");
            case 5 -> n = "0".repeat(1 + r.nextInt(30)) + digits(r, 1 + r.nextInt(4));
            case 6, 7 -> n = digits(r, 1 + r.nextInt(6)) + "." + digits(r, 1 + r.nextInt(r.nextBoolean() ? 4 : 30));
            case 8 -> n = digits(r, 1 + r.nextInt(3)) + pick(r, "e", "E") + pick(r, "", "+", "-")
                    + pick(r, "0", "3", "9", "18", "40", "41", "400", "1000", "1001", "999999999", digits(r, 1 + r.nextInt(3)));
            case 9 -> n = pick(r, "", ".", "5.", ".5", "0.", "00", "1..5", "1.5.5", "0x10", "1_000", "1,5");
            case 10 -> n = unicodeDigits(r, digits(r, 1 + r.nextInt(5)));
            default -> n = digits(r, 1 + r.nextInt(4)) + pick(r, "", "." + digits(r, 1 + r.nextInt(9)));
        }
        if (r.nextInt(10) == 0) {
            n = pick(r, SIGNS) + n;
        }
        return n;
    }

    // ------------------------------------------------------------------------------ hostile text

    /** Random text over the hostile alphabet, sometimes any char at all, blank or thousands long. */
    public static String hostileText(Random r) {
        switch (r.nextInt(20)) {
            case 0:
                return "";
            case 1:
                return String.valueOf(pick(r, SPACES)).repeat(1 + r.nextInt(3));
            case 2: {
                // Any UTF-16 code unit, lone surrogates included.
                char[] cs = new char[r.nextInt(16)];
                for (int i = 0; i < cs.length; i++) {
                    cs[i] = (char) r.nextInt(0x10000);
                }
                return new String(cs);
            }
            case 3:
                if (r.nextInt(4) == 0) {
                    // Thousands of characters: the parsers must stay linear and the message whole.
                    return randomString(r, ALPHABET, 1000 + r.nextInt(4000));
                }
                return digits(r, 19 + r.nextInt(400));
            default:
                return randomString(r, ALPHABET, r.nextInt(24));
        }
    }

    public static String randomString(Random r, String chars, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(pick(r, chars));
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------------------ mutation

    /** One to four edits of a valid seed: insert, delete, replace, duplicate, swap, cut, re-script, grow. */
    public static String mutate(String seed, Random r) {
        String s = seed;
        int edits = 1 + r.nextInt(4);
        for (int e = 0; e < edits; e++) {
            s = edit(s, r);
        }
        return s;
    }

    private static String edit(String s, Random r) {
        int i = s.isEmpty() ? 0 : r.nextInt(s.length() + 1);
        int j = Math.min(s.length(), i + 1 + r.nextInt(8));
        switch (r.nextInt(11)) {
            case 0, 1:
                return s.substring(0, i) + pick(r, ALPHABET) + s.substring(i);
            case 2:
                return s.substring(0, i) + pick(r, TOKENS) + s.substring(i);
            case 3:
                return i < s.length() ? s.substring(0, i) + s.substring(i + 1) : s;
            case 4:
                return i < s.length() ? s.substring(0, i) + pick(r, ALPHABET) + s.substring(i + 1) : s + pick(r, ALPHABET);
            case 5:
                return s.substring(0, j) + s.substring(i, j) + s.substring(j);
            case 6:
                return i + 1 < s.length() ? s.substring(0, i) + s.charAt(i + 1) + s.charAt(i) + s.substring(i + 2) : s;
            case 7:
                return s.substring(0, i);
            case 8:
                return unicodeDigits(r, s);
            case 9:
                // Blanks around or inside, the kind a copy from a web page or a YAML file brings.
                return r.nextBoolean() ? pick(r, SPACES) + s + pick(r, SPACES)
                        : s.substring(0, i) + pick(r, SPACES) + s.substring(i);
            default:
                if (r.nextInt(8) == 0 && !s.isEmpty()) {
                    return s.repeat(Math.max(2, 2000 / s.length()));
                }
                // Make every run of digits huge, so that units multiply past Long.MAX_VALUE.
                return s.replaceFirst("[0-9]+", digits(r, 1) + digits(r, 19 + r.nextInt(30)));
        }
    }

    // ------------------------------------------------------------------------------ samples

    /** An input and whether it was made by mutating a valid seed (else generated from scratch). */
    public record Sample<T>(T value, boolean mutated) {
        @Override
        public String toString() {
            return (mutated ? "mutated " : "generated ") + describe(value);
        }
    }

    /** A value as a failure report shows it: strings quoted, code units above ASCII escaped. */
    public static String describe(Object value) {
        if (value instanceof String s) {
            StringBuilder sb = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                sb.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
            }
            return sb.append('"').toString();
        }
        if (value instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("{");
            m.forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append(describe(k)).append('=').append(describe(v)));
            return sb.append('}').toString();
        }
        if (value instanceof List<?> l) {
            List<String> items = new ArrayList<>();
            l.forEach(v -> items.add(describe(v)));
            return items.toString();
        }
        return value == null ? "null" : value instanceof byte[] b ? Arrays.toString(b)
                : value + " (" + value.getClass().getSimpleName() + ")";
    }

    /** About 60 % generated from scratch and 40 % mutated seeds, each tagged for the counters. */
    public static <T> Arbitrary<Sample<T>> samples(Function<Random, T> generate, Arbitrary<T> seeds,
            BiFunction<T, Random, T> mutate) {
        Arbitrary<Sample<T>> generated = Arbitraries.randoms().map(r -> new Sample<>(generate.apply(r), false));
        Arbitrary<Sample<T>> mutated = Combinators.combine(seeds, Arbitraries.randoms())
                .as((seed, r) -> new Sample<>(mutate.apply(seed, r), true));
        return Arbitraries.frequencyOf(Tuple.of(6, generated), Tuple.of(4, mutated));
    }

    /**
     * A fixed pool of seeds drawn once from {@code values}: {@link LimitsArbitraries#resourceLimits()}
     * builds new generators per value (flatMap), which costs more than the code under test; drawing
     * 1000 valid seeds once and mutating them keeps 100,000 tries within seconds.
     */
    public static <T> Arbitrary<T> pool(Arbitrary<T> values) {
        return Arbitraries.of(values.sampleStream().limit(1000).toList());
    }

    /** Text samples: generated by {@code generate}, or {@link #mutate}d seeds. */
    public static Arbitrary<Sample<String>> texts(Function<Random, String> generate, Arbitrary<String> seeds) {
        return samples(generate, seeds, FuzzInputs::mutate);
    }

    // ------------------------------------------------------------------------------ map values

    /** Numbers of every Java type a JSON or YAML parser makes, at and past every boundary. */
    public static Object hostileNumber(Random r) {
        switch (r.nextInt(10)) {
            case 0:
                return r.nextInt();
            case 1:
                return pick(r, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1, Long.MIN_VALUE + 1, 0L, -1L, 1L,
                        -2L, 999L, 1000L, 6291455L, 6291456L, 10_000_000L, 100_000L, 1_000_000L, 1_000_001L, r.nextLong());
            case 2:
                return pick(r, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0, 1.5, 1e300,
                        -1e300, Double.MIN_VALUE, Double.MAX_VALUE, 9.223372036854776E18, 6291456.0, 1.0, -1.0, 0.29,
                        2.01, 1e-3, r.nextDouble() * Math.pow(10, r.nextInt(25)));
            case 3:
                return pick(r, Float.NaN, Float.POSITIVE_INFINITY, 1.5f, 1e30f, -0.0f, 128f, 0.5f);
            case 4:
                return pick(r, BigInteger.TWO.pow(63), BigInteger.TWO.pow(63).subtract(BigInteger.ONE),
                        BigInteger.TWO.pow(64), BigInteger.TWO.pow(63).negate(), BigInteger.TWO.pow(63).negate().subtract(BigInteger.ONE),
                        new BigInteger(1 + r.nextInt(300), r), new BigInteger(1 + r.nextInt(300), r).negate());
            case 5:
                return new BigDecimal(new BigInteger(1 + r.nextInt(200), r), r.nextInt(121) - 60);
            case 6:
                // Twelve characters of JSON each, a billion digits in plain text.
                return pick(r, new BigDecimal("1E+400"), new BigDecimal("1E-400"), new BigDecimal("1E+999999999"),
                        new BigDecimal("1E-999999999"), new BigDecimal("0E-999999999"), new BigDecimal("0E+999999999"),
                        new BigDecimal("-1E+999999999"), new BigDecimal("1073741824.000"), new BigDecimal("0.5"),
                        new BigDecimal("-1"), new BigDecimal("1E+3"), new BigDecimal("2.5"), new BigDecimal("-0.000"));
            case 7:
                return pick(r, (short) r.nextInt(), (byte) r.nextInt(), (short) -1, (byte) 0);
            case 8:
                // A Number that is none of the JDK's usual ones.
                return new AtomicLong(pick(r, 5L, -1L, 1L << 30, Long.MAX_VALUE));
            default:
                return r.nextInt(2_000_000) - 1000;
        }
    }

    /** A value of a type no reader expects: booleans, lists, maps, characters, arrays, objects. */
    public static Object wrongType(Random r) {
        switch (r.nextInt(10)) {
            case 0:
                return r.nextBoolean();
            case 1:
                return List.of();
            case 2:
                return Arrays.asList("1g", null, 5);
            case 3:
                return new LinkedHashMap<>(Map.of("memory", "1g"));
            case 4: {
                Map<Object, Object> withNull = new HashMap<>();
                withNull.put(null, null);
                return withNull;
            }
            case 5:
                return pick(r, 'k', '1', '\u0000');
            case 6:
                return new byte[] {49, 103};
            case 7:
                return new Object();
            case 8:
                return new StringBuilder("1g");
            default:
                return Map.of("limits", Map.of("memory", List.of(Map.of("x", 1))));
        }
    }

    /**
     * A value for a map key: text of the key's own grammar (so that some maps are valid), hostile
     * text, numbers of every type, {@code null}, or a value of the wrong type.
     */
    public static Object hostileValue(Random r, Function<Random, ?> grammar) {
        switch (r.nextInt(12)) {
            case 0, 1, 2, 3:
                return grammar.apply(r);
            case 4: {
                Object valid = grammar.apply(r);
                return valid instanceof String s ? mutate(s, r) : retype(valid, r);
            }
            case 5:
                return hostileText(r);
            case 6, 7, 8:
                return hostileNumber(r);
            case 9:
                return null;
            default:
                return wrongType(r);
        }
    }

    /** A deep, mutable copy of a map read from a writer, so that it can be mutated. */
    public static Map<Object, Object> mutableCopy(Map<?, ?> map) {
        Map<Object, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(k, v instanceof Map<?, ?> m ? mutableCopy(m) : v));
        return copy;
    }

    /** Turns a whole number into another Java type of the same value, as other parsers give it. */
    public static Object retype(Object v, Random r) {
        // Only modest whole numbers: toBigInteger() of 1E+999999999 would compute a billion digits.
        BigDecimal e = exact(v);
        if (e == null || e.scale() > 0 || e.scale() < -40 || e.precision() > 400) {
            return v;
        }
        BigInteger b = e.toBigInteger();
        switch (r.nextInt(6)) {
            case 0:
                return b;
            case 1:
                return new BigDecimal(b).setScale(r.nextInt(4));
            case 2:
                return b.doubleValue();
            case 3:
                return b.toString();
            case 4:
                return b.bitLength() < 32 ? (Object) b.intValue() : (Object) b.longValue();
            default:
                return new BigDecimal(b).add(new BigDecimal("0.5"));
        }
    }

    // ------------------------------------------------------------------------------ oracles

    /** Docker's size grammar, ASCII only (a Java character class without flags is ASCII). */
    private static final Pattern DOCKER_SIZE = Pattern.compile(
            "([0-9]+(?:\\.[0-9]+)?)(?: ?(?:([bB])|([kmgtpKMGTP])(?:[bB]|[iI][bB])?))?");

    /**
     * The exact byte count of a size in Docker's grammar, fractions of a byte truncated, or null if
     * the text is not in the grammar. May exceed Long.MAX_VALUE: the caller checks the bound.
     */
    public static BigInteger dockerBytes(String text) {
        Matcher m = DOCKER_SIZE.matcher(text);
        if (!m.matches()) {
            return null;
        }
        int power = m.group(3) == null ? 0 : "kmgtp".indexOf(Character.toLowerCase(m.group(3).charAt(0))) + 1;
        return new BigDecimal(m.group(1)).multiply(new BigDecimal(BigInteger.valueOf(1024).pow(power)))
                .setScale(0, RoundingMode.DOWN).toBigIntegerExact();
    }

    /** Kubernetes' quantity grammar; suffix and exponent as the class doc of KubernetesQuantity gives them. */
    private static final Pattern KUBERNETES = Pattern.compile(
            "\\+?([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?");

    /** An exact Kubernetes quantity, and whether its exponent is past 40 (which the library refuses). */
    public record Quantity(BigDecimal value, boolean hugeExponent) {
    }

    /** The exact value of a Kubernetes quantity, or null if the text is not one. */
    public static Quantity kubernetes(String text) {
        Matcher m = KUBERNETES.matcher(text);
        if (!m.matches()) {
            return null;
        }
        String number = m.group(1).endsWith(".") ? m.group(1) + "0" : m.group(1);
        BigDecimal value = new BigDecimal(number.startsWith(".") ? "0" + number : number);
        String suffix = m.group(2) == null ? "" : m.group(2);
        int binary = List.of("", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei").indexOf(suffix);
        int decimal = List.of("n", "u", "m", "", "k", "M", "G", "T", "P", "E").indexOf(suffix);
        if (binary >= 0) {
            return new Quantity(value.multiply(new BigDecimal(BigInteger.valueOf(1024).pow(binary))), false);
        }
        if (decimal >= 0) {
            return new Quantity(value.scaleByPowerOfTen(3 * (decimal - 3)), false);
        }
        BigInteger exponent = new BigInteger(suffix.substring(1));
        if (exponent.abs().compareTo(BigInteger.valueOf(40)) > 0) {
            return new Quantity(null, true);
        }
        return new Quantity(value.scaleByPowerOfTen(exponent.intValueExact()), false);
    }

    /** Whether {@code n} fits a non-negative long. */
    public static boolean fitsLong(BigInteger n) {
        return n.signum() >= 0 && n.bitLength() <= 63;
    }

    /** Whether {@code a} equals {@code b} ignoring the case of ASCII letters only. */
    public static boolean equalsIgnoreAsciiCase(String a, String b) {
        if (a.length() != b.length()) {
            return false;
        }
        for (int i = 0; i < a.length(); i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y && !(x < 0x80 && y < 0x80 && Character.toLowerCase(x) == Character.toLowerCase(y))) {
                return false;
            }
        }
        return true;
    }

    /** The exact value of a number a map may hold, or null for NaN, infinities and non-numbers. */
    public static BigDecimal exact(Object v) {
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return Double.isFinite(d) ? new BigDecimal(d) : null;
        }
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof BigInteger b) {
            return new BigDecimal(b);
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
                || v instanceof AtomicLong) {
            return BigDecimal.valueOf(((Number) v).longValue());
        }
        return null;
    }

    /** What an oracle expects of a text: a value, or which documented exception. */
    public enum Verdict { VALUE, PARSE_ERROR, INVALID }

    /** The CPU oracle's answer: the verdict and, for a value, its exact numbers (period 0 for cores). */
    public record Cpu(Verdict verdict, long nanos, long quota, long period) {
        public static Cpu error(Verdict v) {
            return new Cpu(v, 0, 0, 0);
        }
    }

    private static final Pattern CPU_NUMBER = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(%|m)?");
    private static final Pattern CPU_QUOTA = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(?i:us)/([0-9]+)(?i:us)");
    private static final BigDecimal LONG_MAX_DECIMAL = BigDecimal.valueOf(Long.MAX_VALUE);

    /** CpuLimit.parse's grammar and bounds, computed with BigDecimal. */
    public static Cpu cpu(String text) {
        Matcher m = CPU_NUMBER.matcher(text);
        if (m.matches()) {
            BigDecimal number = new BigDecimal(m.group(1));
            int scale = m.group(2) == null ? 9 : m.group(2).equals("%") ? 7 : 6;
            if (number.stripTrailingZeros().scale() > scale) {
                return Cpu.error(Verdict.PARSE_ERROR);
            }
            BigDecimal nanos = number.scaleByPowerOfTen(scale);
            if (nanos.compareTo(LONG_MAX_DECIMAL) > 0) {
                return Cpu.error(Verdict.PARSE_ERROR);
            }
            if (nanos.compareTo(BigDecimal.valueOf(10_000_000)) < 0) {
                return Cpu.error(Verdict.INVALID);
            }
            return new Cpu(Verdict.VALUE, nanos.longValueExact(), 0, 0);
        }
        m = CPU_QUOTA.matcher(text);
        if (!m.matches() || m.group(1).contains(".")) {
            return Cpu.error(Verdict.PARSE_ERROR);
        }
        BigInteger quota = new BigInteger(m.group(1));
        BigInteger period = new BigInteger(m.group(2));
        if (!fitsLong(quota) || !fitsLong(period)) {
            return Cpu.error(Verdict.PARSE_ERROR);
        }
        return quota(quota.longValue(), period.longValue());
    }

    /** CpuLimit.ofQuota's bounds; nano-CPUs saturate at Long.MAX_VALUE, as documented. */
    public static Cpu quota(long quota, long period) {
        if (quota < 1000 || period < 1000 || period > 1_000_000) {
            return Cpu.error(Verdict.INVALID);
        }
        BigInteger nanos = BigInteger.valueOf(quota).multiply(BigInteger.valueOf(1_000_000_000)).divide(BigInteger.valueOf(period));
        return new Cpu(Verdict.VALUE, nanos.min(BigInteger.valueOf(Long.MAX_VALUE)).longValue(), quota, period);
    }

    /** Checks a parsed CPU limit against the oracle's numbers. */
    public static void assertCpu(CpuLimit limit, Cpu expected) {
        assertThat(limit.toNanoCpus()).isEqualTo(expected.nanos());
        assertThat(limit.isQuotaForm()).isEqualTo(expected.period() != 0);
        if (expected.period() != 0) {
            assertThat(limit.cfsQuotaMicros().getAsLong()).isEqualTo(expected.quota());
            assertThat(limit.cfsPeriodMicros().getAsLong()).isEqualTo(expected.period());
        } else {
            assertThat(limit.cores()).isEqualByComparingTo(BigDecimal.valueOf(expected.nanos(), 9));
        }
    }

    /** One item of a cpuset; items are matched one by one, as a repeated group recurses per item. */
    private static final Pattern CPUSET_ITEM = Pattern.compile("[0-9]+(?:-[0-9]+)?");

    /** CpuSet.parse's grammar and bounds: the members, or null where it must refuse the text. */
    public static java.util.BitSet cpuset(String text) {
        String[] items = text.split(",", -1);
        for (String item : items) {
            if (!CPUSET_ITEM.matcher(item).matches()) {
                return null;
            }
        }
        java.util.BitSet bits = new java.util.BitSet();
        for (String item : items) {
            String[] ends = item.split("-");
            BigInteger start = new BigInteger(ends[0]);
            BigInteger end = new BigInteger(ends[ends.length - 1]);
            BigInteger max = BigInteger.valueOf(65_535);
            if (start.compareTo(max) > 0 || end.compareTo(max) > 0 || end.compareTo(start) < 0) {
                return null;
            }
            bits.set(start.intValue(), end.intValue() + 1);
        }
        return bits;
    }

    /** The members of a parsed set, for comparison with the oracle's. */
    public static java.util.BitSet members(CpuSet set) {
        java.util.BitSet bits = new java.util.BitSet();
        set.stream().forEach(bits::set);
        return bits;
    }

    /** PidsLimit.parse's grammar: -1 for unlimited, the count, or the verdict for an error. */
    public static Object pids(String text) {
        if (text.equals("-1") || equalsIgnoreAsciiCase(text, "unlimited")) {
            return -1L;
        }
        if (!text.matches("[0-9]+")) {
            return Verdict.PARSE_ERROR;
        }
        BigInteger n = new BigInteger(text);
        return !fitsLong(n) ? Verdict.PARSE_ERROR : n.signum() == 0 ? Verdict.INVALID : (Object) n.longValue();
    }

    /** The canonical text of a size, written here independently: largest of p t g m k dividing it. */
    public static String canonicalSize(BigInteger bytes) {
        String units = "kmgtp";
        for (int power = 5; power >= 1; power--) {
            BigInteger unit = BigInteger.valueOf(1024).pow(power);
            if (bytes.signum() != 0 && bytes.mod(unit).signum() == 0) {
                return bytes.divide(unit) + String.valueOf(units.charAt(power - 1));
            }
        }
        return bytes + "b";
    }

    /**
     * Checks one docker-py keyword of accepted limits against the raw value it was read from: a
     * string in the keyword's grammar or a number, compared exactly (so nothing was wrapped).
     */
    public static void assertKeyword(String keyword, Object given, ResourceLimits limits) {
        Object raw = given;
        if (raw instanceof CharSequence cs) {
            raw = cs.toString();
        }
        String as = "%s = %s in %s";
        Object[] args = {keyword, describe(raw), limits};
        switch (keyword) {
            case "mem_limit", "mem_reservation", "shm_size", "memswap_limit" -> {
                java.util.Optional<MemorySize> size = switch (keyword) {
                    case "mem_limit" -> limits.memory();
                    case "mem_reservation" -> limits.memoryReservation();
                    case "shm_size" -> limits.shmSize();
                    default -> limits.memorySwap().orElseThrow().memoryPlusSwap();
                };
                boolean unlimited = raw instanceof String s ? s.equals("-1") || equalsIgnoreAsciiCase(s, "unlimited")
                        : exact(raw) != null && exact(raw).compareTo(BigDecimal.ONE.negate()) == 0;
                if (keyword.equals("memswap_limit") && unlimited) {
                    assertThat(limits.memorySwap()).as(as, args).hasValue(SwapLimit.UNLIMITED);
                    return;
                }
                // A size in Docker's grammar, or (an Engine field) a whole number as text, sign and all.
                BigDecimal expected = raw instanceof String s && dockerBytes(s) != null ? new BigDecimal(dockerBytes(s))
                        : exactOrText(raw);
                assertThat(size).as(as, args).isPresent();
                assertThat(BigDecimal.valueOf(size.get().toBytes())).as(as, args).isEqualByComparingTo(expected);
            }
            case "nano_cpus" -> {
                assertThat(limits.cpu().orElseThrow().isQuotaForm()).as(as, args).isFalse();
                assertThat(BigDecimal.valueOf(limits.cpu().get().toNanoCpus())).as(as, args).isEqualByComparingTo(exactOrText(raw));
            }
            case "cpu_quota" -> assertThat(BigDecimal.valueOf(limits.cpu().orElseThrow().cfsQuotaMicros().getAsLong()))
                    .as(as, args).isEqualByComparingTo(exactOrText(raw));
            case "cpu_period" -> assertThat(BigDecimal.valueOf(limits.cpu().orElseThrow().cfsPeriodMicros().getAsLong()))
                    .as(as, args).isEqualByComparingTo(exactOrText(raw));
            case "cpu_shares", "mem_swappiness", "blkio_weight" -> {
                java.util.OptionalInt n = keyword.equals("cpu_shares") ? limits.cpuShares()
                        : keyword.equals("blkio_weight") ? limits.blkioWeight() : limits.memorySwappiness();
                assertThat(BigDecimal.valueOf(n.orElseThrow())).as(as, args).isEqualByComparingTo(exactOrText(raw));
            }
            case "pids_limit" -> {
                Object expected = raw instanceof String s ? pids(s) : exactOrText(raw).longValueExact();
                PidsLimit p = limits.pidsLimit().orElseThrow();
                assertThat(p.isUnlimited() ? -1L : p.max().getAsLong()).as(as, args).isEqualTo(expected);
            }
            case "cpuset_cpus", "cpuset_mems" -> {
                CpuSet set = (keyword.equals("cpuset_cpus") ? limits.cpusetCpus() : limits.cpusetMems()).orElseThrow();
                assertThat(members(set)).as(as, args).isEqualTo(cpuset(raw.toString()));
            }
            case "oom_kill_disable" -> assertThat(limits.oomKillDisable()).as(as, args).hasValue((Boolean) raw);
            case "oom_score_adj" -> assertThat(BigDecimal.valueOf(limits.oomScoreAdj().orElseThrow()))
                    .as(as, args).isEqualByComparingTo(exactOrText(raw));
            case "blkio_weight_device", "device_read_bps", "device_write_bps", "device_read_iops", "device_write_iops" -> {
                List<DeviceLimit> devices = switch (keyword) {
                    case "blkio_weight_device" -> limits.blkioWeightDevice();
                    case "device_read_bps" -> limits.deviceReadBps();
                    case "device_write_bps" -> limits.deviceWriteBps();
                    case "device_read_iops" -> limits.deviceReadIops();
                    default -> limits.deviceWriteIops();
                };
                for (Object item : raw instanceof List<?> list ? list : List.of(raw.toString().split(","))) {
                    String path;
                    Object value;
                    if (item instanceof Map<?, ?> m) {
                        path = (String) m.get("Path");
                        value = m.get(keyword.equals("blkio_weight_device") ? "Weight" : "Rate");
                    } else {
                        String text = item.toString();
                        path = text.substring(0, text.lastIndexOf(':'));
                        value = text.substring(text.lastIndexOf(':') + 1);
                    }
                    BigDecimal expected = value instanceof String v && keyword.endsWith("_bps") && dockerBytes(v) != null
                            ? new BigDecimal(dockerBytes(v)) : exactOrText(value);
                    assertThat(devices).as(as, args).anySatisfy(d -> {
                        assertThat(d.path()).isEqualTo(path);
                        assertThat(BigDecimal.valueOf(d.value())).isEqualByComparingTo(expected);
                    });
                }
            }
            case "ulimits" -> {
                for (Object item : raw instanceof List<?> list ? list : List.of(raw.toString().split(","))) {
                    String name;
                    BigDecimal soft;
                    BigDecimal hard;
                    if (item instanceof Map<?, ?> m) {
                        name = (String) m.get("Name");
                        soft = exactOrText(m.get("Soft"));
                        hard = exactOrText(m.get("Hard"));
                    } else {
                        String text = item.toString();
                        name = text.substring(0, text.indexOf('='));
                        String[] values = text.substring(text.indexOf('=') + 1).split(":");
                        soft = new BigDecimal(values[0]);
                        hard = new BigDecimal(values[values.length - 1]);
                    }
                    assertThat(limits.ulimits()).as(as, args).anySatisfy(u -> {
                        assertThat(u.name()).isEqualTo(name);
                        assertThat(BigDecimal.valueOf(u.soft())).isEqualByComparingTo(soft);
                        assertThat(BigDecimal.valueOf(u.hard())).isEqualByComparingTo(hard);
                    });
                }
            }
            default -> throw new AssertionError("accepted an unknown keyword " + keyword);
        }
    }

    /** {@link #exact} for text too: an ASCII decimal, or null. */
    public static BigDecimal exactOrText(Object raw) {
        if (raw instanceof String s && s.matches("[+-]?[0-9]+")) {
            return new BigDecimal(s);
        }
        return exact(raw);
    }

    // ------------------------------------------------------------------------------ assertions

    /**
     * The input as LimitParseException's message quotes it: in double quotes, {@code "} and
     * {@code \} escaped, control characters as {@code \}{@code uXXXX} so that a message stays on
     * one line; everything else, however long, verbatim. Written here again on purpose: the check
     * must not trust the code it checks (LimitParseException.quote).
     */
    public static String quoted(String input) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : input.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /** A parse error names its input whole, the index and what was expected, on one line. */
    public static void assertNamesInput(LimitParseException e, String input) {
        assertThat(e.input()).isEqualTo(input);
        assertThat(e.errorIndex()).isBetween(0, input.length());
        assertThat(e.getMessage()).contains(quoted(input)).contains("at index " + e.errorIndex())
                .contains(e.expected()).doesNotContain("\n", "\r");
    }

    /** Violations are non-empty, each has a field and a value, and the message lists them all. */
    public static void assertViolations(InvalidLimitsException e) {
        assertThat(e.violations()).isNotEmpty();
        for (Violation v : e.violations()) {
            // A field may be blank only when the input's key was (checked by each test against its input).
            assertThat(v.field()).as("field of %s", v).isNotNull();
            assertThat(v.value()).as("value of %s", v).isNotNull();
            assertThat(e.getMessage()).contains(v.toString());
        }
    }

    /**
     * Whether a violation's value text names {@code raw}: its text (quoted in either style or
     * bare), or for a number its exact decimal.
     */
    public static boolean namesValue(String value, Object raw) {
        if (raw == null) {
            return value.equals("null") || value.isEmpty();
        }
        String s = raw instanceof CharSequence ? raw.toString() : null;
        if (s != null) {
            if (value.equals(s) || value.equals(quoted(s)) || value.equals("'" + s + "'") || value.equals(s.strip())) {
                return true;
            }
            // A whole number written as a string is named by the number it spells (a rule on its value).
            if (s.matches("[+-]?[0-9]+")) {
                String digits = s.replaceFirst("^[+-]", "").replaceFirst("^0+(?=.)", "");
                if (value.equals(s.startsWith("-") && !digits.equals("0") ? "-" + digits : digits)) {
                    return true;
                }
            }
            // A rule between fields (mem_limit under 6m, swap below memory) shows the size canonically.
            BigInteger bytes = dockerBytes(s);
            Quantity q = kubernetes(s);
            return bytes != null && value.equals(canonicalSize(bytes))
                    || q != null && q.value() != null && q.value().stripTrailingZeros().scale() <= 0
                            && value.equals(canonicalSize(q.value().toBigIntegerExact()));
        }
        if (value.equals(String.valueOf(raw)) || value.equals(quoted(String.valueOf(raw)))) {
            return true;
        }
        BigDecimal exact = exact(raw);
        if (exact != null && exact.signum() == 0 && value.equals("0b")) {
            return true;
        }
        if (exact != null && exact.stripTrailingZeros().scale() <= 0 && exact.signum() >= 0
                && exact.precision() - exact.scale() < 40 && value.equals(canonicalSize(exact.toBigIntegerExact()))) {
            return true;
        }
        try {
            return exact != null && value.length() < 100 && new BigDecimal(value).compareTo(exact) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------------------ counters

    /** Counts of one property: inputs (generated, mutated), accepted, rejected by type, other. */
    public static final class Stats {
        private final String name;
        private long generated;
        private long mutated;
        private long accepted;
        private final Map<String, Long> rejected = new TreeMap<>();
        private long other;

        Stats(String name) {
            this.name = name;
        }

        synchronized void input(Sample<?> sample) {
            if (sample.mutated()) {
                mutated++;
            } else {
                generated++;
            }
        }

        synchronized void generatedInput() {
            generated++;
        }

        synchronized void accepted() {
            accepted++;
        }

        synchronized void rejected(LimitsException e) {
            rejected.merge(e.getClass().getSimpleName(), 1L, Long::sum);
        }

        synchronized void other() {
            other++;
        }

        private long slowestNanos;

        synchronized void took(long nanos) {
            slowestNanos = Math.max(slowestNanos, nanos);
        }

        synchronized String line() {
            long rejectedTotal = rejected.values().stream().mapToLong(Long::longValue).sum();
            String byType = rejected.size() == 1 ? rejected.keySet().iterator().next()
                    : String.join(", ", rejected.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).toList());
            return "FUZZ " + name + ": " + (generated + mutated) + " inputs (" + generated + " generated, " + mutated
                    + " mutated), " + accepted + " accepted, " + rejectedTotal + " rejected"
                    + (rejected.isEmpty() ? "" : " (" + byType + ")") + ", " + other + " other; slowest input "
                    + slowestNanos / 1_000_000 + " ms";
        }
    }

    /** What a call gave: a value, or one of the library's exceptions (anything else propagates). */
    public record Outcome<T>(T value, LimitsException error) {
    }

    /** Calls the code under test once, counting the outcome and the time it took. */
    public static <T> Outcome<T> attempt(Stats stats, java.util.function.Supplier<T> call) {
        long start = System.nanoTime();
        try {
            T value = call.get();
            stats.accepted();
            return new Outcome<>(value, null);
        } catch (LimitsException e) {
            stats.rejected(e);
            return new Outcome<>(null, e);
        } catch (RuntimeException | Error e) {
            stats.other();
            throw e;
        } finally {
            stats.took(System.nanoTime() - start);
        }
    }

    private static final Map<String, Stats> STATS = new LinkedHashMap<>();

    /** The counters of the named property, created on first use. */
    public static synchronized Stats stats(String name) {
        return STATS.computeIfAbsent(name, Stats::new);
    }

    /**
     * Prints the line of every property that counted since the last report, appends it to
     * {@code target/reliability/fuzz.txt} and forgets it; called after each property.
     */
    public static synchronized void report() {
        for (Stats s : STATS.values()) {
            String line = s.line();
            System.out.println(line);
            try {
                Path file = Path.of("target", "reliability", "fuzz.txt");
                Files.createDirectories(file.getParent());
                Files.writeString(file, line + System.lineSeparator(), StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        STATS.clear();
    }
}
