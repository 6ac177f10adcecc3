package org.containerlimits.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.containerlimits.cli.OfflineCli.Result;
import org.junit.jupiter.api.Test;

/** {@code limits convert --from jupyterhub [--spawner docker|swarm|kube]}: Spawner traits, offline. */
class ConvertJupyterHubTest {

    @Test
    void dockerSpawner_byDefault_theExactQuota_andTheSpawnersFloatOnStandardError() {
        Result r = OfflineCli.limits("convert", "--from", "jupyterhub", "--to", "dockerpy",
                "{\"mem_limit\": \"1.5G\", \"cpu_limit\": 0.29, \"mem_guarantee\": \"512M\"}");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("{\n  \"mem_limit\": 1610612736,\n  \"cpu_quota\": 29000,\n"
                + "  \"cpu_period\": 100000\n}\n");
        assertThat(r.errLines()).containsExactly(
                "limits: from jupyterhub as DockerSpawner applies it: cpu_limit = 0.29: DockerSpawner computes"
                        + " int(0.29 * 100000) in floating point, a cpu_quota of 28999 us; the exact value, applied"
                        + " here, is 29000 us per 100000 us period",
                "limits: from jupyterhub as DockerSpawner applies it: mem_guarantee = '512M': DockerSpawner gives it"
                        + " to the notebook only as the environment variable MEM_GUARANTEE; no container setting"
                        + " holds it");
    }

    @Test
    void readmesExample() {
        Result r = OfflineCli.limits(new ByteArrayInputStream("{\"mem_limit\": \"1.5G\", \"cpu_limit\": 0.29}\n"
                .getBytes(StandardCharsets.UTF_8)), "convert", "--from", "jupyterhub", "--to", "flags");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("--memory 1536m --cpu-quota 29000 --cpu-period 100000\n");
        assertThat(r.errLines()).containsExactly("limits: from jupyterhub as DockerSpawner applies it: cpu_limit = 0.29:"
                + " DockerSpawner computes int(0.29 * 100000) in floating point, a cpu_quota of 28999 us; the exact"
                + " value, applied here, is 29000 us per 100000 us period");
    }

    @Test
    void dockerSpawner_extraHostConfig_fromStandardInput() {
        byte[] json = "{\"cpu_limit\": 0.5, \"extra_host_config\": {\"cpu_period\": 50000}}"
                .getBytes(StandardCharsets.UTF_8);
        Result r = OfflineCli.limits(new ByteArrayInputStream(json), "convert", "--from", "jupyterhub", "--spawner",
                "docker", "--to", "flags");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("--cpu-quota 25000 --cpu-period 50000\n");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void swarmSpawner_nanoCpus_andItsFloat() {
        Result r = OfflineCli.limits("convert", "--from", "jupyterhub", "--spawner", "swarm", "--to", "flags",
                "{\"cpu_limit\": \"2.01\", \"mem_limit\": \"1G\"}");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("--memory 1g --cpus 2.01\n");
        assertThat(r.err()).contains("from jupyterhub as SwarmSpawner applies it: cpu_limit = '2.01': SwarmSpawner"
                + " computes int(2.01 * 1e9) in floating point, NanoCPUs of 2009999999");
    }

    @Test
    void kubeSpawner_limitsAndRequests() {
        Result r = OfflineCli.limits("convert", "--from", "jupyterhub", "--spawner", "kube", "--to", "kubernetes",
                "{\"cpu_limit\": 0.5, \"mem_limit\": \"1G\", \"mem_guarantee\": \"512M\"}");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("{\n  \"limits\": {\n    \"cpu\": \"500m\",\n    \"memory\": \"1Gi\"\n  },\n"
                + "  \"requests\": {\n    \"memory\": \"512Mi\"\n  }\n}\n");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void badInput_exitsTwo_withOneLine() {
        Result lowerCase = OfflineCli.limits("convert", "--from", "jupyterhub", "--to", "flags",
                "{\"mem_limit\": \"1g\"}");
        assertThat(lowerCase.exitCode()).isEqualTo(2);
        assertThat(lowerCase.out()).isEmpty();
        assertThat(lowerCase.errLines()).containsExactly("limits: invalid resource limits: mem_limit = '1g': is not a"
                + " JupyterHub byte specification: a number of bytes, or a string of a number and the suffix K, M, G"
                + " or T (1024-based), such as '1.5G'; the suffix is upper case");

        Result smuggled = OfflineCli.limits("convert", "--from", "jupyterhub", "--to", "flags",
                "{\"extra_host_config\": {\"privileged\": true}}");
        assertThat(smuggled.exitCode()).isEqualTo(2);
        assertThat(smuggled.errLines()).singleElement().asString()
                .startsWith("limits: invalid resource limits: extra_host_config.privileged = true: is not a resource limit");

        Result swarmExtra = OfflineCli.limits("convert", "--from", "jupyterhub", "--spawner", "swarm", "--to", "flags",
                "{\"extra_host_config\": {\"cpu_period\": 50000}}");
        assertThat(swarmExtra.exitCode()).isEqualTo(2);
        assertThat(swarmExtra.errLines()).singleElement().asString()
                .contains("extra_host_config = {cpu_period=50000}: is read by DockerSpawner only");
    }

    @Test
    void spawnerOption_andTheFormatsDirection_areChecked() {
        Result unknown = OfflineCli.limits("convert", "--from", "jupyterhub", "--spawner", "nomad", "--to", "flags",
                "{}");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.errLines()).containsExactly(
                "limits: invalid input, nothing was done: --spawner 'nomad': expected one of docker, swarm, kube");

        Result elsewhere = OfflineCli.limits("convert", "--from", "dockerpy", "--spawner", "swarm", "--to", "flags",
                "{}");
        assertThat(elsewhere.exitCode()).isEqualTo(2);
        assertThat(elsewhere.errLines()).containsExactly(
                "limits: invalid input, nothing was done: --spawner 'swarm': only with --from jupyterhub");

        Result written = OfflineCli.limits("convert", "--from", "flags", "--to", "jupyterhub", "--memory", "1g");
        assertThat(written.exitCode()).isEqualTo(2);
        assertThat(written.errLines()).containsExactly("limits: invalid input, nothing was done: --to 'jupyterhub':"
                + " expected one of dockerpy, flags, engine, compose, kubernetes, compose-file, kubernetes-file"
                + " (jupyterhub is read, not written)");
    }
}
