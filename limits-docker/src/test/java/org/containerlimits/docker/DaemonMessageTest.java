package org.containerlimits.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.InternalServerErrorException;
import org.junit.jupiter.api.Test;

/** The daemon's own words, out of docker-java's "Status N: {json}" messages, unescaped and on one line. */
class DaemonMessageTest {

    @Test
    void runcErrors_areUnescaped_ontoOneLine() {
        // The body of a create that runc refused (Docker 20.10); docker-java prefixes "Status 500: ".
        String body = "{\"message\":\"OCI runtime create failed: container_linux.go:380: starting container"
                + " process caused: process_linux.go:545: container init caused: write /sys/fs/cgroup/cpuset/docker/"
                + "abc/cpuset.cpus: invalid argument\\n: unknown\"}\n";
        DaemonRejectedException e = DaemonFailures.rejected("start container abc", new InternalServerErrorException(body));
        assertThat(e.daemonMessage()).isEqualTo("OCI runtime create failed: container_linux.go:380: starting container"
                + " process caused: process_linux.go:545: container init caused: write /sys/fs/cgroup/cpuset/docker/"
                + "abc/cpuset.cpus: invalid argument : unknown");
        assertThat(e.statusCode()).isEqualTo(500);
        assertThat(e.getMessage()).doesNotContain("\\n").doesNotContain("\n");
    }

    @Test
    void quotesBackslashesAndUnicodeEscapes_areReadAsJsonReadsThem() {
        String body = "{\"message\":\"Conflict. The name \\\"/jupyter-alice\\\" is already in use"
                + " by container \\u0022abc\\u0022 at C:\\\\x\\/y\"}";
        assertThat(DaemonFailures.daemonMessage(new DockerException(body, 409)))
                .isEqualTo("Conflict. The name \"/jupyter-alice\" is already in use by container \"abc\" at C:\\x/y");
    }

    @Test
    void aMessageWithoutJson_isKeptAsItIs() {
        assertThat(DaemonFailures.daemonMessage(new DockerException("page not found \n", 404)))
                .isEqualTo("Status 404: page not found");
    }
}
