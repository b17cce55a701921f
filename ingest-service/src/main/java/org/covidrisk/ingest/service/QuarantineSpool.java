package org.covidrisk.ingest.service;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.covidrisk.ingest.dge.RowViolation;

/**
 * Problems of quarantined rows, spooled to a temporary file while the rows stream (the connection is busy with
 * COPY, and their number grows with the file), then inserted into {@code upload_quarantine} once the rows are
 * written. Keeps the first problems in memory as the report's sample. Without a file (all-or-nothing mode) it
 * must not be given rows.
 */
final class QuarantineSpool implements AutoCloseable {

    /** Column names longer than the table's column are cut (a FHIR element path can be long). */
    private static final int MAX_COLUMN = 64;
    private static final int MAX_REASON = 500;

    private final Path file;
    private final DataOutputStream out;
    private final int maxSample;
    private final int chunkRows;
    private final List<RowViolation> sample = new ArrayList<>();
    private long rows;
    private long problems;

    /**
     * @param file the spool, or null in all-or-nothing mode
     * @param maxSample problems kept for the report
     * @param chunkRows problems per JDBC batch when written
     */
    QuarantineSpool(Path file, int maxSample, int chunkRows) throws IOException {
        this.file = file;
        this.maxSample = maxSample;
        this.chunkRows = chunkRows;
        this.out = file == null ? null : new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)));
    }

    /** One quarantined row (or record) and its problems. */
    void add(long line, List<RowViolation> rowProblems) {
        rows++;
        try {
            for (RowViolation v : rowProblems) {
                problems++;
                out.writeLong(v.line() > 0 ? v.line() : line);
                out.writeUTF(cut(v.column(), MAX_COLUMN));
                out.writeUTF(cut(v.reason(), MAX_REASON));
                if (sample.size() < maxSample) {
                    sample.add(v);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the quarantine spool failed", e);
        }
    }

    /** Rows quarantined so far. */
    long rows() {
        return rows;
    }

    /** The first problems, in line order. */
    List<RowViolation> sample() {
        return sample.stream().sorted(Comparator.comparingLong(RowViolation::line)).toList();
    }

    /** Inserts every spooled problem for the batch (in the caller's transaction). */
    void writeTo(Connection c, String batchId) throws SQLException, IOException {
        if (out == null || problems == 0) {
            return;
        }
        out.close();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)));
                PreparedStatement ps = c.prepareStatement("INSERT INTO upload_quarantine (batch_id, line, "
                        + "column_name, reason) VALUES (?, ?, ?, ?)")) {
            int pending = 0;
            for (long i = 0; i < problems; i++) {
                ps.setString(1, batchId);
                ps.setLong(2, in.readLong());
                ps.setString(3, in.readUTF());
                ps.setString(4, in.readUTF());
                ps.addBatch();
                if (++pending >= chunkRows) {
                    ps.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                ps.executeBatch();
            }
        } catch (EOFException e) {
            throw new IOException("the quarantine spool is shorter than written", e);
        }
    }

    private static String cut(String s, int max) {
        return s.length() > max ? s.substring(0, max) : s;
    }

    @Override
    public void close() throws IOException {
        if (out != null) {
            out.close();
        }
    }
}
