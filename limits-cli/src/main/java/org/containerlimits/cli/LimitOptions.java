package org.containerlimits.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Stack;
import org.containerlimits.core.InvalidLimitsException;
import org.containerlimits.core.Limit;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.Violation;
import org.containerlimits.core.format.DockerCliFlags;
import picocli.CommandLine.IParameterPreprocessor;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The limit options shared by {@code run}, {@code update} and {@code check}: one option for each
 * {@link Limit} of the library's table, named by its {@code docker run} flags, and read by
 * {@link DockerCliFlags}.
 *
 * <p>picocli declares the options, so that {@code --help} lists them, but does not parse their
 * values: each option's preprocessor takes the flag and its value from the command line as given
 * ({@code --memory 1g} or {@code --memory=1g}) and keeps them in order, and {@link #toLimits()}
 * hands them all to {@link DockerCliFlags#read(List)}. So every flag the library knows works here,
 * with the library's grammar and rules, a limit added to the table is an option here without a
 * change, and every bad flag is reported at once, each with the flag, the offending text and the rule.
 */
public final class LimitOptions {

    /** A command that takes limit options. */
    interface Holder {
        /**
         * The command's limit options.
         *
         * @return the options, filled while the command line is parsed
         */
        LimitOptions limitOptions();
    }

    private final List<String> given = new ArrayList<>();

    /**
     * Adds an option for every limit to a command.
     *
     * @param command the command's spec
     * @param into where the options' flags and values are kept
     */
    static void addTo(CommandSpec command, LimitOptions into) {
        for (Limit limit : Limit.values()) {
            boolean flagOnly = limit.kind() == Limit.Kind.BOOLEAN;
            command.addOption(OptionSpec.builder(limit.flags().toArray(String[]::new))
                    .type(List.class).auxiliaryTypes(String.class)
                    .arity(flagOnly ? "0..1" : "1")
                    .paramLabel(flagOnly ? "true|false" : label(limit.kind()))
                    .description(description(limit))
                    .preprocessor(into.new Flag())
                    .build());
        }
    }

    private static String label(Limit.Kind kind) {
        return switch (kind) {
            case SIZE, SWAP -> "SIZE";
            case CPU_SET -> "SET";
            case DEVICE_BYTES_RATE -> "PATH:SIZE";
            case DEVICE_IO_RATE, DEVICE_WEIGHT -> "PATH:N";
            case ULIMITS -> "NAME=SOFT[:HARD]";
            case NANO_CPUS -> "CPUS";
            default -> "N";
        };
    }

    private static String description(Limit limit) {
        String what = switch (limit.kind()) {
            case SIZE -> "A size: 1g, 512m (b k m g t p).";
            case SWAP -> "Memory plus swap, as docker: -1 for unlimited swap.";
            case NANO_CPUS -> "CPUs: 2.5, 250%%, 2500m or 250000us/100000us.";
            case CPU_QUOTA, CPU_PERIOD -> "Microseconds.";
            case CPU_SET -> "CPUs or memory nodes: 0-3,5.";
            case PIDS -> "Most tasks at once; -1 for unlimited.";
            case BOOLEAN -> "Given alone, true.";
            case DEVICE_BYTES_RATE -> "A device and bytes per second: /dev/sda:10m. Repeatable.";
            case DEVICE_IO_RATE -> "A device and IOs per second: /dev/sda:1000. Repeatable.";
            case DEVICE_WEIGHT -> "A device and a weight, 10 to 1000: /dev/sda:500. Repeatable.";
            case ULIMITS -> "A ulimit: nofile=64:64. Repeatable.";
            case INTEGER -> limit.range().map(r -> "From " + r.min() + " to " + r.max() + ".").orElse("A number.");
        };
        return what + " (" + limit.keyword() + ")";
    }

    /**
     * The limit flags as given, one argument each, in the order given.
     *
     * @return the arguments, for {@link DockerCliFlags#read(List)}
     */
    List<String> flags() {
        return List.copyOf(given);
    }

    /**
     * Whether any limit option was given.
     *
     * @return true when at least one was
     */
    boolean any() {
        return !given.isEmpty();
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
     * Takes an option's flag and value from the command line as given and keeps them, unparsed:
     * {@code --memory 1g} as {@code [--memory, 1g]}, {@code --memory=1g} as {@code [--memory=1g]},
     * {@code --oom-kill-disable} alone. A flag at the end of the line, without a value, is kept
     * alone, for {@link DockerCliFlags} to report; as there, the argument after a flag is its value,
     * whatever it looks like ({@code --memory-swap -1}).
     */
    final class Flag implements IParameterPreprocessor {
        @Override
        public boolean preprocess(Stack<String> args, CommandSpec command, ArgSpec arg, Map<String, Object> info) {
            OptionSpec option = (OptionSpec) arg;
            String separator = String.valueOf(info.get("separator"));
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
            return true;
        }
    }
}
