package org.covidrisk.ingest.service;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.covidrisk.ingest.UploadBatch;
import org.covidrisk.ingest.config.IngestConfig;
import org.covidrisk.ingest.v1.AdmissionOutcome;
import org.covidrisk.ingest.v1.AdmissionRecord;
import org.covidrisk.ingest.v1.AdmissionsRequest;
import org.covidrisk.ingest.v1.Comorbidity;
import org.covidrisk.ingest.v1.GetAdmissionRequest;
import org.covidrisk.ingest.v1.ListQuarantineResponse;
import org.covidrisk.ingest.v1.Measurement;
import org.covidrisk.ingest.v1.OutcomeEvent;
import org.covidrisk.ingest.v1.OutcomeEventsRequest;
import org.covidrisk.ingest.v1.RowProblem;
import org.covidrisk.ingest.v1.Sex;
import org.covidrisk.platform.security.Caller;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Reads stored admissions (for training), outcome events (to join earlier predictions) and quarantine reports,
 * page by page with keyset pagination so a stream holds one page at a time.
 */
@ApplicationScoped
public class AdmissionQueryService {

    /** A request field that cannot be used, named. */
    public static final class BadRequest extends RuntimeException {
        private final String field;

        BadRequest(String field, String message) {
            super(message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    private static final int MAX_QUARANTINE_PAGE = 5000;

    @Inject
    IngestConfig config;

    @Inject
    AgroalDataSource dataSource;

    /**
     * Streams the admissions matching the request, ordered by (source, hospital, patient id), each with its
     * comorbidities, vital signs and laboratory results in canonical units.
     */
    public long streamAdmissions(AdmissionsRequest request, Consumer<AdmissionRecord> sink) {
        String[] cursor = {"", "", ""};
        long sent = 0;
        while (true) {
            List<AdmissionRecord> page = QuarkusTransaction.requiringNew().call(() -> admissionPage(request,
                    cursor));
            for (AdmissionRecord r : page) {
                sink.accept(r);
                sent++;
            }
            if (page.size() < config.admissionPageSize()) {
                return sent;
            }
            AdmissionRecord last = page.get(page.size() - 1);
            cursor[0] = last.getSource();
            cursor[1] = last.getHospital();
            cursor[2] = last.getPatientId();
        }
    }

    private List<AdmissionRecord> admissionPage(AdmissionsRequest request, String[] cursor) throws SQLException {
        StringBuilder where = new StringBuilder("(source > ? OR source = ? AND (hospital > ? OR hospital = ? AND "
                + "patient_id > ?))");
        List<Object> args = new ArrayList<>(List.of(cursor[0], cursor[0], cursor[1], cursor[1], cursor[2]));
        in(where, args, "hospital", request.getHospitalsList());
        in(where, args, "source", request.getSourcesList());
        if (request.getWithOutcomeOnly()) {
            where.append(" AND outcome <> 0");
        }
        return query(where, args, config.admissionPageSize());
    }

    /**
     * The stored admissions with this patient id in the caller's hospitals (narrowed to the request's hospital and
     * source when given), at most two: one is the answer, two mean the id is ambiguous. Another hospital's
     * admission is not returned, as an absent one.
     */
    public List<AdmissionRecord> find(Caller caller, GetAdmissionRequest request) {
        String hospital = request.getHospital().strip();
        if (caller.hospitals().isEmpty() || !hospital.isEmpty() && !caller.belongsTo(hospital)) {
            return List.of();
        }
        StringBuilder where = new StringBuilder("patient_id = ?");
        List<Object> args = new ArrayList<>(List.of(request.getPatientId().strip()));
        in(where, args, "hospital", hospital.isEmpty() ? caller.hospitals() : List.of(hospital));
        String source = request.getSource().strip();
        if (!source.isEmpty()) {
            in(where, args, "source", List.of(source));
        }
        return QuarkusTransaction.requiringNew().call(() -> query(where, args, 2));
    }

    /** Admissions matching a WHERE clause on table admission, each with its items, in key order. */
    private List<AdmissionRecord> query(StringBuilder where, List<Object> args, int limit) throws SQLException {
        String sql = "SELECT a.source, a.hospital, a.patient_id, a.admission_time, a.symptom_onset_date, a.age, "
                + "a.sex, a.mechanical_ventilation, a.outcome, a.outcome_time, a.outcome_received_at, i.kind, i.code, "
                + "i.canonical_value, i.canonical_unit, i.taken_at FROM (SELECT * FROM admission WHERE " + where
                + " ORDER BY source, hospital, patient_id LIMIT " + limit + ") a LEFT JOIN "
                + "admission_item i ON i.source = a.source AND i.hospital = a.hospital AND i.patient_id = "
                + "a.patient_id ORDER BY a.source, a.hospital, a.patient_id, i.kind, i.code";
        List<AdmissionRecord> page = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                AdmissionRecord.Builder current = null;
                while (rs.next()) {
                    if (current == null || !current.getSource().equals(rs.getString(1)) || !current.getHospital()
                            .equals(rs.getString(2)) || !current.getPatientId().equals(rs.getString(3))) {
                        if (current != null) {
                            page.add(current.build());
                        }
                        current = record(rs);
                    }
                    item(current, rs);
                }
                if (current != null) {
                    page.add(current.build());
                }
            }
        }
        return page;
    }

    private static AdmissionRecord.Builder record(ResultSet rs) throws SQLException {
        AdmissionRecord.Builder b = AdmissionRecord.newBuilder().setSource(rs.getString(1))
                .setHospital(rs.getString(2)).setPatientId(rs.getString(3))
                .setAdmissionTime(rs.getObject(4, LocalDateTime.class).toString());
        LocalDate onset = rs.getObject(5, LocalDate.class);
        if (onset != null) {
            b.setSymptomOnsetDate(onset.toString());
        }
        double age = rs.getDouble(6);
        if (!rs.wasNull()) {
            b.setAge(age);
        }
        int sex = rs.getInt(7);
        b.setSex(rs.wasNull() ? Sex.SEX_UNSPECIFIED : Sex.forNumber(sex));
        boolean ventilated = rs.getBoolean(8);
        if (!rs.wasNull()) {
            b.setMechanicalVentilation(ventilated);
        }
        b.setOutcome(AdmissionOutcome.forNumber(rs.getInt(9)));
        LocalDateTime outcomeTime = rs.getObject(10, LocalDateTime.class);
        if (outcomeTime != null) {
            b.setOutcomeTime(outcomeTime.toString());
        }
        Timestamp received = rs.getTimestamp(11);
        if (received != null) {
            b.setOutcomeReceivedAt(received.toInstant().toString());
        }
        return b;
    }

    private static void item(AdmissionRecord.Builder b, ResultSet rs) throws SQLException {
        String kind = rs.getString(12);
        if (kind == null) {
            return; // an admission without items (LEFT JOIN)
        }
        String code = rs.getString(13);
        double value = rs.getDouble(14);
        if (kind.equals("COMORBIDITY")) {
            b.addComorbidities(Comorbidity.newBuilder().setCode(code).setPresent(value != 0));
            return;
        }
        LocalDateTime taken = rs.getObject(16, LocalDateTime.class);
        Measurement m = Measurement.newBuilder().setCode(code).setValue(value).setUnit(rs.getString(15))
                .setTime(taken == null ? "" : taken.toString()).build();
        if (kind.equals("VITAL")) {
            b.addVitals(m);
        } else {
            b.addLabs(m);
        }
    }

    /** Streams outcome events in arrival order (received_at, then id). */
    public long streamOutcomeEvents(OutcomeEventsRequest request, Consumer<OutcomeEvent> sink) {
        Instant after;
        try {
            after = request.getReceivedAfter().isBlank()
                    ? Instant.EPOCH
                    : Instant.parse(request.getReceivedAfter()
                            .strip());
        } catch (DateTimeParseException e) {
            throw new BadRequest("received_after", "is not an ISO-8601 instant (e.g. 2020-03-01T10:00:00Z)");
        }
        Object[] cursor = {Timestamp.from(after), Long.MIN_VALUE};
        long sent = 0;
        while (true) {
            List<Object[]> page = QuarkusTransaction.requiringNew().call(() -> eventPage(request, cursor));
            for (Object[] e : page) {
                sink.accept((OutcomeEvent) e[0]);
                sent++;
            }
            if (page.size() < config.admissionPageSize()) {
                return sent;
            }
            Object[] last = page.get(page.size() - 1);
            cursor[0] = last[1];
            cursor[1] = last[2];
        }
    }

    private List<Object[]> eventPage(OutcomeEventsRequest request, Object[] cursor) throws SQLException {
        StringBuilder where = new StringBuilder("(received_at > ? OR received_at = ? AND id > ?)");
        List<Object> args = new ArrayList<>(List.of(cursor[0], cursor[0], cursor[1]));
        in(where, args, "hospital", request.getHospitalsList());
        String sql = "SELECT source, hospital, patient_id, outcome, outcome_time, received_at, batch_id, id FROM "
                + "outcome_event WHERE " + where + " ORDER BY received_at, id LIMIT " + config.admissionPageSize();
        List<Object[]> page = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    LocalDateTime t = rs.getObject(5, LocalDateTime.class);
                    Timestamp received = rs.getTimestamp(6);
                    OutcomeEvent e = OutcomeEvent.newBuilder().setSource(rs.getString(1)).setHospital(rs.getString(
                            2)).setPatientId(rs.getString(3)).setOutcome(AdmissionOutcome.forNumber(rs.getInt(4)))
                            .setOutcomeTime(t == null ? "" : t.toString()).setReceivedAt(received.toInstant()
                                    .toString())
                            .setBatchId(rs.getString(7)).build();
                    page.add(new Object[]{e, received, rs.getLong(8)});
                }
            }
        }
        return page;
    }

    /**
     * A page of the quarantine report of one of the caller's batches, in line order; empty when the batch is not
     * the caller's (or unknown).
     */
    public Optional<ListQuarantineResponse> quarantine(Caller caller, String batchId, int pageSize,
            String pageToken) {
        int size = pageSize <= 0 ? 500 : Math.min(pageSize, MAX_QUARANTINE_PAGE);
        long offset = offset(pageToken);
        return QuarkusTransaction.requiringNew().call(() -> {
            UploadBatch b = UploadBatch.findById(batchId);
            if (b == null || !b.uploadedBy.equals(caller.username())) {
                return Optional.<ListQuarantineResponse>empty();
            }
            ListQuarantineResponse.Builder out = ListQuarantineResponse.newBuilder().setBatchId(batchId)
                    .setRowsQuarantined(b.rowsQuarantined);
            try (Connection c = dataSource.getConnection();
                    PreparedStatement ps = c.prepareStatement("SELECT line, "
                            + "column_name, reason FROM upload_quarantine WHERE batch_id = ? ORDER BY line, column_name, "
                            + "reason LIMIT ? OFFSET ?")) {
                ps.setString(1, batchId);
                ps.setInt(2, size + 1);
                ps.setLong(3, offset);
                try (ResultSet rs = ps.executeQuery()) {
                    int n = 0;
                    while (rs.next()) {
                        if (++n > size) {
                            out.setNextPageToken(token(offset + size));
                            break;
                        }
                        out.addProblems(RowProblem.newBuilder().setLine(rs.getLong(1)).setColumn(rs.getString(2))
                                .setReason(rs.getString(3)));
                    }
                }
            }
            return Optional.of(out.build());
        });
    }

    private static String token(long offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("q" + offset).getBytes(
                StandardCharsets.US_ASCII));
    }

    private static long offset(String token) {
        if (token == null || token.isBlank()) {
            return 0;
        }
        try {
            String s = new String(Base64.getUrlDecoder().decode(token.strip()), StandardCharsets.US_ASCII);
            long offset = s.startsWith("q") ? Long.parseLong(s.substring(1)) : -1;
            if (offset >= 0) {
                return offset;
            }
        } catch (IllegalArgumentException e) {
            // falls through to the refusal
        }
        throw new BadRequest("page_token", "is not a token of this listing");
    }

    private static void in(StringBuilder where, List<Object> args, String column, List<String> values) {
        if (!values.isEmpty()) {
            where.append(" AND ").append(column).append(" IN (").append(String.join(", ", Collections.nCopies(values
                    .size(), "?"))).append(')');
            args.addAll(values);
        }
    }

    private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            if (a instanceof Timestamp t) {
                ps.setTimestamp(i + 1, t);
            } else if (a instanceof Long l) {
                ps.setLong(i + 1, l);
            } else {
                ps.setString(i + 1, (String) a);
            }
        }
    }
}
