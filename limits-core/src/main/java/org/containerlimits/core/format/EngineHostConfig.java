package org.containerlimits.core.format;

import org.containerlimits.core.internal.Texts;

import org.containerlimits.core.InvalidLimitsException;
import org.containerlimits.core.PidsLimit;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.Violation;


import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Limits as the Docker Engine API's {@code HostConfig} fields, read and written: the JSON of
 * {@code POST /containers/create} and {@code docker inspect}, as a map a JSON parser produced.
 *
 * <table class="striped">
 *   <caption>Fields</caption>
 *   <thead><tr><th>HostConfig</th><th>value</th><th>docker-py</th></tr></thead>
 *   <tbody>
 *   <tr><td>Memory, MemoryReservation, ShmSize</td><td>bytes</td><td>mem_limit, mem_reservation, shm_size</td></tr>
 *   <tr><td>MemorySwap</td><td>bytes of memory+swap, -1 unlimited</td><td>memswap_limit</td></tr>
 *   <tr><td>MemorySwappiness</td><td>0 to 100, -1 the default</td><td>mem_swappiness</td></tr>
 *   <tr><td>NanoCpus</td><td>nano-CPUs</td><td>nano_cpus</td></tr>
 *   <tr><td>CpuQuota, CpuPeriod</td><td>microseconds</td><td>cpu_quota, cpu_period</td></tr>
 *   <tr><td>CpuShares, BlkioWeight</td><td>weights</td><td>cpu_shares, blkio_weight</td></tr>
 *   <tr><td>CpusetCpus, CpusetMems</td><td>strings like {@code 0-3}</td><td>cpuset_cpus, cpuset_mems</td></tr>
 *   <tr><td>PidsLimit</td><td>-1 unlimited</td><td>pids_limit</td></tr>
 *   <tr><td>OomKillDisable</td><td>boolean</td><td>oom_kill_disable</td></tr>
 *   </tbody>
 * </table>
 * Numbers must be exact whole numbers (a JSON parser's {@code 1.0} is accepted, {@code 1.5} is
 * not). As in the Engine, 0 and {@code null} mean "not set", except for MemorySwappiness, where
 * -1 does and 0 is a value;
 * {@code PidsLimit} 0 means not set and -1 unlimited. Any other key ({@code Privileged},
 * {@code Binds}) is an error naming it: the map must carry limits only.
 *
 * <pre>{@code
 * EngineHostConfig.read(Map.of("Memory", 1073741824, "NanoCpus", 2500000000L)).value();   // mem_limit=1g,nano_cpus=2500000000
 * EngineHostConfig.write(limits).value();   // {Memory=1073741824, NanoCpus=2500000000}
 * }</pre>
 *
 * <p>Every limit has a field, so both directions are complete.
 */
public final class EngineHostConfig {
    private static final Map<String, String> KEYWORD = new LinkedHashMap<>();
    private static final Map<String, String> FIELD = new LinkedHashMap<>();

    static {
        field("Memory", "mem_limit");
        field("MemoryReservation", "mem_reservation");
        field("MemorySwap", "memswap_limit");
        field("MemorySwappiness", "mem_swappiness");
        field("NanoCpus", "nano_cpus");
        field("CpuQuota", "cpu_quota");
        field("CpuPeriod", "cpu_period");
        field("CpuShares", "cpu_shares");
        field("CpusetCpus", "cpuset_cpus");
        field("CpusetMems", "cpuset_mems");
        field("PidsLimit", "pids_limit");
        field("BlkioWeight", "blkio_weight");
        field("OomKillDisable", "oom_kill_disable");
        field("ShmSize", "shm_size");
    }

    private static void field(String field, String keyword) {
        KEYWORD.put(field, keyword);
        FIELD.put(keyword, field);
    }

    private EngineHostConfig() {
    }

    /**
     * Reads HostConfig fields.
     *
     * @param hostConfig the fields, as a JSON parser gives them
     * @return the limits; complete
     * @throws InvalidLimitsException naming every unknown field, wrong type, bad value and broken
     *     rule, at once, by HostConfig field; or a {@code null} map, as
     *     {@link ResourceLimits#fromDockerPy(Map)} reports it
     */
    public static Conversion<ResourceLimits> read(Map<String, ?> hostConfig) {
        Texts.requireMap("HostConfig", hostConfig);
        List<Violation> problems = new ArrayList<>();
        Map<String, Object> dockerPy = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : hostConfig.entrySet()) {
            String field = String.valueOf(e.getKey());
            String keyword = KEYWORD.get(field);
            Object v = e.getValue();
            if (keyword == null) {
                problems.add(new Violation(field, Formats.text(v), "is not a resource limit field of HostConfig"));
                continue;
            }
            if (v == null) {
                continue;
            }
            switch (keyword) {
                case "cpuset_cpus", "cpuset_mems" -> {
                    if (!(v instanceof String s)) {
                        problems.add(new Violation(field, Formats.text(v), "must be a string, not " + Formats.type(v)));
                    } else if (!s.isEmpty()) {
                        dockerPy.put(keyword, s);
                    }
                }
                case "oom_kill_disable" -> {
                    if (!(v instanceof Boolean b)) {
                        problems.add(new Violation(field, Formats.text(v), "must be true or false, not " + Formats.type(v)));
                    } else {
                        dockerPy.put(keyword, b);
                    }
                }
                default -> {
                    Long n = Formats.wholeNumber(field, v, problems);
                    // MemorySwappiness is the one field where 0 is a value (no swapping) and -1 "not set".
                    boolean unset = n == null || (keyword.equals("mem_swappiness") ? n == -1 : n == 0);
                    if (!unset) {
                        dockerPy.put(keyword, n);
                    }
                }
            }
        }
        return new Conversion<>(Formats.limits(dockerPy, FIELD, problems), List.of());
    }

    /**
     * Writes limits as HostConfig fields; fields not set are left out.
     *
     * @param limits the limits
     * @return the fields, numbers as {@code Long}; complete
     */
    public static Conversion<Map<String, Object>> write(ResourceLimits limits) {
        Map<String, Object> fields = new LinkedHashMap<>();
        limits.toDockerPy().forEach((keyword, value) -> fields.put(FIELD.get(keyword), value));
        return new Conversion<>(java.util.Collections.unmodifiableMap(fields), List.of());
    }
}
