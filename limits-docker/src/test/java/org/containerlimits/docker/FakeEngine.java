package org.containerlimits.docker;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake Docker Engine on a Unix socket, speaking API {@value #API_VERSION} as Docker
 * {@value #ENGINE_VERSION} does, so that tests can feed the real docker-java client (and so this
 * library) replies no sane daemon sends: negative counters, timestamps in year 2999, numbers past
 * {@code Long.MAX_VALUE}, deeply nested or huge JSON, text that is not JSON at all.
 *
 * <pre>{@code
 * try (FakeEngine engine = FakeEngine.start()) {
 *     engine.container("c1").nanoCpus(1_000_000_000L);
 *     engine.stats("c1", List.of(FakeEngine.statsJson(t1, t0, 1_500_000_000L, 1_000_000_000L,
 *             ...)), Duration.ofMillis(100));
 *     engine.respond("GET", "/containers/c2/json", 200, "application/json",
 *             "[".repeat(2000) + "]".repeat(2000));
 *     try (DockerClient client = TestClients.forHost(engine.dockerHost(), TestClients.RESPONSE_TIMEOUT)) {
 *         ...
 *     }
 *     // StatsReader streams by the full id that inspect returned, not by the name it was given.
 *     assertThat(engine.requests("/containers/[^/]+/stats")).isEqualTo(1);
 * }
 * }</pre>
 *
 * <p><b>Protocol.</b> HTTP/1.1 with keep-alive (several requests per connection; {@code
 * Connection: close} and HTTP/1.0 are honoured), request bodies by {@code Content-Length} or
 * chunked (read; the first {@value #MAX_KEPT_BODY_BYTES} bytes are kept in {@link Request#body()}),
 * {@code Expect: 100-continue}. Every connection gets a thread of its
 * own. A path may start with an API version ({@code /v1.41/info}); it is stripped before routing,
 * counting and matching, and a version above {@value #API_VERSION} or below {@value
 * #MIN_API_VERSION} is refused with 400 as the daemon does. Unknown paths get 404 {@code
 * {"message":"page not found"}}.
 *
 * <p><b>Endpoints.</b> {@code GET|HEAD /_ping} ({@code OK}, with an {@code Api-Version} header, as
 * on every reply), {@code GET /version}, {@code GET /info} (2 CPUs, 4 GiB, cgroup v1, every limit
 * supported), and for each {@linkplain #container registered container}, addressed by name, full id
 * or unique id prefix, {@code GET /containers/{x}/json} and {@code GET /containers/{x}/stats}. An
 * unknown container gets 404 {@code {"message":"No such container: x"}}.
 *
 * <p><b>Stats.</b> With {@code stream=true} (the default, as on the daemon) the reply is chunked:
 * each scripted object is one chunk followed by {@code \n}, as the daemon's JSON encoder writes
 * them, {@code between} apart (the first at once); what happens after the last one is the script's
 * {@link AfterScript}. Every stats request replays its container's script from the start. Without a
 * script a running container streams live samples of its {@linkplain Container#cpuCores CPU use}
 * once a {@linkplain #LIVE_STATS_PERIOD second}, the first one without an earlier half, as the
 * daemon does. A container that is not running gets one object with zero times and the stream ends.
 * With {@code stream=false} (or {@code 0}) the first object of the script (or a live sample) comes
 * back with a {@code Content-Length}.
 *
 * <p><b>Canned replies.</b> {@link #respond} replaces any endpoint's reply, stats included, by given
 * bytes; the newest matching one wins.
 *
 * <p>{@link #close()} closes every connection, stops and joins every thread (bounded) and deletes the
 * socket and its directory. Thread-safe.
 */
final class FakeEngine implements AutoCloseable {

    /** The API version the fake speaks, the newest Docker 20.10 knows. */
    static final String API_VERSION = "1.41";
    /** The oldest API version the fake accepts, as Docker 20.10. */
    static final String MIN_API_VERSION = "1.12";
    /** The engine version the fake reports. */
    static final String ENGINE_VERSION = "20.10.24";
    /** The CPUs the fake's host has ({@code NCPU} in {@code /info}; {@code online_cpus} in stats). */
    static final int NCPU = 2;
    /** The memory the fake's host has ({@code MemTotal} in {@code /info}): 4 GiB. */
    static final long MEM_TOTAL = 4L << 30;
    /** What cgroup v1 reports as the limit of an unlimited cgroup ({@code hierarchical_memory_limit}). */
    static final long CGROUP_V1_UNLIMITED = 9223372036854771712L;
    /** The zero time of Go, which the daemon sends for times it does not have. */
    static final String ZERO_TIME = "0001-01-01T00:00:00Z";
    /** How often an unscripted stats stream sends a sample, as the daemon. */
    static final Duration LIVE_STATS_PERIOD = Duration.ofSeconds(1);

    /** What a stats stream does once its script has run out. */
    enum AfterScript {
        /** Keep the connection open without sending anything until the client closes it. */
        HOLD,
        /** Send the last object again, {@code between} apart (at least 1 ms), until the client closes. */
        REPEAT_LAST,
        /** End the chunked reply properly; the connection stays usable for the next request. */
        END
    }

    private static final Pattern VERSION_PREFIX = Pattern.compile("/v([0-9]+)\\.([0-9]+)(/.*)");
    private static final Pattern CONTAINER_PATH = Pattern.compile("/containers/([^/]+)/(json|stats)");
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    /** How much of a request body {@link Request#body()} keeps. */
    static final int MAX_KEPT_BODY_BYTES = 64 * 1024;
    private static final String JSON = "application/json";
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(5);
    private static final AtomicInteger ENGINES = new AtomicInteger();

    private final Path dir;
    private final Path socket;
    private final ServerSocketChannel server;
    private final Thread acceptor;
    private final Set<Thread> handlers = ConcurrentHashMap.newKeySet();
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final Map<String, Container> containers = new ConcurrentHashMap<>();
    private final List<Canned> canned = new CopyOnWriteArrayList<>();
    private final Queue<Request> requests = new ConcurrentLinkedQueue<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger statsStreams = new AtomicInteger();
    private final AtomicInteger connectionIds = new AtomicInteger();
    private final String threadPrefix = "fake-engine-" + ENGINES.incrementAndGet() + "-";
    private volatile boolean closed;

    private FakeEngine(Path dir) throws IOException {
        this.dir = dir;
        this.socket = dir.resolve("docker.sock");
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        this.acceptor = new Thread(this::acceptLoop, threadPrefix + "accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Starts a fake engine listening on a new socket in a new temporary directory.
     *
     * @return the engine, to be closed
     * @throws UncheckedIOException if the socket cannot be made
     */
    static FakeEngine start() {
        try {
            return new FakeEngine(Files.createTempDirectory("fake-engine"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The address to connect to, {@code unix:///tmp/.../docker.sock}, for {@code DOCKER_HOST}. */
    String dockerHost() {
        return "unix://" + socket;
    }

    /** The prefix of the names of this engine's threads, such as {@code fake-engine-3-}. */
    String threadPrefix() {
        return threadPrefix;
    }

    /** The socket file. */
    Path socket() {
        return socket;
    }

    // ------------------------------------------------------------------------------ scripting

    /**
     * Registers a running container, or returns the one registered under that name. Its id is the
     * SHA-256 of its name, in hex: fixed across runs. Its {@code State.Pid} is 0, so a cgroup source
     * can never find it.
     *
     * @param name the name, without the leading slash
     * @return the container, whose setters change what inspect and unscripted stats report
     */
    Container container(String name) {
        Objects.requireNonNull(name, "name");
        return containers.computeIfAbsent(name, Container::new);
    }

    /**
     * Scripts a container's stats stream: each object is sent as one chunk followed by {@code \n},
     * {@code between} apart; after the last the connection is held open ({@link AfterScript#HOLD}).
     *
     * @param container the container's name or id
     * @param jsonObjects the objects, such as {@link #statsJson} makes, edited as a test likes; they
     *     are sent as they are, so need not be valid JSON
     * @param between the time between two objects
     */
    void stats(String container, List<String> jsonObjects, Duration between) {
        stats(container, jsonObjects, between, AfterScript.HOLD);
    }

    /**
     * Scripts a container's stats stream, as {@link #stats(String, List, Duration)}, with a choice of
     * what follows the last object.
     *
     * @param container the container's name or id
     * @param jsonObjects the objects, each followed by {@code \n} in its chunk
     * @param between the time between two objects
     * @param after what to do after the last
     */
    void stats(String container, List<String> jsonObjects, Duration between, AfterScript after) {
        List<byte[]> chunks = new ArrayList<>();
        for (String o : jsonObjects) {
            chunks.add((o + "\n").getBytes(StandardCharsets.UTF_8));
        }
        script(container, chunks, between, after);
    }

    /**
     * Scripts a container's stats stream with raw text: each element is sent as one chunk exactly as
     * given, without a {@code \n} added, so an object may be split across chunks, two may share
     * one, or the text may be no JSON at all.
     *
     * @param container the container's name or id
     * @param rawBodies the chunks' text, UTF-8; an empty one is skipped (it would end the reply)
     * @param between the time between two chunks
     * @param after what to do after the last
     */
    void statsRaw(String container, List<String> rawBodies, Duration between, AfterScript after) {
        List<byte[]> chunks = new ArrayList<>();
        for (String raw : rawBodies) {
            if (!raw.isEmpty()) {
                chunks.add(raw.getBytes(StandardCharsets.UTF_8));
            }
        }
        script(container, chunks, between, after);
    }

    private void script(String container, List<byte[]> chunks, Duration between, AfterScript after) {
        Objects.requireNonNull(between, "between");
        Objects.requireNonNull(after, "after");
        if (between.isNegative()) {
            throw new IllegalArgumentException("between must not be negative: " + between);
        }
        Container c = find(container);
        if (c == null) {
            throw new IllegalArgumentException("no container " + container + "; register it with container(name)");
        }
        c.script = new Script(List.copyOf(chunks), between, after);
    }

    /**
     * Replaces the reply to every request matching {@code method} and {@code pathRegex} with the
     * given one; the newest matching reply wins over older ones and over the built-in endpoints.
     *
     * @param method {@code GET}, {@code POST}..., or {@code *} for any
     * @param pathRegex matched against the whole path, without the API version prefix and the query,
     *     such as {@code /containers/c1/json} or {@code /containers/[^/]+/stats}
     * @param status the HTTP status
     * @param contentType the {@code Content-Type}, or {@code null} for none
     * @param body the body, UTF-8
     */
    void respond(String method, String pathRegex, int status, String contentType, String body) {
        respond(method, pathRegex, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Like {@link #respond(String, String, int, String, String)} with bytes, sent with a {@code
     * Content-Length}. The array is kept, not copied: a 100 MB body costs 100 MB once.
     */
    void respond(String method, String pathRegex, int status, String contentType, byte[] body) {
        canned.add(new Canned(Objects.requireNonNull(method, "method"), Pattern.compile(pathRegex), status,
                contentType, Objects.requireNonNull(body, "body"), null));
    }

    /**
     * Like {@link #respond(String, String, int, String, String)} with a body made afresh for each
     * request and sent chunked as it is read, so that a huge body is never held in memory; see
     * {@link #repeated}.
     */
    void respond(String method, String pathRegex, int status, String contentType, Supplier<InputStream> body) {
        canned.add(new Canned(Objects.requireNonNull(method, "method"), Pattern.compile(pathRegex), status,
                contentType, null, Objects.requireNonNull(body, "body")));
    }

    /** Drops every reply {@link #respond} set. */
    void clearResponses() {
        canned.clear();
    }

    // ------------------------------------------------------------------------------ observing

    /**
     * Counts the requests so far whose path, without the API version prefix and the query, matches.
     *
     * @param pathRegex matched against the whole path, such as {@code /containers/[^/]+/stats}
     * @return the number of requests, of any method
     */
    int requests(String pathRegex) {
        Pattern p = Pattern.compile(pathRegex);
        int n = 0;
        for (Request r : requests) {
            if (p.matcher(r.path()).matches()) {
                n++;
            }
        }
        return n;
    }

    /** Every request so far, in order of arrival. */
    List<Request> requestLog() {
        return List.copyOf(requests);
    }

    /** Connections accepted so far. */
    int connectionsAccepted() {
        return accepted.get();
    }

    /** Connections open now. */
    int openConnections() {
        return open.size();
    }

    /**
     * Stats replies being streamed now: one per open {@code stats?stream=true} request whose client
     * has not closed its connection (noticed within about 100 ms, or at the next write).
     */
    int openStatsStreams() {
        return statsStreams.get();
    }

    /**
     * One request as it arrived.
     *
     * @param connection the connection's number, from 1, in order of acceptance
     * @param method the method
     * @param target the request target as sent, such as {@code /v1.41/containers/c1/stats?stream=1}
     * @param path the path without API version prefix and query, such as {@code /containers/c1/stats}
     * @param apiVersion the version of the prefix, such as {@code 1.41}, or {@code null}
     * @param headers the headers, names in lower case, the last value of each
     * @param body the body's first {@value #MAX_KEPT_BODY_BYTES} bytes, decoded as UTF-8; empty for none
     */
    record Request(int connection, String method, String target, String path, String apiVersion,
            Map<String, String> headers, String body) {
        /** The value of a query parameter, or {@code null}. */
        String query(String name) {
            int q = target.indexOf('?');
            if (q < 0) {
                return null;
            }
            for (String pair : target.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                if (key.equals(name)) {
                    return eq < 0 ? "" : pair.substring(eq + 1);
                }
            }
            return null;
        }
    }

    // ------------------------------------------------------------------------------ helpers for tests

    /**
     * Returns an Engine 1.41 stats object as a cgroup v1 host sends it, with 2 online CPUs, no
     * throttling and no pids limit. For other fields use {@link StatsJson}.
     *
     * @param read the sample's time
     * @param preread the earlier half's time, or {@code null} for none (then {@code precpu_stats} is
     *     zero and has no {@code system_cpu_usage}, as in the first object of a daemon's stream)
     * @param cpuTotal {@code cpu_stats.cpu_usage.total_usage}, ns
     * @param preCpuTotal {@code precpu_stats.cpu_usage.total_usage}, ns
     * @param systemCpu {@code cpu_stats.system_cpu_usage}, ns
     * @param preSystemCpu {@code precpu_stats.system_cpu_usage}, ns
     * @param memoryUsage {@code memory_stats.usage}, bytes
     * @param memoryLimit the cgroup's memory limit, or {@code Long.MAX_VALUE} for none (then {@code
     *     limit} is {@link #MEM_TOTAL} and {@code hierarchical_memory_limit} {@link
     *     #CGROUP_V1_UNLIMITED}, as the kernel and daemon report it)
     * @param pids {@code pids_stats.current}
     * @return the JSON, one line
     */
    static String statsJson(Instant read, Instant preread, long cpuTotal, long preCpuTotal, long systemCpu,
            long preSystemCpu, long memoryUsage, long memoryLimit, long pids) {
        return new StatsJson().read(read).preread(preread).cpu(cpuTotal, preCpuTotal)
                .systemCpu(systemCpu, preSystemCpu).memory(memoryUsage, memoryLimit).pids(pids).json();
    }

    /**
     * A body of {@code before}, then {@code count} times the byte {@code fill}, then {@code after},
     * made as it is read: for {@link #respond(String, String, int, String, Supplier)} with a 100 MB
     * string, such as {@code repeated("{\"Id\":\"", (byte) 'a', 100_000_000, "\"}")}.
     */
    static Supplier<InputStream> repeated(String before, byte fill, long count, String after) {
        byte[] head = before.getBytes(StandardCharsets.UTF_8);
        byte[] tail = after.getBytes(StandardCharsets.UTF_8);
        return () -> new InputStream() {
            private long pos;
            private final long total = head.length + count + tail.length;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= total) {
                    return -1;
                }
                int n = (int) Math.min(len, total - pos);
                for (int i = 0; i < n; i++, pos++) {
                    b[off + i] = pos < head.length ? head[(int) pos]
                            : pos < head.length + count ? fill : tail[(int) (pos - head.length - count)];
                }
                return n;
            }
        };
    }

    /**
     * A JSON value that {@link Container#hostConfig} writes as it is, such as {@code
     * new Raw("18446744073709551615")}.
     *
     * @param json the text
     */
    record Raw(String json) {
    }

    /** Builds an Engine 1.41 cgroup v1 stats object; every field has a plausible default. */
    static final class StatsJson {
        private String name = "/fake";
        private String id = "";
        private Instant read = Instant.now();
        private Instant preread;
        private long cpuTotal;
        private long preCpuTotal;
        private long systemCpu = 1_000_000_000_000L;
        private long preSystemCpu;
        private long onlineCpus = NCPU;
        private boolean perCpu = true;
        private long periods;
        private long throttledPeriods;
        private long throttledTime;
        private long prePeriods;
        private long preThrottledPeriods;
        private long preThrottledTime;
        private long memoryUsage = 10L << 20;
        private long memoryLimit = Long.MAX_VALUE;
        private long inactiveFile = -1;
        private Long swap;
        private long pids = 1;
        private long pidsLimit;

        /** Sets {@code name} (with its slash) and {@code id}. */
        StatsJson container(String name, String id) {
            this.name = name;
            this.id = id;
            return this;
        }

        StatsJson read(Instant read) {
            this.read = read;
            return this;
        }

        /** {@code null} for none: then {@code precpu_stats} is zero, as in a stream's first object. */
        StatsJson preread(Instant preread) {
            this.preread = preread;
            return this;
        }

        /** {@code total_usage} now and before, ns. */
        StatsJson cpu(long total, long preTotal) {
            this.cpuTotal = total;
            this.preCpuTotal = preTotal;
            return this;
        }

        /** {@code system_cpu_usage} now and before, ns. */
        StatsJson systemCpu(long now, long before) {
            this.systemCpu = now;
            this.preSystemCpu = before;
            return this;
        }

        /** {@code online_cpus}; {@code perCpu} also writes {@code percpu_usage} with that many entries. */
        StatsJson onlineCpus(long onlineCpus, boolean perCpu) {
            this.onlineCpus = onlineCpus;
            this.perCpu = perCpu;
            return this;
        }

        /** {@code throttling_data} now. */
        StatsJson throttling(long periods, long throttledPeriods, long throttledTimeNanos) {
            this.periods = periods;
            this.throttledPeriods = throttledPeriods;
            this.throttledTime = throttledTimeNanos;
            return this;
        }

        /** {@code throttling_data} of {@code precpu_stats}. */
        StatsJson preThrottling(long periods, long throttledPeriods, long throttledTimeNanos) {
            this.prePeriods = periods;
            this.preThrottledPeriods = throttledPeriods;
            this.preThrottledTime = throttledTimeNanos;
            return this;
        }

        /** {@code usage} and the cgroup's limit, {@code Long.MAX_VALUE} for none. */
        StatsJson memory(long usage, long limit) {
            this.memoryUsage = usage;
            this.memoryLimit = limit;
            return this;
        }

        /** {@code total_inactive_file} (and {@code inactive_file}); by default a tenth of the usage. */
        StatsJson inactiveFile(long bytes) {
            this.inactiveFile = bytes;
            return this;
        }

        /** {@code total_swap} and {@code swap}, as with swap accounting; {@code null} for none. */
        StatsJson swap(Long bytes) {
            this.swap = bytes;
            return this;
        }

        StatsJson pids(long current) {
            this.pids = current;
            return this;
        }

        /** {@code pids_stats.limit}; 0 leaves it out, as the daemon does for an unlimited container. */
        StatsJson pidsLimit(long limit) {
            this.pidsLimit = limit;
            return this;
        }

        String json() {
            boolean unlimited = memoryLimit == Long.MAX_VALUE;
            long limit = unlimited ? MEM_TOTAL : memoryLimit;
            long hierarchical = unlimited ? CGROUP_V1_UNLIMITED : memoryLimit;
            long inactive = inactiveFile >= 0 ? inactiveFile : Math.max(0, memoryUsage / 10);
            long cache = Math.min(Math.max(0, memoryUsage), inactive + Math.max(0, memoryUsage / 10));
            long rss = Math.max(0, memoryUsage - cache);
            StringBuilder s = new StringBuilder(2048);
            s.append("{\"read\":").append(q(time(read)))
                    .append(",\"preread\":").append(q(preread == null ? ZERO_TIME : time(preread)))
                    .append(",\"pids_stats\":{\"current\":").append(pids);
            if (pidsLimit != 0) {
                s.append(",\"limit\":").append(pidsLimit);
            }
            s.append("},\"blkio_stats\":{\"io_service_bytes_recursive\":[],\"io_serviced_recursive\":[],"
                    + "\"io_queue_recursive\":[],\"io_service_time_recursive\":[],\"io_wait_time_recursive\":[],"
                    + "\"io_merged_recursive\":[],\"io_time_recursive\":[],\"sectors_recursive\":[]},"
                    + "\"num_procs\":0,\"storage_stats\":{},\"cpu_stats\":");
            cpu(s, cpuTotal, systemCpu, onlineCpus, perCpu, periods, throttledPeriods, throttledTime);
            s.append(",\"precpu_stats\":");
            if (preread == null) {
                s.append("{\"cpu_usage\":{\"total_usage\":0,\"usage_in_kernelmode\":0,\"usage_in_usermode\":0},"
                        + "\"throttling_data\":{\"periods\":0,\"throttled_periods\":0,\"throttled_time\":0}}");
            } else {
                cpu(s, preCpuTotal, preSystemCpu, onlineCpus, perCpu, prePeriods, preThrottledPeriods,
                        preThrottledTime);
            }
            s.append(",\"memory_stats\":{\"usage\":").append(memoryUsage)
                    .append(",\"max_usage\":").append(Math.max(memoryUsage, 0) + (4L << 20))
                    .append(",\"stats\":{\"active_anon\":").append(rss)
                    .append(",\"active_file\":").append(Math.max(0, cache - inactive))
                    .append(",\"cache\":").append(cache)
                    .append(",\"dirty\":0")
                    .append(",\"hierarchical_memory_limit\":").append(hierarchical)
                    .append(",\"hierarchical_memsw_limit\":").append(unlimited ? CGROUP_V1_UNLIMITED : 2 * limit)
                    .append(",\"inactive_anon\":0")
                    .append(",\"inactive_file\":").append(inactive)
                    .append(",\"mapped_file\":0,\"pgfault\":1000,\"pgmajfault\":0,\"pgpgin\":800,\"pgpgout\":200")
                    .append(",\"rss\":").append(rss)
                    .append(",\"rss_huge\":0");
            if (swap != null) {
                s.append(",\"swap\":").append(swap);
            }
            s.append(",\"total_active_anon\":").append(rss)
                    .append(",\"total_active_file\":").append(Math.max(0, cache - inactive))
                    .append(",\"total_cache\":").append(cache)
                    .append(",\"total_dirty\":0")
                    .append(",\"total_inactive_anon\":0")
                    .append(",\"total_inactive_file\":").append(inactive)
                    .append(",\"total_mapped_file\":0,\"total_pgfault\":1000,\"total_pgmajfault\":0")
                    .append(",\"total_pgpgin\":800,\"total_pgpgout\":200")
                    .append(",\"total_rss\":").append(rss)
                    .append(",\"total_rss_huge\":0");
            if (swap != null) {
                s.append(",\"total_swap\":").append(swap);
            }
            s.append(",\"total_unevictable\":0,\"total_writeback\":0,\"unevictable\":0,\"writeback\":0}")
                    .append(",\"failcnt\":0,\"limit\":").append(limit).append('}')
                    .append(",\"name\":").append(q(name))
                    .append(",\"id\":").append(q(id))
                    .append(",\"networks\":{\"eth0\":{\"rx_bytes\":1000,\"rx_packets\":10,\"rx_errors\":0,"
                            + "\"rx_dropped\":0,\"tx_bytes\":0,\"tx_packets\":0,\"tx_errors\":0,\"tx_dropped\":0}}}");
            return s.toString();
        }

        private static void cpu(StringBuilder s, long total, long system, long online, boolean perCpu,
                long periods, long throttledPeriods, long throttledTime) {
            long kernel = total / 5;
            s.append("{\"cpu_usage\":{\"total_usage\":").append(total);
            if (perCpu && online > 0 && online <= 1024) {
                s.append(",\"percpu_usage\":[");
                for (long i = 0; i < online; i++) {
                    long share = total / online + (i == 0 ? total % online : 0);
                    s.append(i == 0 ? "" : ",").append(share);
                }
                s.append(']');
            }
            s.append(",\"usage_in_kernelmode\":").append(kernel)
                    .append(",\"usage_in_usermode\":").append(total - kernel).append('}');
            s.append(",\"system_cpu_usage\":").append(system);
            s.append(",\"online_cpus\":").append(online)
                    .append(",\"throttling_data\":{\"periods\":").append(periods)
                    .append(",\"throttled_periods\":").append(throttledPeriods)
                    .append(",\"throttled_time\":").append(throttledTime).append("}}");
        }
    }

    /** A registered container: what inspect reports and how its stats stream goes. */
    static final class Container {
        private final String name;
        private final String id;
        private final Instant created = Instant.now();
        private final Map<String, Object> hostConfig = new LinkedHashMap<>();
        private volatile boolean running = true;
        private volatile boolean oomKilled;
        private volatile double cpuCores;
        private volatile Script script;

        private Container(String name) {
            this.name = name;
            this.id = sha256(name);
            // The HostConfig limit fields as Docker 20.10 reports them for a plain 'docker run'.
            hostConfig.put("CpuShares", 0);
            hostConfig.put("Memory", 0);
            hostConfig.put("NanoCpus", 0);
            hostConfig.put("CgroupParent", "");
            hostConfig.put("BlkioWeight", 0);
            hostConfig.put("CpuPeriod", 0);
            hostConfig.put("CpuQuota", 0);
            hostConfig.put("CpuRealtimePeriod", 0);
            hostConfig.put("CpuRealtimeRuntime", 0);
            hostConfig.put("CpusetCpus", "");
            hostConfig.put("CpusetMems", "");
            hostConfig.put("KernelMemory", 0);
            hostConfig.put("KernelMemoryTCP", 0);
            hostConfig.put("MemoryReservation", 0);
            hostConfig.put("MemorySwap", 0);
            hostConfig.put("MemorySwappiness", null);
            hostConfig.put("OomKillDisable", false);
            hostConfig.put("PidsLimit", null);
            hostConfig.put("ShmSize", 67108864L);
        }

        /** The name, without slash. */
        String name() {
            return name;
        }

        /** The 64-hex id: the SHA-256 of the name. */
        String id() {
            return id;
        }

        /** Sets {@code State.Running} (and {@code Status}); a stopped container's stats end at once. */
        Container running(boolean running) {
            this.running = running;
            return this;
        }

        /** Sets {@code State.OOMKilled}. */
        Container oomKilled(boolean oomKilled) {
            this.oomKilled = oomKilled;
            return this;
        }

        /** The cores an unscripted stats stream shows in use, 0 by default. */
        Container cpuCores(double cores) {
            this.cpuCores = cores;
            return this;
        }

        /** Sets {@code HostConfig.NanoCpus}. */
        Container nanoCpus(long nanoCpus) {
            return hostConfig("NanoCpus", nanoCpus);
        }

        /** Sets {@code HostConfig.Memory}, bytes. */
        Container memory(long bytes) {
            return hostConfig("Memory", bytes);
        }

        /** Sets {@code HostConfig.CpuQuota} and {@code CpuPeriod}, microseconds. */
        Container cpuQuota(long quota, long period) {
            hostConfig("CpuQuota", quota);
            return hostConfig("CpuPeriod", period);
        }

        /** Sets {@code HostConfig.CpusetCpus}. */
        Container cpusetCpus(String cpus) {
            return hostConfig("CpusetCpus", cpus);
        }

        /**
         * Sets any {@code HostConfig} field.
         *
         * @param field the field's name, such as {@code PidsLimit}
         * @param value a {@link Number}, {@link String}, {@link Boolean}, {@link Raw} or {@code null}
         */
        Container hostConfig(String field, Object value) {
            synchronized (hostConfig) {
                hostConfig.put(field, value);
            }
            return this;
        }

        String inspectJson() {
            boolean up = running;
            StringBuilder hc = new StringBuilder();
            synchronized (hostConfig) {
                for (Map.Entry<String, Object> e : hostConfig.entrySet()) {
                    hc.append(",").append(q(e.getKey())).append(':').append(value(e.getValue()));
                }
            }
            String started = time(created.plusMillis(100));
            return "{\"Id\":" + q(id) + ",\"Created\":" + q(time(created))
                    + ",\"Path\":\"sleep\",\"Args\":[\"3600\"]"
                    + ",\"State\":{\"Status\":" + q(up ? "running" : "exited") + ",\"Running\":" + up
                    + ",\"Paused\":false,\"Restarting\":false,\"OOMKilled\":" + oomKilled + ",\"Dead\":false"
                    + ",\"Pid\":0,\"ExitCode\":" + (up ? 0 : oomKilled ? 137 : 0) + ",\"Error\":\"\""
                    + ",\"StartedAt\":" + q(started) + ",\"FinishedAt\":" + q(up ? ZERO_TIME : time(Instant.now()))
                    + "}"
                    + ",\"Image\":\"sha256:" + sha256("image") + "\""
                    + ",\"ResolvConfPath\":\"\",\"HostnamePath\":\"\",\"HostsPath\":\"\",\"LogPath\":\"\""
                    + ",\"Name\":" + q("/" + name) + ",\"RestartCount\":0,\"Driver\":\"overlay2\""
                    + ",\"Platform\":\"linux\",\"MountLabel\":\"\",\"ProcessLabel\":\"\",\"AppArmorProfile\":\"\""
                    + ",\"ExecIDs\":null"
                    + ",\"HostConfig\":{\"Binds\":null,\"ContainerIDFile\":\"\""
                    + ",\"LogConfig\":{\"Type\":\"json-file\",\"Config\":{}},\"NetworkMode\":\"default\""
                    + ",\"PortBindings\":{},\"RestartPolicy\":{\"Name\":\"no\",\"MaximumRetryCount\":0}"
                    + ",\"AutoRemove\":false,\"VolumeDriver\":\"\",\"VolumesFrom\":null,\"CapAdd\":null"
                    + ",\"CapDrop\":null,\"CgroupnsMode\":\"host\",\"Dns\":[],\"DnsOptions\":[],\"DnsSearch\":[]"
                    + ",\"ExtraHosts\":null,\"GroupAdd\":null,\"IpcMode\":\"private\",\"Cgroup\":\"\",\"Links\":null"
                    + ",\"OomScoreAdj\":0,\"PidMode\":\"\",\"Privileged\":false,\"PublishAllPorts\":false"
                    + ",\"ReadonlyRootfs\":false,\"SecurityOpt\":null,\"UTSMode\":\"\",\"UsernsMode\":\"\""
                    + ",\"Runtime\":\"runc\",\"ConsoleSize\":[0,0],\"Isolation\":\"\""
                    + hc
                    + ",\"Devices\":[],\"DeviceCgroupRules\":null,\"DeviceRequests\":null,\"Ulimits\":null"
                    + ",\"CpuCount\":0,\"CpuPercent\":0,\"IOMaximumIOps\":0,\"IOMaximumBandwidth\":0}"
                    + ",\"Mounts\":[]"
                    + ",\"Config\":{\"Hostname\":" + q(id.substring(0, 12)) + ",\"Domainname\":\"\",\"User\":\"\""
                    + ",\"AttachStdin\":false,\"AttachStdout\":false,\"AttachStderr\":false,\"Tty\":false"
                    + ",\"OpenStdin\":false,\"StdinOnce\":false"
                    + ",\"Env\":[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"]"
                    + ",\"Cmd\":[\"sleep\",\"3600\"],\"Image\":\"busybox\",\"Volumes\":null,\"WorkingDir\":\"\""
                    + ",\"Entrypoint\":null,\"OnBuild\":null,\"Labels\":{}}"
                    + ",\"NetworkSettings\":{\"Bridge\":\"\",\"SandboxID\":\"\",\"HairpinMode\":false"
                    + ",\"Ports\":{},\"Networks\":{}}}";
        }

        private static String value(Object v) {
            if (v == null) {
                return "null";
            }
            if (v instanceof Raw r) {
                return r.json();
            }
            if (v instanceof Number || v instanceof Boolean) {
                return v.toString();
            }
            return q(v.toString());
        }
    }

    private record Script(List<byte[]> chunks, Duration between, AfterScript after) {
    }

    private record Canned(String method, Pattern path, int status, String contentType, byte[] body,
            Supplier<InputStream> stream) {
        boolean matches(String m, String p) {
            return ("*".equals(method) || method.equalsIgnoreCase(m)) && path.matcher(p).matches();
        }
    }

    // ------------------------------------------------------------------------------ serving

    private void acceptLoop() {
        while (!closed) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (closed) {
                closeQuietly(ch);
                return;
            }
            accepted.incrementAndGet();
            open.add(ch);
            Connection c = new Connection(ch, connectionIds.incrementAndGet());
            Thread t = new Thread(c, threadPrefix + "connection-" + c.number);
            t.setDaemon(true);
            handlers.add(t);
            t.start();
        }
    }

    /** Finds a container by name (with or without slash), full id or unique id prefix. */
    private Container find(String key) {
        String k = key.startsWith("/") ? key.substring(1) : key;
        Container c = containers.get(k);
        if (c != null) {
            return c;
        }
        Container byPrefix = null;
        for (Container x : containers.values()) {
            if (x.id.equals(k)) {
                return x;
            }
            if (!k.isEmpty() && x.id.startsWith(k)) {
                if (byPrefix != null) {
                    return null; // ambiguous
                }
                byPrefix = x;
            }
        }
        return byPrefix;
    }

    /** One client connection, served by its own thread, request after request. */
    private final class Connection implements Runnable {
        private final SocketChannel ch;
        private final int number;
        private final ByteBuffer in = ByteBuffer.allocate(16 * 1024).limit(0);
        private Selector selector;

        Connection(SocketChannel ch, int number) {
            this.ch = ch;
            this.number = number;
        }

        @Override
        public void run() {
            try {
                while (!closed && serveOne()) {
                    // next request on this connection
                }
            } catch (IOException | RuntimeException e) {
                // the client went away, or the engine is closing
            } finally {
                closeQuietly(ch);
                open.remove(ch);
                if (selector != null) {
                    try {
                        selector.close();
                    } catch (IOException e) {
                        // closing anyway
                    }
                }
                handlers.remove(Thread.currentThread());
            }
        }

        /** Serves one request; returns whether the connection stays open for another. */
        private boolean serveOne() throws IOException {
            String line = readLine();
            while (line != null && line.isEmpty()) {
                line = readLine(); // tolerate stray CRLFs between requests
            }
            if (line == null) {
                return false;
            }
            String[] parts = line.split(" ");
            if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
                send(400, "text/plain", ascii("bad request line\n"), false);
                return false;
            }
            Map<String, String> headers = new LinkedHashMap<>();
            int headerBytes = line.length();
            for (String h = readLine(); h != null && !h.isEmpty(); h = readLine()) {
                headerBytes += h.length();
                if (headerBytes > MAX_HEADER_BYTES) {
                    send(431, "text/plain", ascii("headers too large\n"), false);
                    return false;
                }
                int colon = h.indexOf(':');
                if (colon > 0) {
                    headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
                }
            }
            if ("100-continue".equalsIgnoreCase(headers.get("expect"))) {
                writeAll(ascii("HTTP/1.1 100 Continue\r\n\r\n"));
            }
            String body = readBody(headers);
            String method = parts[0];
            String target = parts[1];
            String connection = headers.getOrDefault("connection", "");
            boolean keepAlive = parts[2].equals("HTTP/1.1") ? !connection.equalsIgnoreCase("close")
                    : connection.equalsIgnoreCase("keep-alive");

            String rawPath = target.indexOf('?') < 0 ? target : target.substring(0, target.indexOf('?'));
            String version = null;
            Matcher v = VERSION_PREFIX.matcher(rawPath);
            if (v.matches()) {
                version = v.group(1) + "." + v.group(2);
                rawPath = v.group(3);
            }
            Request r = new Request(number, method, target, rawPath, version, Map.copyOf(headers), body);
            requests.add(r);
            return route(r, method.equals("HEAD")) && keepAlive;
        }

        private boolean route(Request r, boolean head) throws IOException {
            for (int i = canned.size() - 1; i >= 0; i--) {
                Canned c = canned.get(i);
                if (c.matches(r.method(), r.path())) {
                    if (c.body() != null) {
                        send(c.status(), c.contentType(), c.body(), head);
                    } else {
                        sendStream(c.status(), c.contentType(), c.stream(), head);
                    }
                    return true;
                }
            }
            if (r.apiVersion() != null) {
                String[] want = r.apiVersion().split("\\.");
                int major = want[0].length() > 6 ? 999_999 : Integer.parseInt(want[0]);
                int minor = want[1].length() > 6 ? 999_999 : Integer.parseInt(want[1]);
                if (major > 1 || major == 1 && minor > 41) {
                    sendJson(400, "{\"message\":\"client version " + r.apiVersion()
                            + " is too new. Maximum supported API version is " + API_VERSION + "\"}", head);
                    return true;
                }
                if (major < 1 || minor < 12) {
                    sendJson(400, "{\"message\":\"client version " + r.apiVersion()
                            + " is too old. Minimum supported API version is " + MIN_API_VERSION
                            + ", please upgrade your client to a newer version\"}", head);
                    return true;
                }
            }
            boolean get = r.method().equals("GET") || head;
            switch (r.path()) {
                case "/_ping":
                    if (get) {
                        send(200, "text/plain; charset=utf-8", ascii("OK"), head);
                        return true;
                    }
                    break;
                case "/version":
                    if (get) {
                        sendJson(200, versionJson(), head);
                        return true;
                    }
                    break;
                case "/info":
                    if (get) {
                        sendJson(200, infoJson(), head);
                        return true;
                    }
                    break;
                default:
                    Matcher m = CONTAINER_PATH.matcher(r.path());
                    if (get && m.matches()) {
                        Container c = find(m.group(1));
                        if (c == null) {
                            sendJson(404, "{\"message\":" + q("No such container: " + m.group(1)) + "}", head);
                            return true;
                        }
                        if (m.group(2).equals("json")) {
                            sendJson(200, c.inspectJson(), head);
                            return true;
                        }
                        String stream = r.query("stream");
                        return stats(c, !("0".equals(stream) || "false".equalsIgnoreCase(stream)), head);
                    }
            }
            sendJson(404, "{\"message\":\"page not found\"}", head);
            return true;
        }

        /** Serves a stats request; returns whether the connection can take another request. */
        private boolean stats(Container c, boolean stream, boolean head) throws IOException {
            Script s = c.script;
            if (!c.running) {
                // What the daemon sends for a container that is not running: all zero but the names.
                String cpu = "{\"cpu_usage\":{\"total_usage\":0,\"usage_in_kernelmode\":0,\"usage_in_usermode\":0},"
                        + "\"throttling_data\":{\"periods\":0,\"throttled_periods\":0,\"throttled_time\":0}}";
                String zero = "{\"read\":\"" + ZERO_TIME + "\",\"preread\":\"" + ZERO_TIME + "\",\"pids_stats\":{},"
                        + "\"blkio_stats\":{\"io_service_bytes_recursive\":null,\"io_serviced_recursive\":null,"
                        + "\"io_queue_recursive\":null,\"io_service_time_recursive\":null,"
                        + "\"io_wait_time_recursive\":null,\"io_merged_recursive\":null,\"io_time_recursive\":null,"
                        + "\"sectors_recursive\":null},\"num_procs\":0,\"storage_stats\":{},\"cpu_stats\":" + cpu
                        + ",\"precpu_stats\":" + cpu + ",\"memory_stats\":{},\"name\":" + q("/" + c.name)
                        + ",\"id\":" + q(c.id) + "}\n";
                send(200, JSON, zero.getBytes(StandardCharsets.UTF_8), head);
                return true;
            }
            if (!stream) {
                byte[] body = s == null ? live(c, Instant.now(), 0, null, 0)
                        : s.chunks().isEmpty() ? new byte[0] : s.chunks().get(0);
                send(200, JSON, body, head);
                return true;
            }
            writeAll(ascii(statusAndHeaders(200, JSON, -1)));
            if (head) {
                writeAll(ascii("0\r\n\r\n"));
                return true;
            }
            statsStreams.incrementAndGet();
            try {
                if (s == null) {
                    long start = System.nanoTime();
                    Instant startTime = Instant.now();
                    Instant previous = null;
                    long previousElapsed = 0;
                    while (true) {
                        long elapsed = System.nanoTime() - start;
                        Instant now = startTime.plusNanos(elapsed);
                        writeChunk(live(c, now, elapsed, previous, previousElapsed));
                        previous = now;
                        previousElapsed = elapsed;
                        if (!pause(LIVE_STATS_PERIOD)) {
                            return false;
                        }
                    }
                }
                List<byte[]> chunks = s.chunks();
                for (int i = 0; i < chunks.size(); i++) {
                    if (i > 0 && !pause(s.between())) {
                        return false;
                    }
                    writeChunk(chunks.get(i));
                }
                switch (s.after()) {
                    case END:
                        writeAll(ascii("0\r\n\r\n"));
                        return true;
                    case REPEAT_LAST:
                        Duration every = s.between().compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1)
                                : s.between();
                        while (!chunks.isEmpty() && pause(every)) {
                            writeChunk(chunks.get(chunks.size() - 1));
                        }
                        return false;
                    default:
                        while (pause(Duration.ofHours(1))) {
                            // hold until the client closes
                        }
                        return false;
                }
            } finally {
                statsStreams.decrementAndGet();
            }
        }

        /**
         * An unscripted sample, {@code elapsed} ns into the stream, of {@code cpuCores} in use (read
         * now); {@code previous} is the time of the stream's previous sample, {@code null} for none.
         */
        private byte[] live(Container c, Instant now, long elapsed, Instant previous, long previousElapsed) {
            double cores = c.cpuCores;
            long cpuBase = 1_000_000_000L;
            long systemBase = 1_000_000_000_000L;
            StatsJson j = new StatsJson().container("/" + c.name, c.id).read(now).preread(previous)
                    .cpu(cpuBase + (long) (cores * elapsed),
                            previous == null ? 0 : cpuBase + (long) (cores * previousElapsed))
                    .systemCpu(systemBase + NCPU * elapsed, previous == null ? 0 : systemBase + NCPU * previousElapsed);
            Object memory;
            synchronized (c.hostConfig) {
                memory = c.hostConfig.get("Memory");
            }
            if (memory instanceof Number n && n.longValue() > 0) {
                j.memory(10L << 20, n.longValue());
            }
            return (j.json() + "\n").getBytes(StandardCharsets.UTF_8);
        }

        /**
         * Waits, watching for the client closing the connection; returns false when it did (or the
         * engine is closing). Bytes the client sends meanwhile are kept for the next request.
         */
        private boolean pause(Duration d) throws IOException {
            long deadline = System.nanoTime() + d.toNanos();
            if (selector == null) {
                selector = Selector.open();
            }
            ch.configureBlocking(false);
            SelectionKey key = ch.register(selector, SelectionKey.OP_READ);
            try {
                while (!closed) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return true;
                    }
                    // Bounded so that close() is seen promptly even if the wake-up is missed.
                    selector.select(Math.max(1, Math.min(100, left / 1_000_000)));
                    if (Thread.currentThread().isInterrupted()) {
                        return false;
                    }
                    // Not key.isReadable(): a key not selected this time keeps its old ready set.
                    if (selector.selectedKeys().remove(key)) {
                        in.compact();
                        int n;
                        try {
                            n = in.hasRemaining() ? ch.read(in) : 0;
                        } finally {
                            in.flip();
                        }
                        if (n < 0) {
                            return false;
                        }
                        if (!in.hasRemaining() || in.remaining() == in.capacity()) {
                            // Nowhere to keep more: drop what a client sends on a streaming connection.
                            in.clear().limit(0);
                        }
                    }
                }
                return false;
            } finally {
                key.cancel();
                selector.selectNow();
                ch.configureBlocking(true);
            }
        }

        /** Reads the body, by chunks or by length; returns its first bytes, as UTF-8. */
        private String readBody(Map<String, String> headers) throws IOException {
            java.io.ByteArrayOutputStream kept = new java.io.ByteArrayOutputStream();
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                while (true) {
                    String size = readLine();
                    if (size == null) {
                        throw new EOFException();
                    }
                    int semi = size.indexOf(';');
                    long n = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                    if (n == 0) {
                        for (String t = readLine(); t != null && !t.isEmpty(); t = readLine()) {
                            // trailers
                        }
                        return kept.toString(StandardCharsets.UTF_8);
                    }
                    skip(n, kept);
                    readLine();
                }
            }
            String length = headers.get("content-length");
            if (length != null) {
                skip(Long.parseLong(length.trim()), kept);
            }
            return kept.toString(StandardCharsets.UTF_8);
        }

        /** Reads {@code n} bytes, keeping them in {@code kept} up to {@link #MAX_KEPT_BODY_BYTES}. */
        private void skip(long n, java.io.ByteArrayOutputStream kept) throws IOException {
            while (n > 0) {
                if (!in.hasRemaining() && fill() < 0) {
                    throw new EOFException();
                }
                int k = (int) Math.min(n, in.remaining());
                int keep = Math.min(k, MAX_KEPT_BODY_BYTES - kept.size());
                if (keep > 0) {
                    kept.write(in.array(), in.arrayOffset() + in.position(), keep);
                }
                in.position(in.position() + k);
                n -= k;
            }
        }

        /** Reads a line (CRLF or LF ended), ISO-8859-1; null at end of stream before any byte. */
        private String readLine() throws IOException {
            StringBuilder s = new StringBuilder();
            while (true) {
                if (!in.hasRemaining() && fill() < 0) {
                    if (s.length() == 0) {
                        return null;
                    }
                    throw new EOFException("end of stream inside a line");
                }
                byte b = in.get();
                if (b == '\n') {
                    int len = s.length();
                    if (len > 0 && s.charAt(len - 1) == '\r') {
                        s.setLength(len - 1);
                    }
                    return s.toString();
                }
                if (s.length() > MAX_HEADER_BYTES) {
                    throw new IOException("line too long");
                }
                s.append((char) (b & 0xff));
            }
        }

        private int fill() throws IOException {
            in.compact();
            try {
                return ch.read(in);
            } finally {
                in.flip();
            }
        }

        private void sendJson(int status, String body, boolean head) throws IOException {
            send(status, JSON, body.getBytes(StandardCharsets.UTF_8), head);
        }

        private void send(int status, String contentType, byte[] body, boolean head) throws IOException {
            byte[] h = ascii(statusAndHeaders(status, contentType, body.length));
            if (head || body.length == 0) {
                writeAll(h);
            } else if (body.length <= 64 * 1024) {
                ByteBuffer all = ByteBuffer.allocate(h.length + body.length).put(h).put(body).flip();
                writeAll(all);
            } else {
                writeAll(h);
                writeAll(ByteBuffer.wrap(body));
            }
        }

        private void sendStream(int status, String contentType, Supplier<InputStream> body, boolean head)
                throws IOException {
            writeAll(ascii(statusAndHeaders(status, contentType, -1)));
            if (!head) {
                byte[] buf = new byte[64 * 1024];
                try (InputStream s = body.get()) {
                    for (int n = s.read(buf); n >= 0; n = s.read(buf)) {
                        if (n > 0) {
                            writeChunk(buf, n);
                        }
                    }
                }
            }
            writeAll(ascii("0\r\n\r\n"));
        }

        private void writeChunk(byte[] data) throws IOException {
            writeChunk(data, data.length);
        }

        private void writeChunk(byte[] data, int length) throws IOException {
            if (length == 0) {
                return; // a zero-length chunk would end the reply
            }
            byte[] size = ascii(Integer.toHexString(length) + "\r\n");
            ByteBuffer b = ByteBuffer.allocate(size.length + length + 2).put(size).put(data, 0, length)
                    .put((byte) '\r').put((byte) '\n').flip();
            writeAll(b);
        }

        private void writeAll(byte[] bytes) throws IOException {
            writeAll(ByteBuffer.wrap(bytes));
        }

        private void writeAll(ByteBuffer b) throws IOException {
            while (b.hasRemaining()) {
                if (closed) {
                    throw new InterruptedIOException("engine closed");
                }
                ch.write(b);
            }
        }
    }

    private static String statusAndHeaders(int status, String contentType, long contentLength) {
        StringBuilder h = new StringBuilder(256);
        h.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        h.append("Api-Version: ").append(API_VERSION).append("\r\n");
        if (contentType != null) {
            h.append("Content-Type: ").append(contentType).append("\r\n");
        }
        h.append("Docker-Experimental: false\r\nOstype: linux\r\n");
        h.append("Server: Docker/").append(ENGINE_VERSION).append(" (linux)\r\n");
        h.append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)))
                .append("\r\n");
        if (contentLength >= 0) {
            h.append("Content-Length: ").append(contentLength).append("\r\n");
        } else {
            h.append("Transfer-Encoding: chunked\r\n");
        }
        return h.append("\r\n").toString();
    }

    private static String reason(int status) {
        switch (status) {
            case 100: return "Continue";
            case 200: return "OK";
            case 201: return "Created";
            case 204: return "No Content";
            case 304: return "Not Modified";
            case 400: return "Bad Request";
            case 404: return "Not Found";
            case 409: return "Conflict";
            case 431: return "Request Header Fields Too Large";
            case 500: return "Internal Server Error";
            case 503: return "Service Unavailable";
            default: return "Status";
        }
    }

    /**
     * Returns Podman's {@code /version} answer as Podman 4.3.1's Docker-compatible API sent it
     * (Debian 12, rootful), with the given Podman version, for {@code respond("GET", "/version",
     * 200, "application/json", FakeEngine.podmanVersionJson("4.3.1"))}: it then passes for Podman.
     *
     * @param podmanVersion such as {@code 4.3.1} or {@code 5.1.0}
     * @return the JSON, one line
     */
    static String podmanVersionJson(String podmanVersion) {
        return "{\"Platform\":{\"Name\":\"linux/amd64/debian-12\"},\"Components\":[{\"Name\":\"Podman Engine\","
                + "\"Version\":\"" + podmanVersion + "\",\"Details\":{\"APIVersion\":\"" + podmanVersion + "\","
                + "\"Arch\":\"amd64\",\"BuildTime\":\"1970-01-01T00:00:00Z\",\"Experimental\":\"false\","
                + "\"GitCommit\":\"\",\"GoVersion\":\"go1.19.8\",\"KernelVersion\":\"6.1.0-28-amd64\","
                + "\"MinAPIVersion\":\"4.0.0\",\"Os\":\"linux\"}},"
                + "{\"Name\":\"Conmon\",\"Version\":\"conmon version 2.1.6, commit: unknown\","
                + "\"Details\":{\"Package\":\"conmon_2.1.6+ds1-1_amd64\"}},"
                + "{\"Name\":\"OCI Runtime (runc)\",\"Version\":\"runc version 1.1.5+ds1\\ncommit: 1.1.5+ds1-1\","
                + "\"Details\":{\"Package\":\"runc_1.1.5+ds1-1+deb12u1_amd64\"}}],"
                + "\"Version\":\"" + podmanVersion + "\",\"ApiVersion\":\"1.41\",\"MinAPIVersion\":\"1.24\","
                + "\"GitCommit\":\"\",\"GoVersion\":\"go1.19.8\",\"Os\":\"linux\",\"Arch\":\"amd64\","
                + "\"KernelVersion\":\"6.1.0-28-amd64\",\"BuildTime\":\"1970-01-01T00:00:00Z\"}";
    }

    private static String versionJson() {
        String build = "2023-04-04T18:05:14.000000000+00:00";
        return "{\"Platform\":{\"Name\":\"Docker Engine - Community\"},\"Components\":[{\"Name\":\"Engine\","
                + "\"Version\":\"" + ENGINE_VERSION + "\",\"Details\":{\"ApiVersion\":\"" + API_VERSION + "\","
                + "\"Arch\":\"amd64\",\"BuildTime\":\"" + build + "\",\"Experimental\":\"false\","
                + "\"GitCommit\":\"5d6db84\",\"GoVersion\":\"go1.19.7\",\"KernelVersion\":\"5.10.0-28-amd64\","
                + "\"MinAPIVersion\":\"" + MIN_API_VERSION + "\",\"Os\":\"linux\"}},"
                + "{\"Name\":\"containerd\",\"Version\":\"1.6.20\","
                + "\"Details\":{\"GitCommit\":\"2806fc1057397dbaeefbea0e4e17bddfbd388f38\"}},"
                + "{\"Name\":\"runc\",\"Version\":\"1.1.5\",\"Details\":{\"GitCommit\":\"v1.1.5-0-gf19387a\"}},"
                + "{\"Name\":\"docker-init\",\"Version\":\"0.19.0\",\"Details\":{\"GitCommit\":\"de40ad0\"}}],"
                + "\"Version\":\"" + ENGINE_VERSION + "\",\"ApiVersion\":\"" + API_VERSION + "\","
                + "\"MinAPIVersion\":\"" + MIN_API_VERSION + "\",\"GitCommit\":\"5d6db84\","
                + "\"GoVersion\":\"go1.19.7\",\"Os\":\"linux\",\"Arch\":\"amd64\","
                + "\"KernelVersion\":\"5.10.0-28-amd64\",\"BuildTime\":\"" + build + "\"}";
    }

    private String infoJson() {
        int all = containers.size();
        int running = (int) containers.values().stream().filter(c -> c.running).count();
        return "{\"ID\":\"FAKE:ENGI:NE00:0000:0000:0000:0000:0000:0000:0000:0000:0000\","
                + "\"Containers\":" + all + ",\"ContainersRunning\":" + running + ",\"ContainersPaused\":0,"
                + "\"ContainersStopped\":" + (all - running) + ",\"Images\":1,\"Driver\":\"overlay2\","
                + "\"DriverStatus\":[[\"Backing Filesystem\",\"extfs\"],[\"Supports d_type\",\"true\"],"
                + "[\"Native Overlay Diff\",\"true\"],[\"userxattr\",\"false\"]],"
                + "\"Plugins\":{\"Volume\":[\"local\"],\"Network\":[\"bridge\",\"host\",\"ipvlan\",\"macvlan\","
                + "\"null\",\"overlay\"],\"Authorization\":null,\"Log\":[\"awslogs\",\"fluentd\",\"gcplogs\","
                + "\"gelf\",\"journald\",\"json-file\",\"local\",\"logentries\",\"splunk\",\"syslog\"]},"
                + "\"MemoryLimit\":true,\"SwapLimit\":true,\"KernelMemory\":true,\"KernelMemoryTCP\":true,"
                + "\"CpuCfsPeriod\":true,\"CpuCfsQuota\":true,\"CPUShares\":true,\"CPUSet\":true,"
                + "\"PidsLimit\":true,\"IPv4Forwarding\":true,\"BridgeNfIptables\":true,"
                + "\"BridgeNfIp6tables\":true,\"Debug\":false,\"NFd\":24,\"OomKillDisable\":true,"
                + "\"NGoroutines\":33,\"SystemTime\":" + q(time(Instant.now())) + ",\"LoggingDriver\":\"json-file\","
                + "\"CgroupDriver\":\"cgroupfs\",\"CgroupVersion\":\"1\",\"NEventsListener\":0,"
                + "\"KernelVersion\":\"5.10.0-28-amd64\",\"OperatingSystem\":\"Debian GNU/Linux 11 (bullseye)\","
                + "\"OSVersion\":\"11\",\"OSType\":\"linux\",\"Architecture\":\"x86_64\","
                + "\"IndexServerAddress\":\"https://index.docker.io/v1/\","
                + "\"NCPU\":" + NCPU + ",\"MemTotal\":" + MEM_TOTAL + ","
                + "\"GenericResources\":null,\"DockerRootDir\":\"/var/lib/docker\",\"HttpProxy\":\"\","
                + "\"HttpsProxy\":\"\",\"NoProxy\":\"\",\"Name\":\"fake-engine\",\"Labels\":[],"
                + "\"ExperimentalBuild\":false,\"ServerVersion\":\"" + ENGINE_VERSION + "\","
                + "\"Runtimes\":{\"io.containerd.runc.v2\":{\"path\":\"runc\"},"
                + "\"io.containerd.runtime.v1.linux\":{\"path\":\"runc\"},\"runc\":{\"path\":\"runc\"}},"
                + "\"DefaultRuntime\":\"runc\",\"Swarm\":{\"NodeID\":\"\",\"NodeAddr\":\"\","
                + "\"LocalNodeState\":\"inactive\",\"ControlAvailable\":false,\"Error\":\"\","
                + "\"RemoteManagers\":null},\"LiveRestoreEnabled\":false,\"Isolation\":\"\","
                + "\"InitBinary\":\"docker-init\",\"ContainerdCommit\":{\"ID\":\"2806fc1\",\"Expected\":\"2806fc1\"},"
                + "\"RuncCommit\":{\"ID\":\"v1.1.5-0-gf19387a\",\"Expected\":\"v1.1.5-0-gf19387a\"},"
                + "\"InitCommit\":{\"ID\":\"de40ad0\",\"Expected\":\"de40ad0\"},"
                + "\"SecurityOptions\":[\"name=apparmor\",\"name=seccomp,profile=default\"],\"Warnings\":null}";
    }

    // ------------------------------------------------------------------------------ closing

    /**
     * Closes every connection, stops the threads, waiting up to 5 s for them in all, and deletes the
     * socket and its directory.
     *
     * @throws IllegalStateException if a thread is still running after that
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        long deadline = System.nanoTime() + JOIN_TIMEOUT.toNanos();
        List<String> alive = new ArrayList<>();
        // The acceptor first: once it has ended, no new connection thread can appear.
        acceptor.interrupt();
        try {
            acceptor.join(JOIN_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (acceptor.isAlive()) {
            alive.add(acceptor.getName());
        }
        open.forEach(FakeEngine::closeQuietly);
        List<Thread> all = new ArrayList<>(handlers);
        all.forEach(Thread::interrupt);
        for (Thread t : all) {
            try {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                alive.add(t.getName());
            }
        }
        try {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!alive.isEmpty()) {
            throw new IllegalStateException("fake engine threads still running after close: " + alive);
        }
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    // ------------------------------------------------------------------------------ text

    private static final DateTimeFormatter RFC3339_NANOS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    /** An instant as the daemon writes it: RFC 3339 with nanoseconds, UTC; {@code null} is Go's zero time. */
    static String time(Instant t) {
        return t == null ? ZERO_TIME : RFC3339_NANOS.format(t);
    }

    /** A JSON string literal. */
    static String q(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': b.append("\\\""); break;
                case '\\': b.append("\\\\"); break;
                case '\n': b.append("\\n"); break;
                case '\r': b.append("\\r"); break;
                case '\t': b.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
            }
        }
        return b.append('"').toString();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
