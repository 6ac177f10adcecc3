package org.containerlimits.docker;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.containerlimits.core.CpuLimit;
import org.containerlimits.core.CpuSet;
import org.containerlimits.core.MemorySize;
import org.containerlimits.core.PidsLimit;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.SwapLimit;

/**
 * jqwik generators of valid {@link ResourceLimits} for this module's property tests, modelled on
 * limits-core's {@code LimitsArbitraries} (package-private in limits-core's test sources, so not
 * reachable from here). Besides the full ranges they make frequent the values Docker's encodings
 * treat specially: no field set, the smallest and largest sizes, a memory+swap of exactly the memory
 * and of twice it (the daemon's default), unlimited swap and pids, a pids limit of 1, the smallest
 * CPU amounts and periods, swappiness 0, OOM killer enabled ({@code false}), and the engines' default
 * {@code /dev/shm} sizes.
 */
final class LimitsGenerators {
    static final long MIB = 1L << 20;
    static final long GIB = 1L << 30;
    static final long MIN_MEMORY = ResourceLimits.MIN_MEMORY.toBytes();
    /** Docker's default /dev/shm, 64 MiB. */
    static final long DOCKER_DEFAULT_SHM = 64L * MIB;
    /** Podman's default /dev/shm, its "64m" of 64,000 KiB. */
    static final long PODMAN_DEFAULT_SHM = 65_536_000L;

    private LimitsGenerators() {
    }

    // --------------------------------------------------------------------------- sizes

    /** Sizes from {@code min} to {@code max} bytes: anywhere, small, whole MiB, and both ends. */
    static Arbitrary<MemorySize> sizes(long min, long max) {
        List<Arbitrary<Long>> choices = new ArrayList<>();
        choices.add(Arbitraries.longs().between(min, max));
        choices.add(Arbitraries.longs().between(min, Math.min(max, Math.max(min, 64 * GIB))));
        choices.add(Arbitraries.of(min, max));
        long lowMib = min / MIB + (min % MIB == 0 ? 0 : 1);
        long highMib = max / MIB;
        if (lowMib <= highMib) {
            choices.add(Arbitraries.longs().between(lowMib, Math.min(highMib, lowMib + 65_536)).map(n -> n * MIB));
        }
        return Arbitraries.oneOf(choices).map(MemorySize::ofBytes);
    }

    /** Memory+swap totals for a memory limit: unlimited, exactly the memory, twice it, or more. */
    static Arbitrary<SwapLimit> swaps(MemorySize memory) {
        if (memory == null) {
            return Arbitraries.just(SwapLimit.UNLIMITED);
        }
        long m = memory.toBytes();
        List<Arbitrary<SwapLimit>> choices = new ArrayList<>();
        choices.add(Arbitraries.just(SwapLimit.UNLIMITED));
        choices.add(Arbitraries.just(SwapLimit.of(memory)));
        choices.add(sizes(m, Long.MAX_VALUE).map(SwapLimit::of));
        if (m <= Long.MAX_VALUE / 2) {
            choices.add(Arbitraries.just(SwapLimit.of(MemorySize.ofBytes(2 * m))));
        }
        return Arbitraries.oneOf(choices);
    }

    static Arbitrary<MemorySize> shmSizes() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, sizes(1, Long.MAX_VALUE)),
                Tuple.of(1, Arbitraries.of(DOCKER_DEFAULT_SHM, PODMAN_DEFAULT_SHM, 1L, 128 * MIB).map(MemorySize::ofBytes)));
    }

    // --------------------------------------------------------------------------- CPU

    /** Nano-CPU amounts from {@code min} to {@code max}: anywhere, up to 64 cores, whole hundredths. */
    static Arbitrary<Long> nanoCpus(long min, long max) {
        long hundredth = CpuLimit.NANOS_PER_CORE / 100;
        List<Arbitrary<Long>> choices = new ArrayList<>();
        choices.add(Arbitraries.longs().between(min, max));
        choices.add(Arbitraries.longs().between(min, Math.min(max, Math.max(min, 64 * CpuLimit.NANOS_PER_CORE))));
        choices.add(Arbitraries.of(min, max));
        long low = min / hundredth + (min % hundredth == 0 ? 0 : 1);
        long high = max / hundredth;
        if (low <= high) {
            choices.add(Arbitraries.longs().between(low, Math.min(high, low + 6400)).map(n -> n * hundredth));
        }
        return Arbitraries.oneOf(choices);
    }

    static Arbitrary<Long> periods() {
        return Arbitraries.oneOf(List.of(
                Arbitraries.longs().between(CpuLimit.MIN_PERIOD_MICROS, CpuLimit.MAX_PERIOD_MICROS),
                Arbitraries.of(CpuLimit.MIN_PERIOD_MICROS, CpuLimit.DEFAULT_PERIOD_MICROS, CpuLimit.MAX_PERIOD_MICROS)));
    }

    /** CPU limits of at most {@code maxCores}, in either form. */
    static Arbitrary<CpuLimit> cpuLimits(long maxCores) {
        return Arbitraries.oneOf(List.of(nanoCpuLimits(maxCores), quotaCpuLimits(maxCores)));
    }

    /** Nano-CPU limits from 0.01 core to {@code maxCores}. */
    static Arbitrary<CpuLimit> nanoCpuLimits(long maxCores) {
        long maxNanos = maxCores > Long.MAX_VALUE / CpuLimit.NANOS_PER_CORE ? Long.MAX_VALUE
                : maxCores * CpuLimit.NANOS_PER_CORE;
        return nanoCpus(CpuLimit.MIN_NANO_CPUS, maxNanos).map(CpuLimit::ofNanoCpus);
    }

    /** Quotas from 1000 us to {@code maxCores} times the period. */
    static Arbitrary<CpuLimit> quotaCpuLimits(long maxCores) {
        return periods().flatMap(period -> {
            long maxQuota = maxCores > Long.MAX_VALUE / period ? Long.MAX_VALUE : maxCores * period;
            return Arbitraries.oneOf(List.of(
                    Arbitraries.longs().between(CpuLimit.MIN_QUOTA_MICROS, maxQuota),
                    Arbitraries.longs().between(CpuLimit.MIN_QUOTA_MICROS, Math.min(maxQuota, 4 * period)),
                    Arbitraries.of(CpuLimit.MIN_QUOTA_MICROS, maxQuota)))
                    .map(q -> CpuLimit.ofQuota(q, period));
        });
    }

    static Arbitrary<CpuLimit> cpuLimits() {
        return cpuLimits(Long.MAX_VALUE);
    }

    // --------------------------------------------------------------------------- cpuset, pids

    /** Non-empty sets of numbers from 0 to {@code maxIndex}. */
    static Arbitrary<CpuSet> cpuSets(int maxIndex) {
        int smallMax = Math.min(63, maxIndex);
        Arbitrary<CpuSet> small = Arbitraries.integers().between(0, smallMax).set().ofMinSize(1)
                .ofMaxSize(Math.min(8, smallMax + 1))
                .map(set -> CpuSet.of(set.stream().mapToInt(Integer::intValue).toArray()));
        Arbitrary<CpuSet> range = Combinators.combine(Arbitraries.integers().between(0, maxIndex),
                Arbitraries.integers().between(0, 64))
                .as((start, length) -> CpuSet.parse(start + "-" + Math.min(maxIndex, start + length)));
        Arbitrary<CpuSet> first = Arbitraries.integers().between(1, maxIndex + 1).map(CpuSet::firstN);
        return Arbitraries.frequencyOf(
                Tuple.of(4, small),
                Tuple.of(3, range),
                Tuple.of(1, first),
                Tuple.of(1, Arbitraries.of(CpuSet.of(0), CpuSet.of(maxIndex), CpuSet.firstN(maxIndex + 1))));
    }

    static Arbitrary<PidsLimit> pidsLimits() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(PidsLimit.UNLIMITED)),
                Tuple.of(2, Arbitraries.of(PidsLimit.of(1), PidsLimit.of(2048), PidsLimit.of(Long.MAX_VALUE))),
                Tuple.of(3, Arbitraries.longs().between(1, 100_000).map(PidsLimit::of)),
                Tuple.of(2, Arbitraries.longs().between(1, Long.MAX_VALUE).map(PidsLimit::of)));
    }

    static Arbitrary<Integer> swappiness() {
        return Arbitraries.oneOf(List.of(Arbitraries.integers().between(0, 100), Arbitraries.of(0, 60, 100)));
    }

    static Arbitrary<Integer> cpuShares() {
        return Arbitraries.oneOf(List.of(
                Arbitraries.integers().between(ResourceLimits.MIN_CPU_SHARES, ResourceLimits.MAX_CPU_SHARES),
                Arbitraries.of(ResourceLimits.MIN_CPU_SHARES, 1024, ResourceLimits.MAX_CPU_SHARES)));
    }

    static Arbitrary<Integer> blkioWeights() {
        return Arbitraries.oneOf(List.of(
                Arbitraries.integers().between(ResourceLimits.MIN_BLKIO_WEIGHT, ResourceLimits.MAX_BLKIO_WEIGHT),
                Arbitraries.of(ResourceLimits.MIN_BLKIO_WEIGHT, 500, ResourceLimits.MAX_BLKIO_WEIGHT)));
    }

    /** One to three distinct devices under /dev with values from min to max. */
    static Arbitrary<List<org.containerlimits.core.DeviceLimit>> devices(long min, long max) {
        return Arbitraries.of("/dev/sda", "/dev/sdb", "/dev/vda", "/dev/nvme0n1", "/dev/mapper/vg-root")
                .list().ofMinSize(1).ofMaxSize(3).uniqueElements()
                .flatMap(paths -> Arbitraries.longs().between(min, max).list().ofSize(paths.size())
                        .map(values -> {
                            List<org.containerlimits.core.DeviceLimit> out = new java.util.ArrayList<>();
                            for (int i = 0; i < paths.size(); i++) {
                                out.add(org.containerlimits.core.DeviceLimit.of(paths.get(i), values.get(i)));
                            }
                            return out;
                        }));
    }

    /** One to three ulimits of distinct names. */
    static Arbitrary<List<org.containerlimits.core.Ulimit>> ulimits() {
        return Combinators.combine(Arbitraries.of(org.containerlimits.core.Ulimit.NAMES),
                        Arbitraries.longs().between(0, Long.MAX_VALUE), Arbitraries.longs().between(0, Long.MAX_VALUE))
                .as((name, a, b) -> org.containerlimits.core.Ulimit.of(name, Math.min(a, b), Math.max(a, b)))
                .list().ofMinSize(1).ofMaxSize(3).uniqueElements(org.containerlimits.core.Ulimit::name);
    }

    // --------------------------------------------------------------------------- ResourceLimits

    /** Valid limits, every field of the model optional; now and then none at all. */
    static Arbitrary<ResourceLimits> limits() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(ResourceLimits.none())),
                Tuple.of(19, someLimits()));
    }

    private static Arbitrary<ResourceLimits> someLimits() {
        return sizes(MIN_MEMORY, Long.MAX_VALUE).injectNull(0.3).flatMap(memory -> {
            long maxReservation = memory == null ? Long.MAX_VALUE : memory.toBytes();
            List<Arbitrary<Consumer<ResourceLimits.Builder>>> fields = List.of(
                    setter(sizes(MIN_MEMORY, maxReservation), ResourceLimits.Builder::memoryReservation),
                    setter(swaps(memory), ResourceLimits.Builder::memorySwap),
                    setter(swappiness(), ResourceLimits.Builder::memorySwappiness),
                    setter(cpuLimits(), ResourceLimits.Builder::cpu),
                    setter(cpuShares(), ResourceLimits.Builder::cpuShares),
                    setter(cpuSets(CpuSet.MAX_INDEX), ResourceLimits.Builder::cpusetCpus),
                    setter(cpuSets(CpuSet.MAX_INDEX), ResourceLimits.Builder::cpusetMems),
                    setter(pidsLimits(), ResourceLimits.Builder::pidsLimit),
                    setter(blkioWeights(), ResourceLimits.Builder::blkioWeight),
                    setter(Arbitraries.of(true, false), ResourceLimits.Builder::oomKillDisable),
                    setter(shmSizes(), ResourceLimits.Builder::shmSize),
                    setter(devices(1, Long.MAX_VALUE), ResourceLimits.Builder::deviceReadBps),
                    setter(devices(1, Long.MAX_VALUE), ResourceLimits.Builder::deviceWriteBps),
                    setter(devices(1, Long.MAX_VALUE), ResourceLimits.Builder::deviceReadIops),
                    setter(devices(1, Long.MAX_VALUE), ResourceLimits.Builder::deviceWriteIops),
                    setter(devices(10, 1000), ResourceLimits.Builder::blkioWeightDevice),
                    setter(Arbitraries.integers().between(-1000, 1000).filter(n -> n != 0),
                            ResourceLimits.Builder::oomScoreAdj),
                    setter(ulimits(), ResourceLimits.Builder::ulimits));
            return Combinators.combine(fields).as(setters -> {
                ResourceLimits.Builder b = ResourceLimits.builder().memory(memory);
                setters.forEach(s -> s.accept(b));
                return b.build();
            });
        });
    }

    /** Sets the field to one of the values, or leaves it unset (40%). */
    static <T> Arbitrary<Consumer<ResourceLimits.Builder>> setter(Arbitrary<T> values,
            BiConsumer<ResourceLimits.Builder, T> set) {
        return values.injectNull(0.4).map(v -> b -> set.accept(b, v));
    }

    /** Leaves the field unset. */
    static Arbitrary<Consumer<ResourceLimits.Builder>> unset() {
        return Arbitraries.just(b -> { });
    }
}
