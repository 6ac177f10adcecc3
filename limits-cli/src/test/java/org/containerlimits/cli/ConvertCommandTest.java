package org.containerlimits.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.containerlimits.core.ResourceLimits;
import org.junit.jupiter.api.Test;

/** {@code limits convert}: no daemon is asked, so the client supplier must never be called. */
class ConvertCommandTest {

    record Result(int exitCode, String out, String err) {
    }

    private static Result limits(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        LimitsCommand command = new LimitsCommand(() -> {
            throw new AssertionError("convert must not connect to a daemon");
        });
        var cli = command.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return new Result(cli.execute(args), out.toString(), err.toString());
    }

    @Test
    void flagsToKubernetes_reportsWhatHasNoEquivalent() {
        Result r = limits("convert", "--from", "flags", "--to", "kubernetes", "--memory", "1g", "--cpus", "2.5",
                "--pids-limit", "100");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(CliJson.readObject(r.out(), "for kubernetes")).isEqualTo(Map.of("limits", Map.of("cpu", "2500m", "memory", "1Gi")));
        assertThat(r.err()).contains("no equivalent in kubernetes: pids_limit = 100");
    }

    @Test
    void everyFormat_throughEveryOther_readsBackTheSameLimits() {
        ResourceLimits limits = ResourceLimits.parse("mem_limit=1g,mem_reservation=512m,nano_cpus=2500000000");
        String flags = "--memory 1g --memory-reservation 512m --cpus 2.5";
        for (String via : ConvertCommand.FORMATS) {
            Result there = limits("convert", "--from", "flags", "--to", via, flags);
            assertThat(there.exitCode()).as(via + ": " + there.err()).isZero();
            Result back = limits("convert", "--from", via, "--to", "flags", there.out().strip());
            assertThat(back.exitCode()).as(via + ": " + back.err()).isZero();
            ResourceLimits read = org.containerlimits.core.format.DockerCliFlags.read(back.out().strip()).value();
            // Kubernetes gives the CPU back as the kubelet applies it: a quota per 100 ms.
            assertThat(read.cpu().orElseThrow().cores()).isEqualByComparingTo(limits.cpu().orElseThrow().cores());
            assertThat(read.memory()).isEqualTo(limits.memory());
            assertThat(read.memoryReservation()).isEqualTo(limits.memoryReservation());
        }
    }

    @Test
    void nonLimitsBadJsonAndUnknownFormats_exitTwo_namingThem() {
        Result privileged = limits("convert", "--from", "flags", "--to", "engine", "--memory", "1g", "--privileged");
        assertThat(privileged.exitCode()).isEqualTo(2);
        assertThat(privileged.err()).contains("--privileged = : is not a limit flag");
        Result hostile = limits("convert", "--from", "engine", "--to", "flags", "{\"Memory\": 1073741824, \"Privileged\": true}");
        assertThat(hostile.exitCode()).isEqualTo(2);
        assertThat(hostile.err()).contains("Privileged = true: is not a resource limit field");
        Result json = limits("convert", "--from", "compose", "--to", "flags", "{\"limits\": {\"memory\": }");
        assertThat(json.exitCode()).isEqualTo(2);
        assertThat(json.err()).contains("INPUT: invalid JSON at line 1, column 23: Unexpected character ('}'");
        Result format = limits("convert", "--from", "yaml", "--to", "flags", "{}");
        assertThat(format.exitCode()).isEqualTo(2);
        assertThat(format.err()).contains("--from 'yaml': expected one of dockerpy, flags, engine, compose, kubernetes");
        assertThat(limits("convert", "--from", "kubernetes", "--to", "flags", "{\"limits\": {\"memory\": \"500m\"}}").err())
                .contains("limits.memory = '500m'");
    }

    /** picocli formats descriptions: a bare % in one makes it warn on every usage message. */
    @Test
    void everyCommandsHelp_rendersWithoutWarnings() {
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            for (String command : List.of("run", "stats", "update", "inspect", "check", "convert")) {
                Result help = limits(command, "--help");
                assertThat(help.exitCode()).isZero();
                assertThat(help.out()).contains("Usage: limits " + command);
            }
            assertThat(limits("run", "--help").out()).contains("250%,");
        } finally {
            System.setErr(original);
        }
        assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("WARN");
    }

    /** The exact text the hand-written writer printed before Jackson, for every target format. */
    @Test
    void everyTargetFormat_printsTheSameTextAsBefore() {
        String all = "--memory 1g --memory-reservation 512m --memory-swap 2g --memory-swappiness 10 --cpus 1.5 --cpu-shares 512 --cpuset-cpus 0-1 --cpuset-mems 0 --pids-limit 100 --blkio-weight 300 --oom-kill-disable --shm-size 128m";
        String quota = "--memory 1g --memory-swap -1 --cpu-quota 150000 --cpu-period 100000 --pids-limit -1 --oom-kill-disable=false";
        java.util.Map<String, String> expected = new java.util.LinkedHashMap<>();
        expected.put(all + " > dockerpy", "{\n  \"mem_limit\": 1073741824,\n  \"mem_reservation\": 536870912,\n  \"memswap_limit\": 2147483648,\n  \"mem_swappiness\": 10,\n  \"nano_cpus\": 1500000000,\n  \"cpu_shares\": 512,\n  \"cpuset_cpus\": \"0-1\",\n  \"cpuset_mems\": \"0\",\n  \"pids_limit\": 100,\n  \"blkio_weight\": 300,\n  \"oom_kill_disable\": true,\n  \"shm_size\": 134217728\n}\n");
        expected.put(all + " > engine", "{\n  \"Memory\": 1073741824,\n  \"MemoryReservation\": 536870912,\n  \"MemorySwap\": 2147483648,\n  \"MemorySwappiness\": 10,\n  \"NanoCpus\": 1500000000,\n  \"CpuShares\": 512,\n  \"CpusetCpus\": \"0-1\",\n  \"CpusetMems\": \"0\",\n  \"PidsLimit\": 100,\n  \"BlkioWeight\": 300,\n  \"OomKillDisable\": true,\n  \"ShmSize\": 134217728\n}\n");
        expected.put(all + " > compose", "{\n  \"limits\": {\n    \"cpus\": \"1.5\",\n    \"memory\": \"1g\",\n    \"pids\": 100\n  },\n  \"reservations\": {\n    \"memory\": \"512m\"\n  }\n}\n");
        expected.put(all + " > kubernetes", "{\n  \"limits\": {\n    \"cpu\": \"1500m\",\n    \"memory\": \"1Gi\"\n  },\n  \"requests\": {\n    \"cpu\": \"500m\",\n    \"memory\": \"512Mi\"\n  }\n}\n");
        expected.put(all + " > flags", "--memory 1g --memory-reservation 512m --memory-swap 2g --memory-swappiness 10 --cpus 1.5 --cpu-shares 512 --cpuset-cpus 0-1 --cpuset-mems 0 --pids-limit 100 --blkio-weight 300 --oom-kill-disable --shm-size 128m\n");
        expected.put(quota + " > dockerpy", "{\n  \"mem_limit\": 1073741824,\n  \"memswap_limit\": -1,\n  \"cpu_quota\": 150000,\n  \"cpu_period\": 100000,\n  \"pids_limit\": -1,\n  \"oom_kill_disable\": false\n}\n");
        expected.put(quota + " > engine", "{\n  \"Memory\": 1073741824,\n  \"MemorySwap\": -1,\n  \"CpuQuota\": 150000,\n  \"CpuPeriod\": 100000,\n  \"PidsLimit\": -1,\n  \"OomKillDisable\": false\n}\n");
        expected.put(quota + " > compose", "{\n  \"limits\": {\n    \"cpus\": \"1.5\",\n    \"memory\": \"1g\"\n  }\n}\n");
        expected.put(quota + " > kubernetes", "{\n  \"limits\": {\n    \"cpu\": \"1500m\",\n    \"memory\": \"1Gi\"\n  }\n}\n");
        expected.put(quota + " > flags", "--memory 1g --memory-swap -1 --cpu-quota 150000 --cpu-period 100000 --pids-limit -1 --oom-kill-disable=false\n");
        expected.put("" + " > dockerpy", "{}\n");
        expected.put("" + " > engine", "{}\n");
        expected.put("" + " > compose", "{}\n");
        expected.put("" + " > kubernetes", "{}\n");
        expected.put("" + " > flags", "\n");
        expected.forEach((input, output) -> {
            String[] io = input.split(" > ");
            Result r = limits("convert", "--from", "flags", "--to", io[1], io[0]);
            assertThat(r.exitCode()).as(input + ": " + r.err()).isZero();
            assertThat(r.out()).as(input).isEqualTo(output);
        });
    }
}
