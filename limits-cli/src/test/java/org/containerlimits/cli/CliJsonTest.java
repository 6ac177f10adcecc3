package org.containerlimits.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line's JSON reader and writer: strict, bounded, exact; no daemon needed. */
class CliJsonTest {

    private static Map<String, Object> read(String text) {
        return CliJson.readObject(text, "for engine");
    }

    private static String refusal(String text) {
        try {
            read(text);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).doesNotContain("\n");
            return e.getMessage();
        }
        throw new AssertionError("not refused: " + (text.length() > 80 ? text.substring(0, 80) + "..." : text));
    }

    private static String readText(byte[] bytes) throws IOException {
        return CliJson.readText(new ByteArrayInputStream(bytes));
    }

    private static byte[] bytes(String prefix, int[] raw, String suffix) {
        byte[] a = prefix.getBytes(StandardCharsets.UTF_8);
        byte[] c = suffix.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[a.length + raw.length + c.length];
        System.arraycopy(a, 0, all, 0, a.length);
        for (int i = 0; i < raw.length; i++) {
            all[a.length + i] = (byte) raw[i];
        }
        System.arraycopy(c, 0, all, a.length + raw.length, c.length);
        return all;
    }

    @Test
    void numbers_areExact_neverRoundedThroughADouble() {
        Map<String, Object> o = read("{\"int\": 1, \"long\": 9223372036854775807, \"past\": 9223372036854775808,"
                + " \"big\": 123456789012345678901234567890, \"huge\": 1e400, \"tiny\": 1e-400, \"far\": 1e999999999,"
                + " \"fraction\": 2.50, \"negative\": -3e2, \"point\": 0.1}");
        assertThat(o.get("int")).isEqualTo(1);
        assertThat(o.get("long")).isEqualTo(Long.MAX_VALUE);
        assertThat(o.get("past")).isEqualTo(new BigInteger("9223372036854775808"));
        assertThat(o.get("big")).isEqualTo(new BigInteger("123456789012345678901234567890"));
        // A double would be Infinity, 0.0, Infinity, 2.5 and 0.1000000000000000055...
        assertThat(o.get("huge")).isEqualTo(new BigDecimal("1e400"));
        assertThat(o.get("tiny")).isEqualTo(new BigDecimal("1e-400"));
        assertThat(o.get("far")).isEqualTo(new BigDecimal("1e999999999"));
        assertThat(o.get("fraction")).isEqualTo(new BigDecimal("2.50"));
        assertThat(o.get("negative")).isEqualTo(new BigDecimal("-3e2"));
        assertThat(o.get("point")).isEqualTo(new BigDecimal("0.1"));
    }

    @Test
    void keys_keepTheirOrder_andValuesTheirTypes() {
        Map<String, Object> o = read("{\"z\": null, \"a\": [true, \"x\\\"y\\u00e9\"], \"m\": {\"k\": false}}");
        assertThat(o).containsOnlyKeys("z", "a", "m");
        assertThat(new ArrayList<>(o.keySet())).containsExactly("z", "a", "m");
        assertThat(o.get("z")).isNull();
        assertThat(o.get("a")).isEqualTo(List.of(true, "x\"y\u00e9"));
        assertThat(o.get("m")).isEqualTo(Map.of("k", false));
    }

    @Test
    void whatJsonDoesNotAllow_isRefused_withLineAndColumn() {
        assertThat(refusal("{\"Memory\": 1, \"Memory\": 2}"))
                .startsWith("invalid JSON at line 1, column ").contains("Duplicate field 'Memory'");
        assertThat(refusal("{\"a\": {\"b\": 1,\n  \"b\": 2}}")).startsWith("invalid JSON at line 2, column ")
                .contains("Duplicate field 'b'");
        assertThat(refusal("{\"Memory\": 1} {\"Memory\": 2}"))
                .isEqualTo("invalid JSON at line 1, column 15: more input after the end of the JSON value");
        assertThat(refusal("{\"Memory\": 1} x")).startsWith("invalid JSON at line 1, column ")
                .contains("Unrecognized token 'x'");
        assertThat(refusal("{\"Memory\": 1,}")).startsWith("invalid JSON at line 1, column ");
        assertThat(refusal("{'Memory': 1}")).startsWith("invalid JSON at line 1, column 2: ");
        assertThat(refusal("{\"Memory\": NaN}")).startsWith("invalid JSON at line 1, column ");
        assertThat(refusal("{\"Memory\": 01}")).startsWith("invalid JSON at line 1, column ");
        assertThat(refusal("{\"Memory\": 1 // comment\n}")).startsWith("invalid JSON at line 1, column ");
        assertThat(refusal("{\"Memory\": \"a\nb\"}")).startsWith("invalid JSON at line 1, column ");
        assertThat(refusal("{\"Memory\": 1")).startsWith("invalid JSON at line 1, column ");
    }

    @Test
    void notAnObject_isRefused_sayingWhatItIs_andWhere() {
        assertThat(refusal("  [1, 2]")).isEqualTo("expected a JSON object for engine, found an array at line 1, column 3");
        assertThat(refusal("\n\"1g\"")).isEqualTo("expected a JSON object for engine, found a string at line 2, column 1");
        assertThat(refusal("null")).isEqualTo("expected a JSON object for engine, found null at line 1, column 1");
        assertThat(refusal("1e400")).isEqualTo("expected a JSON object for engine, found a number at line 1, column 1");
        assertThat(refusal(" \n\t ")).isEqualTo("no JSON: the input is empty; expected a JSON object for engine");
    }

    @Test
    void nesting_isBoundedAt32() {
        assertThat(read("{\"a\":".repeat(31) + "{}" + "}".repeat(31))).containsKey("a");
        assertThat(refusal("{\"a\":".repeat(32) + "{}" + "}".repeat(32)))
                .startsWith("invalid JSON at line 1, column ")
                .endsWith("Document nesting depth (33) exceeds the maximum allowed (32)");
        assertThat(refusal("{\"a\":" + "[".repeat(1_000_000))).contains("nesting depth (33)");
    }

    @Test
    void numbersStringsKeysTokensAndTheDocument_areBounded() {
        assertThat(read("{\"n\": " + "9".repeat(100) + "}").get("n")).isEqualTo(new BigInteger("9".repeat(100)));
        assertThat(refusal("{\"n\": " + "9".repeat(101) + "}")).contains("Number value length (101) exceeds the"
                + " maximum allowed (100)");
        assertThat(refusal("{\"n\": 0." + "9".repeat(10_000) + "}")).contains("Number value length");
        assertThat(read("{\"s\": \"" + "x".repeat(65_536) + "\"}").get("s")).asString().hasSize(65_536);
        assertThat(refusal("{\"s\": \"" + "x".repeat(300_000) + "\"}"))
                .endsWith(": a string or number longer than 65536 characters");
        assertThat(refusal("{\"" + "k".repeat(2_000) + "\": 1}")).contains("Name length");
        assertThat(refusal("{\"a\": [" + "1,".repeat(20_000) + "1]}")).contains("Token count")
                .contains("exceeds the maximum allowed (10000)");
        assertThat(refusal(" ".repeat(CliJson.MAX_INPUT_BYTES) + "{}"))
                .isEqualTo("larger than 1048576 bytes; a limits document is a few hundred");
    }

    @Test
    void readText_refusesEveryIllFormedUtf8Sequence_namingTheBytesAndWhere() throws IOException {
        Map<String, int[]> bad = new LinkedHashMap<>();
        bad.put("C0 80", new int[] {0xC0, 0x80});              // overlong NUL
        bad.put("E0 80 AF", new int[] {0xE0, 0x80, 0xAF});     // overlong '/'
        bad.put("ED A0 80", new int[] {0xED, 0xA0, 0x80});     // an encoded surrogate
        bad.put("F4 90 80 80", new int[] {0xF4, 0x90, 0x80, 0x80}); // past U+10FFFF
        bad.put("FF", new int[] {0xFF});
        bad.put("80", new int[] {0x80});                       // a continuation byte alone
        bad.put("E2 82", new int[] {0xE2, 0x82});              // cut short
        for (Map.Entry<String, int[]> e : bad.entrySet()) {
            byte[] input = bytes("{\"Memory\":\n \"1", e.getValue(), "g\"}");
            assertThatThrownBy(() -> readText(input)).as(e.getKey())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("not valid UTF-8: byte")
                    .hasMessageContaining(e.getKey().split(" ")[0])
                    .hasMessageContaining("at line 2, byte 4 of the line (byte 15 of the input)");
        }
        String fine = readText("{\"k\": \"\u00fc \u20ac \ud83d\ude00\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(read(fine).get("k")).isEqualTo("\u00fc \u20ac \ud83d\ude00");
    }

    @Test
    void readText_readsAtMostOneBytePastTheBound() throws IOException {
        assertThat(readText(" ".repeat(CliJson.MAX_INPUT_BYTES).getBytes(StandardCharsets.US_ASCII)))
                .hasSize(CliJson.MAX_INPUT_BYTES);
        Endless endless = new Endless();
        assertThatThrownBy(() -> CliJson.readText(endless))
                .hasMessage("larger than 1048576 bytes; a limits document is a few hundred");
        assertThat(endless.read).isEqualTo(CliJson.MAX_INPUT_BYTES + 1L);
    }

    /** As many bytes as asked, for ever, counted. */
    static final class Endless extends java.io.InputStream {
        long read;

        @Override
        public int read() {
            read++;
            return 'x';
        }

        @Override
        public int read(byte[] b, int off, int len) {
            java.util.Arrays.fill(b, off, off + len, (byte) 'x');
            read += len;
            return len;
        }
    }

    @Test
    void write_indentsObjects_asTheHandWrittenWriterDid() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("cpu", "2500m");
        inner.put("memory", "1Gi");
        Map<String, Object> outer = new LinkedHashMap<>();
        outer.put("limits", inner);
        outer.put("n", 5L);
        outer.put("empty", Map.of());
        outer.put("list", List.of(1, "a"));
        outer.put("none", null);
        outer.put("d", new BigDecimal("1E-3"));
        outer.put("s", "q\"\\\n\u0001");
        assertThat(CliJson.write(outer)).isEqualTo("{\n"
                + "  \"limits\": {\n"
                + "    \"cpu\": \"2500m\",\n"
                + "    \"memory\": \"1Gi\"\n"
                + "  },\n"
                + "  \"n\": 5,\n"
                + "  \"empty\": {},\n"
                + "  \"list\": [1, \"a\"],\n"
                + "  \"none\": null,\n"
                + "  \"d\": 0.001,\n"
                + "  \"s\": \"q\\\"\\\\\\n\\u0001\"\n"
                + "}");
        assertThat(CliJson.write(Map.of())).isEqualTo("{}");
        assertThat(read(CliJson.write(outer))).isEqualTo(read("{\"limits\": {\"cpu\": \"2500m\", \"memory\": \"1Gi\"},"
                + " \"n\": 5, \"empty\": {}, \"list\": [1, \"a\"], \"none\": null, \"d\": 0.001,"
                + " \"s\": \"q\\\"\\\\\\n\\u0001\"}"));
    }
}
