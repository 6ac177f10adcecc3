package org.containerlimits.core.format;


import org.containerlimits.core.CpuLimit;
import org.containerlimits.core.InvalidLimitsException;
import org.containerlimits.core.Limit;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.Violation;


import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Limits as a Compose service's {@code deploy.resources}, read and written: the map a YAML parser
 * gives for
 * <pre>
 * resources:
 *   limits:       {cpus: '0.50', memory: 50M, pids: 100}
 *   reservations: {memory: 20M}
 * </pre>
 * {@code cpus} is cores (a string or a number); {@code memory} a byte count or a size in Compose's
 * units, which are the docker CLI's (binary: {@code 50M}, {@code 1gb}, {@code 1g} are 2^20 and 2^30
 * multiples, unlike Kubernetes' {@code 1G} = 10^9); {@code pids} a whole number.
 *
 * <p>No equivalent, reported in {@link Conversion#unconverted()}: reading, {@code reservations.cpus}
 * and {@code reservations.devices} / {@code generic_resources} (swarm scheduling reservations, not
 * container limits); writing, every limit without a {@link org.containerlimits.core.Limit#composeKey()}
 * (memory+swap, swappiness, CPU shares, cpusets, block IO, OOM settings, shm size, ulimits:
 * service-level keys in Compose, not part of {@code deploy.resources}), and a CFS
 * period other than 100000 us (Compose's {@code cpus} is nano-CPUs). Unknown keys are errors.
 *
 * <pre>{@code
 * ComposeResources.read(Map.of("limits", Map.of("cpus", "0.50", "memory", "50M"))).value();   // mem_limit=50m,nano_cpus=500000000
 * }</pre>
 */
public final class ComposeResources {
    private ComposeResources() {
    }

    /**
     * Reads a {@code resources} map.
     *
     * @param resources the map with {@code limits} and/or {@code reservations}
     * @return the limits, and the reservations with no container equivalent
     * @throws InvalidLimitsException naming every unknown key, wrong type, bad value and broken
     *     rule, at once, as {@code limits.memory} and the like; or a {@code null} map, as
     *     {@link ResourceLimits#fromDockerPy(Map)} reports it
     */
    public static Conversion<ResourceLimits> read(Map<String, ?> resources) {
        Formats.requireMap("resources", resources);
        List<Violation> problems = new ArrayList<>();
        List<String> unconverted = new ArrayList<>();
        Map<String, Object> dockerPy = new LinkedHashMap<>();
        for (Map.Entry<String, ?> section : resources.entrySet()) {
            String name = String.valueOf(section.getKey());
            if (!name.equals("limits") && !name.equals("reservations")) {
                problems.add(new Violation(name, Formats.text(section.getValue()),
                        "is not a key of deploy.resources: expected limits or reservations"));
                continue;
            }
            Map<?, ?> values = Formats.map(name, section.getValue(), problems);
            if (values == null) {
                continue;
            }
            for (Map.Entry<?, ?> e : values.entrySet()) {
                String key = name + "." + e.getKey();
                Object v = e.getValue();
                switch (key) {
                    case "limits.cpus" -> {
                        String text = Formats.decimalText(key, v, problems);
                        if (text != null && !Formats.isAscii(text)) {
                            // new BigDecimal(String) reads any Unicode digit (U+0661 is 1); Compose does not.
                            problems.add(new Violation(key, Formats.text(v), "must be a decimal number of cores"));
                        } else if (text != null) {
                            try {
                                dockerPy.put(Limit.NANO_CPUS.keyword(), CpuLimit.ofCores(new BigDecimal(text.strip())).toNanoCpus());
                            } catch (NumberFormatException ex) {
                                problems.add(new Violation(key, Formats.text(v), "must be a decimal number of cores"));
                            } catch (InvalidLimitsException ex) {
                                ex.violations().forEach(x -> problems.add(new Violation(key, Formats.text(v), x.rule())));
                            }
                        }
                    }
                    case "limits.memory" -> size(key, v, Limit.MEMORY.keyword(), dockerPy, problems);
                    case "reservations.memory" -> size(key, v, Limit.MEMORY_RESERVATION.keyword(), dockerPy, problems);
                    case "limits.pids" -> {
                        Long n = Formats.wholeNumber(key, v, problems);
                        if (n != null) {
                            dockerPy.put(Limit.PIDS_LIMIT.keyword(), n);
                        }
                    }
                    case "reservations.cpus", "reservations.devices", "reservations.generic_resources" ->
                            unconverted.add(key + " = " + Formats.text(v) + ": a swarm scheduling reservation,"
                                    + " not a container limit");
                    default -> problems.add(new Violation(key, Formats.text(v), "is not a key of deploy.resources."
                            + name + ": expected " + (name.equals("limits") ? "cpus, memory or pids"
                                    : "cpus, memory, devices or generic_resources")));
                }
            }
        }
        return new Conversion<>(Formats.limits(dockerPy, k -> Limit.ofKeyword(k).flatMap(Limit::composeKey).orElse(k), problems), unconverted);
    }

    private static void size(String key, Object v, String keyword, Map<String, Object> dockerPy, List<Violation> problems) {
        if (v instanceof String s) {
            dockerPy.put(keyword, s);
        } else {
            Long n = Formats.wholeNumber(key, v, problems);
            if (n != null) {
                dockerPy.put(keyword, n);
            }
        }
    }

    /**
     * Writes limits as a {@code resources} map: strings for {@code cpus} and {@code memory}, as
     * Compose files write them, a number for {@code pids}.
     *
     * @param limits the limits
     * @return the map, and every limit Compose's {@code deploy.resources} cannot hold
     */
    public static Conversion<Map<String, Object>> write(ResourceLimits limits) {
        Map<String, Object> limitsSection = new LinkedHashMap<>();
        Map<String, Object> reservations = new LinkedHashMap<>();
        List<String> unconverted = new ArrayList<>();
        limits.cpu().ifPresent(cpu -> {
            if (cpu.toNanoCpus() < CpuLimit.MIN_NANO_CPUS) {
                unconverted.add("cpu_quota = " + cpu + ": " + cpu.cores().stripTrailingZeros().toPlainString()
                        + " cores is below the 0.01 that Compose's cpus (nano-CPUs) can hold");
                return;
            }
            limitsSection.put("cpus", BigDecimal.valueOf(cpu.toNanoCpus(), 9).stripTrailingZeros().toPlainString());
            if (cpu.isQuotaForm() && cpu.cfsPeriodMicros().getAsLong() != CpuLimit.DEFAULT_PERIOD_MICROS) {
                unconverted.add("cpu_period = " + cpu.cfsPeriodMicros().getAsLong() + ": Compose's cpus is applied"
                        + " per 100000 us period; the cores are kept, the period is not");
            }
        });
        limits.memory().ifPresent(m -> limitsSection.put("memory", m.toString()));
        limits.pidsLimit().ifPresent(p -> {
            if (p.max().isPresent()) {
                limitsSection.put("pids", p.max().getAsLong());
            } else {
                unconverted.add("pids_limit = unlimited: Compose's pids takes a number; leave it out instead");
            }
        });
        limits.memoryReservation().ifPresent(m -> reservations.put("memory", m.toString()));
        for (Limit limit : Limit.values()) {
            if (limit.composeKey().isEmpty() && limits.isSet(limit)) {
                unconverted.add(limit.keyword() + " = " + String.join(",", limits.texts(limit))
                        + ": a service-level key in Compose, not part of deploy.resources");
            }
        }
        return new Conversion<>(Formats.sections("limits", limitsSection, "reservations", reservations), unconverted);
    }
}
