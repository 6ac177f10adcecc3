package org.containerlimits.examples.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.containerlimits.core.CpuLimit;
import org.containerlimits.core.CpuSet;
import org.containerlimits.core.InvalidLimitsException;
import org.containerlimits.core.LimitParseException;
import org.containerlimits.core.MemorySize;
import org.containerlimits.core.PidsLimit;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.SwapLimit;
import org.containerlimits.core.Violation;
import picocli.CommandLine.Option;

/**
 * The limit options shared by {@code run}, {@code update} and {@code check}, named and spelled as
 * {@code docker run}'s: {@code --memory 1g --cpus 2.5 --cpu-period 100000 --cpu-quota 250000 ...}.
 *
 * <p>Every option is taken as text and parsed by limits-core, so that every bad option is reported
 * at once, each with the flag, the offending text and the rule; then the whole set is validated
 * as one {@link ResourceLimits}.
 */
public final class LimitOptions {

    @Option(names = {"-m", "--memory"}, paramLabel = "SIZE", description = "Memory limit: 1g, 512m, 1536m (b k m g).")
    String memory;

    @Option(names = "--memory-reservation", paramLabel = "SIZE", description = "Soft memory limit.")
    String memoryReservation;

    @Option(names = "--memory-swap", paramLabel = "SIZE",
            description = "Memory plus swap, as docker: -1 for unlimited swap, equal to --memory for none.")
    String memorySwap;

    @Option(names = "--cpus", paramLabel = "N", description = "CPU limit: 2.5, 250%%, 2500m or 250000us/100000us.")
    String cpus;

    @Option(names = "--cpu-period", paramLabel = "US", description = "CFS period in microseconds (with --cpu-quota).")
    String cpuPeriod;

    @Option(names = "--cpu-quota", paramLabel = "US", description = "CFS quota in microseconds per period.")
    String cpuQuota;

    @Option(names = {"-c", "--cpu-shares"}, paramLabel = "N", description = "Relative CPU weight, 2 to 262144.")
    String cpuShares;

    @Option(names = "--cpuset-cpus", paramLabel = "SET", description = "CPUs allowed: 0-3,5.")
    String cpusetCpus;

    @Option(names = "--pids-limit", paramLabel = "N", description = "Most tasks at once; -1 for unlimited.")
    String pidsLimit;

    /** The docker-py keyword a violation names, and the flag that sets it here. */
    private static final Map<String, String> FLAG_OF = Map.of(
            "mem_limit", "--memory",
            "mem_reservation", "--memory-reservation",
            "memswap_limit", "--memory-swap",
            "nano_cpus", "--cpus",
            "cpu_quota", "--cpu-quota",
            "cpu_period", "--cpu-period",
            "cpu_shares", "--cpu-shares",
            "cpuset_cpus", "--cpuset-cpus",
            "pids_limit", "--pids-limit");

    /**
     * Parses and validates options that picocli has filled in, for programs that use this option set
     * outside the command line (see {@code FromSpawnerConfig}).
     *
     * @param options the options
     * @return the limits
     * @throws BadInputException listing every bad option
     */
    public static ResourceLimits parsed(LimitOptions options) {
        return options.toLimits();
    }

    /**
     * Whether any limit option was given.
     *
     * @return true when at least one was
     */
    boolean any() {
        return memory != null || memoryReservation != null || memorySwap != null || cpus != null
                || cpuPeriod != null || cpuQuota != null || cpuShares != null || cpusetCpus != null
                || pidsLimit != null;
    }

    /**
     * Parses and validates the options.
     *
     * @return the limits
     * @throws BadInputException listing every bad option
     */
    ResourceLimits toLimits() {
        List<String> problems = new ArrayList<>();
        ResourceLimits.Builder b = ResourceLimits.builder();
        set(problems, "--memory", memory, MemorySize::parse, b::memory);
        set(problems, "--memory-reservation", memoryReservation, MemorySize::parse, b::memoryReservation);
        set(problems, "--memory-swap", memorySwap, SwapLimit::parse, b::memorySwap);
        set(problems, "--cpu-shares", cpuShares, text -> integer(text, "--cpu-shares"), b::cpuShares);
        set(problems, "--cpuset-cpus", cpusetCpus, CpuSet::parse, b::cpusetCpus);
        set(problems, "--pids-limit", pidsLimit, PidsLimit::parse, b::pidsLimit);
        if (cpus != null && (cpuQuota != null || cpuPeriod != null)) {
            problems.add("--cpus '" + cpus + "' and --cpu-quota/--cpu-period: give one or the other, as docker"
                    + " refuses both (the daemon: \"Conflicting options: Nano CPUs and CPU Period/Quota\")");
        } else if (cpus != null) {
            set(problems, "--cpus", cpus, CpuLimit::parse, b::cpu);
        } else if (cpuQuota != null) {
            Long quota = number(problems, "--cpu-quota", cpuQuota);
            Long period = cpuPeriod == null ? Long.valueOf(100_000) : number(problems, "--cpu-period", cpuPeriod);
            if (quota != null && period != null) {
                set(problems, "--cpu-quota", cpuQuota, text -> CpuLimit.ofQuota(quota, period), b::cpu);
            }
        } else if (cpuPeriod != null) {
            problems.add("--cpu-period '" + cpuPeriod + "': has no effect without --cpu-quota (the quota per period"
                    + " is the limit); give both, or --cpus");
        }
        // Built even when an option did not parse, so that the rules across the others are
        // reported in the same run (a too-small --memory beside an unparsable --cpus).
        try {
            ResourceLimits limits = b.build();
            if (problems.isEmpty()) {
                return limits;
            }
        } catch (InvalidLimitsException e) {
            e.violations().forEach(v -> problems.add(describe(v)));
        }
        throw new BadInputException(problems);
    }

    private static <T> void set(List<String> problems, String flag, String text, Function<String, T> parse,
            Consumer<T> setter) {
        if (text == null) {
            return;
        }
        try {
            setter.accept(parse.apply(text));
        } catch (LimitParseException e) {
            problems.add(flag + ": " + e.getMessage());
        } catch (InvalidLimitsException e) {
            e.violations().forEach(v -> problems.add(describe(v)));
        } catch (IllegalArgumentException e) {
            problems.add(flag + " '" + text + "': " + e.getMessage());
        }
    }

    private static Long number(List<String> problems, String flag, String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            problems.add(flag + " '" + text + "': must be a whole number of microseconds");
            return null;
        }
    }

    private static Integer integer(String text, String flag) {
        try {
            return Integer.valueOf(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a whole number", e);
        }
    }

    private static String describe(Violation v) {
        String flag = FLAG_OF.get(v.field());
        String name = flag == null ? v.field() : flag + " (" + v.field() + ")";
        return name + " '" + v.value() + "': " + v.rule();
    }
}
