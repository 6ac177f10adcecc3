package org.containerlimits.core.format;

import org.containerlimits.core.internal.Texts;

import org.containerlimits.core.CpuLimit;
import org.containerlimits.core.InvalidLimitsException;
import org.containerlimits.core.LimitParseException;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.Violation;


import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Limits as {@code docker run} flags, read and written.
 *
 * <pre>
 *   flags = { flag }
 *   flag  = name (" " | "=") value | "--oom-kill-disable" ["=" ("true" | "false")]
 *   name  = "--memory" | "-m" | "--memory-reservation" | "--memory-swap" | "--memory-swappiness"
 *         | "--cpus" | "--cpu-period" | "--cpu-quota" | "--cpu-shares" | "-c" | "--cpuset-cpus"
 *         | "--cpuset-mems" | "--pids-limit" | "--blkio-weight" | "--shm-size"
 * </pre>
 * Values follow the docker CLI: sizes in its units ({@code 1g}, {@code 512m}), {@code --cpus} in
 * cores ({@code 2.5}; also {@code 250%} and {@code 2500m}), {@code --memory-swap -1} for unlimited
 * swap. A flag line is split at white space; no limit value holds a space, so quotes are not
 * needed and not accepted. Any other flag ({@code --privileged}, {@code -v}) is an error naming
 * it: a limits line carries limits only.
 *
 * <pre>{@code
 * DockerCliFlags.read("--memory 1g --cpus=2.5").value();   // mem_limit=1g,nano_cpus=2500000000
 * DockerCliFlags.write(limits).value();                      // [--memory, 1g, --cpus, 2.5]
 * DockerCliFlags.line(limits);                               // "--memory 1g --cpus 2.5"
 * }</pre>
 *
 * <p>Every limit has a flag, so both directions are complete.
 */
public final class DockerCliFlags {
    /** Each flag's docker-py keyword; {@code --cpus} is turned into nano-CPUs first. */
    private static final Map<String, String> KEYWORD = new LinkedHashMap<>();

    /** The canonical flag of each docker-py keyword, for errors and writing. */
    private static final Map<String, String> FLAG = new LinkedHashMap<>();

    static {
        flag("--memory", "mem_limit");
        flag("--memory-reservation", "mem_reservation");
        flag("--memory-swap", "memswap_limit");
        flag("--memory-swappiness", "mem_swappiness");
        flag("--cpus", "nano_cpus");
        flag("--cpu-period", "cpu_period");
        flag("--cpu-quota", "cpu_quota");
        flag("--cpu-shares", "cpu_shares");
        flag("--cpuset-cpus", "cpuset_cpus");
        flag("--cpuset-mems", "cpuset_mems");
        flag("--pids-limit", "pids_limit");
        flag("--blkio-weight", "blkio_weight");
        flag("--oom-kill-disable", "oom_kill_disable");
        flag("--shm-size", "shm_size");
        KEYWORD.put("-m", "mem_limit");
        KEYWORD.put("-c", "cpu_shares");
    }

    private static void flag(String flag, String keyword) {
        KEYWORD.put(flag, keyword);
        FLAG.put(keyword, flag);
    }

    /** The flags whose value is a plain whole number. */
    private static final java.util.Set<String> WHOLE_NUMBER = java.util.Set.of("mem_swappiness", "cpu_period",
            "cpu_quota", "cpu_shares", "blkio_weight");

    private DockerCliFlags() {
    }

    /**
     * Reads a flag line.
     *
     * @param line flags separated by white space
     * @return the limits; complete
     * @throws InvalidLimitsException naming every unknown flag, flag without a value, bad value and
     *     broken rule, at once, by flag; or a {@code null} line
     */
    public static Conversion<ResourceLimits> read(String line) {
        if (line == null) {
            throw InvalidLimitsException.of("flags", "null", "must be a flag line (empty for no limits)");
        }
        String stripped = line.strip();
        return read(stripped.isEmpty() ? List.of() : List.of(stripped.split("\\s+")));
    }

    /**
     * Reads flags, one argument each, as a shell would pass them.
     *
     * @param args the arguments
     * @return the limits; complete
     * @throws InvalidLimitsException naming every unknown flag, flag without a value, bad value and
     *     broken rule, at once, by flag; or a {@code null} list
     */
    public static Conversion<ResourceLimits> read(List<String> args) {
        if (args == null) {
            throw InvalidLimitsException.of("flags", "null", "must be a list of flags (empty for no limits)");
        }
        List<Violation> problems = new ArrayList<>();
        Map<String, Object> dockerPy = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg == null) {
                problems.add(new Violation("argument " + (i + 1), "null", "must be a flag"));
                continue;
            }
            int eq = arg.indexOf('=');
            String name = eq > 0 && arg.startsWith("-") ? arg.substring(0, eq) : arg;
            String value = eq > 0 && arg.startsWith("-") ? arg.substring(eq + 1) : null;
            String keyword = KEYWORD.get(name);
            if (keyword == null) {
                problems.add(new Violation(name, value == null ? "" : value, arg.startsWith("-")
                        ? "is not a limit flag; a limits line carries only " + String.join(" ", FLAG.values())
                        : "is not a flag: every value follows its flag"));
                continue;
            }
            if (keyword.equals("oom_kill_disable")) {
                if (dockerPy.containsKey(keyword)) {
                    problems.add(new Violation(name, value == null ? "" : value, "is given twice"));
                } else if (value == null || value.equals("true")) {
                    dockerPy.put(keyword, true);
                } else if (value.equals("false")) {
                    dockerPy.put(keyword, false);
                } else {
                    problems.add(new Violation(name, value, "must be true or false"));
                }
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.size() || args.get(i + 1) == null) {
                    problems.add(new Violation(name, "", "needs a value"));
                    continue;
                }
                value = args.get(++i);
            }
            if (dockerPy.containsKey(keyword)) {
                problems.add(new Violation(name, value, "is given twice"));
                continue;
            }
            if (keyword.equals("nano_cpus")) {
                try {
                    dockerPy.put(keyword, CpuLimit.parse(value).toNanoCpus());
                } catch (LimitParseException e) {
                    problems.add(new Violation(name, value, e.getMessage()));
                } catch (InvalidLimitsException e) {
                    String given = value;
                    e.violations().forEach(v -> problems.add(new Violation(name, given, v.rule())));
                }
            } else if (WHOLE_NUMBER.contains(keyword)) {
                try {
                    // Long.parseLong also reads Unicode digits (U+0661 U+0660 is 10); the docker CLI does not.
                    if (!Texts.isAscii(value)) {
                        throw new NumberFormatException(value);
                    }
                    dockerPy.put(keyword, Long.parseLong(value.strip()));
                } catch (NumberFormatException e) {
                    problems.add(new Violation(name, value, "must be a whole number"));
                }
            } else {
                dockerPy.put(keyword, value);
            }
        }
        return new Conversion<>(Formats.limits(dockerPy, FLAG, problems), List.of());
    }

    /**
     * Writes limits as flags, in a fixed order.
     *
     * @param limits the limits
     * @return one argument each; complete
     */
    public static Conversion<List<String>> write(ResourceLimits limits) {
        List<String> args = new ArrayList<>();
        for (Map.Entry<String, Object> e : limits.toDockerPy().entrySet()) {
            String keyword = e.getKey();
            if (keyword.equals("oom_kill_disable")) {
                args.add(Boolean.TRUE.equals(e.getValue()) ? "--oom-kill-disable" : "--oom-kill-disable=false");
                continue;
            }
            args.add(FLAG.get(keyword));
            args.add(value(limits, keyword, e.getValue()));
        }
        return new Conversion<>(args, List.of());
    }

    /**
     * Writes limits as one flag line.
     *
     * @param limits the limits
     * @return the flags separated by spaces, which {@link #read(String)} reads back equal
     */
    public static String line(ResourceLimits limits) {
        return String.join(" ", write(limits).value());
    }

    private static String value(ResourceLimits limits, String keyword, Object dockerPyValue) {
        return switch (keyword) {
            case "mem_limit" -> limits.memory().orElseThrow().toString();
            case "mem_reservation" -> limits.memoryReservation().orElseThrow().toString();
            case "memswap_limit" -> limits.memorySwap().orElseThrow().isUnlimited() ? "-1"
                    : limits.memorySwap().orElseThrow().toString();
            case "shm_size" -> limits.shmSize().orElseThrow().toString();
            case "nano_cpus" -> BigDecimal.valueOf(limits.cpu().orElseThrow().toNanoCpus(), 9).stripTrailingZeros()
                    .toPlainString();
            default -> String.valueOf(dockerPyValue);
        };
    }
}
