package org.containerlimits.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.containerlimits.cli.OfflineCli.Result;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.usage.CpuCapacity;
import org.containerlimits.core.usage.LimitsReading;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code limits recommend --from}: a file of readings in, a recommendation out, no daemon asked. */
class RecommendCommandTest {
    private static final Instant START = Instant.parse("2026-11-30T10:00:00Z");

    /** A reading of {@code limits stats --json}: a container held at its 0.5-core limit. */
    private static String heldAtHalfACore(String container, int second) {
        CpuCapacity capacity = CpuCapacity.of(ResourceLimits.parse("nano_cpus=500000000,mem_limit=1g"), 2);
        return ReadingJson.of(new LimitsReading(container, START.plusSeconds(second), Duration.ofSeconds(1),
                LimitsReading.State.RUNNING, "cgroup", 0.5, capacity, 100, OptionalDouble.of(50), 0.95,
                Duration.ofMillis(400), LimitsReading.CpuPressure.LIMIT, 300L << 20, OptionalLong.of(1L << 30),
                OptionalDouble.of(29.3), OptionalLong.empty(), 3, OptionalLong.empty(), false, OptionalLong.of(0),
                OptionalLong.of(0)));
    }

    private static Path file(Path dir, List<String> lines) throws IOException {
        return Files.write(dir.resolve("readings.jsonl"), lines, StandardCharsets.UTF_8);
    }

    @Test
    void readings_ofLimitsStatsJson_giveARecommendation_andTheLineThatAppliesIt(@TempDir Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= 60; i++) {
            lines.add(heldAtHalfACore("alice", i));
            lines.add(heldAtHalfACore("bob", i));
        }
        Result r = OfflineCli.limits("recommend", "--from", file(dir, lines).toString(), "alice");
        // Lower minimums than VPA's, as flags.
        Result low = OfflineCli.limits("recommend", "--from", dir.resolve("readings.jsonl").toString(), "--min-memory",
                "400m", "--min-cpus", "2", "--json", "alice");
        assertThat(low.out()).contains("\"mem_limit\":419430400").contains("\"nano_cpus\":2000000000");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("alice: 60 readings over 59s (confidence 0.00)")
                .contains("held at its limit of 0.5 cores 100% of the time")
                .contains("current      mem_limit=1g,nano_cpus=500000000")
                .contains("recommended  mem_limit=363m,mem_reservation=363m,nano_cpus=1150000000,pids_limit=64")
                .contains("apply        limits update --memory 363m --memory-reservation 363m --cpus 1.15"
                        + " --pids-limit 64 alice")
                .contains("or           docker update --memory 363m")
                .doesNotContain("bob");

        Result all = OfflineCli.limits("recommend", "--from", dir.resolve("readings.jsonl").toString(), "--json",
                "--policy", "nano_cpus=1000000000");
        assertThat(all.exitCode()).as(all.err()).isZero();
        assertThat(all.out().lines()).hasSize(2).allSatisfy(l -> assertThat(l)
                .contains("\"recommended\":{\"mem_limit\":380633088,\"mem_reservation\":380633088,\"nano_cpus\":1000000000")
                .contains("\"current\":{\"mem_limit\":1073741824,\"nano_cpus\":500000000}")
                .contains("\"censoredShare\":1,")
                .contains("policy: nano_cpus"));
    }

    @Test
    void save_writesAHistoryPerContainer_thatGivesTheSameRecommendationBack(@TempDir Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= 3600; i++) {
            lines.add(heldAtHalfACore("alice", i));
        }
        Path readings = file(dir, lines);
        Path saved = dir.resolve("alice.history");
        Result first = OfflineCli.limits("recommend", "--from", readings.toString(), "--save", saved.toString(), "--json");
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(Files.size(saved)).as("an hour of readings, %d bytes, kept in", Files.size(readings))
                .isLessThan(2_000);
        assertThat(Files.readString(saved)).startsWith("{\"history\":1,\"container\":\"alice\",\"samples\":3600,");

        Result again = OfflineCli.limits("recommend", "--from", saved.toString(), "--json");
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).isEqualTo(first.out());

        String line = Files.readString(saved).strip();
        Result bad = OfflineCli.limits("recommend", "--from",
                file(dir, List.of(line.replace("\"history\":1", "\"history\":2"))).toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("line 1: history = 2: must be 1, the only version of the format");
        Result censored = OfflineCli.limits("recommend", "--from",
                file(dir, List.of(line.replaceFirst("\"censoredSeconds\":[0-9.E]+", "\"censoredSeconds\":1e9"))).toString());
        assertThat(censored.exitCode()).isEqualTo(2);
        assertThat(censored.err()).contains("line 1: censoredSeconds 1.0E9 must be at most cpuSeconds");
    }

    @Test
    void a_badLine_isNamed_byLineFieldAndRule_exitTwo(@TempDir Path dir) throws IOException {
        String good = heldAtHalfACore("alice", 1);
        Result r = OfflineCli.limits("recommend", "--from",
                file(dir, List.of(good, good.replace("\"memoryBytes\":314572800", "\"memoryBytes\":-5"))).toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).endsWith(": line 2: memoryBytes = -5: must be a whole number of at least 0 and at"
                + " most 9223372036854775807").doesNotContain("Exception");

        Result missing = OfflineCli.limits("recommend", "--from",
                file(dir, List.of(good.replace("\"cpuLimitBasis\":\"NANO_CPUS\",", ""))).toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("line 1: cpuLimitBasis: missing");
    }

    @Test
    void hostileFiles_areRefusedFast(@TempDir Path dir) throws IOException {
        Path notUtf8 = dir.resolve("latin1.jsonl");
        Files.write(notUtf8, new byte[] {'{', '"', (byte) 0xE9, '"', '}', '\n'});
        Result r = OfflineCli.limits("recommend", "--from", notUtf8.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("line 1 is not valid UTF-8");

        Path huge = dir.resolve("huge.jsonl");
        Files.writeString(huge, "{\"container\":\"" + "x".repeat(10_000_000) + "\"}\n");
        long start = System.nanoTime();
        Result h = OfflineCli.limits("recommend", "--from", huge.toString());
        assertThat(h.exitCode()).isEqualTo(2);
        assertThat(h.err()).contains("line 1 is longer than 262144 characters");
        assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);

        Path deep = dir.resolve("deep.jsonl");
        Files.writeString(deep, "[".repeat(50_000) + "\n");
        Result d = OfflineCli.limits("recommend", "--from", deep.toString());
        assertThat(d.exitCode()).isEqualTo(2);
        assertThat(d.err()).contains("line 1: ").doesNotContain("Exception");
    }

    @Test
    void missingChoices_andBadOptions_exitTwo(@TempDir Path dir) {
        assertThat(OfflineCli.limits("recommend", "alice").err())
                .contains("limits recommend: give --from FILE, --watch DURATION or both");
        assertThat(OfflineCli.limits("recommend", "--watch", "30s").err())
                .contains("--watch '30s': name the containers to watch");
        assertThat(OfflineCli.limits("recommend", "--from", dir.resolve("none").toString()).err())
                .contains("no such file");
        assertThat(OfflineCli.limits("recommend", "--from", dir.toString(), "--min-memory", "1m").err())
                .contains("--min-memory '1m': minimum memory 1m must be at least 6m");
        assertThat(OfflineCli.limits("recommend", "--from", dir.toString(), "--half-life", "0s").err())
                .contains("--half-life '0s': expected a positive whole number and a unit");
        Result p = OfflineCli.limits("recommend", "--from", dir.toString(), "--policy", "mem_limit=1x");
        assertThat(p.exitCode()).isEqualTo(2);
        assertThat(p.err()).contains("--policy 'mem_limit=1x': ");
    }
}
