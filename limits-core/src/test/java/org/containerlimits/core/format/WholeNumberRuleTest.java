package org.containerlimits.core.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.containerlimits.core.InvalidLimitsException;
import org.containerlimits.core.Limit;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.Violation;
import org.containerlimits.core.WholeNumber;
import org.junit.jupiter.api.Test;

/**
 * One rule for numbers written as strings, the same for every whole-number field of every format:
 * a string of digits is the number it spells; anything else is refused with the same rule.
 */
class WholeNumberRuleTest {

    /** Each reader, given one whole-number field by its own name and value. */
    private static final Map<String, Function<Object, ResourceLimits>> READERS = Map.of(
            "docker-py cpu_shares", v -> ResourceLimits.fromDockerPy(Map.of("cpu_shares", v)),
            "docker-py oom_score_adj", v -> ResourceLimits.fromDockerPy(Map.of("oom_score_adj", v)),
            "docker-py ulimits Soft/Hard", v -> ResourceLimits.fromDockerPy(Map.of("ulimits",
                    List.of(Map.of("Name", "nofile", "Soft", v, "Hard", v)))),
            "docker-py device_read_iops Rate", v -> ResourceLimits.fromDockerPy(Map.of("device_read_iops",
                    List.of(Map.of("Path", "/dev/sda", "Rate", v)))),
            "text form", v -> ResourceLimits.parse("cpu_shares=" + v),
            "flags", v -> DockerCliFlags.read(List.of("--cpu-shares", String.valueOf(v))).value(),
            "Engine CpuShares", v -> EngineHostConfig.read(Map.of("CpuShares", v)).value(),
            "Engine Memory", v -> EngineHostConfig.read(Map.of("Memory", v)).value(),
            "Compose limits.pids", v -> ComposeResources.read(Map.of("limits", Map.of("pids", v))).value());

    private static long valueOf(String reader, ResourceLimits limits) {
        if (reader.contains("oom_score_adj")) {
            return limits.oomScoreAdj().getAsInt();
        } else if (reader.contains("ulimits")) {
            return limits.ulimits().get(0).soft();
        } else if (reader.contains("iops")) {
            return limits.deviceReadIops().get(0).value();
        } else if (reader.contains("Memory")) {
            return limits.memory().orElseThrow().toBytes();
        } else if (reader.contains("pids")) {
            return limits.pidsLimit().orElseThrow().max().getAsLong();
        }
        return limits.cpuShares().getAsInt();
    }

    @Test
    void aStringOfDigits_isTheNumberItSpells_inEveryReader() {
        READERS.forEach((reader, read) -> {
            long number = reader.contains("Memory") ? 1L << 30 : 512;
            ResourceLimits fromNumber = read.apply(number);
            assertThat(valueOf(reader, read.apply(Long.toString(number)))).as(reader).isEqualTo(number);
            assertThat(read.apply("+" + number)).as(reader).isEqualTo(fromNumber);
            assertThat(read.apply("000" + number)).as(reader).isEqualTo(fromNumber);
        });
    }

    @Test
    void anythingElse_isRefusedWithTheSameRule_inEveryReader() {
        for (String bad : List.of("512.0", " 512", "512 ", "5e2", "0x200", "5_12", "\u0665\u0661\u0662", "", "+-5")) {
            READERS.forEach((reader, read) -> {
                if (reader.equals("text form") && !bad.equals(bad.strip())) {
                    return; // the text form ignores blanks around each pair, before any value is read
                }
                InvalidLimitsException e = catchThrowableOfType(InvalidLimitsException.class, () -> read.apply(bad));
                assertThat(e).as("%s refuses '%s'", reader, bad).isNotNull();
                assertThat(e.violations()).as("%s refuses '%s'", reader, bad).extracting(Violation::rule)
                        .anySatisfy(rule -> assertThat(rule).startsWith(WholeNumber.RULE));
            });
        }
    }

    @Test
    void theRuleIsOneConstant_andEveryIntegerKindOfTheTableFollowsIt() {
        for (Limit limit : Limit.values()) {
            if (limit.kind() == Limit.Kind.INTEGER) {
                long inRange = limit.range().orElseThrow().max();
                ResourceLimits read = ResourceLimits.fromDockerPy(Map.of(limit.keyword(), Long.toString(inRange)));
                assertThat(read).as(limit.keyword()).isEqualTo(ResourceLimits.fromDockerPy(Map.of(limit.keyword(), inRange)));
            }
        }
    }
}
