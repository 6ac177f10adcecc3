package org.containerlimits.core;

import org.containerlimits.core.internal.TextCursor;
import org.containerlimits.core.internal.Texts;


import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads docker-py keyword maps (and the text form) into {@link ResourceLimits}, collecting every
 * problem before it throws, so that a spawner's admin sees all bad keys of a config at once.
 */
final class DockerPyReader {
    static final String MEM_LIMIT = "mem_limit";
    static final String MEM_RESERVATION = "mem_reservation";
    static final String MEMSWAP_LIMIT = "memswap_limit";
    static final String MEM_SWAPPINESS = "mem_swappiness";
    static final String NANO_CPUS = "nano_cpus";
    static final String CPU_QUOTA = "cpu_quota";
    static final String CPU_PERIOD = "cpu_period";
    static final String CPU_SHARES = "cpu_shares";
    static final String CPUSET_CPUS = "cpuset_cpus";
    static final String CPUSET_MEMS = "cpuset_mems";
    static final String PIDS_LIMIT = "pids_limit";
    static final String BLKIO_WEIGHT = "blkio_weight";
    static final String OOM_KILL_DISABLE = "oom_kill_disable";
    static final String SHM_SIZE = "shm_size";

    /** Every accepted key, in canonical order. */
    static final List<String> KEYS = List.of(MEM_LIMIT, MEM_RESERVATION, MEMSWAP_LIMIT, MEM_SWAPPINESS,
            NANO_CPUS, CPU_QUOTA, CPU_PERIOD, CPU_SHARES, CPUSET_CPUS, CPUSET_MEMS, PIDS_LIMIT, BLKIO_WEIGHT,
            OOM_KILL_DISABLE, SHM_SIZE);

    private static final Set<String> INTEGER_KEYS = Set.of(MEM_SWAPPINESS, NANO_CPUS, CPU_QUOTA, CPU_PERIOD,
            CPU_SHARES, BLKIO_WEIGHT);

    private final Map<String, ?> keywords;
    private final List<Violation> violations = new ArrayList<>();

    DockerPyReader(Map<String, ?> keywords) {
        this.keywords = keywords;
    }

    ResourceLimits read() {
        Texts.requireMap("keywords", keywords);
        for (Object key : keywords.keySet()) {
            if (!(key instanceof String) || !KEYS.contains(key)) {
                violations.add(new Violation(String.valueOf(key), text(keywords.get(key)),
                        "is not a resource limit; accepted keys are " + String.join(", ", KEYS)));
            }
        }
        ResourceLimits.Builder b = ResourceLimits.builder();
        MemorySize memory = size(MEM_LIMIT);
        b.memory(memory);
        b.memoryReservation(size(MEM_RESERVATION));
        b.shmSize(size(SHM_SIZE));
        b.memorySwap(swap());
        b.memorySwappiness(intValue(MEM_SWAPPINESS));
        b.cpu(cpu());
        b.cpuShares(intValue(CPU_SHARES));
        b.cpusetCpus(cpuset(CPUSET_CPUS));
        b.cpusetMems(cpuset(CPUSET_MEMS));
        b.pidsLimit(pids());
        b.blkioWeight(intValue(BLKIO_WEIGHT));
        b.oomKillDisable(bool(OOM_KILL_DISABLE));
        // A mem_limit that was given but could not be read is already reported; do not also
        // report memswap_limit as "needs mem_limit", which would tell the user to add a key they gave.
        boolean memoryUnreadable = keywords.get(MEM_LIMIT) != null && memory == null;
        for (Violation v : b.violations()) {
            if (!(memoryUnreadable && v.field().equals(MEMSWAP_LIMIT))) {
                violations.add(v);
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidLimitsException(sorted(violations));
        }
        return b.build();
    }

    /** Orders violations by the canonical key order, unknown keys first, keeping ties stable. */
    private static List<Violation> sorted(List<Violation> list) {
        List<Violation> copy = new ArrayList<>(list);
        copy.sort((a, b) -> Integer.compare(KEYS.indexOf(a.field()), KEYS.indexOf(b.field())));
        return copy;
    }

    static ResourceLimits fromText(String text) {
        Map<String, Object> map = new LinkedHashMap<>();
        List<Violation> problems = new ArrayList<>();
        if (!text.isBlank()) {
            List<String> pairs = new ArrayList<>();
            for (String item : text.split(",", -1)) {
                String trimmed = item.strip();
                // A cpuset's own commas: an item without '=' continues the pair before it.
                if (!trimmed.contains("=") && !pairs.isEmpty() && TextCursor.isDigit(trimmed.isEmpty() ? 'x' : trimmed.charAt(0))) {
                    pairs.set(pairs.size() - 1, pairs.get(pairs.size() - 1) + "," + trimmed);
                } else {
                    pairs.add(trimmed);
                }
            }
            for (String pair : pairs) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    problems.add(new Violation(pair.isEmpty() ? "(empty)" : pair, pair,
                            "is not a key=value pair; the text form is key=value pairs joined by commas"));
                    continue;
                }
                String key = pair.substring(0, eq).strip();
                String value = pair.substring(eq + 1).strip();
                if (map.containsKey(key)) {
                    problems.add(new Violation(key, value, "is given twice"));
                    continue;
                }
                if (INTEGER_KEYS.contains(key)) {
                    map.put(key, integerText(key, value, problems));
                } else if (key.equals(OOM_KILL_DISABLE)) {
                    map.put(key, booleanText(key, value, problems));
                } else {
                    map.put(key, value);
                }
            }
        }
        DockerPyReader reader = new DockerPyReader(map);
        reader.violations.addAll(problems);
        return reader.read();
    }

    private static Object integerText(String key, String value, List<Violation> problems) {
        String digits = value.startsWith("-") ? value.substring(1) : value;
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            problems.add(new Violation(key, value, "must be a whole decimal number"));
            return null;
        }
        return new BigInteger(value);
    }

    private static Object booleanText(String key, String value, List<Violation> problems) {
        if (value.equals("true") || value.equals("false")) {
            return Boolean.valueOf(value);
        }
        problems.add(new Violation(key, value, "must be true or false"));
        return null;
    }

    // -------------------------------------------------------------------------------- converters

    private MemorySize size(String key) {
        Object v = keywords.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof CharSequence) {
            return parse(key, v, MemorySize::parse);
        }
        if (v instanceof Number) {
            BigInteger n = ResourceLimits.exactInteger((Number) v);
            if (n == null) {
                violations.add(new Violation(key, text(v), "must be a whole number of bytes"));
            } else if (n.signum() < 0) {
                violations.add(new Violation(key, text(v), "must not be negative"));
            } else if (n.bitLength() > 63) {
                violations.add(new Violation(key, text(v), "must be at most " + Long.MAX_VALUE + " bytes"));
            } else {
                return MemorySize.ofBytes(n.longValueExact());
            }
            return null;
        }
        violations.add(wrongType(key, v, "a number of bytes or a string such as '1g'"));
        return null;
    }

    private SwapLimit swap() {
        Object v = keywords.get(MEMSWAP_LIMIT);
        if (v == null) {
            return null;
        }
        if (v instanceof CharSequence) {
            SwapLimit s = parse(MEMSWAP_LIMIT, v, SwapLimit::parse);
            if (s != null && s.memoryPlusSwap().filter(MemorySize::isZero).isPresent()) {
                violations.add(zeroSwap(v));
                return null;
            }
            return s;
        }
        if (v instanceof Number) {
            BigInteger n = ResourceLimits.exactInteger((Number) v);
            if (n != null && n.equals(BigInteger.ONE.negate())) {
                return SwapLimit.UNLIMITED;
            }
            if (n != null && n.signum() == 0) {
                violations.add(zeroSwap(v));
                return null;
            }
            if (n != null && n.signum() < 0) {
                violations.add(new Violation(MEMSWAP_LIMIT, text(v), "must be a size, or -1 for unlimited"));
                return null;
            }
        }
        MemorySize size = size(MEMSWAP_LIMIT);
        return size == null ? null : SwapLimit.of(size);
    }

    private static Violation zeroSwap(Object v) {
        return new Violation(MEMSWAP_LIMIT, text(v),
                "must be a size of at least mem_limit, or -1 for unlimited (0 is Docker's 'not set':"
                        + " leave the key out instead)");
    }

    private Integer intValue(String key) {
        Long n = longValue(key);
        if (n == null) {
            return null;
        }
        if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
            violations.add(new Violation(key, n.toString(), "must be between " + Integer.MIN_VALUE
                    + " and " + Integer.MAX_VALUE));
            return null;
        }
        return n.intValue();
    }

    private Long longValue(String key) {
        Object v = keywords.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Number) {
            BigInteger n = ResourceLimits.exactInteger((Number) v);
            if (n == null) {
                violations.add(new Violation(key, text(v), "must be a whole number"));
            } else if (n.bitLength() > 63) {
                violations.add(new Violation(key, text(v), "must be at most " + Long.MAX_VALUE));
            } else {
                return n.longValueExact();
            }
            return null;
        }
        violations.add(wrongType(key, v, "an integer"));
        return null;
    }

    private CpuLimit cpu() {
        boolean nanoGiven = keywords.get(NANO_CPUS) != null;
        boolean quotaGiven = keywords.get(CPU_QUOTA) != null;
        boolean periodGiven = keywords.get(CPU_PERIOD) != null;
        Long nanos = longValue(NANO_CPUS);
        Long quota = longValue(CPU_QUOTA);
        Long period = longValue(CPU_PERIOD);
        if (nanoGiven && (quotaGiven || periodGiven)) {
            violations.add(new Violation(NANO_CPUS, text(keywords.get(NANO_CPUS)),
                    "cannot be combined with cpu_quota or cpu_period: the Docker daemon refuses both"
                            + " (\"Conflicting options\"); give the CPU limit one way"));
            return null;
        }
        if (periodGiven && !quotaGiven) {
            violations.add(new Violation(CPU_PERIOD, text(keywords.get(CPU_PERIOD)),
                    "has no effect without cpu_quota: give cpu_quota too, or nano_cpus alone"));
            return null;
        }
        try {
            if (nanos != null) {
                return CpuLimit.ofNanoCpus(nanos);
            }
            if (quota != null && (period != null || !periodGiven)) {
                if (quota == -1) {
                    violations.add(new Violation(CPU_QUOTA, "-1",
                            "must be at least 1000 us; -1 is Docker's 'no limit': leave cpu_quota out instead"));
                    return null;
                }
                return CpuLimit.ofQuota(quota, period == null ? CpuLimit.DEFAULT_PERIOD_MICROS : period);
            }
        } catch (InvalidLimitsException e) {
            violations.addAll(e.violations());
        }
        return null;
    }

    private CpuSet cpuset(String key) {
        Object v = keywords.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof CharSequence) {
            return parse(key, v, CpuSet::parse);
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return parse(key, v.toString(), CpuSet::parse);
        }
        violations.add(wrongType(key, v, "a string such as '0-3,5'"));
        return null;
    }

    private PidsLimit pids() {
        Object v = keywords.get(PIDS_LIMIT);
        if (v == null) {
            return null;
        }
        if (v instanceof CharSequence) {
            return parse(PIDS_LIMIT, v, PidsLimit::parse);
        }
        Long n = longValue(PIDS_LIMIT);
        if (n == null) {
            return null;
        }
        if (n == -1) {
            return PidsLimit.UNLIMITED;
        }
        if (n < 1) {
            violations.add(new Violation(PIDS_LIMIT, n.toString(), PidsLimit.rule()));
            return null;
        }
        return PidsLimit.of(n);
    }

    private Boolean bool(String key) {
        Object v = keywords.get(key);
        if (v == null || v instanceof Boolean) {
            return (Boolean) v;
        }
        violations.add(wrongType(key, v, "a boolean"));
        return null;
    }

    private <T> T parse(String key, Object value, Function<CharSequence, T> parser) {
        try {
            return parser.apply(value.toString());
        } catch (LimitParseException e) {
            violations.add(new Violation(key, text(value), e.detail()));
        } catch (InvalidLimitsException e) {
            for (Violation v : e.violations()) {
                violations.add(new Violation(key, text(value), v.rule()));
            }
        }
        return null;
    }

    private static Violation wrongType(String key, Object v, String expected) {
        return new Violation(key, text(v), "must be " + expected + ", not a " + v.getClass().getSimpleName());
    }

    private static String text(Object v) {
        if (v instanceof CharSequence) {
            return LimitParseException.quote(v.toString());
        }
        return String.valueOf(v);
    }
}
