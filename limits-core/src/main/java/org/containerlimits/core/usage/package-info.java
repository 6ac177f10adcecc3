/**
 * How close a container is to its limits: one sample of its counters
 * ({@link org.containerlimits.core.usage.UsageSample}), and the reading of two samples against the
 * limits ({@link org.containerlimits.core.usage.LimitsReading}), CPU as a share of the container's
 * own CPU limit rather than of one host core. Pure values, no I/O: {@code limits-docker} fills them.
 */
package org.containerlimits.core.usage;
