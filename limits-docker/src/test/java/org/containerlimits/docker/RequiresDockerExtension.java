package org.containerlimits.docker;

import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.AssertionFailedError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
  * The JUnit extension behind {@link RequiresDocker}: runs, skips or fails tests depending on
  * whether a Docker daemon answers and whether this is a CI run.
  *
  * <p>The choice itself is {@link #decide(boolean, String, Map)}, a pure function, so that both the
  * skip and the fail branch can be tested without stopping the daemon.
  */
public final class RequiresDockerExtension implements ExecutionCondition {

    private static final Logger LOG = LoggerFactory.getLogger(RequiresDockerExtension.class);

    /** Creates the extension; JUnit does this for {@link RequiresDocker}. */
    public RequiresDockerExtension() {}

    /** What to do with the tests. */
    public enum Verdict {
        /** The daemon answers: run the tests. */
        RUN,
        /** No daemon, not in CI: skip the tests, saying how to run them. */
        SKIP,
        /** No daemon in CI: fail, because a CI run that skipped its Docker tests proves nothing. */
        FAIL
    }

    /**
      * A verdict with the message to show.
      *
      * @param verdict what to do
      * @param message why, and for {@link Verdict#SKIP} and {@link Verdict#FAIL} how to fix it
      */
    public record Decision(Verdict verdict, String message) {

        /**
          * Checks the components.
          *
          * @throws NullPointerException if either is null
          */
        public Decision {
            Objects.requireNonNull(verdict, "verdict");
            Objects.requireNonNull(message, "message");
        }
    }

    /**
      * Decides what to do with Docker tests.
      *
      * @param reachable whether the Docker daemon answered
      * @param whyUnreachable the failure message when it did not, naming the host and the fix; may be
      *     null when {@code reachable}
      * @param env the environment; only {@code CI} is read, and counts when it is {@code true} in any
      *     case
      * @return the decision
      */
    public static Decision decide(boolean reachable, String whyUnreachable, Map<String, String> env) {
        if (reachable) {
            return new Decision(Verdict.RUN, "A Docker daemon answers.");
        }
        String why = whyUnreachable == null ? "No Docker daemon answers." : whyUnreachable;
        if ("true".equalsIgnoreCase(String.valueOf(env.get("CI")).trim())) {
            return new Decision(
                    Verdict.FAIL,
                    "Docker tests must not be skipped in CI (CI=true), but no Docker daemon is usable. "
                            + why
                            + " The CI script (.ci/run) is supposed to start dockerd before running the tests.");
        }
        return new Decision(
                Verdict.SKIP,
                "Skipped because no Docker daemon is usable. "
                        + why
                        + " To run these tests, start dockerd or set DOCKER_HOST, then run ./mvnw verify.");
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Decision decision = decide(Probe.REACHABLE, Probe.WHY_UNREACHABLE, System.getenv());
        return switch (decision.verdict()) {
            case RUN -> ConditionEvaluationResult.enabled(decision.message());
            case SKIP -> ConditionEvaluationResult.disabled(decision.message());
            // JUnit reports an exception from a condition as a failure of the class or method it
            // guards, which is what makes a CI run without Docker red instead of green-with-skips.
            case FAIL -> throw new AssertionFailedError(decision.message());
        };
    }

    /** Probes the daemon once per JVM, on first use: every test class asks the same question. */
    private static final class Probe {
        static final boolean REACHABLE;
        static final String WHY_UNREACHABLE;

        static {
            boolean reachable;
            String why = null;
            try (TestClients.Connection connection =
                    TestClients.connect(TestClients.dockerHost(), TestClients.RESPONSE_TIMEOUT)) {
                LOG.info(
                        "Docker tests use Docker {} at {}, API {}",
                        connection.daemonVersion(),
                        connection.dockerHost(),
                        connection.apiVersion());
                reachable = true;
            } catch (DockerUnavailableException e) {
                LOG.warn("No Docker daemon for tests: {}", e.getMessage(), e);
                reachable = false;
                why = e.getMessage();
            }
            REACHABLE = reachable;
            WHY_UNREACHABLE = why;
        }

        private Probe() {}
    }
}
