package org.containerlimits.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SwapLimitTest {

    @ParameterizedTest
    @ValueSource(strings = {"unlimited", "UNLIMITED", "Unlimited", "-1"})
    void parse_acceptsUnlimitedSpellings(String text) {
        SwapLimit swap = SwapLimit.parse(text);
        assertThat(swap).isSameAs(SwapLimit.UNLIMITED);
        assertThat(swap.isUnlimited()).isTrue();
        assertThat(swap.memoryPlusSwap()).isEmpty();
        assertThat(swap).hasToString("unlimited");
    }

    @Test
    void parse_readsSizesInDockersGrammar() {
        SwapLimit swap = SwapLimit.parse("2g");
        assertThat(swap.isUnlimited()).isFalse();
        assertThat(swap.memoryPlusSwap()).contains(MemorySize.ofGibibytes(2));
        assertThat(swap).hasToString("2g").isEqualTo(SwapLimit.of(MemorySize.parse("2048m")));
        assertThat(SwapLimit.parse("0").memoryPlusSwap()).contains(MemorySize.ZERO);
        assertThat(SwapLimit.parse("1.5g")).hasToString("1536m");
    }

    @ParameterizedTest(name = "[{index}] parse(\"{0}\") fails at {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            -2           | 0 | only -1 is negative
            -1g          | 0 | -1 is a bare number
            -0           | 0 | no signs
            ''           | 0 | empty
            unlimitedx   | 0 | not unlimited, not a size
            ' unlimited' | 0 | blanks
            1x           | 1 | bad unit
            1.5.5g       | 3 | bad number
            """)
    void parse_rejectsOtherText(String text, int errorIndex, String why) {
        LimitParseException e = catchThrowableOfType(LimitParseException.class, () -> SwapLimit.parse(text));
        assertThat(e).as(why).isNotNull();
        assertThat(e.what()).isEqualTo("memory+swap limit");
        assertThat(e.input()).isEqualTo(text);
        assertThat(e.errorIndex()).as(why).isEqualTo(errorIndex);
    }

    @Test
    void parse_mentionsUnlimitedWhenTheFirstCharacterIsWrong() {
        LimitParseException e = catchThrowableOfType(LimitParseException.class, () -> SwapLimit.parse("x"));
        assertThat(e.expected()).isEqualTo("a digit (or \"unlimited\", \"-1\")");
        LimitParseException later = catchThrowableOfType(LimitParseException.class, () -> SwapLimit.parse("1x"));
        assertThat(later.expected()).isEqualTo("a unit (b, k, m, g, t, p) or the end");
    }

    @Test
    void parse_refusesUnicodeLookalikesOfUnlimited() {
        // Regression: String.equalsIgnoreCase let a dotless i (U+0131) pass for 'i'.
        assertThatThrownBy(() -> SwapLimit.parse("unl\u0131m\u0131ted")).isInstanceOf(LimitParseException.class);
        assertThatThrownBy(() -> SwapLimit.parse("UNL\u0130M\u0130TED")).isInstanceOf(LimitParseException.class);
    }

    @Test
    void of_refusesNull() {
        assertThatThrownBy(() -> SwapLimit.of(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void equalsAndHashCode_compareTheTotal() {
        assertThat(SwapLimit.parse("2g")).isEqualTo(SwapLimit.parse("2048m"))
                .hasSameHashCodeAs(SwapLimit.parse("2048m"));
        assertThat(SwapLimit.parse("2g")).isNotEqualTo(SwapLimit.UNLIMITED).isNotEqualTo(SwapLimit.parse("1g"));
        assertThat(SwapLimit.UNLIMITED).isEqualTo(SwapLimit.parse("-1")).isNotEqualTo("unlimited");
    }

    @Test
    void serialization_keepsUnlimitedASingleton() {
        assertThat(TestSupport.serializedCopy(SwapLimit.UNLIMITED)).isSameAs(SwapLimit.UNLIMITED);
        assertThat(TestSupport.serializedCopy(SwapLimit.parse("2g"))).isEqualTo(SwapLimit.parse("2g"));
    }
}
