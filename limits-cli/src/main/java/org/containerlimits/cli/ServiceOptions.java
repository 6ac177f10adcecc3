package org.containerlimits.cli;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.containerlimits.core.CpuLimit;
import org.containerlimits.core.InvalidLimitsException;
import org.containerlimits.core.Limit;
import org.containerlimits.core.LimitParseException;
import org.containerlimits.core.MemorySize;
import org.containerlimits.core.PidsLimit;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.Violation;
import org.containerlimits.docker.swarm.ServiceField;
import org.containerlimits.docker.swarm.ServiceResources;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The resource options of {@code limits service create} and {@code update}: one option for each
 * row of {@link ServiceField}'s table, named by its {@code docker service} flag
 * ({@code --limit-cpu}, {@code --limit-memory}, {@code --limit-pids}, {@code --reserve-cpu},
 * {@code --reserve-memory}), with docker's grammar for each:
 * <ul>
 *   <li>CPUs: a decimal number of cores, read exactly ({@code 2.01} is 2010000000 nano-CPUs; at most
 *       9 decimals, at least 0.01);</li>
 *   <li>memory: a size in docker's grammar ({@code 512m}, {@code 1g});</li>
 *   <li>pids: a positive number, or {@code 0} (docker's word) or {@code -1} for unlimited.</li>
 * </ul>
 * {@link #toResources()} reads them all at once and reports every bad option, each with its flag,
 * the text given and the rule.
 */
final class ServiceOptions {

    /** A plain decimal, as docker's {@code --limit-cpu}: {@code 2}, {@code 2.01}, {@code .5}. */
    private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,30}(\\.[0-9]{0,30})?|\\.[0-9]{1,30}");

    private final Map<ServiceField, String> given = new EnumMap<>(ServiceField.class);

    /**
     * Adds an option for every service field to a command.
     *
     * @param command the command's spec
     * @param into where the options' values are kept
     */
    static void addTo(CommandSpec command, ServiceOptions into) {
        for (ServiceField field : ServiceField.values()) {
            command.addOption(OptionSpec.builder(field.flag())
                    .type(String.class)
                    .arity("1")
                    .paramLabel(label(field))
                    .description(description(field))
                    .setter(into.setter(field))
                    .build());
        }
    }

    private ISetter setter(ServiceField field) {
        return new ISetter() {
            @Override
            public <T> T set(T value) {
                // picocli sets each option to its initial value, null, before parsing.
                if (value == null) {
                    given.remove(field);
                } else {
                    given.put(field, (String) value);
                }
                return null;
            }
        };
    }

    private static String label(ServiceField field) {
        return switch (kind(field)) {
            case CPUS -> "CPUS";
            case SIZE -> "SIZE";
            case PIDS -> "N";
        };
    }

    private static String description(ServiceField field) {
        String what = switch (kind(field)) {
            case CPUS -> "Cores, exactly: 0.5, 2.01.";
            case SIZE -> "A size: 1g, 512m (b k m g t p).";
            case PIDS -> "Most processes and threads at once; 0 or -1 for unlimited.";
        };
        String role = field.isReservation() ? " The scheduler reserves it for each task on its node;"
                + " the container gets no limit for it." : "";
        return what + role + " (" + field.engineField() + ")";
    }

    /** The grammar a field's value follows. */
    private enum Kind { CPUS, SIZE, PIDS }

    private static Kind kind(ServiceField field) {
        return switch (field) {
            case LIMIT_CPU, RESERVE_CPU -> Kind.CPUS;
            case LIMIT_MEMORY, RESERVE_MEMORY -> Kind.SIZE;
            case LIMIT_PIDS -> Kind.PIDS;
        };
    }

    /**
     * Whether any resource option was given.
     *
     * @return true when at least one was
     */
    boolean any() {
        return !given.isEmpty();
    }

    /**
     * The text given for a field's option.
     *
     * @param field the field
     * @return the text as given, or null when the option was not
     */
    String text(ServiceField field) {
        return given.get(field);
    }

    /**
     * Reads the options into the resources a service asks for each task.
     *
     * @return the resources; fields not given are not set
     * @throws BadInputException listing every bad option: the flag, the text and the rule
     */
    ServiceResources toResources() {
        List<Violation> problems = new ArrayList<>();
        ResourceLimits.Builder limits = ResourceLimits.builder();
        CpuLimit reservation = null;
        for (Map.Entry<ServiceField, String> e : given.entrySet()) {
            ServiceField field = e.getKey();
            String text = e.getValue();
            try {
                switch (field) {
                    case LIMIT_CPU -> limits.cpu(cores(field, text));
                    case RESERVE_CPU -> reservation = cores(field, text);
                    case LIMIT_MEMORY -> limits.memory(MemorySize.parse(text));
                    case RESERVE_MEMORY -> limits.memoryReservation(MemorySize.parse(text));
                    case LIMIT_PIDS -> limits.pidsLimit(text.strip().equals("0") ? PidsLimit.UNLIMITED
                            : PidsLimit.parse(text));
                }
            } catch (LimitParseException x) {
                problems.add(new Violation(field.flag(), text, x.getMessage()));
            } catch (InvalidLimitsException x) {
                x.violations().forEach(v -> problems.add(new Violation(field.flag(), text, v.rule())));
            }
        }
        ServiceResources resources = null;
        try {
            resources = ServiceResources.of(limits.build()).withCpuReservation(reservation);
        } catch (InvalidLimitsException x) {
            // Rules across fields (a reservation above the limit): named by the flag of the field broken.
            x.violations().forEach(v -> problems.add(new Violation(flagOf(v.field()), textOf(v), v.rule())));
        }
        if (!problems.isEmpty()) {
            throw new BadInputException(problems.stream().map(Violation::toString).toList());
        }
        return resources;
    }

    private CpuLimit cores(ServiceField field, String text) {
        if (!DECIMAL.matcher(text).matches()) {
            throw InvalidLimitsException.of(field.flag(), text, "must be a decimal number of cores, such as 2 or 2.01");
        }
        return CpuLimit.ofCores(new BigDecimal(text.startsWith(".") ? "0" + text : text));
    }

    /** The flag of a keyword of {@link ResourceLimits} or {@link ServiceResources}, or the keyword. */
    static String flagOf(String keyword) {
        if (keyword.equals(ServiceResources.CPU_RESERVATION)) {
            return ServiceField.RESERVE_CPU.flag();
        }
        for (ServiceField field : ServiceField.values()) {
            if (field.limit().map(Limit::keyword).filter(keyword::equals).isPresent()) {
                return field.flag();
            }
        }
        return keyword;
    }

    /** The text the user gave for the flag a violation names, else the violation's value. */
    private String textOf(Violation v) {
        return ServiceField.ofFlag(flagOf(v.field())).map(given::get).orElse(v.value());
    }

    /**
     * Writes resources as the flags that give them, in table order: {@code --limit-cpu 2.01
     * --limit-memory 1g}; what no flag carries is left out.
     *
     * @param resources the resources
     * @return the flags and values, one argument each
     */
    static List<String> flags(ServiceResources resources) {
        List<String> args = new ArrayList<>();
        for (ServiceField field : ServiceField.values()) {
            String value = switch (field) {
                case LIMIT_CPU -> resources.limits().cpu().filter(c -> !c.isQuotaForm())
                        .map(c -> cores(c)).orElse(null);
                case RESERVE_CPU -> resources.cpuReservation().map(c -> cores(c)).orElse(null);
                case LIMIT_MEMORY -> resources.limits().memory().map(MemorySize::toString).orElse(null);
                case RESERVE_MEMORY -> resources.limits().memoryReservation().map(MemorySize::toString).orElse(null);
                case LIMIT_PIDS -> resources.limits().pidsLimit()
                        .map(p -> Long.toString(p.max().orElse(0))).orElse(null);
            };
            if (value != null) {
                args.add(field.flag());
                args.add(value);
            }
        }
        return args;
    }

    /** Cores as docker's flag takes them: {@code 2.01}, {@code 2}. */
    static String cores(CpuLimit cpu) {
        return cpu.cores().stripTrailingZeros().toPlainString();
    }

    /**
     * Returns the number the Engine's {@code TaskTemplate.Resources} holds for a field.
     *
     * @param field the field
     * @param resources the resources
     * @return nano-CPUs, bytes or processes (0 for unlimited); empty when not set
     */
    static OptionalLong engineValue(ServiceField field, ServiceResources resources) {
        ResourceLimits l = resources.limits();
        return switch (field) {
            case LIMIT_CPU -> l.cpu().filter(c -> !c.isQuotaForm()).map(c -> OptionalLong.of(c.toNanoCpus()))
                    .orElse(OptionalLong.empty());
            case RESERVE_CPU -> resources.cpuReservation().map(c -> OptionalLong.of(c.toNanoCpus()))
                    .orElse(OptionalLong.empty());
            case LIMIT_MEMORY -> l.memory().map(m -> OptionalLong.of(m.toBytes())).orElse(OptionalLong.empty());
            case RESERVE_MEMORY -> l.memoryReservation().map(m -> OptionalLong.of(m.toBytes()))
                    .orElse(OptionalLong.empty());
            case LIMIT_PIDS -> l.pidsLimit().map(p -> OptionalLong.of(p.max().orElse(0))).orElse(OptionalLong.empty());
        };
    }
}
