package org.containerlimits.docker;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Unix-socket proxy in front of the real daemon's socket that a test can turn into a broken
 * daemon: {@link Mode#FORWARD} passes bytes both ways; {@link Mode#SILENT} accepts connections and
 * reads requests but never answers, and stops passing answers on connections already open (a hung
 * daemon); {@link Mode#REFUSE} closes every connection and refuses new ones (a daemon that went
 * away). Clients connect with {@code DOCKER_HOST=}{@link #dockerHost()}.
 */
final class DaemonProxy implements AutoCloseable {

    /** What the proxy does with connections. */
    enum Mode {
        FORWARD, SILENT, REFUSE
    }

    private final Path socket;
    private final Path target;
    private final ServerSocketChannel server;
    private final Thread acceptor;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final Map<Mode, AtomicInteger> accepted = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong requestBytes = new java.util.concurrent.atomic.AtomicLong();
    private volatile Mode mode = Mode.FORWARD;
    private volatile boolean closed;

    private DaemonProxy(Path socket, Path target) throws IOException {
        this.socket = socket;
        this.target = target;
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        this.acceptor = new Thread(this::acceptLoop, "daemon-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Starts a proxy to the daemon socket at {@code target}, listening on a new socket in a temporary
     * directory.
     */
    static DaemonProxy start(Path target) throws IOException {
        Path dir = Files.createTempDirectory("containerlimits-proxy");
        return new DaemonProxy(dir.resolve("docker.sock"), target);
    }

    String dockerHost() {
        return "unix://" + socket;
    }

    /** Switches the mode; {@link Mode#REFUSE} also closes every open connection. */
    void mode(Mode mode) {
        this.mode = mode;
        if (mode == Mode.REFUSE) {
            open.forEach(DaemonProxy::closeQuietly);
            open.clear();
        }
    }

    /** How many connections were accepted while in the given mode. */
    int accepted(Mode mode) {
        AtomicInteger n = accepted.get(mode);
        return n == null ? 0 : n.get();
    }

    /** Bytes clients sent towards the daemon so far, in any mode: zero growth means no request. */
    long requestBytes() {
        return requestBytes.get();
    }

    /** Connections the proxy holds open now, from either side. */
    int openConnections() {
        return open.size();
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            Mode now = mode;
            accepted.computeIfAbsent(now, m -> new AtomicInteger()).incrementAndGet();
            if (now == Mode.REFUSE) {
                closeQuietly(client);
                continue;
            }
            open.add(client);
            if (now == Mode.SILENT) {
                pump(client, null, true);
                continue;
            }
            try {
                SocketChannel daemon = SocketChannel.open(UnixDomainSocketAddress.of(target));
                open.add(daemon);
                pump(client, daemon, true);
                pump(daemon, client, false);
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    /** Copies {@code from} to {@code to} while forwarding; with {@code to} null, reads and drops. */
    private void pump(SocketChannel from, SocketChannel to, boolean request) {
        Thread t = new Thread(() -> {
            ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
            try {
                while (from.read(buf) >= 0) {
                    buf.flip();
                    if (request) {
                        requestBytes.addAndGet(buf.remaining());
                    }
                    // In SILENT mode nothing more reaches either side: requests are swallowed and
                    // answers already under way stop, as from a daemon that hangs.
                    if (to != null && mode == Mode.FORWARD) {
                        while (buf.hasRemaining()) {
                            to.write(buf);
                        }
                    }
                    buf.clear();
                }
            } catch (IOException e) {
                // the other side or the proxy closed it
            } finally {
                if (mode != Mode.SILENT) {
                    closeQuietly(from);
                    if (to != null) {
                        closeQuietly(to);
                    }
                }
            }
        }, "daemon-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        open.forEach(DaemonProxy::closeQuietly);
        open.clear();
        Files.deleteIfExists(socket);
        Files.deleteIfExists(socket.getParent());
    }
}
