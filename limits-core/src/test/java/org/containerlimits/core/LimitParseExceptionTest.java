package org.containerlimits.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LimitParseExceptionTest {

    @Test
    void message_quotesInputAndNamesIndexAndExpectation() {
        LimitParseException e = new LimitParseException("memory size", "1.5.5g", 3,
                "a unit (b, k, m, g, t, p) or the end");
        assertThat(e).hasMessage("invalid memory size \"1.5.5g\": unexpected '.' at index 3,"
                + " expected a unit (b, k, m, g, t, p) or the end");
        assertThat(e.what()).isEqualTo("memory size");
        assertThat(e.input()).isEqualTo("1.5.5g");
        assertThat(e.errorIndex()).isEqualTo(3);
        assertThat(e.expected()).isEqualTo("a unit (b, k, m, g, t, p) or the end");
    }

    @Test
    void message_saysEndOfInputAtTheInputsLength() {
        assertThat(new LimitParseException("cpuset", "0,", 2, "a digit"))
                .hasMessage("invalid cpuset \"0,\": unexpected end of input at index 2, expected a digit");
        assertThat(new LimitParseException("cpuset", "", 0, "a digit"))
                .hasMessage("invalid cpuset \"\": unexpected end of input at index 0, expected a digit");
    }

    @Test
    void message_escapesQuotesBackslashesAndControlCharacters() {
        assertThat(new LimitParseException("memory size", "1\"g", 1, "x"))
                .hasMessage("invalid memory size \"1\\\"g\": unexpected '\"' at index 1, expected x");
        assertThat(new LimitParseException("memory size", "1\\g", 1, "x"))
                .hasMessage("invalid memory size \"1\\\\g\": unexpected '\\' at index 1, expected x");
        assertThat(new LimitParseException("memory size", "1\ng", 1, "x"))
                .hasMessage("invalid memory size \"1\\u000ag\": unexpected character U+000A at index 1, expected x");
        assertThat(new LimitParseException("memory size", "1\u007fg", 1, "x"))
                .hasMessage("invalid memory size \"1\\u007fg\": unexpected character U+007F at index 1, expected x");
        assertThat(new LimitParseException("memory size", "1'g", 1, "x"))
                .hasMessage("invalid memory size \"1'g\": unexpected \"'\" at index 1, expected x");
    }

    @Test
    void isALimitsExceptionAndAnIllegalArgumentException() {
        LimitParseException e = new LimitParseException("cpu limit", "x", 0, "a digit");
        assertThat(e).isInstanceOf(LimitsException.class).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void detail_isTheMessageWithoutItsPrefix() {
        LimitParseException e = new LimitParseException("memory size", "1x", 1, "a unit");
        assertThat(e.detail()).isEqualTo("unexpected 'x' at index 1, expected a unit");
    }

    @Test
    void serialization_keepsEveryComponent() {
        LimitParseException copy = TestSupport.serializedCopy(new LimitParseException("cpuset", "3-1", 2, "y"));
        assertThat(copy.what()).isEqualTo("cpuset");
        assertThat(copy.input()).isEqualTo("3-1");
        assertThat(copy.errorIndex()).isEqualTo(2);
        assertThat(copy.expected()).isEqualTo("y");
        assertThat(copy).hasMessage("invalid cpuset \"3-1\": unexpected '1' at index 2, expected y");
    }

    static Stream<Arguments> everyParser() {
        return Stream.of(
                Arguments.of("memory size", (Function<String, Object>) MemorySize::parse),
                Arguments.of("Kubernetes quantity", (Function<String, Object>) MemorySize::parseKubernetes),
                Arguments.of("cpu limit", (Function<String, Object>) CpuLimit::parse),
                Arguments.of("cpuset", (Function<String, Object>) CpuSet::parse),
                Arguments.of("memory+swap limit", (Function<String, Object>) SwapLimit::parse),
                Arguments.of("pids limit", (Function<String, Object>) PidsLimit::parse));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("everyParser")
    void everyParser_namesItsGrammarAndTheIndex(String what, Function<String, Object> parser) {
        LimitParseException e = catchThrowableOfType(LimitParseException.class, () -> parser.apply("#"));
        assertThat(e.what()).isEqualTo(what);
        assertThat(e.input()).isEqualTo("#");
        assertThat(e.errorIndex()).isZero();
        assertThat(e).hasMessageStartingWith("invalid " + what + " \"#\": unexpected '#' at index 0, expected ");
    }
}
