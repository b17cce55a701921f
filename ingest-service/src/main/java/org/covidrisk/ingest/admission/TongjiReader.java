package org.covidrisk.ingest.admission;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVRecord;
import org.covidrisk.ingest.csv.CsvRecords;
import org.covidrisk.ingest.dge.RowViolation;

/**
 * Imports the Tongji Hospital export of Yan et al. 2020 (time_series_375 / time_series_test_110): one row per lab
 * draw, a patient's rows one after the other with {@code PATIENT_ID} only on the first, times as Excel serial days.
 * A record is a patient: the id is carried forward, age, sex, admission and discharge come from the first row
 * (later rows must agree), and each mapped analyte takes its first value drawn within the admission window (from
 * the admission time to the window's end); later draws are the course of the stay, not the presentation.
 * {@code outcome} 1 is death, 0 discharge, at the discharge time. The export names no hospital: the uploader
 * gives it. Only one patient is held at a time.
 */
public final class TongjiReader implements AdmissionReader {

    /** Stored as the batch layout. */
    public static final String FORMAT = "TONGJI";
    /** Default source of the records. */
    public static final String SOURCE = "TONGJI_2020";

    /**
     * Export column to analyte code, with the unit the export uses. Not mapped: {@code PH value} (its median of
     * 6.5 over 384 values makes it urine pH, not arterial) and the analytes the admission features do not use.
     */
    public static final Map<String, String[]> COLUMNS = columns(new String[][]{
            {"neutrophils count", "neutrophils", "10*9/L"}, {"lymphocyte count", "lymphocytes", "10*9/L"},
            {"Platelet count", "platelets", "10*9/L"}, {"hemoglobin", "hemoglobin", "g/L"},
            {"Urea", "urea", "mmol/L"}, {"High sensitivity C-reactive protein", "crp", "mg/L"},
            {"HCO3-", "bicarbonate", "mmol/L"}, {"serum sodium", "sodium", "mmol/L"},
            {"creatinine", "creatinine", "umol/L"}, {"Lactate dehydrogenase", "ldh", "U/L"},
            {"D-D dimer", "d_dimer", "ug/mL"}});

    static final String ID = "PATIENT_ID";
    static final String DRAWN = "RE_DATE";
    static final String ADMITTED = "Admission time";
    static final String DISCHARGED = "Discharge time";
    static final String OUTCOME = "outcome";
    static final String AGE = "age";
    static final String SEX = "gender";
    private static final List<String> REQUIRED = List.of(ID, DRAWN, ADMITTED, DISCHARGED, OUTCOME);
    /** Excel's day 0 in the 1900 date system (its 1900 leap-year bug folded in). */
    private static final LocalDateTime EXCEL_EPOCH = LocalDateTime.of(1899, 12, 30, 0, 0);
    /** A patient's problems listed at most (a patient may span hundreds of rows). */
    private static final int MAX_PROBLEMS_PER_PATIENT = 20;

    private final String source;
    private final String hospital;
    private final Duration labWindow;
    private final long maxRecords;

    /**
     * @param source what the patient ids are unique within
     * @param hospital the hospital of every record (the uploader's, checked against the token by the caller)
     * @param labWindow how long after admission a draw still counts as the presentation value
     * @param maxRecords refuse files with more patients (or rows) than this
     */
    public TongjiReader(String source, String hospital, Duration labWindow, long maxRecords) {
        this.source = source;
        this.hospital = hospital;
        this.labWindow = labWindow;
        this.maxRecords = maxRecords;
    }

    @Override
    public <E extends Exception> Summary read(Path file, Handler<E> handler) throws AdmissionFileException, E {
        try (CsvRecords records = CsvRecords.open(file)) {
            Map<String, Integer> header = records.header(false);
            if (header == null) {
                throw new AdmissionFileException(0, "", "the file is empty");
            }
            List<RowViolation> missing = new ArrayList<>();
            for (String c : REQUIRED) {
                if (!header.containsKey(c)) {
                    missing.add(new RowViolation(1, c, "required column of the Tongji export is missing"));
                }
            }
            if (!missing.isEmpty()) {
                throw new AdmissionFileException(missing);
            }
            int fields = header.size();
            long patients = 0;
            long rows = 0;
            Patient current = null;
            while (true) {
                CSVRecord rec = records.next();
                if (rec == null || ++rows > maxRecords) {
                    if (rec != null) {
                        throw new AdmissionFileException(rec.getRecordNumber(), "", "more than " + maxRecords
                                + " rows; split the file");
                    }
                    break;
                }
                long line = rec.getRecordNumber();
                String id = rec.size() == fields ? rec.get(header.get(ID)).strip() : "";
                if (current == null || !id.isEmpty() && !id.equals(current.id)) {
                    if (current != null && !current.finish(handler)) {
                        return new Summary(FORMAT, patients);
                    }
                    if (++patients > maxRecords) {
                        throw new AdmissionFileException(line, "", "more than " + maxRecords
                                + " patients; split the file");
                    }
                    current = new Patient(line, id);
                }
                current.row(rec, header, fields);
            }
            if (current == null) {
                throw new AdmissionFileException(0, "", "the file has a header but no rows");
            }
            current.finish(handler);
            return new Summary(FORMAT, patients);
        } catch (CsvRecords.Unreadable e) {
            throw new AdmissionFileException(e.line(), "", e.getMessage());
        }
    }

    /** One patient's rows as they stream by: the first row's facts and the first value of each analyte. */
    private final class Patient {
        final long firstLine;
        final String id;
        final List<RowViolation> problems = new ArrayList<>();
        final Map<String, String> firstRow = new HashMap<>();
        final Map<String, Admission.Item> labs = new LinkedHashMap<>();
        Admission admission;

        Patient(long firstLine, String id) {
            this.firstLine = firstLine;
            this.id = id;
        }

        void row(CSVRecord rec, Map<String, Integer> header, int fields) {
            if (problems.size() >= MAX_PROBLEMS_PER_PATIENT) {
                return; // already invalid; the list stays bounded
            }
            long line = rec.getRecordNumber();
            Fields f = new Fields(line, problems);
            if (rec.size() != fields) {
                f.problem("", "has " + rec.size() + " fields, the header has " + fields);
                return;
            }
            if (admission == null) {
                first(rec, header, f);
            } else {
                for (String c : new String[]{AGE, SEX, ADMITTED, DISCHARGED, OUTCOME}) {
                    String v = header.containsKey(c) ? rec.get(header.get(c)).strip() : "";
                    if (!v.isEmpty() && !v.equals(firstRow.get(c))) {
                        f.problem(c, "differs from the patient's first row (line " + firstLine + ")");
                    }
                }
            }
            draws(rec, header, f);
        }

        private void first(CSVRecord rec, Map<String, Integer> header, Fields f) {
            for (String c : new String[]{AGE, SEX, ADMITTED, DISCHARGED, OUTCOME}) {
                firstRow.put(c, header.containsKey(c) ? rec.get(header.get(c)).strip() : "");
            }
            Admission a = new Admission();
            a.source = source;
            a.hospital = hospital;
            a.patientId = f.id(ID, id);
            a.age = f.age(AGE, firstRow.get(AGE));
            a.sex = switch (firstRow.get(SEX)) {
                case "" -> null;
                case "1" -> Admission.MALE;
                case "2" -> Admission.FEMALE;
                default -> {
                    f.problem(SEX, "is not 1 (male) or 2 (female)");
                    yield null;
                }
            };
            a.admissionTime = excel(f, ADMITTED, firstRow.get(ADMITTED), true);
            LocalDateTime discharged = excel(f, DISCHARGED, firstRow.get(DISCHARGED), false);
            switch (firstRow.get(OUTCOME)) {
                case "0" -> a.outcome = Admission.DISCHARGED_ALIVE;
                case "1" -> a.outcome = Admission.DIED;
                case "" -> a.outcome = Admission.OUTCOME_UNKNOWN;
                default -> f.problem(OUTCOME, "is not 0 (discharged) or 1 (died)");
            }
            if (discharged != null && a.admissionTime != null && discharged.isBefore(a.admissionTime)) {
                f.problem(DISCHARGED, "is before the admission time");
            } else if (a.outcome != Admission.OUTCOME_UNKNOWN) {
                a.outcomeTime = discharged;
            }
            admission = a;
        }

        /** Validates the mapped analytes of a row and keeps each one's first draw within the window. */
        private void draws(CSVRecord rec, Map<String, Integer> header, Fields f) {
            LocalDateTime drawn = null;
            boolean timed = false;
            for (var e : COLUMNS.entrySet()) {
                Integer i = header.get(e.getKey());
                String v = i == null ? "" : rec.get(i).strip();
                // The export writes -1 for a result that could not be measured (4 platelet counts).
                if (v.isEmpty() || v.equals("-1")) {
                    continue;
                }
                Double given = f.decimal(e.getKey(), v);
                if (given == null) {
                    continue;
                }
                String code = e.getValue()[0];
                String unit = e.getValue()[1];
                Analytes.Analyte an = Analytes.get(code);
                Analytes.Canonical c = Analytes.canonical(an, given, unit);
                if (c.problem() != null) {
                    f.problem(e.getKey(), c.problem());
                    continue;
                }
                if (!timed) {
                    timed = true;
                    drawn = excel(f, DRAWN, rec.get(header.get(DRAWN)).strip(), true);
                }
                if (drawn == null || admission.admissionTime == null || drawn.isBefore(admission.admissionTime)
                        || drawn.isAfter(admission.admissionTime.plus(labWindow))) {
                    continue;
                }
                Admission.Item seen = labs.get(code);
                if (seen == null || drawn.isBefore(seen.takenAt())) {
                    labs.put(code, new Admission.Item(an.kind(), code, c.value(), an.unit(), given, unit, drawn));
                }
            }
        }

        /** Hands the patient to the handler; false when the handler stops the read. */
        <E extends Exception> boolean finish(Handler<E> handler) throws E {
            if (!problems.isEmpty()) {
                return handler.invalid(firstLine, problems.size() > MAX_PROBLEMS_PER_PATIENT
                        ? List.copyOf(problems.subList(0, MAX_PROBLEMS_PER_PATIENT))
                        : problems);
            }
            admission.items.addAll(labs.values());
            return handler.record(firstLine, admission);
        }
    }

    /** An Excel serial day (days since 1899-12-30, the fraction the time of day) as a local date-time. */
    static LocalDateTime excel(Fields f, String column, String v, boolean required) {
        if (v.isEmpty()) {
            if (required) {
                f.problem(column, "is missing");
            }
            return null;
        }
        Double days = f.decimal(column, v);
        if (days == null) {
            return null;
        }
        if (days < 1 || days > 2_958_465) { // 9999-12-31
            f.problem(column, "is not an Excel serial date");
            return null;
        }
        long seconds = Math.round(days * 86_400);
        return f.inRange(column, EXCEL_EPOCH.plusSeconds(seconds));
    }

    private static Map<String, String[]> columns(String[][] rows) {
        Map<String, String[]> m = new LinkedHashMap<>();
        for (String[] r : rows) {
            m.put(r[0], new String[]{r[1], r[2]});
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
