package org.containerlimits.core;


import java.math.BigDecimal;

/**
 * A position in a text being parsed, which turns every failure into a {@link LimitParseException}
 * that names the grammar, the input, the index and what was expected there.
 */
final class TextCursor {
    private final String what;
    private final String text;
    private int pos;

    public TextCursor(String what, CharSequence text) {
        this.what = what;
        this.text = java.util.Objects.requireNonNull(text, "text").toString();
    }

    public String text() {
        return text;
    }

    public int position() {
        return pos;
    }

    public boolean atEnd() {
        return pos >= text.length();
    }

    /** The next character, or {@code 0} at the end (never a character of valid input). */
    public char peek() {
        return atEnd() ? 0 : text.charAt(pos);
    }

    /** The next character, ASCII letters lowercased; other characters unchanged. */
    public char peekLower() {
        return toLowerAscii(peek());
    }

    public void advance() {
        pos++;
    }

    public boolean tryConsume(char c) {
        if (!atEnd() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    /**
     * Consumes {@code s} if it comes next, ignoring the case of ASCII letters only: Unicode case
     * folding would let look-alikes such as the Kelvin sign or a dotless i pass for {@code k} and
     * {@code i}.
     */
    public boolean tryConsumeIgnoreCase(String s) {
        if (regionEqualsIgnoreAsciiCase(text, pos, s)) {
            pos += s.length();
            return true;
        }
        return false;
    }

    public static char toLowerAscii(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    /** Whether {@code text} equals {@code s}, ignoring the case of ASCII letters only. */
    public static boolean equalsIgnoreAsciiCase(String text, String s) {
        return text.length() == s.length() && regionEqualsIgnoreAsciiCase(text, 0, s);
    }

    private static boolean regionEqualsIgnoreAsciiCase(String text, int from, String s) {
        if (from < 0 || from + s.length() > text.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (toLowerAscii(text.charAt(from + i)) != toLowerAscii(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    public void expect(char c, String expected) {
        if (!tryConsume(c)) {
            throw fail(expected);
        }
    }

    public void expectEnd() {
        if (!atEnd()) {
            throw fail("the end");
        }
    }

    public static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Reads {@code digits}, at least one. */
    public String digits() {
        int start = pos;
        while (!atEnd() && isDigit(text.charAt(pos))) {
            pos++;
        }
        if (start == pos) {
            throw fail("a digit");
        }
        return text.substring(start, pos);
    }

    /** Reads {@code digits ["." digits]} as an exact, non-negative decimal. */
    public BigDecimal decimal() {
        int start = pos;
        digits();
        if (tryConsume('.')) {
            digits();
        }
        return new BigDecimal(text.substring(start, pos));
    }

    /** Reads {@code digits} as a long; a value beyond {@code max} fails at {@code start}. */
    public long integer(long max, String expected) {
        int start = pos;
        String d = digits();
        BigDecimal value = new BigDecimal(d);
        if (value.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw failAt(start, expected);
        }
        return value.longValueExact();
    }

    public LimitParseException fail(String expected) {
        return failAt(pos, expected);
    }

    public LimitParseException failAt(int index, String expected) {
        return new LimitParseException(what, text, index, expected);
    }
}
