package org.containerlimits.docker.client;

/** Reads an exception's chain of causes, for messages that say in a few words what failed. */
final class Causes {
    private Causes() {}

    /** The innermost cause's class and message, such as {@code ConnectException: Connection refused}. */
    static String describe(Throwable e) {
        Throwable root = rootCause(e);
        String message = root.getMessage();
        return message == null || message.isBlank()
                ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + message;
    }

    /** The innermost cause, or {@code e} itself when it has none. */
    static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /** Whether {@code e} or any of its causes is a {@code type}. */
    static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
