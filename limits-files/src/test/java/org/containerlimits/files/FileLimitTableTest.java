package org.containerlimits.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.Map;
import org.containerlimits.core.Limit;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.format.Conversion;
import org.junit.jupiter.api.Test;

/**
 * Every limit of the table through both whole-file formats: written, read back unchanged, or named
 * as not converted. A new limit fails here until it has a sample.
 */
class FileLimitTableTest {

    private static final Map<Limit, String> SAMPLES = new EnumMap<>(Map.ofEntries(
            Map.entry(Limit.MEMORY, "mem_limit=1g"),
            Map.entry(Limit.MEMORY_RESERVATION, "mem_reservation=512m"),
            Map.entry(Limit.MEMORY_SWAP, "mem_limit=1g,memswap_limit=3g"),
            Map.entry(Limit.MEMORY_SWAPPINESS, "mem_swappiness=10"),
            Map.entry(Limit.NANO_CPUS, "nano_cpus=1500000000"),
            Map.entry(Limit.CPU_QUOTA, "cpu_quota=150000,cpu_period=100000"),
            Map.entry(Limit.CPU_PERIOD, "cpu_quota=25000,cpu_period=50000"),
            Map.entry(Limit.CPU_SHARES, "cpu_shares=512"),
            Map.entry(Limit.CPUSET_CPUS, "cpuset_cpus=0-1,3"),
            Map.entry(Limit.CPUSET_MEMS, "cpuset_mems=0"),
            Map.entry(Limit.PIDS_LIMIT, "pids_limit=100"),
            Map.entry(Limit.BLKIO_WEIGHT, "blkio_weight=300"),
            Map.entry(Limit.BLKIO_WEIGHT_DEVICE, "blkio_weight_device=/dev/sda:500,/dev/sdb:20"),
            Map.entry(Limit.DEVICE_READ_BPS, "device_read_bps=/dev/nvme0n1:1536k,/dev/sda:10m"),
            Map.entry(Limit.DEVICE_WRITE_BPS, "device_write_bps=/dev/sda:4m"),
            Map.entry(Limit.DEVICE_READ_IOPS, "device_read_iops=/dev/sda:1000"),
            Map.entry(Limit.DEVICE_WRITE_IOPS, "device_write_iops=/dev/sda:300,/dev/vdb:7"),
            Map.entry(Limit.OOM_KILL_DISABLE, "oom_kill_disable=true"),
            Map.entry(Limit.OOM_SCORE_ADJ, "oom_score_adj=-500"),
            Map.entry(Limit.SHM_SIZE, "shm_size=256m"),
            Map.entry(Limit.ULIMITS, "ulimits=nofile=64:64,nproc=100:200")));

    @Test
    void everyLimitHasASample() {
        assertThat(SAMPLES.keySet()).containsExactlyInAnyOrder(Limit.values());
    }

    @Test
    void everyLimit_throughAComposeFile_comesBackUnchanged_orIsNamed() {
        for (Map.Entry<Limit, String> sample : SAMPLES.entrySet()) {
            ResourceLimits limits = ResourceLimits.parse(sample.getValue());
            Conversion<String> written = ComposeFile.write(Map.of("svc", limits));
            ResourceLimits back = ComposeFile.read(written.value(), "written").limits().get("svc");
            if (sample.getKey() == Limit.CPUSET_MEMS) {
                assertThat(written.unconverted()).singleElement().asString().startsWith("svc: cpuset_mems = 0");
                assertThat(back.isSet(Limit.CPUSET_MEMS)).isFalse();
            } else {
                assertThat(written.unconverted()).as(sample.getValue()).isEmpty();
                assertThat(back).as(sample.getValue() + "\n" + written.value()).isEqualTo(limits);
            }
        }
        // All at once (cpuset_mems aside), with an unlimited pids limit: every key at the service level.
        ResourceLimits all = ResourceLimits.parse("mem_limit=1g,memswap_limit=-1,mem_reservation=512m,"
                + "mem_swappiness=10,nano_cpus=1500000000,cpu_shares=512,pids_limit=-1,oom_kill_disable=true,"
                + "shm_size=64m,blkio_weight=300");
        Conversion<String> written = ComposeFile.write(Map.of("svc", all));
        assertThat(written.value()).doesNotContain("deploy");
        assertThat(ComposeFile.read(written.value(), "written").limits().get("svc")).isEqualTo(all);
    }

    @Test
    void everyLimit_throughKubernetesManifests_comesBackAsTheKubeletAppliesIt_orIsNamed() {
        for (Map.Entry<Limit, String> sample : SAMPLES.entrySet()) {
            ResourceLimits limits = ResourceLimits.parse(sample.getValue());
            Conversion<String> written = KubernetesManifests.write(Map.of("Pod/p/container/c", limits));
            ResourceLimits back = KubernetesManifests.read(written.value(), "written").limits().get("Pod/p/container/c");
            for (Limit limit : Limit.values()) {
                if (!limits.isSet(limit)) {
                    continue;
                }
                if (limit.kubernetesKey().isEmpty()) {
                    assertThat(written.unconverted()).as(sample.getValue())
                            .anyMatch(u -> u.startsWith("Pod/p/container/c: " + limit.keyword() + " = "));
                } else if (limit.kind() == Limit.Kind.NANO_CPUS || limit.kind() == Limit.Kind.CPU_QUOTA
                        || limit.kind() == Limit.Kind.CPU_PERIOD) {
                    assertThat(back.cpu().orElseThrow().cores()).as(sample.getValue())
                            .isEqualByComparingTo(limits.cpu().orElseThrow().cores());
                } else {
                    assertThat(back.texts(limit)).as(sample.getValue()).isEqualTo(limits.texts(limit));
                }
            }
        }
    }
}
