package org.containerlimits.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MemorySizeTest {
    private static final long KIB = 1024L;
    private static final long MIB = KIB * 1024;
    private static final long GIB = MIB * 1024;
    private static final long TIB = GIB * 1024;
    private static final long PIB = TIB * 1024;
    private static final long EIB = PIB * 1024;

    // ------------------------------------------------------------------ docker-py parse_bytes

    /**
     * docker-py {@code docker/utils/utils.py parse_bytes}, as exercised by
     * {@code tests/unit/utils_test.py ParseBytesTest} and {@code tests/unit/api_container_test.py}
     * (mem_limit as a string); the last column names the upstream case each row mirrors.
     */
    @ParameterizedTest(name = "[{index}] parse(\"{0}\") = {1}  <- {2}")
    @CsvSource(delimiter = '|', textBlock = """
            512MB  | 536870912    | utils_test ParseBytesTest.test_parse_bytes_valid "512MB"
            512M   | 536870912    | utils_test ParseBytesTest.test_parse_bytes_valid "512M"
            512m   | 536870912    | utils_test ParseBytesTest.test_parse_bytes_valid "512m"
            1.5k   | 1536         | utils_test ParseBytesTest.test_parse_bytes_float "1.5k"
            128    | 128          | api_container_test ..._with_mem_limit_as_string "128"
            128k   | 131072       | api_container_test ..._as_string_with_k_unit "128k"
            128m   | 134217728    | api_container_test ..._as_string_with_m_unit "128m"
            128g   | 137438953472 | api_container_test ..._as_string_with_g_unit "128g"
            1.5    | 1            | parse_bytes: a bare float string is bytes, int(float('1.5') * 1) = 1
            12 m   | 12582912     | parse_bytes: float('12 ') * 1024**2, one blank before the unit
            1b     | 1            | parse_bytes: suffix 'b'
            1kb    | 1024         | parse_bytes: a trailing 'b' after a letter is dropped
            """)
    void parse_acceptsDockerPyParseBytesCases(String text, long bytes, String upstream) {
        assertThat(MemorySize.parse(text).toBytes()).as(upstream).isEqualTo(bytes);
    }

    /** docker-py's error cases; each raises DockerException upstream. */
    @ParameterizedTest(name = "[{index}] parse(\"{0}\") fails at {1}  <- {2}")
    @CsvSource(delimiter = '|', textBlock = """
            512MK      | 4 | utils_test ParseBytesTest.test_parse_bytes_invalid "512MK"
            512L       | 3 | utils_test ParseBytesTest.test_parse_bytes_invalid "512L"
            127.0.0.1K | 5 | utils_test ParseBytesTest.test_parse_bytes_invalid "127.0.0.1K"
            1f28       | 1 | api_container_test ..._as_string_with_wrong_value "1f28"
            """)
    void parse_rejectsDockerPyParseBytesErrors(String text, int errorIndex, String upstream) {
        assertParseError(text, errorIndex, upstream);
    }

    /**
     * Where our grammar deliberately follows the docker CLI (go-units) rather than docker-py:
     * docker-py's BYTE_UNITS stop at 'g' and it refuses '1kib'; the docker CLI accepts all of them.
     */
    @ParameterizedTest(name = "[{index}] parse(\"{0}\") = {1}  <- {2}")
    @CsvSource(delimiter = '|', textBlock = """
            128p | 144115188075855872 | api_container_test ..._with_wrong_value "128p": docker-py error, CLI 128 PiB
            1t   | 1099511627776      | docker-py has no 't'; go-units RAMInBytes does
            1kib | 1024               | docker-py strips 'b' and fails on 'i'; go-units accepts "32Kib"
            """)
    void parse_acceptsCliUnitsThatDockerPyRefuses(String text, long bytes, String upstream) {
        assertThat(MemorySize.parse(text).toBytes()).as(upstream).isEqualTo(bytes);
    }

    /**
     * Text docker-py's parse_bytes accepts (Python's float() is lenient) that our grammar refuses on
     * purpose: it has no sign, no exponent, no digit separators, no blanks around the number, and
     * the empty string is not zero.
     */
    @ParameterizedTest(name = "[{index}] parse(\"{0}\") fails at {1}  <- {2}")
    @CsvSource(delimiter = '|', textBlock = """
            ''    | 0 | parse_bytes('') returns 0
            -5    | 0 | parse_bytes('-5') returns -5: negative sizes are errors here
            1e3   | 1 | parse_bytes('1e3') returns 1000 through float(): no exponents here
            1_000 | 1 | parse_bytes('1_000') returns 1000 through float(): no separators here
            ' 12' | 0 | parse_bytes(' 12') returns 12 through float(): no leading blanks here
            """)
    void parse_rejectsDockerPyLeniencies(String text, int errorIndex, String upstream) {
        assertParseError(text, errorIndex, upstream);
    }

    // ------------------------------------------------------- go-units RAMInBytes (docker --memory)

    /**
     * go-units {@code size_test.go TestRAMInBytes} (and {@code ExampleRAMInBytes}), which the docker
     * CLI's {@code --memory} ({@code opts.MemBytes.Set}) calls, plus docker/cli
     * {@code TestMemBytesSetAndValue}; and the suffix-shape cases of {@code TestFromHumanSize}, which
     * shares {@code parseSize} (only the multipliers differ; the rows below have none or 'b').
     */
    @ParameterizedTest(name = "[{index}] parse(\"{0}\") = {1}  <- {2}")
    @CsvSource(delimiter = '|', textBlock = """
            32      | 32                | TestRAMInBytes "32"
            32b     | 32                | TestRAMInBytes "32b"
            32B     | 32                | TestRAMInBytes "32B"
            32k     | 32768             | TestRAMInBytes "32k"
            32K     | 32768             | TestRAMInBytes "32K"
            32kb    | 32768             | TestRAMInBytes "32kb"
            32Kb    | 32768             | TestRAMInBytes "32Kb"
            32Kib   | 32768             | TestRAMInBytes "32Kib"
            32KIB   | 32768             | TestRAMInBytes "32KIB"
            32Mb    | 33554432          | TestRAMInBytes "32Mb"
            32Gb    | 34359738368       | TestRAMInBytes "32Gb"
            32Tb    | 35184372088832    | TestRAMInBytes "32Tb"
            32Pb    | 36028797018963968 | TestRAMInBytes "32Pb"
            32PB    | 36028797018963968 | TestRAMInBytes "32PB"
            32P     | 36028797018963968 | TestRAMInBytes "32P"
            32.3    | 32                | TestRAMInBytes "32.3"
            32.3 mb | 33869004          | TestRAMInBytes "32.3 mb" = int64(32.3 * MiB)
            0.3MB   | 314572            | TestRAMInBytes "0.3MB" = int64(0.3 * MiB)
            5kb     | 5120              | docker/cli opts_test TestMemBytesSetAndValue "5kb"
            0       | 0                 | TestFromHumanSize "0"
            0b      | 0                 | TestFromHumanSize "0b"
            0B      | 0                 | TestFromHumanSize "0B"
            0 B     | 0                 | TestFromHumanSize "0 B"
            32.5 B  | 32                | TestFromHumanSize "32.5 B"
            """)
    void parse_acceptsDockerSuffixes(String text, long bytes, String upstream) {
        assertThat(MemorySize.parse(text).toBytes()).as(upstream).isEqualTo(bytes);
    }

    /** go-units' error cases (TestRAMInBytes and the shared-grammar ones of TestFromHumanSize). */
    @ParameterizedTest(name = "[{index}] parse(\"{0}\") fails at {1}  <- {2}")
    @CsvSource(delimiter = '|', textBlock = """
            ''       | 0 | TestRAMInBytes ""
            hello    | 0 | TestRAMInBytes "hello"
            -32      | 0 | TestRAMInBytes "-32"
            ' 32 '   | 0 | TestRAMInBytes " 32 "
            32m b    | 3 | TestRAMInBytes "32m b"
            32bm     | 3 | TestRAMInBytes "32bm"
            ' 0'     | 0 | TestFromHumanSize " 0"
            ' 0b'    | 0 | TestFromHumanSize " 0b"
            ' 0B'    | 0 | TestFromHumanSize " 0B"
            ' 0 B'   | 0 | TestFromHumanSize " 0 B"
            '0b '    | 2 | TestFromHumanSize "0b "
            '0B '    | 2 | TestFromHumanSize "0B "
            '0 B '   | 3 | TestFromHumanSize "0 B "
            .        | 0 | TestFromHumanSize "."
            '. '     | 0 | TestFromHumanSize ". "
            ' '      | 0 | TestFromHumanSize " "
            '  '     | 0 | TestFromHumanSize "  "
            ' .'     | 0 | TestFromHumanSize " ."
            ' . '    | 0 | TestFromHumanSize " . "
            -32b     | 0 | TestFromHumanSize "-32b"
            -32B     | 0 | TestFromHumanSize "-32B"
            -32 b    | 0 | TestFromHumanSize "-32 b"
            -32 B    | 0 | TestFromHumanSize "-32 B"
            32b.     | 3 | TestFromHumanSize "32b."
            32B.     | 3 | TestFromHumanSize "32B."
            32 b.    | 4 | TestFromHumanSize "32 b."
            32 B.    | 4 | TestFromHumanSize "32 B."
            32 bb    | 4 | TestFromHumanSize "32 bb"
            32 BB    | 4 | TestFromHumanSize "32 BB"
            32 b b   | 4 | TestFromHumanSize "32 b b"
            32 B B   | 4 | TestFromHumanSize "32 B B"
            32  b    | 3 | TestFromHumanSize "32  b"
            32  B    | 3 | TestFromHumanSize "32  B"
            """)
    void parse_rejectsGoUnitsErrorCases(String text, int errorIndex, String upstream) {
        assertParseError(text, errorIndex, upstream);
    }

    /**
     * Text go-units accepts that we refuse on purpose: its number is Go's strconv.ParseFloat (signs,
     * exponents, hexadecimal floats, "32." and ".3"), and it allows one trailing blank. Our number is
     * {@code digits ["." digits]} and blanks only ever separate a number from its unit.
     */
    @ParameterizedTest(name = "[{index}] parse(\"{0}\") fails at {1}  <- {2}")
    @CsvSource(delimiter = '|', textBlock = """
            .3kB   | 0 | TestFromHumanSize ".3kB" (accepted upstream)
            0.     | 2 | TestFromHumanSize "0." (accepted upstream)
            '0. '  | 2 | TestFromHumanSize "0. " (accepted upstream)
            0.b    | 2 | TestFromHumanSize "0.b" (accepted upstream)
            32.    | 3 | TestFromHumanSize "32." (accepted upstream)
            32.B   | 3 | TestFromHumanSize "32.B" (accepted upstream)
            32. b  | 3 | TestFromHumanSize "32. b" (accepted upstream)
            -0     | 0 | TestFromHumanSize "-0" (accepted upstream)
            -0 B   | 0 | TestFromHumanSize "-0 B" (accepted upstream)
            '0 '   | 2 | TestFromHumanSize "0 " (accepted upstream: a blank and no suffix)
            1e3    | 1 | strconv.ParseFloat("1e3") = 1000
            1E3k   | 1 | strconv.ParseFloat("1E3") = 1000
            0x1p10 | 1 | strconv.ParseFloat("0x1p10") = 1024, a hexadecimal float
            +32    | 0 | strconv.ParseFloat("+32") = 32
            """)
    void parse_rejectsGoParseFloatSyntax(String text, int errorIndex, String upstream) {
        assertParseError(text, errorIndex, upstream);
    }

    @Test
    void parse_rejectsKubernetesBinarySuffixWithoutB() {
        // go-units: a two-letter suffix must end in 'b' ("invalid suffix: 'gi'"); so must ours.
        LimitParseException e = catchThrowableOfType(LimitParseException.class, () -> MemorySize.parse("1Gi"));
        assertThat(e.errorIndex()).isEqualTo(3);
        assertThat(e.expected()).isEqualTo("'b' after 'i'");
        assertThat(MemorySize.parse("1GiB").toBytes()).isEqualTo(GIB);
    }

    @Test
    void parse_refusesUnicodeLookalikesOfUnitLetters() {
        // Regression: Unicode case folding let the Kelvin sign pass for 'k' and a dotless or dotted
        // capital i pass for 'i'. The grammar's "any case" means ASCII letters.
        assertParseError("1\u212A", 1, "KELVIN SIGN is not k");
        assertParseError("1k\u0131b", 2, "LATIN SMALL LETTER DOTLESS I is not i");
        assertParseError("1K\u0130B", 2, "LATIN CAPITAL LETTER I WITH DOT ABOVE is not I");
    }

    // ------------------------------------------------------------------------------- exactness

    @Test
    void parse_isExactWhereFloatingPointIsNot() {
        assertThat(MemorySize.parse("1.5g").toBytes()).isEqualTo(1_610_612_736L);
        assertThat(MemorySize.parse("1.5g")).hasToString("1536m");
        // go-units goes through float64, which rounds 2^53 + 1 to 2^53.
        assertThat((long) Double.parseDouble("9007199254740993")).isEqualTo(9_007_199_254_740_992L);
        assertThat(MemorySize.parse("9007199254740993").toBytes()).isEqualTo(9_007_199_254_740_993L);
    }

    @Test
    void parse_truncatesFractionsOfAByte() {
        assertThat(MemorySize.parse("0.1k").toBytes()).isEqualTo(102);
        assertThat(MemorySize.parse("0.9b").toBytes()).isZero();
        assertThat(MemorySize.parse("8191.9999999999999999p").toBytes()).isEqualTo(Long.MAX_VALUE);
    }

    @ParameterizedTest(name = "[{index}] parse(\"{0}\") overflows")
    @CsvSource({"99999999999999999999g", "9223372036854775808", "9223372036854775808b", "8192p",
        "100000000000000000000000000000000000000"})
    void parse_rejectsSizesAboveLongMaxValue(String text) {
        LimitParseException e = catchThrowableOfType(LimitParseException.class, () -> MemorySize.parse(text));
        assertThat(e).as("never a wrapped negative").isNotNull();
        assertThat(e.errorIndex()).isZero();
        assertThat(e.expected()).contains("at most 9223372036854775807 bytes");
    }

    @Test
    void parse_hasNoExbibyteUnit() {
        // Neither go-units nor docker-py has 'e'; 8 EiB would overflow anyway.
        assertParseError("1e", 1, "no exbibyte unit");
    }

    @Test
    void parse_acceptsLongMaxValue() {
        assertThat(MemorySize.parse("9223372036854775807").toBytes()).isEqualTo(Long.MAX_VALUE);
        assertThat(MemorySize.parse("8191p").toBytes()).isEqualTo(9_222_246_136_947_933_184L);
    }

    @Test
    void parse_rejectsNegativeSizes() {
        assertParseError("-1", 0, "negative");
        assertParseError("-1g", 0, "negative");
        assertParseError("-0.5m", 0, "negative");
    }

    @Test
    void parse_reportsIndexAndExpectationForMisplacedDot() {
        LimitParseException e = catchThrowableOfType(LimitParseException.class, () -> MemorySize.parse("1.5.5g"));
        assertThat(e.errorIndex()).isEqualTo(3);
        assertThat(e).hasMessage("invalid memory size \"1.5.5g\": unexpected '.' at index 3,"
                + " expected a unit (b, k, m, g, t, p) or the end");
    }

    // ------------------------------------------------------------------------------- canonical form

    @ParameterizedTest(name = "[{index}] {0} bytes -> \"{1}\"")
    @CsvSource({
        "0, 0b", "1, 1b", "1023, 1023b", "1024, 1k", "1536, 1536b", "1048576, 1m", "1610612736, 1536m",
        "1073741824, 1g", "1099511627776, 1t", "1125899906842624, 1p", "1152921504606846976, 1024p",
        "6291456, 6m", "6291455, 6291455b", "9223372036854775807, 9223372036854775807b"})
    void toString_printsLargestWholeUnit(long bytes, String text) {
        MemorySize size = MemorySize.ofBytes(bytes);
        assertThat(size).hasToString(text);
        assertThat(MemorySize.parse(text)).isEqualTo(size);
    }

    // ------------------------------------------------------------------------------- factories

    @Test
    void factories_multiplyByBinaryUnits() {
        assertThat(MemorySize.ofKibibytes(1).toBytes()).isEqualTo(KIB);
        assertThat(MemorySize.ofMebibytes(6).toBytes()).isEqualTo(6_291_456L);
        assertThat(MemorySize.ofGibibytes(2).toBytes()).isEqualTo(2 * GIB);
        assertThat(MemorySize.ofGibibytes(Long.MAX_VALUE / GIB).toBytes()).isEqualTo(Long.MAX_VALUE / GIB * GIB);
        assertThat(MemorySize.ofBytes(0)).isSameAs(MemorySize.ZERO);
    }

    @Test
    void factories_rejectNegativeAmounts() {
        assertThatThrownBy(() -> MemorySize.ofBytes(-1)).isInstanceOf(InvalidLimitsException.class)
                .hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> MemorySize.ofKibibytes(-1)).isInstanceOf(InvalidLimitsException.class);
        assertThatThrownBy(() -> MemorySize.ofMebibytes(-1)).isInstanceOf(InvalidLimitsException.class);
        assertThatThrownBy(() -> MemorySize.ofGibibytes(-1)).isInstanceOf(InvalidLimitsException.class)
                .hasMessageContaining("-1g");
    }

    @Test
    void factories_rejectOverflow() {
        assertThatThrownBy(() -> MemorySize.ofGibibytes(Long.MAX_VALUE / GIB + 1))
                .isInstanceOf(InvalidLimitsException.class)
                .hasMessageContaining("must be at most 9223372036854775807 bytes");
        assertThatThrownBy(() -> MemorySize.ofKibibytes(Long.MAX_VALUE)).isInstanceOf(InvalidLimitsException.class);
    }

    @Test
    void plus_addsExactlyAndRefusesOverflow() {
        assertThat(MemorySize.ofGibibytes(1).plus(MemorySize.ofMebibytes(512))).isEqualTo(MemorySize.parse("1.5g"));
        assertThatThrownBy(() -> MemorySize.ofBytes(Long.MAX_VALUE).plus(MemorySize.ofBytes(1)))
                .isInstanceOf(ArithmeticException.class);
    }

    @Test
    void compareToEqualsAndHashCode_followTheByteCount() {
        MemorySize a = MemorySize.parse("1g");
        MemorySize b = MemorySize.parse("1024m");
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.compareTo(b)).isZero();
        assertThat(MemorySize.parse("1023m")).isLessThan(a);
        assertThat(MemorySize.parse("1025m")).isGreaterThan(a);
        assertThat(a).isNotEqualTo(MemorySize.parse("1023m")).isNotEqualTo("1g");
        assertThat(MemorySize.ZERO.isZero()).isTrue();
        assertThat(a.isZero()).isFalse();
    }

    @Test
    void serialization_preservesTheValue() {
        MemorySize size = MemorySize.parse("1536m");
        assertThat(TestSupport.serializedCopy(size)).isEqualTo(size);
    }

    // ------------------------------------------------------------------------------- Kubernetes

    /** Kubernetes {@code resource.Quantity} examples, including those of the Kubernetes docs. */
    @ParameterizedTest(name = "[{index}] parseKubernetes(\"{0}\") = {1}")
    @CsvSource({
        "1Gi, 1073741824", "1G, 1000000000", "1e9, 1000000000", "128974848, 128974848", "129M, 129000000",
        "123Mi, 128974848", "129e6, 129000000", "1Ki, 1024", "1k, 1000", "1Ti, 1099511627776",
        "1Pi, 1125899906842624", "1Ei, 1152921504606846976", "7Ei, 8070450532247928832", "1E, 1000000000000000000",
        "1E3, 1000", "1e+3, 1000", "+1Ki, 1024", ".5Ki, 512", "1.Ki, 1024", "1.5Gi, 1610612736", "1000m, 1",
        "1000000u, 1", "1000000000n, 1", "0, 0", "0Gi, 0", "1e18, 1000000000000000000",
        "9223372036854775807, 9223372036854775807"})
    void parseKubernetes_acceptsQuantities(String text, long bytes) {
        assertThat(MemorySize.parseKubernetes(text).toBytes()).isEqualTo(bytes);
    }

    /**
     * Kubernetes quantities that are not a byte count here: fractions of a byte ({@code 512m} is
     * 0.512 bytes), case-insensitive or Docker-style suffixes, negatives, overflow.
     */
    @ParameterizedTest(name = "[{index}] parseKubernetes(\"{0}\") fails at {1}")
    @CsvSource(delimiter = '|', textBlock = """
            512m    | 0 | 0.512 bytes is not a whole number of bytes
            1e-3    | 0 | 0.001 bytes
            1.5     | 0 | 1.5 bytes
            1gi     | 1 | suffixes are case-sensitive
            1K      | 1 | decimal kilo is a lowercase k
            1Gb     | 1 | not a Kubernetes suffix
            1 Gi    | 1 | no blanks
            -1Gi    | 0 | negative
            ''      | 0 | empty
            .       | 0 | no digits
            +       | 1 | no digits after the sign
            1e      | 1 | an 'e' needs exponent digits
            8Ei     | 0 | 2^63 bytes, above Long.MAX_VALUE
            1e19    | 0 | above Long.MAX_VALUE
            9223372036854775808 | 0 | above Long.MAX_VALUE
            """)
    void parseKubernetes_rejectsNonByteQuantities(String text, int errorIndex, String why) {
        LimitParseException e = catchThrowableOfType(LimitParseException.class, () -> MemorySize.parseKubernetes(text));
        assertThat(e).as(why).isNotNull();
        assertThat(e.what()).isEqualTo("Kubernetes quantity");
        assertThat(e.errorIndex()).as(why).isEqualTo(errorIndex);
    }

    @Test
    void parseKubernetes_explainsFractionalBytes() {
        assertThatThrownBy(() -> MemorySize.parseKubernetes("512m"))
                .isInstanceOf(LimitParseException.class)
                .hasMessageContaining("a whole number of bytes (0.512 is not)");
    }

    @Test
    void parseKubernetes_readsExbibytesAsSuffixNotExponent() {
        // Regression: "Ei" was taken for an exponent, so toKubernetesString() of a multiple of 2^60
        // did not parse back.
        MemorySize size = MemorySize.ofBytes(EIB);
        assertThat(size.toKubernetesString()).isEqualTo("1Ei");
        assertThat(MemorySize.parseKubernetes("1Ei")).isEqualTo(size);
    }

    @ParameterizedTest(name = "[{index}] {0} bytes -> \"{1}\"")
    @CsvSource({"0, 0", "100, 100", "1024, 1Ki", "1536, 1536", "1610612736, 1536Mi", "1073741824, 1Gi",
        "1152921504606846976, 1Ei", "9223372036854775807, 9223372036854775807"})
    void toKubernetesString_printsLargestBinarySuffix(long bytes, String text) {
        assertThat(MemorySize.ofBytes(bytes).toKubernetesString()).isEqualTo(text);
        assertThat(MemorySize.parseKubernetes(text).toBytes()).isEqualTo(bytes);
    }

    @Test
    void parseAndParseKubernetes_differOnTheSameText() {
        // "1G" and "1M" are binary for Docker, decimal for Kubernetes; "1m" is MiB vs 0.001.
        assertThat(MemorySize.parse("1G").toBytes()).isEqualTo(GIB);
        assertThat(MemorySize.parseKubernetes("1G").toBytes()).isEqualTo(1_000_000_000L);
        assertThat(MemorySize.parse("1m").toBytes()).isEqualTo(MIB);
        assertThatThrownBy(() -> MemorySize.parseKubernetes("1m")).isInstanceOf(LimitParseException.class);
    }

    private static void assertParseError(String text, int errorIndex, String why) {
        LimitParseException e = catchThrowableOfType(LimitParseException.class, () -> MemorySize.parse(text));
        assertThat(e).as(why).isNotNull();
        assertThat(e.what()).isEqualTo("memory size");
        assertThat(e.input()).isEqualTo(text);
        assertThat(e.errorIndex()).as(why).isEqualTo(errorIndex);
    }
}
