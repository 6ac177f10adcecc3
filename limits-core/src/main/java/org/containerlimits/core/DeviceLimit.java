package org.containerlimits.core;

import java.io.Serializable;
import java.util.Objects;

/**
 * One block device's value of a per-device limit: a read or write rate in bytes or IOs per
 * second ({@code device_read_bps}, {@code device_write_iops}, ...) or a block-IO weight
 * ({@code blkio_weight_device}); the {@link Limit} that holds it says which.
 *
 * <h2>Grammar of {@link #parse(CharSequence)}</h2>
 * <pre>
 *   device = path ":" digits        path: "/dev/" and more, without ":" "," "=" or white space
 * </pre>
 * The rules are the docker CLI's ({@code ValidateThrottleBpsDevice}): a path under {@code /dev/}
 * and a value of at least 1. Whether the path is a block device on the daemon's host is known only
 * there: {@code DockerLimits} checks it before creating a container. {@link #toString()} writes
 * {@code path:value}; a limit's own text form may write the value in its unit
 * ({@code /dev/sda:10m} for a rate in bytes).
 *
 * <pre>{@code
 * DeviceLimit.parse("/dev/sda:1000").value();   // 1000
 * DeviceLimit.of("/dev/sda", 1000).path();      // "/dev/sda"
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class DeviceLimit implements Serializable, Comparable<DeviceLimit> {
    private static final long serialVersionUID = 1L;

    private final String path;
    private final long value;

    private DeviceLimit(String path, long value) {
        this.path = path;
        this.value = value;
    }

    /**
     * Returns a device's value.
     *
     * @param path the device's path, under {@code /dev/}
     * @param value the rate or weight, at least 1
     * @return the device limit
     * @throws InvalidLimitsException naming the path or the value and the rule
     */
    public static DeviceLimit of(String path, long value) {
        String problem = pathProblem(path);
        if (problem != null) {
            throw InvalidLimitsException.of("device", String.valueOf(path), problem);
        }
        if (value < 1) {
            throw InvalidLimitsException.of("device", path + ":" + value,
                    "must be at least 1 (0 would lift the throttle: leave the device out instead)");
        }
        return new DeviceLimit(path, value);
    }

    /**
     * Why a text is not a device path, or {@code null} when it is one.
     *
     * @param path the text
     * @return the rule it breaks, or null
     */
    static String pathProblem(String path) {
        if (path == null || !path.startsWith("/dev/") || path.length() == "/dev/".length()) {
            return "must be a device path under /dev/, such as /dev/sda";
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == ':' || c == ',' || c == '=' || c <= ' ' || c == 0x7f) {
                return "must be a device path without ':', ',', '=', white space or control characters";
            }
        }
        return null;
    }

    /**
     * Parses {@code path:value}.
     *
     * @param text such as {@code /dev/sda:1000}
     * @return the device limit
     * @throws LimitParseException if there is no {@code :} or the value is not a whole number
     * @throws InvalidLimitsException if the path or the value breaks a rule
     */
    public static DeviceLimit parse(CharSequence text) {
        String s = Objects.requireNonNull(text, "text").toString();
        int colon = s.lastIndexOf(':');
        TextCursor in = new TextCursor("device limit", s);
        if (colon < 0) {
            throw in.failAt(s.length(), "':' and a value after the device path (/dev/sda:1000)");
        }
        TextCursor value = new TextCursor("device limit", s);
        for (int i = 0; i <= colon; i++) {
            value.advance();
        }
        if (!TextCursor.isDigit(value.peek())) {
            throw value.fail("a digit");
        }
        long n = value.integer(Long.MAX_VALUE, "at most " + Long.MAX_VALUE);
        value.expectEnd();
        return of(s.substring(0, colon), n);
    }

    /**
     * Returns the device's path.
     *
     * @return the path, such as {@code /dev/sda}
     */
    public String path() {
        return path;
    }

    /**
     * Returns the rate or weight.
     *
     * @return at least 1
     */
    public long value() {
        return value;
    }

    /** Orders by path, then value. */
    @Override
    public int compareTo(DeviceLimit other) {
        int byPath = path.compareTo(other.path);
        return byPath != 0 ? byPath : Long.compare(value, other.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceLimit that && path.equals(that.path) && value == that.value;
    }

    @Override
    public int hashCode() {
        return path.hashCode() * 31 + Long.hashCode(value);
    }

    /**
     * Returns {@code path:value}, which {@link #parse(CharSequence)} reads back.
     *
     * @return the text
     */
    @Override
    public String toString() {
        return path + ":" + value;
    }
}
