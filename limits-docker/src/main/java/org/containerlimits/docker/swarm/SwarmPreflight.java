package org.containerlimits.docker.swarm;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.containerlimits.core.Limit;
import org.containerlimits.core.MemorySize;
import org.containerlimits.docker.LimitProblem;
import org.containerlimits.docker.LimitProblem.Severity;

/**
 * Checks a service's resources against the swarm's nodes as the scheduler will: a task goes only
 * to a ready, active node whose unreserved CPU and memory cover its reservations, and its container
 * is refused by the node's daemon when its CPU limit is above the node's CPUs.
 */
final class SwarmPreflight {

    private SwarmPreflight() {}

    /**
     * @param replicas the tasks wanted, or empty for a global service (one per node)
     * @param uncarried the severity of a limit no service can carry: an error in strict mode
     */
    static List<LimitProblem> check(ServiceResources resources, List<SwarmNodeCapacity> nodes, OptionalLong replicas,
            Severity uncarried) {
        List<LimitProblem> problems = new ArrayList<>(ServiceSpecMapping.uncarried(resources, uncarried));
        List<SwarmNodeCapacity> schedulable = nodes.stream().filter(SwarmNodeCapacity::schedulable).toList();
        if (schedulable.isEmpty()) {
            problems.add(new LimitProblem(Severity.ERROR, "node", "the swarm has no node that takes tasks (ready and"
                    + " active): " + (nodes.isEmpty() ? "it has no nodes" : nodes.stream()
                            .map(SwarmNodeCapacity::hostname).collect(Collectors.joining(", ")) + " are not")));
            return problems;
        }
        var limits = resources.limits();
        SwarmNodeCapacity mostCpus = schedulable.stream().max(Comparator.comparingLong(SwarmNodeCapacity::nanoCpus))
                .orElseThrow();
        SwarmNodeCapacity mostMemory = schedulable.stream()
                .max(Comparator.comparingLong(SwarmNodeCapacity::memoryBytes)).orElseThrow();
        limits.cpu().filter(c -> !c.isQuotaForm() && c.toNanoCpus() > mostCpus.nanoCpus()).ifPresent(c ->
                problems.add(new LimitProblem(Severity.ERROR, Limit.NANO_CPUS.keyword(), cores(c.toNanoCpus())
                        + " cores is more than any node has (the most, on " + mostCpus.hostname() + ", is "
                        + cores(mostCpus.nanoCpus()) + "); every node's daemon would refuse the task's container")));
        limits.memory().filter(m -> m.toBytes() > mostMemory.memoryBytes()).ifPresent(m ->
                problems.add(new LimitProblem(Severity.ERROR, Limit.MEMORY.keyword(), m + " is more than any node"
                        + " has (the most, on " + mostMemory.hostname() + ", is " + memory(mostMemory.memoryBytes())
                        + "); the limit could never be reached")));

        long cpu = resources.cpuReservation().map(c -> c.toNanoCpus()).orElse(0L);
        long mem = limits.memoryReservation().map(MemorySize::toBytes).orElse(0L);
        if (cpu == 0 && mem == 0) {
            return problems;
        }
        String field = field(schedulable, cpu, mem);
        String asked = asked(cpu, mem);
        long fitting = schedulable.stream().mapToLong(n -> n.fits(cpu, mem)).map(n -> Math.min(n, 1_000_000))
                .sum();
        if (fitting == 0) {
            problems.add(new LimitProblem(Severity.ERROR, field, "no node can satisfy the reservations (" + asked
                    + "): " + nodes(schedulable) + "; the service would stay pending"));
        } else if (replicas.isPresent() && fitting < replicas.getAsLong()) {
            problems.add(new LimitProblem(Severity.ERROR, field, "only " + fitting + " of " + replicas.getAsLong()
                    + " replicas fit the nodes' unreserved resources (" + asked + " each): " + nodes(schedulable)
                    + "; the rest would stay pending"));
        } else if (replicas.isEmpty()) {
            schedulable.stream().filter(n -> n.fits(cpu, mem) == 0).forEach(n -> problems.add(new LimitProblem(
                    Severity.WARNING, field, "node " + n.hostname() + " cannot take this global service's task ("
                            + asked + "): " + nodes(List.of(n)))));
        }
        return problems;
    }

    /** The reservation that no node can meet, or both when each alone can be met somewhere. */
    private static String field(List<SwarmNodeCapacity> nodes, long cpu, long mem) {
        boolean cpuFits = nodes.stream().anyMatch(n -> n.fits(cpu, 0) > 0);
        boolean memFits = nodes.stream().anyMatch(n -> n.fits(0, mem) > 0);
        if (!cpuFits && memFits) {
            return ServiceResources.CPU_RESERVATION;
        }
        if (cpuFits && !memFits) {
            return Limit.MEMORY_RESERVATION.keyword();
        }
        return cpu > 0 && mem > 0 ? ServiceResources.CPU_RESERVATION + "," + Limit.MEMORY_RESERVATION.keyword()
                : cpu > 0 ? ServiceResources.CPU_RESERVATION : Limit.MEMORY_RESERVATION.keyword();
    }

    private static String asked(long cpu, long mem) {
        List<String> parts = new ArrayList<>();
        if (cpu > 0) {
            parts.add(cores(cpu) + " cores");
        }
        if (mem > 0) {
            parts.add(memory(mem));
        }
        return String.join(" and ", parts);
    }

    private static String nodes(List<SwarmNodeCapacity> nodes) {
        return nodes.stream().map(n -> n.hostname() + " has " + cores(Math.max(0, n.freeNanoCpus())) + " of "
                + cores(n.nanoCpus()) + " cores and " + memory(Math.max(0, n.freeMemoryBytes())) + " of "
                + memory(n.memoryBytes()) + " unreserved (" + n.tasks() + (n.tasks() == 1 ? " task" : " tasks")
                + " reserve the rest)").collect(Collectors.joining("; "));
    }

    static String cores(long nanoCpus) {
        return BigDecimal.valueOf(nanoCpus, 9).stripTrailingZeros().toPlainString();
    }

    static String memory(long bytes) {
        if (bytes <= 0) {
            return "0";
        }
        if (bytes >= 1L << 30) {
            return BigDecimal.valueOf(bytes).divide(BigDecimal.valueOf(1L << 30), 1, RoundingMode.DOWN)
                    .toPlainString() + " GiB";
        }
        return MemorySize.ofBytes(bytes).toString();
    }
}
