package org.containerlimits.core;

import java.math.BigDecimal;
import java.util.Map;

/** Small text and argument rules that the value model and the formats share. */
final class Texts {
    private Texts() {
    }

    /**
     * A decimal as plain text ({@code 1000000}, {@code 0.001}), or in scientific notation
     * ({@code 1E+1000000000}) when the plain text would run past a thousand zeros: a BigDecimal that a
     * JSON parser makes of the 12 characters {@code 1e1000000000} is a billion digits in plain text.
     *
     * @param d the decimal
     * @return text that {@code new BigDecimal(String)} reads back to an equal value
     */
    public static String decimal(BigDecimal d) {
        return Math.abs((long) d.scale()) > 1000 ? d.toString() : d.toPlainString();
    }

    /**
     * Whether {@code s} holds ASCII only: Java's number parsers also read Unicode digits.
     *
     * @param s the text
     * @return true when every character is below 0x80
     */
    public static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 0x80);
    }

    /**
     * Refuses a null map as every reader reports it, naming the argument.
     *
     * @param field what the argument is called in the message, such as {@code resources}
     * @param map the map a reader was given
     * @throws InvalidLimitsException if {@code map} is null
     */
    public static void requireMap(String field, Map<?, ?> map) {
        if (map == null) {
            throw InvalidLimitsException.of(field, "null", "must be a map (empty for no limits)");
        }
    }
}
