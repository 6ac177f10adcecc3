package org.containerlimits.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.exception.NotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.containerlimits.core.ResourceLimits;
import org.junit.jupiter.api.Test;

/**
 * A limit the daemon accepts but drops. The block-IO weight needs the kernel's CFQ or BFQ
 * scheduler; without it the daemon answers with a warning and stores 0 (Podman stores 0 without a
 * warning). This test runs against whichever the host has, and checks the outcome that host must
 * give: only the read-back catches the dropped limit, and on Podman nothing else would.
 */
class StrictModeIT extends DaemonTest {

    /** Whether the daemon keeps a blkio weight: on cgroup v2 it always does (io.bfq.weight or io.weight). */
    private static boolean hostHasBlkioWeight() {
        return docker.capabilities().cgroupVersion().equals("2")
                || Files.exists(Path.of("/sys/fs/cgroup/blkio/blkio.weight"))
                || Files.exists(Path.of("/sys/fs/cgroup/blkio/blkio.bfq.weight"))
                || Files.exists(Path.of("/sys/fs/cgroup/io.weight"))
                || Files.exists(Path.of("/sys/fs/cgroup/io.bfq.weight"));
    }

    /** Docker warns that it dropped the weight; Podman drops it without a word. */
    private static void assertDaemonWarning(List<String> warnings) {
        if (onPodman()) {
            assertThat(warnings).noneMatch(w -> w.toLowerCase(java.util.Locale.ROOT).contains("blkio")
                    || w.contains("Block I/O"));
        } else {
            assertThat(warnings).anyMatch(w -> w.contains("Block I/O weight"));
        }
    }

    @Test
    void strict_aDroppedLimitThrows_namesItWithTheDaemonsWarning_andRemovesTheContainer() {
        ResourceLimits limits = ResourceLimits.parse("mem_limit=64m,blkio_weight=500");
        String name = "containerlimits-strict-" + UUID.randomUUID();
        if (hostHasBlkioWeight()) {
            AppliedLimits applied = docker.create(sleeper().withName(name), limits);
            containers.track(applied.containerId());
            assertThat(applied.isExact()).isTrue();
            assertThat(docker.read(applied.containerId())).isEqualTo(readBackOf(limits));
            return;
        }
        assertThatThrownBy(() -> docker.create(sleeper().withName(name), limits))
                .isInstanceOfSatisfying(LimitsMismatchException.class, e -> {
                    assertThat(e.mismatches()).containsExactly(new Mismatch("blkio_weight", "500", "not set"));
                    assertDaemonWarning(e.warnings());
                    assertThatThrownBy(() -> client.inspectContainerCmd(e.containerId()).exec())
                            .isInstanceOf(NotFoundException.class);
                });
        assertThat(client.listContainersCmd().withShowAll(true).withNameFilter(List.of(name)).exec()).isEmpty();
    }

    @Test
    void lenient_aDroppedLimitIsReturned_andTheContainerKept() {
        ResourceLimits limits = ResourceLimits.parse("mem_limit=64m,blkio_weight=500");
        AppliedLimits applied = docker.strict(false).create(sleeper(), limits);
        containers.track(applied.containerId());
        if (hostHasBlkioWeight()) {
            assertThat(applied.isExact()).isTrue();
            if (docker.capabilities().cgroupVersion().equals("2")) {
                // Kept, but honoured only by BFQ or io.cost: preflight says so instead of staying silent.
                assertThat(applied.warnings()).anyMatch(w -> w.contains("blkio_weight") && w.contains("BFQ"));
            }
        } else {
            assertThat(applied.mismatches()).containsExactly(new Mismatch("blkio_weight", "500", "not set"));
            assertDaemonWarning(applied.warnings());
            assertThat(applied.effective()).isEqualTo(readBackOf(ResourceLimits.parse("mem_limit=64m")));
        }
    }
}
