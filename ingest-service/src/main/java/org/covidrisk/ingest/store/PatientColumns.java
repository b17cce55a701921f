package org.covidrisk.ingest.store;

import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.util.List;

import org.covidrisk.ingest.Patient;

/**
 * The columns of {@code patient} (and {@code patient_stage}) that a batch writes, in one order for COPY, JDBC
 * batches and the merge. The id is left to the column default (the {@code patient_seq} sequence).
 */
public final class PatientColumns {

    /** Column names in write order. */
    public static final List<String> NAMES = List.of("patient_key", "hospital", "source", "batch_id",
            "admission_date", "symptom_onset_date", "death_date", "died", "sex", "age", "patient_type",
            "covid_status", "pneumonia", "intubated", "icu", "diabetes", "copd", "asthma", "immunosuppressed",
            "hypertension", "other_disease", "cardiovascular", "obesity", "chronic_kidney_disease", "smoker",
            "pregnant", "contact_with_case", "indigenous_language", "mexican_national", "usmer", "sector",
            "state_of_unit", "state_of_birth", "state_of_residence", "updated_at");

    /** The stage table carries the file line in front, to name duplicates. */
    public static final String STAGE_LINE = "line";

    private PatientColumns() {
    }

    /** {@code a, b, c} with an optional first column. */
    public static String list(boolean withLine) {
        return (withLine ? STAGE_LINE + ", " : "") + String.join(", ", NAMES);
    }

    /** The values of one row in write order (strings, dates, booleans, numbers, null). */
    static Object[] values(Patient p) {
        return new Object[]{p.patientKey, p.hospital, p.source, p.batchId, p.admissionDate, p.symptomOnsetDate,
                p.deathDate, p.died, p.sex, p.age, p.patientType, p.covidStatus, p.pneumonia, p.intubated, p.icu,
                p.diabetes, p.copd, p.asthma, p.immunosuppressed, p.hypertension, p.otherDisease, p.cardiovascular,
                p.obesity, p.chronicKidneyDisease, p.smoker, p.pregnant, p.contactWithCase, p.indigenousLanguage,
                p.mexicanNational, p.usmer, p.sector, p.stateOfUnit, p.stateOfBirth, p.stateOfResidence,
                p.updatedAt};
    }

    /** Binds one row (after the optional line) to an INSERT with the columns of {@link #list(boolean)}. */
    static void bind(PreparedStatement ps, Patient p, long line, boolean withLine) throws SQLException {
        int i = 1;
        if (withLine) {
            ps.setLong(i++, line);
        }
        for (Object v : values(p)) {
            switch (v) {
                case null -> ps.setNull(i, Types.NULL);
                case String s -> ps.setString(i, s);
                case LocalDate d -> ps.setDate(i, Date.valueOf(d));
                case Boolean b -> ps.setBoolean(i, b);
                case Integer n -> ps.setInt(i, n);
                case java.time.Instant t -> ps.setTimestamp(i, Timestamp.from(t));
                default -> throw new IllegalStateException("unexpected column type " + v.getClass());
            }
            i++;
        }
    }
}
