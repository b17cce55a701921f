package org.covidrisk.ingest.store;

import java.sql.Connection;
import java.sql.SQLException;

import org.covidrisk.ingest.Patient;
import org.postgresql.PGConnection;

/**
 * Writes the rows of one batch into {@code patient} or {@code patient_stage} in chunks, on the caller's connection
 * and inside its transaction; nothing is committed here.
 */
public interface PatientSink extends AutoCloseable {

    /** Adds one row; it may be written now or with the next chunk. */
    void add(Patient p, long line) throws SQLException;

    /** Writes what is pending and ends the write; returns the rows written in all. */
    long finish() throws SQLException;

    /** Gives up without writing what is pending (the caller rolls the transaction back). */
    @Override
    void close();

    /**
     * COPY on PostgreSQL (reached through the pool's wrapper), JDBC batch inserts elsewhere (H2).
     *
     * @param stage write into {@code patient_stage} with the file line, else into {@code patient}
     * @param chunkRows rows per COPY buffer flush or JDBC batch
     */
    static PatientSink open(Connection c, boolean stage, int chunkRows) throws SQLException {
        String table = stage ? "patient_stage" : "patient";
        if (c.isWrapperFor(PGConnection.class)) {
            return new PgCopySink(c.unwrap(PGConnection.class), table, stage, chunkRows);
        }
        return new JdbcBatchSink(c, table, stage, chunkRows);
    }
}
