package org.containerlimits.examples.cli;

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
        assertThat(Json.parse(r.out().strip())).isEqualTo(Map.of("limits", Map.of("cpu", "2500m", "memory", "1Gi")));
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
            ResourceLimits read = org.containerlimits.core.DockerCliFlags.read(back.out().strip()).value();
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
        assertThat(json.err()).contains("INPUT: invalid JSON at index");
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

    @Test
    void json_roundTrips_andKeepsNumbersExact() {
        Object v = Json.parse("{\"a\": [1, 2.50, -3e2, 9223372036854775808], \"b\": {\"c\": null, \"d\": \"x\\\"y\"}}");
        assertThat(Json.parse(Json.write(v))).isEqualTo(v);
        assertThat(((java.util.List<?>) ((Map<?, ?>) v).get("a")).get(0)).isEqualTo(1L);
    }
}
