package org.containerlimits.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The JSON the command line reads and writes, through Jackson, strict and bounded: a limits
 * document is one small flat object, so anything that is not (a repeated key, more after the
 * object, deep nesting, a long string or number, bytes that are not UTF-8, more than
 * {@value #MAX_INPUT_BYTES} bytes) is refused with one line naming what and where. Numbers are
 * exact: whole numbers as {@code Integer}, {@code Long} or {@code BigInteger}, others as
 * {@code BigDecimal} ({@code 1e400} stays 1E+400), never a rounded {@code double}.
 */
final class CliJson {
    /** The most input read: a limits document is a few hundred bytes. */
    static final int MAX_INPUT_BYTES = 1 << 20;

    /** Deepest nesting: a limits document is two levels deep (Compose, Kubernetes). */
    static final int MAX_DEPTH = 32;

    /** Longest number, in characters; {@code 1e400} is 5. */
    static final int MAX_NUMBER_LENGTH = 100;

    /** Longest string value, in characters. */
    static final int MAX_STRING_LENGTH = 65_536;

    /** Longest key, in characters. */
    static final int MAX_KEY_LENGTH = 1_000;

    /** Most tokens in one document. */
    static final int MAX_TOKENS = 10_000;

    private static final JsonFactory FACTORY = new JsonFactoryBuilder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxNumberLength(MAX_NUMBER_LENGTH)
                    .maxStringLength(MAX_STRING_LENGTH)
                    .maxNameLength(MAX_KEY_LENGTH)
                    .maxDocumentLength(MAX_INPUT_BYTES)
                    .maxTokenCount(MAX_TOKENS)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // Errors name line and column; the input itself is not echoed.
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            // As the hand-written writer before: 0.001, not 1E-3; control characters in lower-case hex.
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
            .build();

    private static final ObjectMapper MAPPER = JsonMapper.builder(FACTORY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    /** Objects indented by two spaces, {@code "key": value}, {@code {}} and {@code [1, 2]} inline. */
    private static final ObjectWriter PRETTY = MAPPER.writer(new DefaultPrettyPrinter(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayValueSpacing(Separators.Spacing.AFTER)
                    .withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(DefaultPrettyPrinter.NopIndenter.instance));

    private CliJson() {
    }

    /**
     * Reads input text from a stream: at most {@value #MAX_INPUT_BYTES} bytes, strict UTF-8.
     *
     * @param in the stream, read up to one byte past the bound and not closed
     * @return the text
     * @throws IllegalArgumentException when the input is larger, or not UTF-8, naming the byte
     * @throws IOException when the stream fails
     */
    static String readText(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_INPUT_BYTES + 1);
        if (bytes.length > MAX_INPUT_BYTES) {
            throw tooLarge();
        }
        // The JDK's decoder refuses every ill-formed sequence: overlong forms (C0 80), encoded
        // surrogates (ED A0 80), code points past U+10FFFF, stray and missing continuation bytes.
        // Jackson's own byte parser checks only the continuation bytes, so it is given chars.
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer input = ByteBuffer.wrap(bytes);
        CharBuffer output = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(input, output, true);
        if (result.isUnderflow()) {
            result = decoder.flush(output);
        }
        if (result.isError()) {
            int at = input.position();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < at; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            int length = Math.min(result.length(), bytes.length - at);
            throw new IllegalArgumentException("not valid UTF-8: byte" + (length == 1 ? " " : "s ")
                    + HexFormat.ofDelimiter(" ").withUpperCase().formatHex(bytes, at, at + length) + " at line " + line
                    + ", byte " + (at - lineStart + 1) + " of the line (byte " + (at + 1) + " of the input)");
        }
        return output.flip().toString();
    }

    /**
     * Reads one JSON object.
     *
     * @param text the text
     * @param what what the object should be, for the error ({@code "for compose"})
     * @return the object, keys in input order, values as {@link CliJson} describes
     * @throws IllegalArgumentException one line naming what is wrong and where
     */
    static Map<String, Object> readObject(String text, String what) {
        if (text.length() > MAX_INPUT_BYTES) {
            throw tooLarge();
        }
        int start = 0;
        while (start < text.length() && " \t\r\n".indexOf(text.charAt(start)) >= 0) {
            start++;
        }
        if (start == text.length()) {
            throw new IllegalArgumentException("no JSON: the input is empty; expected a JSON object " + what);
        }
        Object value;
        try (JsonParser p = MAPPER.createParser(text)) {
            try {
                value = MAPPER.readValue(p, Object.class);
            } catch (JsonProcessingException e) {
                JsonLocation at = e.getLocation() == null || e.getLocation().getLineNr() < 1 ? p.currentLocation()
                        : e.getLocation();
                throw new IllegalArgumentException("invalid JSON at " + position(at) + ": " + describe(e));
            } catch (RuntimeException e) {
                // Should a number's conversion fail unwrapped (NumberFormatException, ArithmeticException).
                throw new IllegalArgumentException("invalid JSON at " + position(p.currentLocation()) + ": "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            }
        } catch (IOException e) {
            // A String source does not fail to read; closing it does not either.
            throw new UncheckedIOException(e);
        }
        if (value instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> object = (Map<String, Object>) map;
            return object;
        }
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < start; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        throw new IllegalArgumentException("expected a JSON object " + what + ", found " + kind(value) + " at line "
                + line + ", column " + (start - lineStart + 1));
    }

    /**
     * Writes a value as JSON, objects indented by two spaces: the form {@code limits convert} prints.
     *
     * @param value maps, lists, strings, numbers, booleans and nulls
     * @return the text, without a final line break
     */
    static String write(Object value) {
        try {
            return PRETTY.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getName() + " as JSON", e);
        }
    }

    /**
     * A generator of compact JSON (no white space), with this class's settings; it writes maps,
     * lists and numbers given to {@code writeObject} as {@link #write} does.
     *
     * @param out where it writes; closed with the generator
     * @return the generator
     */
    static JsonGenerator generator(Writer out) {
        try {
            return MAPPER.createGenerator(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static IllegalArgumentException tooLarge() {
        return new IllegalArgumentException("larger than " + MAX_INPUT_BYTES
                + " bytes; a limits document is a few hundred");
    }

    private static String position(JsonLocation at) {
        return "line " + at.getLineNr() + ", column " + at.getColumnNr();
    }

    private static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        if (message == null) {
            return e.getClass().getSimpleName();
        }
        if (e instanceof MismatchedInputException && message.startsWith("Trailing token")) {
            return "more input after the end of the JSON value";
        }
        if (message.startsWith("String value length (")) {
            // Jackson checks its text buffer as it grows, before a token ends, and the buffer holds a
            // number's digits too: a million-digit number is refused here, with a count of the part read.
            return "a string or number longer than " + MAX_STRING_LENGTH + " characters";
        }
        // "(32, from `StreamReadConstraints.getMaxNestingDepth()`)": the limit is what matters.
        return message.replaceAll(", from `[^`]*`", "");
    }

    private static String kind(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof List) {
            return "an array";
        }
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Boolean) {
            return value.toString();
        }
        return "a number";
    }
}
