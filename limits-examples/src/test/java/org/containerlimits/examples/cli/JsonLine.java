package org.containerlimits.examples.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A strict parser of one flat JSON object (strings, numbers, true, false, null), for checking
 * {@code limits stats --json} line by line: anything else, or anything after the object, fails.
 */
final class JsonLine {
    private final String s;
    private int i;

    private JsonLine(String s) {
        this.s = s;
    }

    static Map<String, Object> parse(String line) {
        JsonLine p = new JsonLine(line);
        Map<String, Object> object = p.object();
        if (p.i != line.length()) {
            throw p.error("the end of the line");
        }
        return object;
    }

    private Map<String, Object> object() {
        expect('{');
        Map<String, Object> values = new LinkedHashMap<>();
        if (peek() == '}') {
            i++;
            return values;
        }
        while (true) {
            String key = string();
            expect(':');
            if (values.put(key, value()) != null) {
                throw error("no repeated key " + key);
            }
            char c = next();
            if (c == '}') {
                return values;
            }
            if (c != ',') {
                throw error("',' or '}'");
            }
        }
    }

    private Object value() {
        char c = peek();
        if (c == '"') {
            return string();
        }
        for (String word : new String[] {"true", "false", "null"}) {
            if (s.startsWith(word, i)) {
                i += word.length();
                return word.equals("null") ? null : Boolean.valueOf(word);
            }
        }
        int start = i;
        if (c == '-') {
            i++;
        }
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || ".eE+-".indexOf(s.charAt(i)) >= 0)) {
            i++;
        }
        if (start == i) {
            throw error("a value");
        }
        return Double.valueOf(s.substring(start, i));
    }

    private String string() {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return b.toString();
            }
            if (c == '\\') {
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case 'r' -> b.append('\r');
                    case 'u' -> {
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> throw error("an escape");
                }
            } else if (c < 0x20) {
                throw error("no control character in a string");
            } else {
                b.append(c);
            }
        }
    }

    private void expect(char c) {
        if (next() != c) {
            throw error("'" + c + "'");
        }
    }

    private char peek() {
        if (i >= s.length()) {
            throw error("more");
        }
        return s.charAt(i);
    }

    private char next() {
        char c = peek();
        i++;
        return c;
    }

    private IllegalArgumentException error(String expected) {
        return new IllegalArgumentException("expected " + expected + " at " + i + " in: " + s);
    }
}
