package org.containerlimits.cli;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations as the docker CLI writes them, for {@code --interval} and {@code --timeout}: a
 * whole number and a unit, {@code ms}, {@code s}, {@code m} or {@code h}: {@code 500ms}, {@code 1s},
 * {@code 2m}.
 */
final class DurationText {
    private static final Pattern FORM = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    private DurationText() {
    }

    /**
     * Parses a duration.
     *
     * @param option the option it came with, for the error
     * @param text the text
     * @return the duration, positive
     * @throws BadInputException naming the option, the text and the grammar
     */
    static Duration parse(String option, String text) {
        Matcher m = FORM.matcher(text.strip());
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new BadInputException(List.of(option + " '" + text + "': expected a positive whole number and a"
                    + " unit ms, s, m or h, such as 500ms, 1s or 2m"));
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }
}
