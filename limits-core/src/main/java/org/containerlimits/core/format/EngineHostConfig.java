package org.containerlimits.core.format;


import org.containerlimits.core.InvalidLimitsException;
import org.containerlimits.core.PidsLimit;
import org.containerlimits.core.Limit;
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
 * Each limit's field is {@link Limit#engineField()}: {@code Memory}, {@code NanoCpus},
 * {@code BlkioDeviceWriteBps}, {@code Ulimits}, ... Sizes are bytes, {@code MemorySwap} bytes of
 * memory+swap or -1 for unlimited, CPU as nano-CPUs or a quota and period in microseconds, cpusets
 * strings like {@code 0-3}, device limits lists of {@code {"Path": "/dev/sda", "Rate": 1048576}}
 * (or {@code "Weight"}), ulimits lists of {@code {"Name": "nofile", "Soft": 64, "Hard": 64}}.
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
        Formats.requireMap("HostConfig", hostConfig);
        List<Violation> problems = new ArrayList<>();
        Map<String, Object> dockerPy = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : hostConfig.entrySet()) {
            String field = String.valueOf(e.getKey());
            Limit limit = Limit.ofEngineField(field).orElse(null);
            Object v = e.getValue();
            if (limit == null) {
                problems.add(new Violation(field, Formats.text(v), "is not a resource limit field of HostConfig"));
                continue;
            }
            if (v == null) {
                continue;
            }
            switch (limit.kind()) {
                case CPU_SET -> {
                    if (!(v instanceof String s)) {
                        problems.add(new Violation(field, Formats.text(v), "must be a string, not " + Formats.type(v)));
                    } else if (!s.isEmpty()) {
                        dockerPy.put(limit.keyword(), s);
                    }
                }
                case BOOLEAN -> {
                    if (!(v instanceof Boolean b)) {
                        problems.add(new Violation(field, Formats.text(v), "must be true or false, not " + Formats.type(v)));
                    } else {
                        dockerPy.put(limit.keyword(), b);
                    }
                }
                case DEVICE_BYTES_RATE, DEVICE_IO_RATE, DEVICE_WEIGHT, ULIMITS -> {
                    if (!(v instanceof List<?> list)) {
                        problems.add(new Violation(field, Formats.text(v), "must be a list, not " + Formats.type(v)));
                    } else if (!list.isEmpty()) {
                        // The items are docker-py's own maps ({Path, Rate}, {Name, Soft, Hard}).
                        dockerPy.put(limit.keyword(), list);
                    }
                }
                default -> {
                    Long n = Formats.wholeNumber(field, v, problems);
                    // MemorySwappiness is the one field where 0 is a value (no swapping) and -1 "not set".
                    boolean unset = n == null || (limit == Limit.MEMORY_SWAPPINESS ? n == -1 : n == 0);
                    if (!unset) {
                        dockerPy.put(limit.keyword(), n);
                    }
                }
            }
        }
        return new Conversion<>(Formats.limits(dockerPy, k -> Limit.ofKeyword(k).map(Limit::engineField).orElse(k), problems), List.of());
    }

    /**
     * Writes limits as HostConfig fields; fields not set are left out.
     *
     * @param limits the limits
     * @return the fields, numbers as {@code Long}; complete
     */
    public static Conversion<Map<String, Object>> write(ResourceLimits limits) {
        Map<String, Object> fields = new LinkedHashMap<>();
        limits.toDockerPy().forEach((keyword, value) ->
                fields.put(Limit.ofKeyword(keyword).orElseThrow().engineField(), value));
        return new Conversion<>(java.util.Collections.unmodifiableMap(fields), List.of());
    }
}
