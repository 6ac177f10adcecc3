package org.containerlimits.files;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.List;

/**
 * YAML as the writers give it, through Jackson's YAML module: block style, two-space indents, list
 * items indented under their key, strings quoted only where YAML would read them as something else
 * ({@code '0.5'} stays a string), one {@code ---} before each document of a stream.
 */
final class YamlText {
    private static final ObjectMapper MAPPER = new YAMLMapper(YAMLFactory.builder()
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .build());

    private YamlText() {
    }

    /**
     * Writes documents.
     *
     * @param documents maps, lists, strings, numbers and booleans; one document is written without a
     *     separator, several each after {@code ---}
     * @return the text, ending in a line break
     */
    static String write(List<?> documents) {
        StringBuilder out = new StringBuilder();
        for (Object document : documents) {
            if (documents.size() > 1) {
                out.append("---\n");
            }
            try {
                out.append(MAPPER.writeValueAsString(document));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write " + document.getClass().getName() + " as YAML", e);
            }
        }
        return out.toString();
    }
}
