package org.containerlimits.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.containerlimits.core.FuzzInputs.pick;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterProperty;
import org.containerlimits.core.FuzzInputs.Outcome;
import org.containerlimits.core.FuzzInputs.Sample;
import org.containerlimits.core.FuzzInputs.Stats;

/**
 * Issue 7 for docker-py keywords: {@link ResourceLimits#parse} (the text form) and
 * {@link ResourceLimits#fromDockerPy} (maps with null keys and values, unknown keys, every keyword,
 * and values of every type: huge and fractional numbers, NaN, BigDecimals of a billion digits,
 * lists, maps, arrays), 100,000 generated and mutated inputs each. Only
 * {@link InvalidLimitsException} comes out, with violations that name a field of the input and its
 * value; what is accepted holds exactly the numbers and texts given (compared with BigDecimal and
 * the single-value oracles, so nothing wraps) and round-trips through both canonical forms.
 */
@Tag("reliability")
class KeywordMapFuzzTest {

    @AfterProperty
    void report() {
        FuzzInputs.report();
    }

    /** Every keyword, and keys that look like one. */
    static final List<String> KEYS;

    static {
        List<String> keys = new ArrayList<>(Limit.keywords());
        keys.addAll(List.of("privileged", "binds", "", "MEM_LIMIT", "mem-limit", "mem_limit\u0000", "mem_limit\u00A0",
                "\u212Aeywords", "cpus", "memory"));
        KEYS = List.copyOf(keys);
    }

    /** Text in a keyword's own grammar, hostile numbers included, so that some inputs are valid. */
    static String grammarText(String keyword, Random r) {
        return switch (keyword) {
            case "mem_limit", "mem_reservation", "shm_size" -> SizeFuzzTest.dockerSize(r);
            case "memswap_limit" -> r.nextInt(4) == 0 ? pick(r, "-1", "unlimited", "0") : SizeFuzzTest.dockerSize(r);
            case "cpuset_cpus", "cpuset_mems" -> CpuSetFuzzTest.cpusetText(r);
            case "pids_limit" -> r.nextInt(4) == 0 ? "-1" : FuzzInputs.number(r);
            case "oom_kill_disable" -> pick(r, "true", "false", "True", "1", "yes", "");
            case "nano_cpus" -> pick(r, "10000000", "2500000000", FuzzInputs.LONG_MAX, FuzzInputs.number(r));
            case "cpu_quota" -> pick(r, "250000", "1000", "999", "-1", FuzzInputs.LONG_MAX, FuzzInputs.number(r));
            case "cpu_period" -> pick(r, "100000", "1000", "1000000", "1000001", FuzzInputs.number(r));
            default -> FuzzInputs.number(r);
        };
    }

    /** A value for a keyword in a map: its grammar as text or as a number of the right size, or anything. */
    static Object grammarValue(String keyword, Random r) {
        String text = grammarText(keyword, r);
        if (keyword.equals("oom_kill_disable")) {
            return r.nextBoolean() ? r.nextBoolean() : text;
        }
        BigIntegerOrNull n = BigIntegerOrNull.of(text);
        return n.value() != null && r.nextBoolean() ? FuzzInputs.retype(n.value(), r) : text;
    }

    /** A whole number read from text, if it is one. */
    record BigIntegerOrNull(java.math.BigInteger value) {
        static BigIntegerOrNull of(String text) {
            return new BigIntegerOrNull(text.matches("-?[0-9]{1,30}") ? new java.math.BigInteger(text) : null);
        }
    }

    // ------------------------------------------------------------------------------ text form

    @Property(tries = FuzzInputs.TRIES, generation = GenerationMode.RANDOMIZED)
    void resourceLimitsParse(@ForAll("textForms") Sample<String> sample) {
        Stats stats = FuzzInputs.stats("ResourceLimits.parse");
        stats.input(sample);
        String text = sample.value();
        Outcome<ResourceLimits> out = FuzzInputs.attempt(stats, () -> ResourceLimits.parse(text));
        if (out.error() != null) {
            assertThat(out.error()).isInstanceOf(InvalidLimitsException.class);
            FuzzInputs.assertViolations((InvalidLimitsException) out.error());
            for (Violation v : ((InvalidLimitsException) out.error()).violations()) {
                // A cpuset's continuation items are joined back without the blanks around them.
                assertThat(v.field().equals("(empty)") || blankless(text).contains(blankless(v.field())))
                        .as("%s names a key of %s", v, FuzzInputs.describe(text)).isTrue();
            }
            return;
        }
        ResourceLimits limits = out.value();
        // Each pair of an accepted text must have been read exactly. Pairs are split here on commas,
        // an item that does not start with a keyword and '=' belonging to the pair before it (the
        // items of a cpuset, a device list or ulimits, which may hold '=' themselves).
        List<String> pairs = new ArrayList<>();
        for (String item : text.split(",", -1)) {
            int eq = item.indexOf('=');
            if (eq > 0 && Limit.keywords().contains(item.substring(0, eq).strip()) || pairs.isEmpty()) {
                pairs.add(item);
            } else {
                pairs.set(pairs.size() - 1, pairs.get(pairs.size() - 1) + "," + item);
            }
        }
        for (String pair : pairs) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String keyword = pair.substring(0, eq).strip();
            String value = pair.substring(eq + 1).strip();
            // Blanks around each comma-separated item are ignored, a list's items included.
            value = String.join(",", java.util.Arrays.stream(value.split(",", -1)).map(String::strip).toList());
            Object raw = keyword.equals("oom_kill_disable") ? (Object) Boolean.valueOf(value)
                    : List.of("nano_cpus", "cpu_quota", "cpu_period", "cpu_shares", "mem_swappiness", "blkio_weight",
                            "oom_score_adj").contains(keyword) ? new java.math.BigInteger(value) : value;
            FuzzInputs.assertKeyword(keyword, raw, limits);
        }
        assertThat(ResourceLimits.parse(limits.toString())).isEqualTo(limits);
        assertThat(ResourceLimits.fromDockerPy(limits.toDockerPy())).isEqualTo(limits);
    }

    static String blankless(String s) {
        return s.codePoints().filter(c -> !Character.isWhitespace(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    @Provide
    Arbitrary<Sample<String>> textForms() {
        return FuzzInputs.texts(KeywordMapFuzzTest::textForm, Arbitraries.oneOf(List.of(
                FuzzInputs.pool(LimitsArbitraries.resourceLimits().map(Object::toString)),
                Arbitraries.of("mem_limit=1g,cpuset_cpus=0-3,5", "mem_limit=1g, memswap_limit=-1",
                        "cpu_quota=250000,cpu_period=100000", "", "pids_limit=unlimited,oom_kill_disable=true"))));
    }

    static String textForm(Random r) {
        if (r.nextInt(10) == 0) {
            return FuzzInputs.hostileText(r);
        }
        StringBuilder sb = new StringBuilder();
        int pairs = r.nextInt(6);
        for (int i = 0; i < pairs; i++) {
            if (i > 0) {
                sb.append(r.nextInt(10) == 0 ? pick(r, ", ", ",,", " , ", ";", "\u3001", ",\u00A0") : ",");
            }
            String key = pick(r, KEYS);
            sb.append(key).append(r.nextInt(20) == 0 ? pick(r, " = ", "==", ":", "") : "=").append(grammarText(key, r));
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------------------ maps

    @Property(tries = FuzzInputs.TRIES, generation = GenerationMode.RANDOMIZED)
    void resourceLimitsFromDockerPy(@ForAll("keywordMaps") Sample<Map<String, Object>> sample) {
        Stats stats = FuzzInputs.stats("ResourceLimits.fromDockerPy");
        stats.input(sample);
        Map<String, Object> map = sample.value();
        Outcome<ResourceLimits> out = FuzzInputs.attempt(stats, () -> ResourceLimits.fromDockerPy(map));
        if (out.error() != null) {
            assertThat(out.error()).isInstanceOf(InvalidLimitsException.class);
            InvalidLimitsException e = (InvalidLimitsException) out.error();
            FuzzInputs.assertViolations(e);
            if (map == null) {
                assertThat(e.violations()).singleElement().satisfies(v -> assertThat(v.field()).isEqualTo("keywords"));
                return;
            }
            for (Violation v : e.violations()) {
                assertNamesEntry(v, map, v.field());
            }
            return;
        }
        assertThat(map).isNotNull();
        ResourceLimits limits = out.value();
        map.forEach((k, v) -> {
            if (v != null) {
                FuzzInputs.assertKeyword(k, v, limits);
            }
        });
        // Nothing invented: every set field came from a key given a value.
        limits.toDockerPy().keySet().forEach(k -> assertThat(map.get(k) != null
                || k.equals("cpu_period") && map.get("cpu_quota") != null).as("%s was given", k).isTrue());
        assertThat(ResourceLimits.fromDockerPy(limits.toDockerPy())).isEqualTo(limits);
        assertThat(ResourceLimits.parse(limits.toString())).isEqualTo(limits);
    }

    /** The violation's field is a key of the map (or, renamed, of the format), and its value names the entry's. */
    static void assertNamesEntry(Violation v, Map<?, ?> map, String key) {
        Map<String, Object> byName = new HashMap<>();
        map.forEach((k, val) -> byName.put(String.valueOf(k), val));
        assertThat(byName).as("%s names a key of %s", v, FuzzInputs.describe(map)).containsKey(key);
        Object raw = byName.get(key);
        assertThat(FuzzInputs.namesValue(v.value(), raw)
                || raw instanceof Map || raw instanceof List || raw instanceof byte[] || raw instanceof Object[]
                || raw != null && v.value().equals(String.valueOf(raw)))
                .as("%s names the value %s", v, FuzzInputs.describe(raw)).isTrue();
    }

    @Provide
    Arbitrary<Sample<Map<String, Object>>> keywordMaps() {
        return FuzzInputs.samples(KeywordMapFuzzTest::keywordMap,
                FuzzInputs.pool(LimitsArbitraries.resourceLimits().map(ResourceLimits::toDockerPy)),
                KeywordMapFuzzTest::mutateMap);
    }

    static Map<String, Object> keywordMap(Random r) {
        if (r.nextInt(300) == 0) {
            return null;
        }
        Map<String, Object> map = r.nextBoolean() ? new HashMap<>() : new LinkedHashMap<>();
        for (int i = r.nextInt(7); i > 0; i--) {
            String key = r.nextInt(40) == 0 ? null : pick(r, KEYS);
            map.put(key, FuzzInputs.hostileValue(r, rr -> grammarValue(key == null ? "x" : key, rr)));
        }
        return map;
    }

    /** One to three changes of a valid map: a value replaced, retyped, re-texted or nulled, a key added or removed. */
    static Map<String, Object> mutateMap(Map<String, Object> valid, Random r) {
        Map<String, Object> map = new HashMap<>(valid);
        for (int edits = 1 + r.nextInt(3); edits > 0; edits--) {
            List<String> keys = new ArrayList<>(map.keySet());
            String key = keys.isEmpty() || r.nextInt(6) == 0 ? pick(r, KEYS) : pick(r, keys);
            Object old = map.get(key);
            Function<Random, Object> grammar = rr -> grammarValue(key == null ? "x" : key, rr);
            switch (r.nextInt(6)) {
                case 0 -> map.put(key, FuzzInputs.hostileValue(r, grammar));
                case 1 -> map.put(key, FuzzInputs.retype(old, r));
                case 2 -> map.put(key, FuzzInputs.mutate(old == null ? "" : old.toString(), r));
                case 3 -> map.put(key, null);
                case 4 -> map.remove(key);
                default -> map.put(r.nextInt(5) == 0 ? null : key, FuzzInputs.wrongType(r));
            }
        }
        return map;
    }
}
