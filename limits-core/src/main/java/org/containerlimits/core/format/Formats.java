package org.containerlimits.core.format;


import org.containerlimits.core.InvalidLimitsException;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.Violation;
import org.containerlimits.core.WholeNumber;


import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the format readers share: docker-py maps built from a format's keys, errors in its names. */
final class Formats {
    private Formats() {
    }

    /**
     * Validates a docker-py map built from a format's input, renaming each violation's field to the
     * format's own key, with the format's own problems first.
     *
     * @param dockerPy the map, keyed by docker-py keywords
     * @param names the format's name for a docker-py keyword (itself when it has none)
     * @param problems what the format's reader already found wrong
     * @return the limits
     * @throws InvalidLimitsException listing every problem, in the format's names
     */
    static ResourceLimits limits(Map<String, Object> dockerPy, java.util.function.UnaryOperator<String> names,
            List<Violation> problems) {
        List<Violation> all = new ArrayList<>(problems);
        ResourceLimits limits = null;
        try {
            limits = ResourceLimits.fromDockerPy(dockerPy);
        } catch (InvalidLimitsException e) {
            for (Violation v : e.violations()) {
                all.add(new Violation(names.apply(v.field()), v.value(), v.rule()));
            }
        }
        if (!all.isEmpty()) {
            throw new InvalidLimitsException(all);
        }
        return limits;
    }

    /**
     * An exact whole number from a JSON or YAML parser's number or string, by {@link WholeNumber}'s
     * one rule, or null after adding a violation.
     *
     * @param key the format's key, for the error
     * @param v the value
     * @param problems where a value that is not whole, or does not fit 64 bits, is reported
     * @return the number, or null
     */
    static Long wholeNumber(String key, Object v, List<Violation> problems) {
        BigInteger n = WholeNumber.of(v).orElse(null);
        if (n == null) {
            problems.add(new Violation(key, text(v), v instanceof Number || v instanceof String
                    ? WholeNumber.RULE : WholeNumber.RULE + ", not " + type(v)));
            return null;
        }
        if (n.bitLength() > 63) {
            problems.add(new Violation(key, text(v), "must fit a 64-bit integer"));
            return null;
        }
        return n.longValueExact();
    }

    /**
     * A decimal number as text, from a number or a string, or null after adding a violation.
     *
     * @param key the format's key
     * @param v the value
     * @param problems where a wrong type is reported
     * @return the text, exact for numbers (a double is written as Java's shortest decimal)
     */
    static String decimalText(String key, Object v, List<Violation> problems) {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte
                || v instanceof BigInteger) {
            return v.toString();
        }
        if (v instanceof BigDecimal d) {
            return decimal(d);
        }
        if ((v instanceof Double || v instanceof Float) && Double.isFinite(((Number) v).doubleValue())) {
            return BigDecimal.valueOf(((Number) v).doubleValue()).toPlainString();
        }
        problems.add(new Violation(key, text(v), "must be a number or a string, not " + type(v)));
        return null;
    }

    /**
     * A map from a parser, or null after adding a violation.
     *
     * @param key the format's key
     * @param v the value
     * @param problems where a wrong type is reported
     * @return the map
     */
    static Map<?, ?> map(String key, Object v, List<Violation> problems) {
        if (v instanceof Map<?, ?> m) {
            return m;
        }
        problems.add(new Violation(key, text(v), "must be a map, not " + type(v)));
        return null;
    }

    /**
     * A {@code resources} map of two sections, each left out when empty.
     *
     * @param first the first section's name ({@code limits})
     * @param firstValues its values
     * @param second the second section's name ({@code reservations} or {@code requests})
     * @param secondValues its values
     * @return the unmodifiable map
     */
    static Map<String, Object> sections(String first, Map<String, Object> firstValues, String second,
            Map<String, Object> secondValues) {
        Map<String, Object> resources = new java.util.LinkedHashMap<>();
        if (!firstValues.isEmpty()) {
            resources.put(first, java.util.Collections.unmodifiableMap(firstValues));
        }
        if (!secondValues.isEmpty()) {
            resources.put(second, java.util.Collections.unmodifiableMap(secondValues));
        }
        return java.util.Collections.unmodifiableMap(resources);
    }




    static String text(Object v) {
        return v == null ? "null" : v instanceof String s ? "'" + s + "'" : String.valueOf(v);
    }

    static String type(Object v) {
        // JSON/YAML words, not Java's class names (List.of gives "ListN").
        if (v == null) {
            return "null";
        }
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Number) {
            return "a number";
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        if (v instanceof Map) {
            return "a map";
        }
        if (v instanceof java.util.Collection) {
            return "a list";
        }
        return v.getClass().getSimpleName();
    }

    /** A decimal as plain text, or in scientific notation past a thousand zeros (1e1000000000 stays short). */
    static String decimal(BigDecimal d) {
        return Math.abs((long) d.scale()) > 1000 ? d.toString() : d.toPlainString();
    }

    /** Whether {@code s} holds ASCII only: Java's number parsers also read Unicode digits. */
    static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 0x80);
    }

    /** Refuses a null map as every reader reports it, naming the argument. */
    static void requireMap(String field, Map<?, ?> map) {
        if (map == null) {
            throw InvalidLimitsException.of(field, "null", "must be a map (empty for no limits)");
        }
    }
}
