package org.containerlimits.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.containerlimits.core.format.ComposeResources;
import org.containerlimits.core.format.DockerCliFlags;
import org.containerlimits.core.format.EngineHostConfig;
import org.containerlimits.core.InvalidLimitsException;
import org.containerlimits.core.format.KubernetesResources;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.Violation;
import org.containerlimits.testing.BusyboxImage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A limits config that tries to carry anything that is not a limit (privileged mode, bind mounts,
 * devices, capabilities, host namespaces, a shell command after a cpuset) is rejected, naming the
 * key and its value, before a single byte reaches the daemon: every input goes the whole way a
 * spawner would send it (read, then {@link DockerLimits#create}) through a client whose socket is a
 * {@link DaemonProxy} that counts what is sent, and no container appears.
 */
class HostileConfigIT extends DaemonTest {
    private static DaemonProxy proxy;
    private static DockerClient proxied;

    @BeforeAll
    static void throughAProxy() throws IOException {
        proxy = DaemonProxy.start(Path.of("/var/run/docker.sock"));
        proxied = TestClients.forHost(proxy.dockerHost(), TestClients.RESPONSE_TIMEOUT);
    }

    private static int rejected;
    private static long bytesSent;

    @AfterAll
    static void closeProxy() throws IOException {
        ReliabilityFigures.record("hostile config", "%d configs carrying privileged, binds, devices, capabilities,"
                + " host namespaces, security options or commands after a value: %d rejected naming the key, %d bytes"
                + " of them sent to the daemon", hostileConfigs().count(), rejected, bytesSent);
        proxied.close();
        proxy.close();
    }

    static Stream<Arguments> hostileConfigs() {
        return Stream.of(
                // docker-py keyword maps, as a spawner's config file gives them
                hostile("docker-py privileged", "privileged", "true",
                        () -> ResourceLimits.fromDockerPy(map("mem_limit", "1g", "privileged", true))),
                hostile("docker-py binds", "binds", "/:/host",
                        () -> ResourceLimits.fromDockerPy(map("mem_limit", "1g", "binds", List.of("/:/host")))),
                hostile("docker-py devices", "devices", "/dev/sda",
                        () -> ResourceLimits.fromDockerPy(map("devices", List.of("/dev/sda:/dev/sda:rwm")))),
                hostile("docker-py cap_add", "cap_add", "SYS_ADMIN",
                        () -> ResourceLimits.fromDockerPy(map("cpu_quota", 50000, "cap_add", List.of("SYS_ADMIN")))),
                hostile("docker-py network_mode", "network_mode", "host",
                        () -> ResourceLimits.fromDockerPy(map("network_mode", "host"))),
                hostile("docker-py pid_mode", "pid_mode", "host",
                        () -> ResourceLimits.fromDockerPy(map("pid_mode", "host"))),
                hostile("docker-py security_opt", "security_opt", "seccomp=unconfined",
                        () -> ResourceLimits.fromDockerPy(map("security_opt", List.of("seccomp=unconfined")))),
                hostile("docker-py cpuset with a command", "cpuset_cpus", "0-1;reboot",
                        () -> ResourceLimits.fromDockerPy(map("cpuset_cpus", "0-1;reboot"))),
                hostile("docker-py size with a command", "mem_limit", "1g; reboot",
                        () -> ResourceLimits.fromDockerPy(map("mem_limit", "1g; reboot"))),
                // the text form
                hostile("text privileged", "privileged", "true",
                        () -> ResourceLimits.parse("mem_limit=1g,privileged=true")),
                hostile("text cpuset with a command", "cpuset_cpus", "0-1;reboot",
                        () -> ResourceLimits.parse("cpuset_cpus=0-1;reboot")),
                hostile("text with a second line", "mem_limit", "privileged=true",
                        () -> ResourceLimits.parse("mem_limit=1g\nprivileged=true")),
                // docker run flags
                hostile("flag --privileged", "--privileged", "",
                        () -> DockerCliFlags.read("--memory 1g --privileged").value()),
                hostile("flag -v", "-v", "/:/host", () -> DockerCliFlags.read("--memory=1g -v /:/host").value()),
                hostile("flag --device", "--device", "/dev/sda", () -> DockerCliFlags.read("--device /dev/sda").value()),
                hostile("flag --cap-add", "--cap-add", "SYS_ADMIN",
                        () -> DockerCliFlags.read(List.of("--cpus", "1", "--cap-add", "SYS_ADMIN")).value()),
                hostile("flag --network", "--network", "host", () -> DockerCliFlags.read("--network host").value()),
                hostile("flag --pid", "--pid", "host", () -> DockerCliFlags.read("--pid=host").value()),
                hostile("flag --cpuset-cpus with a command", "--cpuset-cpus", "0-1;reboot",
                        () -> DockerCliFlags.read(List.of("--cpuset-cpus", "0-1;reboot")).value()),
                // Compose deploy.resources, Kubernetes resources, Engine API HostConfig
                hostile("Compose privileged", "privileged", "true",
                        () -> ComposeResources.read(map("limits", map("memory", "1g"), "privileged", true)).value()),
                hostile("Compose devices in limits", "devices", "/dev/sda",
                        () -> ComposeResources.read(map("limits", map("memory", "1g", "devices", List.of("/dev/sda"))))
                                .value()),
                hostile("Kubernetes securityContext", "securityContext", "privileged",
                        () -> KubernetesResources.read(map("limits", map("memory", "1Gi"),
                                "securityContext", map("privileged", true))).value()),
                hostile("Kubernetes hostPath in limits", "hostPath", "/",
                        () -> KubernetesResources.read(map("limits", map("cpu", "1", "hostPath", "/"))).value()),
                hostile("Engine Privileged", "Privileged", "true",
                        () -> EngineHostConfig.read(map("Memory", 1073741824L, "Privileged", true)).value()),
                hostile("Engine Binds", "Binds", "/:/host",
                        () -> EngineHostConfig.read(map("Binds", List.of("/:/host"))).value()),
                hostile("Engine CapAdd", "CapAdd", "SYS_ADMIN",
                        () -> EngineHostConfig.read(map("CapAdd", List.of("SYS_ADMIN"))).value()),
                hostile("Engine NetworkMode", "NetworkMode", "host",
                        () -> EngineHostConfig.read(map("NetworkMode", "host")).value()),
                hostile("Engine Devices", "Devices", "/dev/sda",
                        () -> EngineHostConfig.read(map("Devices", List.of(map("PathOnHost", "/dev/sda")))).value()),
                hostile("Engine CpusetCpus with a command", "CpusetCpus", "0-1;reboot",
                        () -> EngineHostConfig.read(map("CpusetCpus", "0-1;reboot")).value()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileConfigs")
    void isRejected_namingTheKey_beforeAnythingReachesTheDaemon(String name, String field, String text,
            Supplier<ResourceLimits> read) {
        long sentBefore = proxy.requestBytes();
        Set<String> containersBefore = containerIds();

        Throwable thrown = catchThrowable(() -> {
            AppliedLimits created = DockerLimits.of(proxied).create(
                    proxied.createContainerCmd(BusyboxImage.NAME).withCmd("true")
                            .withLabels(Map.of(Containers.LABEL, "true")), read.get());
            containers.track(created.containerId()); // a failure of this test must not leave it behind
        });

        assertThat(thrown).as(name).isInstanceOf(InvalidLimitsException.class);
        List<Violation> violations = ((InvalidLimitsException) thrown).violations();
        // The key is named by a violation of its own; its value there, or (for a flag, whose value
        // is a word of its own) by the next one: the message names both.
        assertThat(violations).as(name).anySatisfy(v -> assertThat(v.field()).contains(field));
        assertThat(thrown.getMessage()).as(name).contains(field).contains(text);
        bytesSent += proxy.requestBytes() - sentBefore;
        assertThat(proxy.requestBytes()).as(name + ": bytes sent to the daemon").isEqualTo(sentBefore);
        // Only new containers count: another test's container may be removed meanwhile.
        assertThat(containerIds()).as(name + ": containers").isSubsetOf(containersBefore);
        rejected++;
    }

    private static Set<String> containerIds() {
        return client.listContainersCmd().withShowAll(true).exec().stream().map(Container::getId)
                .collect(Collectors.toSet());
    }

    private static Arguments hostile(String name, String field, String text, Supplier<ResourceLimits> read) {
        return Arguments.of(name, field, text, read);
    }

    /** A map that keeps its order and takes any value, as a parsed YAML or JSON config would be. */
    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
