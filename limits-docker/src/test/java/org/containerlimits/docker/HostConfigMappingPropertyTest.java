package org.containerlimits.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.HostConfig;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Function;
import java.util.function.Predicate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.containerlimits.core.CpuLimit;
import org.containerlimits.core.CpuSet;
import org.containerlimits.core.InvalidLimitsException;
import org.containerlimits.core.MemorySize;
import org.containerlimits.core.PidsLimit;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.SwapLimit;

/**
 * {@link HostConfigMapping} without a daemon: generated limits applied to docker-java's
 * {@link HostConfig}, its getters checked for Docker's wire encodings, read back, and compared.
 *
 * <p>What reads back differently from what was applied, by design: a value equal to one the engine
 * reports for every container, asked or not, cannot be told from "not set" and reads as not set
 * ({@link #expectedReadBack}):
 * <ol>
 *   <li>{@code pids_limit} unlimited: written as {@code PidsLimit -1}; the daemon reports -1, 0 or
 *       nothing for a container without a limit.
 *   <li>{@code oom_kill_disable=false}: the daemon reports {@code OomKillDisable false} for every
 *       container.
 *   <li>{@code memswap_limit} of exactly twice {@code mem_limit}: the daemon's own {@code MemorySwap}
 *       when only {@code Memory} is given.
 *   <li>{@code shm_size} equal to the engine's default {@code /dev/shm}: 64 MiB on Docker, 65,536,000
 *       bytes on Podman, either when the engine is not known.
 *   <li>On Podman only, {@code mem_swappiness=0}: Podman reports 0 for containers created without one.
 * </ol>
 * {@link HostConfigMapping#compare} puts the request through the same reading, so none of these is a
 * mismatch; it also takes a CPU limit of the same amount in the other form as equal (Podman stores
 * nano-CPUs as a quota too).
 */
class HostConfigMappingPropertyTest {

    /** Which engine the reading is for; {@code UNKNOWN} is {@link HostConfigMapping#read(HostConfig)}. */
    enum EngineChoice {
        UNKNOWN(null),
        DOCKER(new Engine(Engine.Kind.DOCKER, "27.3.1", "1.47")),
        PODMAN(new Engine(Engine.Kind.PODMAN, "4.3.1", "1.41"));

        final Engine engine;

        EngineChoice(Engine engine) {
            this.engine = engine;
        }

        boolean isDefaultShm(long bytes) {
            switch (this) {
                case DOCKER: return bytes == LimitsGenerators.DOCKER_DEFAULT_SHM;
                case PODMAN: return bytes == LimitsGenerators.PODMAN_DEFAULT_SHM;
                default: return bytes == LimitsGenerators.DOCKER_DEFAULT_SHM || bytes == LimitsGenerators.PODMAN_DEFAULT_SHM;
            }
        }
    }

    private static final Set<String> CPU_KEYS = Set.of("nano_cpus", "cpu_quota", "cpu_period");

    @Provide
    Arbitrary<ResourceLimits> limits() {
        return LimitsGenerators.limits();
    }

    static ResourceLimits read(HostConfig hc, EngineChoice engine) {
        return engine.engine == null ? HostConfigMapping.read(hc) : HostConfigMapping.read(hc, engine.engine);
    }

    static HostConfig apply(ResourceLimits limits) {
        return HostConfigMapping.applyTo(new HostConfig(), limits);
    }

    /** The limits less the values the engine reports whether asked or not; see the class comment. */
    static ResourceLimits expectedReadBack(ResourceLimits limits, EngineChoice engine) {
        ResourceLimits.Builder b = limits.toBuilder();
        if (limits.pidsLimit().map(PidsLimit::isUnlimited).orElse(false)) {
            b.pidsLimit(null);
        }
        if (limits.oomKillDisable().equals(Optional.of(false))) {
            b.oomKillDisable(null);
        }
        if (isTwiceTheMemory(limits)) {
            b.memorySwap(null);
        }
        if (limits.shmSize().map(MemorySize::toBytes).filter(engine::isDefaultShm).isPresent()) {
            b.shmSize(null);
        }
        if (engine == EngineChoice.PODMAN && limits.memorySwappiness().equals(OptionalInt.of(0))) {
            b.memorySwappiness(null);
        }
        if (engine == EngineChoice.PODMAN) {
            b.ulimits(null); // Podman reports its own default ulimits for every container
        }
        return b.build();
    }

    private static boolean isTwiceTheMemory(ResourceLimits limits) {
        return limits.memory().isPresent() && limits.memorySwap().flatMap(SwapLimit::memoryPlusSwap)
                .map(total -> BigInteger.valueOf(total.toBytes())
                        .equals(BigInteger.valueOf(limits.memory().get().toBytes()).shiftLeft(1)))
                .orElse(false);
    }

    // ------------------------------------------------------------------------------ apply, read

    @Property
    void applyThenRead_givesTheLimitsBack_lessTheEnginesDefaults(@ForAll("limits") ResourceLimits limits,
            @ForAll EngineChoice engine) {
        HostConfig hc = apply(limits);
        ResourceLimits back = read(hc, engine);
        assertThat(back).isEqualTo(expectedReadBack(limits, engine));
        // The public entry points do the same.
        assertThat(DockerLimits.applyTo(new HostConfig(), limits)).isEqualTo(hc);
        assertThat(engine.engine == null ? DockerLimits.fromHostConfig(hc) : DockerLimits.fromHostConfig(hc, engine.engine))
                .isEqualTo(back);
        // Reading is idempotent: what was read back writes and reads back to itself.
        assertThat(read(apply(back), engine)).isEqualTo(back);
    }

    @Property
    void applyTo_writesDockersWireEncodings(@ForAll("limits") ResourceLimits limits) {
        HostConfig hc = apply(limits);
        assertThat(hc.getMemory()).isEqualTo(limits.memory().map(MemorySize::toBytes).orElse(null));
        assertThat(hc.getMemoryReservation()).isEqualTo(limits.memoryReservation().map(MemorySize::toBytes).orElse(null));

        // MemorySwap: the total of memory and swap (never the swap alone), -1 for unlimited, absent when not set.
        Optional<SwapLimit> swap = limits.memorySwap();
        if (swap.isEmpty()) {
            assertThat(hc.getMemorySwap()).isNull();
        } else if (swap.get().isUnlimited()) {
            assertThat(hc.getMemorySwap()).isEqualTo(-1L);
        } else {
            assertThat(hc.getMemorySwap()).isEqualTo(swap.get().memoryPlusSwap().orElseThrow().toBytes())
                    .isGreaterThanOrEqualTo(hc.getMemory());
        }
        assertThat(hc.getMemorySwappiness()).isEqualTo(
                limits.memorySwappiness().isPresent() ? Long.valueOf(limits.memorySwappiness().getAsInt()) : null);

        // NanoCpus, or CpuQuota with CpuPeriod: never both from one limit (the daemon refuses that).
        Optional<CpuLimit> cpu = limits.cpu();
        if (cpu.isEmpty()) {
            assertThat(hc.getNanoCPUs()).isNull();
            assertThat(hc.getCpuQuota()).isNull();
            assertThat(hc.getCpuPeriod()).isNull();
        } else if (cpu.get().isQuotaForm()) {
            assertThat(hc.getNanoCPUs()).isNull();
            assertThat(hc.getCpuQuota()).isEqualTo(cpu.get().cfsQuotaMicros().getAsLong()).isGreaterThanOrEqualTo(1000L);
            assertThat(hc.getCpuPeriod()).isEqualTo(cpu.get().cfsPeriodMicros().getAsLong()).isBetween(1000L, 1_000_000L);
        } else {
            assertThat(hc.getNanoCPUs()).isEqualTo(cpu.get().toNanoCpus()).isGreaterThanOrEqualTo(10_000_000L);
            assertThat(hc.getCpuQuota()).isNull();
            assertThat(hc.getCpuPeriod()).isNull();
        }
        assertThat(hc.getCpuShares()).isEqualTo(limits.cpuShares().isPresent() ? limits.cpuShares().getAsInt() : null);

        // Cpusets as the kernel's list format, ascending, runs of two or more as a-b.
        assertThat(hc.getCpusetCpus()).isEqualTo(limits.cpusetCpus().map(HostConfigMappingPropertyTest::listFormat).orElse(null));
        assertThat(hc.getCpusetMems()).isEqualTo(limits.cpusetMems().map(HostConfigMappingPropertyTest::listFormat).orElse(null));

        // PidsLimit: the maximum, -1 for unlimited, absent when not set; never 0 (which Docker reads as unlimited too).
        Optional<PidsLimit> pids = limits.pidsLimit();
        if (pids.isEmpty()) {
            assertThat(hc.getPidsLimit()).isNull();
        } else if (pids.get().isUnlimited()) {
            assertThat(hc.getPidsLimit()).isEqualTo(-1L);
        } else {
            assertThat(hc.getPidsLimit()).isEqualTo(pids.get().max().getAsLong()).isPositive();
        }
        assertThat(hc.getBlkioWeight()).isEqualTo(limits.blkioWeight().isPresent() ? limits.blkioWeight().getAsInt() : null);
        assertThat(hc.getOomKillDisable()).isEqualTo(limits.oomKillDisable().orElse(null));
        assertThat(hc.getShmSize()).isEqualTo(limits.shmSize().map(MemorySize::toBytes).orElse(null));

        // Per-device limits as {Path, Rate} / {Path, Weight} lists, absent when not set; ulimits as
        // {Name, Soft, Hard}; the OOM score as the number.
        assertThat(rates(hc.getBlkioDeviceReadBps())).isEqualTo(texts(limits.deviceReadBps()));
        assertThat(rates(hc.getBlkioDeviceWriteBps())).isEqualTo(texts(limits.deviceWriteBps()));
        assertThat(rates(hc.getBlkioDeviceReadIOps())).isEqualTo(texts(limits.deviceReadIops()));
        assertThat(rates(hc.getBlkioDeviceWriteIOps())).isEqualTo(texts(limits.deviceWriteIops()));
        assertThat(hc.getBlkioWeightDevice() == null ? null : hc.getBlkioWeightDevice().stream()
                .map(w -> w.getPath() + ":" + w.getWeight()).toList()).isEqualTo(texts(limits.blkioWeightDevice()));
        assertThat(hc.getUlimits() == null ? null : java.util.Arrays.stream(hc.getUlimits())
                .map(u -> u.getName() + "=" + u.getSoftLong() + ":" + u.getHardLong()).toList())
                .isEqualTo(limits.ulimits().isEmpty() ? null : limits.ulimits().stream().map(Object::toString).toList());
        assertThat(hc.getOomScoreAdj()).isEqualTo(limits.oomScoreAdj().isPresent() ? limits.oomScoreAdj().getAsInt() : null);

        // And nothing else: the HostConfig holds these fields only.
        assertThat(hc).isEqualTo(limitFieldsOf(hc));
    }

    @Property
    void applyTo_changesOnlyTheFieldsSet_andClearsTheOtherCpuForm(@ForAll("limits") ResourceLimits limits,
            @ForAll("limits") ResourceLimits before) {
        HostConfig after = HostConfigMapping.applyTo(filled(before), limits);
        HostConfig untouched = filled(before);
        HostConfig fresh = apply(limits);
        for (HcField f : HcField.values()) {
            Object expected = f.isSet.test(limits) ? f.get.apply(fresh) : f.get.apply(untouched);
            assertThat(f.get.apply(after)).as(f.name()).isEqualTo(expected);
        }
        assertThat(after.getNetworkMode()).isEqualTo("bridge");
        assertThat(after.getNanoCPUs() != null && (after.getCpuQuota() != null || after.getCpuPeriod() != null))
                .as("both CPU forms").isEqualTo(limits.cpu().isEmpty());
    }

    /** A HostConfig with the given limits, both CPU forms at once, and a setting that is no limit. */
    private static HostConfig filled(ResourceLimits before) {
        return apply(before).withNanoCPUs(3_000_000_000L).withCpuQuota(150_000L).withCpuPeriod(100_000L)
                .withNetworkMode("bridge");
    }

    /** The HostConfig fields a limit writes, with whether the limits set it. */
    private enum HcField {
        MEMORY(HostConfig::getMemory, l -> l.memory().isPresent()),
        MEMORY_RESERVATION(HostConfig::getMemoryReservation, l -> l.memoryReservation().isPresent()),
        MEMORY_SWAP(HostConfig::getMemorySwap, l -> l.memorySwap().isPresent()),
        MEMORY_SWAPPINESS(HostConfig::getMemorySwappiness, l -> l.memorySwappiness().isPresent()),
        NANO_CPUS(HostConfig::getNanoCPUs, l -> l.cpu().isPresent()),
        CPU_QUOTA(HostConfig::getCpuQuota, l -> l.cpu().isPresent()),
        CPU_PERIOD(HostConfig::getCpuPeriod, l -> l.cpu().isPresent()),
        CPU_SHARES(HostConfig::getCpuShares, l -> l.cpuShares().isPresent()),
        CPUSET_CPUS(HostConfig::getCpusetCpus, l -> l.cpusetCpus().isPresent()),
        CPUSET_MEMS(HostConfig::getCpusetMems, l -> l.cpusetMems().isPresent()),
        PIDS_LIMIT(HostConfig::getPidsLimit, l -> l.pidsLimit().isPresent()),
        BLKIO_WEIGHT(HostConfig::getBlkioWeight, l -> l.blkioWeight().isPresent()),
        OOM_KILL_DISABLE(HostConfig::getOomKillDisable, l -> l.oomKillDisable().isPresent()),
        SHM_SIZE(HostConfig::getShmSize, l -> l.shmSize().isPresent());

        final Function<HostConfig, Object> get;
        final Predicate<ResourceLimits> isSet;

        HcField(Function<HostConfig, Object> get, Predicate<ResourceLimits> isSet) {
            this.get = get;
            this.isSet = isSet;
        }
    }

    private static HostConfig limitFieldsOf(HostConfig hc) {
        return new HostConfig().withMemory(hc.getMemory()).withMemoryReservation(hc.getMemoryReservation())
                .withMemorySwap(hc.getMemorySwap()).withMemorySwappiness(hc.getMemorySwappiness())
                .withNanoCPUs(hc.getNanoCPUs()).withCpuQuota(hc.getCpuQuota()).withCpuPeriod(hc.getCpuPeriod())
                .withCpuShares(hc.getCpuShares()).withCpusetCpus(hc.getCpusetCpus()).withCpusetMems(hc.getCpusetMems())
                .withPidsLimit(hc.getPidsLimit()).withBlkioWeight(hc.getBlkioWeight())
                .withOomKillDisable(hc.getOomKillDisable()).withShmSize(hc.getShmSize())
                .withBlkioDeviceReadBps(hc.getBlkioDeviceReadBps()).withBlkioDeviceWriteBps(hc.getBlkioDeviceWriteBps())
                .withBlkioDeviceReadIOps(hc.getBlkioDeviceReadIOps())
                .withBlkioDeviceWriteIOps(hc.getBlkioDeviceWriteIOps()).withBlkioWeightDevice(hc.getBlkioWeightDevice())
                .withUlimits(hc.getUlimits()).withOomScoreAdj(hc.getOomScoreAdj());
    }

    private static List<String> rates(List<com.github.dockerjava.api.model.BlkioRateDevice> rates) {
        return rates == null ? null : rates.stream().map(r -> r.getPath() + ":" + r.getRate()).toList();
    }

    /** Devices as path:value, or null when there are none (the field is then not written). */
    private static List<String> texts(List<org.containerlimits.core.DeviceLimit> devices) {
        return devices.isEmpty() ? null : devices.stream().map(Object::toString).toList();
    }

    /** The kernel's list format, written here without {@link CpuSet#toString()}. */
    static String listFormat(CpuSet set) {
        int[] members = set.stream().toArray();
        StringJoiner out = new StringJoiner(",");
        int i = 0;
        while (i < members.length) {
            int j = i;
            while (j + 1 < members.length && members[j + 1] == members[j] + 1) {
                j++;
            }
            out.add(j == i ? Integer.toString(members[i]) : members[i] + "-" + members[j]);
            i = j + 1;
        }
        return out.toString();
    }

    // ------------------------------------------------------------------------------ what daemons report

    /**
     * What Docker's inspect reports for a container created with these limits: zeros for limits not
     * set, twice the memory as MemorySwap when only Memory was given, its own /dev/shm size, and
     * OomKillDisable false.
     */
    static HostConfig dockerInspect(ResourceLimits limits) {
        HostConfig hc = withZeros(apply(limits));
        limits.memory().filter(m -> limits.memorySwap().isEmpty() && m.toBytes() <= Long.MAX_VALUE / 2)
                .ifPresent(m -> hc.withMemorySwap(2 * m.toBytes()));
        if (limits.pidsLimit().isEmpty()) {
            hc.withPidsLimit(0L);
        }
        if (limits.shmSize().isEmpty()) {
            hc.withShmSize(LimitsGenerators.DOCKER_DEFAULT_SHM);
        }
        if (limits.oomKillDisable().isEmpty()) {
            hc.withOomKillDisable(false);
        }
        return hc;
    }

    /**
     * What Podman 4.3's inspect reports (as seen on a real Podman service; see PodmanQuirksTest): as
     * Docker's, but a nano-CPU limit also as the quota per 100 ms it applies, and its own defaults for
     * what was not asked: pids limit 2048 (enforced), swappiness 0 (not applied) and 65,536,000 bytes
     * of /dev/shm.
     */
    static HostConfig podmanInspect(ResourceLimits limits) {
        HostConfig hc = dockerInspect(limits);
        limits.cpu().filter(cpu -> !cpu.isQuotaForm())
                .ifPresent(cpu -> hc.withCpuQuota(cpu.toNanoCpus() / 10_000).withCpuPeriod(100_000L));
        if (limits.pidsLimit().isEmpty()) {
            hc.withPidsLimit(Engine.PODMAN_DEFAULT_PIDS_LIMIT);
        }
        if (limits.memorySwappiness().isEmpty()) {
            hc.withMemorySwappiness(0L);
        }
        if (limits.shmSize().isEmpty()) {
            hc.withShmSize(LimitsGenerators.PODMAN_DEFAULT_SHM);
        }
        return hc;
    }

    private static HostConfig withZeros(HostConfig hc) {
        return hc.withMemory(orZero(hc.getMemory())).withMemoryReservation(orZero(hc.getMemoryReservation()))
                .withMemorySwap(orZero(hc.getMemorySwap())).withNanoCPUs(orZero(hc.getNanoCPUs()))
                .withCpuQuota(orZero(hc.getCpuQuota())).withCpuPeriod(orZero(hc.getCpuPeriod()))
                .withCpuShares(hc.getCpuShares() == null ? 0 : hc.getCpuShares())
                .withBlkioWeight(hc.getBlkioWeight() == null ? 0 : hc.getBlkioWeight())
                .withCpusetCpus(hc.getCpusetCpus() == null ? "" : hc.getCpusetCpus())
                .withCpusetMems(hc.getCpusetMems() == null ? "" : hc.getCpusetMems());
    }

    private static Long orZero(Long value) {
        return value == null ? 0L : value;
    }

    @Property
    void dockersInspect_readsBackAsTheLimits_itsZerosAndDefaultsAsNotSet(@ForAll("limits") ResourceLimits limits) {
        ResourceLimits back = read(dockerInspect(limits), EngineChoice.DOCKER);
        assertThat(back).isEqualTo(expectedReadBack(limits, EngineChoice.DOCKER));
        assertThat(HostConfigMapping.compare(limits, back, EngineChoice.DOCKER.engine)).isEmpty();
    }

    @Property
    void podmansInspect_readsItsDefaultsAsNotSet_itsPidsLimitAsSet_andACpuLimitAsTheQuota(
            @ForAll("limits") ResourceLimits limits) {
        ResourceLimits back = read(podmanInspect(limits), EngineChoice.PODMAN);
        ResourceLimits.Builder expected = expectedReadBack(limits, EngineChoice.PODMAN).toBuilder();
        if (limits.pidsLimit().isEmpty()) {
            expected.pidsLimit(PidsLimit.of(Engine.PODMAN_DEFAULT_PIDS_LIMIT));
        }
        limits.cpu().filter(cpu -> !cpu.isQuotaForm())
                .ifPresent(cpu -> expected.cpu(CpuLimit.ofQuota(cpu.toNanoCpus() / 10_000, 100_000)));
        assertThat(back).isEqualTo(expected.build());
        assertThat(DockerLimits.fromHostConfig(podmanInspect(limits), EngineChoice.PODMAN.engine)).isEqualTo(back);
        // Strict mode passes on Podman: neither its defaults nor the CPU limit's other form are a mismatch
        // (for whole microseconds of quota per 100 ms; a finer nano-CPU limit is rounded down by the quota).
        if (limits.cpu().map(cpu -> cpu.isQuotaForm() || cpu.toNanoCpus() % 10_000 == 0).orElse(true)) {
            assertThat(HostConfigMapping.compare(limits, back, EngineChoice.PODMAN.engine)).isEmpty();
        }
    }

    // ------------------------------------------------------------------------------ compare

    @Property
    void compare_findsNoMismatch_betweenALimitAndItsOwnReadBack(@ForAll("limits") ResourceLimits limits,
            @ForAll EngineChoice engine) {
        ResourceLimits back = read(apply(limits), engine);
        assertThat(HostConfigMapping.compare(limits, back, engine.engine)).isEmpty();
        assertThat(HostConfigMapping.compare(back, back, engine.engine)).isEmpty();
        if (engine.engine == null) {
            assertThat(HostConfigMapping.compare(limits, back)).isEmpty();
        }
    }

    /** One field of the model, with its docker-py keys, its setter, and values valid beside the others. */
    enum Field {
        MEMORY("mem_limit"), RESERVATION("mem_reservation"), SWAP("memswap_limit"), SWAPPINESS("mem_swappiness"),
        CPU("nano_cpus", "cpu_quota", "cpu_period"), SHARES("cpu_shares"), CPUSET_CPUS("cpuset_cpus"),
        CPUSET_MEMS("cpuset_mems"), PIDS("pids_limit"), BLKIO("blkio_weight"), OOM("oom_kill_disable"), SHM("shm_size");

        final Set<String> keys;

        Field(String... keys) {
            this.keys = Set.of(keys);
        }

        Arbitrary<Object> candidates(ResourceLimits l) {
            switch (this) {
                case MEMORY: {
                    long low = Math.max(LimitsGenerators.MIN_MEMORY, l.memoryReservation().map(MemorySize::toBytes).orElse(0L));
                    long high = l.memorySwap().flatMap(SwapLimit::memoryPlusSwap).map(MemorySize::toBytes)
                            .orElse(Long.MAX_VALUE);
                    return low > high ? Arbitraries.<Object>just(null) : LimitsGenerators.sizes(low, high).map(Object.class::cast);
                }
                case RESERVATION:
                    return LimitsGenerators.sizes(LimitsGenerators.MIN_MEMORY,
                            l.memory().map(MemorySize::toBytes).orElse(Long.MAX_VALUE)).map(Object.class::cast);
                case SWAP: return LimitsGenerators.swaps(l.memory().orElse(null)).map(Object.class::cast);
                case SWAPPINESS: return LimitsGenerators.swappiness().map(Object.class::cast);
                case CPU: return LimitsGenerators.cpuLimits().map(Object.class::cast);
                case SHARES: return LimitsGenerators.cpuShares().map(Object.class::cast);
                case CPUSET_CPUS:
                case CPUSET_MEMS: return LimitsGenerators.cpuSets(CpuSet.MAX_INDEX).map(Object.class::cast);
                case PIDS: return LimitsGenerators.pidsLimits().map(Object.class::cast);
                case BLKIO: return LimitsGenerators.blkioWeights().map(Object.class::cast);
                case OOM: return Arbitraries.of(true, false).map(Object.class::cast);
                case SHM: return LimitsGenerators.shmSizes().map(Object.class::cast);
                default: throw new AssertionError(this);
            }
        }

        /** The limits with this field set to the value, or unset for {@code null}; {@code null} if invalid. */
        ResourceLimits with(ResourceLimits l, Object v) {
            ResourceLimits.Builder b = l.toBuilder();
            switch (this) {
                case MEMORY: b.memory((MemorySize) v); break;
                case RESERVATION: b.memoryReservation((MemorySize) v); break;
                case SWAP: b.memorySwap((SwapLimit) v); break;
                case SWAPPINESS: b.memorySwappiness((Integer) v); break;
                case CPU: b.cpu((CpuLimit) v); break;
                case SHARES: b.cpuShares((Integer) v); break;
                case CPUSET_CPUS: b.cpusetCpus((CpuSet) v); break;
                case CPUSET_MEMS: b.cpusetMems((CpuSet) v); break;
                case PIDS: b.pidsLimit((PidsLimit) v); break;
                case BLKIO: b.blkioWeight((Integer) v); break;
                case OOM: b.oomKillDisable((Boolean) v); break;
                case SHM: b.shmSize((MemorySize) v); break;
                default: throw new AssertionError(this);
            }
            try {
                return b.build();
            } catch (InvalidLimitsException e) {
                return null;
            }
        }
    }

    /**
     * Limits asked for, with {@code field} set, and the limits the daemon applied instead: the same
     * but for that field, which has another value or none.
     */
    record Change(ResourceLimits asked, Field field, ResourceLimits applied, EngineChoice engine) {
        static Change of(ResourceLimits base, Field field, Object asked, Object applied, EngineChoice engine) {
            if (asked == null) {
                return null;
            }
            ResourceLimits a = field.with(base, asked);
            ResourceLimits b = field.with(base, applied);
            return a == null || b == null ? null : new Change(a, field, b, engine);
        }

        /**
         * The keys compare() must report, by the model: those set in the request whose value, less
         * the engine's defaults, differs from what was applied, less the engine's defaults; a CPU
         * limit of the same amount in the other form counts as equal. Changing mem_limit can change
         * memswap_limit's reading too (twice the memory is the default).
         */
        List<String> expectedMismatches() {
            Map<String, Object> want = expectedReadBack(asked, engine).toDockerPy();
            ResourceLimits effective = expectedReadBack(applied, engine);
            if (asked.cpu().isPresent() && effective.cpu().isPresent()
                    && asked.cpu().get().isQuotaForm() != effective.cpu().get().isQuotaForm()
                    && asked.cpu().get().compareTo(effective.cpu().get()) == 0) {
                effective = effective.toBuilder().cpu(asked.cpu().get()).build();
            }
            Map<String, Object> got = effective.toDockerPy();
            List<String> keys = new ArrayList<>();
            for (String key : asked.toDockerPy().keySet()) {
                if (!Objects.equals(want.get(key), got.get(key))) {
                    keys.add(key);
                }
            }
            return keys;
        }

        boolean visible() {
            return expectedMismatches().stream().anyMatch(field.keys::contains);
        }
    }

    @Provide
    Arbitrary<Change> changes() {
        return Combinators.combine(LimitsGenerators.limits(), Arbitraries.of(Field.class), Arbitraries.of(EngineChoice.class))
                .flatAs((base, field, engine) -> Combinators.combine(field.candidates(base), field.candidates(base).injectNull(0.2))
                        .as((asked, applied) -> Change.of(base, field, asked, applied, engine)))
                .filter(Objects::nonNull);
    }

    /** With the request at hand (the label create writes), the read-back is the request itself. */
    @Property
    void asAsked_givesTheRequestBack_whenTheDaemonHoldsWhatWasAsked(@ForAll("limits") ResourceLimits limits,
            @ForAll EngineChoice engine) {
        ResourceLimits effective = read(apply(limits), engine);
        assertThat(HostConfigMapping.asAsked(limits, effective, engine.engine)).isEqualTo(limits);
    }

    @Example
    void asAsked_keepsAnExplicitSwapOfTwiceTheMemory_andTakesTheDaemonsValueWhereItDiffers() {
        ResourceLimits asked = ResourceLimits.parse("mem_limit=1g,memswap_limit=2g,cpu_shares=512,shm_size=64m");
        ResourceLimits effective = DockerLimits.fromHostConfig(DockerLimits.applyTo(new HostConfig(), asked));
        assertThat(effective.toString()).isEqualTo("mem_limit=1g,cpu_shares=512");
        assertThat(HostConfigMapping.asAsked(asked, effective, null)).isEqualTo(asked);
        // Memory changed live (and its swap with it): memory and memory+swap both as the daemon holds them.
        ResourceLimits updated = ResourceLimits.parse("mem_limit=2g,cpu_shares=1024");
        assertThat(HostConfigMapping.asAsked(asked, updated, null).toString())
                .isEqualTo("mem_limit=2g,cpu_shares=1024,shm_size=64m");
    }

    @Property
    void compare_findsAMismatchWhenTheDaemonAppliedOneFieldOtherwise(@ForAll("changes") Change change) {
        ResourceLimits effective = read(apply(change.applied()), change.engine());
        List<Mismatch> mismatches = HostConfigMapping.compare(change.asked(), effective, change.engine().engine);

        assertThat(mismatches).extracting(Mismatch::field).containsExactlyElementsOf(change.expectedMismatches());
        boolean visible = change.visible();
        if (visible) {
            assertThat(mismatches).extracting(Mismatch::field).containsAnyElementsOf(change.field().keys);
        }
        for (Mismatch m : mismatches) {
            assertThat(m.requested()).as(m.toString()).isNotEqualTo("not set");
            boolean swapOfChangedMemory = change.field() == Field.MEMORY && m.field().equals("memswap_limit");
            if (!swapOfChangedMemory) {
                // A mismatch shows two different values; with mem_limit changed, memswap_limit need not
                // (see swapOfAChangedMemory_isJudgedAgainstTheNewMemorysDefault).
                assertThat(m.effective()).as(m.toString()).isNotEqualTo(m.requested());
            }
        }
        Statistics.label("field").collect(change.field());
        Statistics.label("visible").collect(visible);
        Statistics.label("visible").coverage(c -> c.check(true).percentage(p -> p > 50));
    }

    // ------------------------------------------------------------------------------ examples

    @Example
    void noLimits_leaveAFreshHostConfigAsItIs_andReadBackAsNone() {
        assertThat(apply(ResourceLimits.none())).isEqualTo(new HostConfig());
        for (EngineChoice engine : EngineChoice.values()) {
            assertThat(read(new HostConfig(), engine)).isEqualTo(ResourceLimits.none());
        }
    }

    @Example
    void memorySwap_isTheTotal_minusOneForUnlimited_andTwiceTheMemoryIsTheDaemonsDefault() {
        assertThat(apply(ResourceLimits.parse("mem_limit=1g,memswap_limit=3g")).getMemorySwap()).isEqualTo(3L << 30);
        assertThat(apply(ResourceLimits.parse("mem_limit=1g,memswap_limit=1g")).getMemorySwap()).isEqualTo(1L << 30);
        assertThat(apply(ResourceLimits.parse("mem_limit=1g,memswap_limit=unlimited")).getMemorySwap()).isEqualTo(-1L);
        assertThat(apply(ResourceLimits.parse("mem_limit=1g")).getMemorySwap()).isNull();
        ResourceLimits twice = ResourceLimits.parse("mem_limit=1g,memswap_limit=2g");
        assertThat(apply(twice).getMemorySwap()).isEqualTo(2L << 30);
        assertThat(read(apply(twice), EngineChoice.DOCKER)).isEqualTo(ResourceLimits.parse("mem_limit=1g"));
        assertThat(HostConfigMapping.compare(twice, ResourceLimits.parse("mem_limit=1g"))).isEmpty();
        // Docker's inspect: 0 for no swap limit, -1 for unlimited.
        assertThat(read(new HostConfig().withMemory(1L << 30).withMemorySwap(0L), EngineChoice.DOCKER))
                .isEqualTo(ResourceLimits.parse("mem_limit=1g"));
        assertThat(read(new HostConfig().withMemory(1L << 30).withMemorySwap(-1L), EngineChoice.DOCKER))
                .isEqualTo(ResourceLimits.parse("mem_limit=1g,memswap_limit=unlimited"));
    }

    @Example
    void pidsLimit_minusOneAndZeroAndNone_readAsNotSet() {
        assertThat(apply(ResourceLimits.parse("pids_limit=unlimited")).getPidsLimit()).isEqualTo(-1L);
        assertThat(apply(ResourceLimits.parse("pids_limit=1")).getPidsLimit()).isEqualTo(1L);
        for (Long pids : new Long[] {-1L, 0L, null}) {
            assertThat(read(new HostConfig().withPidsLimit(pids), EngineChoice.DOCKER)).as("PidsLimit %s", pids)
                    .isEqualTo(ResourceLimits.none());
        }
        assertThat(read(new HostConfig().withPidsLimit(1L), EngineChoice.DOCKER)).isEqualTo(ResourceLimits.parse("pids_limit=1"));
        // Asked unlimited, reported unlimited (or 0): no mismatch.
        assertThat(HostConfigMapping.compare(ResourceLimits.parse("pids_limit=-1"), ResourceLimits.none())).isEmpty();
    }

    @Example
    void cpu_nanoCpusOrQuotaAndPeriod_andSettingOneFormClearsTheOther() {
        HostConfig hc = apply(ResourceLimits.parse("nano_cpus=1500000000"));
        assertThat(hc.getNanoCPUs()).isEqualTo(1_500_000_000L);
        assertThat(hc.getCpuQuota()).isNull();
        assertThat(hc.getCpuPeriod()).isNull();
        HostConfigMapping.applyTo(hc, ResourceLimits.parse("cpu_quota=250000,cpu_period=100000"));
        assertThat(hc.getNanoCPUs()).isNull();
        assertThat(hc.getCpuQuota()).isEqualTo(250_000L);
        assertThat(hc.getCpuPeriod()).isEqualTo(100_000L);
        HostConfigMapping.applyTo(hc, ResourceLimits.parse("nano_cpus=500000000"));
        assertThat(hc.getNanoCPUs()).isEqualTo(500_000_000L);
        assertThat(hc.getCpuQuota()).isNull();
        assertThat(hc.getCpuPeriod()).isNull();
        // A quota without a period reads with the kernel's default period.
        assertThat(read(new HostConfig().withCpuQuota(50_000L).withCpuPeriod(0L), EngineChoice.DOCKER))
                .isEqualTo(ResourceLimits.parse("cpu_quota=50000,cpu_period=100000"));
    }

    @Example
    void cpusets_areWrittenInTheKernelsListFormat() {
        HostConfig hc = apply(ResourceLimits.builder().cpusetCpus(CpuSet.of(5, 0, 1, 2, 3, 7, 8))
                .cpusetMems(CpuSet.of(1)).build());
        assertThat(hc.getCpusetCpus()).isEqualTo("0-3,5,7-8");
        assertThat(hc.getCpusetMems()).isEqualTo("1");
        assertThat(read(new HostConfig().withCpusetCpus("").withCpusetMems(""), EngineChoice.DOCKER))
                .isEqualTo(ResourceLimits.none());
    }

    @Example
    void shmSize_theEnginesDefaultReadsAsNotSet_anyOtherAsSet() {
        assertThat(apply(ResourceLimits.parse("shm_size=128m")).getShmSize()).isEqualTo(128L << 20);
        assertThat(read(new HostConfig().withShmSize(64L << 20), EngineChoice.DOCKER)).isEqualTo(ResourceLimits.none());
        assertThat(read(new HostConfig().withShmSize(65_536_000L), EngineChoice.PODMAN)).isEqualTo(ResourceLimits.none());
        assertThat(read(new HostConfig().withShmSize(65_536_000L), EngineChoice.DOCKER))
                .isEqualTo(ResourceLimits.builder().shmSize(MemorySize.ofBytes(65_536_000L)).build());
        assertThat(read(new HostConfig().withShmSize(0L), EngineChoice.DOCKER)).isEqualTo(ResourceLimits.none());
    }

    @Example
    void podmansInspectOfAContainerCreatedWithoutLimits_readsAsItsOwnPidsLimitOnly() {
        HostConfig podman = podmanInspect(ResourceLimits.none());
        assertThat(podman.getPidsLimit()).isEqualTo(2048L);
        assertThat(podman.getMemorySwappiness()).isZero();
        assertThat(read(podman, EngineChoice.PODMAN)).isEqualTo(ResourceLimits.parse("pids_limit=2048"));
        // Read as Docker's, Podman's defaults are limits.
        assertThat(read(podman, EngineChoice.DOCKER))
                .isEqualTo(ResourceLimits.parse("pids_limit=2048,mem_swappiness=0,shm_size=65536000b"));
        assertThat(read(dockerInspect(ResourceLimits.none()), EngineChoice.DOCKER)).isEqualTo(ResourceLimits.none());
    }

    /**
     * Current behaviour, pinned so that a change to it is deliberate (the property's model follows it
     * too): with mem_limit applied otherwise, memswap_limit is judged against the new memory's default
     * of twice it, so a swap applied exactly as asked is reported beside the memory, its two sides
     * reading the same.
     */
    @Example
    void swapOfAChangedMemory_isJudgedAgainstTheNewMemorysDefault() {
        ResourceLimits asked = ResourceLimits.parse("mem_limit=1g,memswap_limit=2g");
        ResourceLimits effective = read(apply(ResourceLimits.parse("mem_limit=2g,memswap_limit=2g")), EngineChoice.DOCKER);
        assertThat(HostConfigMapping.compare(asked, effective, EngineChoice.DOCKER.engine)).containsExactly(
                new Mismatch("mem_limit", "1g", "2g"), new Mismatch("memswap_limit", "2g", "2g"));
    }
}
