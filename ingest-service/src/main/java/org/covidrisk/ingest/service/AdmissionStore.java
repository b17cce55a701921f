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
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

import org.covidrisk.ingest.admission.Admission;
import org.covidrisk.ingest.admission.AdmissionFileException;
import org.covidrisk.ingest.admission.AdmissionReader;
import org.covidrisk.ingest.dge.RowViolation;

/**
 * Stores one admission batch on a connection whose transaction the caller owns, the admission counterpart of
 * {@link BatchStore}: the reader streams records, each valid one is written to the stage tables in JDBC batches
 * (with its first line), and once the file is read repeated patients are named (or quarantined), outcome changes
 * are appended to {@code outcome_event}, and the stage is merged into {@code admission} / {@code admission_item}
 * (insert new, replace known; a known outcome is kept when the new record has none, since it may have arrived
 * later through RecordOutcomes). Memory does not grow with the file. Any refusal is thrown before the caller
 * commits. Not CDI-managed, so it can be driven on a plain connection.
 */
public final class AdmissionStore {

    /** What to store and for whom. */
    public record Request(String batchId, String sha256, String fileName, String uploadedBy,
            Predicate<String> mayWriteHospital, boolean quarantine) {
    }

    private static final String KEY = "source, hospital, patient_id";
    private static final String ADMISSION_COLUMNS = KEY + ", batch_id, admission_time, symptom_onset_date, age, sex, "
            + "mechanical_ventilation, outcome, outcome_time, outcome_received_at, updated_at";
    private static final String ITEM_COLUMNS = KEY + ", kind, code, value, unit, value_as_given, unit_as_given, "
            + "taken_at";

    private final int maxViolations;
    private final int chunkRows;

    /**
     * @param maxViolations problems listed in a refusal, and quarantined problems sampled in the report
     * @param chunkRows records per JDBC batch
     */
    public AdmissionStore(int maxViolations, int chunkRows) {
        this.maxViolations = maxViolations;
        this.chunkRows = chunkRows;
    }

    /**
     * Stores the batch in the connection's current transaction (not committed here).
     *
     * @param rowsRead told the number of records read so far, for progress
     * @throws UploadRefusedException the batch is refused: roll back
     */
    public BatchStore.Stored store(Connection c, Request r, Path file, AdmissionReader reader, LongConsumer rowsRead)
            throws SQLException, BatchStore.BatchIdTakenException {
        try {
            BatchStore.insertBatch(c, r.batchId(), r.sha256(), r.fileName(), r.uploadedBy(), r.quarantine());
        } catch (SQLException e) {
            if (BatchStore.isUniqueViolation(e)) {
                throw new BatchStore.BatchIdTakenException(e);
            }
            throw e;
        }
        Path spoolFile = null;
        try {
            spoolFile = r.quarantine() ? Files.createTempFile("ingest-quarantine-", ".bin") : null;
            try (QuarantineSpool quarantine = new QuarantineSpool(spoolFile, maxViolations, chunkRows)) {
                return store(c, r, file, reader, rowsRead, quarantine);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the quarantine spool failed", e);
        } finally {
            if (spoolFile != null) {
                UploadService.deleteQuietly(spoolFile);
            }
        }
    }

    private BatchStore.Stored store(Connection c, Request r, Path file, AdmissionReader reader,
            LongConsumer rowsRead, QuarantineSpool quarantine) throws SQLException, IOException {
        Instant now = Instant.now();
        Records records = new Records(r, quarantine, rowsRead);
        AdmissionReader.Summary summary;
        try (StageWriter stage = new StageWriter(c, r.batchId(), now)) {
            records.stage = stage;
            try {
                summary = reader.read(file, records);
            } catch (AdmissionFileException e) {
                throw new UploadRefusedException(UploadRefusedException.Kind.INVALID, "the file was refused: "
                        + e.getMessage(), e.violations());
            }
            records.refuseIfNeeded();
            stage.flush();
        }
        removeRepeatedPatients(c, r, quarantine);
        long stored;
        long deaths;
        try (PreparedStatement count = c.prepareStatement("SELECT COUNT(*), COALESCE(SUM(CASE WHEN outcome = "
                + Admission.DIED + " THEN 1 ELSE 0 END), 0) FROM admission_stage WHERE batch_id = ?")) {
            count.setString(1, r.batchId());
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                stored = rs.getLong(1);
                deaths = rs.getLong(2);
            }
        }
        List<String> hospitals = strings(c, "SELECT DISTINCT hospital FROM admission_stage WHERE batch_id = ? "
                + "ORDER BY hospital", r.batchId());
        merge(c, r.batchId());
        quarantine.writeTo(c, r.batchId());
        BatchStore.Stored result = new BatchStore.Stored(r.batchId(), r.sha256(), summary.format(),
                summary.recordsRead(), stored, deaths, hospitals, quarantine.rows(), quarantine.sample());
        BatchStore.updateBatch(c, result);
        return result;
    }

    /** Receives the records from the reader: stages valid ones, collects or quarantines the rest. */
    private final class Records implements AdmissionReader.Handler<SQLException> {
        private final Request request;
        private final QuarantineSpool quarantine;
        private final LongConsumer rowsRead;
        private final List<RowViolation> invalid = new ArrayList<>();
        private final List<RowViolation> forbidden = new ArrayList<>();
        private StageWriter stage;
        private long read;

        Records(Request request, QuarantineSpool quarantine, LongConsumer rowsRead) {
            this.request = request;
            this.quarantine = quarantine;
            this.rowsRead = rowsRead;
        }

        @Override
        public boolean record(long line, Admission a) throws SQLException {
            progress();
            if (!request.mayWriteHospital().test(a.hospital)) {
                forbidden.add(new RowViolation(line, "hospital", "hospital " + a.hospital + " is not one your "
                        + "account may write to"));
                return forbidden.size() < maxViolations;
            }
            if (!forbidden.isEmpty() || !invalid.isEmpty()) {
                return true; // bound to be refused: only check the rest
            }
            stage.add(line, a);
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

        private void progress() {
            read++;
            if ((read & 63) == 0) {
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
                        + " record(s) belong to hospitals outside your account; nothing was stored", forbidden);
            }
        }
    }

    /** JDBC batch inserts into the two stage tables, flushed every {@code chunkRows} records. */
    private final class StageWriter implements AutoCloseable {
        private final PreparedStatement admissions;
        private final PreparedStatement items;
        private final String batchId;
        private final Timestamp now;
        private int pending;
        private long seq;

        StageWriter(Connection c, String batchId, Instant now) throws SQLException {
            this.batchId = batchId;
            this.now = Timestamp.from(now);
            this.admissions = c.prepareStatement("INSERT INTO admission_stage (seq, line, " + ADMISSION_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            this.items = c.prepareStatement("INSERT INTO admission_item_stage (seq, batch_id, " + ITEM_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        }

        void add(long line, Admission a) throws SQLException {
            seq++;
            int i = 1;
            admissions.setLong(i++, seq);
            admissions.setLong(i++, line);
            admissions.setString(i++, a.source);
            admissions.setString(i++, a.hospital);
            admissions.setString(i++, a.patientId);
            admissions.setString(i++, batchId);
            admissions.setObject(i++, a.admissionTime);
            admissions.setObject(i++, a.symptomOnsetDate);
            setDouble(admissions, i++, a.age);
            setInt(admissions, i++, a.sex);
            if (a.mechanicalVentilation == null) {
                admissions.setNull(i++, Types.BOOLEAN);
            } else {
                admissions.setBoolean(i++, a.mechanicalVentilation);
            }
            admissions.setInt(i++, a.outcome);
            admissions.setObject(i++, a.outcomeTime);
            if (a.outcome == Admission.OUTCOME_UNKNOWN) {
                admissions.setNull(i++, Types.TIMESTAMP_WITH_TIMEZONE);
            } else {
                admissions.setTimestamp(i++, now);
            }
            admissions.setTimestamp(i, now);
            admissions.addBatch();
            for (Admission.Item item : a.items) {
                int j = 1;
                items.setLong(j++, seq);
                items.setString(j++, batchId);
                items.setString(j++, a.source);
                items.setString(j++, a.hospital);
                items.setString(j++, a.patientId);
                items.setString(j++, item.kind().name());
                items.setString(j++, item.code());
                items.setDouble(j++, item.value());
                items.setString(j++, item.unit());
                items.setDouble(j++, item.valueAsGiven());
                items.setString(j++, item.unitAsGiven());
                items.setObject(j, item.takenAt());
                items.addBatch();
            }
            if (++pending >= chunkRows) {
                flush();
            }
        }

        void flush() throws SQLException {
            if (pending > 0) {
                admissions.executeBatch();
                items.executeBatch();
                pending = 0;
            }
        }

        @Override
        public void close() throws SQLException {
            try {
                admissions.close();
            } finally {
                items.close();
            }
        }
    }

    private static void setDouble(PreparedStatement ps, int i, Double v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.DOUBLE);
        } else {
            ps.setDouble(i, v);
        }
    }

    private static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setInt(i, v);
        }
    }

    /** A patient (source, hospital, id) twice in the file: refused, or quarantined (the first record is kept). */
    private void removeRepeatedPatients(Connection c, Request r, QuarantineSpool quarantine) throws SQLException {
        List<RowViolation> repeats = new ArrayList<>();
        boolean quarantined = false;
        // Ordered by seq, the record's position: the records of one FHIR Bundle share its line.
        try (PreparedStatement ps = c.prepareStatement("SELECT s.line, fl.line FROM admission_stage s JOIN "
                + "(SELECT " + KEY + ", MIN(seq) AS first_seq FROM admission_stage WHERE batch_id = ? "
                + "GROUP BY " + KEY + " HAVING COUNT(*) > 1) f ON s.source = f.source AND s.hospital = f.hospital "
                + "AND s.patient_id = f.patient_id JOIN admission_stage fl ON fl.batch_id = s.batch_id AND fl.seq = "
                + "f.first_seq WHERE s.batch_id = ? AND s.seq > f.first_seq ORDER BY s.seq")) {
            ps.setString(1, r.batchId());
            ps.setString(2, r.batchId());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    RowViolation v = new RowViolation(rs.getLong(1), "patient_id", "the same patient (source, "
                            + "hospital, id) as the record on line " + rs.getLong(2));
                    if (r.quarantine()) {
                        quarantine.add(v.line(), List.of(v));
                        quarantined = true;
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
                    + "repeated patients, nothing was stored", repeats);
        }
        if (quarantined) {
            for (String table : new String[]{"admission_stage", "admission_item_stage"}) {
                try (PreparedStatement del = c.prepareStatement("DELETE FROM " + table + " AS s WHERE s.batch_id = ? "
                        + "AND s.seq > (SELECT MIN(t.seq) FROM admission_stage t WHERE t.batch_id = s.batch_id "
                        + "AND t.source = s.source AND t.hospital = s.hospital AND t.patient_id = s.patient_id)")) {
                    del.setString(1, r.batchId());
                    del.executeUpdate();
                }
            }
        }
    }

    /**
     * Appends outcome changes to the event log, merges the stage into the admissions (a record without an
     * outcome keeps the stored one), replaces the items of the merged admissions, and empties the stage.
     */
    private static void merge(Connection c, String batchId) throws SQLException {
        String sameKey = "a.source = s.source AND a.hospital = s.hospital AND a.patient_id = s.patient_id";
        String unchangedOutcome = "a.outcome = s.outcome AND a.outcome_time IS NOT DISTINCT FROM s.outcome_time";
        execute(c, "INSERT INTO outcome_event (" + KEY + ", outcome, outcome_time, received_at, batch_id) "
                + "SELECT s.source, s.hospital, s.patient_id, s.outcome, s.outcome_time, s.outcome_received_at, "
                + "s.batch_id FROM admission_stage s LEFT JOIN admission a ON " + sameKey + " WHERE s.batch_id = ? "
                + "AND s.outcome <> 0 AND (a.patient_id IS NULL OR NOT (" + unchangedOutcome + ")) ORDER BY s.seq",
                batchId);
        execute(c, "MERGE INTO admission a USING (SELECT * FROM admission_stage WHERE batch_id = ?) s ON ("
                + sameKey + ") WHEN MATCHED THEN UPDATE SET batch_id = s.batch_id, admission_time = "
                + "s.admission_time, symptom_onset_date = s.symptom_onset_date, age = s.age, sex = s.sex, "
                + "mechanical_ventilation = s.mechanical_ventilation, "
                + "outcome = CASE WHEN s.outcome <> 0 THEN s.outcome ELSE a.outcome END, "
                + "outcome_time = CASE WHEN s.outcome <> 0 THEN s.outcome_time ELSE a.outcome_time END, "
                + "outcome_received_at = CASE WHEN s.outcome = 0 OR " + unchangedOutcome
                + " THEN a.outcome_received_at ELSE s.outcome_received_at END, updated_at = s.updated_at "
                + "WHEN NOT MATCHED THEN INSERT (" + ADMISSION_COLUMNS + ") VALUES (s.source, s.hospital, "
                + "s.patient_id, s.batch_id, s.admission_time, s.symptom_onset_date, s.age, s.sex, "
                + "s.mechanical_ventilation, s.outcome, s.outcome_time, s.outcome_received_at, s.updated_at)", batchId);
        execute(c, "DELETE FROM admission_item AS i WHERE EXISTS (SELECT 1 FROM admission_stage s WHERE s.batch_id = ? "
                + "AND s.source = i.source AND s.hospital = i.hospital AND s.patient_id = i.patient_id)", batchId);
        execute(c, "INSERT INTO admission_item (" + ITEM_COLUMNS + ") SELECT " + ITEM_COLUMNS
                + " FROM admission_item_stage WHERE batch_id = ?", batchId);
        execute(c, "DELETE FROM admission_item_stage WHERE batch_id = ?", batchId);
        execute(c, "DELETE FROM admission_stage WHERE batch_id = ?", batchId);
    }

    private static void execute(Connection c, String sql, String batchId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, batchId);
            ps.executeUpdate();
        }
    }

    private static List<String> strings(Connection c, String sql, String arg) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
