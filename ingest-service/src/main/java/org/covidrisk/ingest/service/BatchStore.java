package org.covidrisk.ingest.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.LongConsumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.covidrisk.ingest.Patient;
import org.covidrisk.ingest.dge.DgeCsvReader;
import org.covidrisk.ingest.dge.DgeFileException;
import org.covidrisk.ingest.dge.RowViolation;
import org.covidrisk.ingest.store.PatientColumns;
import org.covidrisk.ingest.store.PatientSink;

/**
 * Stores one batch on a connection whose transaction the caller owns: reads the spooled file row by row,
 * validates, checks tenancy and writes in chunks as it goes, so memory does not grow with the file. Any
 * refusal is thrown before the caller commits, so a refused batch leaves nothing.
 *
 * <p>
 * Two passes exist. The fast one writes straight into {@code patient} (COPY on PostgreSQL); when a row's id is
 * already stored (a later file bringing outcomes) or repeats within the file, the database refuses the key and
 * {@link KnownPatientsException} tells the caller to roll back and run the merging pass, which stages the rows
 * with their line numbers, names or quarantines repeated ids, and merges the rest (insert new, update known).
 * Not CDI-managed so the benchmark drives exactly this code on a plain connection.
 */
public final class BatchStore {

    /** What to store and for whom. */
    public record Request(String batchId, String sha256, String fileName, String uploadedBy,
            Predicate<String> mayWriteHospital, boolean quarantine) {
    }

    /** What was stored. */
    public record Stored(String batchId, String sha256, String layout, long rowsRead, long rowsStored, long deaths,
            List<String> hospitals, long rowsQuarantined, List<RowViolation> quarantineSample) {
    }

    /** The fast pass met a patient id that is already stored or repeats: roll back, then merge. */
    public static final class KnownPatientsException extends Exception {
        KnownPatientsException(SQLException cause) {
            super("a patient id of the batch is already stored or repeats", cause);
        }
    }

    /** Another transaction holds (or committed) this batch id: check for a replay again. */
    public static final class BatchIdTakenException extends Exception {
        BatchIdTakenException(SQLException cause) {
            super("the batch id was taken concurrently", cause);
        }
    }

    private static final String UNIQUE_VIOLATION = "23505";

    private final int maxViolations;
    private final long maxRows;
    private final int chunkRows;

    /**
     * @param maxViolations problems listed in a refusal, and quarantined problems sampled in the report
     * @param maxRows largest number of data rows in one batch
     * @param chunkRows rows per write (COPY buffer flush or JDBC batch)
     */
    public BatchStore(int maxViolations, long maxRows, int chunkRows) {
        this.maxViolations = maxViolations;
        this.maxRows = maxRows;
        this.chunkRows = chunkRows;
    }

    /**
     * Stores the batch in the connection's current transaction (not committed here).
     *
     * @param merge false for the fast pass, true for the merging pass
     * @param rowsRead told the number of data rows read so far, for progress
     * @throws UploadRefusedException the batch is refused: roll back
     */
    public Stored store(Connection c, Request r, Path file, boolean merge, LongConsumer rowsRead)
            throws SQLException, KnownPatientsException, BatchIdTakenException {
        try {
            insertBatch(c, r);
        } catch (SQLException e) {
            if (isUniqueViolation(e)) {
                throw new BatchIdTakenException(e);
            }
            throw e;
        }
        Path spoolFile = null;
        try {
            spoolFile = r.quarantine() ? Files.createTempFile("ingest-quarantine-", ".bin") : null;
            try (QuarantineSpool quarantine = new QuarantineSpool(spoolFile, maxViolations, chunkRows)) {
                return store(c, r, file, merge, rowsRead, quarantine);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the quarantine spool failed", e);
        } finally {
            if (spoolFile != null) {
                UploadService.deleteQuietly(spoolFile);
            }
        }
    }

    private Stored store(Connection c, Request r, Path file, boolean merge, LongConsumer rowsRead,
            QuarantineSpool quarantine) throws SQLException, KnownPatientsException, IOException {
        Rows rows = new Rows(r, quarantine, rowsRead);
        DgeCsvReader.Summary summary;
        long written;
        try (PatientSink sink = PatientSink.open(c, merge, chunkRows)) {
            rows.sink = sink;
            try {
                summary = new DgeCsvReader(maxRows).read(file, r.batchId(), rows);
            } catch (DgeFileException e) {
                throw new UploadRefusedException(UploadRefusedException.Kind.INVALID, "the file was refused: "
                        + e.getMessage(), e.violations());
            }
            rows.refuseIfNeeded();
            written = sink.finish();
        } catch (SQLException e) {
            if (!merge && isUniqueViolation(e)) {
                throw new KnownPatientsException(e);
            }
            throw e;
        }
        long deaths = rows.deaths;
        List<String> hospitals = List.copyOf(rows.hospitals);
        if (merge) {
            removeRepeatedIds(c, r, quarantine);
            try (PreparedStatement count = c.prepareStatement("SELECT COUNT(*), COALESCE(SUM(CASE WHEN died THEN 1 "
                    + "ELSE 0 END), 0) FROM patient_stage WHERE batch_id = ?")) {
                count.setString(1, r.batchId());
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    written = rs.getLong(1);
                    deaths = rs.getLong(2);
                }
            }
            hospitals = stagedHospitals(c, r.batchId());
            mergeStage(c, r.batchId());
        }
        quarantine.writeTo(c, r.batchId());
        Stored stored = new Stored(r.batchId(), r.sha256(), summary.layout().name(), summary.rowsRead(), written,
                deaths, hospitals, quarantine.rows(), quarantine.sample());
        updateBatch(c, stored);
        return stored;
    }

    /** Receives the rows from the reader: writes valid ones, collects or quarantines the rest. */
    private final class Rows implements DgeCsvReader.RowHandler<SQLException> {
        private final Request request;
        private final QuarantineSpool quarantine;
        private final LongConsumer rowsRead;
        private final List<RowViolation> invalid = new ArrayList<>();
        private final List<RowViolation> forbidden = new ArrayList<>();
        private final TreeSet<String> hospitals = new TreeSet<>();
        private PatientSink sink;
        private long read;
        private long deaths;

        Rows(Request request, QuarantineSpool quarantine, LongConsumer rowsRead) {
            this.request = request;
            this.quarantine = quarantine;
            this.rowsRead = rowsRead;
        }

        @Override
        public boolean row(long line, Patient p) throws SQLException {
            progress();
            if (!request.mayWriteHospital().test(p.hospital)) {
                forbidden.add(new RowViolation(line, "ENTIDAD_UM/SECTOR", "hospital " + p.hospital
                        + " is not one your account may write to"));
                return forbidden.size() < maxViolations;
            }
            if (refusing()) {
                return true;
            }
            hospitals.add(p.hospital);
            deaths += p.died ? 1 : 0;
            sink.add(p, line);
            return true;
        }

        @Override
        public boolean invalid(long line, List<RowViolation> problems) {
            progress();
            if (request.quarantine()) {
                quarantine.add(line, problems);
                return true;
            }
            for (RowViolation v : problems) {
                if (invalid.size() < maxViolations) {
                    invalid.add(v);
                }
            }
            return invalid.size() < maxViolations;
        }

        /** Once the batch is bound to be refused, rows are only checked, no longer written. */
        private boolean refusing() {
            return !forbidden.isEmpty() || !invalid.isEmpty();
        }

        private void progress() {
            read++;
            if ((read & 255) == 0) {
                rowsRead.accept(read);
            }
        }

        void refuseIfNeeded() {
            rowsRead.accept(read);
            if (!invalid.isEmpty()) {
                throw new UploadRefusedException(UploadRefusedException.Kind.INVALID, "the batch was refused: "
                        + invalid.size() + (invalid.size() >= maxViolations ? "+" : "")
                        + " problem(s), nothing was stored", invalid);
            }
            if (!forbidden.isEmpty()) {
                throw new UploadRefusedException(UploadRefusedException.Kind.FORBIDDEN, forbidden.size()
                        + " row(s) belong to hospitals outside your account; nothing was stored", forbidden);
            }
        }
    }

    private void insertBatch(Connection c, Request r) throws SQLException {
        insertBatch(c, r.batchId(), r.sha256(), r.fileName(), r.uploadedBy(), r.quarantine());
    }

    /** The batch's row, written first in its transaction (its key is what makes a batch id taken). */
    static void insertBatch(Connection c, String batchId, String sha256, String fileName, String uploadedBy,
            boolean quarantine) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO upload_batch (batch_id, sha256, file_name, "
                + "layout, rows_read, rows_stored, deaths, hospitals, uploaded_by, uploaded_at, rows_quarantined, "
                + "quarantine_mode) VALUES (?, ?, ?, '', 0, 0, 0, '', ?, ?, 0, ?)")) {
            ps.setString(1, batchId);
            ps.setString(2, sha256);
            ps.setString(3, fileName == null || fileName.isEmpty()
                    ? null
                    : fileName.substring(0, Math.min(255, fileName.length())));
            ps.setString(4, uploadedBy);
            ps.setTimestamp(5, Timestamp.from(Instant.now()));
            ps.setBoolean(6, quarantine);
            ps.executeUpdate();
        }
    }

    /** Fills in what the batch stored, once it has. */
    static void updateBatch(Connection c, Stored s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE upload_batch SET layout = ?, rows_read = ?, "
                + "rows_stored = ?, deaths = ?, hospitals = ?, rows_quarantined = ? WHERE batch_id = ?")) {
            ps.setString(1, s.layout());
            ps.setLong(2, s.rowsRead());
            ps.setLong(3, s.rowsStored());
            ps.setLong(4, s.deaths());
            ps.setString(5, String.join(",", s.hospitals()));
            ps.setLong(6, s.rowsQuarantined());
            ps.setString(7, s.batchId());
            ps.executeUpdate();
        }
    }

    /** Repeated ids within the file: refused, or quarantined (the first occurrence is kept). */
    private void removeRepeatedIds(Connection c, Request r, QuarantineSpool quarantine) throws SQLException,
            IOException {
        List<RowViolation> repeats = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT s.line, f.first_line FROM patient_stage s JOIN "
                + "(SELECT patient_key, MIN(line) AS first_line FROM patient_stage WHERE batch_id = ? "
                + "GROUP BY patient_key HAVING COUNT(*) > 1) f ON s.patient_key = f.patient_key "
                + "WHERE s.batch_id = ? AND s.line > f.first_line ORDER BY s.line")) {
            ps.setString(1, r.batchId());
            ps.setString(2, r.batchId());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    RowViolation v = new RowViolation(rs.getLong(1), "ID_REGISTRO", "duplicate id, first seen on "
                            + "line " + rs.getLong(2));
                    if (r.quarantine()) {
                        quarantine.add(v.line(), List.of(v));
                    } else {
                        repeats.add(v);
                        if (repeats.size() >= maxViolations) {
                            break;
                        }
                    }
                }
            }
        }
        if (!repeats.isEmpty()) {
            throw new UploadRefusedException(UploadRefusedException.Kind.INVALID, "the batch was refused: "
                    + "repeated patient ids, nothing was stored", repeats);
        }
        if (quarantine.rows() > 0) {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM patient_stage AS s WHERE s.batch_id = ? "
                    + "AND s.line > (SELECT MIN(t.line) FROM patient_stage t WHERE t.batch_id = s.batch_id "
                    + "AND t.patient_key = s.patient_key)")) {
                del.setString(1, r.batchId());
                del.executeUpdate();
            }
        }
    }

    private static List<String> stagedHospitals(Connection c, String batchId) throws SQLException {
        List<String> hospitals = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT hospital FROM patient_stage "
                + "WHERE batch_id = ? ORDER BY hospital")) {
            ps.setString(1, batchId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    hospitals.add(rs.getString(1));
                }
            }
        }
        return hospitals;
    }

    /** Inserts new episodes and updates known ones (a later file may carry the outcome), then empties the stage. */
    private static void mergeStage(Connection c, String batchId) throws SQLException {
        List<String> cols = PatientColumns.NAMES;
        String set = cols.stream().filter(n -> !n.equals("patient_key")).map(n -> n + " = s." + n).collect(
                Collectors.joining(", "));
        String values = cols.stream().map(n -> "s." + n).collect(Collectors.joining(", "));
        try (PreparedStatement merge = c.prepareStatement("MERGE INTO patient p USING (SELECT * FROM patient_stage "
                + "WHERE batch_id = ?) s ON (p.patient_key = s.patient_key) WHEN MATCHED THEN UPDATE SET " + set
                + " WHEN NOT MATCHED THEN INSERT (" + String.join(", ", cols) + ") VALUES (" + values + ")");
                PreparedStatement clear = c.prepareStatement("DELETE FROM patient_stage WHERE batch_id = ?")) {
            merge.setString(1, batchId);
            merge.executeUpdate();
            clear.setString(1, batchId);
            clear.executeUpdate();
        }
    }

    /** Whether the error (or one chained to it) is a unique-key violation. */
    static boolean isUniqueViolation(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && UNIQUE_VIOLATION.equals(s.getSQLState())) {
                return true;
            }
        }
        for (SQLException n = e.getNextException(); n != null; n = n.getNextException()) {
            if (UNIQUE_VIOLATION.equals(n.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
