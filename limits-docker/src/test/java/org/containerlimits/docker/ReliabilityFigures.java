package org.containerlimits.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The figures the reliability suites measure: printed, and appended to
 * {@code target/reliability/figures.txt} of the module, where docs/RELIABILITY.md takes them from,
 * or to the file the system property {@code containerlimits.figures} names (bin/v2-tests keeps
 * each guest host's figures apart so). Also the process's own resources, for leak checks. Public,
 * for the other modules' suites.
 */
public final class ReliabilityFigures {
    private static final Logger LOG = LoggerFactory.getLogger(ReliabilityFigures.class);
    private static final Path FILE = Path.of(System.getProperty("containerlimits.figures",
            Path.of("target", "reliability", "figures.txt").toString()));

    private ReliabilityFigures() {
    }

    /** Prints one figure line, prefixed by its suite, and appends it to the figures file. */
    public static synchronized void record(String suite, String format, Object... args) {
        String line = "[" + suite + "] " + String.format(format, args);
        LOG.info("FIGURE {}", line);
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * This process's live threads, open file descriptors (sockets to the daemon among them) and
     * heap in use after a full collection.
     *
     * @param threads live threads
     * @param fds open file descriptors
     * @param sockets those of them that are sockets: connections to the daemon
     * @param heapBytes heap used after {@code System.gc()}
     */
    public record Resources(int threads, long fds, long sockets, long heapBytes) {
        /** Measures now, after asking for garbage collection until the heap stops shrinking. */
        public static Resources now() {
            long heap = Long.MAX_VALUE;
            for (int i = 0; i < 5; i++) {
                System.gc();
                long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                if (used >= heap) {
                    break;
                }
                heap = used;
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return new Resources(ManagementFactory.getThreadMXBean().getThreadCount(), openFds(false), openFds(true),
                    heap);
        }

        @Override
        public String toString() {
            return threads + " threads, " + fds + " fds (" + sockets + " sockets), " + heapBytes / 1024 + " KiB heap";
        }

        private static long openFds(boolean socketsOnly) {
            try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
                return fds.filter(fd -> !socketsOnly || isSocket(fd)).count();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static boolean isSocket(Path fd) {
            try {
                return Files.readSymbolicLink(fd).toString().startsWith("socket:");
            } catch (IOException e) {
                return false; // closed meanwhile
            }
        }
    }
}
