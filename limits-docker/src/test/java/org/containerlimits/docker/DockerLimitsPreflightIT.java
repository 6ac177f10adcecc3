package org.containerlimits.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import org.containerlimits.core.ResourceLimits;
import org.junit.jupiter.api.Test;

/** Preflight, against the real daemon's {@code /info}: refusals name the problem, create nothing. */
class DockerLimitsPreflightIT extends DaemonTest {

    @Test
    void capabilities_describeThisHost() {
        HostCapabilities caps = docker.capabilities();
        assertThat(caps.cpus()).isEqualTo(client.infoCmd().exec().getNCPU());
        assertThat(caps.memory().toBytes()).isEqualTo(client.infoCmd().exec().getMemTotal());
        assertThat(caps.cgroupVersion()).isIn("1", "2");
        assertThat(docker.capabilities()).isSameAs(caps);
    }

    @Test
    void moreCpusThanTheHost_cpusetBeyondIt_andATerabyte_areEachRefusedByName() {
        int cpus = docker.capabilities().cpus();
        String beyond = Integer.toString(cpus + 3);
        List<LimitProblem> problems = docker.check(ResourceLimits.parse(
                "nano_cpus=64000000000,cpuset_cpus=" + beyond + ",mem_limit=1t"));
        assertThat(problems).extracting(LimitProblem::field)
                .containsExactlyInAnyOrder("mem_limit", "nano_cpus", "cpuset_cpus");
        assertThat(problems).allMatch(LimitProblem::isError);
        assertThat(problems.toString())
                .contains("64 cores is more than the " + cpus + " CPUs")
                .contains("CPUs " + beyond + " of " + beyond + " do not exist")
                .contains("1t");
    }

    @Test
    void refusedLimits_createNoContainer() {
        for (String limits : List.of("nano_cpus=64000000000", "cpuset_cpus=5-6", "mem_limit=1t")) {
            String name = "containerlimits-preflight-" + UUID.randomUUID();
            assertThatThrownBy(() -> docker.create(sleeper().withName(name), ResourceLimits.parse(limits)))
                    .isInstanceOf(PreflightException.class)
                    .hasMessageContaining(limits.substring(0, limits.indexOf('=')));
            assertThat(client.listContainersCmd().withShowAll(true).withNameFilter(List.of(name)).exec())
                    .as("containers named %s", name).isEmpty();
        }
    }

    @Test
    void aQuotaAboveTheHostsCpus_isAWarning_andTheContainerIsCreated() {
        int cpus = docker.capabilities().cpus();
        ResourceLimits limits = ResourceLimits.parse("cpu_quota=" + (cpus + 2) * 100_000 + ",cpu_period=100000");
        assertThat(docker.check(limits)).singleElement()
                .satisfies(p -> assertThat(p.isError()).isFalse())
                .satisfies(p -> assertThat(p.message()).contains("can never be reached"));
        AppliedLimits applied = docker.create(sleeper(), limits);
        containers.track(applied.containerId());
        assertThat(applied.warnings()).anyMatch(w -> w.contains("can never be reached"));
        assertThat(docker.read(applied.containerId())).isEqualTo(limits);
    }
}
