package org.covidrisk.ingest.admission;

import static org.covidrisk.ingest.admission.Collected.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;

import org.covidrisk.ingest.dge.RowViolation;
import org.junit.jupiter.api.Test;

class TongjiReaderTest {

    static final Path SHARED = Path.of("..", "..", "shared", "data", "tongji");
    private static final Duration WINDOW = Duration.ofHours(48);

    private static TongjiReader reader() {
        return new TongjiReader("TONGJI_2020", "CN-WH-TJ", WINDOW, 100_000);
    }

    @Test
    void carriesIdsForwardConvertsExcelDatesAndTakesFirstDrawsInTheWindow() throws Exception {
        Collected c = Collected.read(reader(), Collected.resource("tongji-synthetic.csv"));
        assertTrue(c.problems.isEmpty(), c.where().subList(0, Math.min(5, c.problems.size())).toString());
        assertEquals(3, c.summary.recordsRead());
        assertEquals(List.of("1", "2", "3"), List.copyOf(c.records.keySet()));
        assertEquals(List.of(2L, 7L, 9L), List.copyOf(c.lines.values()));

        Admission p1 = c.records.get("1");
        assertEquals("CN-WH-TJ", p1.hospital);
        assertEquals("TONGJI_2020", p1.source);
        assertEquals(LocalDateTime.of(2020, 1, 31, 6, 0), p1.admissionTime);
        assertEquals(73.0, p1.age);
        assertEquals(Admission.MALE, p1.sex);
        assertEquals(Admission.DISCHARGED_ALIVE, p1.outcome);
        assertEquals(LocalDateTime.of(2020, 2, 17, 12, 0), p1.outcomeTime);
        // first draw (line 3, 14:24), not the later ones (line 4, and line 5 outside the 48 h window)
        assertEquals(136, value(p1, "hemoglobin"));
        assertEquals(LocalDateTime.of(2020, 1, 31, 14, 24), p1.item("hemoglobin").takenAt());
        assertEquals(43.1, value(p1, "crp"));
        assertEquals(306, value(p1, "ldh"));
        // -1 (not measured) skipped: the platelet count comes from the next draw
        assertEquals(180, value(p1, "platelets"));
        assertNull(p1.item("ph"), "PH value is urine pH: not mapped");
        assertEquals(4, p1.items.size());

        Admission p2 = c.records.get("2");
        assertEquals(Admission.FEMALE, p2.sex);
        assertEquals(Admission.DIED, p2.outcome);
        assertEquals(LocalDateTime.of(2020, 2, 5, 18, 0), p2.outcomeTime);
        assertEquals(120.5, value(p2, "crp"));
        assertTrue(c.records.get("3").items.isEmpty());
    }

    @Test
    void aPatientWithABadRowIsInvalidAsAWholeAndNamesTheRow() throws Exception {
        String csv = "PATIENT_ID,RE_DATE,age,gender,Admission time,Discharge time,outcome,hemoglobin\n"
                + "1,43861.5,73,1,43861.25,43878.5,0,130\n"
                + ",43861.6,74,1,43861.25,43878.5,0,x\n"
                + "2,43862.5,50,3,43862.0,43861.0,2,\n"
                + ",,50,3,43862.0,43861.0,2,120\n"
                + "3,43863.5,40,1,43863.0,43870.0,0,-5\n"
                + "4,43863.5,40,1,1000.5,43870.0,0,\n"
                + "5,43863.5,40,1,43863.0,43870.0,0,140\n";
        Collected c = Collected.read(reader(), Collected.write(csv));
        assertEquals(List.of("5"), List.copyOf(c.records.keySet()));
        assertEquals(List.of(2L, 4L, 6L, 7L), c.invalidLines);
        assertEquals(List.of("line 3, column age", "line 3, column hemoglobin", "line 4, column gender",
                "line 4, column outcome", "line 4, column Discharge time", "line 5, column RE_DATE",
                "line 6, column hemoglobin", "line 7, column Admission time"), c.where());
        for (RowViolation v : c.problems) {
            assertTrue(!v.reason().contains("74") && !v.reason().contains("-5"), v.reason());
        }
    }

    @Test
    void refusesAFileWithoutTheExportColumns() throws Exception {
        AdmissionFileException e = assertThrows(AdmissionFileException.class, () -> Collected.read(reader(),
                Collected.write("patient_id,hospital,admission_time\np,H,2020-05-01\n")));
        assertEquals("line 1, column PATIENT_ID", e.violations().get(0).location());
        assertEquals(5, e.violations().size());
    }

    /**
     * The real export (../shared/data/tongji). Expected figures computed independently with Python's csv module
     * (PATIENT_ID carried forward, outcome of each patient's first row; first value within 48 h of admission):
     * <pre>
     * rows = list(csv.DictReader(open(f, encoding='utf-8-sig'))); pid = None; pats = {}
     * for r in rows: pid = r['PATIENT_ID'] or pid; pats.setdefault(pid, []).append(r)
     * len(pats), sum(p[0]['outcome'] == '1' for p in pats.values())
     * </pre>
     * 375 patients (174 deaths, 201 discharged); 342 with a hs-CRP and 351 with a hemoglobin within 48 h; patient
     * 1 admitted 2020-01-30 22:12:47, first hs-CRP 43.1 mg/L. Test file: 110 patients, 13 deaths, 102 with a
     * hs-CRP within 48 h.
     */
    @Test
    void importsTheTongjiCohort() throws Exception {
        Path train = SHARED.resolve("time_series_375_prerpocess_en.csv");
        Path test = SHARED.resolve("time_series_test_110_preprocess_en.csv");
        assumeTrue(Files.isReadable(train) && Files.isReadable(test), "skipped: the Tongji export is not at "
                + SHARED.toAbsolutePath().normalize() + " (../shared/data/tongji)");
        Collected c = Collected.read(reader(), train);
        assertTrue(c.problems.isEmpty(), c.where().subList(0, Math.min(5, c.problems.size())).toString());
        assertEquals(375, c.records.size());
        assertEquals(174, c.records.values().stream().filter(a -> a.outcome == Admission.DIED).count());
        assertEquals(201, c.records.values().stream().filter(a -> a.outcome == Admission.DISCHARGED_ALIVE).count());
        assertEquals(342, c.records.values().stream().filter(a -> a.item("crp") != null).count());
        assertEquals(351, c.records.values().stream().filter(a -> a.item("hemoglobin") != null).count());
        Admission p1 = c.records.get("1");
        assertEquals(LocalDateTime.of(2020, 1, 30, 22, 12, 47), p1.admissionTime);
        assertEquals(43.1, value(p1, "crp"));
        assertEquals(73.0, p1.age);

        Collected t = Collected.read(reader(), test);
        assertTrue(t.problems.isEmpty(), t.where().subList(0, Math.min(5, t.problems.size())).toString());
        assertEquals(110, t.records.size());
        assertEquals(13, t.records.values().stream().filter(a -> a.outcome == Admission.DIED).count());
        assertEquals(102, t.records.values().stream().filter(a -> a.item("crp") != null).count());
        assertNull(t.records.get("1").age, "the test file has no age column");
    }
}
