package org.containerlimits.docker;

/**
 * The Docker daemon refused a create, update or inspect that carried limits, with its own reason.
 *
 * <p>The message says what was being done, to which container, and quotes the daemon's answer,
 * for example: {@code the Docker daemon refused to update container 3f2a9c1b7d4e (HTTP 409):
 * Conflicting options: CPU Period cannot be updated as NanoCPUs has already been set}. The
 * docker-java exception is kept as the cause.
 */
public final class DaemonRejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int statusCode;
    private final String daemonMessage;

    /**
     * Creates the exception.
     *
     * @param action what was being done, such as {@code "update container 3f2a9c1b7d4e"}
     * @param statusCode the HTTP status of the daemon's answer
     * @param daemonMessage the daemon's own message
     * @param cause the docker-java exception
     */
    public DaemonRejectedException(String action, int statusCode, String daemonMessage, Throwable cause) {
        super("the Docker daemon refused to " + action + " (HTTP " + statusCode + "): " + daemonMessage, cause);
        this.statusCode = statusCode;
        this.daemonMessage = daemonMessage;
    }

    /**
     * Translates docker-java's refusal of any call into this exception, keeping the daemon's own
     * words, unescaped and on one line, such as a start that fails because the command is not in
     * the image.
     *
     * <pre>{@code
     * try {
     *     client.startContainerCmd(id).exec();
     * } catch (DockerException e) {
     *     throw DaemonRejectedException.of("start container " + id, e);
     * }
     * }</pre>
     *
     * @param action what was being done, such as {@code "start container 3f2a9c1b7d4e"}
     * @param e docker-java's exception
     * @return the exception, with {@code e} as its cause
     */
    public static DaemonRejectedException of(String action, com.github.dockerjava.api.exception.DockerException e) {
        return DaemonFailures.rejected(action, e);
    }

    /**
     * Returns the HTTP status of the daemon's answer, such as 400 or 409.
     *
     * @return the status code
     */
    public int statusCode() {
        return statusCode;
    }

    /**
     * Returns the daemon's own message.
     *
     * @return the message, without docker-java's decoration
     */
    public String daemonMessage() {
        return daemonMessage;
    }
}
