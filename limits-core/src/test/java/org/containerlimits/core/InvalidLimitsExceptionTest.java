package org.containerlimits.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InvalidLimitsExceptionTest {
    private static final Violation MEMORY =
            new Violation("mem_limit", "4m", "must be at least 6m (6291456 bytes), the Docker daemon's minimum");
    private static final Violation SWAPPINESS = new Violation("mem_swappiness", "150", "must be between 0 and 100");

    @Test
    void message_ofOneViolationIsOneLine() {
        InvalidLimitsException e = new InvalidLimitsException(List.of(SWAPPINESS));
        assertThat(e).hasMessage("invalid resource limits: mem_swappiness = 150: must be between 0 and 100");
    }

    @Test
    void message_ofSeveralViolationsListsEveryOne() {
        InvalidLimitsException e = new InvalidLimitsException(List.of(MEMORY, SWAPPINESS));
        assertThat(e).hasMessage("invalid resource limits (2 violations):\n"
                + "  mem_limit = 4m: must be at least 6m (6291456 bytes), the Docker daemon's minimum\n"
                + "  mem_swappiness = 150: must be between 0 and 100");
    }

    @Test
    void constructor_refusesAnEmptyList() {
        assertThatThrownBy(() -> new InvalidLimitsException(List.of())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("at least one violation");
    }

    @Test
    void of_makesOneViolation() {
        InvalidLimitsException e = InvalidLimitsException.of("cpu_shares", "1", "must be between 2 and 262144");
        assertThat(e.violations()).containsExactly(new Violation("cpu_shares", "1", "must be between 2 and 262144"));
        assertThat(e).isInstanceOf(LimitsException.class).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void violations_areACopyThatCannotBeChanged() {
        List<Violation> list = new ArrayList<>(List.of(MEMORY));
        InvalidLimitsException e = new InvalidLimitsException(list);
        list.add(SWAPPINESS);
        assertThat(e.violations()).containsExactly(MEMORY);
        assertThatThrownBy(() -> e.violations().add(SWAPPINESS)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void serialization_keepsTheViolations() {
        // Regression: the list was transient, so a deserialized exception returned null.
        InvalidLimitsException copy = TestSupport.serializedCopy(new InvalidLimitsException(List.of(MEMORY, SWAPPINESS)));
        assertThat(copy.violations()).containsExactly(MEMORY, SWAPPINESS);
        assertThat(copy).hasMessageStartingWith("invalid resource limits (2 violations):");
    }
}
