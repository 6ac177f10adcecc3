package org.containerlimits.core.format;


import org.containerlimits.core.CpuLimit;
import org.containerlimits.core.InvalidLimitsException;
import org.containerlimits.core.Limit;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.Violation;


import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Limits as JupyterHub's {@code Spawner} traits, read the way a spawner applies them: the map a
 * hub's configuration holds for
 * <pre>
 * c.Spawner.mem_limit = '1.5G'
 * c.Spawner.mem_guarantee = '512M'
 * c.Spawner.cpu_limit = 0.29
 * c.Spawner.cpu_guarantee = 0.25
 * c.DockerSpawner.extra_host_config = {'cpu_period': 50000}   # DockerSpawner only
 * </pre>
 *
 * <h2>Grammar</h2>
 * {@code mem_limit} and {@code mem_guarantee} follow JupyterHub's {@code ByteSpecification}:
 * <pre>
 *   bytes  = integer                        a number of bytes            1610612736
 *          | float                          truncated to whole bytes     1610612736.0
 *          | string                                                      '1.5G'
 *   string = number suffix                  suffix the last character, upper case only
 *   suffix = "K" | "M" | "G" | "T"          2^10, 2^20, 2^30, 2^40: 1024-based
 *   number = Python's float(): [ws] ["+" | "-"] (digits ["." [digits]] | "." digits)
 *            [("e" | "E") ["+" | "-"] digits] [ws], digits may hold single "_" between them
 * </pre>
 * So {@code '1.5G'} is exactly 1610612736 bytes and {@code '1e3M'} 1000 MiB; {@code '1g'} (lower
 * case), {@code '1GiB'}, {@code '1 GB'} and a string without a suffix ({@code '1073741824'}) are
 * refused, as JupyterHub refuses them; give a plain number of bytes as a number. The size is
 * computed exactly, and <em>a fraction of a byte is dropped</em> (rounded toward zero, as
 * JupyterHub's {@code int()} does): {@code '0.1K'} is 102.4, so 102 bytes, and the conversion says
 * so. {@code cpu_limit} and {@code cpu_guarantee} are cores, a number or a string in the same
 * {@code number} grammar ({@code 0.5}, {@code '0.5'}). Only ASCII is read (Python's
 * {@code float()} would also take other scripts' digits and white space); infinities, NaN and
 * {@code True} are refused. {@code null} (Python's {@code None}) is "not set", and so is 0: every
 * spawner below sets nothing for 0, which the conversion reports.
 *
 * <h2>Mappings, as each spawner applies the traits</h2>
 * <table class="striped">
 *   <caption>The spawners</caption>
 *   <thead><tr><th>trait</th><th>{@link Mapping#DOCKER DockerSpawner}</th>
 *       <th>{@link Mapping#SWARM SwarmSpawner}</th><th>{@link Mapping#KUBE KubeSpawner}</th></tr></thead>
 *   <tbody>
 *   <tr><td>{@code cpu_limit}</td><td>{@code cpu_quota} = cores x {@code cpu_period}, the period
 *       100000 us or {@code extra_host_config}'s {@code cpu_period}</td><td>the service's NanoCPUs
 *       limit: {@code nano_cpus} = cores x 10<sup>9</sup></td><td>{@code limits.cpu}</td></tr>
 *   <tr><td>{@code mem_limit}</td><td>{@code mem_limit}</td><td>the service's memory limit:
 *       {@code mem_limit}</td><td>{@code limits.memory}</td></tr>
 *   <tr><td>{@code cpu_guarantee}</td><td>none: only the notebook's environment variable
 *       {@code CPU_GUARANTEE}; reported</td><td>the service's NanoCPUs reservation, which swarm
 *       schedules by; this library's model has no CPU reservation: reported</td>
 *       <td>{@code requests.cpu}</td></tr>
 *   <tr><td>{@code mem_guarantee}</td><td>none: only the notebook's environment variable
 *       {@code MEM_GUARANTEE}; reported</td><td>the service's memory reservation:
 *       {@code mem_reservation}. Swarm schedules by it and does not set it on the container (its
 *       executor applies only the limits), which the conversion reports</td>
 *       <td>{@code requests.memory}</td></tr>
 *   </tbody>
 * </table>
 * KubeSpawner's {@code resources} are then read as {@link KubernetesResources} reads them (as the
 * kubelet applies them: a CPU limit becomes a quota per 100000 us period, a CPU request shares, a
 * memory request the memory reservation); KubeSpawner sends the float as JSON, in Python's
 * shortest form, which for the decimals an admin writes is the decimal given.
 *
 * <p>DockerSpawner merges {@code extra_host_config} (docker-py keywords, read as
 * {@link ResourceLimits#fromDockerPy(Map)} reads them, in docker-py's grammar: {@code '1g'}) over
 * what it made of the traits, so a key there wins, and the conversion says which trait it
 * overrode. SwarmSpawner and KubeSpawner do not read {@code extra_host_config}: it is refused with
 * them.
 *
 * <h2>Floating point</h2>
 * The spawners compute in Python floats: DockerSpawner {@code int(cpu_limit * cpu_period)},
 * SwarmSpawner {@code int(cpu_limit * 1e9)}, JupyterHub {@code int(float(number) * 1024**n)}.
 * This reader computes exactly and applies the exact value; wherever the spawner's float result
 * differs, the conversion names both: 0.29 cores with DockerSpawner is a quota of 28999 us there,
 * 29000 here; 2.01 cores with SwarmSpawner is 2009999999 nano-CPUs there, 2010000000 here.
 *
 * <pre>{@code
 * Conversion<ResourceLimits> c = JupyterHubSpawner.read(Map.of("mem_limit", "1.5G", "cpu_limit", 0.29));
 * c.value();         // mem_limit=1536m,cpu_quota=29000,cpu_period=100000
 * c.unconverted();   // [cpu_limit = 0.29: DockerSpawner computes int(0.29 * 100000) in floating point,
 *                    //  a cpu_quota of 28999 us; the exact value, applied here, is 29000 us per 100000 us period]
 * JupyterHubSpawner.read(Map.of("cpu_limit", "2.01"), JupyterHubSpawner.Mapping.SWARM).value();
 *                    // nano_cpus=2010000000, and a note: SwarmSpawner's float gives NanoCPUs of 2009999999
 * }</pre>
 */
public final class JupyterHubSpawner {

    /** The spawner whose way of applying the traits a reading follows. */
    public enum Mapping {
        /** {@code dockerspawner.DockerSpawner}: a container's HostConfig. */
        DOCKER("DockerSpawner"),
        /** {@code dockerspawner.SwarmSpawner}: a swarm service's task resources. */
        SWARM("SwarmSpawner"),
        /** {@code kubespawner.KubeSpawner}: a pod container's resources. */
        KUBE("KubeSpawner");

        private final String spawner;

        Mapping(String spawner) {
            this.spawner = spawner;
        }

        /**
         * Returns the spawner's class name.
         *
         * @return such as {@code DockerSpawner}
         */
        public String spawner() {
            return spawner;
        }
    }

    /** The traits this reader takes, in the order it reports them. */
    public static final List<String> TRAITS = List.of("mem_limit", "mem_guarantee", "cpu_limit", "cpu_guarantee");

    /** DockerSpawner's dict of docker-py keywords, merged over the traits. */
    public static final String EXTRA_HOST_CONFIG = "extra_host_config";

    private static final BigDecimal NANOS_PER_CORE = BigDecimal.valueOf(CpuLimit.NANOS_PER_CORE);

    /** Python's white space among ASCII characters. */
    private static final String PYTHON_SPACE = " \t\n\u000b\f\r\u001c\u001d\u001e\u001f";

    /** Beyond 10^40 no size or CPU limit fits; below 10^-40 no byte or nano-CPU is left. */
    private static final int MAX_MAGNITUDE = 40;

    private JupyterHubSpawner() {
    }

    /**
     * Reads Spawner traits as DockerSpawner applies them.
     *
     * @param traits {@code mem_limit}, {@code mem_guarantee}, {@code cpu_limit},
     *     {@code cpu_guarantee} and {@code extra_host_config}, each optional
     * @return the limits, and every trait the container does not get as given
     * @throws InvalidLimitsException naming every unknown key, wrong type, bad value and broken rule,
     *     at once, by trait ({@code extra_host_config.cpu_period} for a key in that map); or a
     *     {@code null} map, as {@link ResourceLimits#fromDockerPy(Map)} reports it
     */
    public static Conversion<ResourceLimits> read(Map<String, ?> traits) {
        return read(traits, Mapping.DOCKER);
    }

    /**
     * Reads Spawner traits as the given spawner applies them.
     *
     * @param traits {@code mem_limit}, {@code mem_guarantee}, {@code cpu_limit},
     *     {@code cpu_guarantee}, each optional, and with {@link Mapping#DOCKER} {@code extra_host_config}
     * @param spawner whose mapping to follow
     * @return the limits, and every trait the container does not get as given (guarantees with no
     *     container setting, dropped fractions, float results that differ from the exact ones)
     * @throws InvalidLimitsException naming every unknown key, wrong type, bad value and broken rule,
     *     at once, by trait; or a {@code null} map, as {@link ResourceLimits#fromDockerPy(Map)}
     *     reports it
     */
    public static Conversion<ResourceLimits> read(Map<String, ?> traits, Mapping spawner) {
        Formats.requireMap("traits", traits);
        Objects.requireNonNull(spawner, "spawner");
        return new Reading(traits, spawner).read();
    }

    // ------------------------------------------------------------------------------------ values

    /**
     * A trait's number, both ways a spawner could see it.
     *
     * @param exact the decimal given
     * @param python the Python float the spawner computes with
     * @param expression the number as the spawner's expression shows it
     */
    private record Value(BigDecimal exact, double python, String expression) {
    }

    /** One reading: the problems, the notes and the docker-py map, with where each key came from. */
    private static final class Reading {
        private final Map<String, ?> traits;
        private final Mapping spawner;
        private final List<Violation> problems = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        private final Map<String, Object> dockerPy = new LinkedHashMap<>();
        /** docker-py keyword -> the trait it came from. */
        private final Map<String, String> fromTrait = new HashMap<>();

        Reading(Map<String, ?> traits, Mapping spawner) {
            this.traits = traits;
            this.spawner = spawner;
        }

        Conversion<ResourceLimits> read() {
            for (Object key : traits.keySet()) {
                String name = String.valueOf(key);
                if (key instanceof String && TRAITS.contains(name)) {
                    continue;
                }
                Object v = traits.get(key);
                if (name.equals(EXTRA_HOST_CONFIG) && key instanceof String) {
                    if (spawner != Mapping.DOCKER && v != null) {
                        problems.add(new Violation(name, Formats.text(v), "is read by DockerSpawner only; "
                                + spawner.spawner() + " does not read it"));
                    }
                    continue;
                }
                problems.add(new Violation(name, Formats.text(v), "is not a JupyterHub Spawner resource trait;"
                        + " expected " + String.join(", ", TRAITS) + " or " + EXTRA_HOST_CONFIG + " (DockerSpawner)"
                        + (Limit.ofKeyword(name).isPresent() ? "; " + name + " is a docker-py keyword: give it in "
                                + EXTRA_HOST_CONFIG + " with DockerSpawner, or read it with"
                                + " ResourceLimits.fromDockerPy(...)"
                                : "")));
            }
            BigInteger memLimit = bytes("mem_limit");
            BigInteger memGuarantee = bytes("mem_guarantee");
            Value cpuLimit = cores("cpu_limit");
            Value cpuGuarantee = cores("cpu_guarantee");
            return switch (spawner) {
                case DOCKER -> docker(memLimit, memGuarantee, cpuLimit, cpuGuarantee);
                case SWARM -> swarm(memLimit, memGuarantee, cpuLimit, cpuGuarantee);
                case KUBE -> kube(memLimit, memGuarantee, cpuLimit, cpuGuarantee);
            };
        }

        // --------------------------------------------------------------------------- DockerSpawner

        private Conversion<ResourceLimits> docker(BigInteger memLimit, BigInteger memGuarantee, Value cpuLimit,
                Value cpuGuarantee) {
            Map<?, ?> extra = traits.get(EXTRA_HOST_CONFIG) == null ? Map.of()
                    : Formats.map(EXTRA_HOST_CONFIG, traits.get(EXTRA_HOST_CONFIG), problems);
            if (extra == null) {
                extra = Map.of();
            }
            if (memLimit != null) {
                put("mem_limit", memLimit.longValueExact(), "mem_limit");
            }
            Long period = null;
            if (cpuLimit != null) {
                // DockerSpawner: cpu_period = extra_host_config.get("cpu_period", 100000), written out.
                period = CpuLimit.DEFAULT_PERIOD_MICROS;
                if (extra.get("cpu_period") != null) {
                    period = Formats.wholeNumber(EXTRA_HOST_CONFIG + ".cpu_period", extra.get("cpu_period"), problems);
                }
                if (period != null) {
                    BigDecimal exact = cpuLimit.exact().multiply(BigDecimal.valueOf(period));
                    BigInteger quota = truncate(exact);
                    if (!extra.containsKey("cpu_quota")) {
                        dropped("cpu_limit", exact, quota, "microseconds of quota per " + period + " us period",
                                "a quota is whole microseconds", "DockerSpawner");
                        BigInteger python = truncate(cpuLimit.python() * period);
                        differs("cpu_limit", "DockerSpawner", "int(" + cpuLimit.expression() + " * " + period + ")",
                                python, quota, "a cpu_quota of " + python + " us",
                                quota + " us per " + period + " us period");
                    }
                    put("cpu_quota", longOrBig(quota), "cpu_limit");
                    if (extra.get("cpu_period") == null) {
                        put("cpu_period", period, "cpu_limit");
                    }
                }
            }
            for (Map.Entry<?, ?> e : extra.entrySet()) {
                String key = String.valueOf(e.getKey());
                if (key.equals("cpu_period") && cpuLimit != null && period == null) {
                    continue;   // not a whole number: reported above
                }
                String trait = fromTrait.remove(key);
                if (trait != null) {
                    notes.add(trait + " = " + Formats.text(traits.get(trait)) + ": overridden by " + EXTRA_HOST_CONFIG
                            + "." + key + " = " + Formats.text(e.getValue())
                            + ", as DockerSpawner merges extra_host_config over the traits");
                }
                dockerPy.put(key, e.getValue());
            }
            if (memGuarantee != null) {
                notes.add(onlyEnvironment("mem_guarantee", "MEM_GUARANTEE"));
            }
            if (cpuGuarantee != null) {
                notes.add(onlyEnvironment("cpu_guarantee", "CPU_GUARANTEE"));
            }
            return new Conversion<>(limits(key -> EXTRA_HOST_CONFIG + "." + key), notes);
        }

        private String onlyEnvironment(String trait, String variable) {
            return trait + " = " + Formats.text(traits.get(trait)) + ": DockerSpawner gives it to the notebook only as"
                    + " the environment variable " + variable + "; no container setting holds it";
        }

        // ---------------------------------------------------------------------------- SwarmSpawner

        private Conversion<ResourceLimits> swarm(BigInteger memLimit, BigInteger memGuarantee, Value cpuLimit,
                Value cpuGuarantee) {
            if (memLimit != null) {
                put("mem_limit", memLimit.longValueExact(), "mem_limit");
            }
            if (memGuarantee != null) {
                put("mem_reservation", memGuarantee.longValueExact(), "mem_guarantee");
                notes.add("mem_guarantee = " + Formats.text(traits.get("mem_guarantee")) + ": SwarmSpawner makes it"
                        + " the service's memory reservation, which swarm schedules by and does not set on the"
                        + " container; read as mem_reservation, the container's soft limit");
            }
            if (cpuLimit != null) {
                BigInteger nanos = nanoCpus("cpu_limit", cpuLimit);
                put("nano_cpus", longOrBig(nanos), "cpu_limit");
            }
            if (cpuGuarantee != null) {
                BigInteger nanos = nanoCpus("cpu_guarantee", cpuGuarantee);
                notes.add("cpu_guarantee = " + Formats.text(traits.get("cpu_guarantee")) + ": SwarmSpawner makes it"
                        + " the service's CPU reservation (NanoCPUs " + nanos + "), which swarm schedules by; this"
                        + " library's limits have no CPU reservation");
            }
            return new Conversion<>(limits(key -> key), notes);
        }

        private BigInteger nanoCpus(String trait, Value cores) {
            BigDecimal exact = cores.exact().multiply(NANOS_PER_CORE);
            BigInteger nanos = truncate(exact);
            dropped(trait, exact, nanos, "nano-CPUs", "NanoCPUs are whole", "SwarmSpawner");
            BigInteger python = truncate(cores.python() * 1e9);
            differs(trait, "SwarmSpawner", "int(" + cores.expression() + " * 1e9)", python, nanos,
                    "NanoCPUs of " + python, "NanoCPUs of " + nanos);
            return nanos;
        }

        // ----------------------------------------------------------------------------- KubeSpawner

        private Conversion<ResourceLimits> kube(BigInteger memLimit, BigInteger memGuarantee, Value cpuLimit,
                Value cpuGuarantee) {
            Map<String, Object> limitsSection = new LinkedHashMap<>();
            Map<String, Object> requests = new LinkedHashMap<>();
            if (cpuLimit != null) {
                limitsSection.put("cpu", Formats.decimal(cpuLimit.exact().stripTrailingZeros()));
            }
            if (memLimit != null) {
                limitsSection.put("memory", memLimit.longValueExact());
            }
            if (cpuGuarantee != null) {
                requests.put("cpu", Formats.decimal(cpuGuarantee.exact().stripTrailingZeros()));
            }
            if (memGuarantee != null) {
                requests.put("memory", memGuarantee.longValueExact());
            }
            Map<String, String> traitOf = Map.of("limits.cpu", "cpu_limit", "limits.memory", "mem_limit",
                    "requests.cpu", "cpu_guarantee", "requests.memory", "mem_guarantee");
            Conversion<ResourceLimits> read = null;
            List<Violation> all = new ArrayList<>(problems);
            try {
                read = KubernetesResources.read(Formats.sections("limits", limitsSection, "requests", requests));
            } catch (InvalidLimitsException e) {
                for (Violation v : e.violations()) {
                    String trait = traitOf.getOrDefault(v.field(), v.field());
                    all.add(new Violation(trait, Formats.text(traits.get(trait)),
                            "as KubeSpawner's " + v.field() + " " + v.value() + ": " + v.rule()));
                }
            }
            if (!all.isEmpty()) {
                throw new InvalidLimitsException(all);
            }
            for (String note : read.unconverted()) {
                String key = note.substring(0, Math.max(0, note.indexOf(" = ")));
                String trait = traitOf.get(key);
                notes.add(trait == null ? note : trait + " = " + Formats.text(traits.get(trait)) + ": as KubeSpawner's "
                        + note);
            }
            return new Conversion<>(read.value(), notes);
        }

        // ------------------------------------------------------------------------------ validation

        private void put(String keyword, Object value, String trait) {
            dockerPy.put(keyword, value);
            fromTrait.put(keyword, trait);
        }

        /**
         * The limits of the docker-py map, each problem named by the trait it came from, else by
         * {@code names}.
         */
        private ResourceLimits limits(java.util.function.UnaryOperator<String> names) {
            List<Violation> all = new ArrayList<>(problems);
            ResourceLimits limits = null;
            try {
                limits = ResourceLimits.fromDockerPy(dockerPy);
            } catch (InvalidLimitsException e) {
                for (Violation v : e.violations()) {
                    String trait = fromTrait.get(v.field());
                    all.add(trait == null ? new Violation(names.apply(v.field()), v.value(), v.rule())
                            : new Violation(trait, Formats.text(traits.get(trait)),
                                    "as " + spawner.spawner() + "'s " + v.field() + " " + v.value() + ": " + v.rule()));
                }
            }
            if (!all.isEmpty()) {
                throw new InvalidLimitsException(all);
            }
            return limits;
        }

        /** Notes a fraction dropped on the way to a whole number, as the spawner's int() drops it. */
        private void dropped(String trait, BigDecimal exact, BigInteger whole, String unit, String why, String who) {
            if (exact.compareTo(new BigDecimal(whole)) != 0) {
                notes.add(trait + " = " + Formats.text(traits.get(trait)) + ": is "
                        + Formats.decimal(exact.stripTrailingZeros()) + " " + unit + "; " + why + ": " + whole
                        + ", the fraction dropped as " + who + "'s int() drops it");
            }
        }

        /** Notes where the spawner's float arithmetic gives another whole number than the exact one. */
        private void differs(String trait, String who, String expression, BigInteger python, BigInteger exact,
                String theirs, String ours) {
            if (python != null && !python.equals(exact)) {
                notes.add(trait + " = " + Formats.text(traits.get(trait)) + ": " + who + " computes "
                        + expression + " in floating point, " + theirs + "; the exact value, applied here, is " + ours);
            }
        }

        // ------------------------------------------------------------------------------- the traits

        /** A byte specification's whole bytes; null when not set, 0 or wrong, having said why. */
        private BigInteger bytes(String trait) {
            Object v = traits.get(trait);
            if (v == null) {
                return null;
            }
            BigDecimal exact;
            BigInteger python;
            String expression;
            if (v instanceof Number n) {
                exact = exact(n);
                if (exact == null) {
                    problems.add(new Violation(trait, Formats.text(v), "must be a finite number of bytes"));
                    return null;
                }
                // int(value): exact for a Python int, truncating the float for a float.
                python = isPythonInt(n) ? null : truncate(n.doubleValue());
                expression = isPythonInt(n) ? null : "int(" + Formats.text(v) + ")";
            } else if (v instanceof CharSequence cs) {
                String s = cs.toString();
                long unit = s.isEmpty() ? 0 : switch (s.charAt(s.length() - 1)) {
                    case 'K' -> 1L << 10;
                    case 'M' -> 1L << 20;
                    case 'G' -> 1L << 30;
                    case 'T' -> 1L << 40;
                    default -> 0;
                };
                String number = s.isEmpty() ? "" : pythonFloat(s.substring(0, s.length() - 1));
                if (unit == 0 || number == null) {
                    problems.add(new Violation(trait, Formats.text(v), byteSpecificationRule(s, unit)));
                    return null;
                }
                exact = new BigDecimal(number);
                if (magnitude(exact) <= MAX_MAGNITUDE) {
                    exact = exact.multiply(BigDecimal.valueOf(unit));
                }
                python = truncate(Double.parseDouble(number) * unit);
                expression = "int(float(" + Formats.text(s.substring(0, s.length() - 1)) + ") * " + unit + ")";
            } else {
                problems.add(new Violation(trait, Formats.text(v), "must be a number of bytes or a string such as"
                        + " '1.5G', not " + Formats.type(v)));
                return null;
            }
            if (magnitude(exact) > MAX_MAGNITUDE) {
                problems.add(new Violation(trait, Formats.text(v), exact.signum() < 0 ? "must not be negative"
                        : "must be at most " + Long.MAX_VALUE + " bytes"));
                return null;
            }
            BigInteger whole = magnitude(exact) < -MAX_MAGNITUDE ? BigInteger.ZERO : truncate(exact);
            if (whole.signum() < 0) {
                problems.add(new Violation(trait, Formats.text(v), "must not be negative"));
                return null;
            }
            if (whole.bitLength() > 63) {
                problems.add(new Violation(trait, Formats.text(v), "must be at most " + Long.MAX_VALUE + " bytes"));
                return null;
            }
            if (magnitude(exact) >= -MAX_MAGNITUDE) {
                dropped(trait, exact, whole, "bytes", "a size is whole bytes", "JupyterHub");
            }
            if (expression != null) {
                differs(trait, "JupyterHub", expression, python, whole, python + " bytes", whole + " bytes");
            }
            if (whole.signum() == 0) {
                notes.add(zero(trait));
                return null;
            }
            return whole;
        }

        private static String byteSpecificationRule(String s, long unit) {
            String rule = "is not a JupyterHub byte specification: a number of bytes, or a string of a number and"
                    + " the suffix K, M, G or T (1024-based), such as '1.5G'";
            char last = s.isEmpty() ? ' ' : s.charAt(s.length() - 1);
            if (unit == 0 && "kmgt".indexOf(last) >= 0) {
                return rule + "; the suffix is upper case";
            }
            if (unit == 0 && last >= '0' && last <= '9' && pythonFloat(s) != null) {
                return rule + "; a string needs a suffix: give a plain number of bytes as a number";
            }
            if (unit == 0 && (s.endsWith("iB") || s.endsWith("B") || s.endsWith("b"))) {
                return rule + "; no 'B' or 'iB' after it";
            }
            return rule;
        }

        /** A number of cores; null when not set, 0 or wrong, having said why. */
        private Value cores(String trait) {
            Object v = traits.get(trait);
            if (v == null) {
                return null;
            }
            BigDecimal exact;
            double python;
            if (v instanceof Number n) {
                exact = exact(n);
                if (exact == null) {
                    problems.add(new Violation(trait, Formats.text(v), "must be a finite number of cores"));
                    return null;
                }
                python = n.doubleValue();   // the Float trait's float(value)
            } else if (v instanceof CharSequence cs) {
                String number = pythonFloat(cs.toString());
                if (number == null) {
                    problems.add(new Violation(trait, Formats.text(v), "must be a number of cores, such as 0.5 or"
                            + " '0.5'"));
                    return null;
                }
                exact = new BigDecimal(number);
                python = Double.parseDouble(number);
            } else {
                problems.add(new Violation(trait, Formats.text(v), "must be a number of cores, such as 0.5, not "
                        + Formats.type(v)));
                return null;
            }
            if (exact.signum() < 0) {
                problems.add(new Violation(trait, Formats.text(v), "must not be negative"));
                return null;
            }
            if (exact.signum() == 0) {
                notes.add(zero(trait));
                return null;
            }
            if (magnitude(exact) > MAX_MAGNITUDE || magnitude(exact) < -MAX_MAGNITUDE) {
                problems.add(new Violation(trait, Formats.text(v), exact.compareTo(BigDecimal.ONE) > 0
                        ? "is too large for a CPU limit" : "must be at least 0.01 core"));
                return null;
            }
            return new Value(exact, python, Formats.decimal(exact.stripTrailingZeros()));
        }

        private String zero(String trait) {
            return trait + " = " + Formats.text(traits.get(trait)) + ": " + spawner.spawner()
                    + " treats 0 as not set, as it treats None";
        }
    }

    // ----------------------------------------------------------------------------------- Python

    /**
     * Python's {@code float()} text, ASCII only: the number without white space and underscores, or
     * null when {@code float()} would refuse it or give an infinity or NaN.
     */
    static String pythonFloat(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && PYTHON_SPACE.indexOf(text.charAt(start)) >= 0) {
            start++;
        }
        while (end > start && PYTHON_SPACE.indexOf(text.charAt(end - 1)) >= 0) {
            end--;
        }
        String s = text.substring(start, end);
        int i = s.startsWith("+") || s.startsWith("-") ? 1 : 0;
        int afterInteger = digits(s, i);
        int afterFraction = afterInteger;
        if (afterInteger < s.length() && s.charAt(afterInteger) == '.') {
            afterFraction = digits(s, afterInteger + 1);
            if (afterInteger == i && afterFraction == afterInteger + 1) {
                return null;   // "." alone
            }
        } else if (afterInteger == i) {
            return null;
        }
        i = afterFraction;
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            int sign = i + 1 < s.length() && (s.charAt(i + 1) == '+' || s.charAt(i + 1) == '-') ? i + 2 : i + 1;
            i = digits(s, sign);
            if (i == sign) {
                return null;
            }
        }
        if (i != s.length()) {
            return null;
        }
        s = s.replace("_", "");
        try {
            new BigDecimal(s);
        } catch (NumberFormatException e) {
            return null;   // an exponent beyond an int: an infinity (or 0) to Python
        }
        return s;
    }

    /** The end of Python's {@code digitpart} at {@code i}: digits, single underscores between them. */
    private static int digits(String s, int i) {
        if (i >= s.length() || !isDigit(s.charAt(i))) {
            return i;
        }
        i++;
        while (i < s.length()) {
            if (isDigit(s.charAt(i))) {
                i++;
            } else if (s.charAt(i) == '_' && i + 1 < s.length() && isDigit(s.charAt(i + 1))) {
                i += 2;
            } else {
                break;
            }
        }
        return i;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** A long when it fits, for the docker-py reader to check; else the BigInteger, which it refuses by name. */
    private static Number longOrBig(BigInteger n) {
        return n.bitLength() > 63 ? n : Long.valueOf(n.longValueExact());
    }

    /** A Java number's exact value, or null for an infinity, NaN or a Number that is not a decimal. */
    private static BigDecimal exact(Number n) {
        if (n instanceof BigDecimal d) {
            return d;
        }
        if ((n instanceof Double || n instanceof Float) && !Double.isFinite(n.doubleValue())) {
            return null;
        }
        try {
            // A double as its shortest decimal, 0.29 rather than 0.28999999999999998002: what was written.
            return new BigDecimal(n.toString());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Whether Python holds the number as an int (a JSON or YAML parser's whole number), not a float. */
    private static boolean isPythonInt(Number n) {
        return n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte
                || n instanceof BigInteger || n instanceof java.util.concurrent.atomic.AtomicInteger
                || n instanceof java.util.concurrent.atomic.AtomicLong;
    }

    /** {@code floor(log10(|d|)) + 1}, roughly: the digits before the point; negative for 0.00x. */
    private static long magnitude(BigDecimal d) {
        return d.signum() == 0 ? 0 : (long) d.precision() - d.scale();
    }

    /** Python's {@code int()} of a float: toward zero; null for an infinity or NaN, which it refuses. */
    static BigInteger truncate(double d) {
        return Double.isFinite(d) ? new BigDecimal(d).toBigInteger() : null;
    }

    private static BigInteger truncate(BigDecimal d) {
        return d.setScale(0, RoundingMode.DOWN).toBigIntegerExact();
    }
}
