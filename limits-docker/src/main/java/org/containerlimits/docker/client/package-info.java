/**
 * Builds docker-java clients that find the daemon the way the {@code docker} CLI does, speak the
 * newest API version both sides know, and give up within a bounded time on every transport
 * ({@link org.containerlimits.docker.client.DockerClients}); when no usable daemon answers, a
 * {@link org.containerlimits.docker.client.DockerUnavailableException} says where it looked and
 * what to do. Depends on nothing else of this library.
 */
package org.containerlimits.docker.client;
