package org.covidrisk.ingest.admission;

import java.nio.file.Path;
import java.util.List;

import org.covidrisk.ingest.dge.RowViolation;

/**
 * Reads one admission file record by record and hands each, validated, to a {@link Handler}; like the DGE reader,
 * it keeps nothing between records (a record of the Tongji export spans a patient's rows, a FHIR record a
 * patient's resources in one Bundle), so memory does not grow with the file. A record is valid as a whole or
 * invalid as a whole: never half of one.
 */
public interface AdmissionReader {

    /**
     * What a read saw.
     *
     * @param format the format name stored as the batch's layout, e.g. ADMISSION_CSV
     * @param recordsRead records (admissions) read, valid or not
     */
    record Summary(String format, long recordsRead) {
    }

    /**
     * Receives the records of a file in order.
     *
     * @param <E> what the handler may throw (e.g. a database error); it ends the read
     */
    interface Handler<E extends Exception> {
        /** A valid record, starting on this line; false stops reading. */
        boolean record(long line, Admission admission) throws E;

        /** An invalid record, starting on this line, with at least one problem; false stops reading. */
        boolean invalid(long line, List<RowViolation> problems) throws E;
    }

    /**
     * Reads the file.
     *
     * @throws AdmissionFileException when the file as a whole cannot be read (wrong format, missing or unknown
     *         columns, broken quoting or JSON, not UTF-8, too many records); its violations name where
     */
    <E extends Exception> Summary read(Path file, Handler<E> handler) throws AdmissionFileException, E;
}
