package org.containerlimits.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import com.github.dockerjava.api.DockerClient;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.containerlimits.core.usage.InvalidSampleException;
import org.containerlimits.core.usage.LimitsReading;
import org.containerlimits.docker.stats.StatsReader;
import org.containerlimits.docker.stats.StatsSourceKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A daemon that answers nonsense, through a fake Engine API on a real Unix socket and the real
 * docker-java client: impossible counters never become readings, and undecodable replies are
 * reported as what they are, not as a daemon that could not be reached.
 */
@Timeout(60)
class HostileDaemonTest {
    private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");
    private static final long S = 1_000_000_000L;
    private static final Duration APART = Duration.ofMillis(300);

    private FakeEngine engine;
    private DockerClient client;
    private StatsReader reader;

    @BeforeEach
    void start() {
        engine = FakeEngine.start();
        engine.container("c1");
        client = TestClients.forHost(engine.dockerHost(), Duration.ofSeconds(5));
        reader = StatsReader.builder(client).source(StatsSourceKind.API).build();
    }

    @AfterEach
    void stop() throws IOException {
        reader.close();
        client.close();
        engine.close();
    }

    /** Second {@code n} of a container using half a core, with 100 MiB of memory and 5 tasks. */
    private static FakeEngine.StatsJson at(int n) {
        return new FakeEngine.StatsJson().read(T0.plusSeconds(n)).preread(T0.plusSeconds(n - 1))
                .cpu(n * S / 2, (n - 1) * S / 2).systemCpu(2 * n * S, 2 * (n - 1) * S)
                .memory(100L << 20, 512L << 20).inactiveFile(0).pids(5);
    }

    @Test
    void negativeMemoryFromTheDaemon_isRefusedNamingTheField_andTheNextValidSampleReads() throws Exception {
        // Once: memoryBytes = -10000000, memoryPercentOfLimit = -14.9.
        engine.stats("c1", List.of(at(1).memory(-10_000_000L, 512L << 20).json(), at(2).json(), at(3).json()), APART);
        InvalidSampleException e = catchThrowableOfType(InvalidSampleException.class, () -> reader.read("c1"));
        assertThat(e).hasMessage("container c1 (source api): memoryUsageBytes = -10000000 is negative;"
                + " a memory figure never is");
        assertThat(e.field()).isEqualTo("memoryUsageBytes");
        Thread.sleep(2 * APART.toMillis() + 200);
        LimitsReading r = reader.read("c1");
        assertThat(r.state()).isEqualTo(LimitsReading.State.RUNNING);
        assertThat(r.memoryBytes()).isEqualTo(100L << 20);
        assertThat(r.cpuCores()).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void negativePids_areRefused() {
        // Once: pids = -3.
        engine.stats("c1", List.of(at(1).pids(-3).json()), APART);
        assertThatThrownBy(() -> reader.read("c1")).isInstanceOf(InvalidSampleException.class)
                .hasMessageStartingWith("container c1 (source api): pids = -3 is outside 0 to 4194304");
    }

    @Test
    void aSampleDatedInTheYear2999_isRefused_andTheNextReadSpansIt() throws Exception {
        // Once: ArithmeticException (long overflow), then a 1 ns interval at 1.0E11 % of the limit.
        String future = at(2).read(Instant.parse("2999-01-01T00:00:00Z")).json();
        engine.stats("c1", List.of(at(1).json(), future, at(3).json()), APART);
        assertThat(reader.read("c1").cpuCores()).isCloseTo(0.5, within(1e-9));
        Thread.sleep(APART.toMillis() + 100);
        assertThatThrownBy(() -> reader.read("c1")).isInstanceOf(InvalidSampleException.class)
                .hasMessage("container c1 (source api): time = 2999-01-01T00:00:00Z is outside 1970-01-01T00:00:00Z"
                        + " to 2200-01-01T00:00:00Z, the window of a working clock");
        Thread.sleep(APART.toMillis() + 100);
        LimitsReading r = reader.read("c1");
        assertThat(r.interval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(r.cpuCores()).isCloseTo(0.5, within(1e-9));
        assertThat(r.cpuPercentOfLimit()).isCloseTo(25.0, within(1e-9));
    }

    @Test
    void countersNearTwoToThe63_areRefused() throws Exception {
        // Once: cpuCores = 9.2E9, cpuPercentOfLimit = 1.8E12, memoryPercentOfLimit = 1.4E13, RUNNING.
        engine.stats("c1", List.of(at(1).json(), at(2).cpu(Long.MAX_VALUE - 1, S / 2).json(),
                at(3).memory(Long.MAX_VALUE - 1, 512L << 20).json()), APART);
        reader.read("c1");
        Thread.sleep(APART.toMillis() + 100);
        InvalidSampleException cpu = catchThrowableOfType(InvalidSampleException.class, () -> reader.read("c1"));
        assertThat(cpu.field()).isEqualTo("cpuNanos");
        assertThat(cpu).hasMessage("container c1 (source api): cpuNanos = +9223372036354775806 ns in 1000000000 ns"
                + " is more CPU time than 2 CPUs can spend in that interval (at most CPUs x (1.25 x interval + 20 ms)"
                + " = 2540000000 ns)");
        Thread.sleep(APART.toMillis() + 100);
        assertThatThrownBy(() -> reader.read("c1")).isInstanceOf(InvalidSampleException.class)
                .hasMessageContaining("memoryUsageBytes = 9223372036854775806 is above 2^53 bytes");
    }

    @Test
    void numbersTheDecoderCannotTake_nameTheField_andSayTheDaemonAnswered() {
        // "NaN" for memory_stats.usage, 2^64-1 for a 64-bit counter.
        String nan = at(1).json().replace("\"usage\":" + (100L << 20), "\"usage\":\"NaN\"");
        assertThat(nan).contains("\"usage\":\"NaN\"");
        engine.stats("c1", List.of(nan), APART);
        DaemonReplyException e = catchThrowableOfType(DaemonReplyException.class, () -> reader.read("c1"));
        assertThat(e.field()).hasValue("memory_stats.usage");
        assertThat(e).hasMessageStartingWith("The Docker daemon at " + engine.dockerHost()
                        + " answered to read the stats of container c1 with a reply that cannot be decoded,"
                        + " at memory_stats.usage: ")
                .hasMessageContaining("It was reached")
                .hasMessageNotContaining("could not be reached");
        reader.forget("c1");

        String huge = at(1).json().replace("\"total_usage\":" + S / 2, "\"total_usage\":18446744073709551615");
        assertThat(huge).contains("18446744073709551615");
        engine.stats("c1", List.of(huge), APART);
        DaemonReplyException overflow = catchThrowableOfType(DaemonReplyException.class, () -> reader.read("c1"));
        assertThat(overflow.field()).hasValue("cpu_stats.cpu_usage.total_usage");
        assertThat(overflow).hasMessageContaining("18446744073709551615");
    }

    @Test
    void yesForABoolean_inInspect_namesTheField() {
        String id = engine.container("c1").id();
        engine.respond("GET", "/containers/c1/json", 200, "application/json", "{\"Id\":\"" + id + "\",\"Name\":\"/c1\","
                + "\"State\":{\"Running\":true,\"OOMKilled\":\"yes\",\"Pid\":0},\"HostConfig\":{}}");
        DaemonReplyException e = catchThrowableOfType(DaemonReplyException.class, () -> reader.read("c1"));
        assertThat(e.field()).hasValue("State.OOMKilled");
        assertThat(e).hasMessageStartingWith("The Docker daemon at " + engine.dockerHost()
                + " answered to inspect container c1 with a reply that cannot be decoded, at State.OOMKilled: ");
    }

    @Test
    void jsonNestedTwoThousandLevelsDeep_isRefusedAtTheDecodersLimit() {
        String deep = "[".repeat(2000) + "]".repeat(2000);
        engine.respond("GET", "/containers/c1/json", 200, "application/json",
                "{\"Id\":\"" + engine.container("c1").id() + "\",\"Extra\":" + deep + "}");
        long t0 = System.nanoTime();
        DaemonReplyException e = catchThrowableOfType(DaemonReplyException.class, () -> reader.read("c1"));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        assertThat(e).hasMessageContaining("cannot be decoded").hasMessageContaining("nesting depth");
    }

    @Test
    void aHundredMegabyteString_isRefusedFast_inBoundedMemory() {
        engine.respond("GET", "/containers/c1/json", 200, "application/json",
                FakeEngine.repeated("{\"Id\":\"" + engine.container("c1").id() + "\",\"Name\":\"", (byte) 'a',
                        100_000_000L, "\"}"));
        long t0 = System.nanoTime();
        DaemonReplyException e = catchThrowableOfType(DaemonReplyException.class, () -> reader.read("c1"));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        // Jackson stops at 20,000,000 characters: a bounded buffer, not the 100 MB the daemon sent.
        assertThat(e).hasMessageContaining("cannot be decoded").hasMessageContaining("String value length");
        assertThat(e.getMessage().length()).isLessThan(1000);
    }

    @Test
    void textThatIsNotJson_isAReplyError() {
        engine.respond("GET", "/containers/c1/json", 200, "application/json", "<html>hello</html>");
        assertThatThrownBy(() -> reader.read("c1")).isInstanceOf(DaemonReplyException.class)
                .hasMessageContaining("answered to inspect container c1 with a reply that cannot be decoded");
    }
}
