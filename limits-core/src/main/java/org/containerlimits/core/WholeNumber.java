package org.containerlimits.core;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Optional;

/**
 * The one rule for whole numbers, the same in every format this library reads: docker-py's
 * keywords, the text form, the {@code docker run} flags, the Engine's HostConfig fields, Compose
 * and Kubernetes maps. A YAML or JSON config may quote its numbers; a quoted number means the same.
 *
 * <h2>Grammar</h2>
 * <pre>
 *   whole  = a Number whose value is exactly whole      (5, 5L, 5.0, BigDecimal 5E+2)
 *          | a string: ["+" | "-"] digits               (ASCII digits only: no blanks, no
 *                                                       fraction, no exponent, no separators)
 * </pre>
 * Sizes ({@code 1g}), pids limits ({@code unlimited}) and cpusets have grammars of their own, which
 * accept their numbers as strings too. Anything else (a fraction, {@code "5.0"}, {@code " 5"},
 * {@code "1e3"}, Unicode digits, a boolean) is refused with {@link #RULE}.
 *
 * <pre>{@code
 * WholeNumber.of("500000000");   // Optional[500000000]
 * WholeNumber.of(2.0);           // Optional[2]
 * WholeNumber.of("2.0");         // Optional.empty
 * }</pre>
 */
public final class WholeNumber {
    /** The rule, as every reader states it when a value breaks it. */
    public static final String RULE = "must be a whole number: an integer, or a string of decimal digits"
            + " with an optional sign, such as \"500000000\"";

    /** Past 40 digits no value is near a long; bounding the digits bounds the work on hostile input. */
    private static final int MAX_DIGITS = 40;

    private WholeNumber() {
    }

    /**
     * Reads a value by the rule.
     *
     * @param value a {@link Number} or a {@link CharSequence}; anything else is not a whole number
     * @return the exact value; a value of more than 40 digits reads as a number of more than 64
     *     bits, with its sign, so that every caller calls it too large; empty when {@code value}
     *     is not a whole number by the rule
     */
    public static Optional<BigInteger> of(Object value) {
        if (value instanceof CharSequence cs) {
            return ofText(cs.toString());
        }
        if (value instanceof Number n) {
            return Optional.ofNullable(ofNumber(n));
        }
        return Optional.empty();
    }

    private static Optional<BigInteger> ofText(String s) {
        int start = s.startsWith("-") || s.startsWith("+") ? 1 : 0;
        if (s.length() == start) {
            return Optional.empty();
        }
        for (int i = start; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return Optional.empty();
            }
        }
        int signum = s.startsWith("-") ? -1 : 1;
        String digits = s.substring(start).replaceFirst("^0+(?=.)", "");
        if (digits.length() > MAX_DIGITS) {
            return Optional.of(BigInteger.valueOf(signum).shiftLeft(64));
        }
        BigInteger n = new BigInteger(digits);
        return Optional.of(signum < 0 ? n.negate() : n);
    }

    private static BigInteger ofNumber(Number n) {
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
            return BigInteger.valueOf(n.longValue());
        }
        if (n instanceof BigInteger b) {
            return b;
        }
        BigDecimal d;
        if (n instanceof BigDecimal b) {
            d = b;
        } else if (n instanceof Double || n instanceof Float) {
            double x = n.doubleValue();
            if (Double.isNaN(x) || Double.isInfinite(x)) {
                return null;
            }
            d = new BigDecimal(x);
        } else {
            try {
                d = new BigDecimal(n.toString());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        // In long arithmetic: precision - scale of 1E+2147483647 overflows an int to a negative.
        if ((long) d.precision() - d.scale() > MAX_DIGITS) {
            // toBigIntegerExact() of 1E+100000000 would run for minutes; any value past 63 bits
            // reads as "too large" (or "negative") to every caller.
            return BigInteger.valueOf(d.signum()).shiftLeft(64);
        }
        // A fraction is no whole number. Checked on the stripped value before toBigIntegerExact(),
        // which for 1E-100000000 would first compute 10^100000000 and run for minutes.
        if (d.scale() > 0) {
            d = d.stripTrailingZeros();
            if (d.scale() > 0) {
                return null;
            }
        }
        return d.toBigIntegerExact();
    }
}
