package org.containerlimits.docker.swarm;

import com.github.dockerjava.api.model.DockerObjectAccessor;
import com.github.dockerjava.api.model.ResourceRequirements;
import com.github.dockerjava.api.model.ResourceSpecs;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.containerlimits.core.CpuLimit;
import org.containerlimits.core.Limit;
import org.containerlimits.core.MemorySize;
import org.containerlimits.core.PidsLimit;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.docker.LimitProblem;

/**
 * Writes {@link ServiceResources} into a service spec's {@code TaskTemplate.Resources} and reads
 * them back, field by field as {@link ServiceField} lists them.
 */
final class ServiceSpecMapping {

    /**
     * The Engine API's field for a task's pids limit (API 1.41), which docker-java's
     * {@link ResourceSpecs} does not model: written and read as one of its raw values.
     */
    static final String PIDS = "Pids";

    private ServiceSpecMapping() {}

    /** The limits a service cannot carry, each as a problem of the given severity. */
    static List<LimitProblem> uncarried(ServiceResources resources, LimitProblem.Severity severity) {
        List<Limit> carried = ServiceField.carriedLimits();
        List<LimitProblem> problems = new ArrayList<>();
        for (String keyword : resources.limits().toDockerPy().keySet()) {
            Limit limit = Limit.ofKeyword(keyword).orElseThrow();
            if (carried.contains(limit)) {
                continue;
            }
            String why = switch (limit) {
                case CPU_QUOTA, CPU_PERIOD -> "a service takes its CPU limit in nano-CPUs only (--limit-cpu);"
                        + " give nano_cpus instead of cpu_quota/cpu_period";
                default -> "a Swarm service's task template has no field for it (a service carries "
                        + String.join(", ", carried.stream().map(Limit::keyword).toList()) + ")";
            };
            problems.add(new LimitProblem(severity, keyword, why));
        }
        return problems;
    }

    /** Writes the carried fields into the spec's task template; other fields are left out. */
    static ServiceSpec applyTo(ServiceSpec spec, ServiceResources resources) {
        TaskSpec task = spec.getTaskTemplate();
        if (task == null) {
            task = new TaskSpec();
            spec.withTaskTemplate(task);
        }
        applyTo(task, resources);
        return spec;
    }

    static TaskSpec applyTo(TaskSpec task, ServiceResources resources) {
        ResourceRequirements requirements = task.getResources() == null ? new ResourceRequirements() : task.getResources();
        ResourceSpecs limits = requirements.getLimits() == null ? new ResourceSpecs() : requirements.getLimits();
        ResourceSpecs reservations = requirements.getReservations() == null ? new ResourceSpecs()
                : requirements.getReservations();
        ResourceLimits l = resources.limits();
        l.cpu().filter(c -> !c.isQuotaForm()).ifPresent(c -> limits.withNanoCPUs(c.toNanoCpus()));
        l.memory().ifPresent(m -> limits.withMemoryBytes(m.toBytes()));
        // The Engine's Pids: 0 is unlimited, as for docker service create --limit-pids 0.
        l.pidsLimit().ifPresent(p -> DockerObjectAccessor.overrideRawValue(limits, PIDS, p.max().orElse(0)));
        l.memoryReservation().ifPresent(m -> reservations.withMemoryBytes(m.toBytes()));
        resources.cpuReservation().ifPresent(c -> reservations.withNanoCPUs(c.toNanoCpus()));
        task.withResources(requirements.withLimits(limits).withReservations(reservations));
        return task;
    }

    /**
     * Returns a deep, changeable copy of the spec the daemon sent for a service, from the raw values
     * docker-java keeps of the object it decoded; empty when the client keeps none (a docker-java
     * that is not configured as docker-java-core configures it).
     */
    static Optional<Map<String, Object>> rawSpec(Service service) {
        Object spec = service.getRawValues() == null ? null : service.getRawValues().get("Spec");
        if (!(spec instanceof Map<?, ?> map) || !(map.get("TaskTemplate") instanceof Map<?, ?>)) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> copy = (Map<String, Object>) copy(map);
        return Optional.of(copy);
    }

    private static Object copy(Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), copy(v)));
            return out;
        }
        if (node instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(copy(v)));
            return out;
        }
        return node;
    }

    /** Writes the carried fields into a raw spec's {@code TaskTemplate.Resources}, leaving the rest as it is. */
    static Map<String, Object> applyTo(Map<String, Object> rawSpec, ServiceResources resources) {
        Map<String, Object> task = child(rawSpec, "TaskTemplate");
        Map<String, Object> requirements = child(task, "Resources");
        Map<String, Object> limits = child(requirements, "Limits");
        Map<String, Object> reservations = child(requirements, "Reservations");
        ResourceLimits l = resources.limits();
        l.cpu().filter(c -> !c.isQuotaForm()).ifPresent(c -> limits.put("NanoCPUs", c.toNanoCpus()));
        l.memory().ifPresent(m -> limits.put("MemoryBytes", m.toBytes()));
        l.pidsLimit().ifPresent(p -> limits.put(PIDS, p.max().orElse(0)));
        l.memoryReservation().ifPresent(m -> reservations.put("MemoryBytes", m.toBytes()));
        resources.cpuReservation().ifPresent(c -> reservations.put("NanoCPUs", c.toNanoCpus()));
        return rawSpec;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> child(Map<String, Object> parent, String key) {
        if (parent.get(key) instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        Map<String, Object> created = new java.util.LinkedHashMap<>();
        parent.put(key, created);
        return created;
    }

    /**
     * Reads what a service's task template asks, with its pids limit from the service's raw values:
     * docker-java keeps the fields its model lacks only on the object it decoded, not on the nested
     * ones.
     */
    static ServiceResources read(Service service) {
        ServiceSpec spec = service.getSpec();
        return read(spec == null ? null : spec.getTaskTemplate(), pids(raw(service.getRawValues(), "Spec",
                "TaskTemplate", "Resources", "Limits")));
    }

    /** Reads what a task's spec asks, with its pids limit from the task's raw values. */
    static ServiceResources read(Task task) {
        return read(task.getSpec(), pids(raw(task.getRawValues(), "Spec", "Resources", "Limits")));
    }

    /** Follows keys through nested maps; null where one is missing. */
    private static Map<?, ?> raw(Map<String, Object> root, String... keys) {
        Object node = root;
        for (String key : keys) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(key);
        }
        return node instanceof Map<?, ?> map ? map : null;
    }

    /** Reads what a task template asks; zeros are the Engine's "not set". */
    static ServiceResources read(TaskSpec task) {
        ResourceSpecs limits = task == null || task.getResources() == null ? null : task.getResources().getLimits();
        return read(task, limits == null ? null : pids(limits.getRawValues()));
    }

    private static ServiceResources read(TaskSpec task, Long pids) {
        ResourceRequirements requirements = task == null ? null : task.getResources();
        if (requirements == null) {
            return ServiceResources.none();
        }
        ResourceLimits.Builder b = ResourceLimits.builder();
        ResourceSpecs limits = requirements.getLimits();
        if (limits != null) {
            positive(limits.getNanoCPUs()).ifPresent(n -> b.cpu(CpuLimit.ofNanoCpus(n)));
            positive(limits.getMemoryBytes()).ifPresent(m -> b.memory(MemorySize.ofBytes(m)));
        }
        positive(pids).ifPresent(p -> b.pidsLimit(PidsLimit.of(p)));
        ResourceSpecs reservations = requirements.getReservations();
        CpuLimit cpuReservation = null;
        if (reservations != null) {
            positive(reservations.getMemoryBytes()).ifPresent(m -> b.memoryReservation(MemorySize.ofBytes(m)));
            Long nanos = positive(reservations.getNanoCPUs()).orElse(null);
            cpuReservation = nanos == null ? null : CpuLimit.ofNanoCpus(nanos);
        }
        return ServiceResources.of(b.build()).withCpuReservation(cpuReservation);
    }

    private static Long pids(Map<?, ?> raw) {
        return raw != null && raw.get(PIDS) instanceof Number n ? n.longValue() : null;
    }

    private static Optional<Long> positive(Long value) {
        return value == null || value <= 0 ? Optional.empty() : Optional.of(value);
    }
}
