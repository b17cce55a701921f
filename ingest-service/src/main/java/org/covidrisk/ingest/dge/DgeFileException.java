package org.covidrisk.ingest.dge;

import java.util.List;

/** The file cannot be stored: every violation found (up to the configured limit) is listed. */
public class DgeFileException extends Exception {

    private final transient List<RowViolation> violations;

    public DgeFileException(List<RowViolation> violations) {
        super(violations.size() + " problem(s), first: " + violations.get(0).location() + ": "
                + violations.get(0).reason());
        this.violations = List.copyOf(violations);
    }

    public List<RowViolation> violations() {
        return violations;
    }
}
