package org.containerlimits.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.model.BlkioRateDevice;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.containerlimits.core.DeviceLimit;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.Ulimit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The limits of block IO, ulimits and the OOM score, applied through the library and enforced by
 * the kernel: a write-rate limit holds direct writes to the disk under the daemon's data to it
 * (within 10%), {@code nofile} 64 leaves no 65th descriptor, and each reads back as asked. The
 * device throttles cannot be changed live: the daemon's update accepts and drops them, which the
 * library refuses to pretend otherwise.
 */
class DeviceAndUlimitEnforcementIT extends DaemonTest {
    private static final long RATE = 4L << 20;
    /** 12 MiB in 256 KiB direct writes: three seconds at the limit. */
    private static final String TIMED_WRITE = "a=$(cut -d' ' -f1 /proc/uptime);"
            + " dd if=/dev/zero of=/tmp/out bs=256k count=48 oflag=direct 2>/dev/null || exit 3;"
            + " b=$(cut -d' ' -f1 /proc/uptime); echo $a $b";
    private static final long WRITTEN = 48L * 256 * 1024;

    /** The whole disk under the daemon's data root, where a container's writable layer lives. */
    private static String disk;
    private static String majorMinor;

    @BeforeAll
    static void findTheDisk() throws IOException {
        Path root = Path.of(client.infoCmd().exec().getDockerRootDir());
        long dev = ((Number) Files.getAttribute(root, "unix:dev")).longValue();
        // Linux's dev_t: major in bits 8-19 (and 32+), minor in bits 0-7 (and 20-31).
        long major = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
        long minor = (dev & 0xff) | ((dev >>> 12) & ~0xffL);
        Path block = Path.of("/sys/dev/block/" + major + ":" + minor).toRealPath();
        // A partition's throttle is the whole disk's: the kernel takes a disk's numbers only.
        if (Files.exists(block.resolve("partition"))) {
            block = block.getParent();
        }
        majorMinor = Files.readString(block.resolve("dev")).strip();
        disk = "/dev/" + block.getFileName();
        assertThat(Preflight.isBlockDevice(Path.of(disk))).as(disk + " is a block device").isTrue();
    }

    private String run(ResourceLimits limits, String script) {
        AppliedLimits applied = docker.create(createCmd(List.of("sh", "-c", script)), limits);
        assertThat(applied.mismatches()).isEmpty();
        String id = containers.track(applied.containerId());
        client.startContainerCmd(id).exec();
        return id;
    }

    private static double mibPerSecond(Containers.Output timed) {
        assertThat(timed.exitCode()).as(timed.stderr()).isZero();
        String[] uptimes = timed.stdout().strip().split(" ");
        BigDecimal seconds = new BigDecimal(uptimes[1]).subtract(new BigDecimal(uptimes[0]));
        return BigDecimal.valueOf(WRITTEN).divide(seconds.max(new BigDecimal("0.01")), 6, RoundingMode.HALF_UP)
                .doubleValue() / (1 << 20);
    }

    @Test
    void aWriteRateLimit_holdsDirectWritesToItsDisk_within10Percent() {
        ResourceLimits limits = ResourceLimits.parse("device_write_bps=" + disk + ":4m");
        String throttled = run(limits, "sleep 1; " + TIMED_WRITE);
        HostCgroup cgroup = HostCgroup.ofPid(client.inspectContainerCmd(throttled).exec().getState().getPidLong());
        assertThat(cgroup.writeBpsByDevice()).containsEntry(majorMinor, RATE);
        double limited = mibPerSecond(containers.awaitExit(throttled, Duration.ofSeconds(60)));

        String free = run(ResourceLimits.none(), TIMED_WRITE);
        double unlimited = mibPerSecond(containers.awaitExit(free, Duration.ofSeconds(60)));

        System.out.printf("direct writes to %s: %.2f MiB/s under device_write_bps 4m, %.1f MiB/s without%n",
                disk, limited, unlimited);
        assertThat(limited).as("MiB/s under a 4 MiB/s limit").isLessThanOrEqualTo(4 * 1.10);
        // The same writes run far faster without the limit, so the limit is what held them.
        assertThat(unlimited).as("MiB/s without a limit").isGreaterThan(limited * 2);
        assertThat(docker.read(throttled).deviceWriteBps()).containsExactly(DeviceLimit.of(disk, RATE));
    }

    @Test
    void everyDeviceLimit_readsBackAsAsked() {
        ResourceLimits limits = ResourceLimits.parse("device_read_bps=" + disk + ":8m,device_write_iops=" + disk
                + ":500,device_read_iops=" + disk + ":400,device_write_bps=" + disk + ":16m");
        AppliedLimits applied = docker.create(sleeper(), limits);
        containers.track(applied.containerId());
        assertThat(applied.mismatches()).isEmpty();
        assertThat(applied.effective()).isEqualTo(limits);
    }

    @Test
    void aDeviceRate_cannotChangeLive_theDaemonDropsIt_andTheLibraryRefuses() {
        AppliedLimits applied = docker.create(sleeper(), ResourceLimits.parse("device_write_bps=" + disk + ":4m"));
        String id = containers.track(applied.containerId());
        client.startContainerCmd(id).exec();

        // The Engine API takes the field in an update, answers 200 and keeps the old value.
        client.updateContainerCmd(id).withBlkioDeviceWriteBps(
                List.of(new BlkioRateDevice().withPath(disk).withRate(8L << 20))).exec();
        assertThat(docker.read(id).deviceWriteBps()).containsExactly(DeviceLimit.of(disk, RATE));
        HostCgroup cgroup = HostCgroup.ofPid(client.inspectContainerCmd(id).exec().getState().getPidLong());
        assertThat(cgroup.writeBpsByDevice()).containsEntry(majorMinor, RATE);

        assertThatThrownBy(() -> docker.update(id, ResourceLimits.parse("device_write_bps=" + disk + ":8m")))
                .isInstanceOf(PreflightException.class)
                .hasMessageContaining("device_write_bps")
                .hasMessageContaining("accepts it and drops it");
    }

    @Test
    void aDeviceThatIsNotThere_isRefusedBeforeCreate() {
        assertThatThrownBy(() -> docker.create(sleeper(), ResourceLimits.parse("device_read_bps=/dev/no-such-disk:1m")))
                .isInstanceOf(PreflightException.class)
                .hasMessageContaining("/dev/no-such-disk is not a block device");
    }

    @Test
    void nofile64_leavesNo65thDescriptor() {
        // Descriptors 0 to 63 are the 64 a process may hold: 0-2 are open, 3-63 open here; the shell
        // opens a 65th file before it moves it to 64, and the kernel refuses it (EMFILE).
        String id = run(ResourceLimits.parse("ulimits=nofile=64:64"), "grep 'open files' /proc/self/limits;"
                + " i=3; while [ $i -le 63 ]; do eval \"exec $i</dev/null\" || exit 4; i=$((i+1)); done;"
                + " echo opened up to 63; (eval 'exec 64</dev/null') 2>&1; echo 65th=$?");
        Containers.Output out = containers.awaitExit(id, Duration.ofSeconds(30));
        assertThat(out.exitCode()).as(out.stderr()).isZero();
        assertThat(out.stdout()).containsPattern("Max open files\\s+64\\s+64\\s+files")
                .contains("opened up to 63")
                .contains("Too many open files")
                .doesNotContain("65th=0");
        assertThat(docker.read(id).ulimits()).containsExactly(Ulimit.of("nofile", 64, 64));
    }

    @Test
    void nprocAndOomScoreAdj_areWhatTheContainersFirstProcessHas() {
        String id = run(ResourceLimits.parse("ulimits=nproc=10000:20000,nofile=1024:2048,oom_score_adj=500"),
                "grep -E 'Max (processes|open files)' /proc/1/limits; cat /proc/1/oom_score_adj");
        Containers.Output out = containers.awaitExit(id, Duration.ofSeconds(30));
        assertThat(out.stdout()).containsPattern("Max processes\\s+10000\\s+20000")
                .containsPattern("Max open files\\s+1024\\s+2048")
                .contains("\n500");
        ResourceLimits back = docker.read(id);
        assertThat(back.ulimits()).containsExactly(Ulimit.of("nofile", 1024, 2048), Ulimit.of("nproc", 10000, 20000));
        assertThat(back.oomScoreAdj()).hasValue(500);
    }
}
