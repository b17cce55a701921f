package org.covidrisk.ingest.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import jakarta.inject.Inject;

import org.covidrisk.ingest.DgeRows;
import org.covidrisk.ingest.dge.DgeLayout;
import org.covidrisk.ingest.v1.AdmissionFormat;
import org.covidrisk.ingest.v1.AdmissionServiceGrpc;
import org.covidrisk.ingest.v1.AdmissionUploadChunk;
import org.covidrisk.ingest.v1.AdmissionUploadHeader;
import org.covidrisk.ingest.v1.IngestServiceGrpc;
import org.covidrisk.ingest.v1.UploadChunk;
import org.covidrisk.ingest.v1.UploadHeader;
import org.covidrisk.ingest.v1.UploadReport;
import org.covidrisk.platform.grpc.BearerToken;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.covidrisk.platform.testing.TestChannel;
import org.covidrisk.platform.testing.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import io.agroal.api.AgroalDataSource;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Seeded fuzzing of UploadDge over gRPC with malformed rows and files: wrong codes, bad dates, wrong column
 * counts, over-long and control-character ids, repeated ids, broken quoting, over-long records, truncated zips,
 * non-CSV bytes, wrong headers, other bytes under a known batch id. Every upload must end in a client-error
 * status or a report (never INTERNAL / UNKNOWN / UNAVAILABLE), every refusal must name where and why, a refused
 * batch must leave the patient table exactly as it was, and in quarantine mode exactly the valid rows are stored
 * and every malformed line is recorded with the expected column.
 */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class IngestFuzzTest {

    private static final long SEED = 20200527L;
    private static final int ROW_FILES = 130;
    private static final int ROWS_PER_FILE = 120;
    private static final String HOSPITAL = "MX-09-04";
    private static final Pattern LOCATION = Pattern.compile("file|line [1-9][0-9]*(, column [A-Z_/]+)?"
            + "|column [A-Za-z_]+");
    private static final String ADMISSION_HOSPITAL = "BR-FZ-01";
    /** The hospital of the FHIR fixture's Organization. */
    private static final String FHIR_HOSPITAL = "DE-BE-01";
    private static final Pattern ADMISSION_LOCATION = Pattern.compile("file|line [1-9][0-9]*(, column "
            + "[A-Za-z0-9_.\\[\\] ]+)?");
    private static final List<String> YES_NO = List.of("INTUBADO", "NEUMONIA", "DIABETES", "EPOC", "ASMA",
            "INMUSUPR", "HIPERTENSION", "OTRA_COM", "CARDIOVASCULAR", "OBESIDAD", "RENAL_CRONICA", "TABAQUISMO",
            "OTRO_CASO", "UCI", "EMBARAZO", "HABLA_LENGUA_INDIG");

    @TestHTTPResource
    URL url;

    @Inject
    AgroalDataSource db;

    TestChannel test;
    IngestServiceGrpc.IngestServiceStub stub;
    AdmissionServiceGrpc.AdmissionServiceStub admissionStub;
    final Random random = new Random(SEED);
    final Map<Status.Code, Integer> statuses = new EnumMap<>(Status.Code.class);
    long malformedRows;
    long rowsChecked;
    int files;

    @BeforeEach
    void open() {
        test = new TestChannel(url);
        stub = BearerToken.attach(IngestServiceGrpc.newStub(test.channel()), TestTokens.token("fuzz-steward", List
                .of(HOSPITAL), "data-steward"));
        admissionStub = BearerToken.attach(AdmissionServiceGrpc.newStub(test.channel()), TestTokens.token(
                "fuzz-steward", List.of(ADMISSION_HOSPITAL, FHIR_HOSPITAL), "data-steward"));
    }

    @AfterEach
    void close() throws InterruptedException {
        test.close();
    }

    /**
     * One malformed (or valid) row: its CSV line, the column a refusal must name (null when valid, empty for the
     * row as a whole), the offending value, and whether it repeats an id (found only once all rows are valid).
     */
    record Row(String line, String column, String value, boolean repeat) {
        Row(String line, String column, String value) {
            this(line, column, value, false);
        }
    }

    @Test
    void malformedRowsAndFilesNeverFailTheServerNorLeavePartialBatches() throws Exception {
        long started = System.nanoTime();
        for (int f = 0; f < ROW_FILES; f++) {
            rowFile(f, f % 3 != 0);
        }
        for (int i = 0; i < 60; i++) {
            truncatedZip(i);
        }
        for (int i = 0; i < 60; i++) {
            nonCsvBytes(i);
        }
        for (int i = 0; i < 60; i++) {
            brokenQuoting(i);
        }
        for (int i = 0; i < 30; i++) {
            wrongHeader(i);
        }
        for (int i = 0; i < 3; i++) {
            hugeRecord(i);
        }
        for (int i = 0; i < 20; i++) {
            otherBytesUnderAKnownBatchId(i);
        }
        System.out.printf("[fuzz] seed %d: %d files, %d rows checked, %d malformed rows, statuses %s, %.1f s%n",
                SEED, files, rowsChecked, malformedRows, statuses, (System.nanoTime() - started) / 1e9);
        assertFalse(statuses.containsKey(Status.Code.INTERNAL), statuses.toString());
        assertFalse(statuses.containsKey(Status.Code.UNKNOWN), statuses.toString());
        assertFalse(statuses.containsKey(Status.Code.UNAVAILABLE), statuses.toString());
        assertTrue(malformedRows >= 10_000, "malformed rows: " + malformedRows);
    }

    /** A file of valid and malformed rows, uploaded in quarantine or all-or-nothing mode. */
    private void rowFile(int f, boolean quarantine) throws Exception {
        String batch = "fuzz-rows-" + f;
        StringBuilder csv = new StringBuilder(String.join(",", DgeRows.HEADER_2022)).append('\n');
        Map<Long, String> expected = new TreeMap<>(); // line -> column a refusal must name ("" = the row)
        Map<Long, String> values = new HashMap<>();
        List<String> validIds = new ArrayList<>();
        List<String> rowLevel = new ArrayList<>(); // locations the reader names, in file order
        for (int r = 0; r < ROWS_PER_FILE; r++) {
            long line = r + 2;
            String id = batch + "-" + r;
            Row row = random.nextInt(10) < 3 ? valid(id) : malformed(id, validIds);
            csv.append(row.line()).append('\n');
            if (row.column() == null) {
                validIds.add(id);
            } else {
                expected.put(line, row.column());
                values.put(line, row.value());
                if (!row.repeat()) {
                    rowLevel.add("line " + line + (row.column().isEmpty() ? "" : ", column " + row.column()));
                }
            }
        }
        malformedRows += expected.size();
        rowsChecked += ROWS_PER_FILE;
        long before = patientCount();
        Outcome o = upload(batch, csv.toString().getBytes(StandardCharsets.UTF_8), quarantine);
        if (quarantine) {
            assertTrue(o.report != null, batch + " quarantine mode must store: " + o.error);
            assertEquals(ROWS_PER_FILE, o.report.getRowsRead(), batch);
            assertEquals(validIds.size(), o.report.getRowsStored(), batch);
            assertEquals(expected.size(), o.report.getRowsQuarantined(), batch);
            assertEquals(before + validIds.size(), patientCount(), batch);
            assertEquals(validIds.size(), count("SELECT COUNT(*) FROM patient WHERE batch_id = ?", batch), batch);
            Map<Long, List<String[]>> recorded = quarantined(batch);
            assertEquals(expected.keySet(), recorded.keySet(), batch + ": quarantined lines");
            for (var e : expected.entrySet()) {
                List<String[]> problems = recorded.get(e.getKey());
                assertTrue(problems.stream().anyMatch(p -> p[0].equals(e.getValue())), batch + " line " + e.getKey()
                        + " must name column '" + e.getValue() + "'");
                for (String[] p : problems) {
                    assertFalse(p[1].isBlank(), "a reason");
                    String v = values.get(e.getKey());
                    assertFalse(v != null && v.length() >= 3 && p[1].contains(v), "reason echoes the value: "
                            + p[1]);
                }
            }
        } else {
            assertRefused(o, batch, Status.Code.INVALID_ARGUMENT, before);
            // Each malformed row has one problem, listed in file order up to the limit (50); repeated ids are only
            // looked for once every row is valid, so they are not among them.
            List<String> named = GrpcProblems.violationsOf(o.error).stream().map(v -> v.field()).toList();
            assertEquals(rowLevel.subList(0, Math.min(50, rowLevel.size())), named, batch);
        }
    }

    private Row valid(String id) {
        List<String> v = DgeRows.values(id, "09", 4, Map.of());
        if (random.nextBoolean()) {
            v.replaceAll(x -> "\"" + x + "\"");
        }
        return new Row(String.join(",", v), null, null);
    }

    /** A row with exactly one thing wrong, and the column a refusal must name for it. */
    private Row malformed(String id, List<String> validIds) {
        int kind = random.nextInt(11);
        String column;
        String value;
        switch (kind) {
            case 0 -> {
                column = YES_NO.get(random.nextInt(YES_NO.size()));
                value = pick("0", "3", "5", "96", "100", "-1", "1000");
            }
            case 1 -> {
                column = pick("SEXO", "ORIGEN", "TIPO_PACIENTE", "NACIONALIDAD", "CLASIFICACION_FINAL");
                value = pick("x", "1.5", "", "0x1", "one", "8", "1 2");
            }
            case 2 -> {
                column = pick("FECHA_INGRESO", "FECHA_SINTOMAS");
                value = pick("2021-13-01", "2021-02-30", "21-07-05", "2018-12-31", "2999-01-01", "yesterday",
                        "2021/07/05", "20210705");
                if (column.equals("FECHA_INGRESO") && random.nextBoolean()) {
                    value = "";
                }
            }
            case 3 -> {
                column = "FECHA_DEF";
                value = pick("2021-02-29", "2021-13-05", "2021-7-9", "9999-99-98", "2021-06-31");
            }
            case 4 -> {
                column = "ENTIDAD_UM";
                value = pick("0", "33", "36", "99", "ab", "");
            }
            case 5 -> {
                column = "EDAD";
                value = pick("-1", "131", "999999999", "1e3", "abc", "", "12345678901");
            }
            case 6 -> {
                column = "ID_REGISTRO";
                value = "x".repeat(65 + random.nextInt(4000));
            }
            case 7 -> {
                column = "ID_REGISTRO";
                value = id.substring(0, 4) + (char) random.nextInt(32) + id.substring(4);
                if (value.equals(id) || value.strip().length() != value.length()) {
                    value = id + "\u0007";
                }
            }
            case 8 -> {
                List<String> v = DgeRows.values(id, "09", 4, Map.of());
                if (random.nextBoolean()) {
                    v.remove(random.nextInt(v.size()));
                } else {
                    v.add(random.nextInt(v.size()), "2");
                }
                return new Row(String.join(",", v), "", null);
            }
            case 9 -> {
                column = "SECTOR";
                value = pick("0", "100", "-4", "x", "");
            }
            default -> {
                if (validIds.isEmpty()) {
                    return malformed(id, validIds);
                }
                // Repeats an id already used by a valid row of this file.
                String repeated = validIds.get(random.nextInt(validIds.size()));
                return new Row(String.join(",", DgeRows.values(repeated, "09", 4, Map.of())), "ID_REGISTRO",
                        null, true);
            }
        }
        Map<String, String> override = new HashMap<>();
        override.put(column, value);
        String rowId = column.equals("ID_REGISTRO") ? value : id;
        List<String> v = DgeRows.values(rowId, "09", 4, override);
        v.replaceAll(x -> x.indexOf(',') >= 0 || x.indexOf('"') >= 0 || x.indexOf('\n') >= 0 || x.indexOf('\r') >= 0
                ? "\"" + x.replace("\"", "\"\"") + "\""
                : x);
        return new Row(String.join(",", v), column, value);
    }

    private String pick(String... options) {
        return options[random.nextInt(options.length)];
    }

    private String validCsv(String prefix, int rows) {
        DgeRows d = new DgeRows();
        for (int r = 0; r < rows; r++) {
            d.row(prefix + "-" + r, "09", 4, Map.of("EDAD", Integer.toString(random.nextInt(100)), "SEXO",
                    Integer.toString(1 + random.nextInt(2))));
        }
        return d.csv();
    }

    private void truncatedZip(int i) throws Exception {
        String batch = "fuzz-zip-" + i;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            z.putNextEntry(new ZipEntry("datos/rows.csv"));
            z.write(validCsv(batch, 200).getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
        byte[] zip = bytes.toByteArray();
        // Cut inside the compressed rows (the descriptor and directory are the last ~150 bytes).
        int cut = 30 + random.nextInt((int) (zip.length * 0.8) - 30);
        fileCase(batch, java.util.Arrays.copyOf(zip, cut), Status.Code.INVALID_ARGUMENT, null);
    }

    private void nonCsvBytes(int i) throws Exception {
        String batch = "fuzz-bytes-" + i;
        byte[] b = new byte[1 + random.nextInt(5000)];
        random.nextBytes(b);
        byte[][] magic = {{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, {(byte) 0xff, (byte) 0xd8,
                (byte) 0xff, (byte) 0xe0}, {'%', 'P', 'D', 'F', '-'}, {'P', 'K', 3, 4}, {0, 0, 0, 0}};
        byte[] m = magic[i % magic.length];
        System.arraycopy(m, 0, b, 0, Math.min(m.length, b.length));
        fileCase(batch, b, Status.Code.INVALID_ARGUMENT, null);
    }

    private void brokenQuoting(int i) throws Exception {
        String batch = "fuzz-quote-" + i;
        int rows = 20 + random.nextInt(100);
        String[] lines = validCsv(batch, rows).split("\n");
        int broken = 1 + random.nextInt(rows);
        String bad = switch (i % 3) {
            case 0 -> lines[broken].replaceFirst(",", ",\"unterminated"); // runs to the end of the file
            case 1 -> lines[broken].replaceFirst(",", ",\"closed\"garbage"); // text after a closing quote
            default -> "\"" + lines[broken].replace(",", "\",\"").replaceFirst("\",\"", "\"x\",\"");
        };
        lines[broken] = bad;
        rowsChecked += rows;
        malformedRows++;
        fileCase(batch, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8),
                Status.Code.INVALID_ARGUMENT, (long) broken + 1);
    }

    private void wrongHeader(int i) throws Exception {
        String batch = "fuzz-header-" + i;
        String csv = validCsv(batch, 5);
        String header = csv.substring(0, csv.indexOf('\n'));
        List<String> names = new ArrayList<>(DgeRows.HEADER_2022);
        names.set(names.indexOf(DgeLayout.COMMON_COLUMNS.get(random.nextInt(DgeLayout.COMMON_COLUMNS.size()))),
                "X");
        String broken = switch (i % 4) {
            case 0 -> header.replace("CLASIFICACION_FINAL", "CLASIFICACION");
            case 1 -> String.join(",", names);
            case 2 -> "";
            default -> header.replace(",", ";");
        };
        rowsChecked += 5;
        fileCase(batch, (broken + csv.substring(csv.indexOf('\n'))).getBytes(StandardCharsets.UTF_8),
                Status.Code.INVALID_ARGUMENT, i % 4 == 2 ? null : 1L);
    }

    private void hugeRecord(int i) throws Exception {
        String batch = "fuzz-huge-" + i;
        String csv = validCsv(batch, 10);
        String huge = "\"" + "y".repeat((1 << 20) + 100_000 + random.nextInt(1 << 20)) + "\"";
        String[] lines = csv.split("\n");
        lines[4] = huge + lines[4].substring(lines[4].indexOf(','));
        rowsChecked += 10;
        malformedRows++;
        fileCase(batch, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8),
                Status.Code.INVALID_ARGUMENT, 5L);
    }

    private void otherBytesUnderAKnownBatchId(int i) throws Exception {
        String batch = "fuzz-dup-" + i;
        byte[] first = validCsv(batch, 10).getBytes(StandardCharsets.UTF_8);
        Outcome stored = upload(batch, first, false);
        assertTrue(stored.report != null, "a valid file is stored: " + stored.error);
        assertEquals(10, stored.report.getRowsStored());
        long before = patientCount();
        byte[] other = validCsv(batch + "-other", 10 + i).getBytes(StandardCharsets.UTF_8);
        Outcome o = upload(batch, other, i % 2 == 0);
        assertEquals(Status.Code.ALREADY_EXISTS, o.code(), batch);
        assertNamed(o.error, batch);
        assertEquals(before, patientCount(), batch + ": nothing added");
        assertEquals(10, count("SELECT COUNT(*) FROM patient WHERE batch_id = ?", batch), batch);
        rowsChecked += 20 + i;
        Outcome replay = upload(batch, first, false);
        assertTrue(replay.report != null && replay.report.getReplayed(), batch + " replays");
        assertEquals(before, patientCount(), batch + ": a replay adds nothing");
    }

    /** A file-level refusal: expected status, named problems, nothing stored; optionally the line named. */
    private void fileCase(String batch, byte[] bytes, Status.Code expected, Long line) throws Exception {
        long before = patientCount();
        Outcome o = upload(batch, bytes, random.nextBoolean());
        assertRefused(o, batch, expected, before);
        if (line != null) {
            String first = GrpcProblems.violationsOf(o.error).get(0).field();
            assertTrue(first.equals("line " + line) || first.startsWith("line " + line + ","), batch + ": " + first
                    + " / expected line " + line + " (" + GrpcProblems.violationsOf(o.error) + ")");
        }
    }

    private void assertRefused(Outcome o, String batch, Status.Code expected, long before) throws SQLException {
        if (o.report != null) {
            fail(batch + " must be refused, was stored: " + o.report);
        }
        assertEquals(expected, o.code(), batch + ": " + o.error.getStatus().getDescription());
        assertNamed(o.error, batch);
        assertEquals(before, patientCount(), batch + ": a refused batch leaves no rows");
        assertEquals(0, count("SELECT COUNT(*) FROM upload_batch WHERE batch_id = ?", batch), batch);
        assertEquals(0, count("SELECT COUNT(*) FROM upload_quarantine WHERE batch_id = ?", batch), batch);
    }

    private static void assertNamed(StatusRuntimeException e, String batch) {
        var violations = GrpcProblems.violationsOf(e);
        assertFalse(violations.isEmpty(), batch + ": a refusal lists its problems");
        for (var v : violations) {
            assertTrue(LOCATION.matcher(v.field()).matches(), batch + ": location '" + v.field() + "'");
            assertFalse(v.reason() == null || v.reason().isBlank(), batch + ": a reason");
        }
    }

    record Outcome(UploadReport report, StatusRuntimeException error) {
        Status.Code code() {
            return error == null ? Status.Code.OK : error.getStatus().getCode();
        }
    }

    private Outcome upload(String batchId, byte[] bytes, boolean quarantine) throws Exception {
        files++;
        CompletableFuture<UploadReport> result = new CompletableFuture<>();
        StreamObserver<UploadChunk> req = stub.uploadDge(new StreamObserver<>() {
            @Override
            public void onNext(UploadReport value) {
                result.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                result.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
            }
        });
        req.onNext(UploadChunk.newBuilder().setHeader(UploadHeader.newBuilder().setBatchId(batchId).setFileName(
                "fuzz.csv").setQuarantineInvalidRows(quarantine)).build());
        for (int from = 0; from < bytes.length; from += 1 << 16) {
            req.onNext(UploadChunk.newBuilder().setData(ByteString.copyFrom(bytes, from, Math.min(1 << 16,
                    bytes.length - from))).build());
        }
        req.onCompleted();
        Outcome o;
        try {
            o = new Outcome(result.get(60, TimeUnit.SECONDS), null);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof StatusRuntimeException s)) {
                throw e;
            }
            o = new Outcome(null, s);
        }
        statuses.merge(o.code(), 1, Integer::sum);
        return o;
    }

    private long patientCount() throws SQLException {
        return count("SELECT COUNT(*) FROM patient", null);
    }

    private long count(String sql, String arg) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (arg != null) {
                ps.setString(1, arg);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** line -> [column, reason] of each quarantined problem of the batch. */
    private Map<Long, List<String[]>> quarantined(String batch) throws SQLException {
        Map<Long, List<String[]>> byLine = new LinkedHashMap<>();
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT line, column_name, "
                        + "reason FROM upload_quarantine WHERE batch_id = ? ORDER BY line")) {
            ps.setString(1, batch);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byLine.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new String[]{rs.getString(2),
                            rs.getString(3)});
                }
            }
        }
        return byLine;
    }

    // --- Admission formats (admission CSV, FHIR Bundles) ---

    private static final String ADMISSION_HEADER = "patient_id,hospital,admission_time,symptom_onset_date,age,sex,"
            + "diabetes,heart_rate,crp,crp_unit,hemoglobin,outcome,outcome_time";

    /** Malformed admission CSV rows and FHIR Bundles: same guarantees as for DGE files. */
    @Test
    void malformedAdmissionRecordsNeverFailTheServerNorLeavePartialBatches() throws Exception {
        long started = System.nanoTime();
        Map<Status.Code, Integer> before = new EnumMap<>(statuses);
        long malformedBefore = malformedRows;
        for (int f = 0; f < 40; f++) {
            admissionCsvFile(f, f % 3 != 0);
        }
        String bundle = new String(getClass().getClassLoader().getResourceAsStream("admission/fhir-bundle.json")
                .readAllBytes(), StandardCharsets.UTF_8).replaceAll("\\s*\\n\\s*", "");
        for (int f = 0; f < 60; f++) {
            fhirFile(f, bundle, f % 3 != 0);
        }
        for (int i = 0; i < 20; i++) {
            byte[] b = new byte[1 + random.nextInt(3000)];
            random.nextBytes(b);
            AdmissionFormat format = i % 2 == 0
                    ? AdmissionFormat.ADMISSION_FORMAT_ADMISSION_CSV
                    : AdmissionFormat.ADMISSION_FORMAT_FHIR_BUNDLE;
            admissionFileCase("fuzz-adm-bytes-" + i, b, format);
        }
        for (int i = 0; i < 10; i++) {
            String csv = ADMISSION_HEADER + "\n" + validAdmission("fuzz-adm-q" + i) + "\n" + validAdmission(
                    "fuzz-adm-q" + i + "b").replaceFirst(",", ",\"open") + "\n";
            admissionFileCase("fuzz-adm-quote-" + i, csv.getBytes(StandardCharsets.UTF_8),
                    AdmissionFormat.ADMISSION_FORMAT_ADMISSION_CSV);
        }
        Map<Status.Code, Integer> seen = new EnumMap<>(Status.Code.class);
        statuses.forEach((k, v) -> seen.put(k, v - before.getOrDefault(k, 0)));
        System.out.printf("[fuzz] admissions, seed %d: %d malformed records, statuses %s, %.1f s%n", SEED,
                malformedRows - malformedBefore, seen, (System.nanoTime() - started) / 1e9);
        assertFalse(seen.containsKey(Status.Code.INTERNAL), seen.toString());
        assertFalse(seen.containsKey(Status.Code.UNKNOWN), seen.toString());
        assertFalse(seen.containsKey(Status.Code.UNAVAILABLE), seen.toString());
        assertTrue(malformedRows - malformedBefore >= 1000, "malformed records: " + (malformedRows
                - malformedBefore));
    }

    private String validAdmission(String id) {
        return String.join(",", id, ADMISSION_HOSPITAL, "2020-05-0" + (1 + random.nextInt(9)) + "T10:00",
                "2020-04-28", Integer.toString(random.nextInt(100)), pick("male", "F", ""), pick("yes", "0", ""),
                Integer.toString(50 + random.nextInt(80)), "3.5", pick("mg/dL", "mg/L", ""), "13", pick("died",
                        "discharged", ""),
                "");
    }

    /** A row with exactly one thing wrong: the line and the column a refusal must name, and the value. */
    private Row malformedAdmission(String id) {
        String[] v = validAdmission(id).split(",", -1);
        int kind = random.nextInt(12);
        int col;
        String value;
        switch (kind) {
            case 0 -> {
                col = 2;
                value = pick("2020-02-30", "2020/05/01", "yesterday", "2018-12-31", "2999-01-01", "");
            }
            case 1 -> {
                col = 4;
                value = pick("-1", "131", "abc", "1e3", "0x10", "12;5");
            }
            case 2 -> {
                col = 5;
                value = pick("other", "2", "mx");
            }
            case 3 -> {
                col = 6;
                value = pick("maybe", "2", "si");
            }
            case 4 -> {
                col = 7;
                value = pick("fast", "-5", "301", "NaN", "Infinity");
            }
            case 5 -> {
                col = 9;
                value = pick("kg", "mmol/L", "g", "{x}".repeat(20));
                v[8] = "3.5";
            }
            case 6 -> {
                col = 10;
                value = pick("400", "-1", "1.2.3");
            }
            case 7 -> {
                col = 11;
                value = pick("dead", "alive", "1");
            }
            case 8 -> {
                col = 12;
                v[11] = "died";
                value = "2020-04-01T00:00";
            }
            case 9 -> {
                col = 0;
                value = random.nextBoolean() ? "" : "x".repeat(65 + random.nextInt(100));
            }
            case 10 -> {
                col = 1;
                value = pick("", "BR FZ 01", "x".repeat(33), "a/b");
            }
            default -> {
                String line = String.join(",", v);
                return new Row(random.nextBoolean() ? line + ",extra" : line.substring(0, line.lastIndexOf(',')), "",
                        null);
            }
        }
        v[col] = value;
        return new Row(String.join(",", v), ADMISSION_HEADER.split(",")[col], value);
    }

    private void admissionCsvFile(int f, boolean quarantine) throws Exception {
        String batch = "fuzz-adm-" + f;
        StringBuilder csv = new StringBuilder(ADMISSION_HEADER).append('\n');
        Map<Long, String> expected = new TreeMap<>();
        Map<Long, String> values = new HashMap<>();
        int valid = 0;
        for (int r = 0; r < 80; r++) {
            long line = r + 2;
            String id = batch + "-" + r;
            Row row = random.nextInt(10) < 3 ? new Row(validAdmission(id), null, null) : malformedAdmission(id);
            csv.append(row.line()).append('\n');
            if (row.column() == null) {
                valid++;
            } else {
                expected.put(line, row.column());
                values.put(line, row.value());
            }
        }
        malformedRows += expected.size();
        rowsChecked += 80;
        Outcome o = uploadAdmissions(batch, csv.toString().getBytes(StandardCharsets.UTF_8),
                AdmissionFormat.ADMISSION_FORMAT_ADMISSION_CSV, quarantine);
        if (quarantine) {
            assertTrue(o.report != null, batch + " quarantine mode must store: " + o.error);
            assertEquals(80, o.report.getRowsRead(), batch);
            assertEquals(valid, o.report.getRowsStored(), batch);
            assertEquals(expected.size(), o.report.getRowsQuarantined(), batch);
            assertEquals(valid, count("SELECT COUNT(*) FROM admission WHERE batch_id = ?", batch), batch);
            Map<Long, List<String[]>> recorded = quarantined(batch);
            assertEquals(expected.keySet(), recorded.keySet(), batch + ": quarantined lines");
            for (var e : expected.entrySet()) {
                List<String[]> problems = recorded.get(e.getKey());
                assertTrue(problems.stream().anyMatch(p -> p[0].equals(e.getValue()) || e.getValue().equals("crp_unit")
                        && p[0].equals("crp")), batch + " line " + e.getKey() + " must name column '" + e.getValue()
                                + "': " + problems.stream().map(p -> p[0]).toList());
                String value = values.get(e.getKey());
                for (String[] p : problems) {
                    assertFalse(p[1].isBlank(), "a reason");
                    assertFalse(value != null && value.length() >= 3 && p[1].contains(value), "reason echoes "
                            + "the value: " + p[1]);
                }
            }
        } else {
            assertAdmissionsRefused(o, batch, Status.Code.INVALID_ARGUMENT);
        }
    }

    /** NDJSON of valid and broken Bundles (record-level problems), or a file-level break. */
    private void fhirFile(int f, String bundle, boolean quarantine) throws Exception {
        String batch = "fuzz-fhir-" + f;
        int n = 1 + random.nextInt(5);
        StringBuilder file = new StringBuilder();
        int valid = 0;
        int invalid = 0;
        boolean fileLevel = false;
        for (int b = 0; b < n; b++) {
            String one = bundle.replace("fhir-syn-1", batch + "-" + b);
            int kind = random.nextInt(10);
            switch (kind) {
                case 0 -> one = one.replace("\"code\": \"g/dL\"", "\"code\": \"mmol/L\"");
                case 1 -> one = one.replace("\"1950-06-15\"", "\"1950-02-30\"");
                case 2 -> one = one.replaceFirst("\\{\"fullUrl\": \"urn:uuid:2f0c7e61-0000-4000-8000-000000000002\""
                        + ".*?\"url\": \"Encounter\"}},", "");
                case 3 -> one = one.replace("\"value\": 11.5", "\"value\": 9999");
                case 4 -> one = one.replace("\"gender\": \"female\"", "\"gender\": 5");
                case 5 -> one = one.replace("\"resourceType\": \"Bundle\"", "\"resourceType\": \"Basic\"");
                case 6 -> {
                    fileLevel = true;
                    one = random.nextBoolean()
                            ? one.substring(0, random.nextInt(one.length() - 1) + 1)
                            : "[" + one
                                    + "]";
                }
                default -> {
                    // valid
                }
            }
            if (kind <= 5) {
                invalid++;
            } else if (kind > 6) {
                valid++;
            }
            file.append(one).append('\n');
            if (fileLevel) {
                break;
            }
        }
        malformedRows += invalid + (fileLevel ? 1 : 0);
        rowsChecked += n;
        Outcome o = uploadAdmissions(batch, file.toString().getBytes(StandardCharsets.UTF_8),
                AdmissionFormat.ADMISSION_FORMAT_FHIR_BUNDLE, quarantine);
        if (fileLevel || !quarantine && invalid > 0) {
            assertAdmissionsRefused(o, batch, Status.Code.INVALID_ARGUMENT);
            return;
        }
        assertTrue(o.report != null, batch + " must be stored: " + o.error);
        assertEquals(valid, o.report.getRowsStored(), batch);
        assertEquals(invalid, o.report.getRowsQuarantined(), batch);
        assertEquals(valid, count("SELECT COUNT(*) FROM admission WHERE batch_id = ?", batch), batch);
        for (List<String[]> problems : quarantined(batch).values()) {
            for (String[] p : problems) {
                assertFalse(p[1].contains("1950-02-30") || p[1].contains("9999") || p[1].contains("mmol"), p[1]);
            }
        }
    }

    private void admissionFileCase(String batch, byte[] bytes, AdmissionFormat format) throws Exception {
        malformedRows++;
        Outcome o = uploadAdmissions(batch, bytes, format, random.nextBoolean());
        assertAdmissionsRefused(o, batch, Status.Code.INVALID_ARGUMENT);
    }

    private void assertAdmissionsRefused(Outcome o, String batch, Status.Code expected) throws SQLException {
        if (o.report != null) {
            fail(batch + " must be refused, was stored: " + o.report);
        }
        assertEquals(expected, o.code(), batch + ": " + o.error.getStatus().getDescription());
        var violations = GrpcProblems.violationsOf(o.error);
        assertFalse(violations.isEmpty(), batch + ": a refusal lists its problems");
        for (var v : violations) {
            assertTrue(ADMISSION_LOCATION.matcher(v.field()).matches(), batch + ": location '" + v.field() + "'");
            assertFalse(v.reason() == null || v.reason().isBlank(), batch + ": a reason");
        }
        assertEquals(0, count("SELECT COUNT(*) FROM admission WHERE batch_id = ?", batch), batch);
        assertEquals(0, count("SELECT COUNT(*) FROM upload_batch WHERE batch_id = ?", batch), batch);
        assertEquals(0, count("SELECT COUNT(*) FROM upload_quarantine WHERE batch_id = ?", batch), batch);
        assertEquals(0, count("SELECT COUNT(*) FROM admission_stage WHERE batch_id = ?", batch), batch);
    }

    private Outcome uploadAdmissions(String batchId, byte[] bytes, AdmissionFormat format, boolean quarantine)
            throws Exception {
        files++;
        CompletableFuture<UploadReport> result = new CompletableFuture<>();
        StreamObserver<AdmissionUploadChunk> req = admissionStub.uploadAdmissions(new StreamObserver<>() {
            @Override
            public void onNext(UploadReport value) {
                result.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                result.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
            }
        });
        req.onNext(AdmissionUploadChunk.newBuilder().setHeader(AdmissionUploadHeader.newBuilder().setBatchId(batchId)
                .setFormat(format).setQuarantineInvalidRows(quarantine)).build());
        for (int from = 0; from < bytes.length; from += 1 << 16) {
            req.onNext(AdmissionUploadChunk.newBuilder().setData(ByteString.copyFrom(bytes, from, Math.min(1 << 16,
                    bytes.length - from))).build());
        }
        req.onCompleted();
        Outcome o;
        try {
            o = new Outcome(result.get(60, TimeUnit.SECONDS), null);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof StatusRuntimeException s)) {
                throw e;
            }
            o = new Outcome(null, s);
        }
        statuses.merge(o.code(), 1, Integer::sum);
        return o;
    }
}
