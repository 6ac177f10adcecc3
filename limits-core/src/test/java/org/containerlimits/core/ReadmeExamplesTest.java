package org.containerlimits.core;

import org.containerlimits.core.format.ComposeResources;
import org.containerlimits.core.format.Conversion;
import org.containerlimits.core.format.DockerCliFlags;
import org.containerlimits.core.format.EngineHostConfig;
import org.containerlimits.core.format.JupyterHubSpawner;
import org.containerlimits.core.format.JupyterHubSpawner.Mapping;
import org.containerlimits.core.format.KubernetesResources;
import org.containerlimits.core.policy.LimitsPolicy;
import org.containerlimits.core.policy.PolicyViolationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.containerlimits.core.policy.LimitsPolicy.Mode;
import org.junit.jupiter.api.Test;

/** The README's policy and format examples, as they are printed there, compiled and run. */
class ReadmeExamplesTest {

    @Test
    void policies() {
        // README: policies
        LimitsPolicy policy = LimitsPolicy.builder()
                .defaults(ResourceLimits.parse("mem_limit=1g,nano_cpus=1000000000"))
                .profile("large", ResourceLimits.parse("mem_limit=4g,nano_cpus=2000000000"))
                .maxMemory(MemorySize.parse("4g"))
                .maxCpu(CpuLimit.parse("2"))
                .build();                                                     // REJECT by default

        ResourceLimits granted = policy.resolve(ResourceLimits.parse("mem_limit=2g"), "large").limits();
        // mem_limit=2g,nano_cpus=2000000000: the request's memory, the profile's CPU

        try {
            policy.resolve(ResourceLimits.parse("mem_limit=8g"));
        } catch (PolicyViolationException e) {
            e.violations();   // [mem_limit = 8g: must be at most 4g, the policy's ceiling]
        }

        LimitsPolicy.Resolution clamped = policy.withMode(Mode.CLAMP)
                .resolve(ResourceLimits.parse("mem_limit=8g,cpu_quota=300000,cpu_period=100000"));
        clamped.limits();       // mem_limit=4g,cpu_quota=200000,cpu_period=100000
        clamped.adjustments();  // [mem_limit: 8g -> 4g (...), cpu_quota: 300000us/100000us (3 cores) -> ...]
        // end README

        assertThat(granted).isEqualTo(ResourceLimits.parse("mem_limit=2g,nano_cpus=2000000000"));
        assertThatThrownBy(() -> policy.resolve(ResourceLimits.parse("mem_limit=8g")))
                .hasMessageContaining("mem_limit = 8g: must be at most 4g, the policy's ceiling");
        assertThat(clamped.limits()).isEqualTo(ResourceLimits.parse("mem_limit=4g,cpu_quota=200000,cpu_period=100000"));
        assertThat(clamped.adjustments()).hasSize(2);
    }

    @Test
    void formats() {
        // README: formats
        ResourceLimits fromFlags = DockerCliFlags.read("--memory 1g --cpus 2.5 --pids-limit 100").value();
        ResourceLimits fromEngine = EngineHostConfig.read(Map.of("Memory", 1073741824L, "NanoCpus", 2500000000L)).value();
        ResourceLimits fromCompose = ComposeResources.read(Map.of(
                "limits", Map.of("cpus", "2.5", "memory", "1G"))).value();                // Compose's 1G is 2^30
        Conversion<ResourceLimits> fromKubernetes = KubernetesResources.read(Map.of(
                "limits", Map.of("cpu", "2500m", "memory", "1Gi"),                     // Kubernetes' 1G would be 10^9
                "requests", Map.of("cpu", "500m", "ephemeral-storage", "1Gi")));
        fromKubernetes.value();        // mem_limit=1g,cpu_quota=250000,cpu_period=100000,cpu_shares=512
        fromKubernetes.unconverted();  // [requests.ephemeral-storage = '1Gi': no Docker limit for this resource]

        Conversion<Map<String, Object>> k8s = KubernetesResources.write(fromFlags);
        k8s.value();                   // {limits={cpu=2500m, memory=1Gi}}
        k8s.unconverted();             // [pids_limit = 100: Kubernetes limits pids per pod (kubelet --pod-max-pids), ...]
        DockerCliFlags.line(fromKubernetes.value());   // --memory 1g --cpu-quota 250000 --cpu-period 100000 --cpu-shares 512
        // end README

        assertThat(fromEngine).isEqualTo(ResourceLimits.parse("mem_limit=1g,nano_cpus=2500000000"));
        assertThat(fromCompose).isEqualTo(fromEngine);
        assertThat(fromFlags).isEqualTo(ResourceLimits.parse("mem_limit=1g,nano_cpus=2500000000,pids_limit=100"));
        assertThat(fromKubernetes.value())
                .isEqualTo(ResourceLimits.parse("mem_limit=1g,cpu_quota=250000,cpu_period=100000,cpu_shares=512"));
        assertThat(fromKubernetes.unconverted())
                .containsExactly("requests.ephemeral-storage = '1Gi': no Docker limit for this resource");
        assertThat(k8s.value()).isEqualTo(Map.of("limits", Map.of("cpu", "2500m", "memory", "1Gi")));
        assertThat(k8s.unconverted()).hasSize(1);
        assertThat(DockerCliFlags.line(fromKubernetes.value()))
                .isEqualTo("--memory 1g --cpu-quota 250000 --cpu-period 100000 --cpu-shares 512");
        assertThat(List.of(fromFlags)).isNotEmpty();
    }

    @Test
    void spawnerTraits() {
        // README: spawner traits
        Conversion<ResourceLimits> hub = JupyterHubSpawner.read(Map.of(            // c.Spawner.* as DockerSpawner applies them
                "mem_limit", "1.5G", "cpu_limit", 0.29, "mem_guarantee", "512M"));
        hub.value();        // mem_limit=1536m,cpu_quota=29000,cpu_period=100000
        hub.unconverted();  // [cpu_limit = 0.29: DockerSpawner computes int(0.29 * 100000) in floating point, a cpu_quota of 28999 us; ...,
                            //  mem_guarantee = '512M': DockerSpawner gives it to the notebook only as the environment variable MEM_GUARANTEE; ...]
        Conversion<ResourceLimits> swarm = JupyterHubSpawner.read(Map.of("cpu_limit", "2.01"), Mapping.SWARM);
        swarm.value();      // nano_cpus=2010000000 (SwarmSpawner's int(2.01 * 1e9) is 2009999999, as unconverted() says)
        // end README

        assertThat(hub.value()).hasToString("mem_limit=1536m,cpu_quota=29000,cpu_period=100000");
        assertThat(hub.unconverted()).hasSize(2);
        assertThat(hub.unconverted().get(0)).startsWith("cpu_limit = 0.29: DockerSpawner computes int(0.29 * 100000)"
                + " in floating point, a cpu_quota of 28999 us; ");
        assertThat(hub.unconverted().get(1)).startsWith("mem_guarantee = '512M': DockerSpawner gives it to the notebook"
                + " only as the environment variable MEM_GUARANTEE; ");
        assertThat(swarm.value()).hasToString("nano_cpus=2010000000");
        assertThat(swarm.unconverted()).singleElement().asString().contains("2009999999");
    }
}
