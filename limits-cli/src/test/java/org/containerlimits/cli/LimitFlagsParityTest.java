package org.containerlimits.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.containerlimits.cli.OfflineCli.Result;
import org.containerlimits.core.format.DockerCliFlags;
import org.containerlimits.core.InvalidLimitsException;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.Violation;
import org.junit.jupiter.api.Test;

/**
 * The limit options of {@code run}, {@code update} and {@code check} are {@link DockerCliFlags}':
 * every flag it reads, read to the same {@link ResourceLimits}, and every bad input refused with
 * its violations, exit 2. No daemon is asked ({@code check --offline}; {@code run} and
 * {@code update} refuse before connecting).
 */
class LimitFlagsParityTest {

    /** Every limit, the CPU as nano-CPUs. */
    private static final ResourceLimits ALL_NANO = ResourceLimits.parse("mem_limit=1g,mem_reservation=512m,"
            + "memswap_limit=2g,mem_swappiness=10,nano_cpus=1500000000,cpu_shares=512,cpuset_cpus=0-1,cpuset_mems=0,"
            + "pids_limit=100,blkio_weight=300,blkio_weight_device=/dev/sda:200,device_read_bps=/dev/sda:10m,"
            + "device_write_bps=/dev/sda:5m,/dev/sdb:1m,device_read_iops=/dev/sda:1000,device_write_iops=/dev/sda:500,"
            + "oom_kill_disable=true,oom_score_adj=300,shm_size=128m,ulimits=nofile=64:64,nproc=100:200");

    /** The CPU as quota and period, and the other spellings: unlimited swap and pids, a false flag. */
    private static final ResourceLimits ALL_QUOTA = ResourceLimits.parse("mem_limit=1g,memswap_limit=-1,"
            + "cpu_quota=150000,cpu_period=100000,pids_limit=-1,oom_kill_disable=false");

    private static List<String> written(ResourceLimits limits) {
        return DockerCliFlags.write(limits).value();
    }

    /** The flag names among written arguments: {@code --memory}, {@code --oom-kill-disable}, ... */
    private static Set<String> names(List<String> args) {
        Set<String> names = new TreeSet<>();
        args.stream().filter(a -> a.startsWith("--")).forEach(a -> names.add(a.contains("=") ? a.substring(0, a.indexOf('=')) : a));
        return names;
    }

    /** Each flag of a written line on its own: {@code [--memory, 1g]}, {@code [--oom-kill-disable]}. */
    private static List<List<String>> eachFlag(List<String> args) {
        List<List<String>> each = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.startsWith("--oom-kill-disable")) {
                each.add(List.of(arg));
            } else {
                each.add(List.of(arg, args.get(++i)));
            }
        }
        return each;
    }

    private static String[] command(String name, List<String> flags, String... after) {
        List<String> args = new ArrayList<>(List.of(name.split(" ")));
        args.addAll(flags);
        args.addAll(List.of(after));
        return args.toArray(String[]::new);
    }

    /**
     * Reads flags with the library and with {@code limits check --offline}, and asserts the same
     * outcome: the same canonical limits, or exit 2 with each of the library's violations on a line.
     *
     * @return the library's violations; empty when it read the flags
     */
    private static List<Violation> assertParity(List<String> flags) {
        Result cli = OfflineCli.limits(command("check --offline", flags));
        ResourceLimits expected;
        try {
            expected = DockerCliFlags.read(flags).value();
        } catch (InvalidLimitsException e) {
            assertThat(cli.exitCode()).as(flags + ": " + cli.err()).isEqualTo(LimitsCommand.EXIT_BAD_INPUT);
            assertThat(cli.out()).as(flags.toString()).isEmpty();
            List<String> lines = cli.errLines();
            String heading = "limits: invalid input, nothing was done";
            List<String> problems = e.violations().stream().map(v -> LimitsCommand.oneLine(v.toString())).toList();
            if (problems.size() == 1) {
                assertThat(lines).as(flags.toString()).containsExactly(heading + ": " + problems.get(0));
            } else {
                // Grouped by option, so in the options' order rather than the line's.
                assertThat(lines.get(0)).as(flags.toString()).isEqualTo(heading + ":");
                assertThat(lines.subList(1, lines.size())).as(flags.toString())
                        .containsExactlyInAnyOrderElementsOf(problems.stream().map(p -> "  " + p).toList());
            }
            return e.violations();
        }
        assertThat(cli.exitCode()).as(flags + ": " + cli.err()).isZero();
        assertThat(cli.out().lines().findFirst()).as(flags.toString()).hasValue("limits: " + expected);
        assertThat(cli.err()).isEmpty();
        return List.of();
    }

    @Test
    void theWalk_coversEveryFlagOfTheLibrarysTable() {
        Set<String> flags = new TreeSet<>(names(written(ALL_NANO)));
        flags.addAll(names(written(ALL_QUOTA)));
        assertThat(flags).containsExactlyInAnyOrderElementsOf(
                java.util.Arrays.stream(org.containerlimits.core.Limit.values()).map(l -> l.flag()).toList());
        assertThat(flags).contains("--memory", "--cpus", "--device-write-bps", "--ulimit", "--oom-score-adj");
        for (String command : List.of("run", "update", "check")) {
            Result help = OfflineCli.limits(command, "--help");
            assertThat(help.exitCode()).isZero();
            assertThat(help.out()).as(command).contains(flags).contains("-m, --memory").contains("-c, --cpu-shares");
        }
    }

    @Test
    void everyFlag_aloneAndAllTogether_inBothSpellings_readsAsTheLibraryReadsIt() {
        for (ResourceLimits limits : List.of(ALL_NANO, ALL_QUOTA)) {
            List<String> all = written(limits);
            assertThat(assertParity(all)).isEmpty();
            assertThat(DockerCliFlags.read(all).value()).isEqualTo(limits);
            List<String> attached = new ArrayList<>();
            for (List<String> flag : eachFlag(all)) {
                assertParity(flag);
                String joined = flag.size() == 2 ? flag.get(0) + "=" + flag.get(1) : flag.get(0);
                assertParity(List.of(joined));
                attached.add(joined);
            }
            assertThat(assertParity(attached)).isEmpty();
        }
        // The short names, and a boolean flag that never takes the next argument as its value.
        for (List<String> flags : List.of(List.of("-m", "1g"), List.of("-m=1g"), List.of("-c", "512"), List.of("-c=512"),
                List.of("--oom-kill-disable", "--memory", "1g"), List.of("--oom-kill-disable=true"),
                List.of("--memory-swap", "-1", "--memory", "1g"), List.of("--pids-limit", "-1"))) {
            assertThat(assertParity(flags)).as(flags.toString()).isEmpty();
        }
    }

    /** Inputs the old command line read otherwise than the library, or refused otherwise. */
    @Test
    void whatTheLibraryReadsDifferentlyFromTheOldParser_isReadAsTheLibraryReadsIt() {
        // A quota per period given to --cpus: the library's nano-CPUs, not the old quota form.
        assertThat(assertParity(List.of("--cpus", "250000us/100000us"))).isEmpty();
        assertThat(OfflineCli.limits("check", "--offline", "--cpus", "250000us/100000us").out())
                .startsWith("limits: nano_cpus=2500000000");
        // Digits other than ASCII ones (Arabic-Indic, full-width): refused, as by docker.
        for (List<String> flags : List.of(List.of("--cpu-shares", "\u0661\u0660\u0662\u0664"),
                List.of("--cpu-quota", "\u0661\u0660\u0660\u0660\u0660\u0660"),
                List.of("--cpu-period", "\uff11\uff10\uff10\uff10\uff10\uff10"),
                List.of("--cpus", "\u0662"), List.of("--memory", "\u0661g"), List.of("--pids-limit", "\u0661\u0660"),
                List.of("--memory-swappiness", "\u0661\u0660"), List.of("--blkio-weight", "\u0665\u0660\u0660"))) {
            assertThat(assertParity(flags)).as(flags.toString()).isNotEmpty();
        }
    }

    @Test
    void badFlags_areRefusedAsTheLibraryRefusesThem_eachNamed_exitTwo() {
        List<List<String>> bad = List.of(
                List.of("--memory", "1x"), List.of("--cpus", "-1"), List.of("--pids-limit", "0"),
                List.of("--cpu-shares", "1"), List.of("--memory", "4m"),
                List.of("--cpu-quota", "500", "--cpu-period", "100", "--memory", "4m"),
                List.of("--cpus", "1", "--cpu-quota", "50000"), List.of("--cpu-period", "100000"),
                List.of("--memory", "1g", "--memory", "2g"), List.of("-m", "1g", "--memory=2g"), List.of("--memory"),
                List.of("--memory="), List.of("--memory-swappiness", "101"), List.of("--blkio-weight", "5"),
                List.of("--shm-size", "0"), List.of("--cpuset-cpus", "3-1"), List.of("--cpuset-mems", "x"),
                List.of("--oom-kill-disable=maybe"), List.of("--oom-kill-disable", "--oom-kill-disable"),
                List.of("--cpu-shares", "2.5"), List.of("--memory", "1g", "--memory-swap", "512m"),
                List.of("--memory-reservation", "2g", "--memory", "1g"), List.of("--cpus", "0"),
                List.of("--cpu-quota", "-1"), List.of("--memory", "1g\n--privileged"),
                List.of("--ulimit", "nofile=64:32"), List.of("--ulimit", "files=64"),
                List.of("--ulimit", "nofile=64", "--ulimit", "nofile=128"), List.of("--device-write-bps", "sda:1m"),
                List.of("--device-read-iops", "/dev/sda:0"), List.of("--blkio-weight-device", "/dev/sda:5000"),
                List.of("--device-write-bps", "/dev/sda:1m", "--device-write-bps", "/dev/sda:2m"),
                List.of("--oom-score-adj", "0"), List.of("--oom-score-adj", "1001"), List.of("--ulimit"));
        for (List<String> flags : bad) {
            assertThat(assertParity(flags)).as(flags.toString()).isNotEmpty();
        }
    }

    /** run and update read their options as check does, and refuse before asking for a daemon. */
    @Test
    void runAndUpdate_refuseBadFlagsAsCheckDoes_beforeConnecting() {
        for (List<String> flags : List.of(List.of("--cpus", "\u0662"), List.of("--memory-swappiness", "101"),
                List.of("--memory", "1g", "--memory", "2g"), List.of("--oom-kill-disable", "--memory", "4m"),
                List.of("--shm-size", "0", "--blkio-weight", "5"))) {
            Result check = OfflineCli.limits(command("check --offline", flags));
            assertThat(check.exitCode()).isEqualTo(2);
            Result run = OfflineCli.limits(command("run", flags, "busybox", "sh", "-c", "true"));
            assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
            assertThat(run.err()).isEqualTo(check.err());
            Result update = OfflineCli.limits(command("update", flags, "alice"));
            assertThat(update.exitCode()).as(update.err()).isEqualTo(2);
            assertThat(update.err()).isEqualTo(check.err());
        }
    }

    /** As in the library, -m1g is not a flag: picocli does not split it into -m and 1g first. */
    @Test
    void aShortFlagWithItsValueJoined_isNotAFlag() {
        assertThat(Stream.of("-m1g", "-c512").map(f -> {
            try {
                DockerCliFlags.read(List.of(f));
                return "read";
            } catch (InvalidLimitsException e) {
                return "refused";
            }
        })).containsOnly("refused");
        Result r = OfflineCli.limits("check", "--offline", "-m1g");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("-m1g");
        assertThat(r.out()).doesNotContain("mem_limit");
    }
}
