package org.containerlimits.docker.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.usage.LimitsReading;
import org.containerlimits.docker.DaemonTest;
import org.junit.jupiter.api.Test;

/**
 * The cgroup source under a descriptor budget, against the real daemon: past the budget a
 * container's cgroup files are opened at each sample, so every container is read (none refused,
 * none failing) while the process holds no more cgroup descriptors between samples than the
 * budget, and the readings are those of files kept open.
 */
class DescriptorBudgetIT extends DaemonTest {

    private static final int CONTAINERS = 8;

    @Test
    void pastTheBudget_everyContainerIsRead_andNoMoreDescriptorsAreKept() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < CONTAINERS; i++) {
            // 4 MiB held in a shell variable's worth of memory, so memory differs from zero.
            String id = containers.track(docker.create(createCmd(List.of("sh", "-c",
                            "head -c 4194304 /dev/zero > /dev/shm/x; sleep 3600")),
                    ResourceLimits.parse("mem_limit=64m,pids_limit=32")).containerId());
            client.startContainerCmd(id).exec();
            ids.add(id);
        }
        Thread.sleep(500);
        long cgroupFdsBefore = cgroupDescriptors();
        // Room for two containers' files (nine to twelve each): the other six are read file by file.
        try (StatsReader budgeted = reader().maxOpenFiles(24).build()) {
            Map<String, LimitsReading> few = readAll(budgeted, ids);
            StatsReader open = reader().build();
            Map<String, LimitsReading> all = readAll(open, ids);
            long budgetedFds = cgroupDescriptors() - cgroupFdsBefore;
            assertThat(few).hasSize(CONTAINERS);
            for (String id : ids) {
                LimitsReading a = few.get(id);
                LimitsReading b = all.get(id);
                assertThat(a.state()).as(id).isEqualTo(LimitsReading.State.RUNNING);
                assertThat(a.memoryLimitBytes()).hasValue(64L << 20);
                assertThat(a.pidsLimit()).hasValue(32);
                assertThat(a.pids()).isEqualTo(b.pids()).isPositive();
                // /dev/shm's 4 MiB is charged to the container: both see it, within a page or two.
                assertThat(a.memoryBytes()).isGreaterThan(4L << 20)
                        .isCloseTo(b.memoryBytes(), org.assertj.core.data.Offset.offset(256L << 10));
            }
            // Both readers together: the budgeted one keeps at most 24, the other all eight containers'.
            assertThat(budgetedFds).as("cgroup descriptors of both readers")
                    .isBetween(CONTAINERS * 9L, 24 + CONTAINERS * 12L);
            open.close();
            assertThat(cgroupDescriptors() - cgroupFdsBefore).as("cgroup descriptors of the budgeted reader")
                    .isBetween(9L, 24L);
            // Its next reads still read every container, file by file past the budget.
            assertThat(readAll(budgeted, ids).values()).allSatisfy(r -> assertThat(r.state())
                    .isEqualTo(LimitsReading.State.RUNNING));
        }
        assertThat(cgroupDescriptors()).as("after close").isEqualTo(cgroupFdsBefore);
    }

    /** A cgroup reader whose first reads wait 100 ms, not 1 s: CPU accuracy is not the point here. */
    private static StatsReader.Builder reader() {
        return StatsReader.builder(client).source(StatsSourceKind.CGROUP).minWindow(java.time.Duration.ofMillis(100));
    }

    private static Map<String, LimitsReading> readAll(StatsReader reader, List<String> ids) {
        Map<String, LimitsReading> readings = new java.util.LinkedHashMap<>();
        for (String id : ids) {
            readings.put(id, reader.read(id));
        }
        return readings;
    }

    /** This process's open descriptors on files of the cgroup file systems. */
    private static long cgroupDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("/sys/fs/cgroup/");
                } catch (IOException e) {
                    return false; // closed meanwhile
                }
            }).count();
        }
    }
}
