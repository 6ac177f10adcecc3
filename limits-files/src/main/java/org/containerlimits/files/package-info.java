/**
 * Whole files: Compose files ({@link org.containerlimits.files.ComposeFile}) and Kubernetes
 * manifests ({@link org.containerlimits.files.KubernetesManifests}), YAML or JSON, read into one
 * {@link org.containerlimits.core.ResourceLimits} per service or container
 * ({@link org.containerlimits.files.FileLimits}) and written back in the same shapes. Reading is
 * strict and bounded: at most 1 MiB of UTF-8, no repeated key, YAML's own tags only, anchors and
 * merge keys applied within a bound on the values they make, so a billion-laughs file is refused
 * at once; every problem is an {@link org.containerlimits.files.InvalidFileException} naming line,
 * path, value and rule.
 */
package org.containerlimits.files;
