package org.containerlimits.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.containerlimits.cli.OfflineCli.Result;
import org.junit.jupiter.api.Test;

/**
 * Hostile JSON given to {@code limits convert}, on standard input and as an argument: every shape
 * ends with exit 2 and one line on standard error naming what is wrong and where, never a stack
 * trace, in bounded time, and (for standard input) after reading at most 1 MiB. No daemon is asked.
 */
class HostileJsonTest {
    private static final Duration BOUND = Duration.ofSeconds(20);

    /** Runs {@code convert --from FORMAT --to flags} on the text, given as the argument. */
    private static Result asArgument(String format, String json) {
        return assertTimeoutPreemptively(BOUND, () -> OfflineCli.limits("convert", "--from", format, "--to", "flags", json));
    }

    /** Runs {@code convert --from FORMAT --to flags} reading standard input. */
    private static Result onStdin(String format, InputStream in) {
        return assertTimeoutPreemptively(BOUND, () -> OfflineCli.limits(in, "convert", "--from", format, "--to", "flags"));
    }

    private static Result onStdin(String format, byte[] bytes) {
        return onStdin(format, new ByteArrayInputStream(bytes));
    }

    /** Exit 2, one line, no trace, nothing on standard output; returns the line. */
    private static String refusedInOneLine(Result r) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(LimitsCommand.EXIT_BAD_INPUT);
        assertThat(r.errLines()).as(r.err()).hasSize(1);
        String line = r.errLines().get(0);
        assertThat(line).startsWith("limits: ").doesNotContain("Exception").doesNotContain("\tat ")
                .doesNotContain("com.fasterxml").hasSizeLessThan(3_000);
        assertThat(r.out()).isEmpty();
        return line;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The old hand-written parser recursed once per level and ended in a StackOverflowError. */
    @Test
    void aMillionLevelsOfNesting_isRefusedAtLevel33() {
        String arrays = "[".repeat(1_000_000);
        String objects = "{\"limits\":".repeat(100_000);
        for (String deep : new String[] {arrays, "{\"Memory\":" + arrays, objects}) {
            assertThat(refusedInOneLine(asArgument("compose", deep)))
                    .startsWith("limits: invalid input, nothing was done: INPUT: invalid JSON at line 1, column ")
                    .endsWith("Document nesting depth (33) exceeds the maximum allowed (32)");
            assertThat(refusedInOneLine(onStdin("engine", utf8(deep)))).contains("nesting depth (33)");
        }
    }

    @Test
    void hugeNumbers_areReadExactly_andRefusedNamingTheKeyAndTheExactValue() {
        assertThat(refusedInOneLine(asArgument("dockerpy", "{\"mem_limit\": 1e400}")))
                .isEqualTo("limits: invalid resource limits: mem_limit = 1E+400: must be at most 9223372036854775807 bytes");
        assertThat(refusedInOneLine(asArgument("dockerpy", "{\"cpu_shares\": 123456789012345678901234567890}")))
                .contains("cpu_shares = 123456789012345678901234567890: must be at most 9223372036854775807");
        assertThat(refusedInOneLine(onStdin("engine", utf8("{\"Memory\": 1e999999999}"))))
                .contains("Memory = 1E+999999999: must fit a 64-bit integer");
        assertThat(refusedInOneLine(asArgument("engine", "{\"Memory\": 1e-999999999}"))).contains("Memory = 1E-999999999:")
                .contains("must be a whole number: an integer, or a string of decimal digits");
        assertThat(refusedInOneLine(asArgument("compose", "{\"limits\": {\"cpus\": 1e400}}"))).contains("limits.cpus")
                .contains("1E+400");
        assertThat(refusedInOneLine(asArgument("kubernetes", "{\"limits\": {\"cpu\": 1e999999999}}")))
                .contains("limits.cpu");
        // Too long to be a limit: refused by the reader, before any value is made of it.
        assertThat(refusedInOneLine(onStdin("engine", utf8("{\"Memory\": " + "9".repeat(1_000) + "}"))))
                .isEqualTo("limits: invalid input, nothing was done: INPUT: invalid JSON at line 1, column 1012:"
                        + " Number value length (1000) exceeds the maximum allowed (100)");
        assertThat(refusedInOneLine(onStdin("engine", utf8("{\"Memory\": " + "9".repeat(1_000_000) + "}"))))
                .contains("INPUT: invalid JSON at line 1, column ")
                .endsWith(": a string or number longer than 65536 characters");
        assertThat(refusedInOneLine(asArgument("engine", "{\"NanoCpus\": 1e99999999999}")))
                .contains("INPUT: invalid JSON at line 1, column ");
    }

    @Test
    void aRepeatedKey_isRefused_namingItAndWhere() {
        assertThat(refusedInOneLine(asArgument("dockerpy", "{\"mem_limit\": \"1g\",\n \"mem_limit\": \"64g\"}")))
                .startsWith("limits: invalid input, nothing was done: INPUT: invalid JSON at line 2, column ")
                .endsWith("Duplicate field 'mem_limit'");
        assertThat(refusedInOneLine(onStdin("kubernetes",
                utf8("{\"limits\": {\"memory\": \"1Gi\", \"cpu\": \"1\", \"memory\": \"64Gi\"}}"))))
                .contains("Duplicate field 'memory'");
    }

    @Test
    void bytesThatAreNotUtf8_areRefused_namingThemAndWhere() {
        int[][] sequences = {{0xC0, 0x80}, {0xED, 0xA0, 0x80}, {0xF4, 0x90, 0x80, 0x80}, {0xFF}, {0xE2, 0x82}};
        for (int[] sequence : sequences) {
            byte[] head = utf8("{\"mem_limit\": \"1");
            byte[] tail = utf8("g\"}");
            byte[] input = new byte[head.length + sequence.length + tail.length];
            System.arraycopy(head, 0, input, 0, head.length);
            for (int i = 0; i < sequence.length; i++) {
                input[head.length + i] = (byte) sequence[i];
            }
            System.arraycopy(tail, 0, input, head.length + sequence.length, tail.length);
            assertThat(refusedInOneLine(onStdin("dockerpy", input)))
                    .startsWith("limits: invalid input, nothing was done: INPUT: not valid UTF-8: byte")
                    .contains(String.format("%02X", sequence[0]))
                    .endsWith("at line 1, byte 17 of the line (byte 17 of the input)");
        }
    }

    /** 100 MB on standard input: refused after reading 1 MiB and one byte, never held whole. */
    @Test
    void aHundredMegabyteString_isRefusedAfterReadingOneMebibyte() {
        CountingInput huge = new CountingInput(new SequenceInputStream(
                new ByteArrayInputStream(utf8("{\"mem_limit\": \"")), new CliJsonTest.Endless()));
        assertThat(refusedInOneLine(onStdin("dockerpy", huge)))
                .isEqualTo("limits: invalid input, nothing was done: INPUT: larger than 1048576 bytes;"
                        + " a limits document is a few hundred");
        assertThat(huge.count).isEqualTo(CliJson.MAX_INPUT_BYTES + 1L);
        // Within the bound, a long string is refused by the reader's own limit.
        assertThat(refusedInOneLine(asArgument("dockerpy", "{\"mem_limit\": \"" + "1".repeat(500_000) + "g\"}")))
                .endsWith(": a string or number longer than 65536 characters");
    }

    @Test
    void trailingGarbage_isRefused_sayingWhere() {
        assertThat(refusedInOneLine(asArgument("engine", "{\"Memory\": 1073741824} {\"Privileged\": true}")))
                .isEqualTo("limits: invalid input, nothing was done: INPUT: invalid JSON at line 1, column 24:"
                        + " more input after the end of the JSON value");
        assertThat(refusedInOneLine(onStdin("engine", utf8("{\"Memory\": 1073741824}\n]")))).contains("line 2, column ");
        assertThat(refusedInOneLine(asArgument("engine", "{\"Memory\": 1073741824} garbage")))
                .contains("INPUT: invalid JSON at line 1, column ").contains("Unrecognized token 'garbage'");
    }

    @Test
    void anArrayWhereAnObjectBelongs_isRefused_namingItsPlace() {
        assertThat(refusedInOneLine(asArgument("compose", " [{\"limits\": {\"memory\": \"1g\"}}]")))
                .isEqualTo("limits: invalid input, nothing was done: INPUT: expected a JSON object for compose,"
                        + " found an array at line 1, column 2");
        assertThat(refusedInOneLine(asArgument("compose", "{\"limits\": [\"memory\", \"1g\"]}")))
                .isEqualTo("limits: invalid resource limits: limits = [memory, 1g]: must be a map, not a list");
        assertThat(refusedInOneLine(asArgument("dockerpy", "{\"mem_limit\": [1073741824]}"))).contains("mem_limit = [1073741824]");
    }

    @Test
    void aLineBreakOrControlCharacterInAValue_staysOnOneLine() {
        assertThat(refusedInOneLine(asArgument("dockerpy", "{\"mem_limit\": \"1\\ng\\u2028\\u0000\"}")))
                .contains("mem_limit = ");
        assertThat(refusedInOneLine(asArgument("dockerpy", "{\"privileged\\nx\": true}"))).contains("privileged\\u000ax");
    }

    /** Valid JSON full of bad keys and long values: the error stays bounded too. */
    @Test
    void manyBadKeysAndLongValues_giveBoundedOutput() {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < 3_000; i++) {
            json.append(i == 0 ? "" : ",").append("\"privileged").append(i).append("\": true");
        }
        Result many = onStdin("dockerpy", utf8(json.append('}').toString()));
        assertThat(many.exitCode()).isEqualTo(2);
        assertThat(many.errLines()).hasSize(22).first().isEqualTo("limits: invalid resource limits (3000 violations):");
        assertThat(many.errLines().get(21)).isEqualTo("  ... and 2980 more");
        String line = refusedInOneLine(asArgument("dockerpy", "{\"mem_limit\": \"" + "9".repeat(60_000) + "x\"}"));
        assertThat(line).hasSizeLessThan(1_100).containsPattern("\\.\\.\\. \\(600\\d\\d characters in all\\)$");
    }

    @Test
    void emptyInput_isRefused() {
        assertThat(refusedInOneLine(onStdin("engine", new byte[0])))
                .isEqualTo("limits: invalid input, nothing was done: INPUT: no JSON: the input is empty;"
                        + " expected a JSON object for engine");
    }

    /** Counts the bytes read through it. */
    private static final class CountingInput extends java.io.FilterInputStream {
        long count;

        CountingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws java.io.IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws java.io.IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
