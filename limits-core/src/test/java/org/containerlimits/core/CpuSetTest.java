package org.containerlimits.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CpuSetTest {

    @ParameterizedTest(name = "[{index}] parse(\"{0}\") = \"{1}\", {2} members")
    @CsvSource(delimiter = '|', textBlock = """
            0-3,5         | 0-3,5         | 5
            5,0-3,2       | 0-3,5         | 5
            7             | 7             | 1
            0,1           | 0-1           | 2
            0-1           | 0-1           | 2
            1,3,5         | 1,3,5         | 3
            0-0           | 0             | 1
            3,3,3         | 3             | 1
            0-2,1-4       | 0-4           | 5
            007           | 7             | 1
            65535         | 65535         | 1
            0-65535       | 0-65535       | 65536
            0-1,3-4,6-7   | 0-1,3-4,6-7   | 6
            """)
    void parse_readsTheKernelCpusetSyntax(String text, String canonical, int size) {
        CpuSet set = CpuSet.parse(text);
        assertThat(set).hasToString(canonical);
        assertThat(set.size()).isEqualTo(size);
        assertThat(CpuSet.parse(canonical)).isEqualTo(set);
    }

    @ParameterizedTest(name = "[{index}] parse(\"{0}\") fails at {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            ''      | 0 | empty
            3-1     | 2 | reversed range
            65536   | 0 | above MAX_INDEX
            0-65536 | 2 | range end above MAX_INDEX
            0,,1    | 2 | empty item
            '0,'    | 2 | trailing comma
            ',0'    | 0 | leading comma
            ' 0'    | 0 | leading blank
            '0 '    | 1 | trailing blank
            '0, 1'  | 2 | blank after a comma
            -1      | 0 | negative
            +1      | 0 | sign
            0-3-5   | 3 | one range per item
            0-      | 2 | open range
            a       | 0 | not a number
            1.5     | 1 | not whole
            0;1     | 1 | semicolon
            """)
    void parse_rejectsMalformedCpusets(String text, int errorIndex, String why) {
        LimitParseException e = catchThrowableOfType(LimitParseException.class, () -> CpuSet.parse(text));
        assertThat(e).as(why).isNotNull();
        assertThat(e.what()).isEqualTo("cpuset");
        assertThat(e.errorIndex()).as(why).isEqualTo(errorIndex);
    }

    @Test
    void parse_namesTheStartOfAReversedRange() {
        assertThatThrownBy(() -> CpuSet.parse("3-1")).isInstanceOf(LimitParseException.class)
                .hasMessage("invalid cpuset \"3-1\": unexpected '1' at index 2, expected a range end not below its start 3");
    }

    @Test
    void of_buildsTheSetAndRefusesEmptyOrOutOfRange() {
        assertThat(CpuSet.of(3, 1, 2)).isEqualTo(CpuSet.parse("1-3"));
        assertThat(CpuSet.of(0)).hasToString("0");
        assertThat(CpuSet.of(CpuSet.MAX_INDEX)).hasToString("65535");
        assertThatThrownBy(CpuSet::of).isInstanceOf(InvalidLimitsException.class)
                .hasMessageContaining("must name at least one CPU or memory node");
        assertThatThrownBy(() -> CpuSet.of(-1)).isInstanceOf(InvalidLimitsException.class)
                .hasMessageContaining("must be between 0 and 65535");
        assertThatThrownBy(() -> CpuSet.of(1, 65_536)).isInstanceOf(InvalidLimitsException.class);
    }

    @Test
    void firstN_isTheRangeFromZero() {
        assertThat(CpuSet.firstN(4)).hasToString("0-3");
        assertThat(CpuSet.firstN(1)).hasToString("0");
        assertThat(CpuSet.firstN(65_536)).hasToString("0-65535");
        assertThatThrownBy(() -> CpuSet.firstN(0)).isInstanceOf(InvalidLimitsException.class);
        assertThatThrownBy(() -> CpuSet.firstN(65_537)).isInstanceOf(InvalidLimitsException.class);
    }

    @Test
    void queries_answerFromTheMembers() {
        CpuSet set = CpuSet.parse("0-3,5");
        assertThat(set.contains(0)).isTrue();
        assertThat(set.contains(4)).isFalse();
        assertThat(set.contains(5)).isTrue();
        assertThat(set.contains(-1)).isFalse();
        assertThat(set.contains(100_000)).isFalse();
        assertThat(set.max()).isEqualTo(5);
        assertThat(set.stream().toArray()).containsExactly(0, 1, 2, 3, 5);
        assertThat(CpuSet.parse("1,5").isSubsetOf(set)).isTrue();
        assertThat(set.isSubsetOf(set)).isTrue();
        assertThat(CpuSet.parse("4").isSubsetOf(set)).isFalse();
        assertThat(set.isSubsetOf(CpuSet.firstN(4))).isFalse();
    }

    @Test
    void equalsAndHashCode_compareMembers() {
        assertThat(CpuSet.parse("5,0-3")).isEqualTo(CpuSet.parse("0,1,2,3,5"))
                .hasSameHashCodeAs(CpuSet.parse("0,1,2,3,5"));
        assertThat(CpuSet.parse("0-3")).isNotEqualTo(CpuSet.parse("0-4")).isNotEqualTo("0-3");
    }

    @Test
    void serialization_preservesTheMembers() {
        CpuSet set = CpuSet.parse("0-3,5");
        assertThat(TestSupport.serializedCopy(set)).isEqualTo(set);
    }
}
