package org.containerlimits.docker;

import com.github.dockerjava.api.model.HostConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.containerlimits.core.CpuLimit;
import org.containerlimits.core.CpuSet;
import org.containerlimits.core.MemorySize;
import org.containerlimits.core.PidsLimit;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.SwapLimit;

/**
 * Translates between {@link ResourceLimits} and docker-java's {@link HostConfig}, the only place
 * where Docker's wire encodings ({@code 0} for unset, {@code -1} for unlimited) are known.
 */
final class HostConfigMapping {
    /** The daemon's default size of /dev/shm, which inspect reports even when none was asked. */
    static final long DEFAULT_SHM_BYTES = 64L * 1024 * 1024;

    /** Podman's default ShmSize, its "64m" of 64,000 KiB, stored whether or not it was asked for. */
    static final long PODMAN_DEFAULT_SHM_BYTES = 65_536_000L;

    private HostConfigMapping() {
    }

    static HostConfig applyTo(HostConfig hc, ResourceLimits limits) {
        limits.memory().ifPresent(m -> hc.withMemory(m.toBytes()));
        limits.memoryReservation().ifPresent(m -> hc.withMemoryReservation(m.toBytes()));
        limits.memorySwap().ifPresent(s -> hc.withMemorySwap(swapBytes(s)));
        limits.memorySwappiness().ifPresent(s -> hc.withMemorySwappiness((long) s));
        limits.cpu().ifPresent(cpu -> {
            // The daemon refuses NanoCpus together with CpuQuota or CpuPeriod, so setting one form
            // clears whatever the other form held in this HostConfig.
            if (cpu.isQuotaForm()) {
                hc.withNanoCPUs(null);
                hc.withCpuQuota(cpu.cfsQuotaMicros().getAsLong());
                hc.withCpuPeriod(cpu.cfsPeriodMicros().getAsLong());
            } else {
                hc.withCpuQuota(null);
                hc.withCpuPeriod(null);
                hc.withNanoCPUs(cpu.toNanoCpus());
            }
        });
        limits.cpuShares().ifPresent(hc::withCpuShares);
        limits.cpusetCpus().ifPresent(s -> hc.withCpusetCpus(s.toString()));
        limits.cpusetMems().ifPresent(s -> hc.withCpusetMems(s.toString()));
        limits.pidsLimit().ifPresent(p -> hc.withPidsLimit(p.max().orElse(-1L)));
        limits.blkioWeight().ifPresent(hc::withBlkioWeight);
        limits.oomKillDisable().ifPresent(hc::withOomKillDisable);
        limits.shmSize().ifPresent(s -> hc.withShmSize(s.toBytes()));
        return hc;
    }

    static long swapBytes(SwapLimit swap) {
        return swap.memoryPlusSwap().map(MemorySize::toBytes).orElse(-1L);
    }

    /**
     * Reads the limits a HostConfig sets. Values the daemon stores whether or not they were asked
     * for read as not set: a MemorySwap of twice the Memory (its default), a 64 MiB ShmSize (Docker)
     * or 65,536,000 bytes (Podman), an OomKillDisable of false, a PidsLimit of 0 or -1 or none
     * (unlimited, its default). Podman reports a CPU limit in both forms, NanoCpus beside the CFS
     * quota and period it applies; that reads as the quota form, which is what the kernel holds.
     */
    static ResourceLimits read(HostConfig hc) {
        ResourceLimits.Builder b = ResourceLimits.builder();
        long memory = positive(hc.getMemory());
        if (memory > 0) {
            b.memory(MemorySize.ofBytes(memory));
        }
        long reservation = positive(hc.getMemoryReservation());
        if (reservation > 0) {
            b.memoryReservation(MemorySize.ofBytes(reservation));
        }
        Long swap = hc.getMemorySwap();
        if (swap != null && swap == -1) {
            b.memorySwap(SwapLimit.UNLIMITED);
        } else if (swap != null && swap > 0 && !(memory > 0 && swap == 2 * memory)) {
            b.memorySwap(SwapLimit.of(MemorySize.ofBytes(swap)));
        }
        Long swappiness = hc.getMemorySwappiness();
        if (swappiness != null && swappiness >= 0) {
            b.memorySwappiness(swappiness.intValue());
        }
        long nanos = positive(hc.getNanoCPUs());
        long quota = positive(hc.getCpuQuota());
        long period = positive(hc.getCpuPeriod());
        if (nanos > 0 && quota == 0) {
            b.cpu(CpuLimit.ofNanoCpus(nanos));
        } else if (quota > 0) {
            b.cpu(CpuLimit.ofQuota(quota, period > 0 ? period : CpuLimit.DEFAULT_PERIOD_MICROS));
        }
        Integer shares = hc.getCpuShares();
        if (shares != null && shares > 0) {
            b.cpuShares(shares);
        }
        if (hc.getCpusetCpus() != null && !hc.getCpusetCpus().isEmpty()) {
            b.cpusetCpus(CpuSet.parse(hc.getCpusetCpus()));
        }
        if (hc.getCpusetMems() != null && !hc.getCpusetMems().isEmpty()) {
            b.cpusetMems(CpuSet.parse(hc.getCpusetMems()));
        }
        long pids = positive(hc.getPidsLimit());
        if (pids > 0) {
            b.pidsLimit(PidsLimit.of(pids));
        }
        Integer blkio = hc.getBlkioWeight();
        if (blkio != null && blkio > 0) {
            b.blkioWeight(blkio);
        }
        if (Boolean.TRUE.equals(hc.getOomKillDisable())) {
            b.oomKillDisable(true);
        }
        long shm = positive(hc.getShmSize());
        if (shm > 0 && shm != DEFAULT_SHM_BYTES && shm != PODMAN_DEFAULT_SHM_BYTES) {
            b.shmSize(MemorySize.ofBytes(shm));
        }
        return b.build();
    }

    private static long positive(Number n) {
        return n == null ? 0 : Math.max(0, n.longValue());
    }

    /**
     * Lists the fields set in {@code requested} whose effective value differs. Both sides are first
     * put through the daemon's encoding, so that a value equal to a daemon default (such as
     * unlimited pids) is not called a mismatch when it reads back as not set.
     */
    static List<Mismatch> compare(ResourceLimits requested, ResourceLimits effective) {
        if (requested.cpu().isPresent() && effective.cpu().isPresent()
                && requested.cpu().get().isQuotaForm() != effective.cpu().get().isQuotaForm()
                && requested.cpu().get().compareTo(effective.cpu().get()) == 0) {
            // The same CPU in the other form (Podman stores nano-CPUs as a quota too): not a mismatch.
            effective = effective.toBuilder().cpu(requested.cpu().get()).build();
        }
        Map<String, Object> asked = read(applyTo(new HostConfig(), requested)).toDockerPy();
        Map<String, Object> actual = effective.toDockerPy();
        Map<String, Object> keys = requested.toDockerPy();
        List<Mismatch> out = new ArrayList<>();
        for (String key : keys.keySet()) {
            Object want = asked.get(key);
            Object got = actual.get(key);
            if (!Objects.equals(want, got)) {
                out.add(new Mismatch(key, text(requested, key), got == null ? "not set" : text(effective, key)));
            }
        }
        return out;
    }

    /** The canonical text of one field, as ResourceLimits' text form writes it. */
    private static String text(ResourceLimits limits, String key) {
        for (String pair : limits.toString().split(",(?=[a-z_]+=)")) {
            if (pair.startsWith(key + "=")) {
                return pair.substring(key.length() + 1);
            }
        }
        return "not set";
    }
}
