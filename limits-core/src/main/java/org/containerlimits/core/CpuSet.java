package org.containerlimits.core;


import java.io.Serializable;
import java.util.BitSet;
import java.util.stream.IntStream;

/**
 * A non-empty set of CPU numbers or memory-node numbers, as written in Docker's
 * {@code cpuset_cpus}/{@code cpuset_mems} and the kernel's {@code cpuset.cpus}: {@code 0-3,5}.
 *
 * <h2>Grammar of {@link #parse(CharSequence)}</h2>
 * <pre>
 *   set   = item ("," item)*
 *   item  = n | n "-" n          a number, or an inclusive range whose end is not below its start
 *   n     = digits               0 to 65535
 * </pre>
 * Blanks, signs, empty items and reversed ranges ({@code 3-1}) are errors. Overlaps and any order
 * are accepted: {@code 5,0-3,2} is the set {@code 0-3,5}.
 *
 * <h2>Canonical form</h2>
 * {@link #toString()} lists the numbers in ascending order, runs of two or more as {@code a-b}, the
 * way the kernel prints a cpuset: {@code 0-3,5}, {@code 0-1}, {@code 7}.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class CpuSet implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The largest CPU or node number accepted; far above any host, small enough to bound memory. */
    public static final int MAX_INDEX = 65_535;

    private final BitSet members;

    private CpuSet(BitSet members) {
        this.members = members;
    }

    /**
     * Returns the set of the given numbers.
     *
     * @param numbers the CPU or node numbers, at least one, each 0 to {@link #MAX_INDEX}
     * @return the set
     * @throws InvalidLimitsException if empty or a number is out of range
     */
    public static CpuSet of(int... numbers) {
        if (numbers.length == 0) {
            throw InvalidLimitsException.of("cpuset", "", "must name at least one CPU or memory node");
        }
        BitSet bits = new BitSet();
        for (int n : numbers) {
            if (n < 0 || n > MAX_INDEX) {
                throw InvalidLimitsException.of("cpuset", Integer.toString(n),
                        "must be between 0 and " + MAX_INDEX);
            }
            bits.set(n);
        }
        return new CpuSet(bits);
    }

    /**
     * Returns the set {@code 0} to {@code count - 1}, for example all CPUs of a host.
     *
     * @param count the number of members, 1 to {@link #MAX_INDEX} + 1
     * @return the set {@code 0-(count-1)}
     * @throws InvalidLimitsException if {@code count} is out of range
     */
    public static CpuSet firstN(int count) {
        if (count < 1 || count > MAX_INDEX + 1) {
            throw InvalidLimitsException.of("cpuset", Integer.toString(count),
                    "count must be between 1 and " + (MAX_INDEX + 1));
        }
        BitSet bits = new BitSet(count);
        bits.set(0, count);
        return new CpuSet(bits);
    }

    /**
     * Parses a cpuset; see the class description for the grammar.
     *
     * <pre>{@code
     * CpuSet.parse("0-3,5").size();       // 5
     * CpuSet.parse("5,0-3,2").toString(); // "0-3,5"
     * }</pre>
     *
     * @param text the text, such as {@code 0-3,5}
     * @return the set
     * @throws LimitParseException if the text does not follow the grammar, a range is reversed or a
     *     number exceeds {@link #MAX_INDEX}
     */
    public static CpuSet parse(CharSequence text) {
        TextCursor in = new TextCursor("cpuset", text);
        BitSet bits = new BitSet();
        do {
            int start = (int) in.integer(MAX_INDEX, "a number from 0 to " + MAX_INDEX);
            int end = start;
            if (in.tryConsume('-')) {
                int endIndex = in.position();
                end = (int) in.integer(MAX_INDEX, "a number from 0 to " + MAX_INDEX);
                if (end < start) {
                    throw in.failAt(endIndex, "a range end not below its start " + start);
                }
            }
            bits.set(start, end + 1);
            if (in.atEnd()) {
                break;
            }
            if (in.peek() != ',') {
                throw in.fail(in.peek() == '-' ? "',' or the end (one range per item)" : "'-', ',' or the end");
            }
            in.advance();
        } while (true);
        return new CpuSet(bits);
    }

    /**
     * Returns the number of CPUs (or memory nodes) in the set.
     *
     * @return the count, at least 1
     */
    public int size() {
        return members.cardinality();
    }

    /**
     * Returns whether the set holds the given number.
     *
     * @param number a CPU or node number
     * @return {@code true} if it is a member
     */
    public boolean contains(int number) {
        return number >= 0 && members.get(number);
    }

    /**
     * Returns the largest member.
     *
     * @return the highest CPU or node number in the set
     */
    public int max() {
        return members.length() - 1;
    }

    /**
     * Returns whether every member of this set is also a member of the other.
     *
     * @param other the other set
     * @return {@code true} if this set is a subset of {@code other}
     */
    public boolean isSubsetOf(CpuSet other) {
        BitSet rest = (BitSet) members.clone();
        rest.andNot(other.members);
        return rest.isEmpty();
    }

    /**
     * Returns the members in ascending order.
     *
     * @return a stream of the CPU or node numbers
     */
    public IntStream stream() {
        return members.stream();
    }

    /**
     * Returns whether the other object is a {@code CpuSet} with the same members.
     *
     * @param o the other object
     * @return {@code true} if equal
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof CpuSet && ((CpuSet) o).members.equals(members);
    }

    /**
     * Returns a hash code of the members.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return members.hashCode();
    }

    /**
     * Returns the canonical form: ascending, runs of two or more as {@code a-b}, such as
     * {@code 0-3,5}. {@link #parse(CharSequence)} reads it back to an equal value.
     *
     * @return the canonical text
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        int start = members.nextSetBit(0);
        while (start >= 0) {
            int end = members.nextClearBit(start) - 1;
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(start);
            if (end > start) {
                sb.append('-').append(end);
            }
            start = members.nextSetBit(end + 1);
        }
        return sb.toString();
    }
}
