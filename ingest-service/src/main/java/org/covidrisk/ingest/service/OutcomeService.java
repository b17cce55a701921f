package org.covidrisk.ingest.service;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.covidrisk.ingest.admission.Fields;
import org.covidrisk.ingest.config.IngestConfig;
import org.covidrisk.ingest.dge.RowViolation;
import org.covidrisk.ingest.v1.AdmissionOutcome;
import org.covidrisk.ingest.v1.OutcomeUpdate;
import org.covidrisk.ingest.v1.RecordOutcomesRequest;
import org.covidrisk.ingest.v1.UploadReport;
import org.covidrisk.platform.security.Caller;
import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.narayana.jta.QuarkusTransactionException;

/**
 * Records outcomes that arrive after admission (death or discharge days later) as one batch: each update sets its
 * admission's outcome and is appended to {@code outcome_event} with its arrival time, so a prediction made before
 * can be joined to the outcome it did not know. Same batch rules as an upload: the batch id is the idempotency key
 * (the digest is over the updates), all-or-nothing or quarantine mode, updates of hospitals outside the token
 * refuse the batch. In problems, the line is the update's position in the list (1-based) and the column its
 * field.
 */
@ApplicationScoped
public class OutcomeService {

    private static final Logger LOG = Logger.getLogger(OutcomeService.class);

    /** The layout stored for outcome batches. */
    public static final String LAYOUT = "OUTCOMES";

    @Inject
    IngestConfig config;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    UploadService uploads;

    /** Applies the updates, or refuses them all ({@link UploadRefusedException}). */
    public UploadReport record(Caller caller, RecordOutcomesRequest request) {
        String batchId = request.getBatchId().strip();
        if (request.getOutcomesCount() == 0) {
            throw new UploadRefusedException(UploadRefusedException.Kind.INVALID, "no outcomes were sent",
                    List.of(new RowViolation(0, "outcomes", "is empty")));
        }
        if (request.getOutcomesCount() > config.maxOutcomesPerBatch()) {
            throw new UploadRefusedException(UploadRefusedException.Kind.TOO_LARGE, "more than "
                    + config.maxOutcomesPerBatch() + " outcomes in one batch; split it",
                    List.of(new RowViolation(0, "outcomes", "more than " + config.maxOutcomesPerBatch())));
        }
        String hash = digest(request);
        UploadReport replay = uploads.replayOrConflict(batchId, hash);
        if (replay != null) {
            return replay;
        }
        try {
            BatchStore.Stored stored = QuarkusTransaction.requiringNew().call(() -> {
                try (Connection c = dataSource.getConnection()) {
                    return store(c, caller, batchId, hash, request);
                }
            });
            LOG.infof("outcome batch %s stored: %d updates, %d quarantined, by %s", batchId, stored.rowsStored(),
                    stored.rowsQuarantined(), caller.username());
            return UploadService.report(stored, false);
        } catch (QuarkusTransactionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UploadRefusedException r) {
                throw r;
            }
            if (cause instanceof SQLException s && BatchStore.isUniqueViolation(s)) {
                UploadReport again = uploads.replayOrConflict(batchId, hash);
                if (again != null) {
                    return again;
                }
            }
            throw UploadService.unavailable(batchId, e);
        } catch (UploadRefusedException e) {
            throw e;
        } catch (RuntimeException e) {
            if (UploadService.hasSqlCause(e)) {
                throw UploadService.unavailable(batchId, e);
            }
            throw e;
        }
    }

    /** SHA-256 of the updates and the mode (the batch id left out: it is the key, not the content). */
    private static String digest(RecordOutcomesRequest request) {
        try {
            byte[] bytes = request.toBuilder().clearBatchId().build().toByteArray();
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    private BatchStore.Stored store(Connection c, Caller caller, String batchId, String hash,
            RecordOutcomesRequest request) throws SQLException {
        boolean quarantine = request.getQuarantineInvalidRows();
        BatchStore.insertBatch(c, batchId, hash, null, caller.username(), quarantine);
        Timestamp now = Timestamp.from(Instant.now());
        List<RowViolation> invalid = new ArrayList<>();
        List<RowViolation> forbidden = new ArrayList<>();
        List<RowViolation> quarantined = new ArrayList<>();
        long quarantinedRows = 0;
        TreeSet<String> hospitals = new TreeSet<>();
        long stored = 0;
        long deaths = 0;
        for (int i = 0; i < request.getOutcomesCount(); i++) {
            OutcomeUpdate u = request.getOutcomes(i);
            long line = i + 1;
            List<RowViolation> problems = new ArrayList<>(2);
            Fields f = new Fields(line, problems);
            String hospital = u.getHospital().strip();
            if (!Fields.isHospital(hospital) || !caller.belongsTo(hospital)) {
                forbidden.add(new RowViolation(line, "hospital", Fields.isHospital(hospital)
                        ? "hospital " + hospital + " is not one your account may write to"
                        : "is not a hospital key of your account"));
                continue;
            }
            Target t = check(c, u, hospital, f);
            if (!problems.isEmpty()) {
                if (quarantine) {
                    quarantinedRows++;
                    for (RowViolation v : problems) {
                        if (quarantined.size() < config.maxViolationsReported()) {
                            quarantined.add(v);
                        }
                        quarantine(c, batchId, v);
                    }
                } else {
                    for (RowViolation v : problems) {
                        if (invalid.size() < config.maxViolationsReported()) {
                            invalid.add(v);
                        }
                    }
                }
                continue;
            }
            if (!invalid.isEmpty() || !forbidden.isEmpty()) {
                continue; // bound to be refused: only check the rest
            }
            apply(c, batchId, t, u.getOutcomeValue(), now);
            hospitals.add(hospital);
            stored++;
            deaths += u.getOutcome() == AdmissionOutcome.ADMISSION_OUTCOME_DIED ? 1 : 0;
        }
        if (!invalid.isEmpty()) {
            throw new UploadRefusedException(UploadRefusedException.Kind.INVALID, "the batch was refused: "
                    + invalid.size() + " problem(s), nothing was stored", invalid);
        }
        if (!forbidden.isEmpty()) {
            throw new UploadRefusedException(UploadRefusedException.Kind.FORBIDDEN, forbidden.size()
                    + " update(s) belong to hospitals outside your account; nothing was stored",
                    forbidden
                            .subList(0, Math.min(forbidden.size(), config.maxViolationsReported())));
        }
        BatchStore.Stored result = new BatchStore.Stored(batchId, hash, LAYOUT, request.getOutcomesCount(), stored,
                deaths, List.copyOf(hospitals), quarantinedRows, quarantined);
        BatchStore.updateBatch(c, result);
        return result;
    }

    /** The admission an update refers to, and its time. */
    private record Target(String source, String hospital, String patientId, LocalDateTime admitted,
            LocalDateTime outcomeTime) {
    }

    private static Target check(Connection c, OutcomeUpdate u, String hospital, Fields f) throws SQLException {
        String patientId = f.id("patient_id", u.getPatientId().strip());
        String source = u.getSource().strip();
        if (!source.isEmpty() && !Fields.isSource(source)) {
            f.problem("source", "is not a source name (1-16 of A-Z 0-9 _)");
        }
        if (u.getOutcome() != AdmissionOutcome.ADMISSION_OUTCOME_DIED
                && u.getOutcome() != AdmissionOutcome.ADMISSION_OUTCOME_DISCHARGED_ALIVE) {
            f.problem("outcome", "must be DIED or DISCHARGED_ALIVE");
        }
        LocalDateTime when = f.dateTime("outcome_time", u.getOutcomeTime().strip(), true);
        if (f.count() > 0) {
            return null;
        }
        List<Target> found = new ArrayList<>(2);
        try (PreparedStatement ps = c.prepareStatement("SELECT source, admission_time FROM admission WHERE "
                + "hospital = ? AND patient_id = ?" + (source.isEmpty() ? "" : " AND source = ?"))) {
            ps.setString(1, hospital);
            ps.setString(2, patientId);
            if (!source.isEmpty()) {
                ps.setString(3, source);
            }
            ps.setMaxRows(2);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(new Target(rs.getString(1), hospital, patientId, rs.getObject(2,
                            LocalDateTime.class), when));
                }
            }
        }
        if (found.isEmpty()) {
            f.problem("patient_id", "no admission of this patient in the hospital" + (source.isEmpty()
                    ? ""
                    : " from this source"));
            return null;
        }
        if (found.size() > 1) {
            f.problem("source", "the patient has admissions from several sources: name the source");
            return null;
        }
        Target t = found.get(0);
        if (when.isBefore(t.admitted())) {
            f.problem("outcome_time", "is before the admission");
            return null;
        }
        return t;
    }

    private static void apply(Connection c, String batchId, Target t, int outcome, Timestamp now)
            throws SQLException {
        try (PreparedStatement up = c.prepareStatement("UPDATE admission SET outcome = ?, outcome_time = ?, "
                + "outcome_received_at = ?, updated_at = ? WHERE source = ? AND hospital = ? AND patient_id = ?");
                PreparedStatement event = c.prepareStatement("INSERT INTO outcome_event (source, hospital, "
                        + "patient_id, outcome, outcome_time, received_at, batch_id) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            up.setInt(1, outcome);
            up.setObject(2, t.outcomeTime());
            up.setTimestamp(3, now);
            up.setTimestamp(4, now);
            up.setString(5, t.source());
            up.setString(6, t.hospital());
            up.setString(7, t.patientId());
            up.executeUpdate();
            event.setString(1, t.source());
            event.setString(2, t.hospital());
            event.setString(3, t.patientId());
            event.setInt(4, outcome);
            event.setObject(5, t.outcomeTime());
            event.setTimestamp(6, now);
            event.setString(7, batchId);
            event.executeUpdate();
        }
    }

    private static void quarantine(Connection c, String batchId, RowViolation v) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO upload_quarantine (batch_id, line, column_name, "
                + "reason) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, batchId);
            ps.setLong(2, v.line());
            ps.setString(3, v.column());
            ps.setString(4, v.reason());
            ps.executeUpdate();
        }
    }
}
