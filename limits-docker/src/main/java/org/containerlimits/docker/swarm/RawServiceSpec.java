package org.containerlimits.docker.swarm;

import com.fasterxml.jackson.annotation.JsonValue;
import com.github.dockerjava.api.model.ServiceSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A service spec sent exactly as the daemon gave it, with only its resources changed: docker-java
 * writes a spec from its own model, which lacks fields newer Engines have (a task's pids limit, a
 * container's capabilities, ...), so an update through the model would drop them without a word.
 * Jackson writes this subclass as its raw map.
 */
final class RawServiceSpec extends ServiceSpec {
    private static final long serialVersionUID = 1L;

    private final LinkedHashMap<String, Object> raw;

    RawServiceSpec(Map<String, Object> raw) {
        this.raw = new LinkedHashMap<>(raw);
    }

    /**
     * The spec as the Engine API's JSON object.
     *
     * @return the raw map, with the resources changed
     */
    @JsonValue
    Map<String, Object> raw() {
        return raw;
    }
}
