package org.covidrisk.ingest.store;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;

import org.covidrisk.ingest.Patient;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Streams rows into PostgreSQL with one {@code COPY ... FROM STDIN} (text format) per batch: the server inserts
 * while the reader parses the next rows, and the client holds one chunk of text at a time.
 */
final class PgCopySink implements PatientSink {

    private final CopyIn copy;
    private final boolean withLine;
    private final int chunkRows;
    private final StringBuilder buffer = new StringBuilder(1 << 16);
    private int pending;

    PgCopySink(PGConnection pg, String table, boolean withLine, int chunkRows) throws SQLException {
        this.withLine = withLine;
        this.chunkRows = chunkRows;
        this.copy = pg.getCopyAPI().copyIn("COPY " + table + " (" + PatientColumns.list(withLine)
                + ") FROM STDIN (FORMAT text)");
    }

    @Override
    public void add(Patient p, long line) throws SQLException {
        PatientColumns.appendCopyText(buffer, p, line, withLine);
        if (++pending >= chunkRows) {
            flush();
        }
    }

    private void flush() throws SQLException {
        if (pending > 0) {
            byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            buffer.setLength(0);
            pending = 0;
        }
    }

    @Override
    public long finish() throws SQLException {
        flush();
        return copy.endCopy();
    }

    @Override
    public void close() {
        if (copy.isActive()) {
            try {
                copy.cancelCopy();
            } catch (SQLException e) {
                // The transaction is rolled back by the caller either way; the cancel only frees the connection.
            }
        }
    }
}
