package org.containerlimits.docker.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.containerlimits.core.usage.InvalidSampleException;
import org.containerlimits.core.usage.UsageSample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cgroup source on hand-built {@code /proc} and cgroup trees laid out as the kernel lays them
 * out, for the layouts this host does not have: cgroup v2, the systemd driver, a cgroup file system
 * mounted at a sub-root, no swap accounting, no pids controller.
 */
class CgroupStatsSourceTest {

    private static final String ID = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @TempDir
    Path root;

    private Path proc;
    private Path sys;

    private void procFiles(String cgroup, String mountinfo, String stat) throws IOException {
        proc = root.resolve("proc");
        sys = root.resolve("sys");
        write(proc.resolve("4242/cgroup"), cgroup);
        write(proc.resolve("self/mountinfo"), mountinfo.replace("$SYS", sys.toString()));
        write(proc.resolve("stat"), stat);
    }

    private static final String STAT = """
            cpu  100 2 30 400 5 6 7 8 0 0
            cpu0 50 1 15 200 2 3 3 4 0 0
            cpu1 50 1 15 200 3 3 4 4 0 0
            intr 123 4 5 6
            ctxt 1000
            """;

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.US_ASCII);
    }

    // ------------------------------------------------------------------------------ cgroup v1

    private Path v1Cgroupfs(boolean memsw, boolean pids) throws IOException {
        procFiles("""
                12:pids:/docker/%1$s
                4:cpu,cpuacct:/docker/%1$s
                3:memory:/docker/%1$s
                1:name=systemd:/docker/%1$s
                0::/
                """.formatted(ID), """
                31 23 0:28 / $SYS/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
                32 31 0:29 / $SYS/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct
                35 31 0:32 / $SYS/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
                36 31 0:33 / $SYS/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
                """, STAT);
        Path cpu = sys.resolve("fs/cgroup/cpu,cpuacct/docker/" + ID);
        write(cpu.resolve("cpuacct.usage"), "2500000000\n");
        write(cpu.resolve("cpu.stat"), "nr_periods 50\nnr_throttled 20\nthrottled_time 1200000000\n");
        Path memory = sys.resolve("fs/cgroup/memory/docker/" + ID);
        write(memory.resolve("memory.usage_in_bytes"), "104857600\n");
        write(memory.resolve("memory.limit_in_bytes"), "268435456\n");
        // inactive_file is this cgroup's own; total_inactive_file includes children and is the one read.
        write(memory.resolve("memory.stat"), "cache 52428800\ninactive_file 1\ntotal_cache 52428800\n"
                + "total_inactive_file 41943040\n");
        if (memsw) {
            write(memory.resolve("memory.memsw.usage_in_bytes"), "115343360\n");
        }
        // As Linux 4.13 and later write it: oom_kill_disable must not be taken for oom_kill.
        write(memory.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 3\n");
        Path pidsDir = sys.resolve("fs/cgroup/pids/docker/" + ID);
        if (pids) {
            write(pidsDir.resolve("pids.current"), "7\n");
            write(pidsDir.resolve("pids.max"), "64\n");
        }
        return cpu;
    }

    @Test
    void v1_cgroupfs_readsEveryCounter() throws IOException {
        v1Cgroupfs(true, true);
        CgroupStatsSource source = new CgroupStatsSource(proc, DescriptorBudget.of(1000));
        try (CgroupFiles files = source.open(4242, ID).orElseThrow()) {
            UsageSample s = source.sample(files);
            assertThat(s.cpuNanos()).isEqualTo(2_500_000_000L);
            assertThat(s.cfsPeriods()).isEqualTo(50);
            assertThat(s.cfsThrottledPeriods()).isEqualTo(20);
            assertThat(s.throttledNanos()).isEqualTo(1_200_000_000L);
            assertThat(s.memoryUsageBytes()).isEqualTo(100L << 20);
            assertThat(s.inactiveFileBytes()).isEqualTo(40L << 20);
            assertThat(s.memoryUsedBytes()).isEqualTo(60L << 20);
            assertThat(s.memoryLimitBytes()).hasValue(256L << 20);
            assertThat(s.swapBytes()).hasValue(10L << 20);
            assertThat(s.pids()).isEqualTo(7);
            assertThat(s.pidsLimit()).hasValue(64);
            assertThat(s.oomKills()).hasValue(3);
            // user..softirq = 100+2+30+400+5+6+7 ticks of 10 ms; idle = idle + iowait.
            assertThat(s.systemCpuNanos()).hasValue(550L * 10_000_000L);
            assertThat(s.hostIdleNanos()).hasValue(405L * 10_000_000L);
            assertThat(s.onlineCpus()).isEqualTo(2);
        }
    }

    @Test
    void pastTheDescriptorBudget_aContainersFilesAreOpenedAtEachSample_andReadTheSame() throws IOException {
        Path cpu = v1Cgroupfs(true, true);
        DescriptorBudget budget = DescriptorBudget.of(12);
        CgroupStatsSource source = new CgroupStatsSource(proc, budget);
        try (CgroupFiles kept = source.open(4242, ID).orElseThrow();
                CgroupFiles reopened = source.open(4242, ID).orElseThrow()) {
            assertThat(kept.keptOpen()).isTrue();
            assertThat(kept.fileCount()).as("v1 with swap and pids, no CFS or cpuset files here").isEqualTo(9);
            assertThat(budget.used()).isEqualTo(9);
            assertThat(reopened.keptOpen()).as("9 more do not fit in 12").isFalse();
            assertThat(budget.used()).isEqualTo(9);
            UsageSample a = source.sample(kept);
            UsageSample b = source.sample(reopened);
            assertThat(b).usingRecursiveComparison().ignoringFields("time").isEqualTo(a);
            // A file opened at each sample reads what the kernel writes now, as a kept one does.
            write(cpu.resolve("cpuacct.usage"), "3500000000\n");
            assertThat(source.sample(reopened).cpuNanos()).isEqualTo(3_500_000_000L);
            assertThat(source.sample(kept).cpuNanos()).isEqualTo(3_500_000_000L);
            // A cgroup that went away fails the read, as on a kept file (the caller locates it again).
            Files.delete(cpu.resolve("cpuacct.usage"));
            assertThatThrownBy(() -> source.sample(reopened)).isInstanceOf(IOException.class);
        }
        assertThat(budget.used()).as("closing gives the descriptors back").isZero();
    }

    @Test
    void aBudgetOfNothing_keepsNoFileOpen() throws IOException {
        v1Cgroupfs(true, true);
        CgroupStatsSource source = new CgroupStatsSource(proc, DescriptorBudget.of(0));
        try (CgroupFiles files = source.open(4242, ID).orElseThrow()) {
            assertThat(files.keptOpen()).isFalse();
            assertThat(source.sample(files).memoryUsageBytes()).isEqualTo(100L << 20);
        }
        assertThat(DescriptorBudget.defaultMax()).as("a quarter of this JVM's descriptor limit").isPositive();
        assertThatThrownBy(() -> DescriptorBudget.of(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxOpenFiles must not be negative: -1");
    }

    @Test
    void v1_withoutSwapAccountingOrPidsController_reportsThemAbsent() throws IOException {
        v1Cgroupfs(false, false);
        write(proc.resolve("4242/cgroup"), """
                4:cpu,cpuacct:/docker/%1$s
                3:memory:/docker/%1$s
                """.formatted(ID));
        CgroupStatsSource source = new CgroupStatsSource(proc, DescriptorBudget.of(1000));
        try (CgroupFiles files = source.open(4242, ID).orElseThrow()) {
            UsageSample s = source.sample(files);
            assertThat(s.swapBytes()).isEmpty();
            assertThat(s.pids()).isZero();
            assertThat(s.pidsLimit()).isEmpty();
        }
    }

    @Test
    void v1_readsTheFilesAgain_eachSample() throws IOException {
        Path cpu = v1Cgroupfs(true, true);
        CgroupStatsSource source = new CgroupStatsSource(proc, DescriptorBudget.of(1000));
        try (CgroupFiles files = source.open(4242, ID).orElseThrow()) {
            UsageSample first = source.sample(files);
            // Rewritten in place, as the kernel regenerates a cgroup file on each read; longer
            // than before, so a stale length would cut it.
            Files.writeString(cpu.resolve("cpuacct.usage"), "12500000000\n");
            UsageSample second = source.sample(files);
            assertThat(second.cpuNanos()).isEqualTo(12_500_000_000L);
            assertThat(second.time()).isAfter(first.time());
        }
    }

    @Test
    void aCgroupThatIsGone_failsTheSample() throws IOException {
        Path cpu = v1Cgroupfs(true, true);
        CgroupStatsSource source = new CgroupStatsSource(proc, DescriptorBudget.of(1000));
        CgroupFiles files = source.open(4242, ID).orElseThrow();
        files.close();
        assertThatThrownBy(() -> source.sample(files)).isInstanceOf(IOException.class);
        Files.delete(cpu.resolve("cpuacct.usage"));
        assertThat(source.open(4242, ID)).isEmpty();
    }

    @Test
    void theIdMustBeInThePath_soAnotherHostsPidIsNotMistakenForTheContainer() throws IOException {
        v1Cgroupfs(true, true);
        CgroupStatsSource source = new CgroupStatsSource(proc, DescriptorBudget.of(1000));
        assertThat(source.locate(4242, ID.replace('0', 'f'))).isEmpty();
        assertThat(source.locate(4242, null)).isPresent();
        assertThat(source.locate(999, ID)).isEmpty();
        assertThat(source.locate(0, ID)).isEmpty();
    }

    @Test
    void v1_systemdDriver_inAMountedSubRoot() throws IOException {
        String slice = "/system.slice/docker-" + ID + ".scope";
        procFiles("""
                4:cpu,cpuacct:%1$s
                3:memory:%1$s
                """.formatted(slice), """
                32 31 0:29 /system.slice $SYS/cg/cpu rw - cgroup cgroup rw,cpu,cpuacct
                35 31 0:32 / $SYS/cg/memory rw - cgroup cgroup rw,memory
                """, STAT);
        write(sys.resolve("cg/cpu/docker-" + ID + ".scope/cpuacct.usage"), "7\n");
        write(sys.resolve("cg/cpu/docker-" + ID + ".scope/cpu.stat"), "nr_periods 0\n");
        Path memory = sys.resolve("cg/memory/system.slice/docker-" + ID + ".scope");
        write(memory.resolve("memory.usage_in_bytes"), "4096\n");
        write(memory.resolve("memory.limit_in_bytes"), "9223372036854771712\n");
        write(memory.resolve("memory.stat"), "inactive_file 0\n");
        CgroupStatsSource source = new CgroupStatsSource(proc, DescriptorBudget.of(1000));
        Optional<CgroupLocation> location = source.locate(4242, ID);
        assertThat(location).isPresent();
        assertThat(location.get().cpu()).isEqualTo(sys.resolve("cg/cpu/docker-" + ID + ".scope"));
        try (CgroupFiles files = source.open(4242, ID).orElseThrow()) {
            UsageSample s = source.sample(files);
            assertThat(s.cpuNanos()).isEqualTo(7);
            // v1's "no limit" is the page-rounded maximum, read whole (no overflow) and meaning none.
            assertThat(s.memoryLimitBytes()).isEmpty();
        }
    }

    // ------------------------------------------------------------------------------ cgroup v2

    private Path v2(String memoryMax, boolean swap) throws IOException {
        procFiles("0::/system.slice/docker-" + ID + ".scope\n", """
                25 1 0:23 / $SYS/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate
                """, STAT);
        Path dir = sys.resolve("fs/cgroup/system.slice/docker-" + ID + ".scope");
        write(dir.resolve("cpu.stat"), """
                usage_usec 3000000
                user_usec 2000000
                system_usec 1000000
                nr_periods 30
                nr_throttled 10
                throttled_usec 400000
                nr_bursts 0
                burst_usec 0
                """);
        write(dir.resolve("memory.current"), "209715200\n");
        write(dir.resolve("memory.max"), memoryMax + "\n");
        write(dir.resolve("memory.stat"), "anon 104857600\nfile 94371840\nactive_file 10485760\n"
                + "inactive_file 83886080\nslab 1000\n");
        if (swap) {
            write(dir.resolve("memory.swap.current"), "1048576\n");
        }
        write(dir.resolve("pids.current"), "3\n");
        write(dir.resolve("pids.max"), "max\n");
        write(dir.resolve("memory.events"), "low 0\nhigh 0\nmax 57\noom 2\noom_kill 2\noom_group_kill 0\n");
        return dir;
    }

    @Test
    void v2_readsTheUnifiedFiles() throws IOException {
        v2("536870912", true);
        CgroupStatsSource source = new CgroupStatsSource(proc, DescriptorBudget.of(1000));
        try (CgroupFiles files = source.open(4242, ID).orElseThrow()) {
            assertThat(files.location().v2()).isTrue();
            UsageSample s = source.sample(files);
            assertThat(s.cpuNanos()).isEqualTo(3_000_000_000L);
            assertThat(s.cfsPeriods()).isEqualTo(30);
            assertThat(s.cfsThrottledPeriods()).isEqualTo(10);
            assertThat(s.throttledNanos()).isEqualTo(400_000_000L);
            assertThat(s.memoryUsageBytes()).isEqualTo(200L << 20);
            assertThat(s.inactiveFileBytes()).isEqualTo(80L << 20);
            assertThat(s.memoryLimitBytes()).hasValue(512L << 20);
            assertThat(s.swapBytes()).hasValue(1L << 20);
            assertThat(s.pids()).isEqualTo(3);
            assertThat(s.pidsLimit()).isEmpty();
            assertThat(s.oomKills()).hasValue(2);
        }
    }

    @Test
    void v2_max_isNoLimit_andNoSwapFileIsNoSwapFigure() throws IOException {
        v2("max", false);
        CgroupStatsSource source = new CgroupStatsSource(proc, DescriptorBudget.of(1000));
        try (CgroupFiles files = source.open(4242, ID).orElseThrow()) {
            UsageSample s = source.sample(files);
            assertThat(s.memoryLimitBytes()).isEmpty();
            assertThat(s.swapBytes()).isEmpty();
        }
    }

    // ------------------------------------------------------------------------------ OOM kills

    @Test
    void v1_oomControlWithoutTheOomKillLine_beforeLinux413_isNoCount_notZero() throws IOException {
        v1Cgroupfs(true, true);
        write(sys.resolve("fs/cgroup/memory/docker/" + ID + "/memory.oom_control"),
                "oom_kill_disable 0\nunder_oom 0\n");
        CgroupStatsSource source = new CgroupStatsSource(proc, DescriptorBudget.of(1000));
        try (CgroupFiles files = source.open(4242, ID).orElseThrow()) {
            assertThat(source.sample(files).oomKills()).isEmpty();
        }
    }

    @Test
    void noOomFile_isNoCount_v1AndV2() throws IOException {
        v1Cgroupfs(true, true);
        Files.delete(sys.resolve("fs/cgroup/memory/docker/" + ID + "/memory.oom_control"));
        CgroupStatsSource v1 = new CgroupStatsSource(proc, DescriptorBudget.of(1000));
        try (CgroupFiles files = v1.open(4242, ID).orElseThrow()) {
            assertThat(v1.sample(files).oomKills()).isEmpty();
        }
        Path dir = v2("max", false);
        Files.delete(dir.resolve("memory.events"));
        CgroupStatsSource v2 = new CgroupStatsSource(proc, DescriptorBudget.of(1000));
        try (CgroupFiles files = v2.open(4242, ID).orElseThrow()) {
            assertThat(files.location().v2()).isTrue();
            assertThat(v2.sample(files).oomKills()).isEmpty();
        }
    }

    @Test
    void v2_readsMemoryEvents_notTheLocalFile_andNoOtherLineThatStartsAlike() throws IOException {
        Path dir = v2("max", false);
        // The container's Jupyter server put the notebook kernels in a child cgroup: their kills
        // show in the hierarchical memory.events, not in this cgroup's own memory.events.local.
        write(dir.resolve("memory.events"), "oom_group_kill 9\nlow 0\nhigh 0\nmax 57\noom 4\noom_kill 4\n");
        write(dir.resolve("memory.events.local"), "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n");
        CgroupStatsSource source = new CgroupStatsSource(proc, DescriptorBudget.of(1000));
        try (CgroupFiles files = source.open(4242, ID).orElseThrow()) {
            assertThat(source.sample(files).oomKills()).hasValue(4);
            // Read again from offset 0 each sample, like every other file, also when it grows.
            Files.writeString(dir.resolve("memory.events"),
                    "low 0\nhigh 0\nmax 1057\noom 1234567890123\noom_kill 1234567890123\noom_group_kill 0\n");
            assertThat(source.sample(files).oomKills()).hasValue(1_234_567_890_123L);
        }
    }

    @Test
    void aMalformedOomKillCount_failsTheSample_namingTheFieldTheFileAndTheText() throws IOException {
        Path dir = v2("max", false);
        CgroupStatsSource source = new CgroupStatsSource(proc, DescriptorBudget.of(1000));
        try (CgroupFiles files = source.open(4242, ID).orElseThrow()) {
            for (String bad : new String[] {"-1", "x12", "12abc", "", "99999999999999999999", "1 2"}) {
                Files.writeString(dir.resolve("memory.events"),
                        "low 0\noom 1\noom_kill " + bad + "\noom_group_kill 0\n");
                InvalidSampleException e = catchThrowableOfType(InvalidSampleException.class,
                        () -> source.sample(files));
                assertThat(e).as(bad).isNotNull();
                assertThat(e.field()).isEqualTo("oomKills");
                assertThat(e).hasMessage("oomKills = '" + bad + "' (memory.events, line oom_kill) is not a count;"
                        + " the kernel writes a decimal number there");
            }
            // Within a long but no sane count: refused by the one rule, SampleBounds.
            Files.writeString(dir.resolve("memory.events"), "oom_kill 9000000000000000000\n");
            assertThatThrownBy(() -> source.sample(files)).isInstanceOf(InvalidSampleException.class)
                    .hasMessageStartingWith("oomKills = 9000000000000000000 is above 2^53");
            Files.writeString(dir.resolve("memory.events"), "oom_kill 5\n");
            assertThat(source.sample(files).oomKills()).as("the next good sample is read").hasValue(5);
        }
    }

    @Test
    void v1_aMalformedOomKillCount_namesMemoryOomControl() throws IOException {
        v1Cgroupfs(true, true);
        write(sys.resolve("fs/cgroup/memory/docker/" + ID + "/memory.oom_control"),
                "oom_kill_disable 0\nunder_oom 0\noom_kill \u0007x\n");
        CgroupStatsSource source = new CgroupStatsSource(proc, DescriptorBudget.of(1000));
        // A cgroup whose first sample is refused is not opened (the reader falls back to the API).
        assertThat(source.open(4242, ID)).isEmpty();
        try (CgroupFiles files = CgroupFiles.open(source.locate(4242, ID).orElseThrow(), DescriptorBudget.of(1000))) {
            assertThatThrownBy(() -> source.sample(files)).isInstanceOf(InvalidSampleException.class)
                    .hasMessage("oomKills = '?x' (memory.oom_control, line oom_kill) is not a count; the kernel"
                            + " writes a decimal number there");
        }
    }

    // ------------------------------------------------------------------------------ /proc/stat

    @Test
    void procStat_withManyCpus_isReadWhole() throws IOException {
        StringBuilder stat = new StringBuilder("cpu  1 0 0 1 0 0 0 0 0 0\n");
        for (int i = 0; i < 256; i++) {
            stat.append("cpu").append(i).append(" 123456789 0 123456789 123456789 0 0 0 0 0 0\n");
        }
        stat.append("intr ").append("0 ".repeat(5000)).append('\n');
        v2("max", false);
        write(proc.resolve("stat"), stat.toString());
        CgroupStatsSource source = new CgroupStatsSource(proc, DescriptorBudget.of(1000));
        assertThat(stat.length()).isGreaterThan(4096 * 4);
        assertThat(source.hostStat().cpus()).isEqualTo(256);
    }

    @Test
    void procStat_parse_stopsAtTheFirstNonCpuLine_andNeedsTheWholeCpuBlock() {
        byte[] whole = STAT.getBytes(StandardCharsets.US_ASCII);
        CgroupStatsSource.HostStat h = CgroupStatsSource.parseHostStat(whole, whole.length);
        assertThat(h.cpus()).isEqualTo(2);
        assertThat(h.totalNanos()).isEqualTo(550L * 10_000_000L);
        int cut = STAT.indexOf("cpu1") + 5;
        assertThat(CgroupStatsSource.parseHostStat(whole, cut)).isNull();
    }

    @Test
    void aClosedSource_failsItsSamples() throws IOException {
        v1Cgroupfs(true, true);
        CgroupStatsSource source = new CgroupStatsSource(proc, DescriptorBudget.of(1000));
        CgroupFiles files = source.open(4242, ID).orElseThrow();
        source.close();
        try (files) {
            // The 20 ms cache may still hold a /proc/stat reading; past it the closed source refuses.
            assertThatThrownBy(() -> {
                for (int i = 0; i < 10; i++) {
                    source.sample(files);
                    Thread.sleep(10);
                }
            }).isInstanceOf(IOException.class);
        }
    }
}
