package org.covidrisk.ingest.admission;

import java.util.List;

import org.covidrisk.ingest.dge.RowViolation;

/** The admission file cannot be stored as a whole: every problem found (up to a limit) is listed. */
public class AdmissionFileException extends Exception {

    private final transient List<RowViolation> violations;

    public AdmissionFileException(List<RowViolation> violations) {
        super(violations.size() + " problem(s), first: " + violations.get(0).location() + ": "
                + violations.get(0).reason());
        this.violations = List.copyOf(violations);
    }

    public AdmissionFileException(long line, String column, String reason) {
        this(List.of(new RowViolation(line, column, reason)));
    }

    public List<RowViolation> violations() {
        return violations;
    }
}
