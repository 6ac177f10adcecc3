package org.containerlimits.core;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads docker-py keyword maps (and the text form) into each limit's value, by the limit's
 * {@link Limit.Kind}, collecting every problem so that a spawner's admin sees all bad keys of a
 * config at once. The rules between limits are {@link ResourceLimits.Builder}'s.
 */
final class DockerPyReader {
    private final Map<String, ?> keywords;
    private final Map<Limit, Object> values = new EnumMap<>(Limit.class);
    private final List<Violation> problems = new ArrayList<>();
    private final Set<Limit> unreadable = EnumSet.noneOf(Limit.class);

    private DockerPyReader(Map<String, ?> keywords) {
        this.keywords = keywords;
    }

    Map<Limit, Object> values() {
        return values;
    }

    List<Violation> problems() {
        return problems;
    }

    /** The limits given a value that could not be read. */
    Set<Limit> unreadable() {
        return unreadable;
    }

    static DockerPyReader read(Map<String, ?> keywords) {
        Texts.requireMap("keywords", keywords);
        DockerPyReader r = new DockerPyReader(keywords);
        r.readAll();
        return r;
    }

    /**
     * Other tools' keys that are no docker-py keyword, and the reader that takes them: the one
     * table of such hints. {@code mem_limit} is both a docker-py keyword and a Spawner trait, so
     * only the Spawner's own names are here.
     */
    static final Map<String, String> OTHER_TOOLS_KEYS = Map.of(
            "cpu_limit", "a JupyterHub Spawner trait: read it with JupyterHubSpawner.read(...)",
            "cpu_guarantee", "a JupyterHub Spawner trait: read it with JupyterHubSpawner.read(...)",
            "mem_guarantee", "a JupyterHub Spawner trait: read it with JupyterHubSpawner.read(...)");

    private void readAll() {
        for (Object key : keywords.keySet()) {
            if (!(key instanceof String s) || Limit.ofKeyword(s).isEmpty()) {
                String hint = key instanceof String name ? OTHER_TOOLS_KEYS.get(name) : null;
                problems.add(new Violation(String.valueOf(key), text(keywords.get(key)), "is not a resource limit; "
                        + (hint == null ? "" : key + " is " + hint + "; ")
                        + "accepted keys are " + String.join(", ", Limit.keywords())));
            }
        }
        for (Limit limit : Limit.values()) {
            Object given = keywords.get(limit.keyword());
            if (given == null || limit.kind() == Limit.Kind.CPU_QUOTA || limit.kind() == Limit.Kind.CPU_PERIOD
                    || limit.kind() == Limit.Kind.NANO_CPUS) {
                continue;
            }
            int before = problems.size();
            Object value = switch (limit.kind()) {
                case SIZE -> size(limit.keyword(), given);
                case SWAP -> swap(given);
                case INTEGER -> intValue(limit.keyword(), given);
                case CPU_SET -> cpuset(limit.keyword(), given);
                case PIDS -> pids(given);
                case BOOLEAN -> bool(limit.keyword(), given);
                case DEVICE_BYTES_RATE, DEVICE_IO_RATE, DEVICE_WEIGHT, ULIMITS -> list(limit, given);
                case NANO_CPUS, CPU_QUOTA, CPU_PERIOD -> null;
            };
            if (value != null) {
                values.put(limit, value);
            } else if (problems.size() > before) {
                unreadable.add(limit);
            }
        }
        CpuLimit cpu = cpu();
        if (cpu != null) {
            values.put(cpu.isQuotaForm() ? Limit.CPU_QUOTA : Limit.NANO_CPUS, cpu);
        }
    }

    // ----------------------------------------------------------------------------------- text form

    static DockerPyReader readText(String text) {
        Map<String, Object> map = new LinkedHashMap<>();
        List<Violation> found = new ArrayList<>();
        if (!text.isBlank()) {
            List<String> pairs = new ArrayList<>();
            Limit previous = null;
            for (String item : text.split(",", -1)) {
                String trimmed = item.strip();
                int eq = trimmed.indexOf('=');
                Limit starts = eq > 0 ? Limit.ofKeyword(trimmed.substring(0, eq).strip()).orElse(null) : null;
                // A list value's own commas (0-3,5; /dev/a:1m,/dev/b:2m; nofile=1:2,nproc=3:4): an item
                // that does not start a known key continues the pair before it.
                boolean continues = starts == null && previous != null && !trimmed.isEmpty()
                        && (previous.kind() == Limit.Kind.CPU_SET ? isAsciiDigit(trimmed.charAt(0))
                                : previous.kind().isList());
                if (continues) {
                    pairs.set(pairs.size() - 1, pairs.get(pairs.size() - 1) + "," + trimmed);
                } else {
                    pairs.add(trimmed);
                    previous = starts;
                }
            }
            for (String pair : pairs) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    found.add(new Violation(pair.isEmpty() ? "(empty)" : pair, pair,
                            "is not a key=value pair; the text form is key=value pairs joined by commas"));
                    continue;
                }
                String key = pair.substring(0, eq).strip();
                String value = pair.substring(eq + 1).strip();
                if (map.containsKey(key)) {
                    found.add(new Violation(key, value, "is given twice"));
                    continue;
                }
                Limit limit = Limit.ofKeyword(key).orElse(null);
                map.put(key, limit == null ? value : textValue(limit, value, found));
            }
        }
        DockerPyReader r = new DockerPyReader(map);
        r.problems.addAll(found);
        r.readAll();
        return r;
    }

    /** A text value as the docker-py value it stands for: numbers as numbers, lists as lists. */
    private static Object textValue(Limit limit, String value, List<Violation> found) {
        switch (limit.kind()) {
            case INTEGER, NANO_CPUS, CPU_QUOTA, CPU_PERIOD -> {
                // The docker-py reader applies the one rule of WholeNumber to the string as given.
                return value;
            }
            case BOOLEAN -> {
                if (value.equals("true") || value.equals("false")) {
                    return Boolean.valueOf(value);
                }
                found.add(new Violation(limit.keyword(), value, "must be true or false"));
                return null;
            }
            case DEVICE_BYTES_RATE, DEVICE_IO_RATE, DEVICE_WEIGHT, ULIMITS -> {
                List<Object> items = new ArrayList<>();
                for (String item : value.split(",", -1)) {
                    items.add(item.strip());
                }
                return items;
            }
            default -> {
                return value;
            }
        }
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    // -------------------------------------------------------------------------------- converters

    private MemorySize size(String key, Object v) {
        if (v instanceof CharSequence) {
            return parse(key, v, MemorySize::parse);
        }
        if (v instanceof Number) {
            BigInteger n = WholeNumber.of(v).orElse(null);
            if (n == null) {
                problems.add(new Violation(key, text(v), "must be a whole number of bytes"));
            } else if (n.signum() < 0) {
                problems.add(new Violation(key, text(v), "must not be negative"));
            } else if (n.bitLength() > 63) {
                problems.add(new Violation(key, text(v), "must be at most " + Long.MAX_VALUE + " bytes"));
            } else {
                return MemorySize.ofBytes(n.longValueExact());
            }
            return null;
        }
        problems.add(wrongType(key, v, "a number of bytes or a string such as '1g'"));
        return null;
    }

    private SwapLimit swap(Object v) {
        String key = Limit.MEMORY_SWAP.keyword();
        if (v instanceof CharSequence) {
            SwapLimit s = parse(key, v, SwapLimit::parse);
            if (s != null && s.memoryPlusSwap().filter(MemorySize::isZero).isPresent()) {
                problems.add(zeroSwap(v));
                return null;
            }
            return s;
        }
        if (v instanceof Number) {
            BigInteger n = WholeNumber.of(v).orElse(null);
            if (n != null && n.equals(BigInteger.ONE.negate())) {
                return SwapLimit.UNLIMITED;
            }
            if (n != null && n.signum() == 0) {
                problems.add(zeroSwap(v));
                return null;
            }
            if (n != null && n.signum() < 0) {
                problems.add(new Violation(key, text(v), "must be a size, or -1 for unlimited"));
                return null;
            }
        }
        MemorySize size = size(key, v);
        return size == null ? null : SwapLimit.of(size);
    }

    private static Violation zeroSwap(Object v) {
        return new Violation(Limit.MEMORY_SWAP.keyword(), text(v),
                "must be a size of at least mem_limit, or -1 for unlimited (0 is Docker's 'not set':"
                        + " leave the key out instead)");
    }

    private Integer intValue(String key, Object v) {
        Long n = longValue(key, v);
        if (n == null) {
            return null;
        }
        if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
            problems.add(new Violation(key, n.toString(), "must be between " + Integer.MIN_VALUE
                    + " and " + Integer.MAX_VALUE));
            return null;
        }
        return n.intValue();
    }

    private Long longValue(String key, Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Number || v instanceof CharSequence) {
            BigInteger n = WholeNumber.of(v).orElse(null);
            if (n == null) {
                problems.add(new Violation(key, text(v), WholeNumber.RULE));
            } else if (n.bitLength() > 63) {
                problems.add(new Violation(key, text(v), "must be at most " + Long.MAX_VALUE));
            } else {
                return n.longValueExact();
            }
            return null;
        }
        problems.add(wrongType(key, v, "an integer"));
        return null;
    }

    private CpuLimit cpu() {
        String nanoKey = Limit.NANO_CPUS.keyword();
        String quotaKey = Limit.CPU_QUOTA.keyword();
        String periodKey = Limit.CPU_PERIOD.keyword();
        boolean nanoGiven = keywords.get(nanoKey) != null;
        boolean quotaGiven = keywords.get(quotaKey) != null;
        boolean periodGiven = keywords.get(periodKey) != null;
        Long nanos = longValue(nanoKey, keywords.get(nanoKey));
        Long quota = longValue(quotaKey, keywords.get(quotaKey));
        Long period = longValue(periodKey, keywords.get(periodKey));
        if (nanoGiven && (quotaGiven || periodGiven)) {
            problems.add(new Violation(nanoKey, text(keywords.get(nanoKey)),
                    "cannot be combined with cpu_quota or cpu_period: the Docker daemon refuses both"
                            + " (\"Conflicting options\"); give the CPU limit one way"));
            return null;
        }
        if (periodGiven && !quotaGiven) {
            problems.add(new Violation(periodKey, text(keywords.get(periodKey)),
                    "has no effect without cpu_quota: give cpu_quota too, or nano_cpus alone"));
            return null;
        }
        try {
            if (nanos != null) {
                return CpuLimit.ofNanoCpus(nanos);
            }
            if (quota != null && (period != null || !periodGiven)) {
                if (quota == -1) {
                    problems.add(new Violation(quotaKey, "-1",
                            "must be at least 1000 us; -1 is Docker's 'no limit': leave cpu_quota out instead"));
                    return null;
                }
                return CpuLimit.ofQuota(quota, period == null ? CpuLimit.DEFAULT_PERIOD_MICROS : period);
            }
        } catch (InvalidLimitsException e) {
            problems.addAll(e.violations());
        }
        return null;
    }

    private CpuSet cpuset(String key, Object v) {
        if (v instanceof CharSequence) {
            return parse(key, v, CpuSet::parse);
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return parse(key, v.toString(), CpuSet::parse);
        }
        problems.add(wrongType(key, v, "a string such as '0-3,5'"));
        return null;
    }

    private PidsLimit pids(Object v) {
        String key = Limit.PIDS_LIMIT.keyword();
        if (v instanceof CharSequence) {
            return parse(key, v, PidsLimit::parse);
        }
        Long n = longValue(key, v);
        if (n == null) {
            return null;
        }
        if (n == -1) {
            return PidsLimit.UNLIMITED;
        }
        if (n < 1) {
            problems.add(new Violation(key, n.toString(), PidsLimit.rule()));
            return null;
        }
        return PidsLimit.of(n);
    }

    private Boolean bool(String key, Object v) {
        if (v instanceof Boolean) {
            return (Boolean) v;
        }
        problems.add(wrongType(key, v, "a boolean"));
        return null;
    }

    /** A list of device limits or ulimits: maps as docker-py has them, or items' text. */
    private List<Object> list(Limit limit, Object v) {
        String key = limit.keyword();
        if (!(v instanceof List<?> given)) {
            problems.add(wrongType(key, v, "a list"));
            return null;
        }
        if (given.isEmpty()) {
            problems.add(new Violation(key, "[]", "must name at least one "
                    + (limit.kind() == Limit.Kind.ULIMITS ? "ulimit" : "device") + ": leave the key out instead"));
            return null;
        }
        int before = problems.size();
        List<Object> items = new ArrayList<>();
        for (Object item : given) {
            Object read = limit.kind() == Limit.Kind.ULIMITS ? ulimit(key, item) : device(limit, item);
            if (read != null) {
                items.add(read);
            }
        }
        if (problems.size() > before) {
            return null;
        }
        items.sort(null);
        return List.copyOf(items);
    }

    private DeviceLimit device(Limit limit, Object item) {
        String key = limit.keyword();
        String valueKey = limit.kind() == Limit.Kind.DEVICE_WEIGHT ? "Weight" : "Rate";
        if (item instanceof CharSequence cs) {
            String s = cs.toString();
            int colon = s.lastIndexOf(':');
            if (limit.kind() == Limit.Kind.DEVICE_BYTES_RATE && colon > 0) {
                MemorySize rate = parse(key, s.substring(colon + 1), MemorySize::parse);
                return rate == null ? null : device(key, s, s.substring(0, colon), rate.toBytes());
            }
            return parse(key, s, DeviceLimit::parse);
        }
        if (!(item instanceof Map<?, ?> m)) {
            problems.add(wrongType(key, item, "a list of maps with Path and " + valueKey));
            return null;
        }
        for (Object k : m.keySet()) {
            if (!"Path".equals(k) && !valueKey.equals(k)) {
                problems.add(new Violation(key, text(m), "must hold only Path and " + valueKey + ", not " + k));
                return null;
            }
        }
        Object path = m.get("Path");
        Object value = m.get(valueKey);
        if (!(path instanceof CharSequence) || value == null) {
            problems.add(new Violation(key, text(m), "must hold a Path string and a " + valueKey));
            return null;
        }
        long n;
        if (limit.kind() == Limit.Kind.DEVICE_BYTES_RATE) {
            MemorySize rate = size(key, value);
            if (rate == null) {
                return null;
            }
            n = rate.toBytes();
        } else {
            Long l = longValue(key, value);
            if (l == null) {
                return null;
            }
            n = l;
        }
        return device(key, text(m), path.toString(), n);
    }

    private DeviceLimit device(String key, String given, String path, long value) {
        try {
            return DeviceLimit.of(path, value);
        } catch (InvalidLimitsException e) {
            e.violations().forEach(x -> problems.add(new Violation(key, given, x.rule())));
            return null;
        }
    }

    private Ulimit ulimit(String key, Object item) {
        if (item instanceof CharSequence) {
            return parse(key, item, Ulimit::parse);
        }
        if (!(item instanceof Map<?, ?> m)) {
            problems.add(wrongType(key, item, "a list of maps with Name, Soft and Hard"));
            return null;
        }
        for (Object k : m.keySet()) {
            if (!"Name".equals(k) && !"Soft".equals(k) && !"Hard".equals(k)) {
                problems.add(new Violation(key, text(m), "must hold only Name, Soft and Hard, not " + k));
                return null;
            }
        }
        if (!(m.get("Name") instanceof CharSequence name) || m.get("Soft") == null || m.get("Hard") == null) {
            problems.add(new Violation(key, text(m), "must hold a Name string, a Soft and a Hard limit"));
            return null;
        }
        Long soft = longValue(key, m.get("Soft"));
        Long hard = longValue(key, m.get("Hard"));
        if (soft == null || hard == null) {
            return null;
        }
        try {
            return Ulimit.of(name.toString(), soft, hard);
        } catch (InvalidLimitsException e) {
            e.violations().forEach(x -> problems.add(new Violation(key, text(m), x.rule())));
            return null;
        }
    }

    private <T> T parse(String key, Object value, Function<CharSequence, T> parser) {
        try {
            return parser.apply(value.toString());
        } catch (LimitParseException e) {
            problems.add(new Violation(key, text(value), e.detail()));
        } catch (InvalidLimitsException e) {
            for (Violation v : e.violations()) {
                problems.add(new Violation(key, text(value), v.rule()));
            }
        }
        return null;
    }

    private static Violation wrongType(String key, Object v, String expected) {
        return new Violation(key, text(v), "must be " + expected + ", not "
                + (v == null ? "null" : "a " + v.getClass().getSimpleName()));
    }

    private static String text(Object v) {
        if (v instanceof CharSequence) {
            return LimitParseException.quote(v.toString());
        }
        String s = String.valueOf(v);
        // A hostile list or map could print as megabytes; the message names it, briefly.
        return (v instanceof java.util.Collection || v instanceof Map) && s.length() > 200
                ? s.substring(0, 200) + "..." : s;
    }
}
