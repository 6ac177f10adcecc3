package org.containerlimits.docker.stats;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How messages show a container: a full id shortened as {@code docker ps} does, a name whole. */
class ContainerNamesTest {

    @Test
    void aFullIdIsShortened_aNameOrShortIdIsShownWhole() {
        String full = "0123456789abcdef".repeat(4);
        assertThat(ContainerNames.shortId(full)).isEqualTo("0123456789ab");
        // Cut to 12, "nosuchcontainer" read "nosuchcontai", which names nothing.
        assertThat(ContainerNames.shortId("nosuchcontainer")).isEqualTo("nosuchcontainer");
        assertThat(ContainerNames.shortId("0123456789abcdef")).isEqualTo("0123456789abcdef");
        assertThat(ContainerNames.shortId(null)).isEqualTo("null");
    }
}
