/**
 * Applies {@link org.containerlimits.core.ResourceLimits} to Docker containers through docker-java,
 * checks them against what the daemon can enforce, and reads them back.
 *
 * <p>{@link org.containerlimits.docker.DockerLimits} is the entry point: preflight
 * ({@link org.containerlimits.docker.HostCapabilities}, {@link org.containerlimits.docker.LimitProblem}),
 * create and live update ({@link org.containerlimits.docker.AppliedLimits},
 * {@link org.containerlimits.docker.Mismatch}), and what the answering engine, Docker or Podman, does
 * differently ({@link org.containerlimits.docker.Engine}). A daemon's refusal is a
 * {@link org.containerlimits.docker.DaemonRejectedException}, a reply that cannot be decoded a
 * {@link org.containerlimits.docker.DaemonReplyException}.
 *
 * {@link org.containerlimits.docker.DockerUnavailableException} says that the daemon could not be
 * reached or did not answer in time, naming its host when the client's
 * {@link org.containerlimits.docker.ClientOrigin} is known.
 *
 * <p>Any docker-java client works, however it was built: this module needs docker-java's API only,
 * not its core or a transport. Building one from {@code DOCKER_HOST} is the separate
 * limits-docker-client module's job ({@code org.containerlimits.docker.client.DockerClients}), which
 * brings docker-java-core and the Apache HttpClient 5 transport.
 *
 * <p>Sub-package: {@link org.containerlimits.docker.stats} reads how close containers are to their
 * limits.
 */
package org.containerlimits.docker;
