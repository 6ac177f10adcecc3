package org.containerlimits.core;




import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * An exact, non-negative amount of memory in bytes, such as {@code 1g} or {@code 1536m}.
 *
 * <h2>Docker's convention: {@link #parse(CharSequence)}</h2>
 * The grammar shared by docker-py's {@code mem_limit} and the docker CLI's {@code --memory}
 * (go-units {@code RAMInBytes}); every unit is binary:
 * <pre>
 *   size   = number [[" "] unit]
 *   number = digits ["." digits]
 *   unit   = "b" | ("k" | "m" | "g" | "t" | "p") ["b" | "ib"]      (any case)
 * </pre>
 * <table class="striped">
 *   <caption>Examples of {@code parse}</caption>
 *   <thead><tr><th>text</th><th>bytes</th><th>{@code toString()}</th></tr></thead>
 *   <tbody>
 *   <tr><td>{@code 100000}, {@code 100000b}</td><td>100000</td><td>{@code 100000b}</td></tr>
 *   <tr><td>{@code 1000k}</td><td>1024000</td><td>{@code 1000k}</td></tr>
 *   <tr><td>{@code 64M}, {@code 64mb}, {@code 64MiB}</td><td>67108864</td><td>{@code 64m}</td></tr>
 *   <tr><td>{@code 1g}, {@code 1G}, {@code 1gb}, {@code 1GiB}, {@code 1024m}</td><td>1073741824</td><td>{@code 1g}</td></tr>
 *   <tr><td>{@code 1.5g}</td><td>1610612736</td><td>{@code 1536m}</td></tr>
 *   <tr><td>{@code 0.1k}</td><td>102 (102.4 truncated, as Docker does)</td><td>{@code 102b}</td></tr>
 *   </tbody>
 * </table>
 * A fraction of a byte is truncated toward zero, as the Docker daemon and docker-py do. Negative
 * sizes, exponents ({@code 1e9}), hexadecimal, leading or trailing blanks and sizes above
 * {@link Long#MAX_VALUE} bytes are errors. Note that {@code m} is mebibytes here, not milli.
 *
 * <h2>Kubernetes' convention: {@link #parseKubernetes(CharSequence)}</h2>
 * Kubernetes quantities are a different grammar ({@code 1Gi} binary, {@code 1G} = 10<sup>9</sup>
 * decimal, {@code 1e9}, {@code 512m} = 0.512), so they have their own, explicitly named method.
 *
 * <h2>Canonical form</h2>
 * {@link #toString()} prints the shortest exact form in whole units, lowercase: the largest of
 * {@code p t g m k} that divides the size, else bytes with a {@code b} suffix. Whatever it prints,
 * {@code parse} reads back to an equal value.
 *
 * <p>Instances are immutable and thread-safe; compare them with {@link #equals(Object)}, never
 * with {@code ==}.
 */
public final class MemorySize implements Comparable<MemorySize>, Serializable {
    private static final long serialVersionUID = 1L;

    /** Zero bytes. */
    public static final MemorySize ZERO = new MemorySize(0);

    static final long KIB = 1024L;
    static final long MIB = KIB * 1024;
    static final long GIB = MIB * 1024;
    static final long TIB = GIB * 1024;
    static final long PIB = TIB * 1024;
    static final long EIB = PIB * 1024;

    private static final String DOCKER_UNITS = "a unit (b, k, m, g, t, p) or the end";
    private static final BigDecimal MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private final long bytes;

    private MemorySize(long bytes) {
        this.bytes = bytes;
    }

    /**
     * Returns a size of the given number of bytes.
     *
     * @param bytes the number of bytes, not negative
     * @return the size
     * @throws InvalidLimitsException if {@code bytes} is negative
     */
    public static MemorySize ofBytes(long bytes) {
        if (bytes < 0) {
            throw InvalidLimitsException.of("size", Long.toString(bytes), "must not be negative");
        }
        return bytes == 0 ? ZERO : new MemorySize(bytes);
    }

    /**
     * Returns a size of the given number of kibibytes (1024 bytes).
     *
     * @param kibibytes the number of KiB, not negative
     * @return the size
     * @throws InvalidLimitsException if negative or above {@link Long#MAX_VALUE} bytes
     */
    public static MemorySize ofKibibytes(long kibibytes) {
        return ofUnits(kibibytes, KIB, "k");
    }

    /**
     * Returns a size of the given number of mebibytes (1024 KiB).
     *
     * @param mebibytes the number of MiB, not negative
     * @return the size
     * @throws InvalidLimitsException if negative or above {@link Long#MAX_VALUE} bytes
     */
    public static MemorySize ofMebibytes(long mebibytes) {
        return ofUnits(mebibytes, MIB, "m");
    }

    /**
     * Returns a size of the given number of gibibytes (1024 MiB).
     *
     * @param gibibytes the number of GiB, not negative
     * @return the size
     * @throws InvalidLimitsException if negative or above {@link Long#MAX_VALUE} bytes
     */
    public static MemorySize ofGibibytes(long gibibytes) {
        return ofUnits(gibibytes, GIB, "g");
    }

    private static MemorySize ofUnits(long amount, long unit, String suffix) {
        if (amount < 0) {
            throw InvalidLimitsException.of("size", amount + suffix, "must not be negative");
        }
        if (amount > Long.MAX_VALUE / unit) {
            throw InvalidLimitsException.of("size", amount + suffix,
                    "must be at most " + Long.MAX_VALUE + " bytes");
        }
        return ofBytes(amount * unit);
    }

    /**
     * Parses a size in Docker's convention; see the class description for the grammar.
     *
     * <pre>{@code
     * MemorySize.parse("1g").toBytes();     // 1073741824
     * MemorySize.parse("1.5g").toString();  // "1536m"
     * }</pre>
     *
     * @param text the text, such as {@code 1g}, {@code 512M}, {@code 100000b} or {@code 1GiB}
     * @return the size
     * @throws LimitParseException if the text does not follow the grammar or the size exceeds
     *     {@link Long#MAX_VALUE} bytes; the exception names the index and what was expected
     */
    public static MemorySize parse(CharSequence text) {
        TextCursor in = new TextCursor("memory size", text);
        BigDecimal number = in.decimal();
        if (in.atEnd()) {
            return exact(in, number, 1);
        }
        boolean spaced = in.tryConsume(' ');
        char u = in.peekLower();
        long unit;
        switch (u) {
            case 'b': unit = 1; break;
            case 'k': unit = KIB; break;
            case 'm': unit = MIB; break;
            case 'g': unit = GIB; break;
            case 't': unit = TIB; break;
            case 'p': unit = PIB; break;
            default:
                throw in.fail(spaced ? "a unit (b, k, m, g, t, p)" : DOCKER_UNITS);
        }
        in.advance();
        if (unit != 1 && !in.tryConsumeIgnoreCase("b") && in.tryConsumeIgnoreCase("i")) {
            if (!in.tryConsumeIgnoreCase("b")) {
                throw in.fail("'b' after 'i'");
            }
        }
        in.expectEnd();
        return exact(in, number, unit);
    }

    private static MemorySize exact(TextCursor in, BigDecimal number, long unit) {
        BigDecimal bytes = number.multiply(BigDecimal.valueOf(unit)).setScale(0, RoundingMode.DOWN);
        if (bytes.compareTo(MAX) > 0) {
            throw in.failAt(0, "a size of at most " + Long.MAX_VALUE + " bytes (8 EiB less one byte)");
        }
        return ofBytes(bytes.longValueExact());
    }

    /**
     * Parses a Kubernetes resource quantity as a number of bytes.
     *
     * <p>Grammar (Kubernetes {@code resource.Quantity}):
     * <pre>
     *   quantity = ["+"] number [suffix]
     *   number   = digits ["." [digits]] | "." digits
     *   suffix   = binary | decimal | exponent
     *   binary   = "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei"       (powers of 1024)
     *   decimal  = "n" | "u" | "m" | "k" | "M" | "G" | "T" | "P" | "E"   (powers of 1000)
     *   exponent = ("e" | "E") ["+" | "-"] digits
     * </pre>
     * Suffixes are case-sensitive, as in Kubernetes. Examples: {@code 1Gi} = 1073741824,
     * {@code 1G} = 1000000000, {@code 1e9} = 1000000000, {@code 128974848},
     * {@code 129M}, {@code 123Mi}. A quantity that is not a whole number of bytes
     * ({@code 512m} = 0.512 bytes) is an error rather than being rounded. An exponent above 40 is
     * an error too: no size within a long needs one, and it bounds the work a hostile
     * {@code 1e999999999} could ask for.
     *
     * @param text a Kubernetes quantity
     * @return the size
     * @throws LimitParseException if the text is not a quantity, not a whole number of bytes,
     *     negative, or above {@link Long#MAX_VALUE} bytes
     */
    public static MemorySize parseKubernetes(CharSequence text) {
        TextCursor in = new TextCursor("Kubernetes quantity", text);
        BigDecimal bytes = KubernetesQuantity.parse(in);
        if (bytes.signum() != 0 && bytes.stripTrailingZeros().scale() > 0) {
            throw in.failAt(0, "a whole number of bytes (" + bytes.stripTrailingZeros().toPlainString() + " is not)");
        }
        if (bytes.compareTo(MAX) > 0) {
            throw in.failAt(0, "a size of at most " + Long.MAX_VALUE + " bytes");
        }
        return ofBytes(bytes.longValueExact());
    }

    /**
     * Returns the exact number of bytes.
     *
     * @return the bytes, never negative
     */
    public long toBytes() {
        return bytes;
    }

    /**
     * Returns whether this size is zero bytes.
     *
     * @return {@code true} for zero
     */
    public boolean isZero() {
        return bytes == 0;
    }

    /**
     * Returns this size plus another.
     *
     * @param other the size to add
     * @return the sum
     * @throws ArithmeticException if the sum exceeds {@link Long#MAX_VALUE} bytes
     */
    public MemorySize plus(MemorySize other) {
        return ofBytes(Math.addExact(bytes, other.bytes));
    }

    /**
     * Returns the size in the Kubernetes binary form: the largest of {@code Ei Pi Ti Gi Mi Ki} that
     * divides it, else plain bytes ({@code 1Gi}, {@code 1536Mi}, {@code 100}).
     *
     * @return text that {@link #parseKubernetes(CharSequence)} reads back to an equal value
     */
    public String toKubernetesString() {
        String[] suffixes = {"Ei", "Pi", "Ti", "Gi", "Mi", "Ki"};
        long[] units = {EIB, PIB, TIB, GIB, MIB, KIB};
        for (int i = 0; i < units.length; i++) {
            if (bytes != 0 && bytes % units[i] == 0) {
                return (bytes / units[i]) + suffixes[i];
            }
        }
        return Long.toString(bytes);
    }

    /**
     * Compares sizes by their number of bytes.
     *
     * @param other the other size
     * @return negative, zero or positive as this size is smaller, equal or larger
     */
    @Override
    public int compareTo(MemorySize other) {
        return Long.compare(bytes, other.bytes);
    }

    /**
     * Returns whether the other object is a {@code MemorySize} of the same number of bytes.
     *
     * @param o the other object
     * @return {@code true} if equal
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof MemorySize && ((MemorySize) o).bytes == bytes;
    }

    /**
     * Returns a hash code of the number of bytes.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Long.hashCode(bytes);
    }

    /**
     * Returns the canonical form: the shortest exact form in whole units, lowercase, such as
     * {@code 1g}, {@code 1536m}, {@code 100b}. {@link #parse(CharSequence)} reads it back to an
     * equal value.
     *
     * @return the canonical text
     */
    @Override
    public String toString() {
        char[] suffixes = {'p', 't', 'g', 'm', 'k'};
        long[] units = {PIB, TIB, GIB, MIB, KIB};
        for (int i = 0; i < units.length; i++) {
            if (bytes != 0 && bytes % units[i] == 0) {
                return (bytes / units[i]) + String.valueOf(suffixes[i]);
            }
        }
        return bytes + "b";
    }

    /** Formats a byte count for messages: {@code 6m (6291456 bytes)}. */
    String describe() {
        String canonical = toString();
        return canonical.endsWith("b") ? canonical : canonical + " (" + bytes + " bytes)";
    }
}
