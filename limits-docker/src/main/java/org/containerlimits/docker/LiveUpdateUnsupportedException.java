package org.containerlimits.docker;

import java.util.Objects;

/**
 * The engine cannot change a container's limits live: Podman before
 * {@value Engine#PODMAN_LIVE_UPDATE_SINCE}, whose Docker-compatible API has no {@code POST
 * /containers/{id}/update} (it answers 404; containers/podman#22322 added it). Thrown by
 * {@link DockerLimits#update} before anything is changed; the container keeps its limits.
 *
 * <p>Example message: {@code Podman 4.3.1 (API 1.41) cannot change the limits of container
 * 3f2a9c1b7d4e live: its Docker-compatible API has POST /containers/{id}/update only from Podman 5.1
 * (containers/podman#22322). Nothing was changed. Recreate the container with the new limits, or
 * upgrade to Podman 5.1 or later.}
 *
 * <pre>{@code
 * try {
 *     docker.update(id, limits);
 * } catch (LiveUpdateUnsupportedException e) {
 *     recreate(id, limits);            // e.engine() says which engine refused
 * }
 * }</pre>
 */
public final class LiveUpdateUnsupportedException extends UnsupportedOperationException {
    private static final long serialVersionUID = 1L;

    private final transient Engine engine;
    private final String containerId;

    /**
     * Creates the exception.
     *
     * @param engine the engine that cannot update live
     * @param containerId the container whose limits were to change
     */
    public LiveUpdateUnsupportedException(Engine engine, String containerId) {
        this(engine, containerId, null);
    }

    /**
     * Creates the exception with the daemon's refusal as its cause.
     *
     * @param engine the engine that cannot update live
     * @param containerId the container whose limits were to change
     * @param cause what the daemon answered, such as its 404, or {@code null}
     */
    public LiveUpdateUnsupportedException(Engine engine, String containerId, Throwable cause) {
        super(engine + " cannot change the limits of container " + LimitsMismatchException.shortId(containerId)
                + " live: its Docker-compatible API has POST /containers/{id}/update only from Podman "
                + Engine.PODMAN_LIVE_UPDATE_SINCE + " (containers/podman#22322). Nothing was changed. Recreate the"
                + " container with the new limits, or upgrade to Podman " + Engine.PODMAN_LIVE_UPDATE_SINCE
                + " or later.", cause);
        this.engine = Objects.requireNonNull(engine, "engine");
        this.containerId = Objects.requireNonNull(containerId, "containerId");
    }

    /**
     * Returns the engine that cannot update live.
     *
     * @return the engine, such as Podman 4.3.1
     */
    public Engine engine() {
        return engine;
    }

    /**
     * Returns the container whose limits were to change.
     *
     * @return its id or name, as given to {@link DockerLimits#update}
     */
    public String containerId() {
        return containerId;
    }
}
