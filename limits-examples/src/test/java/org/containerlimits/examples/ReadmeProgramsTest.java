package org.containerlimits.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The programs the README prints are the examples' sources, line for line from the first import to
 * the end, without the package line, the javadoc and the private constructor: the README cannot
 * drift from what {@code ExamplesIT} runs.
 */
class ReadmeProgramsTest {

    @ParameterizedTest
    @ValueSource(strings = {"SwarmService"})
    void theReadmesProgram_isTheExamplesSource(String name) throws IOException {
        String source = Files.readString(Path.of("src/main/java/org/containerlimits/examples/" + name + ".java"));
        String program = source.substring(source.indexOf("import "))
                .replaceAll("(?s)[ \\t]*/\\*\\*.*?\\*/\\n", "")
                .replaceAll("(?m)^    private " + name + "\\(\\) \\{\\n    }\\n\\n", "")
                .replaceAll("\\n{3,}", "\n\n").strip();
        String readme = Files.readString(Path.of("../README.md"));
        assertThat(readme).contains("public final class " + name + " {");
        assertThat(readme).as("README's program " + name).contains(program);
    }
}
