package org.containerlimits.core;


import org.containerlimits.core.format.ComposeResources;
import org.containerlimits.core.format.Conversion;
import org.containerlimits.core.format.EngineHostConfig;
import org.containerlimits.core.format.KubernetesResources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.containerlimits.core.FuzzInputs.pick;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterProperty;
import org.containerlimits.core.FuzzInputs.Outcome;
import org.containerlimits.core.FuzzInputs.Quantity;
import org.containerlimits.core.FuzzInputs.Sample;
import org.containerlimits.core.FuzzInputs.Stats;

/**
 * Issue 7 for the other tools' formats: {@link EngineHostConfig#read}, {@link ComposeResources#read}
 * and {@link KubernetesResources#read}, 100,000 generated and mutated maps each, hostile at every
 * level of their shapes (a {@code null} map, unknown, null and non-string keys, sections of the
 * wrong type, leaves that are null, NaN, a BigDecimal of a billion digits, a list, a map, text with
 * Unicode digits). Only {@link InvalidLimitsException} comes out, its violations naming a key of the
 * input (as {@code limits.memory} and the like) and the value; accepted maps hold exactly the
 * numbers given (BigDecimal oracle: bytes, nano-CPUs, the kubelet's quota and shares) and
 * read back equal from what the writer makes of them.
 */
@Tag("reliability")
class FormatReadersFuzzTest {

    @AfterProperty
    void report() {
        FuzzInputs.report();
    }

    // ------------------------------------------------------------------------------ Engine

    static final Map<String, String> ENGINE = new LinkedHashMap<>();

    static {
        String[][] fields = {{"Memory", "mem_limit"}, {"MemoryReservation", "mem_reservation"},
            {"MemorySwap", "memswap_limit"}, {"MemorySwappiness", "mem_swappiness"}, {"NanoCpus", "nano_cpus"},
            {"CpuQuota", "cpu_quota"}, {"CpuPeriod", "cpu_period"}, {"CpuShares", "cpu_shares"},
            {"CpusetCpus", "cpuset_cpus"}, {"CpusetMems", "cpuset_mems"}, {"PidsLimit", "pids_limit"},
            {"BlkioWeight", "blkio_weight"}, {"OomKillDisable", "oom_kill_disable"}, {"ShmSize", "shm_size"},
            {"BlkioWeightDevice", "blkio_weight_device"}, {"BlkioDeviceReadBps", "device_read_bps"},
            {"BlkioDeviceWriteBps", "device_write_bps"}, {"BlkioDeviceReadIOps", "device_read_iops"},
            {"BlkioDeviceWriteIOps", "device_write_iops"}, {"OomScoreAdj", "oom_score_adj"}, {"Ulimits", "ulimits"}};
        for (String[] f : fields) {
            ENGINE.put(f[0], f[1]);
        }
    }

    @Property(tries = FuzzInputs.TRIES, generation = GenerationMode.RANDOMIZED)
    void engineHostConfigRead(@ForAll("engineMaps") Sample<Map<String, Object>> sample) {
        Stats stats = FuzzInputs.stats("EngineHostConfig.read");
        stats.input(sample);
        Map<String, Object> map = sample.value();
        Outcome<Conversion<ResourceLimits>> out = FuzzInputs.attempt(stats, () -> EngineHostConfig.read(map));
        if (checkRejection(out, map, "HostConfig", ENGINE.keySet())) {
            return;
        }
        ResourceLimits limits = out.value().value();
        map.forEach((field, v) -> {
            String keyword = ENGINE.get(field);
            BigDecimal n = FuzzInputs.exactOrText(v);
            // 0 and null are "not set", except MemorySwappiness, where -1 is; an empty cpuset too.
            boolean unset = v == null || "".equals(v) || v instanceof List<?> l && l.isEmpty() || n != null && n.compareTo(
                    BigDecimal.valueOf(keyword.equals("mem_swappiness") ? -1 : 0)) == 0;
            if (!unset) {
                FuzzInputs.assertKeyword(keyword, v, limits);
            }
        });
        assertThat(EngineHostConfig.read(EngineHostConfig.write(limits).value()).value()).isEqualTo(limits);
    }

    static Object engineValue(String field, Random r) {
        String keyword = ENGINE.getOrDefault(field, "x");
        if (keyword.startsWith("cpuset") || keyword.equals("oom_kill_disable")) {
            return KeywordMapFuzzTest.grammarValue(keyword, r);
        }
        return r.nextBoolean() ? FuzzInputs.hostileNumber(r) : FuzzInputs.retype(FuzzInputs.exactOrText(
                KeywordMapFuzzTest.grammarText(keyword.startsWith("mem") || keyword.equals("shm_size")
                        ? "pids_limit" : keyword, r)), r);
    }

    @Provide
    Arbitrary<Sample<Map<String, Object>>> engineMaps() {
        List<String> keys = new ArrayList<>(ENGINE.keySet());
        keys.addAll(List.of("Privileged", "Binds", "memory", "", "Memory\u0000", "NanoCPUs"));
        return FuzzInputs.samples(r -> flatMap(r, keys, FormatReadersFuzzTest::engineValue),
                FuzzInputs.pool(LimitsArbitraries.resourceLimits().map(l -> EngineHostConfig.write(l).value())),
                (m, r) -> mutate(m, r, keys, FormatReadersFuzzTest::engineValue));
    }

    // ------------------------------------------------------------------------------ Compose

    @Property(tries = FuzzInputs.TRIES, generation = GenerationMode.RANDOMIZED)
    void composeResourcesRead(@ForAll("composeMaps") Sample<Map<String, Object>> sample) {
        Stats stats = FuzzInputs.stats("ComposeResources.read");
        stats.input(sample);
        Map<String, Object> map = sample.value();
        Outcome<Conversion<ResourceLimits>> out = FuzzInputs.attempt(stats, () -> ComposeResources.read(map));
        if (checkRejection(out, map, "resources", List.of("limits.cpus", "limits.memory", "limits.pids",
                "reservations.memory"))) {
            return;
        }
        ResourceLimits limits = out.value().value();
        Map<String, Object> leaves = leaves(map);
        leaves.forEach((key, v) -> {
            switch (key) {
                case "limits.memory" -> FuzzInputs.assertKeyword("mem_limit", v, limits);
                case "reservations.memory" -> FuzzInputs.assertKeyword("mem_reservation", v, limits);
                case "limits.pids" -> FuzzInputs.assertKeyword("pids_limit", FuzzInputs.exactOrText(v), limits);
                case "limits.cpus" -> {
                    // Cores as a decimal (a double as its shortest decimal), exactly 10^9 nano-CPUs each.
                    BigDecimal cores = v instanceof String s ? new BigDecimal(s.strip())
                            : v instanceof Double || v instanceof Float ? BigDecimal.valueOf(((Number) v).doubleValue())
                            : FuzzInputs.exact(v);
                    if (v instanceof String s) {
                        assertThat(s.strip()).matches("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");
                    }
                    FuzzInputs.assertKeyword("nano_cpus", cores.scaleByPowerOfTen(9), limits);
                }
                default -> { }
            }
        });
        Conversion<Map<String, Object>> written = ComposeResources.write(limits);
        if (written.isComplete()) {
            assertThat(ComposeResources.read(written.value()).value()).isEqualTo(limits);
        }
    }

    static Object composeValue(String key, Random r) {
        return switch (key) {
            case "cpus" -> r.nextBoolean() ? CpuFuzzTest.cpuText(r).replace("%", "")
                    : FuzzInputs.hostileNumber(r);
            case "memory" -> r.nextBoolean() ? SizeFuzzTest.dockerSize(r) : FuzzInputs.hostileNumber(r);
            case "pids" -> FuzzInputs.hostileNumber(r);
            default -> FuzzInputs.hostileValue(r, FuzzInputs::number);
        };
    }

    @Provide
    Arbitrary<Sample<Map<String, Object>>> composeMaps() {
        List<String> sections = List.of("limits", "reservations", "limits", "Limits", "devices", "");
        List<String> keys = List.of("cpus", "memory", "pids", "devices", "generic_resources", "cpu", "mem", "");
        return FuzzInputs.samples(r -> nestedMap(r, sections, keys, FormatReadersFuzzTest::composeValue),
                FuzzInputs.pool(LimitsArbitraries.resourceLimits().map(l -> ComposeResources.write(l).value())),
                (m, r) -> mutateNested(m, r, sections, keys, FormatReadersFuzzTest::composeValue));
    }

    // ------------------------------------------------------------------------------ Kubernetes

    @Property(tries = FuzzInputs.TRIES, generation = GenerationMode.RANDOMIZED)
    void kubernetesResourcesRead(@ForAll("kubernetesMaps") Sample<Map<String, Object>> sample) {
        Stats stats = FuzzInputs.stats("KubernetesResources.read");
        stats.input(sample);
        Map<String, Object> map = sample.value();
        Outcome<Conversion<ResourceLimits>> out = FuzzInputs.attempt(stats, () -> KubernetesResources.read(map));
        if (checkRejection(out, map, "resources", List.of("limits.cpu", "limits.memory", "requests.cpu",
                "requests.memory"))) {
            return;
        }
        ResourceLimits limits = out.value().value();
        leaves(map).forEach((key, v) -> {
            if (!List.of("limits.cpu", "limits.memory", "requests.cpu", "requests.memory").contains(key)) {
                return;
            }
            // A number as its exact decimal (a double as its shortest), text in the quantity grammar.
            BigDecimal value = v instanceof String s ? quantity(key.endsWith("cpu") ? s.strip() : s)
                    : v instanceof Double || v instanceof Float ? BigDecimal.valueOf(((Number) v).doubleValue())
                    : FuzzInputs.exact(v);
            assertThat(value).as("%s = %s was accepted", key, FuzzInputs.describe(v)).isNotNull();
            switch (key) {
                case "limits.memory" -> FuzzInputs.assertKeyword("mem_limit", value, limits);
                case "requests.memory" -> FuzzInputs.assertKeyword("mem_reservation", value, limits);
                case "limits.cpu" -> {
                    // The kubelet's quota: millicores x 100 us per 100000 us, at least 1000 us.
                    BigDecimal milli = value.scaleByPowerOfTen(3);
                    assertThat(milli.stripTrailingZeros().scale()).isLessThanOrEqualTo(0);
                    FuzzInputs.assertKeyword("cpu_quota", milli.multiply(BigDecimal.valueOf(100))
                            .max(BigDecimal.valueOf(1000)), limits);
                    FuzzInputs.assertKeyword("cpu_period", 100_000L, limits);
                }
                default -> {
                    // The kubelet's shares: millicores x 1024 / 1000 rounded down, 2 to 262144.
                    BigDecimal shares = value.scaleByPowerOfTen(3).multiply(BigDecimal.valueOf(1024))
                            .divideToIntegralValue(BigDecimal.valueOf(1000));
                    FuzzInputs.assertKeyword("cpu_shares", shares.max(BigDecimal.valueOf(2))
                            .min(BigDecimal.valueOf(262_144)), limits);
                }
            }
        });
        Conversion<Map<String, Object>> written = KubernetesResources.write(limits);
        if (written.isComplete()) {
            assertThat(KubernetesResources.read(written.value()).value()).isEqualTo(limits);
        }
    }

    private static BigDecimal quantity(String s) {
        Quantity q = FuzzInputs.kubernetes(s);
        return q == null ? null : q.value();
    }

    static Object kubernetesValue(String key, Random r) {
        return switch (key) {
            case "cpu" -> r.nextBoolean() ? pick(r, "500m", "250m", "1", "0.5", "1e3", "9007199254740m", "1u", "10m",
                    "1m", "0", SizeFuzzTest.kubernetesQuantity(r)) : FuzzInputs.hostileNumber(r);
            case "memory" -> r.nextBoolean() ? SizeFuzzTest.kubernetesQuantity(r) : FuzzInputs.hostileNumber(r);
            default -> FuzzInputs.hostileValue(r, SizeFuzzTest::kubernetesQuantity);
        };
    }

    @Provide
    Arbitrary<Sample<Map<String, Object>>> kubernetesMaps() {
        List<String> sections = List.of("limits", "requests", "limits", "requests", "claims", "Limits", "");
        List<String> keys = List.of("cpu", "memory", "cpu", "memory", "ephemeral-storage", "hugepages-2Mi",
                "nvidia.com/gpu", "cpus", "");
        return FuzzInputs.samples(r -> nestedMap(r, sections, keys, FormatReadersFuzzTest::kubernetesValue),
                FuzzInputs.pool(LimitsArbitraries.resourceLimits().map(l -> KubernetesResources.write(l).value())),
                (m, r) -> mutateNested(m, r, sections, keys, FormatReadersFuzzTest::kubernetesValue));
    }

    // ------------------------------------------------------------------------------ shared

    /**
     * Checks a rejection, if there was one: only InvalidLimitsException, a null map reported under
     * {@code nullField}, every other violation naming a key of the input (flat, or as
     * {@code section.key}) or a field the format's own rules name.
     *
     * @return whether the input was rejected
     */
    private static boolean checkRejection(Outcome<?> out, Map<String, Object> map, String nullField,
            java.util.Collection<String> formatFields) {
        if (out.error() == null) {
            assertThat(map).isNotNull();
            return false;
        }
        assertThat(out.error()).isInstanceOf(InvalidLimitsException.class);
        InvalidLimitsException e = (InvalidLimitsException) out.error();
        FuzzInputs.assertViolations(e);
        if (map == null) {
            assertThat(e.violations()).singleElement().satisfies(v -> assertThat(v.field()).isEqualTo(nullField));
            return true;
        }
        Map<String, Object> named = new HashMap<>(leaves(map));
        map.forEach((k, v) -> named.put(String.valueOf(k), v));
        for (Violation v : e.violations()) {
            assertThat(named.containsKey(v.field()) || formatFields.contains(v.field()))
                    .as("%s names a key of %s", v, FuzzInputs.describe(map)).isTrue();
            Object raw = named.get(v.field());
            if (named.containsKey(v.field()) && !(raw instanceof Map) && !(raw instanceof List)) {
                assertThat(FuzzInputs.namesValue(v.value(), raw) || v.value().equals(raw instanceof String s ? "'" + s + "'" : String.valueOf(raw))
                        || raw instanceof byte[] || raw instanceof Object[] || isRuleOnParsedValue(v))
                        .as("%s names the value %s", v, FuzzInputs.describe(raw)).isTrue();
            }
        }
        return true;
    }

    /** A rule between fields or on a converted value (the kubelet's quota, a size's canonical form). */
    private static boolean isRuleOnParsedValue(Violation v) {
        return v.rule().startsWith("must be at least") || v.rule().startsWith("must not be above")
                || v.rule().startsWith("needs ") || v.rule().startsWith("must be between");
    }

    /** The leaves of a two-level map as {@code section.key}. */
    static Map<String, Object> leaves(Map<?, ?> map) {
        Map<String, Object> leaves = new LinkedHashMap<>();
        map.forEach((section, values) -> {
            if (values instanceof Map<?, ?> m) {
                m.forEach((k, v) -> leaves.put(section + "." + k, v));
            }
        });
        return leaves;
    }

    /** A flat map: known and junk keys, a null key now and then, each with a hostile value. */
    static Map<String, Object> flatMap(Random r, List<String> keys, BiFunction<String, Random, Object> value) {
        if (r.nextInt(300) == 0) {
            return null;
        }
        Map<String, Object> map = r.nextBoolean() ? new HashMap<>() : new LinkedHashMap<>();
        for (int i = r.nextInt(7); i > 0; i--) {
            String key = r.nextInt(40) == 0 ? null : pick(r, keys);
            map.put(key, r.nextInt(10) == 0 ? FuzzInputs.hostileValue(r, rr -> value.apply(String.valueOf(key), rr))
                    : value.apply(String.valueOf(key), r));
        }
        return map;
    }

    /** A two-level map: sections that are maps (or not), each holding hostile leaves, null and non-string keys. */
    static Map<String, Object> nestedMap(Random r, List<String> sections, List<String> keys,
            BiFunction<String, Random, Object> value) {
        if (r.nextInt(300) == 0) {
            return null;
        }
        Map<String, Object> map = r.nextBoolean() ? new HashMap<>() : new LinkedHashMap<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            String section = r.nextInt(40) == 0 ? null : pick(r, sections);
            if (r.nextInt(12) == 0) {
                map.put(section, FuzzInputs.hostileValue(r, FuzzInputs::number));
                continue;
            }
            Map<Object, Object> values = r.nextBoolean() ? new HashMap<>() : new LinkedHashMap<>();
            for (int j = r.nextInt(4); j > 0; j--) {
                Object key = r.nextInt(30) == 0 ? pick(r, (Object) null, 1, true) : pick(r, keys);
                values.put(key, r.nextInt(8) == 0 ? FuzzInputs.hostileValue(r, rr -> value.apply(String.valueOf(key), rr))
                        : value.apply(String.valueOf(key), r));
            }
            map.put(section, values);
        }
        return map;
    }

    /** One to three changes of a flat map a writer made. */
    static Map<String, Object> mutate(Map<String, Object> valid, Random r, List<String> keys,
            BiFunction<String, Random, Object> value) {
        Map<String, Object> map = new HashMap<>(valid);
        for (int edits = 1 + r.nextInt(3); edits > 0; edits--) {
            List<String> present = new ArrayList<>(map.keySet());
            String key = present.isEmpty() || r.nextInt(5) == 0 ? pick(r, keys) : pick(r, present);
            Object old = map.get(key);
            switch (r.nextInt(6)) {
                case 0 -> map.put(key, FuzzInputs.hostileValue(r, rr -> value.apply(String.valueOf(key), rr)));
                case 1 -> map.put(key, FuzzInputs.retype(old, r));
                case 2 -> map.put(key, old instanceof String s ? FuzzInputs.mutate(s, r) : FuzzInputs.hostileNumber(r));
                case 3 -> map.put(key, null);
                case 4 -> map.remove(key);
                default -> map.put(r.nextInt(4) == 0 ? null : key, FuzzInputs.wrongType(r));
            }
        }
        return map;
    }

    /** One to three changes at either level of a two-level map a writer made. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> mutateNested(Map<String, Object> valid, Random r, List<String> sections,
            List<String> keys, BiFunction<String, Random, Object> value) {
        Map<String, Object> map = new HashMap<>();
        FuzzInputs.mutableCopy(valid).forEach((k, v) -> map.put((String) k, v));
        for (int edits = 1 + r.nextInt(3); edits > 0; edits--) {
            List<String> present = new ArrayList<>(map.keySet());
            String section = present.isEmpty() || r.nextInt(5) == 0 ? pick(r, sections) : pick(r, present);
            if (r.nextInt(4) == 0 || !(map.get(section) instanceof Map)) {
                // The section itself: removed, nulled, of the wrong type, or a new empty map.
                switch (r.nextInt(4)) {
                    case 0 -> map.remove(section);
                    case 1 -> map.put(section, null);
                    case 2 -> map.put(section, FuzzInputs.wrongType(r));
                    default -> map.put(section, new LinkedHashMap<>());
                }
                continue;
            }
            Map<String, Object> values = (Map<String, Object>) map.get(section);
            map.put(section, mutate(values, r, keys, value));
        }
        return map;
    }
}
