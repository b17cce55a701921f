package org.covidrisk.ingest.image;

/**
 * An image upload or read that cannot be served, with the field at fault and a reason safe to return (it never
 * echoes patient data or file content).
 */
public class ImageRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why; the gRPC layer maps it to a status. */
    public enum Kind {
        /** The bytes or the header are not acceptable. */
        INVALID,
        /** The hospital is not one of the caller's. */
        FORBIDDEN,
        /** These bytes are stored for another patient. */
        CONFLICT,
        /** No such image within the caller's hospitals. */
        NOT_FOUND,
        /** The database or the image directory failed; nothing is half-stored, the upload may be retried. */
        UNAVAILABLE
    }

    private final Kind kind;
    private final String field;

    public ImageRefusedException(Kind kind, String field, String reason) {
        super(reason, null, false, false);
        this.kind = kind;
        this.field = field;
    }

    static ImageRefusedException invalid(String field, String reason) {
        return new ImageRefusedException(Kind.INVALID, field, reason);
    }

    public Kind kind() {
        return kind;
    }

    /** The request field at fault ({@code image}, {@code patient_id}, {@code hospital}, ...). */
    public String field() {
        return field;
    }
}
