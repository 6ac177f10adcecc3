package org.containerlimits.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;
import org.containerlimits.docker.stats.StatsReader;
import org.containerlimits.docker.stats.StatsSourceKind;
import org.junit.jupiter.api.Test;

/**
 * When {@code limits stats} opens its API streams through a client of their own, and how many it
 * sizes it for: every named container once more than the main client's pool can spare for streams
 * ({@value StatsReader.Builder#DEFAULT_MAX_API_STREAMS}), so that 300 or 1,000 containers are all read.
 */
class StatsStreamSizingTest {
    private static final int MAIN_CLIENT_CAP = StatsReader.Builder.DEFAULT_MAX_API_STREAMS;

    @Test
    void upToTheMainClientsCap_theStreamsShareIt() {
        assertThat(StatsCommand.apiStreams(StatsSourceKind.API, 1)).isEmpty();
        assertThat(StatsCommand.apiStreams(StatsSourceKind.API, MAIN_CLIENT_CAP)).isEmpty();
        assertThat(StatsCommand.apiStreams(StatsSourceKind.AUTO, MAIN_CLIENT_CAP)).isEmpty();
    }

    @Test
    void pastIt_theApiAndAutoSources_getAStreamClientForEveryContainer() {
        assertThat(StatsCommand.apiStreams(StatsSourceKind.API, MAIN_CLIENT_CAP + 1))
                .isEqualTo(OptionalInt.of(MAIN_CLIENT_CAP + 1));
        assertThat(StatsCommand.apiStreams(StatsSourceKind.API, 300)).isEqualTo(OptionalInt.of(300));
        assertThat(StatsCommand.apiStreams(StatsSourceKind.API, 1000)).isEqualTo(OptionalInt.of(1000));
        // auto settles each container's source only after the reader is built: all may be API.
        assertThat(StatsCommand.apiStreams(StatsSourceKind.AUTO, 300)).isEqualTo(OptionalInt.of(300));
    }

    @Test
    void theCgroupSource_opensNoStream() {
        assertThat(StatsCommand.apiStreams(StatsSourceKind.CGROUP, 1000)).isEmpty();
    }

    @Test
    void aCommandLineWithoutAStreamFactory_opensStreamsThroughItsOwnClient() {
        LimitsCommand command = new LimitsCommand(() -> {
            throw new AssertionError("no daemon needed");
        });
        assertThat(command.streamClient(302)).isNull();
    }
}
