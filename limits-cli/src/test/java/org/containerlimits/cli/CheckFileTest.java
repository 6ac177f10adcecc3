package org.containerlimits.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.containerlimits.cli.OfflineCli.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code limits check -f FILE --offline}: every service or container of a file, named; bad input exits 2. */
class CheckFileTest {

    @TempDir
    Path dir;

    private Path resource(String name, String as) throws Exception {
        try (InputStream in = CheckFileTest.class.getResourceAsStream("/files/" + name)) {
            Path p = dir.resolve(as);
            Files.write(p, in.readAllBytes());
            return p;
        }
    }

    @Test
    void aComposeFile_isCheckedServiceByService_byItsName() throws Exception {
        Path compose = resource("compose-app.yaml", "compose.yaml");
        Result r = OfflineCli.limits("check", "--offline", "-f", compose.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("web: mem_limit=256m,nano_cpus=500000000,pids_limit=100,ulimits=")
                .contains("worker: mem_limit=512m,").contains("db: ")
                .contains("db: no equivalent in limits: deploy.resources.reservations.cpus")
                .containsPattern("valid: \\d+ entries checked");
    }

    @Test
    void kubernetesManifests_areCheckedContainerByContainer() throws Exception {
        Path manifests = resource("manifests.yaml", "deployment.yaml");
        Result r = OfflineCli.limits("check", "--offline", "-f", manifests.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("(?m)^[A-Za-z/-]*Deployment/[^:]+/container/[^:]+: ");
    }

    @Test
    void standardInput_needsItsFormat_andAFileAndFlagsTogether_areRefused() throws Exception {
        Result noFormat = OfflineCli.limits(new ByteArrayInputStream("services: {}\n".getBytes(StandardCharsets.UTF_8)),
                "check", "--offline", "-f", "-");
        assertThat(noFormat.exitCode()).isEqualTo(LimitsCommand.EXIT_BAD_INPUT);
        assertThat(noFormat.err()).contains("--from compose-file or --from kubernetes-file").doesNotContain("\tat ");

        Result stdin = OfflineCli.limits(new ByteArrayInputStream(
                "services:\n  web:\n    mem_limit: 1g\n".getBytes(StandardCharsets.UTF_8)),
                "check", "--offline", "--from", "compose-file", "-f", "-");
        assertThat(stdin.exitCode()).as(stdin.err()).isZero();
        assertThat(stdin.out()).startsWith("web: mem_limit=1g");

        Result both = OfflineCli.limits("check", "--offline", "-f", "compose.yaml", "--memory", "1g");
        assertThat(both.exitCode()).isEqualTo(LimitsCommand.EXIT_BAD_INPUT);
        assertThat(both.err()).contains("-f 'compose.yaml': give the limits by flags or by a file, not both");
    }

    @Test
    void aMissingFile_aBadFormat_andHostileYaml_exitTwo_inOneLine() throws Exception {
        Result missing = OfflineCli.limits("check", "--offline", "-f", dir.resolve("nope-compose.yaml").toString());
        assertThat(missing.exitCode()).isEqualTo(LimitsCommand.EXIT_BAD_INPUT);
        assertThat(missing.err()).contains("no such file");

        Result format = OfflineCli.limits("check", "--offline", "--from", "helm", "-f", "x.yaml");
        assertThat(format.exitCode()).isEqualTo(LimitsCommand.EXIT_BAD_INPUT);
        assertThat(format.err()).contains("--from 'helm': expected one of compose-file, kubernetes-file");

        StringBuilder laughs = new StringBuilder("a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol,lol]\n");
        for (char c = 'b'; c <= 'i'; c++) {
            laughs.append(c).append(": &").append(c).append(" [").append(("*" + (char) (c - 1) + ",").repeat(9))
                    .append('*').append((char) (c - 1)).append("]\n");
        }
        Path bomb = dir.resolve("bomb-compose.yaml");
        Files.writeString(bomb, laughs);
        Result r = OfflineCli.limits("check", "--offline", "-f", bomb.toString());
        assertThat(r.exitCode()).isEqualTo(LimitsCommand.EXIT_BAD_INPUT);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains("aliases").doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
    }
}
