/**
 * Builds docker-java clients that find the daemon the way the {@code docker} CLI does, speak the
 * newest API version both sides know, and give up within a bounded time on every transport
 * ({@link org.containerlimits.docker.client.DockerClients}); when no usable daemon answers, a
 * {@link org.containerlimits.docker.DockerUnavailableException} says where it looked and
 * what to do.
 *
 * <p>This is the limits-docker-client module: limits-docker works with any docker-java client and
 * needs only docker-java's API, while this package brings docker-java-core and the Apache HttpClient
 * 5 transport. Bouncy Castle, which docker-java needs for TLS only, is left out: a program that sets
 * {@code DOCKER_TLS_VERIFY} adds {@code org.bouncycastle:bcpkix-jdk18on}
 * ({@link org.containerlimits.docker.client.DockerClients#TLS_DEPENDENCY}).
 *
 * <pre>{@code
 * try (DockerClient client = DockerClients.fromEnvironment()) {
 *     AppliedLimits applied = DockerLimits.of(client)
 *         .create(client.createContainerCmd("busybox").withCmd("sleep", "60"), ResourceLimits.parse("mem_limit=256m"));
 * }
 * }</pre>
 */
package org.containerlimits.docker.client;
