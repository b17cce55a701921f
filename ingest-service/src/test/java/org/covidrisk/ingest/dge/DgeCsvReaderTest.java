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

    private final DgeCsvReader reader = new DgeCsvReader(50, 1_000_000);

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
        DgeCsvReader.Result r = reader.read(write("\uFEFF" + csv), "b1");
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
        DgeFileException e = assertThrows(DgeFileException.class, () -> reader.read(write(csv), "b"));
        var where = e.violations().stream().map(RowViolation::location).toList();
        assertTrue(where.contains("line 3, column EDAD"), where.toString());
        assertTrue(where.contains("line 3, column DIABETES"), where.toString());
        assertTrue(where.contains("line 3, column FECHA_INGRESO"), where.toString());
    }

    @Test
    void refusesDuplicateIdsAndMissingColumns() throws Exception {
        String dup = new DgeRows().row("x", "09", 4).row("x", "09", 4).csv();
        DgeFileException e = assertThrows(DgeFileException.class, () -> reader.read(write(dup), "b"));
        assertEquals("line 3, column ID_REGISTRO", e.violations().get(0).location());
        assertTrue(e.violations().get(0).reason().contains("line 2"));

        String noAge = dup.replace("EDAD", "AGE");
        e = assertThrows(DgeFileException.class, () -> reader.read(write(noAge), "b"));
        assertEquals("line 1, column EDAD", e.violations().get(0).location());
    }

    @Test
    void refusesBrokenQuotingAndNonCsv() throws Exception {
        String broken = new DgeRows().row("x", "09", 4).csv() + "\"2022-07-14,\"unterminated\n";
        assertThrows(DgeFileException.class, () -> reader.read(write(broken), "b"));
        Path png = Files.createTempFile(dir, "img", ".csv");
        Files.write(png, new byte[]{(byte) 0x89, 'P', 'N', 'G', 0, 1, 2, (byte) 0xff, (byte) 0xfe});
        DgeFileException e = assertThrows(DgeFileException.class, () -> reader.read(png, "b"));
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
        assertEquals(2, reader.read(zip, "b").patients().size());
    }

    @Test
    void readsTheShared2022FixtureAnd2020Cut() throws Exception {
        assumeTrue(Files.exists(FIXTURE), "skipped: ../shared/data (DGE fixture) is absent on this machine");
        DgeCsvReader.Result r = reader.read(FIXTURE, "fixture");
        assertEquals(DgeLayout.DGE_2022, r.layout());
        assertEquals(2000, r.patients().size());
        assertEquals(40, r.patients().stream().filter(p -> p.died).count());
        assertEquals(13, r.patients().stream().map(p -> p.hospital).distinct().count());
    }
}
