package org.containerlimits.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.HostConfig;
import java.util.Map;
import org.containerlimits.core.ResourceLimits;
import org.junit.jupiter.api.Test;

/**
 * Reading back gives what was asked: create records the request on the container (a label), and
 * read gives it back wherever the daemon holds it, values the daemon stores as its defaults
 * included; a container created otherwise reads as the daemon holds it.
 */
class ReadBackIT extends DaemonTest {
    private static final ResourceLimits ASKED = ResourceLimits.parse("mem_limit=64m,memswap_limit=128m,shm_size=64m");

    @Test
    void anExplicitSwapOfTwiceTheMemory_readsBackAsAsked() {
        AppliedLimits applied = docker.create(sleeper(), ASKED);
        String id = containers.track(applied.containerId());
        assertThat(applied.effective()).isEqualTo(ASKED);
        assertThat(applied.mismatches()).isEmpty();
        assertThat(docker.read(id)).isEqualTo(ASKED);
        assertThat(docker.readBack(id).mismatches()).isEmpty();
        assertThat(client.inspectContainerCmd(id).exec().getConfig().getLabels())
                .containsEntry(DockerLimits.REQUESTED_LABEL, ASKED.toString());
        // The daemon holds its defaults, which alone read as not set.
        assertThat(DockerLimits.fromHostConfig(client.inspectContainerCmd(id).exec().getHostConfig()).toString())
                .isEqualTo("mem_limit=64m");
    }

    @Test
    void aContainerCreatedWithoutTheLibrary_readsAsTheDaemonHoldsIt() {
        String id = containers.track(sleeper().withHostConfig(HostConfig.newHostConfig()
                .withMemory(64L << 20).withMemorySwap(128L << 20)).exec().getId());
        assertThat(docker.read(id).toString()).isEqualTo("mem_limit=64m");
        AppliedLimits back = docker.readBack(id);
        assertThat(back.requested()).isEqualTo(back.effective());
        assertThat(back.mismatches()).isEmpty();
    }

    @Test
    void aLabelThatHoldsNoLimits_isIgnored() {
        String id = containers.track(createCmd(Containers.DEFAULT_COMMAND)
                .withLabels(Map.of(Containers.LABEL, "true", DockerLimits.REQUESTED_LABEL, "mem_limit=lots,privileged=true"))
                .withHostConfig(HostConfig.newHostConfig().withMemory(64L << 20)).exec().getId());
        assertThat(docker.read(id).toString()).isEqualTo("mem_limit=64m");
    }

    @Test
    void aLiveUpdate_readsAsTheDaemonHoldsIt_andReadBackNamesWhatChangedSinceCreate() {
        AppliedLimits applied = docker.create(sleeper(), ASKED);
        String id = containers.track(applied.containerId());
        client.startContainerCmd(id).exec();
        docker.update(id, ResourceLimits.parse("mem_limit=96m"));
        // Memory+swap followed the memory as the daemon's own update does: twice it, its default.
        assertThat(docker.read(id).toString()).isEqualTo("mem_limit=96m,shm_size=64m");
        assertThat(docker.readBack(id).mismatches()).extracting(Mismatch::field).contains("mem_limit");
    }
}
