package org.containerlimits.docker.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.model.ServiceSpec;
import java.math.BigDecimal;
import org.containerlimits.core.CpuLimit;
import org.containerlimits.core.InvalidLimitsException;
import org.containerlimits.core.ResourceLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServiceResourcesTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "mem_limit=1g", "cpu_reservation=250000000",
            "mem_limit=64m,mem_reservation=32m,nano_cpus=500000000,pids_limit=50,cpu_reservation=250000000",
            "mem_limit=64m,memswap_limit=128m,cpu_reservation=10000000"})
    void theTextForm_roundTrips(String text) {
        ServiceResources r = ServiceResources.parse(text);
        assertThat(r.toString()).isEqualTo(text);
        assertThat(ServiceResources.parse(r.toString())).isEqualTo(r).hasSameHashCodeAs(r);
    }

    /**
     * SwarmSpawner converts with floats, {@code int(2.01 * 1e9)}, and sends 2009999999 nano-CPUs;
     * the cores given as a decimal reach the spec exactly.
     */
    @Test
    void twoPointZeroOneCores_are2010000000NanoCpus_notTheFloatConversionsOneLess() {
        assertThat((long) (2.01 * 1e9)).isEqualTo(2_009_999_999L);
        ServiceResources r = ServiceResources.of(ResourceLimits.builder()
                .cpu(CpuLimit.ofCores(new BigDecimal("2.01"))).build())
                .withCpuReservation(CpuLimit.ofCores(new BigDecimal("1.01")));
        ServiceSpec spec = SwarmLimits.applyTo(new ServiceSpec(), r);
        assertThat(spec.getTaskTemplate().getResources().getLimits().getNanoCPUs()).isEqualTo(2_010_000_000L);
        assertThat(spec.getTaskTemplate().getResources().getReservations().getNanoCPUs()).isEqualTo(1_010_000_000L);
        assertThat(SwarmLimits.fromServiceSpec(spec)).isEqualTo(r);
    }

    @Test
    void theSpecCarriesTheLimitsTheReservationsAndThePidsLimit_andReadsBackEqual() {
        ServiceResources r = ServiceResources.parse(
                "mem_limit=1g,mem_reservation=512m,nano_cpus=1500000000,pids_limit=100,cpu_reservation=500000000");
        ServiceSpec spec = SwarmLimits.applyTo(new ServiceSpec(), r);
        var resources = spec.getTaskTemplate().getResources();
        assertThat(resources.getLimits().getMemoryBytes()).isEqualTo(1L << 30);
        assertThat(resources.getLimits().getRawValues()).containsEntry("Pids", 100L);
        assertThat(resources.getReservations().getMemoryBytes()).isEqualTo(512L << 20);
        assertThat(SwarmLimits.fromServiceSpec(spec)).isEqualTo(r);
    }

    @Test
    void whatAServiceCannotCarry_isNamed_byTheModifierLeftOut() {
        ServiceResources r = ServiceResources.parse("mem_limit=64m,memswap_limit=128m,cpu_shares=512,shm_size=64m");
        assertThat(SwarmLimits.uncarried(r)).extracting(p -> p.field())
                .containsExactly("memswap_limit", "cpu_shares", "shm_size");
        ServiceSpec spec = SwarmLimits.applyTo(new ServiceSpec(), r);
        assertThat(SwarmLimits.fromServiceSpec(spec)).isEqualTo(ServiceResources.parse("mem_limit=64m"));
    }

    @Test
    void theQuotaFormOfTheCpuLimit_isNamedAsUncarried_withWhatToGiveInstead() {
        ServiceResources r = ServiceResources.parse("cpu_quota=50000,cpu_period=100000");
        assertThat(SwarmLimits.uncarried(r)).extracting(p -> p.field()).containsExactly("cpu_quota", "cpu_period");
        assertThat(SwarmLimits.uncarried(r).get(0).message()).contains("give nano_cpus");
    }

    @Test
    void badReservations_areRefused_namingTheFieldTheTextAndTheRule() {
        assertThatThrownBy(() -> ServiceResources.parse("cpu_reservation=0.5"))
                .isInstanceOf(InvalidLimitsException.class)
                .hasMessageContaining("cpu_reservation").hasMessageContaining("0.5").hasMessageContaining("whole number");
        assertThatThrownBy(() -> ServiceResources.parse("cpu_reservation=1000"))
                .hasMessageContaining("cpu_reservation").hasMessageContaining("at least 10000000");
        assertThatThrownBy(() -> ServiceResources.parse("cpu_reservation=1,cpu_reservation=2"))
                .hasMessageContaining("more than once");
        assertThatThrownBy(() -> ServiceResources.parse("nano_cpus=500000000,cpu_reservation=1000000000"))
                .hasMessageContaining("at most the CPU limit");
        assertThatThrownBy(() -> ServiceResources.parse("mem_limit=12q,cpu_reservation=x"))
                .isInstanceOfSatisfying(InvalidLimitsException.class, e -> assertThat(e.violations())
                        .extracting(v -> v.field()).containsExactly("mem_limit", "cpu_reservation"));
    }
}
