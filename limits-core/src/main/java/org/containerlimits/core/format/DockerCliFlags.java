package org.containerlimits.core.format;


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
import org.containerlimits.core.Limit;

/**
 * Limits as {@code docker run} flags, read and written.
 *
 * <pre>
 *   flags = { flag }
 *   flag  = name (" " | "=") value | "--oom-kill-disable" ["=" ("true" | "false")]
 *   name  = any flag of {@link Limit#flags()}: "--memory" | "-m" | "--cpus" | "--ulimit" | ...
 * </pre>
 * Values follow the docker CLI: sizes in its units ({@code 1g}, {@code 512m}), {@code --cpus} in
 * cores ({@code 2.5}; also {@code 250%} and {@code 2500m}), {@code --memory-swap -1} for unlimited
 * swap, {@code --device-write-bps /dev/sda:10mb}, {@code --ulimit nofile=64:64}. The flags of
 * per-device limits and {@code --ulimit} may be given more than once, one device or ulimit each;
 * any other flag once. A flag line is split at white space; no limit value holds a space, so quotes are not
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
            Limit limit = Limit.ofFlag(name).orElse(null);
            if (limit == null) {
                problems.add(new Violation(name, value == null ? "" : value, arg.startsWith("-")
                        ? "is not a limit flag; a limits line carries only " + String.join(" ", canonicalFlags())
                        : "is not a flag: every value follows its flag"));
                continue;
            }
            String keyword = limit.keyword();
            if (limit.kind() == Limit.Kind.BOOLEAN) {
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
            if (limit.kind().isList()) {
                // One device or ulimit per flag, as docker's; the library's reader checks each item.
                @SuppressWarnings("unchecked")
                List<Object> items = (List<Object>) dockerPy.computeIfAbsent(keyword, k -> new ArrayList<>());
                items.add(value);
                continue;
            }
            if (dockerPy.containsKey(keyword)) {
                problems.add(new Violation(name, value, "is given twice"));
                continue;
            }
            Object read = value(name, limit, value, problems);
            if (read != null) {
                dockerPy.put(keyword, read);
            }
        }
        return new Conversion<>(Formats.limits(dockerPy, k -> Limit.ofKeyword(k).map(Limit::flag).orElse(k), problems), List.of());
    }

    private static List<String> canonicalFlags() {
        List<String> flags = new ArrayList<>();
        for (Limit l : Limit.values()) {
            flags.add(l.flag());
        }
        return flags;
    }

    /** A flag's value as docker-py has it: {@code --cpus} in cores, whole numbers in ASCII. */
    private static Object value(String name, Limit limit, String value, List<Violation> problems) {
        switch (limit.kind()) {
            case NANO_CPUS -> {
                try {
                    return CpuLimit.parse(value).toNanoCpus();
                } catch (LimitParseException e) {
                    problems.add(new Violation(name, value, e.getMessage()));
                } catch (InvalidLimitsException e) {
                    e.violations().forEach(v -> problems.add(new Violation(name, value, v.rule())));
                }
                return null;
            }
            case INTEGER, CPU_QUOTA, CPU_PERIOD -> {
                // The docker-py reader applies the one rule of WholeNumber to the text as given.
                return value;
            }
            default -> {
                return value;
            }
        }
    }

    /**
     * Writes limits as flags, in the table's order; a list limit as one flag per device or ulimit.
     *
     * @param limits the limits
     * @return one argument each; complete
     */
    public static Conversion<List<String>> write(ResourceLimits limits) {
        List<String> args = new ArrayList<>();
        for (Limit limit : Limit.values()) {
            for (String text : limits.texts(limit)) {
                switch (limit.kind()) {
                    case BOOLEAN -> args.add(text.equals("true") ? limit.flag() : limit.flag() + "=false");
                    case NANO_CPUS -> {
                        args.add(limit.flag());
                        args.add(BigDecimal.valueOf(Long.parseLong(text), 9).stripTrailingZeros().toPlainString());
                    }
                    case SWAP, PIDS -> {
                        args.add(limit.flag());
                        args.add(text.equals("unlimited") ? "-1" : text);
                    }
                    default -> {
                        args.add(limit.flag());
                        args.add(text);
                    }
                }
            }
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
}
