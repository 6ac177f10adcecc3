package org.containerlimits.core.usage;

import org.containerlimits.core.ResourceLimits;

import org.containerlimits.core.usage.CpuCapacity;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CpuCapacityTest {

    @ParameterizedTest(name = "{0} on {1} CPUs: limit {2} ({3}), reachable {4}")
    @CsvSource(delimiter = '|', value = {
        // limits                                      | host | limit | basis     | reachable
        "cpu_quota=250000,cpu_period=100000            | 2    | 2.5   | QUOTA     | 2",
        "cpu_quota=250000,cpu_period=100000            | 4    | 2.5   | QUOTA     | 2.5",
        "cpu_quota=50000,cpu_period=100000,cpuset_cpus=0 | 2  | 0.5   | QUOTA     | 0.5",
        "nano_cpus=1500000000                          | 2    | 1.5   | NANO_CPUS | 1.5",
        "nano_cpus=1500000000,cpuset_cpus=1            | 2    | 1.5   | NANO_CPUS | 1",
        "cpuset_cpus=0-2                               | 8    | 3     | CPUSET    | 3",
        "cpuset_cpus=0-2                               | 2    | 3     | CPUSET    | 2",
        "mem_limit=1g                                  | 2    | 2     | HOST      | 2",
        "cpu_quota=1000,cpu_period=3000                | 2    | 0.333333333 | QUOTA | 0.333333333",
    })
    void of_takesQuotaThenNanoCpusThenCpusetThenHost(String limits, int host, BigDecimal limit,
            CpuCapacity.Basis basis, BigDecimal reachable) {
        CpuCapacity c = CpuCapacity.of(ResourceLimits.parse(limits.strip()), host);
        assertThat(c.limitCores()).isEqualByComparingTo(limit);
        assertThat(c.basis()).isEqualTo(basis);
        assertThat(c.reachableCores()).isEqualByComparingTo(reachable);
        assertThat(c.isReachable()).isEqualTo(limit.compareTo(reachable) <= 0);
    }
}
