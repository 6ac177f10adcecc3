package org.containerlimits.docker;

import java.util.Objects;

/**
 * A field whose effective value, as the daemon reports it after a create or update, differs from
 * what was asked: for example {@code blkio_weight} asked {@code 500}, effective {@code not set},
 * because the kernel lacks the block-IO weight controller and the daemon dropped the limit.
 *
 * @param field the docker-py keyword of the field
 * @param requested the value asked for, as text
 * @param effective the value the daemon reports, as text, or {@code not set}
 */
public record Mismatch(String field, String requested, String effective) {

    /**
     * Creates a mismatch; no component may be null.
     *
     * @param field the docker-py keyword of the field
     * @param requested the value asked for
     * @param effective the value the daemon reports
     */
    public Mismatch {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(requested, "requested");
        Objects.requireNonNull(effective, "effective");
    }

    /**
     * Returns {@code field: asked X, daemon reports Y}.
     *
     * @return the mismatch as one line of text
     */
    @Override
    public String toString() {
        return field + ": asked " + requested + ", daemon reports " + effective;
    }
}
