package org.containerlimits.files;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.containerlimits.core.CpuLimit;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.format.Conversion;

/**
 * What a whole file holds: the limits of each service ({@link ComposeFile}) or container
 * ({@link KubernetesManifests}), in file order, each with what did not convert, and what was
 * skipped (documents of other kinds). Immutable.
 *
 * <pre>{@code
 * FileLimits file = ComposeFile.read(Path.of("compose.yaml"));
 * file.limits();                       // {web=mem_limit=512m,nano_cpus=500000000, db=mem_limit=1g}
 * file.entries().get(0).limits().unconverted();   // [reservations.cpus = '0.25': a swarm scheduling reservation, ...]
 * }</pre>
 *
 * @param source the file's name, as given to the reader
 * @param entries one per service or container, in file order
 * @param skipped one line per part of the file that holds no container limits ({@code document 3:
 *     Service/web has no containers}), in file order
 */
public record FileLimits(String source, List<Entry> entries, List<String> skipped) {

    /**
     * The limits of one service or container.
     *
     * @param name the result's name: the service's name ({@code web}), or the container's
     *     ({@code Deployment/web/container/app}, as {@link KubernetesManifests} describes)
     * @param path where it is in the file ({@code services.web}, {@code document 2:
     *     spec.template.spec.containers[0]})
     * @param limits the limits, and what had no equivalent
     * @param cpuReservation a Compose service's {@code deploy.resources.reservations.cpus}: a Swarm
     *     scheduling reservation, which no container limit holds (it is among
     *     {@code limits().unconverted()} too); empty when not given, and for Kubernetes
     */
    public record Entry(String name, String path, Conversion<ResourceLimits> limits, Optional<CpuLimit> cpuReservation) {
        /**
         * Creates an entry.
         *
         * @param name the name
         * @param path the path
         * @param limits the limits
         * @param cpuReservation the CPU reservation, or empty
         */
        public Entry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(limits, "limits");
            Objects.requireNonNull(cpuReservation, "cpuReservation");
        }

        /**
         * Creates an entry with no CPU reservation.
         *
         * @param name the name
         * @param path the path
         * @param limits the limits
         */
        public Entry(String name, String path, Conversion<ResourceLimits> limits) {
            this(name, path, limits, Optional.empty());
        }
    }

    /**
     * Creates the result.
     *
     * @param source the source, not null
     * @param entries the entries, copied
     * @param skipped the skipped parts, copied
     */
    public FileLimits {
        Objects.requireNonNull(source, "source");
        entries = List.copyOf(entries);
        skipped = List.copyOf(skipped);
    }

    /**
     * Returns each entry's limits by its name, in file order.
     *
     * @return an unmodifiable map
     */
    public Map<String, ResourceLimits> limits() {
        Map<String, ResourceLimits> out = new LinkedHashMap<>();
        entries.forEach(e -> out.put(e.name(), e.limits().value()));
        return Collections.unmodifiableMap(out);
    }
}
