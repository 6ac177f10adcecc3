package org.containerlimits.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.containerlimits.cli.OfflineCli.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code limits convert --from compose-file|kubernetes-file}: whole files from a path or standard
 * input, converted exactly; hostile YAML exits 2 with one line on standard error, never a stack
 * trace, fast. No daemon is asked.
 */
class ConvertFilesTest {
    private static final Duration BOUND = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private static byte[] resource(String name) throws Exception {
        try (InputStream in = ConvertFilesTest.class.getResourceAsStream("/files/" + name)) {
            return in.readAllBytes();
        }
    }

    private Path file(String name, byte[] content) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    private static Result onStdin(byte[] bytes, String... args) {
        return assertTimeoutPreemptively(BOUND, () -> OfflineCli.limits(new ByteArrayInputStream(bytes), args));
    }

    /** Exit 2, one line, no trace, nothing on standard output; returns the line. */
    private static String refusedInOneLine(Result r) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(LimitsCommand.EXIT_BAD_INPUT);
        assertThat(r.errLines()).as(r.err()).hasSize(1);
        String line = r.errLines().get(0);
        assertThat(line).startsWith("limits: ").doesNotContain("Exception").doesNotContain("\tat ")
                .doesNotContain("org.yaml").doesNotContain("com.fasterxml").hasSizeLessThan(1_200);
        assertThat(r.out()).isEmpty();
        return line;
    }

    @Test
    void aComposeFile_fromAPath_toFlags_printsEveryServiceExactly() throws Exception {
        Path compose = file("compose.yaml", resource("compose-app.yaml"));
        Result r = OfflineCli.limits("convert", "--from", "compose-file", "--to", "flags", compose.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                web: --memory 256m --cpus 0.5 --pids-limit 100 --ulimit nofile=1024:2048 --ulimit nproc=512:512
                worker: --memory 512m --cpu-shares 512 --cpuset-cpus 0-1 --pids-limit 100 --blkio-weight 300 --device-read-bps /dev/sda:12m --shm-size 128m
                db: --memory 1g --memory-reservation 512m --memory-swap 2g --cpus 2 --pids-limit 200 --oom-score-adj -500
                cache:\s
                """);
        assertThat(r.errLines()).containsExactly("limits: db: no equivalent in limits, from compose-file:"
                + " deploy.resources.reservations.cpus = '0.25': a swarm scheduling reservation, not a container limit");
    }

    @Test
    void manifests_onStandardInput_toKubernetesJson_andBackToAFile() throws Exception {
        Result r = onStdin(resource("manifests.yaml"), "convert", "--from", "kubernetes-file", "--to", "kubernetes");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("""
                {
                  "Deployment/web/container/app": {
                    "limits": {
                      "cpu": "500m",
                      "memory": "1Gi"
                    },
                    "requests": {
                      "cpu": "250m",
                      "memory": "512Mi"
                    }
                  },
                """);
        assertThat(r.errLines()).containsExactly(
                "limits: batch/CronJob/report/container/report: no equivalent in limits, from kubernetes-file:"
                        + " limits.ephemeral-storage = '1Gi': no Docker limit for this resource",
                "limits: skipped: document 2: Service/web: no containers");
        Result file = onStdin(resource("manifests.yaml"), "convert", "--from", "kubernetes-file", "--to", "kubernetes-file", "-");
        assertThat(file.exitCode()).as(file.err()).isZero();
        Result again = onStdin(file.out().getBytes(StandardCharsets.UTF_8), "convert", "--from", "kubernetes-file", "--to", "kubernetes");
        assertThat(again.out()).isEqualTo(r.out());
        Result compose = onStdin(resource("manifests.yaml"), "convert", "--from", "kubernetes-file", "--to", "compose-file");
        assertThat(compose.out()).startsWith("services:\n  Deployment-web-container-app:\n    cpu_quota: 50000\n"
                + "    cpu_period: 100000\n    cpu_shares: 256\n    deploy:\n");
    }

    @Test
    void badValues_exitTwo_namingFileLinePathAndRule() throws Exception {
        Path bad = file("bad.yaml", "services:\n  web:\n    mem_limit: 1g\n    deploy:\n      resources:\n        limits: {memory: 2g}\n"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(refusedInOneLine(OfflineCli.limits("convert", "--from", "compose-file", "--to", "flags", bad.toString())))
                .isEqualTo("limits: invalid file " + bad + ": line 3, column 16: services.web.mem_limit = '1g': Compose"
                        + " refuses distinct values on 'mem_limit' and 'deploy.resources.limits.memory', which is '2g'");
        Result two = onStdin("services:\n  a: {cpus: lots}\n  b: {mem_limit: 1m}\n".getBytes(StandardCharsets.UTF_8),
                "convert", "--from", "compose-file", "--to", "flags");
        assertThat(two.exitCode()).isEqualTo(2);
        assertThat(two.errLines()).hasSize(3).first().isEqualTo("limits: invalid file -:");
        assertThat(refusedInOneLine(OfflineCli.limits("convert", "--from", "compose-file", "--to", "flags",
                dir.resolve("missing.yaml").toString()))).endsWith("missing.yaml': no such file");
        assertThat(refusedInOneLine(OfflineCli.limits("convert", "--from", "compose-file", "--to", "flags",
                dir.toString()))).endsWith("': cannot be read: Is a directory");
        assertThat(refusedInOneLine(OfflineCli.limits("convert", "--from", "flags", "--to", "compose-file", "--memory", "1g")))
                .contains("--to compose-file: only from a whole file");
    }

    @Test
    void hostileYaml_exitsTwo_inOneLine_fast() throws Exception {
        StringBuilder laughs = new StringBuilder("a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol,lol]\n");
        for (char c = 'b'; c <= 'i'; c++) {
            laughs.append(c).append(": &").append(c).append(" [").append(("*" + (char) (c - 1) + ",").repeat(9))
                    .append('*').append((char) (c - 1)).append("]\n");
        }
        String[][] cases = {
            {laughs.toString(), "more than 200000 values once aliases are expanded (an alias bomb?)"},
            {"services: " + "[".repeat(10_000), "nested deeper than 64 levels"},
            {"services:\n  web: {}\n  web: {}\n", "line 3, column 3: services.web: repeated key 'web'"},
            {"services: !!java.lang.Runtime {}\n", "Global tag is not allowed"},
            {"services:\n  web: [unclosed\n", "not valid YAML"},
        };
        for (String format : new String[] {"compose-file", "kubernetes-file"}) {
            for (String[] c : cases) {
                long start = System.nanoTime();
                String line = refusedInOneLine(onStdin(c[0].getBytes(StandardCharsets.UTF_8), "convert", "--from", format, "--to", "flags"));
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as(line).isLessThan(Duration.ofSeconds(2));
                assertThat(line).as(format).startsWith("limits: invalid file -: ").contains(c[1]);
            }
            byte[] big = new byte[2 << 20];
            java.util.Arrays.fill(big, (byte) '#');
            assertThat(refusedInOneLine(onStdin(big, "convert", "--from", format, "--to", "flags")))
                    .isEqualTo("limits: invalid file -: larger than 1048576 bytes (1 MiB)");
            assertThat(refusedInOneLine(onStdin(new byte[] {'a', ':', ' ', (byte) 0xC3, (byte) 0x28}, "convert", "--from", format,
                    "--to", "flags"))).isEqualTo("limits: invalid file -: not valid UTF-8: byte C3 at line 1, byte 4 of the line");
        }
    }
}
