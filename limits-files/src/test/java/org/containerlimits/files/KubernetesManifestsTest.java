package org.containerlimits.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.containerlimits.core.ResourceLimits;
import org.junit.jupiter.api.Test;

/** Multi-document manifests: workloads, init containers, other kinds skipped, List, JSON. */
class KubernetesManifestsTest {

    @Test
    void aMultiDocumentStream_namesEveryContainer_andSkipsOtherKinds() throws Exception {
        FileLimits file = KubernetesManifests.read(ComposeFileTest.resource("manifests.yaml"), "manifests.yaml");
        assertThat(file.limits().keySet()).containsExactly("Deployment/web/container/app", "Deployment/web/container/sidecar",
                "batch/CronJob/report/container/report", "Pod/debug/initContainer/setup", "Pod/debug/container/shell");
        assertThat(file.limits().get("Deployment/web/container/app").toDockerPy()).isEqualTo(Map.of(
                "mem_limit", 1L << 30, "mem_reservation", 512L << 20, "cpu_quota", 50_000L, "cpu_period", 100_000L,
                "cpu_shares", 256L));
        assertThat(file.limits().get("batch/CronJob/report/container/report").toDockerPy()).isEqualTo(Map.of(
                "mem_limit", 2L << 30, "cpu_quota", 100_000L, "cpu_period", 100_000L));
        assertThat(file.entries().get(2).limits().unconverted())
                .containsExactly("limits.ephemeral-storage = '1Gi': no Docker limit for this resource");
        assertThat(file.entries().get(2).path()).isEqualTo("document 3: spec.jobTemplate.spec.template.spec.containers[0]");
        assertThat(file.limits().get("Pod/debug/initContainer/setup").toDockerPy()).isEqualTo(Map.of("mem_limit", 64L << 20));
        assertThat(file.limits().get("Pod/debug/container/shell")).isEqualTo(ResourceLimits.fromDockerPy(Map.of()));
        assertThat(file.skipped()).containsExactly("document 2: Service/web: no containers");
    }

    @Test
    void aJsonList_isReadToo() throws Exception {
        FileLimits file = KubernetesManifests.read(ComposeFileTest.resource("list.json"), "list.json");
        assertThat(file.limits().keySet()).containsExactly("StatefulSet/db/container/postgres");
        assertThat(file.skipped()).containsExactly("document 1 items[1]: ConfigMap/settings: no containers");
    }

    @Test
    void badQuantities_areNamedByDocumentPathLineAndColumn() {
        assertThatThrownBy(() -> KubernetesManifests.read("kind: Service\n---\nkind: Pod\nmetadata: {name: p}\nspec:\n"
                + "  containers:\n  - name: c\n    resources:\n      limits: {memory: 500m}\n", "bad.yaml"))
                .isInstanceOf(InvalidFileException.class)
                .hasMessageStartingWith("invalid file bad.yaml: line 9, column 24: document 2:"
                        + " spec.containers[0].resources.limits.memory = '500m': ");
    }

    @Test
    void writing_thenReading_givesTheSameLimits() throws Exception {
        FileLimits file = KubernetesManifests.read(ComposeFileTest.resource("manifests.yaml"), "manifests.yaml");
        var written = KubernetesManifests.write(file.limits());
        assertThat(written.unconverted()).isEmpty();
        assertThat(KubernetesManifests.read(written.value(), "written").limits()).isEqualTo(file.limits());
        assertThat(KubernetesManifests.write(Map.of("Deployment/web/container/app",
                ResourceLimits.parse("mem_limit=1g,nano_cpus=500000000"))).value()).isEqualTo("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  template:
                    spec:
                      containers:
                        - name: app
                          resources:
                            limits:
                              cpu: 500m
                              memory: 1Gi
                """);
        assertThatThrownBy(() -> KubernetesManifests.write(Map.of("Service/web/container/app", ResourceLimits.parse("mem_limit=1g"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a container's name");
    }

    @Test
    void twoContainersOfOneName_andContainersWithoutNames_areErrors() {
        assertThatThrownBy(() -> KubernetesManifests.read("kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
                + "  - {name: c}\n  - {name: c}\n  - {image: x}\n", "k.yaml"))
                .isInstanceOf(InvalidFileException.class)
                .hasMessage("invalid file k.yaml (2 problems):\n"
                        + "  line 7, column 5: spec.containers[2]: a container must be a map with a name\n"
                        + "  document 1: spec.containers[1]: a second container named Pod/p/container/c");
        assertThatThrownBy(() -> KubernetesManifests.read("kind: Deployment\nmetadata: {name: d}\nspec: {replicas: 2}\n", "k.yaml"))
                .hasMessage("invalid file k.yaml: spec.template.spec = null: a Deployment must have a pod spec here, a map");
        assertThat(KubernetesManifests.read("# nothing\n---\n---\n", "k.yaml").entries()).isEmpty();
        assertThatThrownBy(() -> KubernetesManifests.read(ComposeFileTest.resource("compose-app.yaml"), "compose.yaml"))
                .hasMessage("invalid file compose.yaml: line 3, column 1: document 1: kind = null: not a Kubernetes object,"
                        + " which names its kind");
    }
}
