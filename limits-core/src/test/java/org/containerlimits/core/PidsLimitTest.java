package org.containerlimits.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PidsLimitTest {

    @ParameterizedTest
    @ValueSource(strings = {"unlimited", "UNLIMITED", "-1"})
    void parse_acceptsUnlimitedSpellings(String text) {
        PidsLimit pids = PidsLimit.parse(text);
        assertThat(pids).isEqualTo(PidsLimit.UNLIMITED);
        assertThat(pids.isUnlimited()).isTrue();
        assertThat(pids.max()).isEmpty();
        assertThat(pids).hasToString("unlimited");
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "32, 32", "0032, 32", "9223372036854775807, 9223372036854775807"})
    void parse_acceptsPositiveNumbers(String text, long max) {
        PidsLimit pids = PidsLimit.parse(text);
        assertThat(pids.max()).hasValue(max);
        assertThat(pids.isUnlimited()).isFalse();
        assertThat(pids).hasToString(Long.toString(max));
    }

    @Test
    void parse_refusesZeroAsARule() {
        // Docker reads 0 as unlimited too; this type wants -1 said on purpose.
        InvalidLimitsException e = catchThrowableOfType(InvalidLimitsException.class, () -> PidsLimit.parse("0"));
        assertThat(e.violations()).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("pids_limit");
            assertThat(v.value()).isEqualTo("0");
            assertThat(v.rule()).contains("at least 1, or -1 for unlimited");
        });
    }

    @ParameterizedTest(name = "[{index}] parse(\"{0}\") fails at {1}")
    @CsvSource(delimiter = '|', textBlock = """
            -2                  | 0
            ''                  | 0
            +1                  | 0
            1.5                 | 1
            '1 '                | 1
            1k                  | 1
            unlimitedx          | 0
            9223372036854775808 | 0
            """)
    void parse_rejectsOtherText(String text, int errorIndex) {
        LimitParseException e = catchThrowableOfType(LimitParseException.class, () -> PidsLimit.parse(text));
        assertThat(e).isNotNull();
        assertThat(e.what()).isEqualTo("pids limit");
        assertThat(e.errorIndex()).isEqualTo(errorIndex);
    }

    @Test
    void parse_refusesUnicodeLookalikesOfUnlimited() {
        assertThatThrownBy(() -> PidsLimit.parse("unl\u0131m\u0131ted")).isInstanceOf(LimitParseException.class);
    }

    @Test
    void of_acceptsOneAndRefusesLess() {
        assertThat(PidsLimit.of(1).max()).hasValue(1);
        assertThatThrownBy(() -> PidsLimit.of(0)).isInstanceOf(InvalidLimitsException.class)
                .hasMessageContaining("pids_limit = 0");
        assertThatThrownBy(() -> PidsLimit.of(-1)).isInstanceOf(InvalidLimitsException.class);
    }

    @Test
    void equalsAndHashCode_compareTheLimit() {
        assertThat(PidsLimit.of(32)).isEqualTo(PidsLimit.parse("32")).hasSameHashCodeAs(PidsLimit.parse("32"));
        assertThat(PidsLimit.of(32)).isNotEqualTo(PidsLimit.of(33)).isNotEqualTo(PidsLimit.UNLIMITED).isNotEqualTo(32);
    }

    @Test
    void serialization_preservesTheLimit() {
        assertThat(TestSupport.serializedCopy(PidsLimit.of(32))).isEqualTo(PidsLimit.of(32));
        assertThat(TestSupport.serializedCopy(PidsLimit.UNLIMITED)).isEqualTo(PidsLimit.UNLIMITED);
    }
}
