package org.containerlimits.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * A YAML (or JSON) stream as plain values, read strictly and within bounds: maps with string keys
 * in file order ({@link LinkedHashMap}), lists, strings, exact numbers ({@code Integer},
 * {@code Long}, {@code BigInteger}, {@code BigDecimal}), booleans and nulls, and the line and
 * column of every value by its path.
 *
 * <p>SnakeYAML composes the stream into its node graph (no object is constructed from it, so a tag
 * such as {@code !!java.lang.Runtime} instantiates nothing): an alias is a second reference to
 * the anchored node, not a copy, and SnakeYAML's LoaderOptions bound the input
 * ({@value #MAX_BYTES} code points), the nesting ({@value #MAX_DEPTH}) and the aliases to maps and
 * lists ({@value #MAX_COLLECTION_ALIASES}). The walk here then
 * <ul>
 *   <li>follows aliases, counting the values each would expand to: past {@value #MAX_VALUES}
 *       values (a billion laughs), or nested past {@value #MAX_DEPTH} through aliases (an alias
 *       inside its own anchor), it stops with an error. A node met again gives the same
 *       (unmodifiable) value as the first time, so the expansion is never allocated, and the work
 *       is that of the file's own nodes;</li>
 *   <li>applies merge keys ({@code <<: *common}, {@code <<: [*a, *b]}), as YAML 1.1's merge type
 *       says: the mapping's own keys win, then the merged maps in order, the first one first;
 *       Compose files use them widely;</li>
 *   <li>refuses a repeated key in a mapping (after merging, a merged key is not a repeat), a key
 *       that is not a scalar, and any tag but YAML's own {@code str}, {@code int}, {@code float},
 *       {@code bool}, {@code null}, {@code timestamp} (kept as text), {@code map} and
 *       {@code seq};</li>
 *   <li>reads numbers exactly: an integer only in decimal digits (YAML 1.1's {@code 0x}, octal
 *       {@code 010}, {@code 1_000} and {@code 1:30} are refused, since YAML 1.2, which Compose
 *       reads, gives them other values), a float as a {@code BigDecimal}, {@code .inf} and
 *       {@code .nan} refused.</li>
 * </ul>
 * Input bytes are decoded by the JDK's strict UTF-8 decoder first, at most {@value #MAX_BYTES}.
 */
final class YamlTree {
    /** The most input read: 1 MiB. */
    static final int MAX_BYTES = 1 << 20;

    /** Deepest nesting of maps and lists, aliases followed. */
    static final int MAX_DEPTH = 64;

    /** The most values (scalars, maps, lists) made, aliases expanded. */
    static final int MAX_VALUES = 200_000;

    /** The most aliases to maps and lists in one stream, SnakeYAML's own bound. */
    static final int MAX_COLLECTION_ALIASES = 1_000;

    private static final Pattern DECIMAL_INT = Pattern.compile("[-+]?(0|[1-9][0-9]*)");
    private static final Pattern DECIMAL_FLOAT = Pattern.compile("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?");

    /** One document: its value and the mark of each value by path. */
    record Document(int index, Object value, Map<String, Mark> marks) {
        /** "line L, column C: " for a path, or "" when the path is not known. */
        String at(String path) {
            Mark m = marks.get(path);
            return m == null ? "" : "line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1) + ": ";
        }
    }

    private final String source;
    private int values;
    private Map<String, Mark> marks;
    /** Per document: each node's value, its expanded size in values, and the path it was first met at. */
    private final Map<Node, Object> made = new IdentityHashMap<>();
    private final Map<Node, Integer> sizes = new IdentityHashMap<>();
    private final Map<Node, String> firstPaths = new IdentityHashMap<>();

    private YamlTree(String source) {
        this.source = source;
    }

    /**
     * Reads at most {@value #MAX_BYTES} bytes, strict UTF-8.
     *
     * @param in the stream, not closed
     * @param source the name for errors
     * @return the text
     * @throws InvalidFileException when larger or not UTF-8, naming the byte
     * @throws IOException when the stream fails
     */
    static String readText(InputStream in, String source) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
            throw new InvalidFileException(source, List.of("larger than " + MAX_BYTES + " bytes (1 MiB)"));
        }
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
            throw new InvalidFileException(source, List.of("not valid UTF-8: byte" + (length == 1 ? " " : "s ")
                    + HexFormat.ofDelimiter(" ").withUpperCase().formatHex(bytes, at, at + length) + " at line " + line
                    + ", byte " + (at - lineStart + 1) + " of the line"));
        }
        return output.flip().toString();
    }

    /**
     * Reads every document of a stream; an empty document (a trailing {@code ---}) is left out.
     *
     * @param text the text, at most {@value #MAX_BYTES} characters
     * @param source the name for errors
     * @return the documents, in order, numbered from 1
     * @throws InvalidFileException on the first problem, in one line
     */
    static List<Document> read(String text, String source) {
        if (text.length() > MAX_BYTES) {
            throw new InvalidFileException(source, List.of("larger than " + MAX_BYTES + " characters (1 MiB)"));
        }
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(MAX_COLLECTION_ALIASES);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setCodePointLimit(MAX_BYTES);
        options.setAllowRecursiveKeys(false);
        options.setMergeOnCompose(false);
        options.setProcessComments(false);
        // Nothing is constructed (compose only); the tag inspector refuses global tags all the same.
        options.setTagInspector(tag -> false);
        DumperOptions dumper = new DumperOptions();
        Yaml yaml = new Yaml(new SafeConstructor(options), new Representer(dumper), dumper, options);
        YamlTree tree = new YamlTree(source);
        List<Document> documents = new ArrayList<>();
        int index = 0;
        try {
            for (Node node : yaml.composeAll(new StringReader(text))) {
                index++;
                if (node == null || isEmpty(node)) {
                    continue;
                }
                tree.marks = new HashMap<>();
                tree.made.clear();
                tree.sizes.clear();
                tree.firstPaths.clear();
                Object value = tree.value(node, "", 0);
                documents.add(new Document(index, value, Collections.unmodifiableMap(tree.marks)));
            }
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
            throw tree.error((m == null ? "" : "line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1) + ": ")
                    + "not valid YAML: " + problem(problem));
        } catch (YAMLException e) {
            throw tree.error(snakeYamlBound(e.getMessage()));
        } catch (StackOverflowError e) {
            // Not expected within the depth bound; refused all the same, never a stack trace.
            throw tree.error("nested too deeply for this reader (more than " + MAX_DEPTH + " levels)");
        }
        return documents;
    }

    private static boolean isEmpty(Node node) {
        return node instanceof ScalarNode s && s.getTag().equals(Tag.NULL) && s.getValue().isEmpty();
    }

    /** SnakeYAML's unmarked errors are its bounds; said as this reader's rules. */
    private static String snakeYamlBound(String message) {
        String m = message == null ? "" : message;
        if (m.startsWith("Number of aliases")) {
            return "more than " + MAX_COLLECTION_ALIASES + " aliases to maps or lists (an alias bomb?): the most"
                    + " this reader follows";
        }
        if (m.startsWith("Nesting Depth")) {
            return "nested deeper than " + MAX_DEPTH + " levels of maps and lists";
        }
        if (m.contains("exceeds the limit")) {
            return "larger than " + MAX_BYTES + " characters (1 MiB)";
        }
        return "not valid YAML: " + problem(m);
    }

    private static String problem(String p) {
        return p == null ? "unreadable" : p.replaceAll("\\s+", " ").strip();
    }

    private InvalidFileException error(String problem) {
        return new InvalidFileException(source, List.of(problem));
    }

    private static String at(Node node) {
        Mark m = node.getStartMark();
        return m == null ? "" : "line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1) + ": ";
    }

    private static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /**
     * A node's value. A node met again through an alias gives the value made the first time (values
     * are unmodifiable, so sharing is safe) and counts its expanded size again: the count is what the
     * expansion would be, while the work and the memory stay those of the file's own nodes.
     */
    private Object value(Node node, String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw error(at(node) + path + ": nested deeper than " + MAX_DEPTH
                    + " levels of maps and lists once aliases are followed");
        }
        if (node.getStartMark() != null && marks.size() < MAX_VALUES) {
            marks.putIfAbsent(path, node.getStartMark());
        }
        Integer known = sizes.get(node);
        if (known != null) {
            count(node, path, known, true);
            return made.get(node);
        }
        int before = values;
        count(node, path, 1, false);
        firstPaths.put(node, path);
        Object value = make(node, path, depth);
        made.put(node, value);
        sizes.put(node, values - before);
        return value;
    }

    private void count(Node node, String path, int n, boolean alias) {
        values += n;
        if (values > MAX_VALUES || values < 0) {
            // SnakeYAML keeps no mark of an alias, only of its anchor's node.
            String where = alias ? path + ", an alias of the " + at(node).replace(": ", "").replaceFirst("^line", "node at line")
                    : at(node) + path;
            throw error((where.isEmpty() ? "" : where + ": ") + "more than " + MAX_VALUES
                    + " values once aliases are expanded (an alias bomb?): the most this reader makes");
        }
    }

    private Object make(Node node, String path, int depth) {
        if (node instanceof ScalarNode s) {
            return scalar(s, path);
        }
        if (node instanceof SequenceNode seq) {
            requireTag(node, Tag.SEQ, path);
            List<Object> list = new ArrayList<>(seq.getValue().size());
            int i = 0;
            for (Node item : seq.getValue()) {
                list.add(value(item, path + "[" + i++ + "]", depth + 1));
            }
            return Collections.unmodifiableList(list);
        }
        MappingNode map = (MappingNode) node;
        requireTag(node, Tag.MAP, path);
        Map<String, Object> own = new LinkedHashMap<>();
        List<Node> merges = new ArrayList<>();
        for (NodeTuple t : map.getValue()) {
            Node k = t.getKeyNode();
            if (!(k instanceof ScalarNode key)) {
                throw error(at(k) + (path.isEmpty() ? "" : path + ": ") + "a key must be a scalar, not a "
                        + (k instanceof SequenceNode ? "list" : "map"));
            }
            if (key.getTag().equals(Tag.MERGE)) {
                if (!merges.isEmpty()) {
                    throw error(at(k) + child(path, "<<") + ": repeated merge key; merge several maps as <<: [*a, *b]");
                }
                merges.add(t.getValueNode());
                continue;
            }
            if (!key.getTag().equals(Tag.STR) && !key.getTag().equals(Tag.INT) && !key.getTag().equals(Tag.FLOAT)
                    && !key.getTag().equals(Tag.BOOL) && !key.getTag().equals(Tag.NULL)
                    && !key.getTag().equals(Tag.TIMESTAMP)) {
                throw error(at(k) + child(path, key.getValue()) + ": the tag " + key.getTag() + " is not allowed on a key");
            }
            String name = key.getValue();
            if (own.containsKey(name)) {
                throw error(at(k) + child(path, name) + ": repeated key '" + name + "' (YAML keys are unique)");
            }
            own.put(name, value(t.getValueNode(), child(path, name), depth + 1));
        }
        if (merges.isEmpty()) {
            return Collections.unmodifiableMap(own);
        }
        // YAML 1.1's merge: the mapping's own keys win, then each merged map, the first first.
        Map<String, Object> merged = new LinkedHashMap<>();
        Node from = merges.get(0);
        List<Node> sources = from instanceof SequenceNode seq ? seq.getValue() : List.of(from);
        for (Node source : sources) {
            if (!(source instanceof MappingNode)) {
                throw error(at(source) + child(path, "<<") + ": a merge key takes a map or a list of maps, not "
                        + (source instanceof SequenceNode ? "a list" : "'" + ((ScalarNode) source).getValue() + "'"));
            }
            Object m = value(source, child(path, "<<"), depth + 1);
            String from2 = firstPaths.get(source);
            for (Map.Entry<?, ?> e : ((Map<?, ?>) m).entrySet()) {
                String key = (String) e.getKey();
                merged.putIfAbsent(key, e.getValue());
                // A merged key's line is where the merged map gives it.
                Mark mark = from2 == null ? null : marks.get(child(from2, key));
                if (mark != null && !own.containsKey(key) && marks.size() < MAX_VALUES) {
                    marks.putIfAbsent(child(path, key), mark);
                }
            }
        }
        merged.putAll(own);
        return Collections.unmodifiableMap(merged);
    }

    private void requireTag(Node node, Tag expected, String path) {
        if (!node.getTag().equals(expected)) {
            throw error(at(node) + (path.isEmpty() ? "" : path + ": ") + "the tag " + node.getTag()
                    + " is not allowed: only YAML's str, int, float, bool, null, timestamp, map and seq");
        }
    }

    private Object scalar(ScalarNode s, String path) {
        Tag tag = s.getTag();
        String text = s.getValue();
        String where = at(s) + (path.isEmpty() ? "" : path + " = ") + "'" + ComposeFile.shown(text) + "': ";
        if (tag.equals(Tag.STR) || tag.equals(Tag.TIMESTAMP)) {
            return text;
        }
        if (tag.equals(Tag.NULL)) {
            return null;
        }
        if (tag.equals(Tag.BOOL)) {
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "y", "on" -> Boolean.TRUE;
                case "false", "no", "n", "off" -> Boolean.FALSE;
                default -> throw error(where + "not a boolean: true or false");
            };
        }
        if (tag.equals(Tag.INT)) {
            if (text.length() > 100) {
                throw error(where + "an integer longer than 100 characters");
            }
            if (!DECIMAL_INT.matcher(text).matches()) {
                throw error(where + "an integer must be written in decimal digits (YAML 1.1 and 1.2 read 0x, 0o,"
                        + " a leading 0, _ and 1:30 differently); quote it to give text");
            }
            BigInteger n = new BigInteger(text.startsWith("+") ? text.substring(1) : text);
            return n.bitLength() < 32 ? (Object) n.intValue() : n.bitLength() < 64 ? (Object) n.longValue() : n;
        }
        if (tag.equals(Tag.FLOAT)) {
            if (!DECIMAL_FLOAT.matcher(text).matches()) {
                throw error(where + "a number must be a finite decimal (no .inf, .nan, _ or 1:30)");
            }
            if (text.length() > 100) {
                throw error(where + "a number longer than 100 characters");
            }
            return new BigDecimal(text.startsWith("+") ? text.substring(1) : text);
        }
        throw error(at(s) + (path.isEmpty() ? "" : path + ": ") + "the tag " + tag
                + " is not allowed: only YAML's str, int, float, bool, null, timestamp, map and seq");
    }
}
