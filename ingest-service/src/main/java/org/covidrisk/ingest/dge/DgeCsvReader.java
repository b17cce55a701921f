package org.covidrisk.ingest.dge;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.commons.csv.CSVRecord;
import org.covidrisk.ingest.Patient;
import org.covidrisk.ingest.csv.CsvRecords;

/**
 * Reads a Mexican DGE open-data CSV (2020 or 2022 layout; plain or zipped; UTF-8 with or without BOM) row by row,
 * validating every row against the official code lists and handing each to a {@link RowHandler}: nothing is
 * kept between rows, so the heap does not grow with the file. Codes 97/98/99 become missing; death comes from
 * {@code FECHA_DEF} ({@code 9999-99-99} and the 2022 export artefact {@code -001-11-30} mean alive). The hospital
 * key is {@code MX-<ENTIDAD_UM>-<SECTOR>}, the finest centre proxy the data has. Duplicate ids within a file are
 * not detected here (that would need memory growing with the file): the store detects them.
 */
public final class DgeCsvReader {

    /** What a read saw: the layout and the number of data rows. */
    public record Summary(DgeLayout layout, long rowsRead) {
    }

    /**
     * Receives the rows of a file in order.
     *
     * @param <E> what the handler may throw (e.g. a database error); it ends the read
     */
    public interface RowHandler<E extends Exception> {
        /** The layout is known (called once, before any row). */
        default void layout(DgeLayout layout) throws E {
        }

        /** A valid row; false stops reading. */
        boolean row(long line, Patient patient) throws E;

        /** An invalid row with at least one problem; false stops reading. */
        boolean invalid(long line, List<RowViolation> problems) throws E;
    }

    /** Longest record accepted: a DGE row is about 200 characters; this bounds the heap a hostile file can take. */
    public static final int MAX_RECORD_CHARS = CsvRecords.MAX_RECORD_CHARS;

    private static final Set<String> ALIVE_DATES = Set.of("9999-99-99", "-001-11-30");
    private static final int MAX_ID_LENGTH = 64;
    private static final int MAX_AGE = 130;
    private static final Set<Integer> ORIGIN_CODES = Set.of(1, 2, 99);
    private static final Set<Integer> SEX_CODES = Set.of(1, 2, 99);
    private static final Set<Integer> YES_NO_CODES = Set.of(1, 2, 97, 98, 99);
    private static final Set<Integer> STATUS_CODES = Set.of(1, 2, 3, 4, 5, 6, 7, 97, 98, 99);
    private static final String[] TWO_DIGITS = new String[100];
    static {
        for (int i = 0; i < 100; i++) {
            TWO_DIGITS[i] = (i < 10 ? "0" : "") + i;
        }
    }

    private final long maxRows;

    /** @param maxRows refuse files with more data rows than this */
    public DgeCsvReader(long maxRows) {
        this.maxRows = maxRows;
    }

    /**
     * Reads the file, handing every data row to the handler.
     *
     * @throws DgeFileException when the file as a whole cannot be read: not a DGE file, missing columns, broken
     *         quoting, not UTF-8, a truncated zip, too many rows, a record over {@link #MAX_RECORD_CHARS}; its
     *         violations name the line where that was found
     */
    public <E extends Exception> Summary read(Path file, String batchId, RowHandler<E> handler)
            throws DgeFileException, E {
        try (CsvRecords records = CsvRecords.open(file)) {
            return read(records, batchId, handler);
        } catch (CsvRecords.Unreadable e) {
            throw new DgeFileException(List.of(new RowViolation(e.line(), "", e.getMessage())));
        }
    }

    private <E extends Exception> Summary read(CsvRecords records, String batchId, RowHandler<E> handler)
            throws DgeFileException, CsvRecords.Unreadable, E {
        Map<String, Integer> header = records.header(true);
        if (header == null) {
            throw new DgeFileException(List.of(new RowViolation(0, "", "the file is empty")));
        }
        DgeLayout layout = DgeLayout.detect(header.keySet());
        List<RowViolation> problems = new ArrayList<>();
        if (layout == null) {
            problems.add(new RowViolation(1, "", "not a DGE COVID-19 file: neither RESULTADO (2020 layout) nor "
                    + "CLASIFICACION_FINAL (2022 layout) is in the header"));
        } else {
            for (String c : DgeLayout.COMMON_COLUMNS) {
                if (!header.containsKey(c)) {
                    problems.add(new RowViolation(1, c, "required column is missing from the header"));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new DgeFileException(problems);
        }
        handler.layout(layout);
        Instant now = Instant.now();
        long rows = 0;
        while (true) {
            CSVRecord rec = records.next();
            if (rec == null) {
                break;
            }
            rows++;
            long line = rec.getRecordNumber();
            if (rows > maxRows) {
                throw new DgeFileException(List.of(new RowViolation(line, "", "more than " + maxRows
                        + " rows; split the file")));
            }
            List<RowViolation> rowProblems = new ArrayList<>(2);
            Patient p = new RowReader(rec, header, line, rowProblems).toPatient(layout, batchId, now);
            boolean more = p != null ? handler.row(line, p) : handler.invalid(line, rowProblems);
            if (!more) {
                break;
            }
        }
        if (rows == 0) {
            throw new DgeFileException(List.of(new RowViolation(0, "", "the file has a header but no rows")));
        }
        return new Summary(layout, rows);
    }

    /** Validates and converts the fields of one row, collecting every problem rather than stopping at one. */
    private static final class RowReader {
        private final CSVRecord rec;
        private final Map<String, Integer> header;
        private final long line;
        private final List<RowViolation> problems;
        private final int problemsBefore;

        RowReader(CSVRecord rec, Map<String, Integer> header, long line, List<RowViolation> problems) {
            this.rec = rec;
            this.header = header;
            this.line = line;
            this.problems = problems;
            this.problemsBefore = problems.size();
        }

        Patient toPatient(DgeLayout layout, String batchId, Instant now) {
            if (rec.size() != header.size()) {
                problems.add(new RowViolation(line, "", "has " + rec.size() + " fields, the header has "
                        + header.size()));
                return null;
            }
            Patient p = new Patient();
            p.patientKey = text("ID_REGISTRO", MAX_ID_LENGTH);
            p.source = layout.name();
            p.batchId = batchId;
            p.updatedAt = now;
            Integer origin = code("ORIGEN", ORIGIN_CODES);
            p.usmer = origin != null && origin == 1;
            Integer sector = code("SECTOR", 1, 99);
            p.sector = sector == null ? 0 : sector;
            p.stateOfUnit = state("ENTIDAD_UM", true);
            p.stateOfBirth = state("ENTIDAD_NAC", false);
            p.stateOfResidence = state("ENTIDAD_RES", false);
            Integer sex = code("SEXO", SEX_CODES);
            p.sex = sex != null && sex != 99 ? sex : null;
            Integer type = code("TIPO_PACIENTE", SEX_CODES);
            p.patientType = type != null && type != 99 ? type : null;
            p.admissionDate = date("FECHA_INGRESO", true);
            p.symptomOnsetDate = date("FECHA_SINTOMAS", false);
            String def = field("FECHA_DEF");
            if (!ALIVE_DATES.contains(def)) {
                p.deathDate = date("FECHA_DEF", true);
                p.died = p.deathDate != null;
            }
            p.intubated = yesNo("INTUBADO");
            p.pneumonia = yesNo("NEUMONIA");
            p.age = age();
            Integer nat = code("NACIONALIDAD", SEX_CODES);
            p.mexicanNational = nat == null || nat == 99 ? null : nat == 1;
            p.pregnant = yesNo("EMBARAZO");
            p.indigenousLanguage = yesNo("HABLA_LENGUA_INDIG");
            p.diabetes = yesNo("DIABETES");
            p.copd = yesNo("EPOC");
            p.asthma = yesNo("ASMA");
            p.immunosuppressed = yesNo("INMUSUPR");
            p.hypertension = yesNo("HIPERTENSION");
            p.otherDisease = yesNo("OTRA_COM");
            p.cardiovascular = yesNo("CARDIOVASCULAR");
            p.obesity = yesNo("OBESIDAD");
            p.chronicKidneyDisease = yesNo("RENAL_CRONICA");
            p.smoker = yesNo("TABAQUISMO");
            p.contactWithCase = yesNo("OTRO_CASO");
            p.icu = yesNo("UCI");
            Integer status = code(layout.statusColumn, STATUS_CODES);
            if (status != null && status <= layout.maxStatusCode()) {
                p.covidStatus = layout.covidStatus(status);
            } else if (status != null && status < 97) {
                problems.add(new RowViolation(line, layout.statusColumn, "code is not in the catalogue (1-"
                        + layout.maxStatusCode() + ")"));
            }
            // A death date before the admission date is kept, not refused: the official 2020 export has 52 such
            // rows among 12,477 deaths (entry slips in one of the two dates); the death itself is what the models
            // use, and refusing would make the government's own file unloadable.
            if (p.stateOfUnit != null && sector != null) {
                p.hospital = "MX-" + p.stateOfUnit + "-" + TWO_DIGITS[sector];
            }
            return problems.size() == problemsBefore ? p : null;
        }

        private String field(String column) {
            return rec.get(header.get(column)).strip();
        }

        private String text(String column, int maxLength) {
            String v = field(column);
            if (v.isEmpty()) {
                problems.add(new RowViolation(line, column, "is empty"));
                return null;
            }
            if (v.length() > maxLength) {
                problems.add(new RowViolation(line, column, "is longer than " + maxLength + " characters"));
                return null;
            }
            for (int i = 0; i < v.length(); i++) {
                if (Character.isISOControl(v.charAt(i))) {
                    problems.add(new RowViolation(line, column, "holds control characters"));
                    return null;
                }
            }
            return v;
        }

        private Integer integer(String column) {
            String v = field(column);
            if (v.isEmpty() || v.length() > 9) {
                problems.add(new RowViolation(line, column, v.isEmpty() ? "is empty" : "is not a code"));
                return null;
            }
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                problems.add(new RowViolation(line, column, "is not a whole number"));
                return null;
            }
        }

        private Integer code(String column, Set<Integer> allowed) {
            Integer v = integer(column);
            if (v != null && !allowed.contains(v)) {
                problems.add(new RowViolation(line, column, "code is not in the catalogue " + new TreeSet<>(
                        allowed)));
                return null;
            }
            return v;
        }

        private Integer code(String column, int min, int max) {
            Integer v = integer(column);
            if (v != null && (v < min || v > max)) {
                problems.add(new RowViolation(line, column, "code is outside " + min + "-" + max));
                return null;
            }
            return v;
        }

        /** 1 yes, 2 no, 97/98/99 missing. */
        private Boolean yesNo(String column) {
            Integer v = code(column, YES_NO_CODES);
            if (v == null) {
                return null;
            }
            return v == 1 ? Boolean.TRUE : v == 2 ? Boolean.FALSE : null;
        }

        /** Two-digit state code 01-32, or 36/97/98/99 (country / not applicable / unknown) when not required. */
        private String state(String column, boolean required) {
            Integer v = integer(column);
            if (v == null) {
                return null;
            }
            if (v >= 1 && v <= 32) {
                return TWO_DIGITS[v];
            }
            if (!required && (v == 36 || v >= 97 && v <= 99)) {
                return null;
            }
            problems.add(new RowViolation(line, column, "state code is not 01-32"));
            return null;
        }

        private LocalDate date(String column, boolean required) {
            String v = field(column);
            if (v.isEmpty() || ALIVE_DATES.contains(v)) {
                if (required) {
                    problems.add(new RowViolation(line, column, "date is missing"));
                }
                return null;
            }
            try {
                LocalDate d = LocalDate.parse(v);
                if (d.getYear() < 2019 || d.isAfter(LocalDate.now().plusDays(1))) {
                    problems.add(new RowViolation(line, column, "date is outside 2019-01-01..today"));
                    return null;
                }
                return d;
            } catch (DateTimeParseException e) {
                problems.add(new RowViolation(line, column, "is not a date in yyyy-MM-dd form"));
                return null;
            }
        }

        private Integer age() {
            Integer v = integer("EDAD");
            if (v != null && (v < 0 || v > MAX_AGE)) {
                problems.add(new RowViolation(line, "EDAD", "age is outside 0-" + MAX_AGE));
                return null;
            }
            return v;
        }
    }
}
