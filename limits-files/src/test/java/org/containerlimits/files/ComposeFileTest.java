package org.containerlimits.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.containerlimits.core.ResourceLimits;
import org.junit.jupiter.api.Test;

/** Whole Compose files: anchors, merge keys, the service-level keys beside deploy.resources, precedence. */
class ComposeFileTest {
    static String resource(String name) throws Exception {
        try (InputStream in = ComposeFileTest.class.getResourceAsStream("/files/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aMultiServiceFile_withAnchorsMergeKeysAndLegacyKeys_convertsExactly() throws Exception {
        FileLimits file = ComposeFile.read(resource("compose-app.yaml"), "compose-app.yaml");
        assertThat(file.limits().keySet()).containsExactly("web", "worker", "db", "cache");
        assertThat(file.limits().get("web").toDockerPy()).isEqualTo(Map.of(
                "mem_limit", 256L << 20, "nano_cpus", 500_000_000L, "pids_limit", 100L,
                "ulimits", List.of(Map.of("Name", "nofile", "Soft", 1024L, "Hard", 2048L),
                        Map.of("Name", "nproc", "Soft", 512L, "Hard", 512L))));
        assertThat(file.limits().get("worker").toDockerPy()).isEqualTo(Map.of(
                "mem_limit", 512L << 20, "pids_limit", 100L, "cpu_shares", 512L, "cpuset_cpus", "0-1",
                "shm_size", 128L << 20, "blkio_weight", 300L,
                "device_read_bps", List.of(Map.of("Path", "/dev/sda", "Rate", 12L << 20))));
        assertThat(file.limits().get("db").toDockerPy()).isEqualTo(Map.of(
                "mem_limit", 1L << 30, "memswap_limit", 2L << 30, "nano_cpus", 2_000_000_000L, "pids_limit", 200L,
                "mem_reservation", 512L << 20, "oom_score_adj", -500L));
        assertThat(file.entries().get(2).limits().unconverted())
                .containsExactly("deploy.resources.reservations.cpus = '0.25': a swarm scheduling reservation, not a container limit");
        assertThat(file.entries().get(2).path()).isEqualTo("services.db");
        assertThat(file.limits().get("cache")).isEqualTo(ResourceLimits.fromDockerPy(Map.of()));
    }

    @Test
    void composeGosConsistencyRule_distinctLegacyAndDeployValues_areRefused() throws Exception {
        assertThatThrownBy(() -> ComposeFile.read(resource("compose-conflict.yaml"), "compose-conflict.yaml"))
                .isInstanceOf(InvalidFileException.class)
                .hasMessage("invalid file compose-conflict.yaml: line 4, column 16: services.api.mem_limit = '1g':"
                        + " Compose refuses distinct values on 'mem_limit' and 'deploy.resources.limits.memory', which is '512m'");
        // An absent key in a limits map differs too, as compose-go compares it.
        assertThatThrownBy(() -> ComposeFile.read("services:\n  a:\n    pids_limit: 10\n    deploy:\n      resources:\n"
                + "        limits: {memory: 1g}\n", "c.yaml"))
                .hasMessageContaining("services.a.pids_limit = 10: Compose refuses distinct values on 'pids_limit' and"
                        + " 'deploy.resources.limits.pids', which is not set");
        // Equal values, written differently, are one limit.
        assertThat(ComposeFile.read("services:\n  a:\n    cpus: 1.5\n    mem_reservation: 1024m\n    deploy:\n"
                + "      resources:\n        limits: {cpus: '1.50'}\n        reservations: {memory: 1g}\n", "c.yaml")
                .limits().get("a").toDockerPy()).isEqualTo(Map.of("nano_cpus", 1_500_000_000L, "mem_reservation", 1L << 30));
    }

    @Test
    void badValues_areAllNamed_byTheirPathInTheFile_lineAndColumn() {
        InvalidFileException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidFileException.class,
                () -> ComposeFile.read("services:\n  web:\n    deploy:\n      resources:\n        limits:\n"
                        + "          cpus: lots\n  db:\n    mem_limit: 4m\n    blkio_config: {speed: 1}\n", "bad.yaml"));
        assertThat(e.problems()).containsExactly(
                "line 6, column 17: services.web.deploy.resources.limits.cpus = 'lots': must be a decimal number of cores",
                "line 9, column 27: services.db.blkio_config.speed = 1: is not a key of blkio_config: expected weight,"
                        + " weight_device, device_read_bps, device_write_bps, device_read_iops, device_write_iops");
        // A merged value is named where the merged map gives it.
        assertThat(org.junit.jupiter.api.Assertions.assertThrows(InvalidFileException.class,
                () -> ComposeFile.read("x-a: &a\n  mem_limit: 4m\nservices:\n  db: {<<: *a}\n", "bad.yaml")).problems())
                .singleElement().asString().startsWith("line 2, column 14: services.db.mem_limit = '4m': must be at least 6m");
        assertThat(org.junit.jupiter.api.Assertions.assertThrows(InvalidFileException.class,
                () -> ComposeFile.read("services:\n  db:\n    mem_limit: 4m\n", "bad.yaml")).problems())
                .singleElement().asString().startsWith("line 3, column 16: services.db.mem_limit = '4m': must be at least 6m");
    }

    /** {@code reservations.cpus} is a Swarm reservation: no container limit, but the entry carries it exactly. */
    @Test
    void aCpuReservation_isCarriedBesideTheLimits_andABadOneIsNamed() throws Exception {
        FileLimits file = ComposeFile.read(resource("compose-app.yaml"), "compose-app.yaml");
        FileLimits.Entry db = file.entries().stream().filter(e -> e.name().equals("db")).findFirst().orElseThrow();
        assertThat(db.cpuReservation()).hasValue(org.containerlimits.core.CpuLimit.ofNanoCpus(250_000_000L));
        assertThat(file.entries().get(0).cpuReservation()).isEmpty();
        assertThatThrownBy(() -> ComposeFile.read("services:\n  a:\n    deploy:\n      resources:\n"
                + "        reservations: {cpus: lots}\n", "bad.yaml"))
                .isInstanceOf(InvalidFileException.class)
                .hasMessageContaining("services.a.deploy.resources.reservations.cpus").hasMessageContaining("lots");
    }

    @Test
    void writing_thenReading_givesTheSameLimits() throws Exception {
        FileLimits file = ComposeFile.read(resource("compose-app.yaml"), "compose-app.yaml");
        var written = ComposeFile.write(file.limits());
        assertThat(written.unconverted()).isEmpty();
        assertThat(ComposeFile.read(written.value(), "written").limits()).isEqualTo(file.limits());
        Map<String, ResourceLimits> odd = Map.of("quota", ResourceLimits.parse("cpu_quota=50000,cpu_period=50000,pids_limit=-1,memswap_limit=-1,mem_limit=1g"));
        var oddWritten = ComposeFile.write(odd);
        assertThat(oddWritten.unconverted()).isEmpty();
        assertThat(ComposeFile.read(oddWritten.value(), "written").limits()).isEqualTo(odd);
        assertThat(ComposeFile.write(Map.of("web", ResourceLimits.parse("mem_limit=512m,nano_cpus=500000000"))).value())
                .isEqualTo("services:\n  web:\n    deploy:\n      resources:\n        limits:\n          cpus: \"0.5\"\n"
                        + "          memory: 512m\n");
        assertThat(ComposeFile.write(Map.of("web", ResourceLimits.parse("cpuset_mems=0"))).unconverted())
                .containsExactly("web: cpuset_mems = 0: no key of a Compose service holds it");
    }

    @Test
    void json_scalarAliases_andMergeOrder_asYamlSaysThem() {
        assertThat(ComposeFile.read("{\"services\": {\"web\": {\"mem_limit\": \"1g\", \"cpus\": 0.25}}}", "c.json")
                .limits().get("web")).isEqualTo(ResourceLimits.parse("mem_limit=1g,nano_cpus=250000000"));
        String yaml = """
                x-a: &a {mem_limit: 1g, pids_limit: 10}
                x-b: &b {mem_limit: 2g, shm_size: 64m}
                x-mem: &mem 512m
                services:
                  first: {<<: [*a, *b]}
                  own: {<<: [*a, *b], pids_limit: 20}
                  alias: {mem_limit: *mem, deploy: {resources: {reservations: {memory: *mem}}}}
                """;
        Map<String, ResourceLimits> limits = ComposeFile.read(yaml, "c.yaml").limits();
        assertThat(limits.get("first")).isEqualTo(ResourceLimits.parse("mem_limit=1g,pids_limit=10,shm_size=64m"));
        assertThat(limits.get("own")).isEqualTo(ResourceLimits.parse("mem_limit=1g,pids_limit=20,shm_size=64m"));
        assertThat(limits.get("alias")).isEqualTo(ResourceLimits.parse("mem_limit=512m,mem_reservation=512m"));
    }

    @Test
    void mistakesOfShape_areNamed() {
        assertThatThrownBy(() -> ComposeFile.read("services:\n  web:\n    <<: 5\n", "c.yaml"))
                .hasMessage("invalid file c.yaml: line 3, column 9: services.web.<<: a merge key takes a map or a list of maps, not '5'");
        assertThatThrownBy(() -> ComposeFile.read("services: [web]\n", "c.yaml"))
                .hasMessage("invalid file c.yaml: line 1, column 11: services = (a list): must be a map of services, not a list");
        assertThatThrownBy(() -> ComposeFile.read("services:\n  web:\n", "c.yaml"))
                .hasMessageContaining("services.web = null: a service must be a map, not null");
        assertThatThrownBy(() -> ComposeFile.read("a: 1\n---\nb: 2\n", "c.yaml"))
                .hasMessage("invalid file c.yaml: document 2: a Compose file is one YAML document, not several");
        assertThatThrownBy(() -> ComposeFile.read("", "c.yaml")).hasMessage("invalid file c.yaml: empty: a Compose file is a map with services");
        // Both forms of the CPU limit: the daemon takes one, and the reader names both keys.
        assertThatThrownBy(() -> ComposeFile.read("services:\n  web:\n    cpu_quota: 50000\n    deploy:\n      resources:\n"
                + "        limits: {cpus: '1'}\n", "c.yaml"))
                .hasMessage("invalid file c.yaml: line 6, column 24: services.web.deploy.resources.limits.cpus = '1': cannot be"
                        + " combined with cpu_quota or cpu_period: the Docker daemon refuses both (\"Conflicting options\");"
                        + " give the CPU limit one way");
        assertThat(ComposeFile.read("services:\n  web:\n    cpu_count: 2\n    image: x\n", "c.yaml").entries().get(0)
                .limits().unconverted()).containsExactly("cpu_count = 2: no limit of this library holds it");
    }
}
