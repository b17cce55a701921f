package org.covidrisk.ingest.dge;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.covidrisk.ingest.Patient;

/**
 * Reads a Mexican DGE open-data CSV (2020 or 2022 layout; plain or zipped; UTF-8 with or without BOM) into
 * {@link Patient} records, validating every row against the official code lists. Codes 97/98/99 become missing;
 * death comes from {@code FECHA_DEF} ({@code 9999-99-99} and the 2022 export artefact {@code -001-11-30} mean
 * alive). The hospital key is {@code MX-<ENTIDAD_UM>-<SECTOR>}, the finest centre proxy the data has.
 */
public final class DgeCsvReader {

    /** Result of a successful read. */
    public record Result(DgeLayout layout, List<Patient> patients, long rowsRead) {
    }

    private static final Set<String> ALIVE_DATES = Set.of("9999-99-99", "-001-11-30");
    private static final int MAX_ID_LENGTH = 64;
    private static final int MAX_AGE = 130;

    private final int maxViolations;
    private final long maxRows;

    /**
     * @param maxViolations stop collecting after this many problems (the file is refused either way)
     * @param maxRows refuse files with more data rows than this
     */
    public DgeCsvReader(int maxViolations, long maxRows) {
        this.maxViolations = maxViolations;
        this.maxRows = maxRows;
    }

    /** Reads and validates the whole file; throws with every problem found when any row is bad. */
    public Result read(Path file, String batchId) throws DgeFileException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            return read(openCsvStream(raw), batchId);
        } catch (IOException | UncheckedIOException e) {
            throw new DgeFileException(List.of(new RowViolation(0, "", "unreadable file: " + describe(e))));
        }
    }

    private static String describe(Exception e) {
        Throwable c = e instanceof UncheckedIOException u ? u.getCause() : e;
        if (c instanceof CharacterCodingException) {
            return "not UTF-8 text";
        }
        String m = c.getMessage();
        return m == null ? c.getClass().getSimpleName() : m;
    }

    /** Unwraps a zip (first .csv entry) when the bytes start with the zip signature. */
    static InputStream openCsvStream(InputStream raw) throws IOException {
        raw.mark(4);
        byte[] magic = raw.readNBytes(4);
        raw.reset();
        if (magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4) {
            ZipInputStream zip = new ZipInputStream(raw, StandardCharsets.UTF_8);
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                if (!entry.isDirectory() && entry.getName().toLowerCase().endsWith(".csv")) {
                    return zip;
                }
            }
            throw new IOException("zip archive holds no .csv file");
        }
        return raw;
    }

    private Result read(InputStream csv, String batchId) throws DgeFileException, IOException {
        Reader reader = new InputStreamReader(csv, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
        CSVFormat format = CSVFormat.RFC4180.builder().setIgnoreSurroundingSpaces(true).get();
        try (CSVParser parser = CSVParser.parse(reader, format)) {
            var it = parser.iterator();
            if (!it.hasNext()) {
                throw new DgeFileException(List.of(new RowViolation(0, "", "the file is empty")));
            }
            Map<String, Integer> header = header(it.next());
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
            Instant now = Instant.now();
            List<Patient> patients = new ArrayList<>();
            Map<String, Long> firstLineOfId = new HashMap<>();
            long rows = 0;
            while (it.hasNext()) {
                CSVRecord rec = it.next();
                rows++;
                long line = rec.getRecordNumber();
                if (rows > maxRows) {
                    problems.add(new RowViolation(line, "", "more than " + maxRows + " rows; split the file"));
                    break;
                }
                RowReader row = new RowReader(rec, header, line, problems);
                Patient p = row.toPatient(layout, batchId, now);
                if (p != null) {
                    Long first = firstLineOfId.putIfAbsent(p.patientKey, line);
                    if (first != null) {
                        problems.add(new RowViolation(line, "ID_REGISTRO", "duplicate id, first seen on line "
                                + first));
                    } else {
                        patients.add(p);
                    }
                }
                if (problems.size() >= maxViolations) {
                    break;
                }
            }
            if (!problems.isEmpty()) {
                throw new DgeFileException(problems.subList(0, Math.min(problems.size(), maxViolations)));
            }
            if (rows == 0) {
                throw new DgeFileException(List.of(new RowViolation(0, "", "the file has a header but no rows")));
            }
            return new Result(layout, patients, rows);
        } catch (UncheckedIOException e) {
            // commons-csv wraps parse errors (e.g. an unterminated quote) in UncheckedIOException.
            throw new DgeFileException(List.of(new RowViolation(0, "", "malformed CSV: " + describe(e))));
        }
    }

    private static Map<String, Integer> header(CSVRecord rec) {
        Map<String, Integer> header = new HashMap<>();
        for (int i = 0; i < rec.size(); i++) {
            String name = rec.get(i).strip();
            if (i == 0 && name.startsWith("\uFEFF")) {
                name = name.substring(1);
            }
            header.putIfAbsent(name.toUpperCase(), i);
        }
        return header;
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
            Integer origin = code("ORIGEN", Set.of(1, 2, 99));
            p.usmer = origin != null && origin == 1;
            Integer sector = code("SECTOR", 1, 99);
            p.sector = sector == null ? 0 : sector;
            p.stateOfUnit = state("ENTIDAD_UM", true);
            p.stateOfBirth = state("ENTIDAD_NAC", false);
            p.stateOfResidence = state("ENTIDAD_RES", false);
            Integer sex = code("SEXO", Set.of(1, 2, 99));
            p.sex = sex != null && sex != 99 ? sex : null;
            Integer type = code("TIPO_PACIENTE", Set.of(1, 2, 99));
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
            Integer nat = code("NACIONALIDAD", Set.of(1, 2, 99));
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
            Integer status = code(layout.statusColumn, Set.of(1, 2, 3, 4, 5, 6, 7, 97, 98, 99));
            if (status != null && status <= layout.maxStatusCode()) {
                p.covidStatus = layout.covidStatus(status);
            } else if (status != null && status < 97) {
                problems.add(new RowViolation(line, layout.statusColumn, "code " + status
                        + " is not in the catalogue (1-" + layout.maxStatusCode() + ")"));
            }
            // A death date before the admission date is kept, not refused: the official 2020 export has 52 such
            // rows among 12,477 deaths (entry slips in one of the two dates); the death itself is what the models
            // use, and refusing would make the government's own file unloadable.
            if (p.stateOfUnit != null && sector != null) {
                p.hospital = "MX-" + p.stateOfUnit + "-" + String.format("%02d", sector);
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
                problems.add(new RowViolation(line, column, "code " + v + " is not in the catalogue "
                        + new LinkedHashSet<>(allowed)));
                return null;
            }
            return v;
        }

        private Integer code(String column, int min, int max) {
            Integer v = integer(column);
            if (v != null && (v < min || v > max)) {
                problems.add(new RowViolation(line, column, "code " + v + " is outside " + min + "-" + max));
                return null;
            }
            return v;
        }

        /** 1 yes, 2 no, 97/98/99 missing. */
        private Boolean yesNo(String column) {
            Integer v = code(column, Set.of(1, 2, 97, 98, 99));
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
                return String.format("%02d", v);
            }
            if (!required && (v == 36 || v >= 97 && v <= 99)) {
                return null;
            }
            problems.add(new RowViolation(line, column, "state code " + v + " is not 01-32"));
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
                    problems.add(new RowViolation(line, column, "date " + v + " is outside 2019-01-01..today"));
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
                problems.add(new RowViolation(line, "EDAD", "age " + v + " is outside 0-" + MAX_AGE));
                return null;
            }
            return v;
        }
    }
}
