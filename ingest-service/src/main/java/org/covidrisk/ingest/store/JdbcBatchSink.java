package org.covidrisk.ingest.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;

import org.covidrisk.ingest.Patient;

/** Writes rows with JDBC batch inserts, one batch per chunk (databases without COPY, i.e. the embedded H2). */
final class JdbcBatchSink implements PatientSink {

    private final PreparedStatement insert;
    private final boolean withLine;
    private final int chunkRows;
    private int pending;
    private long written;

    JdbcBatchSink(Connection c, String table, boolean withLine, int chunkRows) throws SQLException {
        this.withLine = withLine;
        this.chunkRows = chunkRows;
        int columns = PatientColumns.NAMES.size() + (withLine ? 1 : 0);
        this.insert = c.prepareStatement("INSERT INTO " + table + " (" + PatientColumns.list(withLine)
                + ") VALUES (" + String.join(", ", Collections.nCopies(columns, "?")) + ")");
    }

    @Override
    public void add(Patient p, long line) throws SQLException {
        PatientColumns.bind(insert, p, line, withLine);
        insert.addBatch();
        if (++pending >= chunkRows) {
            flush();
        }
    }

    private void flush() throws SQLException {
        if (pending > 0) {
            insert.executeBatch();
            written += pending;
            pending = 0;
        }
    }

    @Override
    public long finish() throws SQLException {
        flush();
        return written;
    }

    @Override
    public void close() {
        try {
            insert.close();
        } catch (SQLException e) {
            // Only the statement is released here; the caller ends the transaction.
        }
    }
}
