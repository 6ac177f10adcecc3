package org.containerlimits.examples;

import com.github.dockerjava.api.DockerClient;
import java.util.Map;
import org.containerlimits.core.MemorySize;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.docker.AppliedLimits;
import org.containerlimits.docker.DockerLimits;
import org.containerlimits.docker.client.DockerClients;

/**
 * The README's "Apply limits" example: the origin document's {@code mem_limit '1g'} and
 * {@code cpu_quota 250000} over {@code cpu_period 100000}, checked, applied at creation, raised
 * live and read back.
 *
 * <p>Runs from an IDE with no arguments against the daemon at {@code DOCKER_HOST}; the first
 * argument names another image (the default is the test image the build makes locally). On a host
 * with fewer than 2.5 CPUs the quota is accepted with a preflight warning: it can never be reached.
 */
public final class ApplyLimits {
    private ApplyLimits() {
    }

    /**
     * Runs the example.
     *
     * @param args an optional image name
     * @throws Exception if the daemon is unavailable or refuses
     */
    public static void main(String[] args) throws Exception {
        ResourceLimits limits = ResourceLimits.fromDockerPy(Map.of(
                "mem_limit", "1g", "cpu_period", 100000, "cpu_quota", 250000));
        String image = args.length > 0 ? args[0] : "containerlimits/busybox:test";

        try (DockerClient client = DockerClients.fromEnvironment()) {   // DOCKER_HOST, as the CLI
            DockerLimits docker = DockerLimits.of(client);                // strict by default
            System.out.println("problems: " + docker.check(limits));     // [] when enforceable

            AppliedLimits created = docker.create(
                    client.createContainerCmd(image).withCmd("sleep", "60"), limits);
            String id = created.containerId();
            client.startContainerCmd(id).exec();
            System.out.println("effective: " + created.effective() + " warnings: " + created.warnings());

            // Live: raise memory; swap is sent along so the daemon does not refuse it.
            docker.update(id, ResourceLimits.builder().memory(MemorySize.parse("2g")).build());
            System.out.println("after update: " + docker.read(id));

            client.removeContainerCmd(id).withForce(true).exec();
        }
    }
}
