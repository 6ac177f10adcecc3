package org.containerlimits.examples;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.TaskSpec;
import java.math.BigDecimal;
import java.util.List;
import java.util.OptionalLong;
import org.containerlimits.core.CpuLimit;
import org.containerlimits.core.MemorySize;
import org.containerlimits.core.PidsLimit;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.docker.client.DockerClients;
import org.containerlimits.docker.stats.ServiceReading;
import org.containerlimits.docker.stats.StatsReader;
import org.containerlimits.docker.swarm.AppliedServiceLimits;
import org.containerlimits.docker.swarm.ServiceResources;
import org.containerlimits.docker.swarm.SwarmLimits;
import org.containerlimits.docker.swarm.TaskLimits;

/**
 * The README's "Beyond one host" example: a Swarm service with limits and reservations, checked
 * against the swarm, created, read back from its task's container, raised and read.
 *
 * <p>Runs from an IDE with no arguments against the daemon at {@code DOCKER_HOST}, which must be a
 * swarm manager ({@code docker swarm init}); the first argument names another image.
 */
public final class SwarmService {
    private SwarmService() {
    }

    /**
     * Runs the example.
     *
     * @param args an optional image name
     * @throws Exception if the daemon is unavailable or refuses
     */
    public static void main(String[] args) throws Exception {
        ServiceResources resources = ServiceResources.of(ResourceLimits.builder()
                        .cpu(CpuLimit.ofCores(new BigDecimal("0.5")))         // exactly 500000000 nano-CPUs
                        .memory(MemorySize.parse("256m"))
                        .pidsLimit(PidsLimit.of(128))
                        .memoryReservation(MemorySize.parse("128m"))          // a scheduling reservation
                        .build())
                .withCpuReservation(CpuLimit.ofCores(new BigDecimal("0.25")));
        String image = args.length > 0 ? args[0] : "containerlimits/busybox:test";

        try (DockerClient client = DockerClients.fromEnvironment()) {
            SwarmLimits swarm = SwarmLimits.of(client);                       // strict; waits 60 s at most
            System.out.println("problems: " + swarm.check(resources, OptionalLong.of(1)));

            ServiceSpec spec = new ServiceSpec().withName("containerlimits-example")
                    .withTaskTemplate(new TaskSpec().withContainerSpec(new ContainerSpec()
                            .withImage(image).withCommand(List.of("sleep", "600"))));
            AppliedServiceLimits created = swarm.create(client.createServiceCmd(spec), resources);
            try {
                System.out.println("spec: " + created.effective());
                for (TaskLimits task : created.tasks()) {
                    System.out.println("task " + task.slot() + " container: " + task.container().orElseThrow());
                }

                AppliedServiceLimits raised = swarm.update(created.serviceId(),
                        ServiceResources.parse("mem_limit=512m,nano_cpus=1000000000"));
                System.out.println("after update: " + raised.effective() + ", exact: " + raised.isExact());

                try (StatsReader reader = StatsReader.of(client)) {
                    ServiceReading reading = reader.readService(created.serviceId());
                    System.out.printf("%d task(s) use %.2f of %s cores%n", reading.tasks().size(),
                            reading.cpuCores(), reading.cpuLimitCores().orElseThrow());
                }
            } finally {
                client.removeServiceCmd(created.serviceId()).exec();
            }
        }
    }
}
