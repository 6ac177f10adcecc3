package org.containerlimits.docker;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that needs a running Docker daemon, as found by {@link
 * TestClients#fromEnvironment()} ({@code DOCKER_HOST}, as the docker CLI).
 *
 * <ul>
 *   <li>When the daemon answers, the tests run.
 *   <li>When it does not and the environment variable {@code CI} is {@code true}, the class fails
 *       with the reason: CI must never pass by skipping its Docker tests.
 *   <li>Otherwise the tests are skipped, with a reason that says how to run them.
 * </ul>
 *
 * <p>The daemon is probed once per JVM; see {@link RequiresDockerExtension}.
 *
 * <pre>{@code
 * @RequiresDocker
 * class SomethingIT {
 *   @Test
 *   void talksToDocker() { ... }
 * }
 * }</pre>
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(RequiresDockerExtension.class)
public @interface RequiresDocker {}
