package org.containerlimits.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.containerlimits.core.CpuLimit;
import org.containerlimits.core.InvalidLimitsException;
import org.containerlimits.core.Limit;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.Violation;
import org.containerlimits.core.format.ComposeResources;
import org.containerlimits.core.format.Conversion;

/**
 * A whole Compose file, read and written: every service's limits, from its
 * {@code deploy.resources} ({@link ComposeResources}) and from the service-level keys Compose also
 * accepts. YAML or JSON, read by {@link YamlTree}'s strict, bounded rules (1 MiB, UTF-8, no repeated
 * key, anchors and merge keys applied, no alias bomb).
 *
 * <pre>
 * x-limits: &amp;small
 *   mem_limit: 256m
 *   pids_limit: 100
 * services:
 *   web:
 *     &lt;&lt;: *small
 *     cpus: 0.5
 *   db:
 *     deploy:
 *       resources:
 *         limits: {cpus: '2', memory: 1g}
 *         reservations: {memory: 512m}
 *     shm_size: 256m
 * </pre>
 *
 * <table class="striped">
 *   <caption>Service-level keys, beside deploy.resources</caption>
 *   <thead><tr><th>Compose key</th><th>limit (docker-py keyword)</th></tr></thead>
 *   <tbody>
 *   <tr><td>mem_limit, mem_reservation, memswap_limit, mem_swappiness, shm_size</td><td>the same keyword</td></tr>
 *   <tr><td>cpus</td><td>nano_cpus, given in cores</td></tr>
 *   <tr><td>cpu_quota, cpu_period, cpu_shares</td><td>the same keyword</td></tr>
 *   <tr><td>cpuset</td><td>cpuset_cpus</td></tr>
 *   <tr><td>pids_limit, oom_kill_disable, oom_score_adj</td><td>the same keyword</td></tr>
 *   <tr><td>blkio_config: weight, weight_device, device_read_bps, device_write_bps, device_read_iops,
 *       device_write_iops (lists of {@code {path, weight}} or {@code {path, rate}})</td>
 *       <td>blkio_weight, blkio_weight_device, device_read_bps, ...</td></tr>
 *   <tr><td>ulimits ({@code nofile: {soft: 1024, hard: 2048}} or {@code nproc: 512})</td><td>ulimits</td></tr>
 *   <tr><td>cpu_count, cpu_percent, cpu_rt_runtime, cpu_rt_period</td><td>none: reported as not converted</td></tr>
 *   </tbody>
 * </table>
 * Other service keys (image, ports, ...) are not limits and are not read; other {@code deploy} keys
 * (replicas, ...) neither. The file is read as it is: {@code ${VAR}} is not interpolated (a limit
 * holding one is refused, naming it), and {@code extends} and {@code include} are not followed.
 *
 * <h2>Precedence</h2>
 * As docker compose applies them: the service-level keys first, then {@code deploy.resources}, whose
 * values win. And as compose-go's loader refuses it ({@code loader/validate.go}, "can't set distinct
 * values on 'mem_limit' and 'deploy.resources.limits.memory'"), a service that sets {@code mem_limit},
 * {@code cpus} or {@code pids_limit} and also has a {@code deploy.resources.limits} map whose
 * {@code memory}, {@code cpus} or {@code pids} differs, an absent one included, is an error; so is
 * {@code mem_reservation} against a {@code deploy.resources.reservations} map's {@code memory}. Equal
 * values are one limit.
 *
 * <h2>Writing</h2>
 * {@link #write(Map)} gives {@code services: NAME: ...}: memory, reservation, the CPU limit in cores
 * and a pids maximum in {@code deploy.resources}; a CPU limit in quota form (kept exactly as
 * {@code cpu_quota} and {@code cpu_period}) and every other limit as its service-level key. With an
 * unlimited pids limit ({@code pids_limit: -1}, which {@code deploy.resources} cannot hold and
 * compose-go would compare with the limits map) all of them are service-level keys. {@code cpuset_mems} has no Compose key and is reported.
 * Reading what was written gives the same limits.
 *
 * <pre>{@code
 * FileLimits file = ComposeFile.read(Path.of("compose.yaml"));
 * file.limits().get("web");      // mem_limit=256m,nano_cpus=500000000,pids_limit=100
 * ComposeFile.write(file.limits()).value();   // services: web: deploy: resources: ...
 * }</pre>
 */
public final class ComposeFile {

    /** Service-level keys of Compose about resources that no limit of the library holds. */
    private static final List<String> NO_LIMIT = List.of("cpu_count", "cpu_percent", "cpu_rt_runtime", "cpu_rt_period");

    /** What compose-go compares: the service-level key, the deploy.resources section and its key. */
    private static final List<Limit> COMPARED = List.of(Limit.MEMORY, Limit.NANO_CPUS, Limit.PIDS_LIMIT, Limit.MEMORY_RESERVATION);

    private ComposeFile() {
    }

    /**
     * Returns the service-level Compose key that holds a limit, the one place that knows them.
     *
     * @param limit the limit
     * @return such as {@code cpus}, {@code cpuset}, {@code blkio_config.weight} or {@code mem_limit};
     *     null when a service has no such key ({@code cpuset_mems})
     */
    static String serviceKey(Limit limit) {
        return switch (limit) {
            case NANO_CPUS -> "cpus";
            case CPUSET_CPUS -> "cpuset";
            case CPUSET_MEMS -> null;
            case BLKIO_WEIGHT -> "blkio_config.weight";
            case BLKIO_WEIGHT_DEVICE -> "blkio_config.weight_device";
            case DEVICE_READ_BPS -> "blkio_config.device_read_bps";
            case DEVICE_WRITE_BPS -> "blkio_config.device_write_bps";
            case DEVICE_READ_IOPS -> "blkio_config.device_read_iops";
            case DEVICE_WRITE_IOPS -> "blkio_config.device_write_iops";
            default -> limit.keyword();
        };
    }

    /**
     * Reads a Compose file.
     *
     * @param file the file
     * @return every service's limits, in file order
     * @throws InvalidFileException naming what is wrong, where
     * @throws IOException when the file cannot be read
     */
    public static FileLimits read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /**
     * Reads a Compose file from a stream: at most 1 MiB, UTF-8.
     *
     * @param in the stream, not closed
     * @param source the name errors give ({@code -} for standard input)
     * @return every service's limits, in file order
     * @throws InvalidFileException naming what is wrong, where
     * @throws IOException when the stream fails
     */
    public static FileLimits read(InputStream in, String source) throws IOException {
        return read(YamlTree.readText(in, source), source);
    }

    /**
     * Reads a Compose file's text.
     *
     * @param text the YAML or JSON
     * @param source the name errors give
     * @return every service's limits, in file order
     * @throws InvalidFileException naming what is wrong, where; every bad value at once
     */
    public static FileLimits read(String text, String source) {
        Objects.requireNonNull(source, "source");
        List<YamlTree.Document> documents = YamlTree.read(text, source);
        if (documents.isEmpty()) {
            throw new InvalidFileException(source, List.of("empty: a Compose file is a map with services"));
        }
        if (documents.size() > 1) {
            throw new InvalidFileException(source, List.of("document " + documents.get(1).index()
                    + ": a Compose file is one YAML document, not several"));
        }
        YamlTree.Document doc = documents.get(0);
        if (!(doc.value() instanceof Map<?, ?> root)) {
            throw new InvalidFileException(source, List.of(doc.at("") + "a Compose file is a map with services, not "
                    + kind(doc.value())));
        }
        List<FileLimits.Entry> entries = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Object services = root.get("services");
        if (services == null) {
            skipped.add("no services");
        } else if (!(services instanceof Map<?, ?> byName)) {
            problems.add(doc.at("services") + "services = " + text(services) + ": must be a map of services, not "
                    + kind(services));
        } else {
            for (Map.Entry<?, ?> s : byName.entrySet()) {
                String name = (String) s.getKey();
                String base = "services." + name;
                if (!(s.getValue() instanceof Map<?, ?> service)) {
                    problems.add(doc.at(base) + base + " = " + text(s.getValue()) + ": a service must be a map, not "
                            + kind(s.getValue()));
                    continue;
                }
                FileLimits.Entry entry = service(doc, name, base, service, problems);
                if (entry != null) {
                    entries.add(entry);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidFileException(source, problems);
        }
        return new FileLimits(source, entries, skipped);
    }

    private static FileLimits.Entry service(YamlTree.Document doc, String name, String base, Map<?, ?> service,
            List<String> problems) {
        int before = problems.size();
        List<String> unconverted = new ArrayList<>();
        Map<String, Object> dockerPy = new LinkedHashMap<>();
        Map<String, String> origin = new HashMap<>();
        Map<String, String> given = new HashMap<>();

        // deploy.resources, by limits-core's converter.
        ResourceLimits deployed = null;
        Map<?, ?> resources = null;
        Object deploy = service.get("deploy");
        if (deploy != null && !(deploy instanceof Map)) {
            problems.add(doc.at(base + ".deploy") + base + ".deploy = " + text(deploy) + ": must be a map, not " + kind(deploy));
        } else if (deploy != null && ((Map<?, ?>) deploy).get("resources") != null) {
            Object r = ((Map<?, ?>) deploy).get("resources");
            String at = base + ".deploy.resources";
            if (!(r instanceof Map<?, ?> m)) {
                problems.add(doc.at(at) + at + " = " + text(r) + ": must be a map, not " + kind(r));
            } else {
                resources = m;
                try {
                    @SuppressWarnings("unchecked")
                    Map<String, ?> typed = (Map<String, ?>) m;
                    Conversion<ResourceLimits> c = ComposeResources.read(typed);
                    deployed = c.value();
                    c.unconverted().forEach(u -> unconverted.add("deploy.resources." + u));
                } catch (InvalidLimitsException e) {
                    for (Violation v : e.violations()) {
                        problems.add(line(doc, at + "." + v.field(), v));
                    }
                }
            }
        }

        // The service-level keys, as docker-py keywords.
        for (Limit limit : Limit.values()) {
            String key = serviceKey(limit);
            if (key == null || key.startsWith("blkio_config.") || !service.containsKey(key) || service.get(key) == null) {
                continue;
            }
            String path = base + "." + key;
            Object v = service.get(key);
            if (limit == Limit.NANO_CPUS) {
                v = nanoCpus(doc, path, v, problems);
                if (v == null) {
                    continue;
                }
            } else if (limit == Limit.ULIMITS) {
                v = ulimits(doc, path, v, problems);
                if (v == null) {
                    continue;
                }
            }
            dockerPy.put(limit.keyword(), v);
            origin.put(limit.keyword(), path);
            given.put(limit.keyword(), fullText(service.get(key)));
        }
        Object blkio = service.get("blkio_config");
        if (blkio != null) {
            blkio(doc, base + ".blkio_config", blkio, dockerPy, origin, problems);
            origin.forEach((keyword, path) -> given.putIfAbsent(keyword, fullText(((Map<?, ?>) blkio)
                    .get(path.substring(path.lastIndexOf('.') + 1)))));
        }
        for (String key : NO_LIMIT) {
            if (service.get(key) != null) {
                unconverted.add(key + " = " + text(service.get(key)) + ": no limit of this library holds it");
            }
        }

        // compose-go's consistency rule, then deploy.resources over the service-level keys.
        Map<?, ?> limitsSection = resources == null ? null : resources.get("limits") instanceof Map<?, ?> l ? l : null;
        Map<?, ?> reservations = resources == null ? null : resources.get("reservations") instanceof Map<?, ?> r ? r : null;
        if (problems.size() == before) {
            for (Limit limit : COMPARED) {
                Map<?, ?> section = limit == Limit.MEMORY_RESERVATION ? reservations : limitsSection;
                Object value = dockerPy.get(limit.keyword());
                if (section == null || value == null) {
                    continue;
                }
                Object legacy = parsed(limit, value);
                if (legacy == null || Long.valueOf(0).equals(legacy)) {
                    continue;   // a bad value is reported below; 0 is "not set" to Compose
                }
                Object there = deployed == null ? null : deployed.toDockerPy().get(limit.keyword());
                if (!legacy.equals(there)) {
                    String path = origin.get(limit.keyword());
                    String deployKey = "deploy.resources." + limit.composeKey().orElseThrow();
                    String key = path.substring(base.length() + 1);
                    problems.add(doc.at(path) + path + " = " + text(service.get(key)) + ": Compose refuses distinct values"
                            + " on '" + key + "' and '" + deployKey + "', which is "
                            + (there == null ? "not set" : text(deployedValue(resources, limit))));
                }
            }
        }
        if (deployed != null) {
            for (Map.Entry<String, Object> e : deployed.toDockerPy().entrySet()) {
                Limit limit = Limit.ofKeyword(e.getKey()).orElseThrow();
                dockerPy.put(e.getKey(), e.getValue());
                origin.put(e.getKey(), base + ".deploy.resources." + limit.composeKey().orElseThrow());
                given.put(e.getKey(), fullText(deployedValue(resources, limit)));
            }
        }
        // A swarm scheduling reservation: no container limit holds it, a service does.
        CpuLimit cpuReservation = null;
        if (reservations != null && reservations.get("cpus") != null) {
            Object nanos = nanoCpus(doc, base + ".deploy.resources.reservations.cpus", reservations.get("cpus"), problems);
            if (nanos instanceof Number n && n.longValue() > 0) {
                cpuReservation = CpuLimit.ofNanoCpus(n.longValue());
            }
        }
        if (problems.size() > before) {
            return null;
        }
        try {
            return new FileLimits.Entry(name, base, new Conversion<>(ResourceLimits.fromDockerPy(dockerPy), unconverted),
                    java.util.Optional.ofNullable(cpuReservation));
        } catch (InvalidLimitsException e) {
            for (Violation v : e.violations()) {
                // Named by the key and the text in the file, not the docker-py keyword and value.
                String path = origin.getOrDefault(v.field(), base + "." + v.field());
                problems.add(line(doc, path, new Violation(v.field(), given.getOrDefault(v.field(), v.value()), v.rule())));
            }
            return null;
        }
    }

    private static Object deployedValue(Map<?, ?> resources, Limit limit) {
        String[] key = limit.composeKey().orElseThrow().split("\\.");
        return ((Map<?, ?>) resources.get(key[0])).get(key[1]);
    }

    /** One limit's value alone, as docker-py keywords give it back; null when it does not validate. */
    private static Object parsed(Limit limit, Object given) {
        try {
            return ResourceLimits.fromDockerPy(Map.of(limit.keyword(), given)).toDockerPy().get(limit.keyword());
        } catch (InvalidLimitsException e) {
            return null;
        }
    }

    /** The service-level cpus, cores as Compose's deploy.resources.limits.cpus reads them. */
    private static Object nanoCpus(YamlTree.Document doc, String path, Object v, List<String> problems) {
        try {
            return ComposeResources.read(Map.of("limits", Map.of("cpus", v))).value().toDockerPy()
                    .get(Limit.NANO_CPUS.keyword());
        } catch (InvalidLimitsException e) {
            e.violations().forEach(x -> problems.add(line(doc, path, x)));
            return null;
        }
    }

    /** Compose's {@code ulimits: {nofile: {soft: 1, hard: 2}, nproc: 3}} as docker-py's list. */
    private static Object ulimits(YamlTree.Document doc, String path, Object v, List<String> problems) {
        if (!(v instanceof Map<?, ?> byName)) {
            problems.add(doc.at(path) + path + " = " + text(v) + ": must be a map of ulimit names, not " + kind(v));
            return null;
        }
        List<Object> list = new ArrayList<>();
        for (Map.Entry<?, ?> e : byName.entrySet()) {
            String at = path + "." + e.getKey();
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("Name", e.getKey());
            if (e.getValue() instanceof Map<?, ?> m) {
                for (Object k : m.keySet()) {
                    if (!"soft".equals(k) && !"hard".equals(k)) {
                        problems.add(doc.at(at + "." + k) + at + "." + k + " = " + text(m.get(k))
                                + ": is not a key of a ulimit: expected soft and hard");
                    }
                }
                item.put("Soft", m.get("soft"));
                item.put("Hard", m.get("hard"));
            } else {
                item.put("Soft", e.getValue());
                item.put("Hard", e.getValue());
            }
            list.add(item);
        }
        return list;
    }

    private static void blkio(YamlTree.Document doc, String path, Object v, Map<String, Object> dockerPy,
            Map<String, String> origin, List<String> problems) {
        if (!(v instanceof Map<?, ?> m)) {
            problems.add(doc.at(path) + path + " = " + text(v) + ": must be a map, not " + kind(v));
            return;
        }
        Map<String, Limit> byKey = new LinkedHashMap<>();
        for (Limit limit : Limit.values()) {
            String key = serviceKey(limit);
            if (key != null && key.startsWith("blkio_config.")) {
                byKey.put(key.substring("blkio_config.".length()), limit);
            }
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String at = path + "." + e.getKey();
            Limit limit = byKey.get((String) e.getKey());
            if (limit == null) {
                problems.add(doc.at(at) + at + " = " + text(e.getValue()) + ": is not a key of blkio_config: expected "
                        + String.join(", ", byKey.keySet()));
                continue;
            }
            Object value = e.getValue();
            if (limit.kind().isList()) {
                if (!(value instanceof List<?> items)) {
                    problems.add(doc.at(at) + at + " = " + text(value) + ": must be a list of {path, "
                            + (limit.kind() == Limit.Kind.DEVICE_WEIGHT ? "weight" : "rate") + "} maps, not " + kind(value));
                    continue;
                }
                List<Object> wire = new ArrayList<>();
                for (Object item : items) {
                    if (item instanceof Map<?, ?> im) {
                        Map<String, Object> renamed = new LinkedHashMap<>();
                        im.forEach((k, x) -> renamed.put(capitalized(String.valueOf(k)), x));
                        wire.add(renamed);
                    } else {
                        wire.add(item);   // refused by the docker-py reader, naming it
                    }
                }
                value = wire;
            }
            dockerPy.put(limit.keyword(), value);
            origin.put(limit.keyword(), at);
        }
    }

    private static String capitalized(String k) {
        return k.isEmpty() ? k : Character.toUpperCase(k.charAt(0)) + k.substring(1);
    }

    private static String line(YamlTree.Document doc, String path, Violation v) {
        return doc.at(path) + new Violation(path, shown(v.value()), v.rule());
    }

    /**
     * Writes services' limits as a Compose file.
     *
     * @param services the limits by service name, in the order written
     * @return the YAML ({@code services: NAME: ...}), and every limit Compose cannot hold, named
     *     {@code NAME: keyword = value: why}
     */
    public static Conversion<String> write(Map<String, ResourceLimits> services) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> unconverted = new ArrayList<>();
        services.forEach((name, limits) -> {
            Objects.requireNonNull(limits, name);
            Map<String, Object> service = new LinkedHashMap<>();
            Map<String, Object> all = limits.toDockerPy();
            boolean quota = limits.cpu().map(CpuLimit::isQuotaForm).orElse(false);
            // deploy.resources cannot hold an unlimited pids limit, and compose-go refuses pids_limit
            // beside a limits map without the same pids: then every limit is a service-level key.
            boolean pidsUnlimited = limits.pidsLimit().map(p -> p.max().isEmpty()).orElse(false);
            Map<String, Object> deployable = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : all.entrySet()) {
                Limit limit = Limit.ofKeyword(e.getKey()).orElseThrow();
                boolean inDeploy = limit.composeKey().isPresent() && !pidsUnlimited
                        && !(quota && (limit == Limit.CPU_QUOTA || limit == Limit.CPU_PERIOD));
                if (inDeploy) {
                    deployable.put(e.getKey(), e.getValue());
                    continue;
                }
                String key = serviceKey(limit);
                if (key == null) {
                    unconverted.add(name + ": " + limit.keyword() + " = " + String.join(",", limits.texts(limit))
                            + ": no key of a Compose service holds it");
                } else if (key.startsWith("blkio_config.")) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> blkio = (Map<String, Object>) service.computeIfAbsent("blkio_config",
                            k -> new LinkedHashMap<String, Object>());
                    blkio.put(key.substring("blkio_config.".length()),
                            limit.kind().isList() ? lowerCased(e.getValue()) : e.getValue());
                } else if (limit == Limit.ULIMITS) {
                    Map<String, Object> byName = new LinkedHashMap<>();
                    for (Object item : (List<?>) e.getValue()) {
                        Map<?, ?> u = (Map<?, ?>) item;
                        byName.put((String) u.get("Name"), u.get("Soft").equals(u.get("Hard")) ? u.get("Soft")
                                : map("soft", u.get("Soft"), "hard", u.get("Hard")));
                    }
                    service.put(key, byName);
                } else if (limit == Limit.NANO_CPUS) {
                    service.put(key, java.math.BigDecimal.valueOf((Long) e.getValue(), 9).stripTrailingZeros().toPlainString());
                } else if (limit.kind() == Limit.Kind.SIZE || limit.kind() == Limit.Kind.SWAP && !Long.valueOf(-1).equals(e.getValue())) {
                    service.put(key, limits.texts(limit).get(0));
                } else {
                    service.put(key, e.getValue());
                }
            }
            if (!deployable.isEmpty()) {
                Conversion<Map<String, Object>> resources = ComposeResources.write(ResourceLimits.fromDockerPy(deployable));
                resources.unconverted().forEach(u -> unconverted.add(name + ": " + u));
                if (!resources.value().isEmpty()) {
                    service.put("deploy", map("resources", resources.value()));
                }
            }
            out.put(name, service);
        });
        return new Conversion<>(YamlText.write(List.of(map("services", out))), unconverted);
    }

    private static Object lowerCased(Object list) {
        List<Object> out = new ArrayList<>();
        for (Object item : (List<?>) list) {
            Map<String, Object> m = new LinkedHashMap<>();
            ((Map<?, ?>) item).forEach((k, v) -> m.put(String.valueOf(k).toLowerCase(java.util.Locale.ROOT), v));
            out.add(m);
        }
        return out;
    }

    static Map<String, Object> map(String k1, Object v1) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k1, v1);
        return m;
    }

    static Map<String, Object> map(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = map(k1, v1);
        m.put(k2, v2);
        return Collections.unmodifiableMap(m);
    }

    static String text(Object v) {
        return v == null ? "null" : v instanceof String s ? "'" + shown(s) + "'" : v instanceof Map || v instanceof List
                ? "(" + kind(v) + ")" : shown(String.valueOf(v));
    }

    /** A value as a message quotes it, not cut yet. */
    private static String fullText(Object v) {
        return v instanceof String s ? "'" + s + "'" : text(v);
    }

    /** Text for a message: a hostile value is cut after 100 characters, saying how long it was. */
    static String shown(String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "... (" + text.length() + " characters)";
    }

    static String kind(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Number) {
            return "a number";
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        if (v instanceof Map) {
            return "a map";
        }
        return "a list";
    }
}
