package org.containerlimits.docker.stats;

/** How the stats code's messages show a container. */
final class ContainerNames {
    private ContainerNames() {
    }

    /**
     * Shortens a container's id as {@code docker ps} does, for messages.
     *
     * @param id a full id, a short one or a name
     * @return its first 12 characters
     */
    static String shortId(String id) {
        return id != null && id.length() > 12 ? id.substring(0, 12) : String.valueOf(id);
    }
}
