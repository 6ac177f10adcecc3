package org.containerlimits.core.format;

import org.containerlimits.core.ResourceLimits;


import java.util.List;
import java.util.Objects;

/**
 * The result of reading or writing limits in another tool's format: the value, and everything the
 * other side cannot express, each named, never dropped silently.
 *
 * <pre>{@code
 * Conversion<Map<String, Object>> k8s = KubernetesResources.write(ResourceLimits.parse("mem_limit=1g,pids_limit=100"));
 * k8s.value();          // {limits={memory=1Gi}}
 * k8s.unconverted();    // [pids_limit = 100: Kubernetes sets a pids limit per pod (kubelet --pod-max-pids), not per container]
 * }</pre>
 *
 * @param value the converted value
 * @param unconverted one line per input field that has no equivalent, naming it and its value
 * @param <T> the value's type
 */
public record Conversion<T>(T value, List<String> unconverted) {
    /**
     * Creates a conversion.
     *
     * @param value the value
     * @param unconverted the fields with no equivalent, copied
     */
    public Conversion {
        Objects.requireNonNull(value, "value");
        unconverted = List.copyOf(unconverted);
    }

    /**
     * Whether everything was converted.
     *
     * @return true when nothing was left out
     */
    public boolean isComplete() {
        return unconverted.isEmpty();
    }
}
