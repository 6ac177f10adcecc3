package org.containerlimits.core;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** jqwik generators of every value type, valid by construction, and of raw inputs. */
public final class LimitsArbitraries {
    public static final long KIB = 1024L;
    public static final long[] BINARY_UNITS = {KIB, KIB << 10, KIB << 20, KIB << 30, KIB << 40, KIB << 50};

    /** Characters the grammars care about, so random text often gets far into a parse. */
    public static final String GRAMMAR_CHARS = "0123456789.,-+%/ =_eEiIbBkKmMgGtTpPuUsnlx#\t\u212A\u0131\u017F\u00A0";

    private LimitsArbitraries() {
    }

    // --------------------------------------------------------------------------- memory

    /** Sizes from {@code min} to {@code max} bytes, often whole multiples of a binary unit. */
    public static Arbitrary<MemorySize> memorySizes(long min, long max) {
        List<Arbitrary<? extends Long>> choices = new ArrayList<>();
        choices.add(Arbitraries.longs().between(min, max));
        choices.add(Arbitraries.longs().between(min, Math.min(max, Math.max(min, 100_000_000L))));
        choices.add(Arbitraries.of(min, max));
        for (long unit : BINARY_UNITS) {
            long low = min / unit + (min % unit == 0 ? 0 : 1);
            long high = max / unit;
            if (low <= high) {
                choices.add(Arbitraries.longs().between(low, high).map(n -> n * unit));
                choices.add(Arbitraries.longs().between(low, Math.min(high, low + 4096)).map(n -> n * unit));
            }
        }
        return Arbitraries.oneOf(choices).map(MemorySize::ofBytes);
    }

    public static Arbitrary<MemorySize> memorySizes() {
        return memorySizes(0, Long.MAX_VALUE);
    }

    public static Arbitrary<SwapLimit> swapLimits(long min) {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(SwapLimit.UNLIMITED)),
                Tuple.of(4, memorySizes(min, Long.MAX_VALUE).map(SwapLimit::of)));
    }

    // --------------------------------------------------------------------------- CPU

    /** Nano-CPU amounts from 0.01 core up, often round numbers of cores, percent or millicores. */
    public static Arbitrary<Long> nanoCpus() {
        return Arbitraries.oneOf(List.of(
                Arbitraries.longs().between(CpuLimit.MIN_NANO_CPUS, Long.MAX_VALUE),
                Arbitraries.longs().between(CpuLimit.MIN_NANO_CPUS, 1_000L * CpuLimit.NANOS_PER_CORE),
                Arbitraries.longs().between(1, 100_000).map(n -> n * 10_000_000L),
                Arbitraries.longs().between(10, 1_000_000).map(n -> n * 1_000_000L),
                Arbitraries.longs().between(1, 1000).map(n -> n * CpuLimit.NANOS_PER_CORE)));
    }

    public static Arbitrary<CpuLimit> nanoCpuLimits() {
        return nanoCpus().map(CpuLimit::ofNanoCpus);
    }

    public static Arbitrary<Long> quotas() {
        return Arbitraries.oneOf(List.of(
                Arbitraries.longs().between(CpuLimit.MIN_QUOTA_MICROS, Long.MAX_VALUE),
                Arbitraries.longs().between(CpuLimit.MIN_QUOTA_MICROS, 100_000_000L)));
    }

    public static Arbitrary<Long> periods() {
        return Arbitraries.longs().between(CpuLimit.MIN_PERIOD_MICROS, CpuLimit.MAX_PERIOD_MICROS);
    }

    public static Arbitrary<CpuLimit> quotaCpuLimits() {
        return Combinators.combine(quotas(), periods()).as(CpuLimit::ofQuota);
    }

    public static Arbitrary<CpuLimit> cpuLimits() {
        return Arbitraries.oneOf(List.of(nanoCpuLimits(), quotaCpuLimits()));
    }

    // --------------------------------------------------------------------------- cpuset, pids

    public static Arbitrary<CpuSet> cpuSets() {
        Arbitrary<int[]> range = Combinators.combine(
                Arbitraries.integers().between(0, CpuSet.MAX_INDEX),
                Arbitraries.integers().between(0, 64))
                .as((start, length) -> new int[] {start, Math.min(CpuSet.MAX_INDEX, start + length)});
        Arbitrary<CpuSet> ranges = range.list().ofMinSize(1).ofMaxSize(8).map(list -> {
            List<Integer> members = new ArrayList<>();
            for (int[] r : list) {
                for (int n = r[0]; n <= r[1]; n++) {
                    members.add(n);
                }
            }
            return CpuSet.of(members.stream().mapToInt(Integer::intValue).toArray());
        });
        Arbitrary<CpuSet> small = Arbitraries.integers().between(0, 63).set().ofMinSize(1).ofMaxSize(10)
                .map(set -> CpuSet.of(set.stream().mapToInt(Integer::intValue).toArray()));
        return Arbitraries.frequencyOf(
                Tuple.of(4, ranges),
                Tuple.of(4, small),
                Tuple.of(1, Arbitraries.integers().between(1, CpuSet.MAX_INDEX + 1).map(CpuSet::firstN)));
    }

    public static Arbitrary<PidsLimit> pidsLimits() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(PidsLimit.UNLIMITED)),
                Tuple.of(4, Arbitraries.longs().between(1, Long.MAX_VALUE).map(PidsLimit::of)));
    }

    /** Device paths: short, long, with digits and sub-directories, as /dev has them. */
    public static Arbitrary<String> devicePaths() {
        return Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789-_./").ofMinLength(1).ofMaxLength(12)
                .map(s -> "/dev/" + s);
    }

    /** One to three devices, each once, with values between min and max. */
    public static Arbitrary<List<DeviceLimit>> deviceLimits(long min, long max) {
        return Arbitraries.longs().between(min, max).list().ofMinSize(1).ofMaxSize(3).flatMap(values ->
                devicePaths().list().ofSize(values.size()).uniqueElements().map(paths -> {
                    List<DeviceLimit> out = new java.util.ArrayList<>();
                    for (int i = 0; i < values.size(); i++) {
                        out.add(DeviceLimit.of(paths.get(i), values.get(i)));
                    }
                    return out;
                }));
    }

    /** One to three ulimits of distinct names, soft at most hard. */
    public static Arbitrary<List<Ulimit>> ulimits() {
        Arbitrary<Ulimit> one = Combinators.combine(Arbitraries.of(Ulimit.NAMES), Arbitraries.longs().between(0, Long.MAX_VALUE),
                Arbitraries.longs().between(0, Long.MAX_VALUE))
                .as((name, a, b) -> Ulimit.of(name, Math.min(a, b), Math.max(a, b)));
        return one.list().ofMinSize(1).ofMaxSize(3).uniqueElements(Ulimit::name);
    }

    // --------------------------------------------------------------------------- ResourceLimits

    /** Valid limits: every field optional, the dependent ones consistent with mem_limit. */
    public static Arbitrary<ResourceLimits> resourceLimits() {
        long min = ResourceLimits.MIN_MEMORY.toBytes();
        return memorySizes(min, Long.MAX_VALUE).injectNull(0.3).flatMap(memory -> {
            long maxReservation = memory == null ? Long.MAX_VALUE : memory.toBytes();
            Arbitrary<SwapLimit> swap = memory == null
                    ? Arbitraries.just(SwapLimit.UNLIMITED) : swapLimits(memory.toBytes());
            List<Arbitrary<Consumer<ResourceLimits.Builder>>> fields = List.of(
                    setter(memorySizes(min, maxReservation), ResourceLimits.Builder::memoryReservation),
                    setter(swap, ResourceLimits.Builder::memorySwap),
                    setter(Arbitraries.integers().between(0, 100), ResourceLimits.Builder::memorySwappiness),
                    setter(cpuLimits(), ResourceLimits.Builder::cpu),
                    setter(Arbitraries.integers().between(ResourceLimits.MIN_CPU_SHARES, ResourceLimits.MAX_CPU_SHARES),
                            ResourceLimits.Builder::cpuShares),
                    setter(cpuSets(), ResourceLimits.Builder::cpusetCpus),
                    setter(cpuSets(), ResourceLimits.Builder::cpusetMems),
                    setter(pidsLimits(), ResourceLimits.Builder::pidsLimit),
                    setter(Arbitraries.integers().between(ResourceLimits.MIN_BLKIO_WEIGHT,
                            ResourceLimits.MAX_BLKIO_WEIGHT), ResourceLimits.Builder::blkioWeight),
                    setter(Arbitraries.of(true, false), ResourceLimits.Builder::oomKillDisable),
                    setter(memorySizes(1, Long.MAX_VALUE), ResourceLimits.Builder::shmSize),
                    setter(deviceLimits(1, Long.MAX_VALUE), ResourceLimits.Builder::deviceReadBps),
                    setter(deviceLimits(1, Long.MAX_VALUE), ResourceLimits.Builder::deviceWriteBps),
                    setter(deviceLimits(1, Long.MAX_VALUE), ResourceLimits.Builder::deviceReadIops),
                    setter(deviceLimits(1, Long.MAX_VALUE), ResourceLimits.Builder::deviceWriteIops),
                    setter(deviceLimits(10, 1000), ResourceLimits.Builder::blkioWeightDevice),
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

    private static <T> Arbitrary<Consumer<ResourceLimits.Builder>> setter(Arbitrary<T> values,
            BiConsumer<ResourceLimits.Builder, T> set) {
        return values.injectNull(0.4).map(v -> b -> set.accept(b, v));
    }

    // --------------------------------------------------------------------------- raw inputs

    /** Random text: mostly grammar characters, sometimes any character at all. */
    public static Arbitrary<String> randomText() {
        return Arbitraries.oneOf(List.of(
                Arbitraries.strings().withChars(GRAMMAR_CHARS).ofMaxLength(30),
                Arbitraries.strings().all().ofMaxLength(12)));
    }

    /** Random docker-py keyword maps: known and unknown keys, values of every plausible type. */
    public static Arbitrary<Map<String, Object>> randomKeywords() {
        List<String> keys = new ArrayList<>(Limit.keywords());
        keys.add("privileged");
        keys.add("binds");
        keys.add("");
        Arbitrary<Object> values = Arbitraries.oneOf(List.of(
                randomText(),
                Arbitraries.of("1g", "512m", "-1", "unlimited", "0-3,5", "0", "250000us/100000us", "true"),
                Arbitraries.integers(),
                Arbitraries.integers().between(-2, 300_000),
                Arbitraries.longs(),
                Arbitraries.doubles(),
                Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, -0.0, 1.5, 1e300, 128.0, 6291456.0),
                Arbitraries.bigIntegers().between(BigInteger.TWO.pow(70).negate(), BigInteger.TWO.pow(70)),
                Arbitraries.of(new BigDecimal("1E+30"), new BigDecimal("1073741824.000"), new BigDecimal("0.5"),
                        new BigDecimal("-1"), new BigDecimal("1E+400")),
                Arbitraries.of(true, false),
                Arbitraries.just(List.of("/:/host"))));
        Arbitrary<Map.Entry<String, Object>> entry = Combinators.combine(Arbitraries.of(keys), values.injectNull(0.1))
                .as((k, v) -> new java.util.AbstractMap.SimpleEntry<>(k, v));
        return entry.list().ofMaxSize(6).map(list -> {
            Map<String, Object> map = new HashMap<>();
            list.forEach(e -> map.put(e.getKey(), e.getValue()));
            return map;
        });
    }
}
