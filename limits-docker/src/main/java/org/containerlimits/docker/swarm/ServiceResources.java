package org.containerlimits.docker.swarm;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.containerlimits.core.CpuLimit;
import org.containerlimits.core.InvalidLimitsException;
import org.containerlimits.core.LimitsException;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.Violation;

/**
 * What a Swarm service asks for each of its tasks: the container limits of a
 * {@link ResourceLimits} and, beside them, a CPU reservation, which no container limit holds.
 * Immutable; {@link #parse(CharSequence)} and {@link #toString()} round-trip.
 *
 * <p>A service carries only the limits of {@link ServiceField}'s table ({@code nano_cpus},
 * {@code mem_limit}, {@code pids_limit}, and {@code mem_reservation} as the memory reservation).
 * A value may hold others, since it is often read from a container's limits or a file: {@link
 * SwarmLimits#check} reports each of them by name, and strict mode refuses them.
 *
 * <h2>Text form</h2>
 * <pre>
 *   resources = [pair ("," pair)*]
 *   pair      = limits-pair | "cpu_reservation=" nano-cpus
 * </pre>
 * {@code limits-pair} is a pair of {@link ResourceLimits#parse(CharSequence)}; {@code nano-cpus}
 * is a whole number of nano-CPUs (docker-py's {@code Resources(cpu_reservation=...)}), at least
 * 10,000,000 (0.01 core), at most the CPU limit when one is set.
 * <pre>{@code
 * ServiceResources r = ServiceResources.parse("mem_limit=1g,nano_cpus=2000000000,cpu_reservation=500000000");
 * r.cpuReservation();                    // Optional[0.5]
 * r.limits().memory();                   // Optional[1g]
 * ServiceResources.of(ResourceLimits.parse("mem_limit=1g")).withCpuReservation(CpuLimit.ofMillicores(250));
 * }</pre>
 */
public final class ServiceResources implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The key of the CPU reservation in the text form. */
    public static final String CPU_RESERVATION = "cpu_reservation";

    private static final ServiceResources NONE = new ServiceResources(ResourceLimits.none(), null);

    private final ResourceLimits limits;
    private final CpuLimit cpuReservation;

    private ServiceResources(ResourceLimits limits, CpuLimit cpuReservation) {
        this.limits = limits;
        this.cpuReservation = cpuReservation;
    }

    /**
     * Returns resources with nothing set.
     *
     * @return the empty value
     */
    public static ServiceResources none() {
        return NONE;
    }

    /**
     * Returns resources with the given container limits and no CPU reservation.
     *
     * @param limits the limits; {@code mem_reservation} is the memory reservation
     * @return the value
     */
    public static ServiceResources of(ResourceLimits limits) {
        return new ServiceResources(Objects.requireNonNull(limits, "limits"), null);
    }

    /**
     * Returns a copy with the given CPU reservation.
     *
     * @param reservation the cores the scheduler reserves for each task, in the nano-CPUs form;
     *     {@code null} for none
     * @return the value
     * @throws InvalidLimitsException if it is in the quota form or above the CPU limit
     */
    public ServiceResources withCpuReservation(CpuLimit reservation) {
        if (reservation != null) {
            if (reservation.isQuotaForm()) {
                throw InvalidLimitsException.of(CPU_RESERVATION, reservation.toString(),
                        "must be in nano-CPUs (cores), not a quota over a period");
            }
            Optional<CpuLimit> limit = limits.cpu();
            if (limit.isPresent() && reservation.toNanoCpus() > limit.get().toNanoCpus()) {
                throw InvalidLimitsException.of(CPU_RESERVATION, Long.toString(reservation.toNanoCpus()),
                        "must be at most the CPU limit (" + limit.get().toNanoCpus() + " nano-CPUs):"
                                + " a task would reserve more than it may use");
            }
        }
        return new ServiceResources(limits, reservation);
    }

    /**
     * Returns a copy with the given container limits, keeping the CPU reservation.
     *
     * @param limits the limits
     * @return the value
     * @throws InvalidLimitsException if the CPU reservation is above the new CPU limit
     */
    public ServiceResources withLimits(ResourceLimits limits) {
        return of(limits).withCpuReservation(cpuReservation);
    }

    /**
     * Parses the text form.
     *
     * @param text the text; empty for {@link #none()}
     * @return the value
     * @throws InvalidLimitsException naming every bad pair, at once
     */
    public static ServiceResources parse(CharSequence text) {
        Objects.requireNonNull(text, "text");
        List<String> rest = new ArrayList<>();
        List<String> reservations = new ArrayList<>();
        for (String token : text.toString().split(",", -1)) {
            if (token.strip().startsWith(CPU_RESERVATION + "=")) {
                reservations.add(token.strip().substring(CPU_RESERVATION.length() + 1).strip());
            } else {
                rest.add(token);
            }
        }
        List<Violation> violations = new ArrayList<>();
        ResourceLimits limits = ResourceLimits.none();
        String limitsText = String.join(",", rest);
        if (!limitsText.isBlank()) {
            try {
                limits = ResourceLimits.parse(limitsText);
            } catch (InvalidLimitsException e) {
                violations.addAll(e.violations());
            }
        }
        CpuLimit reservation = null;
        if (reservations.size() > 1) {
            violations.add(new Violation(CPU_RESERVATION, String.join(",", reservations), "is given more than once"));
        } else if (reservations.size() == 1) {
            try {
                reservation = nanoCpus(reservations.get(0));
            } catch (InvalidLimitsException e) {
                violations.addAll(e.violations());
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidLimitsException(violations);
        }
        return of(limits).withCpuReservation(reservation);
    }

    private static CpuLimit nanoCpus(String text) {
        if (!text.matches("[0-9]{1,19}")) {
            throw InvalidLimitsException.of(CPU_RESERVATION, text, "must be a whole number of nano-CPUs");
        }
        try {
            return CpuLimit.ofNanoCpus(Long.parseLong(text));
        } catch (NumberFormatException e) {
            throw InvalidLimitsException.of(CPU_RESERVATION, text, "must be at most " + Long.MAX_VALUE + " nano-CPUs");
        } catch (LimitsException e) {
            throw InvalidLimitsException.of(CPU_RESERVATION, text, "must be at least " + CpuLimit.MIN_NANO_CPUS
                    + " nano-CPUs (0.01 core)");
        }
    }

    /**
     * Returns the container limits, with the memory reservation as {@code mem_reservation}.
     *
     * @return the limits
     */
    public ResourceLimits limits() {
        return limits;
    }

    /**
     * Returns the CPU the scheduler reserves for each task.
     *
     * @return the reservation, in the nano-CPUs form, or empty
     */
    public Optional<CpuLimit> cpuReservation() {
        return Optional.ofNullable(cpuReservation);
    }

    /**
     * Returns whether nothing is set.
     *
     * @return true for {@link #none()}
     */
    public boolean isEmpty() {
        return cpuReservation == null && limits.equals(ResourceLimits.none());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServiceResources other && limits.equals(other.limits)
                && Objects.equals(cpuReservation, other.cpuReservation);
    }

    @Override
    public int hashCode() {
        return limits.hashCode() * 31 + Objects.hashCode(cpuReservation);
    }

    /**
     * Returns the text form: the limits' text form, then {@code cpu_reservation=} in nano-CPUs
     * when set. {@link #parse(CharSequence)} reads it back to an equal value.
     *
     * @return the canonical text
     */
    @Override
    public String toString() {
        String text = limits.toString();
        if (cpuReservation == null) {
            return text;
        }
        return (text.isEmpty() ? "" : text + ",") + CPU_RESERVATION + "=" + cpuReservation.toNanoCpus();
    }
}
