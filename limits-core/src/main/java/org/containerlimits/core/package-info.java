/**
 * The value model: typed, immutable limits for containers, with exact unit parsing and validation,
 * and {@link org.containerlimits.core.Limit}, the one table of every limit's names.
 *
 * <p>The value types follow {@code java.time}: static factories, {@code parse(CharSequence)}, a
 * canonical {@code toString()} that parses back to an equal value, and no nulls inside.
 * <ul>
 *   <li>{@link org.containerlimits.core.MemorySize}: an exact number of bytes ({@code 1g},
 *       {@code 1536m}).</li>
 *   <li>{@link org.containerlimits.core.CpuLimit}: an exact amount of CPU, as cores
 *       ({@code 2.5}) or as a CFS quota per period ({@code 250000/100000us}).</li>
 *   <li>{@link org.containerlimits.core.CpuSet}: a set of CPUs or memory nodes ({@code 0-3,5}).</li>
 *   <li>{@link org.containerlimits.core.DeviceLimit}, {@link org.containerlimits.core.Ulimit}: a
 *       device's rate or weight ({@code /dev/sda:1000}), a process resource limit ({@code nofile=64:64}).</li>
 *   <li>{@link org.containerlimits.core.ResourceLimits}: all limits of one container, validated as
 *       a whole, convertible from and to docker-py's keyword map and its own text form.</li>
 * </ul>
 *
 * <p>Every error is a {@link org.containerlimits.core.LimitsException}, an
 * {@link java.lang.IllegalArgumentException}: {@link org.containerlimits.core.LimitParseException}
 * for text that does not parse, {@link org.containerlimits.core.InvalidLimitsException} for values
 * that parse but break a rule.
 *
 * <p>The values hold no wire encodings: "not set" is an empty {@code Optional} (or an empty list),
 * unlimited is {@link org.containerlimits.core.SwapLimit#UNLIMITED} or
 * {@link org.containerlimits.core.PidsLimit#UNLIMITED}. Docker's {@code -1} and {@code 0} are
 * translated at the edges: docker-py's map here ({@code fromDockerPy}, {@code toDockerPy}), the
 * other formats in {@link org.containerlimits.core.format}, docker-java's HostConfig in
 * limits-docker. This package has no run-time dependencies; the sub-packages
 * {@code format}, {@code policy} and {@code usage} depend on it, never the other way.
 */
package org.containerlimits.core;
