package org.covidrisk.ingest.admission;

import static org.covidrisk.ingest.admission.Collected.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;

import org.covidrisk.ingest.dge.RowViolation;
import org.junit.jupiter.api.Test;

class AdmissionCsvReaderTest {

    private static final String HEADER = "patient_id,hospital,admission_time,age,crp,crp_unit,outcome,outcome_time\n";

    private static Collected read(String csv) throws Exception {
        return Collected.read(new AdmissionCsvReader("ADMISSION_CSV", 1000), Collected.write(csv));
    }

    @Test
    void readsTheFixtureAndConvertsUnitsToCanonical() throws Exception {
        Collected c = Collected.read(new AdmissionCsvReader("ADMISSION_CSV", 1000), Collected.resource(
                "admissions.csv"));
        assertTrue(c.problems.isEmpty(), c.problems.toString());
        assertEquals(3, c.summary.recordsRead());
        Admission a = c.records.get("syn-1");
        assertEquals("BR-SP-01", a.hospital);
        assertEquals("ADMISSION_CSV", a.source);
        assertEquals(LocalDateTime.of(2020, 5, 2, 8, 30), a.admissionTime);
        assertEquals(LocalDate.of(2020, 4, 27), a.symptomOnsetDate);
        assertEquals(71.0, a.age);
        assertEquals(Admission.MALE, a.sex);
        assertEquals(Boolean.FALSE, a.mechanicalVentilation);
        assertEquals(1.0, value(a, "hypertension"));
        assertEquals(0.0, value(a, "diabetes"));
        assertNull(a.item("smoker"), "an empty comorbidity is unknown, not absent");
        assertEquals(104, value(a, "heart_rate"));
        assertEquals(91, value(a, "spo2"), 1e-9);
        assertEquals(21, value(a, "fio2"), 1e-9);
        assertEquals(38.5, value(a, "temperature"), 1e-9);
        assertEquals(125, value(a, "crp"), 1e-9);
        assertEquals(131, value(a, "hemoglobin"), 1e-9);
        assertEquals(106.104, value(a, "creatinine"), 1e-9);
        assertEquals(0.85, value(a, "d_dimer"), 1e-9);
        Admission.Item crp = a.item("crp");
        assertEquals("mg/L", crp.unit());
        assertEquals(12.5, crp.valueAsGiven());
        assertEquals("mg/dL", crp.unitAsGiven());
        assertEquals(Admission.DIED, a.outcome);
        assertEquals(LocalDateTime.of(2020, 5, 9, 17, 0), a.outcomeTime);

        Admission b = c.records.get("syn-2");
        assertEquals(LocalDateTime.of(2020, 5, 3, 14, 5), b.admissionTime);
        assertEquals(45.5, b.age);
        assertEquals(Admission.FEMALE, b.sex);
        assertEquals(1.0, value(b, "smoker"));
        assertEquals(Admission.DISCHARGED_ALIVE, b.outcome);
        assertEquals(LocalDateTime.of(2020, 5, 10, 0, 0), b.outcomeTime);

        Admission empty = c.records.get("syn-3");
        assertTrue(empty.items.isEmpty());
        assertNull(empty.age);
        assertNull(empty.sex);
        assertEquals(Admission.OUTCOME_UNKNOWN, empty.outcome);
    }

    @Test
    void namesLineAndColumnOfEveryProblemWithoutEchoingValues() throws Exception {
        Collected c = read(HEADER
                + "ok,H1,2020-05-01,50,5,mg/L,,\n"
                + "p2,H1,2020-05-01,517,4,mmol/L,,\n"
                + "p3,H1,2020-13-01,50,abc,,maybe,\n"
                + "p4,H 1,2020-05-01,50,99999,,died,2020-04-01\n"
                + "p5,H1,2020-05-01,50,,,,2020-05-02\n"
                + ",H1,2020-05-01,50,,,,\n");
        assertEquals(List.of("ok"), List.copyOf(c.records.keySet()));
        assertEquals(List.of(3L, 4L, 5L, 6L, 7L), c.invalidLines);
        assertEquals(List.of("line 3, column age", "line 3, column crp_unit", "line 4, column admission_time",
                "line 4, column crp", "line 4, column outcome", "line 5, column hospital", "line 5, column crp",
                "line 5, column outcome_time", "line 6, column outcome_time", "line 7, column patient_id"),
                c.where());
        for (RowViolation v : c.problems) {
            for (String value : List.of("517", "mmol", "abc", "maybe", "99999", "H 1")) {
                assertFalse(v.reason().contains(value), v.reason());
            }
        }
        assertTrue(c.problems.get(1).reason().startsWith("unit is not one of [mg/L, mg/dL]"), c.problems.get(1)
                .reason());
    }

    @Test
    void refusesUnknownAndMissingColumnsAndWrongFieldCounts() throws Exception {
        AdmissionFileException e = assertThrows(AdmissionFileException.class, () -> read(
                "patient_id,hospital,admision_time,crp_units\np,H,2020-05-01,x\n"));
        assertEquals(List.of("line 1, column admision_time", "line 1, column crp_units",
                "line 1, column admission_time"), e.violations().stream().map(RowViolation::location).toList());
        e = assertThrows(AdmissionFileException.class, () -> read(""));
        assertEquals("file", e.violations().get(0).location());
        e = assertThrows(AdmissionFileException.class, () -> read(HEADER));
        assertTrue(e.getMessage().contains("no rows"), e.getMessage());
        Collected c = read(HEADER + "p,H1,2020-05-01,50\n");
        assertEquals(List.of("line 2"), c.where());
        e = assertThrows(AdmissionFileException.class, () -> read(HEADER + "p,H1,\"2020-05-01,50,,,,\n"));
        assertEquals("line 2", e.violations().get(0).location());
    }

    @Test
    void everyColumnOfTheSchemaIsKnown() {
        // 3 required + 6 optional + 11 comorbidities + 21 analytes with their unit columns
        assertEquals(3 + 6 + 11 + 2 * 21, AdmissionCsvReader.knownColumns().size());
    }
}
