package org.containerlimits.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.containerlimits.core.FuzzInputs.assertNamesInput;
import static org.containerlimits.core.FuzzInputs.pick;

import java.util.BitSet;
import java.util.List;
import java.util.Random;
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
import org.containerlimits.core.FuzzInputs.Verdict;

/**
 * Issue 7 for the two integer grammars: {@link CpuSet#parse} and {@link PidsLimit#parse}, 100,000
 * generated and mutated texts each. An independent oracle (a regular expression and BigInteger
 * bounds) says whether each text is a value: then the members or the count must be exactly the
 * oracle's (no number past 65535 or Long.MAX_VALUE wraps into range) and the canonical form reads
 * back; otherwise only the documented exception comes out, naming the text.
 */
@Tag("reliability")
class CpuSetFuzzTest {

    @AfterProperty
    void report() {
        FuzzInputs.report();
    }

    @Property(tries = FuzzInputs.TRIES, generation = GenerationMode.RANDOMIZED)
    void cpuSetParse(@ForAll("cpusetTexts") Sample<String> sample) {
        Stats stats = FuzzInputs.stats("CpuSet.parse");
        stats.input(sample);
        String text = sample.value();
        BitSet expected = FuzzInputs.cpuset(text);
        Outcome<CpuSet> out = FuzzInputs.attempt(stats, () -> CpuSet.parse(text));
        if (out.error() != null) {
            assertThat(out.error()).isInstanceOf(LimitParseException.class);
            assertNamesInput((LimitParseException) out.error(), text);
            assertThat(expected).as("refused %s", FuzzInputs.describe(text)).isNull();
            return;
        }
        assertThat(expected).as("accepted %s as %s", FuzzInputs.describe(text), out.value()).isNotNull();
        assertThat(FuzzInputs.members(out.value())).isEqualTo(expected);
        assertThat(out.value().size()).isEqualTo(expected.cardinality());
        assertThat(out.value().max()).isEqualTo(expected.length() - 1);
        assertThat(CpuSet.parse(out.value().toString())).isEqualTo(out.value());
    }

    @Provide
    Arbitrary<Sample<String>> cpusetTexts() {
        return FuzzInputs.texts(CpuSetFuzzTest::cpusetText, Arbitraries.oneOf(List.of(
                LimitsArbitraries.cpuSets().map(Object::toString),
                Arbitraries.of("0-3,5", "5,0-3,2", "0", "65535", "0-65535", "7,7,7"))));
    }

    static String cpuNumber(Random r) {
        return switch (r.nextInt(6)) {
            case 0, 1 -> Integer.toString(r.nextInt(64));
            case 2 -> Integer.toString(r.nextInt(70_000));
            case 3 -> pick(r, "65535", "65536", "0", "00065535", "4294967296", "2147483648", FuzzInputs.LONG_MAX,
                    FuzzInputs.TWO_TO_63);
            default -> FuzzInputs.number(r);
        };
    }

    static String cpusetText(Random r) {
        if (r.nextInt(12) == 0) {
            return FuzzInputs.hostileText(r);
        }
        // Sometimes hundreds of items: the parser must stay linear on long lists of full ranges.
        int items = r.nextInt(20) == 0 ? 100 + r.nextInt(400) : 1 + r.nextInt(5);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < items; i++) {
            if (i > 0) {
                sb.append(r.nextInt(15) == 0 ? pick(r, ", ", ",,", ";", "-", " ", "\u060C") : ",");
            }
            sb.append(cpuNumber(r));
            if (r.nextInt(3) == 0) {
                sb.append(r.nextInt(15) == 0 ? pick(r, "--", "\u2212", "\u2013", ":") : "-").append(cpuNumber(r));
            }
        }
        return sb.toString();
    }

    @Property(tries = FuzzInputs.TRIES, generation = GenerationMode.RANDOMIZED)
    void pidsLimitParse(@ForAll("pidsTexts") Sample<String> sample) {
        Stats stats = FuzzInputs.stats("PidsLimit.parse");
        stats.input(sample);
        String text = sample.value();
        Object expected = FuzzInputs.pids(text);
        Outcome<PidsLimit> out = FuzzInputs.attempt(stats, () -> PidsLimit.parse(text));
        String as = FuzzInputs.describe(text);
        if (out.error() instanceof LimitParseException e) {
            assertNamesInput(e, text);
            assertThat(expected).as("%s refused as text", as).isEqualTo(Verdict.PARSE_ERROR);
        } else if (out.error() instanceof InvalidLimitsException e) {
            FuzzInputs.assertViolations(e);
            assertThat(expected).as("%s refused as out of bounds", as).isEqualTo(Verdict.INVALID);
            assertThat(e.violations()).allSatisfy(v -> {
                assertThat(v.field()).isEqualTo("pids_limit");
                assertThat(text).contains(v.value());
            });
        } else {
            assertThat(out.error()).isNull();
            PidsLimit p = out.value();
            assertThat(p.isUnlimited() ? -1L : p.max().getAsLong()).as("%s", as).isEqualTo(expected);
            assertThat(PidsLimit.parse(p.toString())).isEqualTo(p);
        }
    }

    @Provide
    Arbitrary<Sample<String>> pidsTexts() {
        return FuzzInputs.texts(r -> switch (r.nextInt(5)) {
            case 0 -> pick(r, "-1", "unlimited", "UNLIMITED", "unlimite\u0131", "0", "00", "-0", "+1", "-2", "\u22121",
                    FuzzInputs.LONG_MAX, FuzzInputs.TWO_TO_63, "9223372036854775806", "1 ", " 1", "1e3", "");
            case 1 -> FuzzInputs.hostileText(r);
            default -> FuzzInputs.number(r);
        }, Arbitraries.oneOf(List.of(LimitsArbitraries.pidsLimits().map(Object::toString),
                Arbitraries.of("-1", "unlimited", "32", "100"))));
    }
}
