package org.containerlimits.core.format;


import org.containerlimits.core.CpuLimit;
import org.containerlimits.core.KubernetesQuantity;
import org.containerlimits.core.InvalidLimitsException;
import org.containerlimits.core.Limit;
import org.containerlimits.core.LimitParseException;
import org.containerlimits.core.MemorySize;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.Violation;


import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Limits as a Kubernetes container's {@code resources}, read and written, with the kubelet's own
 * conversions: the map a YAML parser gives for
 * <pre>
 * resources:
 *   limits:   {cpu: 500m, memory: 1Gi}
 *   requests: {cpu: 250m, memory: 512Mi}
 * </pre>
 * Values are Kubernetes quantities ({@link KubernetesQuantity}'s grammar: {@code 1Gi} is 2^30,
 * {@code 1G} is 10^9, {@code 500m} is half a CPU, {@code 1e3} a thousand), or numbers.
 *
 * <table class="striped">
 *   <caption>Conversions, as the kubelet makes them</caption>
 *   <tbody>
 *   <tr><td>limits.cpu</td><td>a CFS quota per 100000 us period: millicores x 100 us, at least
 *       1000 us (the kubelet's minimum quota); so {@code 500m} is {@code cpu_quota=50000}</td></tr>
 *   <tr><td>requests.cpu</td><td>CPU shares: millicores x 1024 / 1000, at least 2</td></tr>
 *   <tr><td>limits.memory</td><td>the memory limit</td></tr>
 *   <tr><td>requests.memory</td><td>the memory reservation. The kubelet itself uses the request for
 *       scheduling and eviction, and on cgroup v2 with MemoryQoS sets {@code memory.min} from it; a
 *       Docker reservation (a soft limit) is the nearest a single container has</td></tr>
 *   </tbody>
 * </table>
 * CPU quantities finer than a millicore are refused, as the API server refuses them. Other
 * resources ({@code ephemeral-storage}, {@code hugepages-2Mi}, extended resources such as
 * {@code nvidia.com/gpu}) have no Docker limit and are reported in {@link Conversion#unconverted()};
 * any other name ({@code hostPath}, {@code securityContext}: not a resource, and refused by the API
 * server too) is an error. Requests are not defaulted from limits (the API server does that, not the
 * kubelet). Writing, every limit without a {@link org.containerlimits.core.Limit#kubernetesKey()}
 * (memory+swap, swappiness, cpusets, pids, which Kubernetes limits per pod, block IO, OOM settings,
 * shm size, ulimits) is reported, and so is a CPU limit or shares that millicores cannot
 * express exactly.
 *
 * <pre>{@code
 * KubernetesResources.read(Map.of("limits", Map.of("cpu", "500m", "memory", "1Gi"))).value();   // mem_limit=1g,cpu_quota=50000,cpu_period=100000
 * }</pre>
 */
public final class KubernetesResources {
    /** The kubelet's minimum CFS quota, in microseconds. */
    static final long MIN_QUOTA_MICROS = 1000;

    /** The kubelet's minimum CPU shares. */
    static final int MIN_SHARES = 2;

    private KubernetesResources() {
    }

    /**
     * Reads a {@code resources} map.
     *
     * @param resources the map with {@code limits} and/or {@code requests}
     * @return the limits, and the resources with no Docker equivalent
     * @throws InvalidLimitsException naming every unknown key, wrong type, bad quantity and broken
     *     rule, at once, as {@code limits.cpu} and the like; or a {@code null} map, as
     *     {@link ResourceLimits#fromDockerPy(Map)} reports it
     */
    public static Conversion<ResourceLimits> read(Map<String, ?> resources) {
        Formats.requireMap("resources", resources);
        List<Violation> problems = new ArrayList<>();
        List<String> unconverted = new ArrayList<>();
        Map<String, Object> dockerPy = new LinkedHashMap<>();
        for (Map.Entry<String, ?> section : resources.entrySet()) {
            String name = String.valueOf(section.getKey());
            if (name.equals("claims")) {
                unconverted.add("claims: dynamic resource claims have no Docker limit");
                continue;
            }
            if (!name.equals("limits") && !name.equals("requests")) {
                problems.add(new Violation(name, Formats.text(section.getValue()),
                        "is not a key of resources: expected limits or requests"));
                continue;
            }
            Map<?, ?> values = Formats.map(name, section.getValue(), problems);
            if (values == null) {
                continue;
            }
            for (Map.Entry<?, ?> e : values.entrySet()) {
                String key = name + "." + e.getKey();
                Object v = e.getValue();
                if (!isResourceName(String.valueOf(e.getKey()))) {
                    // The API server refuses these too; anything else (hostPath, securityContext) in
                    // a resources map is a mistake or an attempt to smuggle a setting through.
                    problems.add(new Violation(key, Formats.text(v), "is not a Kubernetes resource name: a container's"
                            + " resources are cpu, memory, ephemeral-storage, hugepages-<size> or a domain-qualified"
                            + " extended resource such as nvidia.com/gpu"));
                    continue;
                }
                String text = Formats.decimalText(key, v, problems);
                if (text == null) {
                    continue;
                }
                try {
                    switch (key) {
                        case "limits.cpu" -> {
                            long milli = millicores(key, text);
                            if (milli * 100 < MIN_QUOTA_MICROS) {
                                unconverted.add(key + " = " + Formats.text(v) + ": below the kubelet's minimum quota;"
                                        + " applied as 1000 us per 100000 us (10m), as the kubelet applies it");
                            }
                            dockerPy.put(Limit.CPU_QUOTA.keyword(), Math.max(MIN_QUOTA_MICROS, milli * 100));
                            dockerPy.put(Limit.CPU_PERIOD.keyword(), CpuLimit.DEFAULT_PERIOD_MICROS);
                        }
                        case "requests.cpu" -> dockerPy.put(Limit.CPU_SHARES.keyword(),
                                Math.min(ResourceLimits.MAX_CPU_SHARES, Math.max(MIN_SHARES, millicores(key, text) * 1024 / 1000)));
                        case "limits.memory" -> dockerPy.put(Limit.MEMORY.keyword(), MemorySize.parseKubernetes(text).toBytes());
                        case "requests.memory" -> dockerPy.put(Limit.MEMORY_RESERVATION.keyword(), MemorySize.parseKubernetes(text).toBytes());
                        default -> unconverted.add(key + " = " + Formats.text(v) + ": no Docker limit for this resource");
                    }
                } catch (LimitParseException ex) {
                    problems.add(new Violation(key, Formats.text(v), ex.getMessage()));
                }
            }
        }
        return new Conversion<>(Formats.limits(dockerPy, k -> Limit.ofKeyword(k).flatMap(Limit::kubernetesKey).orElse(k), problems), unconverted);
    }

    /** The API server's rule for a container's resource names: the standard ones, or qualified. */
    private static boolean isResourceName(String name) {
        return switch (name) {
            case "cpu", "memory", "ephemeral-storage" -> true;
            default -> name.startsWith("hugepages-") && name.length() > "hugepages-".length()
                    || name.indexOf('/') > 0 && name.indexOf('/') < name.length() - 1;
        };
    }

    private static long millicores(String key, String text) {
        BigDecimal cores = KubernetesQuantity.parse(text.strip());
        BigDecimal milli = cores.movePointRight(3);
        if (milli.signum() < 0 || milli.stripTrailingZeros().scale() > 0) {
            throw new LimitParseException("Kubernetes CPU quantity", text, 0,
                    "a whole number of millicores (Kubernetes refuses finer CPU quantities)");
        }
        if (milli.compareTo(BigDecimal.valueOf(Long.MAX_VALUE / 1024)) > 0) {
            throw new LimitParseException("Kubernetes CPU quantity", text, 0, "a CPU quantity this side of "
                    + (Long.MAX_VALUE / 1024 / 1000) + " cores");
        }
        return milli.longValueExact();
    }

    /**
     * Writes limits as a {@code resources} map, quantities as strings ({@code 2500m}, {@code 1Gi}).
     *
     * @param limits the limits
     * @return the map, and every limit a container's resources cannot hold
     */
    public static Conversion<Map<String, Object>> write(ResourceLimits limits) {
        Map<String, Object> limitsSection = new LinkedHashMap<>();
        Map<String, Object> requests = new LinkedHashMap<>();
        List<String> unconverted = new ArrayList<>();
        limits.cpu().ifPresent(cpu -> {
            BigDecimal milli = cpu.cores().movePointRight(3);
            BigDecimal whole = milli.setScale(0, java.math.RoundingMode.DOWN);
            if (whole.longValue() * 100 < MIN_QUOTA_MICROS) {
                unconverted.add((cpu.isQuotaForm() ? Limit.CPU_QUOTA.keyword() : Limit.NANO_CPUS.keyword()) + " = " + cpu + ": "
                        + cpu.cores().stripTrailingZeros().toPlainString() + " cores is below the kubelet's minimum"
                        + " quota of 1000 us per 100000 us (0.01 cores)");
                return;
            }
            if (milli.compareTo(whole) != 0) {
                unconverted.add((cpu.isQuotaForm() ? Limit.CPU_QUOTA.keyword() : Limit.NANO_CPUS.keyword()) + " = " + cpu + ": "
                        + cpu.cores().stripTrailingZeros().toPlainString() + " cores is finer than a millicore;"
                        + " written as " + whole + "m");
            }
            if (cpu.isQuotaForm() && cpu.cfsPeriodMicros().getAsLong() != CpuLimit.DEFAULT_PERIOD_MICROS) {
                unconverted.add("cpu_period = " + cpu.cfsPeriodMicros().getAsLong() + ": the kubelet applies a CPU"
                        + " limit per 100000 us period; the cores are kept, the period is not");
            }
            limitsSection.put("cpu", whole.toPlainString() + "m");
        });
        limits.memory().ifPresent(m -> limitsSection.put("memory", m.toKubernetesString()));
        limits.cpuShares().ifPresent(shares -> {
            // The smallest millicores the kubelet turns into these shares.
            long milli = (shares * 1000L + 1023) / 1024;
            if (Math.max(MIN_SHARES, milli * 1024 / 1000) != shares) {
                unconverted.add("cpu_shares = " + shares + ": no CPU request gives exactly these shares; written as "
                        + milli + "m");
            }
            requests.put("cpu", milli + "m");
        });
        limits.memoryReservation().ifPresent(m -> requests.put("memory", m.toKubernetesString()));
        for (Limit limit : Limit.values()) {
            if (limit.kubernetesKey().isEmpty() && limits.isSet(limit)) {
                unconverted.add(limit.keyword() + " = " + String.join(",", limits.texts(limit)) + ": "
                        + (limit == Limit.PIDS_LIMIT
                                ? "Kubernetes limits pids per pod (kubelet --pod-max-pids), not per container"
                                : "no field of a container's resources"));
            }
        }
        return new Conversion<>(Formats.sections("limits", limitsSection, "requests", requests), unconverted);
    }
}
