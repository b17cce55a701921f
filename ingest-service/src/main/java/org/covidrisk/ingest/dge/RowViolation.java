package org.covidrisk.ingest.dge;

/**
 * One reason a row (or the file) was refused.
 *
 * @param line line number in the file, the header being line 1 (0 for the file as a whole)
 * @param column column name, or empty for the row or file as a whole
 * @param reason what is wrong, without echoing the offending value's clinical content
 */
public record RowViolation(long line, String column, String reason) {

    /** e.g. {@code line 12, column EDAD}. */
    public String location() {
        if (line <= 0) {
            return column.isEmpty() ? "file" : "column " + column;
        }
        return column.isEmpty() ? "line " + line : "line " + line + ", column " + column;
    }
}
