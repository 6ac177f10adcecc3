package org.containerlimits.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ends a watch early on Ctrl-C (or any signal that runs the JVM's shutdown hooks) and holds the
 * exit until the command has printed what it learned: an admin who stops {@code limits recommend
 * --watch 8h} after an hour gets the hour's recommendation, not nothing. The hook waits at most
 * {@value #GRACE_SECONDS} seconds.
 */
final class WatchStop implements AutoCloseable {
    /** How long a shutdown waits for the command to print. */
    static final int GRACE_SECONDS = 10;

    private final CountDownLatch printed = new CountDownLatch(1);
    private final Thread hook;
    private volatile boolean requested;

    WatchStop() {
        hook = new Thread(() -> {
            requested = true;
            try {
                printed.await(GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "limits-watch-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Returns whether the watch should end now.
     *
     * @return {@code true} once a shutdown began
     */
    boolean requested() {
        return requested;
    }

    /** Lets a waiting shutdown go on; called once the command has printed. */
    @Override
    public void close() {
        printed.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook has run or is running.
        }
    }
}
