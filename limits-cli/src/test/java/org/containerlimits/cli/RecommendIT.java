package org.containerlimits.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.HostConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.containerlimits.cli.LiveCli.Result;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.format.DockerCliFlags;
import org.containerlimits.docker.DaemonTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code limits recommend} on real containers: watched half a minute, each recommendation judged
 * against the load it must carry, then applied with {@code limits update} and the load watched
 * again, by the container's own cgroup counters.
 */
class RecommendIT extends DaemonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MIB = 1024L * 1024;

    /** One busy shell: it wants a whole core. */
    private static final List<String> ONE_CORE = List.of("sh", "-c", "while :; do :; done");
    /** A busy process let run 35 ms in every 200, with the shell's own work about 0.2 cores on any CPU. */
    private static final List<String> FIFTH_OF_A_CORE = List.of("sh", "-c",
            "yes >/dev/null & p=$!; while :; do sleep 0.035; kill -STOP $p; sleep 0.165; kill -CONT $p; done");
    /** A notebook whose kernel asks 100 MiB each second: the OOM killer ends each ask, the shell lives on. */
    private static final List<String> ASKS_100M = List.of("sh", "-c",
            "while :; do dd if=/dev/zero of=/dev/null bs=100M count=1 2>/dev/null; sleep 1; done");

    private String start(List<String> command, HostConfig limits) {
        return containers.start(cmd -> cmd.withCmd(command).withHostConfig(limits));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> line(String out, String container) throws Exception {
        for (String l : out.lines().toList()) {
            Map<String, Object> o = JSON.readValue(l, Map.class);
            if (container.equals(o.get("container"))) {
                return o;
            }
        }
        throw new AssertionError("no line for " + container + " in " + out);
    }

    @SuppressWarnings("unchecked")
    private static ResourceLimits limits(Map<String, Object> o, String key) {
        return ResourceLimits.fromDockerPy((Map<String, Object>) o.get(key));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> evidence(Map<String, Object> o) {
        return (Map<String, Object>) o.get("evidence");
    }

    private static double cores(ResourceLimits l) {
        return l.cpu().orElseThrow().cores().doubleValue();
    }

    @Test
    void halfAMinuteOfWatching_rightSizesCpuAndMemory_andTheRecommendationCarriesTheLoad(@TempDir Path dir)
            throws Exception {
        String capped = start(ONE_CORE, HostConfig.newHostConfig().withNanoCPUs(500_000_000L));
        String light = start(FIFTH_OF_A_CORE, HostConfig.newHostConfig().withNanoCPUs(2_000_000_000L));
        String killed = start(ASKS_100M, HostConfig.newHostConfig().withMemory(64 * MIB).withMemorySwap(64 * MIB));
        Path recording = dir.resolve("readings.jsonl");

        Result watched = LiveCli.limits("recommend", "--watch", "30s", "--record", recording.toString(), "--json",
                capped, light, killed);
        assertThat(watched.exitCode()).as(watched.err()).isZero();

        Map<String, Object> c = line(watched.out(), capped);
        assertThat(cores(limits(c, "current"))).isEqualTo(0.5);
        assertThat(cores(limits(c, "recommended"))).as("needs a core, held at 0.5").isGreaterThanOrEqualTo(0.9);
        assertThat(((Number) evidence(c).get("censoredShare")).doubleValue()).isGreaterThan(0.5);
        assertThat(c.get("notes").toString()).contains("CPU held at its limit (0.5 cores)");

        Map<String, Object> l = line(watched.out(), light);
        assertThat(cores(limits(l, "recommended"))).as("uses 0.2 of 2 cores").isLessThanOrEqualTo(0.35);

        Map<String, Object> k = line(watched.out(), killed);
        assertThat(((Number) evidence(k).get("oomKills")).longValue()).isPositive();
        assertThat(limits(k, "recommended").memory().orElseThrow().toBytes()).as("OOM-killed at 64m")
                .isGreaterThanOrEqualTo(164 * MIB);

        // The recording reads back into the same judgement, with no daemon asked for limits.
        Result replayed = LiveCli.limits("recommend", "--from", recording.toString(), "--json", capped);
        assertThat(replayed.exitCode()).as(replayed.err()).isZero();
        assertThat(cores(limits(line(replayed.out(), capped), "recommended"))).isGreaterThanOrEqualTo(0.9);
        assertThat(Files.readAllLines(recording)).hasSizeGreaterThan(3 * 20);

        // Applied, the same loads run unthrottled and un-killed.
        for (var entry : Map.of(capped, c, killed, k).entrySet()) {
            List<String> args = new ArrayList<>(List.of("update"));
            args.addAll(DockerCliFlags.write(limits(entry.getValue(), "changes")).value());
            args.add(entry.getKey());
            Result updated = LiveCli.limits(args.toArray(String[]::new));
            assertThat(updated.exitCode()).as(args + ": " + updated.err()).isZero();
        }
        assertThat(docker.read(capped).cpu().orElseThrow().cores().doubleValue()).isGreaterThanOrEqualTo(0.9);
        assertThat(docker.read(killed).memory().orElseThrow().toBytes()).isGreaterThanOrEqualTo(164 * MIB);

        Result after = LiveCli.limits("stats", "--samples", "6", "--interval", "1s", "--json", capped, killed);
        assertThat(after.exitCode()).as(after.err()).isZero();
        List<Map<String, Object>> readings = new ArrayList<>();
        for (String text : after.out().lines().toList()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> r = JSON.readValue(text, Map.class);
            if ("RUNNING".equals(r.get("state"))) {
                readings.add(r);
            }
        }
        assertThat(readings).filteredOn(r -> capped.equals(r.get("container"))).hasSizeGreaterThanOrEqualTo(4)
                .allSatisfy(r -> {
                    assertThat(((Number) r.get("cpuCores")).doubleValue()).as("still busy").isGreaterThan(0.8);
                    assertThat(((Number) r.get("throttledRatio")).doubleValue()).as("unthrottled").isLessThan(0.05);
                    assertThat(r.get("cpuPressure")).isNotEqualTo("LIMIT");
                });
        assertThat(readings).filteredOn(r -> killed.equals(r.get("container"))).hasSizeGreaterThanOrEqualTo(4)
                .allSatisfy(r -> assertThat(((Number) r.get("oomKillsInInterval")).longValue()).as("un-killed")
                        .isZero());
    }

    /** Stopped early (the signal Ctrl-C sends runs the same shutdown), a watch still prints what it learned. */
    @Test
    void a_watchEndedEarly_byASignal_printsWhatItLearned(@TempDir Path dir) throws Exception {
        String busy = start(ONE_CORE, HostConfig.newHostConfig().withNanoCPUs(500_000_000L));
        Path saved = dir.resolve("busy.history");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                Path.of("target", "limits.jar").toString(), "recommend", "--watch", "10m", "--save", saved.toString(),
                "--json", busy).redirectError(dir.resolve("err.txt").toFile())
                .redirectOutput(dir.resolve("out.txt").toFile()).start(); // destroy() closes our pipes
        Thread.sleep(8_000);
        long stopped = System.nanoTime();
        p.destroy(); // SIGTERM: the JVM runs its shutdown hooks, as on Ctrl-C's SIGINT
        assertThat(p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(dir.resolve("out.txt"));
        assertThat(System.nanoTime() - stopped).as("ends within the grace").isLessThan(12_000_000_000L);
        Map<String, Object> line = line(out, busy);
        assertThat(((Number) evidence(line).get("samples")).longValue()).as(Files.readString(dir.resolve("err.txt")))
                .isGreaterThanOrEqualTo(3);
        assertThat(cores(limits(line, "recommended"))).isGreaterThanOrEqualTo(0.9);
        assertThat(Files.readString(saved)).startsWith("{\"history\":1,\"container\":\"" + busy + "\"");
    }
}
