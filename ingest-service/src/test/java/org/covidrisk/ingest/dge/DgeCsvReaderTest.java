package org.covidrisk.ingest.dge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.covidrisk.ingest.DgeRows;
import org.covidrisk.ingest.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DgeCsvReaderTest {

    static final Path FIXTURE = Path.of("../../shared/data/mexico-dge-2022-fixture/COVID19MEXICO-2022-fixture.csv");

    @TempDir
    Path dir;

    private final DgeCsvReader reader = new DgeCsvReader(1_000_000);

    /** Everything a read handed over, in order. */
    record Read(DgeCsvReader.Summary summary, List<Patient> patients, List<RowViolation> problems) {
        DgeLayout layout() {
            return summary.layout();
        }

        long rowsRead() {
            return summary.rowsRead();
        }
    }

    private Read read(Path file) throws DgeFileException {
        List<Patient> patients = new ArrayList<>();
        List<RowViolation> problems = new ArrayList<>();
        var summary = reader.read(file, "b", new DgeCsvReader.RowHandler<RuntimeException>() {
            @Override
            public boolean row(long line, Patient p) {
                return patients.add(p);
            }

            @Override
            public boolean invalid(long line, List<RowViolation> rowProblems) {
                return problems.addAll(rowProblems);
            }
        });
        return new Read(summary, patients, problems);
    }

    private Path write(String text) throws IOException {
        Path f = Files.createTempFile(dir, "dge", ".csv");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void mapsCodesMissingValuesAndDeath() throws Exception {
        String csv = new DgeRows()
                .row("a1", "09", 4, Map.of("FECHA_DEF", "2021-07-09", "DIABETES", "1", "EPOC", "98", "EDAD", "81"))
                .row("a2", "15", 12, Map.of("FECHA_DEF", "-001-11-30", "SEXO", "1", "TIPO_PACIENTE", "1",
                        "CLASIFICACION_FINAL", "7"))
                .csv();
        Read r = read(write("\uFEFF" + csv));
        assertTrue(r.problems().isEmpty(), r.problems().toString());
        assertEquals(DgeLayout.DGE_2022, r.layout());
        assertEquals(2, r.rowsRead());
        Patient dead = r.patients().get(0);
        assertEquals("MX-09-04", dead.hospital);
        assertTrue(dead.died);
        assertEquals("2021-07-09", dead.deathDate.toString());
        assertEquals(Boolean.TRUE, dead.diabetes);
        assertNull(dead.copd, "98 (unknown) must be missing, not 'no'");
        assertEquals(81, dead.age);
        assertEquals(1, dead.covidStatus);
        Patient alive = r.patients().get(1);
        assertEquals("MX-15-12", alive.hospital);
        assertFalse(alive.died, "-001-11-30 is the 2022 export artefact for alive");
        assertEquals(1, alive.sex);
        assertEquals(1, alive.patientType);
        assertEquals(2, alive.covidStatus);
    }

    @Test
    void namesLineAndColumnOfEveryBadField() throws Exception {
        String csv = new DgeRows().row("ok", "09", 4)
                .row("bad", "09", 4, Map.of("EDAD", "-3", "DIABETES", "5", "FECHA_INGRESO", "2021-13-40"))
                .csv();
        Read r = read(write(csv));
        assertEquals(List.of("ok"), r.patients().stream().map(p -> p.patientKey).toList());
        var where = r.problems().stream().map(RowViolation::location).toList();
        assertTrue(where.contains("line 3, column EDAD"), where.toString());
        assertTrue(where.contains("line 3, column DIABETES"), where.toString());
        assertTrue(where.contains("line 3, column FECHA_INGRESO"), where.toString());
    }

    @Test
    void problemReasonsNeverEchoTheValue() throws Exception {
        String csv = new DgeRows().row("v", "09", 4, Map.of("EDAD", "917", "DIABETES", "54321", "FECHA_INGRESO",
                "2099-01-02", "ENTIDAD_RES", "77")).csv();
        Read r = read(write(csv));
        assertEquals(4, r.problems().size(), r.problems().toString());
        for (RowViolation v : r.problems()) {
            assertFalse(v.reason().contains("917") || v.reason().contains("54321") || v.reason().contains("2099")
                    || v.reason().contains("77"), v.toString());
        }
    }

    @Test
    void refusesMissingColumnsAndNamesTheLineOfBrokenQuoting() throws Exception {
        String noAge = new DgeRows().row("x", "09", 4).csv().replace("EDAD", "AGE");
        DgeFileException e = assertThrows(DgeFileException.class, () -> read(write(noAge)));
        assertEquals("line 1, column EDAD", e.violations().get(0).location());

        String broken = new DgeRows().row("a", "09", 4).row("b", "09", 4).csv() + "\"2022-07-14,x\"y,1\n";
        e = assertThrows(DgeFileException.class, () -> read(write(broken)));
        assertEquals("line 4", e.violations().get(0).location());
        assertTrue(e.violations().get(0).reason().startsWith("malformed CSV"), e.violations().toString());
    }

    @Test
    void refusesARecordLongerThanTheLimitWithoutBufferingIt() throws Exception {
        String huge = new DgeRows().row("a", "09", 4).csv() + "\"" + "x".repeat(3 * DgeCsvReader.MAX_RECORD_CHARS)
                + "\",1\n";
        DgeFileException e = assertThrows(DgeFileException.class, () -> read(write(huge)));
        assertEquals("line 3", e.violations().get(0).location());
        assertTrue(e.violations().get(0).reason().contains("longer than"), e.violations().toString());
    }

    @Test
    void refusesBrokenQuotingAndNonCsv() throws Exception {
        String broken = new DgeRows().row("x", "09", 4).csv() + "\"2022-07-14,\"unterminated\n";
        assertThrows(DgeFileException.class, () -> read(write(broken)));
        Path png = Files.createTempFile(dir, "img", ".csv");
        Files.write(png, new byte[]{(byte) 0x89, 'P', 'N', 'G', 0, 1, 2, (byte) 0xff, (byte) 0xfe});
        DgeFileException e = assertThrows(DgeFileException.class, () -> read(png));
        assertFalse(e.violations().isEmpty());
    }

    @Test
    void readsZippedFiles() throws Exception {
        Path zip = dir.resolve("batch.zip");
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("data/rows.csv"));
            z.write(new DgeRows().row("z1", "03", 4).row("z2", "03", 4).csv().getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
        assertEquals(2, read(zip).patients().size());
    }

    @Test
    void readsTheShared2022FixtureAnd2020Cut() throws Exception {
        assumeTrue(Files.exists(FIXTURE), "skipped: ../shared/data (DGE fixture) is absent on this machine");
        Read r = read(FIXTURE);
        assertTrue(r.problems().isEmpty(), r.problems().toString());
        assertEquals(DgeLayout.DGE_2022, r.layout());
        assertEquals(2000, r.patients().size());
        assertEquals(40, r.patients().stream().filter(p -> p.died).count());
        assertEquals(13, r.patients().stream().map(p -> p.hospital).distinct().count());
    }
}
