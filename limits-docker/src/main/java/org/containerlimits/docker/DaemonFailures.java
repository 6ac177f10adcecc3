package org.containerlimits.docker;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Optional;

/**
 * Turns what docker-java throws when a call fails into this library's exceptions: the daemon's
 * refusal into a {@link DaemonRejectedException}, a reply that cannot be decoded into a
 * {@link DaemonReplyException} naming the field, a daemon that cannot be reached or does not answer
 * in time into a {@link DockerUnavailableException} naming the host and the timeout (when the
 * client's {@link ClientOrigin} is known).
 *
 * <p>docker-java reports transport failures (refused, no socket, timed out) as plain
 * {@code RuntimeException}s around an {@link IOException}; left alone they would reach callers as
 * a stack trace from inside the HTTP client. Jackson's decoding errors are {@code IOException}s
 * too, so they are told apart first: the daemon was reached, and saying it was not would send a
 * person to restart a daemon that answers.
 *
 * <p>Not API: public only so that {@code org.containerlimits.docker.stats} translates the failures
 * of its calls the same way; it may change in any release.
 */
public final class DaemonFailures {
    private DaemonFailures() {
    }

    /**
     * Translates a failure of a call.
     *
     * @param client the client the call was made with
     * @param action what was being done, such as "inspect container 0123456789ab"
     * @param e what the call threw
     * @return the exception to throw: translated, or {@code e} itself if it is neither kind
     */
    public static RuntimeException of(DockerClient client, String action, RuntimeException e) {
        if (e instanceof DockerException de) {
            return rejected(action, de);
        }
        if (e instanceof DockerUnavailableException || e instanceof DaemonReplyException) {
            return e;
        }
        Optional<ClientOrigin> opened = ClientOrigin.of(client);
        String host = opened.map(ClientOrigin::dockerHost).orElse("unknown");
        String daemon = opened.map(o -> "The Docker daemon at " + o.dockerHost()).orElse("The Docker daemon");
        Optional<JacksonException> undecodable = cause(e, JacksonException.class);
        if (undecodable.isPresent()) {
            return reply(host, daemon, action, undecodable.get(), e);
        }
        if (cause(e, IOException.class).isEmpty()) {
            return e;
        }
        if (cause(e, SocketTimeoutException.class).isPresent()) {
            String within = opened.map(o -> " within " + o.responseTimeoutText() + " (the client's response timeout)")
                    .orElse(" in time");
            return new DockerUnavailableException(host, daemon + " did not answer" + within + " to " + action
                    + ": it is hung or overloaded. Check it with 'docker info'; a call that legitimately takes"
                    + " longer needs a client with a longer timeout (DockerClients.fromEnvironment(Duration)).", e);
        }
        IOException io = cause(e, IOException.class).get();
        return new DockerUnavailableException(host, daemon + " could not be reached to " + action + " ("
                + io.getClass().getSimpleName() + (io.getMessage() == null ? "" : ": " + io.getMessage())
                + "): it stopped or restarted. Start it again, or check DOCKER_HOST.", e);
    }

    /**
     * Returns whether a failure is a reply that could not be decoded.
     *
     * @param e what a call or a stream failed with
     * @return {@code true} when Jackson could not decode the daemon's reply
     */
    public static boolean undecodable(Throwable e) {
        return cause(e, JacksonException.class).isPresent();
    }

    private static DaemonReplyException reply(String host, String daemon, String action, JacksonException j,
            Throwable e) {
        String field = path(e);
        String problem = j.getOriginalMessage() == null ? j.getClass().getSimpleName() : j.getOriginalMessage();
        // Jackson quotes the offending text; a 100 MB string must not become a 100 MB message.
        if (problem.length() > 300) {
            problem = problem.substring(0, 300) + "...";
        }
        problem = problem.replaceAll("\\s+", " ").strip();
        return new DaemonReplyException(host, daemon + " answered to " + action + " with a reply that cannot be"
                + " decoded" + (field == null ? "" : ", at " + field) + ": " + problem + ". It was reached; its reply"
                + " is not what the Engine API specifies (a broken daemon, or something else on its socket).",
                field, e);
    }

    /** The JSON path of the outermost mapping error in the chain, as {@code a.b[2].c}. */
    private static String path(Throwable e) {
        Optional<JsonMappingException> mapping = cause(e, JsonMappingException.class);
        if (mapping.isEmpty() || mapping.get().getPath().isEmpty()) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : mapping.get().getPath()) {
            if (r.getFieldName() != null) {
                b.append(b.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.length() == 0 ? null : b.toString();
    }

    private static <T extends Throwable> Optional<T> cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }

    static DaemonRejectedException rejected(String action, DockerException e) {
        return new DaemonRejectedException(action, e.getHttpStatus(), daemonMessage(e), e);
    }

    /**
     * docker-java's messages read {@code Status 409: {"message":"..."}}; keep the daemon's words,
     * unescaped from JSON, on one line (runc's errors end in {@code \n: unknown}).
     */
    static String daemonMessage(DockerException e) {
        String m = String.valueOf(e.getMessage());
        int key = m.indexOf("\"message\":\"");
        if (key >= 0) {
            StringBuilder out = new StringBuilder();
            for (int i = key + "\"message\":\"".length(); i < m.length(); i++) {
                char c = m.charAt(i);
                if (c == '"') {
                    return out.toString().replaceAll("\\s*\\R\\s*", " ").strip();
                }
                if (c != '\\' || i + 1 >= m.length()) {
                    out.append(c);
                    continue;
                }
                char next = m.charAt(++i);
                switch (next) {
                    case 'n', 'r' -> out.append('\n');
                    case 't' -> out.append(' ');
                    case 'u' -> {
                        if (i + 4 < m.length() && m.substring(i + 1, i + 5).matches("[0-9a-fA-F]{4}")) {
                            out.append((char) Integer.parseInt(m.substring(i + 1, i + 5), 16));
                            i += 4;
                        } else {
                            out.append("\\u");
                        }
                    }
                    default -> out.append(next); // \" \\ \/
                }
            }
        }
        return m.strip();
    }
}
