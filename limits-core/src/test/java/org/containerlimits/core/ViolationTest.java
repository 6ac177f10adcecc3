package org.containerlimits.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ViolationTest {

    @Test
    void toString_isFieldEqualsValueColonRule() {
        Violation v = new Violation("mem_limit", "4m",
                "must be at least 6m (6291456 bytes), the Docker daemon's minimum");
        assertThat(v).hasToString("mem_limit = 4m: must be at least 6m (6291456 bytes), the Docker daemon's minimum");
        assertThat(v.field()).isEqualTo("mem_limit");
        assertThat(v.value()).isEqualTo("4m");
        assertThat(v.rule()).startsWith("must be at least 6m");
    }

    @Test
    void constructor_refusesNullComponents() {
        assertThatThrownBy(() -> new Violation(null, "v", "r")).isInstanceOf(NullPointerException.class)
                .hasMessage("field");
        assertThatThrownBy(() -> new Violation("f", null, "r")).isInstanceOf(NullPointerException.class)
                .hasMessage("value");
        assertThatThrownBy(() -> new Violation("f", "v", null)).isInstanceOf(NullPointerException.class)
                .hasMessage("rule");
    }

    @Test
    void equalsAndHashCode_compareAllComponents() {
        Violation v = new Violation("f", "v", "r");
        assertThat(v).isEqualTo(new Violation("f", "v", "r")).hasSameHashCodeAs(new Violation("f", "v", "r"));
        assertThat(v).isNotEqualTo(new Violation("g", "v", "r"))
                .isNotEqualTo(new Violation("f", "w", "r"))
                .isNotEqualTo(new Violation("f", "v", "s"));
    }

    @Test
    void allowsEmptyValues() {
        assertThat(new Violation("cpuset", "", "must name at least one CPU or memory node"))
                .hasToString("cpuset = : must name at least one CPU or memory node");
    }

    @Test
    void serialization_preservesTheComponents() {
        Violation v = new Violation("f", "v", "r");
        assertThat(TestSupport.serializedCopy(v)).isEqualTo(v);
    }
}
