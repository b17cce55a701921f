package org.covidrisk.ingest.service;

import java.util.List;

import org.covidrisk.ingest.dge.RowViolation;

/** An upload that cannot be stored, with the reason class the gRPC layer maps to a status. */
public class UploadRefusedException extends RuntimeException {

    /** Why the upload was refused. */
    public enum Kind {
        /** The content is invalid (rows, columns, format). */
        INVALID,
        /** A row belongs to a hospital the caller may not write. */
        FORBIDDEN,
        /** The batch id is known with other content. */
        CONFLICT,
        /** The upload is larger than allowed. */
        TOO_LARGE,
        /** The database could not be reached or failed; nothing was stored, the same batch id may be retried. */
        UNAVAILABLE
    }

    private final Kind kind;
    private final transient List<RowViolation> violations;

    public UploadRefusedException(Kind kind, String message, List<RowViolation> violations) {
        super(message);
        this.kind = kind;
        this.violations = List.copyOf(violations);
    }

    public Kind kind() {
        return kind;
    }

    public List<RowViolation> violations() {
        return violations;
    }
}
