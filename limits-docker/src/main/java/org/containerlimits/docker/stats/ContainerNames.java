package org.containerlimits.docker.stats;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the stats code takes as a container, an id or a name with or without its slash, and how its
 * messages show one.
 */
final class ContainerNames {
    /** See {@link StatsReader#CONTAINER_GRAMMAR}. */
    static final String GRAMMAR = "an optional '/', then a letter or digit, then letters, digits,"
            + " '_', '.' or '-', 255 characters at most";

    private static final Pattern CONTAINER = Pattern.compile("/?[a-zA-Z0-9][a-zA-Z0-9_.-]{0,254}");

    private ContainerNames() {
    }

    /**
     * Refuses what is no container's id or name before it reaches a request path ("../info").
     *
     * @param containerId what was given as a container
     * @throws NullPointerException if it is null
     * @throws IllegalArgumentException if it does not match {@link #GRAMMAR}
     */
    static void check(String containerId) {
        Objects.requireNonNull(containerId, "containerId");
        if (!CONTAINER.matcher(containerId).matches()) {
            String shown = containerId.length() > 80 ? containerId.substring(0, 80) + "..." : containerId;
            throw new IllegalArgumentException("container '" + shown.replaceAll("\\p{Cntrl}", "?")
                    + "' is not a container's id or name: expected " + GRAMMAR);
        }
    }

    /** A full container id: 64 lower-case hex digits. */
    private static final Pattern FULL_ID = Pattern.compile("[0-9a-f]{64}");

    /**
     * Shortens a container's full id as {@code docker ps} does, for messages; a name (or a short
     * id) is shown whole, since its first 12 characters may name nothing.
     *
     * @param id a full id, a short one or a name
     * @return a full id's first 12 characters, anything else as it is
     */
    static String shortId(String id) {
        return id != null && FULL_ID.matcher(id).matches() ? id.substring(0, 12) : String.valueOf(id);
    }
}
