package org.containerlimits.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Hostile YAML, to both readers: each is refused with one line naming what and where, fast, and
 * without building what it would expand to.
 */
class HostileYamlTest {

    /** Nine levels of ten aliases each: 10^9 strings if expanded. */
    static final String BILLION_LAUGHS = """
            a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]
            b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]
            c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]
            d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]
            e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]
            f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]
            g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]
            h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g,*g]
            services: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h,*h]
            """;

    private static InvalidFileException refusedFast(String text) {
        // Classes loaded first: the bound is on the reading, not on the JVM's start.
        ComposeFile.read("services: {}\n", "warm-up");
        long start = System.nanoTime();
        InvalidFileException compose = assertThrows(InvalidFileException.class, () -> ComposeFile.read(text, "hostile.yaml"));
        InvalidFileException k8s = assertThrows(InvalidFileException.class, () -> KubernetesManifests.read(text, "hostile.yaml"));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).as("both readers together").isLessThan(Duration.ofMillis(500));
        for (InvalidFileException e : new InvalidFileException[] {compose, k8s}) {
            assertThat(e.problems()).hasSize(1);
            assertThat(e.getMessage()).doesNotContain("\n").hasSizeLessThan(500);
        }
        return compose;
    }

    @Test
    void aBillionLaughs_isRefusedAtTheValueBound_inWellUnderASecond() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        InvalidFileException e = refusedFast(BILLION_LAUGHS);
        assertThat(e.getMessage()).isEqualTo("invalid file hostile.yaml: f[0], an alias of the node at line 5, column 4:"
                + " more than 200000 values once aliases are expanded (an alias bomb?): the most this reader makes");
        long after = rt.totalMemory() - rt.freeMemory();
        // 10^9 strings would be tens of gigabytes; the bound keeps it to a few megabytes.
        assertThat(after - before).isLessThan(256L << 20);
    }

    @Test
    void manyAliasesToCollections_areRefusedBySnakeYamlsBound() {
        StringBuilder b = new StringBuilder("x: &x {a: 1}\nservices:\n");
        for (int i = 0; i < 1_001; i++) {
            b.append("  s").append(i).append(": *x\n");
        }
        assertThat(refusedFast(b.toString()).getMessage()).contains("more than 1000 aliases to maps or lists (an alias bomb?)");
    }

    @Test
    void aRecursiveAlias_isRefused() {
        assertThat(refusedFast("services: &s {web: *s}\n").getMessage()).contains("nested deeper than 64");
    }

    @Test
    void tenThousandLevelsOfNesting_areRefused() {
        assertThat(refusedFast("services: " + "[".repeat(10_000) + "]".repeat(10_000)).getMessage())
                .isEqualTo("invalid file hostile.yaml: nested deeper than 64 levels of maps and lists");
        assertThat(refusedFast("services: " + "{a: ".repeat(10_000) + "1" + "}".repeat(10_000)).getMessage())
                .contains("nested deeper than 64 levels");
        StringBuilder block = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            block.append(" ".repeat(i)).append("k").append(":\n");
        }
        assertThat(refusedFast(block.toString()).getMessage()).contains("nested deeper than 64 levels");
    }

    @Test
    void repeatedKeys_areRefused_namingTheKeyAndWhere() {
        assertThat(refusedFast("services:\n  web:\n    mem_limit: 1g\n    mem_limit: 64g\n").getMessage())
                .isEqualTo("invalid file hostile.yaml: line 4, column 5: services.web.mem_limit: repeated key"
                        + " 'mem_limit' (YAML keys are unique)");
        assertThat(refusedFast("{\"services\": {}, \"services\": {}}").getMessage()).contains("repeated key 'services'");
    }

    @Test
    void javaTags_instantiateNothing() {
        String[] hostile = {
            "services: !!java.lang.Runtime {}\n",
            "services:\n  web: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://x/\"]]]]\n",
            "services: !custom {}\n",
            "services: !!set {a, b}\n",
        };
        for (String text : hostile) {
            InvalidFileException e = refusedFast(text);
            assertThat(e.getMessage()).as(text).containsAnyOf("tag", "Global tag is not allowed");
        }
    }

    @Test
    void largerThanOneMebibyte_isRefusedAfterReadingOneByteMore() throws Exception {
        byte[] big = ("services: {}\n# " + "x".repeat(2 << 20)).getBytes(StandardCharsets.UTF_8);
        ByteArrayInputStream in = new ByteArrayInputStream(big);
        InvalidFileException e = assertThrows(InvalidFileException.class, () -> ComposeFile.read(in, "big.yaml"));
        assertThat(e.getMessage()).isEqualTo("invalid file big.yaml: larger than 1048576 bytes (1 MiB)");
        assertThat(in.available()).isEqualTo(big.length - (1 << 20) - 1);
    }

    @Test
    void bytesThatAreNotUtf8_areRefused_namingTheByte() {
        byte[][] bad = {
            {'s', ':', ' ', (byte) 0xC0, (byte) 0x80},             // overlong NUL
            {'s', ':', ' ', (byte) 0xED, (byte) 0xA0, (byte) 0x80}, // an encoded surrogate
            {'s', ':', '\n', ' ', ' ', 'a', ':', ' ', (byte) 0xFF},
        };
        for (byte[] bytes : bad) {
            InvalidFileException e = assertThrows(InvalidFileException.class,
                    () -> KubernetesManifests.read(new ByteArrayInputStream(bytes), "-"));
            assertThat(e.getMessage()).startsWith("invalid file -: not valid UTF-8: byte").contains(" at line ");
        }
    }

    @Test
    void numbersInAmbiguousForms_areRefused_notReadAsYaml11Would() {
        assertThat(refusedFast("a: 010\n").getMessage())
                .isEqualTo("invalid file hostile.yaml: line 1, column 4: a = '010': an integer must be written in decimal"
                        + " digits (YAML 1.1 and 1.2 read 0x, 0o, a leading 0, _ and 1:30 differently); quote it to give text");
        assertThat(refusedFast("a: 1_000\n").getMessage()).contains("an integer must be written in decimal digits");
        assertThat(refusedFast("a: 1:30\n").getMessage()).contains("an integer must be written in decimal digits");
        assertThat(refusedFast("a: .inf\n").getMessage()).contains("a number must be a finite decimal");
        assertThat(refusedFast("a: " + "9".repeat(101) + "\n").getMessage()).contains("an integer longer than 100 characters");
        // SnakeYAML gives longer digit runs as text; the limit's own rule refuses them, the value cut short.
        InvalidFileException e = assertThrows(InvalidFileException.class,
                () -> ComposeFile.read("services:\n  web:\n    pids_limit: " + "9".repeat(200_000) + "\n", "h.yaml"));
        assertThat(e.getMessage()).contains("services.web.pids_limit = '999").contains("... (200002 characters)")
                .hasSizeLessThan(400);
    }

    @Test
    void notYaml_isOneLine() {
        assertThat(refusedFast("services:\n  web: [unclosed\n").getMessage()).startsWith("invalid file hostile.yaml: line ")
                .contains("not valid YAML");
        assertThat(refusedFast("\tservices: {}\n").getMessage()).contains("not valid YAML");
    }
}
