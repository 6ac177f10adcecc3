package org.containerlimits.core;



import org.containerlimits.core.format.KubernetesResources;

import java.math.BigDecimal;

/**
 * Kubernetes' quantity grammar, exact, for memory ({@link MemorySize#parseKubernetes}) and CPU
 * ({@link org.containerlimits.core.format.KubernetesResources}):
 * <pre>
 *   quantity = ["+"] number [suffix]
 *   number   = digits ["." [digits]] | "." digits
 *   suffix   = binary | decimal | exponent
 *   binary   = "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei"       (powers of 1024)
 *   decimal  = "n" | "u" | "m" | "k" | "M" | "G" | "T" | "P" | "E"   (powers of 1000)
 *   exponent = ("e" | "E") ["+" | "-"] digits
 * </pre>
 * Suffixes are case-sensitive, as in Kubernetes; the suffix tables come before the exponent, so
 * {@code 1E} is 10^18 and {@code 1Ei} 2^60.
 *
 * <pre>{@code
 * KubernetesQuantity.parse("1536Mi");   // 1610612736
 * KubernetesQuantity.parse("250m");     // 0.250
 * KubernetesQuantity.parse("1e3");      // 1000
 * }</pre>
 */
public final class KubernetesQuantity {
    private KubernetesQuantity() {
    }

    /**
     * Parses a whole quantity.
     *
     * @param text the text, such as {@code 1Gi} or {@code 500m}
     * @return the exact value
     * @throws LimitParseException naming the position and what was expected
     */
    public static BigDecimal parse(CharSequence text) {
        return parse(new TextCursor("Kubernetes quantity", text));
    }

    /**
     * Parses a whole quantity from a cursor that names the grammar in its errors.
     *
     * @param in the text, at its start
     * @return the exact value
     * @throws LimitParseException naming the position and what was expected
     */
    static BigDecimal parse(TextCursor in) {
        in.tryConsume('+');
        int numberStart = in.position();
        StringBuilder number = new StringBuilder();
        while (TextCursor.isDigit(in.peek())) {
            number.append(in.peek());
            in.advance();
        }
        if (in.tryConsume('.')) {
            number.append('.');
            while (TextCursor.isDigit(in.peek())) {
                number.append(in.peek());
                in.advance();
            }
        }
        if (number.length() == 0 || number.toString().equals(".")) {
            throw in.failAt(numberStart, "a digit");
        }
        BigDecimal value = new BigDecimal(number.toString().endsWith(".")
                ? number.substring(0, number.length() - 1) : number.toString());
        int suffixStart = in.position();
        String suffix = in.text().substring(suffixStart);
        BigDecimal multiplier = suffix(suffix);
        if (multiplier == null && suffix.length() > 1 && (suffix.charAt(0) == 'e' || suffix.charAt(0) == 'E')) {
            in.advance();
            int expStart = in.position();
            boolean negative = in.tryConsume('-');
            if (!negative) {
                in.tryConsume('+');
            }
            long exponent = in.integer(1000, "an exponent of at most 1000");
            in.expectEnd();
            if (exponent > 40) {
                throw in.failAt(expStart, "an exponent of at most 40");
            }
            multiplier = negative ? BigDecimal.ONE.movePointLeft((int) exponent)
                    : BigDecimal.ONE.movePointRight((int) exponent);
        } else if (multiplier == null) {
            throw in.failAt(suffixStart,
                    "a suffix (Ki, Mi, Gi, Ti, Pi, Ei, n, u, m, k, M, G, T, P, E), an exponent or the end");
        }
        return value.multiply(multiplier);
    }

    private static BigDecimal suffix(String suffix) {
        switch (suffix) {
            case "": return BigDecimal.ONE;
            case "Ki": return BigDecimal.valueOf(1L << 10);
            case "Mi": return BigDecimal.valueOf(1L << 20);
            case "Gi": return BigDecimal.valueOf(1L << 30);
            case "Ti": return BigDecimal.valueOf(1L << 40);
            case "Pi": return BigDecimal.valueOf(1L << 50);
            case "Ei": return BigDecimal.valueOf(1L << 60);
            case "n": return BigDecimal.ONE.movePointLeft(9);
            case "u": return BigDecimal.ONE.movePointLeft(6);
            case "m": return BigDecimal.ONE.movePointLeft(3);
            case "k": return BigDecimal.ONE.movePointRight(3);
            case "M": return BigDecimal.ONE.movePointRight(6);
            case "G": return BigDecimal.ONE.movePointRight(9);
            case "T": return BigDecimal.ONE.movePointRight(12);
            case "P": return BigDecimal.ONE.movePointRight(15);
            case "E": return BigDecimal.ONE.movePointRight(18);
            default: return null;
        }
    }

}
