/**
 * Micrometer meters for how close containers are to their own limits: see
 * {@link org.containerlimits.micrometer.ContainerLimitsMetrics}.
 */
package org.containerlimits.micrometer;
