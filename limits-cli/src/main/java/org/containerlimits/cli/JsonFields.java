package org.containerlimits.cli;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Typed access to the fields of one JSON object a line of this command line's output holds
 * (a reading of {@code limits stats --json}, a history of {@code limits recommend --save}), each
 * error naming the field, its value and the rule.
 *
 * @param o the object, as {@link CliJson#readObject} reads it
 * @param kind what the object is, for a missing field's message: {@code "a reading of `limits stats
 *     --json`"}
 */
record JsonFields(Map<String, Object> o, String kind) {

    Object value(String key) {
        if (!o.containsKey(key)) {
            throw new IllegalArgumentException(key + ": missing; " + kind + " has it");
        }
        return o.get(key);
    }

    IllegalArgumentException wrong(String key, Object v, String rule) {
        String text = String.valueOf(v);
        return new IllegalArgumentException(key + " = " + (text.length() > 40 ? text.substring(0, 40) + "..." : text)
                + ": must be " + rule);
    }

    String text(String key) {
        if (value(key) instanceof String s && !s.isEmpty()) {
            return s;
        }
        throw wrong(key, o.get(key), "a non-empty string");
    }

    Instant instant(String key) {
        String s = text(key);
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw wrong(key, s, "an ISO-8601 instant such as 2026-11-30T10:00:00Z");
        }
    }

    <E extends Enum<E>> E constant(String key, Class<E> type) {
        String s = text(key);
        try {
            return Enum.valueOf(type, s);
        } catch (IllegalArgumentException e) {
            throw wrong(key, s, "one of " + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }

    double number(String key) {
        Object v = value(key);
        if (v instanceof Number n && Double.isFinite(n.doubleValue()) && n.doubleValue() >= 0) {
            return n.doubleValue();
        }
        throw wrong(key, v, "a number of at least 0");
    }

    BigDecimal decimal(String key) {
        double d = number(key);
        if (d <= 0 || d > 1e6) {
            throw wrong(key, d, "above 0 and at most 1000000");
        }
        return new BigDecimal(o.get(key).toString());
    }

    long whole(String key) {
        Object v = value(key);
        if ((v instanceof Integer || v instanceof Long) && ((Number) v).longValue() >= 0) {
            return ((Number) v).longValue();
        }
        throw wrong(key, v, "a whole number of at least 0 and at most " + Long.MAX_VALUE);
    }

    OptionalDouble optionalNumber(String key) {
        return value(key) == null ? OptionalDouble.empty() : OptionalDouble.of(number(key));
    }

    OptionalLong optionalWhole(String key) {
        return value(key) == null ? OptionalLong.empty() : OptionalLong.of(whole(key));
    }

    boolean bool(String key) {
        if (value(key) instanceof Boolean b) {
            return b;
        }
        throw wrong(key, o.get(key), "true or false");
    }

    Optional<BigDecimal> optionalDecimal(String key) {
        return value(key) == null ? Optional.empty() : Optional.of(decimal(key));
    }

    Optional<Instant> optionalInstant(String key) {
        return value(key) == null ? Optional.empty() : Optional.of(instant(key));
    }

    /** A nested object, its fields read the same way. */
    JsonFields object(String key) {
        if (value(key) instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) m;
            return new JsonFields(map, kind);
        }
        throw wrong(key, o.get(key), "a JSON object");
    }
}
