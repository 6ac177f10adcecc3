package org.containerlimits.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.containerlimits.docker.RequiresDockerExtension.Decision;
import org.containerlimits.docker.RequiresDockerExtension.Verdict;
import org.junit.jupiter.api.Test;

class RequiresDockerExtensionTest {

    private static final String WHY =
            "No usable Docker daemon at unix:///var/run/docker.sock (the default, because DOCKER_HOST is"
                    + " not set): there is no socket file /var/run/docker.sock.";

    @Test
    void runsWhenTheDaemonAnswersWhetherOrNotInCi() {
        assertThat(RequiresDockerExtension.decide(true, null, Map.of()).verdict())
                .isEqualTo(Verdict.RUN);
        assertThat(RequiresDockerExtension.decide(true, null, Map.of("CI", "true")).verdict())
                .isEqualTo(Verdict.RUN);
    }

    @Test
    void failsInCiWhenTheDaemonDoesNotAnswer() {
        Decision decision = RequiresDockerExtension.decide(false, WHY, Map.of("CI", "true"));

        assertThat(decision.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(decision.message())
                .contains("must not be skipped in CI")
                .contains("unix:///var/run/docker.sock")
                .contains("no socket file");
    }

    @Test
    void ciCountsInAnyCase() {
        assertThat(RequiresDockerExtension.decide(false, WHY, Map.of("CI", "TRUE")).verdict())
                .isEqualTo(Verdict.FAIL);
    }

    @Test
    void skipsOutsideCiWithAReasonThatSaysHowToRunTheTests() {
        Decision decision = RequiresDockerExtension.decide(false, WHY, Map.of());

        assertThat(decision.verdict()).isEqualTo(Verdict.SKIP);
        assertThat(decision.message())
                .contains("unix:///var/run/docker.sock")
                .contains("start dockerd")
                .contains("DOCKER_HOST");
    }

    @Test
    void skipsWhenCiIsSetToSomethingElse() {
        assertThat(RequiresDockerExtension.decide(false, WHY, Map.of("CI", "false")).verdict())
                .isEqualTo(Verdict.SKIP);
        assertThat(RequiresDockerExtension.decide(false, null, Map.of("CI", "")).verdict())
                .isEqualTo(Verdict.SKIP);
    }
}
