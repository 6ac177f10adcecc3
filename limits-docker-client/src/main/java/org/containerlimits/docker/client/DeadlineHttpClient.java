package org.containerlimits.docker.client;

import com.github.dockerjava.transport.DockerHttpClient;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes the response timeout hold on every transport: a call that waits longer than it for the
 * daemon, for the response or for the next bytes of its body, fails with a
 * {@link SocketTimeoutException}.
 *
 * <p>Why: docker-java's Unix-socket transport reads through a blocking {@code SocketChannel}, which
 * ignores the socket timeout its HTTP client sets, so against a daemon that accepts and never
 * answers every call would hang forever. A watchdog thread interrupts a thread that waits too long;
 * interrupting a thread blocked on a channel closes the channel, which ends the wait and discards
 * the connection. The interrupt is cleared again before the caller sees the timeout.
 */
final class DeadlineHttpClient implements DockerHttpClient {
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    private final DockerHttpClient delegate;
    private final Duration timeout;
    private final long timeoutNanos;
    private final Set<Wait> waits = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService watchdog;

    DeadlineHttpClient(DockerHttpClient delegate, Duration timeout) {
        this.delegate = delegate;
        this.timeout = timeout;
        this.timeoutNanos = timeout.toNanos();
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "containerlimits-docker-deadline-" + CLIENTS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        // Checking a tenth of the timeout apart (at most 100 ms) lets a call overrun its timeout by
        // that much at most.
        long every = Math.max(1, Math.min(100, timeout.toMillis() / 10));
        watchdog.scheduleWithFixedDelay(this::interruptOverdue, every, every, TimeUnit.MILLISECONDS);
    }

    /** One thread waiting on the daemon; guarded by itself. */
    private static final class Wait {
        final Thread thread = Thread.currentThread();
        final long since = System.nanoTime();
        boolean active = true;
        boolean fired;
    }

    private interface Blocking<T> {
        T run() throws IOException;
    }

    private <T> T withDeadline(Blocking<T> op) throws IOException {
        Wait w = new Wait();
        waits.add(w);
        T result;
        try {
            result = op.run();
        } catch (IOException | RuntimeException | Error e) {
            if (finish(w)) {
                SocketTimeoutException t = timedOut();
                t.initCause(e);
                throw t;
            }
            throw e;
        }
        if (finish(w)) {
            throw timedOut();
        }
        return result;
    }

    /** Ends a wait; returns whether the watchdog interrupted it (its interrupt is then cleared). */
    private boolean finish(Wait w) {
        boolean fired;
        synchronized (w) {
            w.active = false;
            fired = w.fired;
        }
        waits.remove(w);
        if (fired) {
            Thread.interrupted();
        }
        return fired;
    }

    private void interruptOverdue() {
        long now = System.nanoTime();
        for (Wait w : waits) {
            if (now - w.since > timeoutNanos) {
                synchronized (w) {
                    if (w.active && !w.fired) {
                        w.fired = true;
                        w.thread.interrupt();
                    }
                }
            }
        }
    }

    private SocketTimeoutException timedOut() {
        return new SocketTimeoutException("no data from the Docker daemon within the response timeout of "
                + DurationText.of(timeout));
    }

    @Override
    public Response execute(Request request) {
        Response response;
        try {
            response = withDeadline(() -> delegate.execute(request));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new DeadlineResponse(response);
    }

    @Override
    public void close() throws IOException {
        watchdog.shutdownNow();
        delegate.close();
    }

    private final class DeadlineResponse implements Response {
        private final Response response;

        DeadlineResponse(Response response) {
            this.response = response;
        }

        @Override
        public int getStatusCode() {
            return response.getStatusCode();
        }

        @Override
        public Map<String, List<String>> getHeaders() {
            return response.getHeaders();
        }

        @Override
        public String getHeader(String name) {
            return response.getHeader(name);
        }

        @Override
        public InputStream getBody() {
            return new FilterInputStream(response.getBody()) {
                @Override
                public int read() throws IOException {
                    return withDeadline(in::read);
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return withDeadline(() -> in.read(b, off, len));
                }

                @Override
                public long skip(long n) throws IOException {
                    return withDeadline(() -> in.skip(n));
                }
            };
        }

        @Override
        public void close() {
            response.close();
        }
    }

    /** Formats a timeout the way people write it: "2 s", "1500 ms". */
    static final class DurationText {
        private DurationText() {
        }

        static String of(Duration d) {
            return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
        }
    }
}
