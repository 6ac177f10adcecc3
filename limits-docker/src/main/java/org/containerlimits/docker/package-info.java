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
 * <p>Sub-packages: {@link org.containerlimits.docker.client} builds the docker-java client (and
 * says when no daemon answers); {@link org.containerlimits.docker.stats} reads how close containers
 * are to their limits. Dependencies point one way: {@code stats} uses this package and
 * {@code client}, this package uses {@code client}, and {@code client} uses neither.
 */
package org.containerlimits.docker;
