package org.containerlimits.docker;

import com.github.dockerjava.api.model.BlkioRateDevice;
import com.github.dockerjava.api.model.BlkioWeightDevice;
import com.github.dockerjava.api.model.HostConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.containerlimits.core.CpuLimit;
import org.containerlimits.core.CpuSet;
import org.containerlimits.core.DeviceLimit;
import org.containerlimits.core.Limit;
import org.containerlimits.core.MemorySize;
import org.containerlimits.core.PidsLimit;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.SwapLimit;
import org.containerlimits.core.Ulimit;

/**
 * Translates between {@link ResourceLimits} and docker-java's {@link HostConfig}: one line each way
 * per limit of {@link Limit}, with Docker's wire encodings ({@code 0} for unset, {@code -1} for
 * unlimited) and the values the daemon stores on its own, which read back as not set.
 */
final class HostConfigMapping {
    /** The daemon's default size of /dev/shm, which inspect reports even when none was asked. */
    static final long DEFAULT_SHM_BYTES = 64L * 1024 * 1024;

    /** The docker-py keywords of the CPU limit, in either form. */
    static final java.util.Set<String> CPU_KEYS = java.util.Set.of(Limit.NANO_CPUS.keyword(), Limit.CPU_QUOTA.keyword(),
            Limit.CPU_PERIOD.keyword());

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
        ifSet(limits.blkioWeightDevice(), d -> hc.withBlkioWeightDevice(weights(d)));
        ifSet(limits.deviceReadBps(), d -> hc.withBlkioDeviceReadBps(rates(d)));
        ifSet(limits.deviceWriteBps(), d -> hc.withBlkioDeviceWriteBps(rates(d)));
        ifSet(limits.deviceReadIops(), d -> hc.withBlkioDeviceReadIOps(rates(d)));
        ifSet(limits.deviceWriteIops(), d -> hc.withBlkioDeviceWriteIOps(rates(d)));
        limits.oomKillDisable().ifPresent(hc::withOomKillDisable);
        limits.oomScoreAdj().ifPresent(hc::withOomScoreAdj);
        limits.shmSize().ifPresent(s -> hc.withShmSize(s.toBytes()));
        ifSet(limits.ulimits(), u -> hc.withUlimits(u.stream()
                .map(x -> new com.github.dockerjava.api.model.Ulimit(x.name(), x.soft(), x.hard())).toList()));
        return hc;
    }

    private static <T> void ifSet(List<T> list, java.util.function.Consumer<List<T>> action) {
        if (!list.isEmpty()) {
            action.accept(list);
        }
    }

    private static List<BlkioRateDevice> rates(List<DeviceLimit> devices) {
        return devices.stream().map(d -> new BlkioRateDevice().withPath(d.path()).withRate(d.value())).toList();
    }

    private static List<BlkioWeightDevice> weights(List<DeviceLimit> devices) {
        return devices.stream().map(d -> new BlkioWeightDevice().withPath(d.path()).withWeight((int) d.value()))
                .toList();
    }

    private static List<DeviceLimit> devices(List<BlkioRateDevice> rates) {
        return rates == null ? List.of() : rates.stream().filter(r -> r.getRate() != null && r.getRate() > 0)
                .map(r -> device(r.getPath(), r.getRate())).filter(Objects::nonNull).toList();
    }

    /** A device the model can hold, or null: a daemon's odd entry must not fail a read. */
    private static DeviceLimit device(String path, long value) {
        try {
            return DeviceLimit.of(path, value);
        } catch (org.containerlimits.core.LimitsException e) {
            return null;
        }
    }

    /**
     * A ulimit the model can hold, or null. Docker reports the names it was given ({@code nofile});
     * the kernel's names ({@code RLIMIT_NOFILE}) are read too. An unlimited (-1) or unknown one
     * cannot be held and is left out rather than failing the read.
     */
    private static Ulimit ulimit(com.github.dockerjava.api.model.Ulimit u) {
        String name = u.getName() == null ? "" : u.getName().toLowerCase(java.util.Locale.ROOT);
        name = name.startsWith("rlimit_") ? name.substring("rlimit_".length()) : name;
        if (u.getSoftLong() == null || u.getHardLong() == null) {
            return null;
        }
        try {
            return Ulimit.of(name, u.getSoftLong(), u.getHardLong());
        } catch (org.containerlimits.core.LimitsException e) {
            return null;
        }
    }

    static long swapBytes(SwapLimit swap) {
        return swap.memoryPlusSwap().map(MemorySize::toBytes).orElse(-1L);
    }

    /**
     * Reads the limits a HostConfig sets, not knowing the engine: as {@link #read(HostConfig, Engine)}
     * for Docker, except that Podman's default ShmSize reads as not set too.
     */
    static ResourceLimits read(HostConfig hc) {
        return read(hc, null);
    }

    /**
     * Reads the limits a HostConfig sets. Values the daemon stores whether or not they were asked
     * for read as not set: a MemorySwap of twice the Memory (its default), a 64 MiB ShmSize (Docker)
     * or 65,536,000 bytes (Podman), an OomKillDisable of false, a PidsLimit of 0 or -1 or none
     * (unlimited, its default). A CPU limit reported in both forms (Podman: NanoCpus beside the CFS
     * quota and period it applies) reads as the quota form, which is what the kernel holds. On
     * Podman a MemorySwappiness of 0 reads as not set: Podman reports 0 for containers created
     * without one (see {@link Engine}).
     *
     * @param engine the engine that reported it, or {@code null} when not known
     */
    static ResourceLimits read(HostConfig hc, Engine engine) {
        boolean podman = engine != null && engine.isPodman();
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
        if (swappiness != null && swappiness >= 0 && !(podman && swappiness == 0)) {
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
        if (hc.getBlkioWeightDevice() != null) {
            b.blkioWeightDevice(hc.getBlkioWeightDevice().stream()
                    .filter(w -> w.getWeight() != null && w.getWeight() > 0)
                    .map(w -> device(w.getPath(), w.getWeight())).filter(Objects::nonNull).toList());
        }
        b.deviceReadBps(devices(hc.getBlkioDeviceReadBps()));
        b.deviceWriteBps(devices(hc.getBlkioDeviceWriteBps()));
        b.deviceReadIops(devices(hc.getBlkioDeviceReadIOps()));
        b.deviceWriteIops(devices(hc.getBlkioDeviceWriteIOps()));
        if (Boolean.TRUE.equals(hc.getOomKillDisable())) {
            b.oomKillDisable(true);
        }
        Integer oomScoreAdj = hc.getOomScoreAdj();
        if (oomScoreAdj != null && oomScoreAdj != 0) {
            b.oomScoreAdj(oomScoreAdj);
        }
        // Podman reports its own default ulimits (containers.conf) for every container, in the
        // kernel's names: what was asked cannot be told from them, so there they read as not set.
        if (hc.getUlimits() != null && !podman) {
            b.ulimits(java.util.Arrays.stream(hc.getUlimits()).map(HostConfigMapping::ulimit)
                    .filter(Objects::nonNull).toList());
        }
        long shm = positive(hc.getShmSize());
        boolean engineDefault = engine == null
                ? shm == DEFAULT_SHM_BYTES || shm == Engine.PODMAN_DEFAULT_SHM_BYTES
                : shm == (podman ? Engine.PODMAN_DEFAULT_SHM_BYTES : DEFAULT_SHM_BYTES);
        if (shm > 0 && !engineDefault) {
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
        return compare(requested, effective, null);
    }

    /**
     * Like {@link #compare(ResourceLimits, ResourceLimits)}, putting the request through the given
     * engine's encoding.
     *
     * @param engine the engine, or {@code null} when not known
     */
    static List<Mismatch> compare(ResourceLimits requested, ResourceLimits effective, Engine engine) {
        if (requested.cpu().isPresent() && effective.cpu().isPresent()
                && requested.cpu().get().isQuotaForm() != effective.cpu().get().isQuotaForm()
                && requested.cpu().get().compareTo(effective.cpu().get()) == 0) {
            // The same CPU in the other form (Podman stores nano-CPUs as a quota too): not a mismatch.
            effective = effective.toBuilder().cpu(requested.cpu().get()).build();
        }
        Map<String, Object> asked = read(applyTo(new HostConfig(), requested), engine).toDockerPy();
        Map<String, Object> actual = effective.toDockerPy();
        Map<String, Object> keys = requested.toDockerPy();
        List<Mismatch> out = new ArrayList<>();
        for (String key : keys.keySet()) {
            Object want = asked.get(key);
            Object got = actual.get(key);
            if (!Objects.equals(want, got)) {
                String shown = got != null ? text(effective, key)
                        : CPU_KEYS.contains(key) && effective.cpu().isPresent() ? effective.cpu().get().toString()
                        : "not set";
                out.add(new Mismatch(key, text(requested, key), shown));
            }
        }
        return out;
    }

    /**
     * The effective limits, in the request's own form wherever the daemon holds what was asked:
     * an explicit {@code memswap_limit} of twice the memory, a 64 MiB {@code shm_size} or an
     * unlimited pids limit, which the daemon stores as its defaults, read back as asked. A limit
     * the daemon holds otherwise (changed live since, or not applied) reads as the daemon holds it;
     * memory and memory+swap go together. Limits the request did not set read as the daemon holds
     * them.
     *
     * @param requested what was asked at create
     * @param effective what the daemon holds now, as {@link #read(HostConfig, Engine)} reads it
     * @param engine the engine, or {@code null} when not known
     * @return the limits
     */
    static ResourceLimits asAsked(ResourceLimits requested, ResourceLimits effective, Engine engine) {
        ResourceLimits.Builder agreeing = requested.toBuilder();
        for (Mismatch m : compare(requested, effective, engine)) {
            Limit limit = Limit.ofKeyword(m.field()).orElseThrow();
            agreeing.clear(limit);
            if (limit == Limit.MEMORY || limit == Limit.MEMORY_SWAP) {
                agreeing.clear(Limit.MEMORY).clear(Limit.MEMORY_SWAP);
            }
        }
        try {
            return effective.toBuilder().overlay(agreeing.build()).build();
        } catch (org.containerlimits.core.InvalidLimitsException e) {
            // What agrees and what the daemon changed since do not make valid limits together
            // (a reservation asked below the memory of then, above the memory of now): the daemon's.
            return effective;
        }
    }

    /** The canonical text of one field, as ResourceLimits' text form writes it. */
    private static String text(ResourceLimits limits, String key) {
        List<String> texts = limits.texts(Limit.ofKeyword(key).orElseThrow());
        return texts.isEmpty() ? "not set" : String.join(",", texts);
    }
}
