/**
 * Limits in other tools' words, read and written: {@code docker run} flags
 * ({@link org.containerlimits.core.format.DockerCliFlags}), the Engine API's HostConfig fields
 * ({@link org.containerlimits.core.format.EngineHostConfig}), a Compose service's
 * {@code deploy.resources} ({@link org.containerlimits.core.format.ComposeResources}), a
 * Kubernetes container's {@code resources} ({@link org.containerlimits.core.format.KubernetesResources})
 * and, read only, JupyterHub's Spawner traits as DockerSpawner, SwarmSpawner or KubeSpawner apply them
 * ({@link org.containerlimits.core.format.JupyterHubSpawner}).
 *
 * <p>Every reader turns its input into docker-py keywords and lets
 * {@link org.containerlimits.core.ResourceLimits#fromDockerPy(java.util.Map)} validate them, then names
 * each problem in the format's own words ({@code --memory}, {@code Memory}, {@code limits.memory}).
 * What a format cannot hold is listed in {@link org.containerlimits.core.format.Conversion#unconverted()},
 * never dropped silently.
 */
package org.containerlimits.core.format;
