package org.containerlimits.core;


import org.containerlimits.core.format.Conversion;
import org.containerlimits.core.format.DockerCliFlags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.containerlimits.core.FuzzInputs.pick;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
 * Issue 7 for {@code docker run} flags: {@link DockerCliFlags#read(String)} and
 * {@link DockerCliFlags#read(List)}, 100,000 generated and mutated flag lines and argument lists
 * each (unknown and look-alike flags, missing values, {@code null} arguments and lists, every value
 * grammar with hostile numbers). Only {@link InvalidLimitsException} comes out, each violation
 * naming a flag or argument of the input; accepted flags hold exactly the values given (checked per
 * flag against the independent oracles) and the written line reads back equal.
 */
@Tag("reliability")
class CliFlagsFuzzTest {

    @AfterProperty
    void report() {
        FuzzInputs.report();
    }

    /** Each flag's docker-py keyword, written here again so that the oracle does not read the library's table. */
    static final Map<String, String> KEYWORD = Map.ofEntries(Map.entry("--memory", "mem_limit"),
            Map.entry("-m", "mem_limit"), Map.entry("--memory-reservation", "mem_reservation"),
            Map.entry("--memory-swap", "memswap_limit"), Map.entry("--memory-swappiness", "mem_swappiness"),
            Map.entry("--cpus", "nano_cpus"), Map.entry("--cpu-period", "cpu_period"),
            Map.entry("--cpu-quota", "cpu_quota"), Map.entry("--cpu-shares", "cpu_shares"), Map.entry("-c", "cpu_shares"),
            Map.entry("--cpuset-cpus", "cpuset_cpus"), Map.entry("--cpuset-mems", "cpuset_mems"),
            Map.entry("--pids-limit", "pids_limit"), Map.entry("--blkio-weight", "blkio_weight"),
            Map.entry("--oom-kill-disable", "oom_kill_disable"), Map.entry("--shm-size", "shm_size"),
            Map.entry("--blkio-weight-device", "blkio_weight_device"), Map.entry("--device-read-bps", "device_read_bps"),
            Map.entry("--device-write-bps", "device_write_bps"), Map.entry("--device-read-iops", "device_read_iops"),
            Map.entry("--device-write-iops", "device_write_iops"), Map.entry("--oom-score-adj", "oom_score_adj"),
            Map.entry("--ulimit", "ulimits"));

    static final List<String> FLAGS;

    static {
        List<String> flags = new ArrayList<>(KEYWORD.keySet());
        flags.addAll(List.of("--privileged", "-v", "--memory-swapp", "--MEMORY", "\u2014memory", "--memory\u00A0", "",
                "-", "--", "--cpus=", "-m=", "/:/host"));
        FLAGS = List.copyOf(flags);
    }

    @Property(tries = FuzzInputs.TRIES, generation = GenerationMode.RANDOMIZED)
    void readList(@ForAll("argumentLists") Sample<List<String>> sample) {
        Stats stats = FuzzInputs.stats("DockerCliFlags.read(List)");
        stats.input(sample);
        List<String> args = sample.value();
        Outcome<Conversion<ResourceLimits>> out = FuzzInputs.attempt(stats, () -> DockerCliFlags.read(args));
        check(out, args, args == null ? "" : String.join(" ", args.stream().map(String::valueOf).toList()));
    }

    @Property(tries = FuzzInputs.TRIES, generation = GenerationMode.RANDOMIZED)
    void readLine(@ForAll("flagLines") Sample<String> sample) {
        Stats stats = FuzzInputs.stats("DockerCliFlags.read(String)");
        stats.input(sample);
        String line = sample.value();
        Outcome<Conversion<ResourceLimits>> out = FuzzInputs.attempt(stats, () -> DockerCliFlags.read(line));
        // The line splits at ASCII white space, as the method says.
        List<String> args = line == null ? null : line.strip().isEmpty() ? List.of() : List.of(line.strip().split("\\s+"));
        check(out, args, line == null ? "" : line);
    }

    private static void check(Outcome<Conversion<ResourceLimits>> out, List<String> args, String text) {
        if (out.error() != null) {
            assertThat(out.error()).isInstanceOf(InvalidLimitsException.class);
            InvalidLimitsException e = (InvalidLimitsException) out.error();
            FuzzInputs.assertViolations(e);
            for (Violation v : e.violations()) {
                // A flag as given, a rule between fields by its canonical flag, or "argument N" for a null.
                assertThat(v.field().isEmpty() && text.contains(" ") || text.contains(v.field())
                        || KEYWORD.containsKey(v.field()) || v.field().matches("argument [0-9]+")
                        || args == null && v.field().equals("flags"))
                        .as("%s names a flag of %s", v, FuzzInputs.describe(text)).isTrue();
            }
            return;
        }
        assertThat(args).isNotNull();
        ResourceLimits limits = out.value().value();
        assertThat(out.value().isComplete()).isTrue();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            int eq = arg.indexOf('=');
            String name = eq > 0 ? arg.substring(0, eq) : arg;
            String keyword = KEYWORD.get(name);
            String value = eq > 0 ? arg.substring(eq + 1) : keyword.equals("oom_kill_disable") ? "true" : args.get(++i);
            Object raw = switch (keyword) {
                case "oom_kill_disable" -> Boolean.valueOf(value);
                case "nano_cpus" -> FuzzInputs.cpu(value).nanos();
                case "mem_swappiness", "cpu_period", "cpu_quota", "cpu_shares", "blkio_weight", "oom_score_adj" -> {
                    // The docker CLI's whole numbers: an optional sign and ASCII digits.
                    assertThat(value.strip()).matches("[+-]?[0-9]+");
                    yield new BigInteger(value.strip());
                }
                default -> value;
            };
            FuzzInputs.assertKeyword(keyword, raw, limits);
        }
        assertThat(DockerCliFlags.read(DockerCliFlags.line(limits)).value()).isEqualTo(limits);
        assertThat(DockerCliFlags.read(DockerCliFlags.write(limits).value()).value()).isEqualTo(limits);
    }

    // ------------------------------------------------------------------------------ inputs

    static String valueFor(String flag, Random r) {
        String keyword = KEYWORD.getOrDefault(flag, "x");
        return switch (keyword) {
            case "nano_cpus" -> CpuFuzzTest.cpuText(r);
            case "oom_kill_disable" -> pick(r, "true", "false", "1", "");
            default -> KeywordMapFuzzTest.grammarText(keyword, r);
        };
    }

    static List<String> argumentList(Random r) {
        if (r.nextInt(300) == 0) {
            return null;
        }
        List<String> args = new ArrayList<>();
        for (int i = r.nextInt(6); i > 0; i--) {
            String flag = r.nextInt(4) == 0 ? pick(r, FLAGS) : pick(r, new ArrayList<>(KEYWORD.keySet()));
            String value = r.nextInt(6) == 0 ? FuzzInputs.hostileText(r) : valueFor(flag, r);
            switch (r.nextInt(8)) {
                case 0, 1, 2 -> args.add(flag + "=" + value);
                case 3 -> args.add(flag);
                case 4 -> args.addAll(Arrays.asList(flag, null));
                default -> args.addAll(List.of(flag, value));
            }
        }
        return args;
    }

    @Provide
    Arbitrary<Sample<List<String>>> argumentLists() {
        return FuzzInputs.samples(CliFlagsFuzzTest::argumentList,
                FuzzInputs.pool(LimitsArbitraries.resourceLimits().map(l -> DockerCliFlags.write(l).value())),
                CliFlagsFuzzTest::mutateList);
    }

    /** Changes of a valid list: an argument's text mutated, one dropped, duplicated, nulled or swapped. */
    static List<String> mutateList(List<String> valid, Random r) {
        List<String> args = new ArrayList<>(valid);
        for (int edits = 1 + r.nextInt(3); edits > 0; edits--) {
            int i = args.isEmpty() ? 0 : r.nextInt(args.size());
            switch (args.isEmpty() ? 5 : r.nextInt(6)) {
                case 0, 1 -> args.set(i, FuzzInputs.mutate(String.valueOf(args.get(i)), r));
                case 2 -> args.remove(i);
                case 3 -> args.add(i, args.get(i));
                case 4 -> args.set(i, null);
                default -> args.add(i, pick(r, FLAGS));
            }
        }
        return args;
    }

    @Provide
    Arbitrary<Sample<String>> flagLines() {
        return FuzzInputs.texts(r -> {
            List<String> args = argumentList(r);
            if (args == null) {
                return null;
            }
            String blank = r.nextInt(10) == 0 ? String.valueOf(pick(r, FuzzInputs.SPACES)) : " ";
            return String.join(blank, args.stream().map(String::valueOf).toList());
        }, FuzzInputs.pool(LimitsArbitraries.resourceLimits().map(DockerCliFlags::line)));
    }
}
