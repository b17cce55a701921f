package org.covidrisk.ingest.admission;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.commons.csv.CSVRecord;
import org.covidrisk.ingest.csv.CsvRecords;
import org.covidrisk.ingest.dge.RowViolation;

/**
 * Reads the suite's own admission CSV (schema in the ingest-service README): one admission per row, with patient
 * id, hospital, admission time, age, sex, comorbidities, vital signs and laboratory results (each analyte an
 * optional value column, with an optional {@code <code>_unit} column; without it the canonical unit is assumed),
 * outcome and outcome time. Header names are matched without regard to case; an unknown column refuses the file
 * (a misspelt analyte would otherwise be silently dropped). Values are converted to canonical units; an unknown
 * unit or an impossible value is a problem of its row, naming the column.
 */
public final class AdmissionCsvReader implements AdmissionReader {

    /** Stored as the batch layout and the default source. */
    public static final String FORMAT = "ADMISSION_CSV";

    /** Columns every file must have. */
    public static final List<String> REQUIRED = List.of("patient_id", "hospital", "admission_time");
    /** Every other column a file may have, besides the analytes and their {@code _unit} columns. */
    public static final List<String> OPTIONAL = List.of("symptom_onset_date", "age", "sex",
            "mechanical_ventilation", "outcome", "outcome_time");

    private final String source;
    private final long maxRecords;

    /**
     * @param source what the patient ids are unique within
     * @param maxRecords refuse files with more rows than this
     */
    public AdmissionCsvReader(String source, long maxRecords) {
        this.source = source;
        this.maxRecords = maxRecords;
    }

    /** Every column name the schema knows, in documentation order. */
    public static Set<String> knownColumns() {
        Set<String> known = new LinkedHashSet<>(REQUIRED);
        known.addAll(OPTIONAL);
        known.addAll(Analytes.COMORBIDITIES);
        for (Analytes.Analyte a : Analytes.all()) {
            known.add(a.code());
            known.add(a.code() + "_unit");
        }
        return known;
    }

    @Override
    public <E extends Exception> Summary read(Path file, Handler<E> handler) throws AdmissionFileException, E {
        try (CsvRecords records = CsvRecords.open(file)) {
            Map<String, Integer> header = header(records);
            long rows = 0;
            while (true) {
                CSVRecord rec = records.next();
                if (rec == null) {
                    break;
                }
                long line = rec.getRecordNumber();
                if (++rows > maxRecords) {
                    throw new AdmissionFileException(line, "", "more than " + maxRecords + " rows; split the file");
                }
                List<RowViolation> problems = new ArrayList<>(2);
                Admission a = toAdmission(rec, header, new Fields(line, problems));
                if (!(problems.isEmpty() ? handler.record(line, a) : handler.invalid(line, problems))) {
                    break;
                }
            }
            if (rows == 0) {
                throw new AdmissionFileException(0, "", "the file has a header but no rows");
            }
            return new Summary(FORMAT, rows);
        } catch (CsvRecords.Unreadable e) {
            throw new AdmissionFileException(e.line(), "", e.getMessage());
        }
    }

    private static Map<String, Integer> header(CsvRecords records) throws CsvRecords.Unreadable,
            AdmissionFileException {
        Map<String, Integer> raw = records.header(false);
        if (raw == null) {
            throw new AdmissionFileException(0, "", "the file is empty");
        }
        Set<String> known = knownColumns();
        List<RowViolation> problems = new ArrayList<>();
        Map<String, Integer> header = new java.util.HashMap<>();
        for (var e : raw.entrySet()) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            if (!known.contains(name)) {
                problems.add(new RowViolation(1, e.getKey().length() > 64 ? e.getKey().substring(0, 64) : e.getKey(),
                        "unknown column (see the admission CSV schema)"));
            } else if (header.putIfAbsent(name, e.getValue()) != null) {
                problems.add(new RowViolation(1, name, "column appears twice"));
            }
        }
        for (String c : REQUIRED) {
            if (!header.containsKey(c)) {
                problems.add(new RowViolation(1, c, "required column is missing from the header"));
            }
        }
        if (!problems.isEmpty()) {
            throw new AdmissionFileException(problems);
        }
        header.put("", raw.size()); // the number of fields a row must have
        return header;
    }

    private Admission toAdmission(CSVRecord rec, Map<String, Integer> header, Fields f) {
        int fields = header.get("");
        if (rec.size() != fields) {
            f.problem("", "has " + rec.size() + " fields, the header has " + fields);
            return null;
        }
        Admission a = new Admission();
        a.source = source;
        a.patientId = f.id("patient_id", field(rec, header, "patient_id"));
        a.hospital = f.hospital("hospital", field(rec, header, "hospital"));
        a.admissionTime = f.dateTime("admission_time", field(rec, header, "admission_time"), true);
        a.symptomOnsetDate = f.date("symptom_onset_date", field(rec, header, "symptom_onset_date"));
        a.age = f.age("age", field(rec, header, "age"));
        a.sex = f.sex("sex", field(rec, header, "sex"));
        a.mechanicalVentilation = f.yesNo("mechanical_ventilation", field(rec, header, "mechanical_ventilation"));
        for (String c : Analytes.COMORBIDITIES) {
            Boolean present = f.yesNo(c, field(rec, header, c));
            if (present != null) {
                double v = present ? 1 : 0;
                a.items.add(new Admission.Item(Admission.Kind.COMORBIDITY, c, v, "1", v, "1", null));
            }
        }
        for (Analytes.Analyte an : Analytes.all()) {
            Double given = f.decimal(an.code(), field(rec, header, an.code()));
            if (given == null) {
                continue;
            }
            String unitColumn = an.code() + "_unit";
            String unit = header.containsKey(unitColumn) ? field(rec, header, unitColumn) : "";
            if (unit.isEmpty()) {
                unit = an.unit();
            }
            Analytes.Canonical c = Analytes.canonical(an, given, unit);
            if (c.problem() != null) {
                f.problem(c.problem().startsWith("unit") ? unitColumn : an.code(), c.problem());
                continue;
            }
            a.items.add(new Admission.Item(an.kind(), an.code(), c.value(), an.unit(), given, unit, null));
        }
        outcome(rec, header, f, a);
        return a;
    }

    private static void outcome(CSVRecord rec, Map<String, Integer> header, Fields f, Admission a) {
        String o = field(rec, header, "outcome").toLowerCase(Locale.ROOT);
        switch (o) {
            case "" -> a.outcome = Admission.OUTCOME_UNKNOWN;
            case "died" -> a.outcome = Admission.DIED;
            case "discharged" -> a.outcome = Admission.DISCHARGED_ALIVE;
            default -> f.problem("outcome", "is not one of died, discharged (or empty while unknown)");
        }
        LocalDateTime t = f.dateTime("outcome_time", field(rec, header, "outcome_time"), false);
        if (t != null && o.isEmpty()) {
            f.problem("outcome_time", "is given without an outcome");
        } else if (t != null && a.admissionTime != null && t.isBefore(a.admissionTime)) {
            f.problem("outcome_time", "is before admission_time");
        }
        a.outcomeTime = t;
    }

    private static String field(CSVRecord rec, Map<String, Integer> header, String column) {
        Integer i = header.get(column);
        return i == null ? "" : rec.get(i).strip();
    }
}
