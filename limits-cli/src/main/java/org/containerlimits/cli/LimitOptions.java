package org.containerlimits.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Stack;
import java.util.stream.Stream;
import org.containerlimits.core.format.DockerCliFlags;
import org.containerlimits.core.InvalidLimitsException;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.Violation;
import picocli.CommandLine.IParameterPreprocessor;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * The limit options shared by {@code run}, {@code update} and {@code check}: {@code docker run}'s,
 * every one that {@link DockerCliFlags} reads, and read by it.
 *
 * <p>picocli declares the options, so that {@code --help} lists them, but does not parse their
 * values: each option's preprocessor takes the flag and its value from the command line as given
 * ({@code --memory 1g} or {@code --memory=1g}) and keeps them, and {@link #toLimits()} hands them all
 * to {@link DockerCliFlags#read(List)}. So every flag the library knows works here, with the
 * library's grammar and rules, and every bad flag is reported at once, each with the flag, the
 * offending text and the rule.
 */
public final class LimitOptions {

    @Option(names = {"-m", "--memory"}, paramLabel = "SIZE", preprocessor = Flag.class,
            description = "Memory limit: 1g, 512m, 1536m (b k m g t p).")
    List<String> memory;

    @Option(names = "--memory-reservation", paramLabel = "SIZE", preprocessor = Flag.class,
            description = "Soft memory limit.")
    List<String> memoryReservation;

    @Option(names = "--memory-swap", paramLabel = "SIZE", preprocessor = Flag.class,
            description = "Memory plus swap, as docker: -1 for unlimited swap, equal to --memory for none.")
    List<String> memorySwap;

    @Option(names = "--memory-swappiness", paramLabel = "N", preprocessor = Flag.class,
            description = "How readily the kernel swaps the container's pages, 0 to 100 (cgroup v1 only).")
    List<String> memorySwappiness;

    @Option(names = "--cpus", paramLabel = "N", preprocessor = Flag.class,
            description = "CPU limit: 2.5, 250%%, 2500m or 250000us/100000us.")
    List<String> cpus;

    @Option(names = "--cpu-period", paramLabel = "US", preprocessor = Flag.class,
            description = "CFS period in microseconds (with --cpu-quota).")
    List<String> cpuPeriod;

    @Option(names = "--cpu-quota", paramLabel = "US", preprocessor = Flag.class,
            description = "CFS quota in microseconds per period.")
    List<String> cpuQuota;

    @Option(names = {"-c", "--cpu-shares"}, paramLabel = "N", preprocessor = Flag.class,
            description = "Relative CPU weight, 2 to 262144.")
    List<String> cpuShares;

    @Option(names = "--cpuset-cpus", paramLabel = "SET", preprocessor = Flag.class,
            description = "CPUs allowed: 0-3,5.")
    List<String> cpusetCpus;

    @Option(names = "--cpuset-mems", paramLabel = "SET", preprocessor = Flag.class,
            description = "Memory nodes allowed: 0-1.")
    List<String> cpusetMems;

    @Option(names = "--pids-limit", paramLabel = "N", preprocessor = Flag.class,
            description = "Most tasks at once; -1 for unlimited.")
    List<String> pidsLimit;

    @Option(names = "--blkio-weight", paramLabel = "N", preprocessor = Flag.class,
            description = "Relative block-IO weight, 10 to 1000.")
    List<String> blkioWeight;

    @Option(names = "--oom-kill-disable", arity = "0..1", paramLabel = "true|false", preprocessor = Flag.class,
            description = "Keep the OOM killer from killing the container's processes (cgroup v1 only).")
    List<String> oomKillDisable;

    @Option(names = "--shm-size", paramLabel = "SIZE", preprocessor = Flag.class,
            description = "Size of /dev/shm.")
    List<String> shmSize;

    /**
     * The limit flags as given, one argument each, grouped by option in the order above.
     *
     * @return the arguments, for {@link DockerCliFlags#read(List)}
     */
    List<String> flags() {
        List<String> flags = new ArrayList<>();
        Stream.of(memory, memoryReservation, memorySwap, memorySwappiness, cpus, cpuPeriod, cpuQuota, cpuShares,
                cpusetCpus, cpusetMems, pidsLimit, blkioWeight, oomKillDisable, shmSize)
                .filter(given -> given != null)
                .forEach(flags::addAll);
        return flags;
    }

    /**
     * Whether any limit option was given.
     *
     * @return true when at least one was
     */
    boolean any() {
        return !flags().isEmpty();
    }

    /**
     * Reads the options with {@link DockerCliFlags}, which validates them as one {@link ResourceLimits}.
     *
     * @return the limits
     * @throws BadInputException listing every bad option: the flag, the text and the rule
     */
    ResourceLimits toLimits() {
        try {
            return DockerCliFlags.read(flags()).value();
        } catch (InvalidLimitsException e) {
            throw new BadInputException(e.violations().stream().map(Violation::toString).toList());
        }
    }

    /**
     * Takes an option's flag and value from the command line as given and adds them to the option's
     * list, unparsed: {@code --memory 1g} as {@code [--memory, 1g]}, {@code --memory=1g} as
     * {@code [--memory=1g]}, {@code --oom-kill-disable} alone. A flag at the end of the line, without
     * a value, is kept alone, for {@link DockerCliFlags} to report; as there, the argument after a
     * flag is its value, whatever it looks like ({@code --memory-swap -1}).
     */
    static final class Flag implements IParameterPreprocessor {
        @Override
        public boolean preprocess(Stack<String> args, CommandSpec command, ArgSpec arg, Map<String, Object> info) {
            OptionSpec option = (OptionSpec) arg;
            String separator = String.valueOf(info.get("separator"));
            List<String> given = new ArrayList<>();
            List<String> before = option.getValue();
            if (before != null) {
                given.addAll(before);
            }
            String flag = option.longestName();
            if (separator.equals(" ")) {
                given.add(flag);
                // A boolean flag's value is only ever attached (--oom-kill-disable=false), as docker's.
                if (option.arity().min() > 0 && !args.isEmpty()) {
                    given.add(args.pop());
                }
            } else if (separator.isEmpty()) {
                // -m1g, were clustered short options on: as written, which DockerCliFlags refuses.
                given.add(option.shortestName() + (args.isEmpty() ? "" : args.pop()));
            } else {
                given.add(flag + "=" + (args.isEmpty() ? "" : args.pop()));
            }
            option.setValue(given);
            return true;
        }
    }
}
