package org.containerlimits.docker;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.containerlimits.core.CpuLimit;
import org.containerlimits.core.CpuSet;
import org.containerlimits.core.Limit;
import org.containerlimits.core.MemorySize;
import org.containerlimits.core.PidsLimit;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.SwapLimit;

/**
 * The checks behind {@link DockerLimits#check}: what the daemon refuses or silently drops (errors)
 * and what it accepts but cannot honour (warnings). The rules mirror moby's
 * {@code verifyPlatformContainerResources}, which discards unsupported limits with only a warning.
 * {@link #engine} adds what the engine itself does differently (Podman; see {@link Engine}).
 */
final class Preflight {
    private Preflight() {
    }

    static List<LimitProblem> check(ResourceLimits limits, HostCapabilities host) {
        List<LimitProblem> p = new ArrayList<>();
        String hostMemory = describe(host.memory());
        limits.memory().ifPresent(m -> {
            if (!host.memoryLimit()) {
                p.add(LimitProblem.error(Limit.MEMORY.keyword(), "this daemon's kernel does not support memory limits;"
                        + " the daemon would discard " + m));
            } else if (m.compareTo(host.memory()) > 0) {
                p.add(LimitProblem.error(Limit.MEMORY.keyword(), m + " is more than this host's " + hostMemory
                        + " of memory; the limit could never be reached"));
            }
        });
        limits.memoryReservation().ifPresent(m -> {
            if (!host.memoryLimit()) {
                p.add(LimitProblem.error(Limit.MEMORY_RESERVATION.keyword(), "this daemon's kernel does not support memory limits;"
                        + " the daemon would discard " + m));
            } else if (m.compareTo(host.memory()) > 0) {
                p.add(LimitProblem.warning(Limit.MEMORY_RESERVATION.keyword(), m + " is more than this host's " + hostMemory
                        + " of memory; it can never take effect"));
            }
        });
        limits.shmSize().ifPresent(shm -> {
            if (shm.compareTo(host.memory()) > 0) {
                p.add(LimitProblem.warning(Limit.SHM_SIZE.keyword(), shm + " is more than this host's " + hostMemory
                        + " of memory; /dev/shm can never hold that much"));
            } else {
                limits.memory().filter(m -> shm.compareTo(m) > 0).ifPresent(m ->
                        p.add(LimitProblem.warning(Limit.SHM_SIZE.keyword(), shm + " is more than mem_limit " + m + ": what"
                                + " /dev/shm holds is charged to the container's memory, so it can hold at most " + m)));
            }
        });
        limits.pidsLimit().map(PidsLimit::max).filter(max -> max.isPresent() && max.getAsLong() == 1).ifPresent(max ->
                p.add(LimitProblem.warning(Limit.PIDS_LIMIT.keyword(), "1 leaves room for the container's first process only: it"
                        + " cannot fork or start a thread, so a shell's 'sleep 1 & wait' fails")));
        limits.memorySwap().ifPresent(s -> {
            if (!s.isUnlimited() && !host.swapLimit()) {
                p.add(LimitProblem.error(Limit.MEMORY_SWAP.keyword(), "this daemon's kernel does not support swap limits"
                        + " (on cgroup v1 it needs swapaccount=1 on the kernel command line); the daemon would"
                        + " discard " + s));
            }
        });
        limits.memorySwappiness().ifPresent(s -> {
            if ("2".equals(host.cgroupVersion())) {
                p.add(LimitProblem.error(Limit.MEMORY_SWAPPINESS.keyword(), "cgroup v2 has no per-container swappiness; the daemon"
                        + " would discard " + s));
            }
        });
        limits.blkioWeight().ifPresent(w -> {
            if ("2".equals(host.cgroupVersion())) {
                p.add(LimitProblem.warning(Limit.BLKIO_WEIGHT.keyword(), "on cgroup v2 the daemon writes " + w + " to io.bfq.weight,"
                        + " which only the BFQ I/O scheduler honours, or else to io.weight, which only the io.cost"
                        + " controller honours: on a disk with neither it has no effect"));
            }
        });
        if (!limits.blkioWeightDevice().isEmpty() && "2".equals(host.cgroupVersion())) {
            p.add(LimitProblem.warning(Limit.BLKIO_WEIGHT_DEVICE.keyword(), "on cgroup v2 the daemon writes the weights"
                    + " to io.bfq.weight, which only the BFQ I/O scheduler honours: on a disk without it they have"
                    + " no effect"));
        }
        checkDevices(limits, host, p);
        limits.cpu().ifPresent(cpu -> checkCpu(cpu, limits, host, p));
        limits.cpuShares().ifPresent(s -> {
            if (!host.cpuShares()) {
                p.add(LimitProblem.error(Limit.CPU_SHARES.keyword(), "this daemon's kernel does not support CPU shares;"
                        + " the daemon would discard " + s));
            }
        });
        limits.cpusetCpus().ifPresent(set -> {
            if (!host.cpuSet()) {
                p.add(LimitProblem.error(Limit.CPUSET_CPUS.keyword(), "this daemon's kernel does not support cpusets"));
            } else if (!set.isSubsetOf(host.cpuSetOfHost())) {
                p.add(LimitProblem.error(Limit.CPUSET_CPUS.keyword(), "CPUs " + missing(set, host.cpuSetOfHost())
                        + " of " + set + " do not exist: this host has CPUs " + host.cpuSetOfHost()));
            }
        });
        limits.cpusetMems().ifPresent(set -> {
            if (!host.cpuSet()) {
                p.add(LimitProblem.error(Limit.CPUSET_MEMS.keyword(), "this daemon's kernel does not support cpusets"));
            } else {
                host.memoryNodes().filter(nodes -> !set.isSubsetOf(nodes)).ifPresent(nodes ->
                        p.add(LimitProblem.error(Limit.CPUSET_MEMS.keyword(), "memory nodes " + missing(set, nodes)
                                + " of " + set + " do not exist: this host has memory nodes " + nodes)));
            }
        });
        limits.oomKillDisable().filter(Boolean::booleanValue).ifPresent(d -> {
            if (!host.oomKillDisable()) {
                p.add(LimitProblem.error(Limit.OOM_KILL_DISABLE.keyword(), "this daemon's kernel does not support disabling the"
                        + " OOM killer (cgroup v2 never does); the daemon would discard it"));
            } else if (limits.memory().isEmpty()) {
                p.add(LimitProblem.warning(Limit.OOM_KILL_DISABLE.keyword(), "the OOM killer is disabled but no mem_limit is set:"
                        + " the container can exhaust the host's memory"));
            }
        });
        return p;
    }

    /**
     * What the engine does with these limits at create that Docker does not: a limit it drops (an
     * error) or one it applies but cannot report on (a warning). Empty for Docker.
     */
    static List<LimitProblem> engine(ResourceLimits limits, Engine engine) {
        List<LimitProblem> p = new ArrayList<>();
        if (!engine.isPodman()) {
            return p;
        }
        limits.memorySwap().filter(SwapLimit::isUnlimited).ifPresent(s -> p.add(LimitProblem.error(Limit.MEMORY_SWAP.keyword(),
                engine + " drops an unlimited memswap_limit (MemorySwap -1) from a create through its Docker API and"
                        + " applies memory+swap of twice mem_limit instead; give memswap_limit as a size")));
        if (limits.memorySwappiness().isPresent() && limits.memorySwappiness().getAsInt() == 0) {
            p.add(LimitProblem.warning(Limit.MEMORY_SWAPPINESS.keyword(), engine + " reports MemorySwappiness 0 for containers created"
                    + " without one (their kernel value stays 60), so a 0 cannot be verified after create and reads"
                    + " back as not set"));
        }
        if (!limits.ulimits().isEmpty()) {
            p.add(LimitProblem.warning(Limit.ULIMITS.keyword(), engine + " reports its own default ulimits"
                    + " (containers.conf) for every container, so the ulimits asked cannot be verified after"
                    + " create: they read back as not set"));
        }
        limits.memory().ifPresent(m -> {
            if (!engine.reportsOomKills()) {
                p.add(LimitProblem.warning(Limit.MEMORY.keyword(), engine + " does not report OOM kills: State.OOMKilled stays"
                        + " false when the kernel kills the container at " + m + " (it exits with 137), so"
                        + " wasOomKilled and readings' oomKilled say false (reported from Podman "
                        + Engine.PODMAN_OOM_KILLED_SINCE + ", containers/podman#21523)"));
            }
            if (engine.statsCountPageCache()) {
                p.add(LimitProblem.warning(Limit.MEMORY.keyword(), engine + "'s stats API carries no memory.stat, so a reading"
                        + " from the API source counts page cache as used memory: a container that writes files"
                        + " reads closer to " + m + " than it is (the cgroup source, used for a local daemon, does not)"));
            }
        });
        return p;
    }

    /**
     * The daemon resolves each device path to its major:minor numbers when the container starts,
     * and fails the start if the path is not a block device. That can be checked before create only
     * from the daemon's own host, which {@link HostCapabilities#memoryNodes()} being known says this is.
     */
    private static void checkDevices(ResourceLimits limits, HostCapabilities host, List<LimitProblem> p) {
        if (host.memoryNodes().isEmpty()) {
            return;
        }
        for (Limit limit : Limit.values()) {
            if (limit.kind() != Limit.Kind.DEVICE_BYTES_RATE && limit.kind() != Limit.Kind.DEVICE_IO_RATE
                    && limit.kind() != Limit.Kind.DEVICE_WEIGHT) {
                continue;
            }
            List<String> missing = new ArrayList<>();
            for (String item : limits.texts(limit)) {
                String path = item.substring(0, item.lastIndexOf(':'));
                if (!isBlockDevice(Path.of(path))) {
                    missing.add(path);
                }
            }
            if (!missing.isEmpty()) {
                p.add(LimitProblem.error(limit.keyword(), String.join(", ", missing) + (missing.size() == 1
                        ? " is not a block device" : " are not block devices") + " on the daemon's host;"
                        + " the container would fail to start (the daemon looks devices up then)"));
            }
        }
    }

    private static final int S_IFMT = 0170000;
    private static final int S_IFBLK = 0060000;

    static boolean isBlockDevice(Path path) {
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode");
            return (mode & S_IFMT) == S_IFBLK;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    private static void checkCpu(CpuLimit cpu, ResourceLimits limits, HostCapabilities host, List<LimitProblem> p) {
        String field = cpu.isQuotaForm() ? Limit.CPU_QUOTA.keyword() : Limit.NANO_CPUS.keyword();
        if (!host.cpuCfsQuota() || (cpu.isQuotaForm() && !host.cpuCfsPeriod())) {
            p.add(LimitProblem.error(field, "this daemon's kernel does not support the CFS quota that CPU limits"
                    + " need; the daemon would discard " + cpu));
            return;
        }
        BigDecimal cores = cpu.cores();
        BigDecimal hostCpus = BigDecimal.valueOf(host.cpus());
        if (cpu.compareTo(CpuLimit.ofCores(host.cpus())) > 0) {
            if (cpu.isQuotaForm()) {
                p.add(LimitProblem.warning(field, cpu + " (" + cores(cores) + " cores) is more than the "
                        + host.cpus() + " CPUs of this host: the daemon accepts it, but it can never be reached"));
            } else {
                p.add(LimitProblem.error(field, cores(cores) + " cores is more than the " + host.cpus()
                        + " CPUs of this host; the daemon refuses it (range 0.01 to " + hostCpus + ".00)"));
            }
            return;
        }
        limits.cpusetCpus().ifPresent(set -> {
            if (cores.compareTo(BigDecimal.valueOf(set.size())) > 0) {
                p.add(LimitProblem.warning(field, cpu + " (" + cores(cores) + " cores) is more than the "
                        + set.size() + " CPUs of cpuset_cpus " + set + ": it can never be reached"));
            }
        });
    }

    private static String describe(MemorySize size) {
        BigDecimal gib = BigDecimal.valueOf(size.toBytes()).divide(BigDecimal.valueOf(1L << 30), 1,
                java.math.RoundingMode.HALF_UP);
        return size + " (" + gib.toPlainString() + " GiB)";
    }

    private static String cores(BigDecimal cores) {
        return cores.stripTrailingZeros().toPlainString();
    }

    private static String missing(CpuSet wanted, CpuSet available) {
        return wanted.stream().filter(n -> !available.contains(n)).mapToObj(Integer::toString)
                .collect(Collectors.joining(","));
    }
}
