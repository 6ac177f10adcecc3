package org.containerlimits.core;


import java.io.Serializable;
import java.util.Optional;

/**
 * Docker's memory+swap limit ({@code memswap_limit}, {@code --memory-swap}): either a total of
 * memory <em>plus</em> swap, or unlimited swap.
 *
 * <p>Docker's {@code MemorySwap} is a total, not the swap alone: with {@code mem_limit 1g} and
 * {@code memswap_limit 2g} the container may use 1g of memory and 1g of swap; with equal values it
 * may not swap at all. Left unset, the daemon gives a container with a memory limit swap of the same
 * size again (a total of twice the memory).
 *
 * <h2>Grammar of {@link #parse(CharSequence)}</h2>
 * <pre>
 *   swap = "unlimited" | "-1" | size        size as in {@link MemorySize#parse(CharSequence)}
 * </pre>
 * {@link #toString()} prints {@code unlimited} or the canonical size ({@code 2g}).
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class SwapLimit implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Unlimited swap, Docker's {@code -1}. */
    public static final SwapLimit UNLIMITED = new SwapLimit(null);

    private final MemorySize total;

    private SwapLimit(MemorySize total) {
        this.total = total;
    }

    /**
     * Returns a limit on memory plus swap together.
     *
     * @param memoryPlusSwap the total of memory and swap
     * @return the limit
     */
    public static SwapLimit of(MemorySize memoryPlusSwap) {
        if (memoryPlusSwap == null) {
            throw new NullPointerException("memoryPlusSwap");
        }
        return new SwapLimit(memoryPlusSwap);
    }

    /**
     * Parses {@code unlimited}, {@code -1} or a memory size.
     *
     * <pre>{@code
     * SwapLimit.parse("2g");          // a total of 2 GiB of memory and swap
     * SwapLimit.parse("-1");          // unlimited, as docker-py and the docker CLI write it
     * }</pre>
     *
     * @param text the text
     * @return the limit
     * @throws LimitParseException if the text is neither
     */
    public static SwapLimit parse(CharSequence text) {
        String s = java.util.Objects.requireNonNull(text, "text").toString();
        if (s.equals("-1") || TextCursor.equalsIgnoreAsciiCase(s, "unlimited")) {
            return UNLIMITED;
        }
        if (s.startsWith("-")) {
            throw new LimitParseException("memory+swap limit", s, 0, "\"unlimited\", \"-1\" or a size");
        }
        try {
            return of(MemorySize.parse(s));
        } catch (LimitParseException e) {
            throw new LimitParseException("memory+swap limit", s, e.errorIndex(),
                    e.expected() + (e.errorIndex() == 0 ? " (or \"unlimited\", \"-1\")" : ""));
        }
    }

    /**
     * Returns whether swap is unlimited.
     *
     * @return {@code true} for {@link #UNLIMITED}
     */
    public boolean isUnlimited() {
        return total == null;
    }

    /**
     * Returns the total of memory and swap, unless unlimited.
     *
     * @return the total, or empty when unlimited
     */
    public Optional<MemorySize> memoryPlusSwap() {
        return Optional.ofNullable(total);
    }

    /**
     * Returns whether the other object is the same limit.
     *
     * @param o the other object
     * @return {@code true} if equal
     */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SwapLimit)) {
            return false;
        }
        SwapLimit that = (SwapLimit) o;
        return total == null ? that.total == null : total.equals(that.total);
    }

    /**
     * Returns a hash code consistent with {@link #equals(Object)}.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return total == null ? -1 : total.hashCode();
    }

    /**
     * Returns {@code unlimited} or the canonical size; {@link #parse(CharSequence)} reads it back.
     *
     * @return the canonical text
     */
    @Override
    public String toString() {
        return total == null ? "unlimited" : total.toString();
    }

    private Object readResolve() {
        return total == null ? UNLIMITED : this;
    }
}
