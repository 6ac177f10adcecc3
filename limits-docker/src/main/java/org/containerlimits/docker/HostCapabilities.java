package org.containerlimits.docker;

import com.github.dockerjava.api.model.Info;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.containerlimits.core.CpuSet;
import org.containerlimits.core.LimitsException;
import org.containerlimits.core.MemorySize;

/**
 * What a Docker daemon's host offers and which limits its kernel and cgroups can enforce, read from
 * the daemon's {@code /info} ({@code docker info}).
 *
 * <p>A flag the daemon does not report (older daemons) is taken as supported, so that a missing
 * field never blocks limits the daemon may well enforce; the read-back after applying still catches
 * a limit that was dropped.
 *
 * @param cpus the number of CPUs the daemon can use ({@code NCPU}); CPUs are numbered 0 to
 *     {@code cpus - 1}
 * @param memory the host's total memory ({@code MemTotal})
 * @param memoryLimit whether memory limits are supported
 * @param swapLimit whether memory+swap limits are supported (needs swap accounting on cgroup v1)
 * @param cpuCfsQuota whether CFS quotas (and so nano-CPUs) are supported
 * @param cpuCfsPeriod whether CFS periods are supported
 * @param cpuShares whether CPU shares are supported
 * @param cpuSet whether cpusets are supported
 * @param oomKillDisable whether disabling the OOM killer is supported (never on cgroup v2)
 * @param cgroupVersion {@code 1} or {@code 2}
 * @param cgroupDriver {@code cgroupfs} or {@code systemd}
 * @param serverVersion the daemon's version, such as {@code 20.10.24}
 * @param memoryNodes the host's memory nodes, known only when the daemon runs on this host (its
 *     name is this host's name and {@code /sys/devices/system/node} is readable); empty otherwise
 */
public record HostCapabilities(int cpus, MemorySize memory, boolean memoryLimit, boolean swapLimit,
        boolean cpuCfsQuota, boolean cpuCfsPeriod, boolean cpuShares, boolean cpuSet, boolean oomKillDisable,
        String cgroupVersion, String cgroupDriver, String serverVersion, Optional<CpuSet> memoryNodes) {

    /**
     * Creates the record; no component may be null.
     *
     * @param cpus the number of CPUs
     * @param memory the host's total memory
     * @param memoryLimit memory limits supported
     * @param swapLimit swap limits supported
     * @param cpuCfsQuota CFS quotas supported
     * @param cpuCfsPeriod CFS periods supported
     * @param cpuShares CPU shares supported
     * @param cpuSet cpusets supported
     * @param oomKillDisable disabling the OOM killer supported
     * @param cgroupVersion the cgroup version
     * @param cgroupDriver the cgroup driver
     * @param serverVersion the daemon's version
     * @param memoryNodes the memory nodes, if known
     */
    public HostCapabilities {
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(cgroupVersion, "cgroupVersion");
        Objects.requireNonNull(cgroupDriver, "cgroupDriver");
        Objects.requireNonNull(serverVersion, "serverVersion");
        Objects.requireNonNull(memoryNodes, "memoryNodes");
    }

    /**
     * Reads the capabilities from a daemon's {@code /info} answer.
     *
     * @param info the answer of {@code DockerClient.infoCmd().exec()}
     * @return the capabilities
     */
    public static HostCapabilities from(Info info) {
        Integer ncpu = info.getNCPU();
        Long memTotal = info.getMemTotal();
        return new HostCapabilities(
                ncpu == null ? Runtime.getRuntime().availableProcessors() : ncpu,
                MemorySize.ofBytes(memTotal == null ? Long.MAX_VALUE : memTotal),
                supported(info.getMemoryLimit()),
                supported(info.getSwapLimit()),
                supported(info.getCpuCfsQuota()),
                supported(info.getCpuCfsPeriod()),
                supported(info.getCpuShares()),
                supported(info.getCpuSet()),
                supported(info.getOomKillDisable()),
                info.getCGroupVersion() == null ? "1" : info.getCGroupVersion(),
                info.getCGroupDriver() == null ? "cgroupfs" : info.getCGroupDriver(),
                info.getServerVersion() == null ? "unknown" : info.getServerVersion(),
                localMemoryNodes(info.getName()));
    }

    private static boolean supported(Boolean flag) {
        return flag == null || flag;
    }

    /**
     * The daemon's memory nodes can only be seen from its own host: the Engine API does not report
     * them. A daemon whose name is this host's name is taken to run here.
     */
    private static Optional<CpuSet> localMemoryNodes(String daemonName) {
        try {
            Path hostname = Path.of("/proc/sys/kernel/hostname");
            if (daemonName == null || !Files.isReadable(hostname)
                    || !Files.readString(hostname).strip().equals(daemonName)) {
                return Optional.empty();
            }
            Path online = Path.of("/sys/devices/system/node/online");
            if (!Files.isReadable(online)) {
                // A kernel without NUMA support has exactly one memory node, node 0.
                return Optional.of(CpuSet.of(0));
            }
            return Optional.of(CpuSet.parse(Files.readString(online).strip()));
        } catch (IOException | LimitsException e) {
            return Optional.empty();
        }
    }

    /**
     * Returns the host's CPUs as a set, {@code 0} to {@code cpus - 1}.
     *
     * @return the CPU numbers the daemon can schedule on
     */
    public CpuSet cpuSetOfHost() {
        return CpuSet.firstN(cpus);
    }
}
