package org.covidrisk.ingest.store;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

import org.covidrisk.ingest.Patient;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Streams rows into PostgreSQL with one {@code COPY ... FROM STDIN (FORMAT binary)} per batch: the server inserts
 * while the reader parses the next rows, and the client holds one chunk of encoded rows at a time. Binary rather
 * than text because the server then skips parsing dates, timestamps and numbers (PgJDBC has no binary COPY
 * encoder, so the few types used are encoded here; layout from the PostgreSQL COPY documentation).
 */
final class PgCopySink implements PatientSink {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
    private static final LocalDate PG_EPOCH_DATE = LocalDate.of(2000, 1, 1);
    private static final Instant PG_EPOCH = Instant.parse("2000-01-01T00:00:00Z");

    private final CopyIn copy;
    private final boolean withLine;
    private final int chunkRows;
    private final short fields;
    private final Chunk bytes = new Chunk();
    private final DataOutputStream out = new DataOutputStream(bytes);
    private int pending;

    PgCopySink(PGConnection pg, String table, boolean withLine, int chunkRows) throws SQLException {
        this.withLine = withLine;
        this.chunkRows = chunkRows;
        this.fields = (short) (PatientColumns.NAMES.size() + (withLine ? 1 : 0));
        this.copy = pg.getCopyAPI().copyIn("COPY " + table + " (" + PatientColumns.list(withLine)
                + ") FROM STDIN (FORMAT binary)");
        try {
            out.write(SIGNATURE);
            out.writeInt(0); // flags
            out.writeInt(0); // header extension length
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void add(Patient p, long line) throws SQLException {
        try {
            out.writeShort(fields);
            if (withLine) {
                out.writeInt(8);
                out.writeLong(line);
            }
            for (Object v : PatientColumns.values(p)) {
                write(v);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        if (++pending >= chunkRows) {
            flush();
        }
    }

    private void write(Object v) throws IOException {
        switch (v) {
            case null -> out.writeInt(-1);
            case String s -> {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                out.writeInt(b.length);
                out.write(b);
            }
            case Boolean b -> {
                out.writeInt(1);
                out.writeByte(b ? 1 : 0);
            }
            case Integer n -> {
                out.writeInt(4);
                out.writeInt(n);
            }
            case LocalDate d -> {
                out.writeInt(4);
                out.writeInt((int) ChronoUnit.DAYS.between(PG_EPOCH_DATE, d));
            }
            case Instant t -> {
                out.writeInt(8);
                out.writeLong(ChronoUnit.MICROS.between(PG_EPOCH, t));
            }
            default -> throw new IllegalStateException("unexpected column type " + v.getClass());
        }
    }

    private void flush() throws SQLException {
        if (bytes.size() > 0) {
            copy.writeToCopy(bytes.buffer(), 0, bytes.size());
            bytes.reset();
            pending = 0;
        }
    }

    /** The encoded rows of one chunk, handed to the driver without a copy. */
    private static final class Chunk extends ByteArrayOutputStream {
        Chunk() {
            super(1 << 18);
        }

        byte[] buffer() {
            return buf;
        }
    }

    @Override
    public long finish() throws SQLException {
        try {
            out.writeShort(-1); // file trailer
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
