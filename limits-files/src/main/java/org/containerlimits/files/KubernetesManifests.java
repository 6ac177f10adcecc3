package org.containerlimits.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.containerlimits.core.InvalidLimitsException;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.Violation;
import org.containerlimits.core.format.Conversion;
import org.containerlimits.core.format.KubernetesResources;

/**
 * Kubernetes manifests, read and written: every container's and init container's
 * {@code resources}, converted as the kubelet converts them ({@link KubernetesResources}), from a
 * YAML or JSON stream of one or more documents ({@code ---}), read by {@link YamlTree}'s strict,
 * bounded rules.
 *
 * <table class="striped">
 *   <caption>Where the containers are</caption>
 *   <thead><tr><th>kind</th><th>pod spec</th></tr></thead>
 *   <tbody>
 *   <tr><td>Pod</td><td>{@code spec}</td></tr>
 *   <tr><td>Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job</td>
 *       <td>{@code spec.template.spec}</td></tr>
 *   <tr><td>CronJob</td><td>{@code spec.jobTemplate.spec.template.spec}</td></tr>
 *   <tr><td>List</td><td>each of {@code items}, as above</td></tr>
 *   </tbody>
 * </table>
 * In a pod spec, {@code containers[]} and {@code initContainers[]} (ephemeral containers have no
 * resources). Documents of other kinds (Service, ConfigMap, ...) and empty documents are not errors:
 * {@link FileLimits#skipped()} lists them. A document without a {@code kind} is not a Kubernetes
 * object and is an error, as kubectl makes it.
 *
 * <h2>Names</h2>
 * Each container's result is named {@code KIND/NAME/container/CONTAINER} or
 * {@code KIND/NAME/initContainer/CONTAINER} ({@code Deployment/web/container/app}), with
 * {@code NAMESPACE/} in front when {@code metadata.namespace} is given
 * ({@code prod/Deployment/web/container/app}). Two containers of one name is an error.
 *
 * <pre>
 * apiVersion: apps/v1
 * kind: Deployment
 * metadata: {name: web}
 * spec:
 *   template:
 *     spec:
 *       initContainers:
 *         - name: migrate
 *           resources: {limits: {memory: 256Mi}}
 *       containers:
 *         - name: app
 *           resources:
 *             limits: {cpu: 500m, memory: 1Gi}
 *             requests: {cpu: 250m, memory: 512Mi}
 * </pre>
 *
 * <h2>Writing</h2>
 * {@link #write(Map)} takes results named as above and writes one document per workload: its
 * {@code apiVersion}, {@code kind}, {@code metadata} (name, namespace) and, at the kind's pod spec,
 * the containers by name with their {@code resources} only. That is the shape of a strategic merge
 * patch ({@code kubectl patch deployment web --patch-file resources.yaml}), and reading it gives
 * the same limits. A name without a slash ({@code app}) is a Pod of that name with one container of
 * that name.
 *
 * <pre>{@code
 * FileLimits manifests = KubernetesManifests.read(Path.of("app.yaml"));
 * manifests.limits().get("Deployment/web/container/app");   // mem_limit=1g,cpu_quota=50000,...
 * manifests.skipped();                                      // [document 2: Service/web: no containers]
 * }</pre>
 */
public final class KubernetesManifests {

    private static final Map<String, String> API_VERSIONS = Map.of(
            "Pod", "v1", "ReplicationController", "v1", "Deployment", "apps/v1", "StatefulSet", "apps/v1",
            "DaemonSet", "apps/v1", "ReplicaSet", "apps/v1", "Job", "batch/v1", "CronJob", "batch/v1");

    private KubernetesManifests() {
    }

    /**
     * Returns where a kind keeps its pod spec.
     *
     * @param kind such as {@code Deployment}
     * @return the keys from the object to the pod spec, or null when the kind has no pods
     */
    static List<String> podSpec(String kind) {
        return switch (kind) {
            case "Pod" -> List.of("spec");
            case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job" ->
                    List.of("spec", "template", "spec");
            case "CronJob" -> List.of("spec", "jobTemplate", "spec", "template", "spec");
            default -> null;
        };
    }

    /**
     * Reads manifests from a file.
     *
     * @param file the file
     * @return every container's limits, in file order
     * @throws InvalidFileException naming what is wrong, where
     * @throws IOException when the file cannot be read
     */
    public static FileLimits read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /**
     * Reads manifests from a stream: at most 1 MiB, UTF-8.
     *
     * @param in the stream, not closed
     * @param source the name errors give ({@code -} for standard input)
     * @return every container's limits, in file order
     * @throws InvalidFileException naming what is wrong, where
     * @throws IOException when the stream fails
     */
    public static FileLimits read(InputStream in, String source) throws IOException {
        return read(YamlTree.readText(in, source), source);
    }

    /**
     * Reads manifests' text.
     *
     * @param text YAML (one or more documents) or JSON
     * @param source the name errors give
     * @return every container's limits, in file order
     * @throws InvalidFileException naming what is wrong, where; every bad value at once
     */
    public static FileLimits read(String text, String source) {
        Objects.requireNonNull(source, "source");
        List<FileLimits.Entry> entries = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (YamlTree.Document doc : YamlTree.read(text, source)) {
            String where = "document " + doc.index();
            if (!(doc.value() instanceof Map<?, ?> object)) {
                problems.add(doc.at("") + where + ": a manifest is a map, not " + ComposeFile.kind(doc.value()));
                continue;
            }
            if ("List".equals(object.get("kind")) && object.get("items") instanceof List<?> items) {
                for (int i = 0; i < items.size(); i++) {
                    object(doc, "items[" + i + "]", items.get(i), entries, skipped, problems);
                }
            } else {
                object(doc, "", object, entries, skipped, problems);
            }
        }
        Set<String> names = new HashSet<>();
        for (FileLimits.Entry e : entries) {
            if (!names.add(e.name())) {
                problems.add(e.path() + ": a second container named " + e.name());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidFileException(source, problems);
        }
        return new FileLimits(source, entries, skipped);
    }

    private static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static void object(YamlTree.Document doc, String path, Object value, List<FileLimits.Entry> entries,
            List<String> skipped, List<String> problems) {
        String where = "document " + doc.index() + (path.isEmpty() ? "" : " " + path);
        if (!(value instanceof Map<?, ?> object)) {
            problems.add(doc.at(path) + where + ": a manifest is a map, not " + ComposeFile.kind(value));
            return;
        }
        Object kind = object.get("kind");
        if (!(kind instanceof String) || ((String) kind).isEmpty()) {
            // kubectl refuses it too ("Object 'Kind' is missing"); a Compose file given here ends here.
            problems.add(doc.at(path) + where + ": kind = " + ComposeFile.text(kind)
                    + ": not a Kubernetes object, which names its kind");
            return;
        }
        Map<?, ?> metadata = object.get("metadata") instanceof Map<?, ?> m ? m : Map.of();
        Object name = metadata.get("name");
        Object namespace = metadata.get("namespace");
        String title = kind + "/" + (name == null ? "(no name)" : name);
        List<String> toPodSpec = kind instanceof String k ? podSpec(k) : null;
        if (toPodSpec == null) {
            skipped.add(where + ": " + title + ": no containers");
            return;
        }
        if (!(name instanceof String) || ((String) name).isEmpty()) {
            problems.add(doc.at(child(path, "metadata")) + child(path, "metadata.name") + " = "
                    + ComposeFile.text(name) + ": a " + kind + " must have a name");
            return;
        }
        Object at = object;
        String specPath = path;
        for (String key : toPodSpec) {
            specPath = child(specPath, key);
            at = at instanceof Map<?, ?> m ? m.get(key) : null;
        }
        if (!(at instanceof Map<?, ?> spec)) {
            problems.add(doc.at(specPath) + specPath + " = " + ComposeFile.text(at) + ": a " + kind
                    + " must have a pod spec here, a map");
            return;
        }
        String prefix = (namespace instanceof String ns && !ns.isEmpty() ? ns + "/" : "") + kind + "/" + name;
        for (String list : List.of("initContainers", "containers")) {
            Object containers = spec.get(list);
            String listPath = child(specPath, list);
            if (containers == null) {
                continue;
            }
            if (!(containers instanceof List<?> items)) {
                problems.add(doc.at(listPath) + listPath + " = " + ComposeFile.text(containers) + ": must be a list");
                continue;
            }
            for (int i = 0; i < items.size(); i++) {
                String itemPath = listPath + "[" + i + "]";
                if (!(items.get(i) instanceof Map<?, ?> container) || !(container.get("name") instanceof String cname)) {
                    problems.add(doc.at(itemPath) + itemPath + ": a container must be a map with a name");
                    continue;
                }
                Object resources = container.get("resources");
                String resourcesPath = itemPath + ".resources";
                Conversion<ResourceLimits> limits;
                try {
                    if (resources == null) {
                        limits = KubernetesResources.read(Map.of());
                    } else if (!(resources instanceof Map<?, ?> r)) {
                        problems.add(doc.at(resourcesPath) + resourcesPath + " = " + ComposeFile.text(resources)
                                + ": must be a map");
                        continue;
                    } else {
                        @SuppressWarnings("unchecked")
                        Map<String, ?> typed = (Map<String, ?>) r;
                        limits = KubernetesResources.read(typed);
                    }
                } catch (InvalidLimitsException e) {
                    for (Violation v : e.violations()) {
                        String p = resourcesPath + "." + v.field();
                        problems.add(doc.at(p) + "document " + doc.index() + ": "
                                + new Violation(p, ComposeFile.shown(v.value()), v.rule()));
                    }
                    continue;
                }
                String single = list.equals("containers") ? "container" : "initContainer";
                entries.add(new FileLimits.Entry(prefix + "/" + single + "/" + cname,
                        "document " + doc.index() + ": " + itemPath, limits));
            }
        }
    }

    /**
     * Writes containers' limits as manifests, one document per workload.
     *
     * @param containers the limits by name, as {@link KubernetesManifests} names them
     * @return the YAML, and every limit a container's resources cannot hold, named
     *     {@code NAME: keyword = value: why}
     * @throws IllegalArgumentException for a name that is not {@code [NAMESPACE/]KIND/NAME/container|
     *     initContainer/CONTAINER}, a kind without pods, or a name without a slash
     */
    public static Conversion<String> write(Map<String, ResourceLimits> containers) {
        Map<String, Map<String, Object>> workloads = new LinkedHashMap<>();
        List<String> unconverted = new ArrayList<>();
        containers.forEach((fullName, limits) -> {
            String[] parts = fullName.split("/", -1);
            String namespace = null;
            String kind;
            String name;
            String list;
            String container;
            if (parts.length == 1) {
                kind = "Pod";
                name = fullName;
                list = "containers";
                container = fullName;
            } else if (parts.length == 4 || parts.length == 5) {
                int o = parts.length - 4;
                namespace = o == 1 ? parts[0] : null;
                kind = parts[o];
                name = parts[o + 1];
                list = switch (parts[o + 2]) {
                    case "container" -> "containers";
                    case "initContainer" -> "initContainers";
                    default -> throw badName(fullName);
                };
                container = parts[o + 3];
            } else {
                throw badName(fullName);
            }
            List<String> toPodSpec = podSpec(kind);
            if (toPodSpec == null || name.isEmpty() || container.isEmpty() || namespace != null && namespace.isEmpty()) {
                throw badName(fullName);
            }
            String ns = namespace;
            Map<String, Object> workload = workloads.computeIfAbsent((ns == null ? "" : ns + "/") + kind + "/" + name, k -> {
                Map<String, Object> w = new LinkedHashMap<>();
                w.put("apiVersion", API_VERSIONS.get(kind));
                w.put("kind", kind);
                Map<String, Object> metadata = new LinkedHashMap<>();
                metadata.put("name", name);
                if (ns != null) {
                    metadata.put("namespace", ns);
                }
                w.put("metadata", metadata);
                return w;
            });
            Map<String, Object> spec = workload;
            for (String key : toPodSpec) {
                @SuppressWarnings("unchecked")
                Map<String, Object> next = (Map<String, Object>) spec.computeIfAbsent(key, k -> new LinkedHashMap<String, Object>());
                spec = next;
            }
            @SuppressWarnings("unchecked")
            List<Object> items = (List<Object>) spec.computeIfAbsent(list, k -> new ArrayList<Object>());
            Conversion<Map<String, Object>> resources = KubernetesResources.write(limits);
            resources.unconverted().forEach(u -> unconverted.add(fullName + ": " + u));
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", container);
            c.put("resources", resources.value());
            items.add(c);
        });
        return new Conversion<>(YamlText.write(new ArrayList<>(workloads.values())), unconverted);
    }

    private static IllegalArgumentException badName(String name) {
        return new IllegalArgumentException("'" + name + "' is not a container's name: expected"
                + " [NAMESPACE/]KIND/NAME/container/CONTAINER or .../initContainer/CONTAINER, KIND one of "
                + String.join(", ", new java.util.TreeSet<>(API_VERSIONS.keySet())) + ", or a bare NAME for a Pod");
    }
}
