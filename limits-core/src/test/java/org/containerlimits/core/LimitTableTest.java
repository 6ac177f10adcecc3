package org.containerlimits.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.containerlimits.core.format.ComposeResources;
import org.containerlimits.core.format.Conversion;
import org.containerlimits.core.format.DockerCliFlags;
import org.containerlimits.core.format.EngineHostConfig;
import org.containerlimits.core.format.KubernetesResources;
import org.junit.jupiter.api.Test;

/**
 * Walks the table of limits: every entry's names are its own, and a value of every entry travels
 * through every format that claims it and back unchanged; a format that does not claim it says so.
 */
class LimitTableTest {

    /** A value of each limit, with what it needs beside it. A new limit fails here until it has one. */
    private static final Map<Limit, String> SAMPLES = new EnumMap<>(Map.ofEntries(
            Map.entry(Limit.MEMORY, "mem_limit=1g"),
            Map.entry(Limit.MEMORY_RESERVATION, "mem_reservation=512m"),
            Map.entry(Limit.MEMORY_SWAP, "mem_limit=1g,memswap_limit=3g"),
            Map.entry(Limit.MEMORY_SWAPPINESS, "mem_swappiness=10"),
            Map.entry(Limit.NANO_CPUS, "nano_cpus=1500000000"),
            Map.entry(Limit.CPU_QUOTA, "cpu_quota=150000,cpu_period=100000"),
            Map.entry(Limit.CPU_PERIOD, "cpu_quota=150000,cpu_period=100000"),
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
    void everyNameBelongsToOneLimit() {
        Set<String> keywords = new HashSet<>();
        Set<String> flags = new HashSet<>();
        Set<String> fields = new HashSet<>();
        for (Limit limit : Limit.values()) {
            assertThat(keywords.add(limit.keyword())).as(limit.keyword()).isTrue();
            assertThat(fields.add(limit.engineField())).as(limit.engineField()).isTrue();
            assertThat(Limit.ofKeyword(limit.keyword())).contains(limit);
            assertThat(Limit.ofEngineField(limit.engineField())).contains(limit);
            for (String flag : limit.flags()) {
                assertThat(flags.add(flag)).as(flag).isTrue();
                assertThat(Limit.ofFlag(flag)).contains(limit);
            }
            assertThat(limit.keyword()).matches("[a-z_]+");
            assertThat(limit.flag()).startsWith("--");
            assertThat(limit.range().isPresent())
                    .isEqualTo(limit.kind() == Limit.Kind.INTEGER || limit.kind() == Limit.Kind.DEVICE_WEIGHT);
        }
        assertThat(Limit.keywords()).hasSize(Limit.values().length);
    }

    private static boolean sameLimit(Limit limit, ResourceLimits a, ResourceLimits b) {
        if (limit.kind() == Limit.Kind.NANO_CPUS || limit.kind() == Limit.Kind.CPU_QUOTA
                || limit.kind() == Limit.Kind.CPU_PERIOD) {
            // Compose and Kubernetes keep the cores, in a form of their own.
            return a.cpu().isPresent() && b.cpu().isPresent() && a.cpu().get().compareTo(b.cpu().get()) == 0;
        }
        return a.texts(limit).equals(b.texts(limit)) && !a.texts(limit).isEmpty();
    }

    @Test
    void everyLimit_travelsThroughEveryFormatThatClaimsIt() {
        for (Limit limit : Limit.values()) {
            ResourceLimits limits = ResourceLimits.parse(SAMPLES.get(limit));
            String what = limit + " " + limits;
            assertThat(limits.isSet(limit)).as(what).isTrue();
            assertThat(limits.toString()).as(what).isEqualTo(SAMPLES.get(limit));
            assertThat(ResourceLimits.fromDockerPy(limits.toDockerPy())).as(what).isEqualTo(limits);
            assertThat(ResourceLimits.parse(limits.toString())).as(what).isEqualTo(limits);

            List<String> flags = DockerCliFlags.write(limits).value();
            assertThat(flags).as(what).contains(limit.flag());
            assertThat(DockerCliFlags.read(flags).value()).as(what).isEqualTo(limits);
            assertThat(DockerCliFlags.read(DockerCliFlags.line(limits)).value()).as(what).isEqualTo(limits);

            Map<String, Object> fields = EngineHostConfig.write(limits).value();
            assertThat(fields).as(what).containsKey(limit.engineField());
            assertThat(EngineHostConfig.read(fields).value()).as(what).isEqualTo(limits);

            Conversion<Map<String, Object>> compose = ComposeResources.write(limits);
            if (limit.composeKey().isPresent()) {
                assertThat(sameLimit(limit, limits, ComposeResources.read(compose.value()).value())).as(what).isTrue();
                assertThat(compose.unconverted()).as(what).noneMatch(u -> u.startsWith(limit.keyword() + " ="));
            } else {
                assertThat(compose.unconverted()).as(what).anyMatch(u -> u.startsWith(limit.keyword() + " ="));
            }
            Conversion<Map<String, Object>> kubernetes = KubernetesResources.write(limits);
            if (limit.kubernetesKey().isPresent()) {
                assertThat(sameLimit(limit, limits, KubernetesResources.read(kubernetes.value()).value())).as(what)
                        .isTrue();
                assertThat(kubernetes.unconverted()).as(what).noneMatch(u -> u.startsWith(limit.keyword() + " ="));
            } else {
                assertThat(kubernetes.unconverted()).as(what).anyMatch(u -> u.startsWith(limit.keyword() + " ="));
            }
        }
    }

    private static List<String> rows(Path file, String rowPattern) throws IOException {
        Matcher row = Pattern.compile(rowPattern).matcher(Files.readString(file));
        List<String> documented = new ArrayList<>();
        while (row.find()) {
            documented.add(String.join("|", row.group(1), row.group(2), row.group(3), row.group(4).strip(),
                    row.group(5).strip(), row.group(6)));
        }
        return documented;
    }

    /** The tables in Limit's javadoc and in the README are the enum's, row for row, so that they cannot drift. */
    @Test
    void theDocumentedTables_areTheEnum() throws IOException {
        List<String> javadoc = rows(Path.of("src/main/java/org/containerlimits/core/Limit.java"),
                " \\* {3}<tr><td>([a-z_]+)</td><td>([^<]*)</td><td>(\\w+)</td><td>([^<]*)</td>"
                        + "<td>([^<]*)</td><td>(yes|no)</td></tr>");
        List<String> readme = rows(Path.of("../README.md"),
                "(?m)^\\| ([a-z_]+) \\| (--[^|]*?) \\| (\\w+) \\|([^|]*)\\|([^|]*)\\| (yes|no) \\|$");
        List<String> actual = new ArrayList<>();
        for (Limit l : Limit.values()) {
            actual.add(String.join("|", l.keyword(), String.join(", ", l.flags()), l.engineField(),
                    l.composeKey().orElse(""), l.kubernetesKey().orElse(""), l.isLiveUpdatable() ? "yes" : "no"));
        }
        assertThat(javadoc).isEqualTo(actual);
        assertThat(readme).isEqualTo(actual);
    }
}
