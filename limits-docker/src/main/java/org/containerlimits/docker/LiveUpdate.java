package org.containerlimits.docker;

import com.github.dockerjava.api.command.UpdateContainerCmd;
import com.github.dockerjava.api.model.HostConfig;
import java.util.ArrayList;
import java.util.List;
import org.containerlimits.core.CpuLimit;
import org.containerlimits.core.Limit;
import org.containerlimits.core.MemorySize;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.SwapLimit;

/**
 * What a live update ({@code docker update}) can change, and the update command that changes it:
 * the limits {@link Limit#isLiveUpdatable()} says the daemon cannot change are refused, the CPU
 * limit keeps the form the container was created with, and memory brings its swap along as the
 * daemon's own {@code docker update --memory} does.
 */
final class LiveUpdate {
    private LiveUpdate() {
    }

    /**
     * The update command for these limits, every one of them set; what is not set is left as it is.
     *
     * @param cmd a fresh update command for the container
     * @param expected the limits to send, their swap already computed by {@link #withFollowingSwap}
     * @param eng the engine: Podman ignores NanoCpus and resets the restart policy
     * @param current the container's HostConfig before the update
     * @return the command, ready to run
     */
    static UpdateContainerCmd command(UpdateContainerCmd cmd, ResourceLimits expected, Engine eng, HostConfig current) {
        expected.memory().ifPresent(m -> cmd.withMemory(m.toBytes()));
        expected.memorySwap().ifPresent(s -> cmd.withMemorySwap(HostConfigMapping.swapBytes(s)));
        expected.memoryReservation().ifPresent(m -> cmd.withMemoryReservation(m.toBytes()));
        expected.cpu().ifPresent(cpu -> {
            if (cpu.isQuotaForm()) {
                cmd.withCpuQuota(cpu.cfsQuotaMicros().getAsLong());
                cmd.withCpuPeriod(cpu.cfsPeriodMicros().getAsLong());
            } else if (eng.isPodman()) {
                // Podman's update ignores NanoCpus; it stores every CPU limit as quota and period.
                cmd.withCpuQuota(cpu.quotaMicros(CpuLimit.DEFAULT_PERIOD_MICROS));
                cmd.withCpuPeriod(CpuLimit.DEFAULT_PERIOD_MICROS);
            } else {
                cmd.withNanoCPUs(cpu.toNanoCpus());
            }
        });
        expected.cpuShares().ifPresent(cmd::withCpuShares);
        expected.cpusetCpus().ifPresent(s -> cmd.withCpusetCpus(s.toString()));
        expected.cpusetMems().ifPresent(s -> cmd.withCpusetMems(s.toString()));
        expected.pidsLimit().ifPresent(p -> cmd.withPidsLimit(p.max().orElse(-1L)));
        expected.blkioWeight().ifPresent(cmd::withBlkioWeight);
        if (eng.isPodman() && current.getRestartPolicy() != null && current.getRestartPolicy().getName() != null
                && !current.getRestartPolicy().getName().isEmpty()) {
            // Podman's update sets the restart policy to the one in the request, "no" when it has none.
            cmd.withRestartPolicy(current.getRestartPolicy());
        }
        return cmd;
    }

    static List<LimitProblem> problems(ResourceLimits limits, HostConfig current, Engine engine) {
        List<LimitProblem> problems = new ArrayList<>();
        for (Limit limit : Limit.values()) {
            if (!limit.isLiveUpdatable() && limits.isSet(limit)) {
                problems.add(LimitProblem.error(limit.keyword(), (limit.engineField().startsWith("BlkioDevice")
                        || limit == Limit.BLKIO_WEIGHT_DEVICE
                        ? "the Docker daemon's update accepts it and drops it, leaving the old value in force;"
                        : "the Docker daemon cannot change it on an existing container;")
                        + " create a new container to change it"));
            }
        }
        limits.cpu().filter(cpu -> !engine.isPodman()).ifPresent(cpu -> {
            // Podman has no such conflict: it stores every CPU limit as quota and period.
            boolean hasNanos = current.getNanoCPUs() != null && current.getNanoCPUs() > 0;
            boolean hasQuota = (current.getCpuQuota() != null && current.getCpuQuota() > 0)
                    || (current.getCpuPeriod() != null && current.getCpuPeriod() > 0);
            if (cpu.isQuotaForm() && hasNanos) {
                problems.add(LimitProblem.error(Limit.CPU_QUOTA.keyword(), "the container's CPU limit was set as nano_cpus, and the"
                        + " daemon cannot switch it to cpu_quota/cpu_period (\"Conflicting options\"); give it as"
                        + " nano_cpus=" + cpu.toNanoCpus() + " (" + cpu.cores().toPlainString() + " cores) instead"));
            } else if (!cpu.isQuotaForm() && hasQuota) {
                long period = current.getCpuPeriod() != null && current.getCpuPeriod() > 0
                        ? current.getCpuPeriod() : CpuLimit.DEFAULT_PERIOD_MICROS;
                problems.add(LimitProblem.error(Limit.NANO_CPUS.keyword(), "the container's CPU limit was set as cpu_quota/cpu_period,"
                        + " and the daemon cannot switch it to nano_cpus (\"Conflicting options\"); give it as"
                        + " cpu_quota=" + quotaOrZero(cpu, period) + ", cpu_period=" + period + " instead"));
            }
        });
        return problems;
    }

    private static String quotaOrZero(CpuLimit cpu, long period) {
        try {
            return Long.toString(cpu.quotaMicros(period));
        } catch (RuntimeException e) {
            return "(none: " + cpu + " is below 1000 us per " + period + " us)";
        }
    }

    /** Memory given without memory+swap: compute the swap that goes with it, see {@link #update}. */
    static ResourceLimits withFollowingSwap(ResourceLimits limits, HostConfig current) {
        if (limits.memory().isEmpty() || limits.memorySwap().isPresent()) {
            return limits;
        }
        long newMemory = limits.memory().get().toBytes();
        long curMemory = current.getMemory() == null ? 0 : current.getMemory();
        long curSwap = current.getMemorySwap() == null ? 0 : current.getMemorySwap();
        if (curSwap <= 0) {
            return limits;
        }
        long total = curMemory > 0 && curSwap == 2 * curMemory
                ? Math.multiplyExact(2, newMemory)
                : Math.addExact(newMemory, Math.max(0, curSwap - curMemory));
        return limits.toBuilder().memorySwap(SwapLimit.of(MemorySize.ofBytes(total))).build();
    }
}
