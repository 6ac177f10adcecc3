package org.containerlimits.docker.stats;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many file descriptors the cgroup source may keep open between samples. A container takes
 * nine to twelve ({@link CgroupFiles}); the containers that find no room left are read by opening
 * each file at each sample and closing it at once, which costs a few microseconds more per file but
 * no descriptor between reads. So a host with more containers than the process may hold
 * descriptors for is read whole, and the process never runs out of descriptors for its own work
 * (sockets to the daemon, jars, logs).
 *
 * <p>The default is a quarter of the process's descriptor limit ({@code ulimit -n} as the JVM
 * raised it, which on Linux is the hard limit): with a limit of 1,024 that keeps 256 open, about
 * 21 containers; with Debian's hard limit of 1,048,576 every container of any host. Thread-safe.
 */
final class DescriptorBudget {

    /** The share of the process's descriptor limit the default budget takes: a quarter. */
    static final int SHARE_DIVISOR = 4;

    /** The limit assumed when the JVM cannot tell it (not a Unix JVM, or without jdk.management). */
    static final long ASSUMED_PROCESS_LIMIT = 1024;

    private final int max;
    private final AtomicInteger used = new AtomicInteger();

    private DescriptorBudget(int max) {
        this.max = max;
    }

    /**
     * A budget of {@code max} descriptors.
     *
     * @param max at least 0; 0 keeps nothing open
     * @return the budget
     */
    static DescriptorBudget of(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("maxOpenFiles must not be negative: " + max);
        }
        return new DescriptorBudget(max);
    }

    /**
     * The default budget: a quarter of this process's descriptor limit.
     *
     * @return the budget
     */
    static DescriptorBudget ofProcessLimit() {
        return of(defaultMax());
    }

    /**
     * A quarter of this process's descriptor limit, or of {@value #ASSUMED_PROCESS_LIMIT} when the
     * JVM cannot tell it.
     *
     * @return the default budget's size
     */
    static int defaultMax() {
        long limit = ASSUMED_PROCESS_LIMIT;
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        try {
            if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
                limit = unix.getMaxFileDescriptorCount();
            }
        } catch (LinkageError e) {
            // A runtime without the jdk.management module: keep the assumed limit.
        }
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, limit) / SHARE_DIVISOR);
    }

    /**
     * Takes {@code n} descriptors when all fit.
     *
     * @param n how many, at least 0
     * @return true when taken (give them back with {@link #give}), false when they did not fit
     */
    boolean take(int n) {
        while (true) {
            int now = used.get();
            if (now + n > max) {
                return false;
            }
            if (used.compareAndSet(now, now + n)) {
                return true;
            }
        }
    }

    /**
     * Gives back descriptors taken before.
     *
     * @param n how many
     */
    void give(int n) {
        used.addAndGet(-n);
    }

    /**
     * How many descriptors are kept open now.
     *
     * @return the count
     */
    int used() {
        return used.get();
    }

    /**
     * The most that may be kept open.
     *
     * @return the budget's size
     */
    int max() {
        return max;
    }
}
