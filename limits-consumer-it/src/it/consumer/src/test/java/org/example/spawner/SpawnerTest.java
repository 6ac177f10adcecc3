package org.example.spawner;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.containerlimits.cli.LimitsCommand;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.usage.LimitsReading;
import org.containerlimits.docker.DockerLimits;
import org.containerlimits.docker.client.DockerClients;
import org.containerlimits.docker.stats.StatsReader;
import org.containerlimits.examples.ApplyLimits;
import org.containerlimits.files.ComposeFile;
import org.containerlimits.micrometer.ContainerLimitsMetrics;
import org.containerlimits.testing.BusyboxImage;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * What a spawner's project gets from containerlimits when it imports the BOM, declares
 * Testcontainers first and logs through slf4j-simple. That its build converged is shown by its
 * enforcer having passed before this test ran.
 */
class SpawnerTest {

    /** slf4j-api 1.7 would find no binding in slf4j-simple 2 and drop every line (NOP). */
    @Test
    void slf4jTwoFindsItsBinding() {
        assertEquals("org.slf4j.simple.SimpleLoggerFactory", LoggerFactory.getILoggerFactory().getClass().getName());
    }

    /** Each published jar declares its module name; without it the JDK would derive limits.core and so on. */
    @Test
    void everyJarNamesItsModule() throws Exception {
        Map<Class<?>, String> modules = new LinkedHashMap<>();
        modules.put(ResourceLimits.class, "org.containerlimits.core");
        modules.put(ComposeFile.class, "org.containerlimits.files");
        modules.put(DockerLimits.class, "org.containerlimits.docker");
        modules.put(DockerClients.class, "org.containerlimits.docker.client");
        modules.put(ContainerLimitsMetrics.class, "org.containerlimits.micrometer");
        modules.put(BusyboxImage.class, "org.containerlimits.testing");
        modules.put(LimitsCommand.class, "org.containerlimits.cli");
        modules.put(ApplyLimits.class, "org.containerlimits.examples");
        for (Map.Entry<Class<?>, String> e : modules.entrySet()) {
            Path jar = Path.of(e.getKey().getProtectionDomain().getCodeSource().getLocation().toURI());
            assertTrue(Files.isRegularFile(jar) && jar.toString().endsWith(".jar"), jar + " is not a jar");
            try (JarFile file = new JarFile(jar.toFile())) {
                assertEquals(e.getValue(), file.getManifest().getMainAttributes().getValue("Automatic-Module-Name"),
                        jar.getFileName() + ": Automatic-Module-Name");
            }
            Set<ModuleReference> found = ModuleFinder.of(jar).findAll();
            assertEquals(1, found.size(), jar + ": modules");
            ModuleDescriptor module = found.iterator().next().descriptor();
            assertEquals(e.getValue(), module.name(), jar.getFileName() + ": the module name the JDK sees");
            assertTrue(module.isAutomatic(), jar.getFileName() + " is an automatic module");
        }
    }

    /** limits-core's javadoc jar is on the test class path; every page carries the footer. */
    @Test
    void theJavadocFooterStatesTheLicence() throws Exception {
        // javadoc writes element-list at the top of every javadoc jar, whatever its layout
        // (with a module name, the pages are under org.containerlimits.core/).
        List<URL> lists = Collections.list(SpawnerTest.class.getClassLoader().getResources("element-list"));
        URL list = lists.stream().filter(u -> u.toString().contains("limits-core-") && u.toString().contains("-javadoc.jar!"))
                .findFirst().orElseThrow(() -> new AssertionError("limits-core's javadoc jar is not on the class path: " + lists));
        Path jar = Path.of(((JarURLConnection) list.openConnection()).getJarFileURL().toURI());
        try (JarFile file = new JarFile(jar.toFile())) {
            JarEntry page = file.stream().filter(e -> e.getName().endsWith("/core/ResourceLimits.html")).findFirst()
                    .orElseThrow(() -> new AssertionError("no page for ResourceLimits in " + jar));
            try (InputStream in = file.getInputStream(page)) {
                String html = new String(in.readAllBytes(), UTF_8);
                assertTrue(html.contains("Apache License, Version 2.0"), page + ": the footer does not name the licence");
                assertFalse(html.contains("All rights reserved"), page + ": the footer says All rights reserved");
            }
        }
    }

    /**
     * Limits applied through Testcontainers' create-command modifier, on Testcontainers' own client,
     * then read back and read as a reading, with the library's log line arriving through slf4j-simple.
     */
    @Test
    void limitsThroughTheTestcontainersModifier_andAReading() throws Exception {
        assumeDocker();
        DockerClient client = DockerClientFactory.instance().client();
        String image = BusyboxImage.ensure(client);
        ResourceLimits limits = ResourceLimits.parse("mem_limit=96m,cpu_quota=50000,cpu_period=100000,pids_limit=40");
        try (GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(image))
                .withCommand("sleep", "600")
                .withLabel(BusyboxImage.LABEL, "true")
                .withCreateContainerCmdModifier(DockerLimits.modifier(limits))) {
            container.start();
            String id = container.getContainerId();

            assertEquals(limits, DockerLimits.of(client).read(id));

            PrintStream stderr = System.err;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            LimitsReading reading;
            System.setErr(new PrintStream(captured, true, UTF_8));
            try (StatsReader reader = StatsReader.of(client)) {
                reading = reader.read(id);
            } finally {
                System.setErr(stderr);
            }
            String log = captured.toString(UTF_8);
            stderr.print(log);
            String expected = "DEBUG org.containerlimits.docker.stats.ContainerTracker - container " + id.substring(0, 12);
            assertTrue(log.lines().anyMatch(line -> line.contains(expected)),
                    "no line with \"" + expected + "\" in what slf4j-simple wrote:\n" + log);

            assertEquals(LimitsReading.State.RUNNING, reading.state(), reading::toString);
            assertEquals(100_663_296L, reading.memoryLimitBytes().getAsLong(), reading::toString);
            assertEquals(40L, reading.pidsLimit().getAsLong(), reading::toString);
            assertEquals(0, new BigDecimal("0.5").compareTo(reading.cpuLimitCores()), reading::toString);
        }
    }

    /** As the library's own Docker tests: skipped without a daemon, except in CI (CI=true), where it fails. */
    private static void assumeDocker() {
        boolean ci = "true".equalsIgnoreCase(String.valueOf(System.getenv("CI")).trim());
        if (!ci) {
            Assumptions.assumeTrue(DockerClientFactory.instance().isDockerAvailable(),
                    "no Docker daemon; the test runs when one answers at DOCKER_HOST");
        }
    }
}
