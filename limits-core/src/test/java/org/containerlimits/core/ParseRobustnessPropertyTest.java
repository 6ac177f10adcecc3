package org.containerlimits.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random and mutated text only ever raises {@link LimitParseException} or
 * {@link InvalidLimitsException} (both {@link LimitsException}s), never anything else; what does
 * parse has a canonical form that parses back to it.
 */
class ParseRobustnessPropertyTest {

    /** Every text parser, by name. */
    private static final Map<String, Function<String, Object>> PARSERS = Map.of(
            "MemorySize.parse", MemorySize::parse,
            "MemorySize.parseKubernetes", MemorySize::parseKubernetes,
            "CpuLimit.parse", CpuLimit::parse,
            "CpuSet.parse", CpuSet::parse,
            "SwapLimit.parse", SwapLimit::parse,
            "PidsLimit.parse", PidsLimit::parse,
            "ResourceLimits.parse", ResourceLimits::parse);

    @Property
    void everyParser_raisesOnlyLimitsExceptionsOnRandomText(@ForAll("randomText") String text) {
        PARSERS.forEach((name, parser) -> checkParse(name, parser, text));
    }

    @Property
    void everyParser_raisesOnlyLimitsExceptionsOnMutatedValidText(@ForAll("mutatedValidText") String text) {
        PARSERS.forEach((name, parser) -> checkParse(name, parser, text));
    }

    @Property
    void fromDockerPy_raisesOnlyInvalidLimitsExceptionOnRandomMaps(@ForAll("randomKeywords") Map<String, Object> map) {
        ResourceLimits limits;
        try {
            limits = ResourceLimits.fromDockerPy(map);
        } catch (InvalidLimitsException e) {
            assertThat(e.violations()).isNotEmpty();
            return;
        }
        assertThat(ResourceLimits.fromDockerPy(limits.toDockerPy())).isEqualTo(limits);
    }

    private static void checkParse(String name, Function<String, Object> parser, String text) {
        Object value;
        try {
            value = parser.apply(text);
        } catch (LimitParseException e) {
            assertThat(name).as("ResourceLimits.parse reports parse errors as violations")
                    .isNotEqualTo("ResourceLimits.parse");
            assertThat(e.input()).as(name).isEqualTo(text);
            assertThat(e.errorIndex()).as(name).isBetween(0, text.length());
            return;
        } catch (InvalidLimitsException e) {
            assertThat(e.violations()).as(name).isNotEmpty();
            return;
        }
        // Anything else propagates and fails the property. What parsed must read back.
        assertThat(value).as("%s(\"%s\")", name, text).isNotNull();
        String canonical = name.equals("MemorySize.parseKubernetes")
                ? ((MemorySize) value).toKubernetesString() : value.toString();
        assertThat(parser.apply(canonical)).as("%s(\"%s\")", name, canonical).isEqualTo(value);
    }

    @Provide
    Arbitrary<String> randomText() {
        return LimitsArbitraries.randomText();
    }

    /** Canonical and hand-written valid texts of every grammar, then changed by one to three edits. */
    @Provide
    Arbitrary<String> mutatedValidText() {
        Arbitrary<String> valid = Arbitraries.oneOf(List.of(
                LimitsArbitraries.memorySizes().map(Object::toString),
                LimitsArbitraries.memorySizes().map(MemorySize::toKubernetesString),
                LimitsArbitraries.cpuLimits().map(Object::toString),
                LimitsArbitraries.cpuSets().map(Object::toString),
                LimitsArbitraries.swapLimits(0).map(Object::toString),
                LimitsArbitraries.pidsLimits().map(Object::toString),
                LimitsArbitraries.resourceLimits().map(Object::toString),
                Arbitraries.of("1.5g", "1 GiB", "250%", "2500m", "0.29", "250000us/100000us", "5,0-3,2", "-1",
                        "unlimited", "1e9", "123Mi", "+.5Ki", "mem_limit=1g,cpuset_cpus=0-3,5")));
        Arbitrary<Edit> edit = Combinators.combine(
                Arbitraries.integers().between(0, 5),
                Arbitraries.integers().greaterOrEqual(0),
                Arbitraries.integers().greaterOrEqual(0),
                Arbitraries.chars().with(LimitsArbitraries.GRAMMAR_CHARS.toCharArray()))
                .as(Edit::new);
        return Combinators.combine(valid, edit.list().ofMinSize(1).ofMaxSize(3)).as((text, edits) -> {
            String s = text;
            for (Edit e : edits) {
                s = e.apply(s);
            }
            return s;
        });
    }

    @Provide
    Arbitrary<Map<String, Object>> randomKeywords() {
        return LimitsArbitraries.randomKeywords();
    }

    /** One edit: insert, delete, replace, duplicate a stretch, swap neighbours, or cut the end. */
    record Edit(int kind, int at, int length, char c) {
        String apply(String s) {
            int i = s.isEmpty() ? 0 : at % (s.length() + 1);
            int j = Math.min(s.length(), i + 1 + length % 8);
            switch (kind) {
                case 0:
                    return s.substring(0, i) + c + s.substring(i);
                case 1:
                    return i < s.length() ? s.substring(0, i) + s.substring(i + 1) : s;
                case 2:
                    return i < s.length() ? s.substring(0, i) + c + s.substring(i + 1) : s + c;
                case 3:
                    return s.substring(0, j) + s.substring(i, j) + s.substring(j);
                case 4:
                    return i + 1 < s.length()
                            ? s.substring(0, i) + s.charAt(i + 1) + s.charAt(i) + s.substring(i + 2) : s;
                default:
                    return s.substring(0, i);
            }
        }
    }
}
