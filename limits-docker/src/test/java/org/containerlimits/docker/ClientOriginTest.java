package org.containerlimits.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A client's failures name its host and response timeout when whoever built it registered them
 * (limits-docker-client's {@code DockerClients} does), and read "The Docker daemon ..." for any
 * other client, such as Testcontainers'.
 */
class ClientOriginTest {

    /** A client that is never called: only its identity matters here. */
    private static DockerClient someClient() {
        return (DockerClient) Proxy.newProxyInstance(DockerClient.class.getClassLoader(),
                new Class<?>[] {DockerClient.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "someClient";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static RuntimeException timedOut() {
        return new RuntimeException(new SocketTimeoutException("Read timed out"));
    }

    @Test
    void aRegisteredClientsFailures_nameItsHostAndTimeout() {
        DockerClient client = someClient();
        ClientOrigin.register(client, new ClientOrigin("tcp://10.0.0.5:2375", Duration.ofMillis(1500)));

        assertThat(ClientOrigin.of(client)).hasValue(new ClientOrigin("tcp://10.0.0.5:2375", Duration.ofMillis(1500)));
        RuntimeException e = DaemonFailures.of(client, "inspect container c1", timedOut());
        assertThat(e).isInstanceOf(DockerUnavailableException.class)
                .hasMessageStartingWith("The Docker daemon at tcp://10.0.0.5:2375 did not answer within 1500 ms"
                        + " (the client's response timeout) to inspect container c1");
        assertThat(((DockerUnavailableException) e).dockerHost()).isEqualTo("tcp://10.0.0.5:2375");

        RuntimeException gone = DaemonFailures.of(client, "inspect container c1",
                new RuntimeException(new IOException("Broken pipe")));
        assertThat(gone).hasMessageStartingWith("The Docker daemon at tcp://10.0.0.5:2375 could not be reached to"
                + " inspect container c1 (IOException: Broken pipe)");
    }

    @Test
    void aClientOfUnknownOrigin_isTheDockerDaemon() {
        DockerClient client = someClient();

        assertThat(ClientOrigin.of(client)).isEmpty();
        RuntimeException e = DaemonFailures.of(client, "inspect container c1", timedOut());
        assertThat(e).isInstanceOf(DockerUnavailableException.class)
                .hasMessageStartingWith("The Docker daemon did not answer in time to inspect container c1");
        assertThat(((DockerUnavailableException) e).dockerHost()).isEqualTo("unknown");
    }

    @Test
    void timeoutsReadAsPeopleWriteThem() {
        assertThat(new ClientOrigin("unix:///x", Duration.ofSeconds(30)).responseTimeoutText()).isEqualTo("30 s");
        assertThat(new ClientOrigin("unix:///x", Duration.ofMillis(2500)).responseTimeoutText()).isEqualTo("2500 ms");
        assertThatThrownBy(() -> new ClientOrigin(null, Duration.ofSeconds(1))).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ClientOrigin.register(someClient(), null)).isInstanceOf(NullPointerException.class);
    }
}
