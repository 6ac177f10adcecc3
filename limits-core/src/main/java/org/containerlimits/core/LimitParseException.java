package org.containerlimits.core;

/**
 * Text that does not follow a grammar of this library, with where and why it failed.
 *
 * <p>The message quotes the input, gives the index of the first character that could not be
 * accepted and says what was expected there, for example:
 * <pre>{@code
 * invalid memory size "1.5.5g": unexpected '.' at index 3, expected a unit (b, k, m, g, t, p) or the end
 * }</pre>
 */
public final class LimitParseException extends LimitsException {
    private static final long serialVersionUID = 1L;

    private final String what;
    private final String input;
    private final int errorIndex;
    private final String expected;

    /**
     * Creates a parse error.
     *
     * @param what what was being parsed, e.g. {@code "memory size"}
     * @param input the whole input text
     * @param errorIndex index of the first character that could not be accepted; the input's
     *     length when the input ended too early
     * @param expected what the grammar expected at that index, e.g. {@code "a digit"}
     */
    public LimitParseException(String what, CharSequence input, int errorIndex, String expected) {
        super(format(what, String.valueOf(input), errorIndex, expected));
        this.what = what;
        this.input = String.valueOf(input);
        this.errorIndex = errorIndex;
        this.expected = expected;
    }

    private static String format(String what, String input, int index, String expected) {
        String found = index >= input.length()
                ? "unexpected end of input at index " + index
                : "unexpected " + describe(input.charAt(index)) + " at index " + index;
        return "invalid " + what + " " + quote(input) + ": " + found + ", expected " + expected;
    }

    private static String describe(char c) {
        if (c == '\'') {
            return "\"'\"";
        }
        if (c < 0x20 || c == 0x7f) {
            return String.format("character U+%04X", (int) c);
        }
        return "'" + c + "'";
    }

    static String quote(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /** The message without its {@code invalid <what> "<input>": } prefix. */
    String detail() {
        return getMessage().substring(("invalid " + what + " " + quote(input) + ": ").length());
    }

    /**
     * Returns what was being parsed, e.g. {@code "memory size"} or {@code "cpu limit"}.
     *
     * @return the name of the grammar
     */
    public String what() {
        return what;
    }

    /**
     * Returns the whole text that failed to parse.
     *
     * @return the input, never null
     */
    public String input() {
        return input;
    }

    /**
     * Returns the index of the first character that could not be accepted, or the input's length
     * when the input ended too early.
     *
     * @return the zero-based error index
     */
    public int errorIndex() {
        return errorIndex;
    }

    /**
     * Returns what the grammar expected at {@link #errorIndex()}.
     *
     * @return a short description such as {@code "a digit"}
     */
    public String expected() {
        return expected;
    }
}
