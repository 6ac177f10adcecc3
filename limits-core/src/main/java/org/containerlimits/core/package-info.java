/**
 * Typed, immutable CPU and memory limits for containers, with exact unit parsing and validation.
 *
 * <p>The value types follow {@code java.time}: static factories, {@code parse(CharSequence)}, a
 * canonical {@code toString()} that parses back to an equal value, and no nulls inside.
 * <ul>
 *   <li>{@link org.containerlimits.core.MemorySize}: an exact number of bytes ({@code 1g},
 *       {@code 1536m}).</li>
 *   <li>{@link org.containerlimits.core.CpuLimit}: an exact amount of CPU, as cores
 *       ({@code 2.5}) or as a CFS quota per period ({@code 250000/100000us}).</li>
 *   <li>{@link org.containerlimits.core.CpuSet}: a set of CPUs or memory nodes ({@code 0-3,5}).</li>
 *   <li>{@link org.containerlimits.core.ResourceLimits}: all limits of one container, validated as
 *       a whole, convertible from and to docker-py's keyword map.</li>
 * </ul>
 *
 * <p>Every error is a {@link org.containerlimits.core.LimitsException}, an
 * {@link java.lang.IllegalArgumentException}: {@link org.containerlimits.core.LimitParseException}
 * for text that does not parse, {@link org.containerlimits.core.InvalidLimitsException} for values
 * that parse but break a rule.
 *
 * <p>This package has no run-time dependencies and knows nothing of Docker's wire encodings
 * ({@code -1} for unlimited, {@code 0} for unset): "not set" is an empty {@code Optional}.
 */
package org.containerlimits.core;
