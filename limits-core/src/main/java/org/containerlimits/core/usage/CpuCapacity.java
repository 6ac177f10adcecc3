package org.containerlimits.core.usage;

import org.containerlimits.core.CpuLimit;
import org.containerlimits.core.ResourceLimits;


import java.math.BigDecimal;
import java.util.Objects;

/**
 * How much CPU a container may use, in cores, and where that figure comes from: the first of its
 * CFS quota over period, its nano-CPUs, the size of its cpuset, and the host's online CPUs. Also
 * how much it can actually get: the least of its limit, its cpuset and the host.
 *
 * <pre>{@code
 * CpuCapacity c = CpuCapacity.of(ResourceLimits.parse("cpu_quota=250000,cpu_period=100000"), 2);
 * c.limitCores();     // 2.5, basis QUOTA
 * c.reachableCores(); // 2: a 2-CPU host can never give 2.5 cores
 * c.isReachable();    // false
 * }</pre>
 *
 * @param limitCores the limit in cores
 * @param basis where the limit comes from
 * @param reachableCores the most the container can get: the least of its limit, its cpuset's
 *     size and the host's CPUs
 */
public record CpuCapacity(BigDecimal limitCores, Basis basis, BigDecimal reachableCores) {

    /** Where a CPU limit comes from, in the order they are looked for. */
    public enum Basis {
        /** {@code cpu_quota} over {@code cpu_period}. */
        QUOTA,
        /** {@code nano_cpus}. */
        NANO_CPUS,
        /** The number of CPUs in {@code cpuset_cpus}. */
        CPUSET,
        /** No CPU limit: the host's online CPUs. */
        HOST
    }

    /**
     * Creates the record.
     *
     * @param limitCores the limit in cores, positive
     * @param basis where it comes from
     * @param reachableCores the most the container can get, positive
     */
    public CpuCapacity {
        Objects.requireNonNull(limitCores, "limitCores");
        Objects.requireNonNull(basis, "basis");
        Objects.requireNonNull(reachableCores, "reachableCores");
    }

    /**
     * Works out a container's CPU capacity from its limits and its host.
     *
     * @param limits the container's effective limits
     * @param hostCpus the host's online CPUs, at least 1
     * @return the capacity
     */
    public static CpuCapacity of(ResourceLimits limits, int hostCpus) {
        BigDecimal host = BigDecimal.valueOf(Math.max(1, hostCpus));
        BigDecimal cpuset = limits.cpusetCpus().map(s -> BigDecimal.valueOf(s.size())).orElse(host);
        BigDecimal available = cpuset.min(host);
        BigDecimal limit;
        Basis basis;
        if (limits.cpu().isPresent()) {
            CpuLimit cpu = limits.cpu().get();
            limit = cpu.cores();
            basis = cpu.isQuotaForm() ? Basis.QUOTA : Basis.NANO_CPUS;
        } else if (limits.cpusetCpus().isPresent()) {
            limit = cpuset;
            basis = Basis.CPUSET;
        } else {
            limit = host;
            basis = Basis.HOST;
        }
        return new CpuCapacity(limit, basis, limit.min(available));
    }

    /**
     * Returns whether the container can ever use all of its limit.
     *
     * @return {@code false} when the limit is above what its cpuset or the host can give
     */
    public boolean isReachable() {
        return limitCores.compareTo(reachableCores) <= 0;
    }
}
