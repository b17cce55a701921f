package org.covidrisk.gateway.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;

import org.covidrisk.ingest.v1.CovidStatus;
import org.covidrisk.ingest.v1.PatientRecord;
import org.covidrisk.ingest.v1.PatientType;
import org.covidrisk.ingest.v1.Sex;
import org.junit.jupiter.api.Test;

class AdmissionInputTest {

    @Test
    void unknownStaysAbsentAndKnownValuesMap() {
        AdmissionInput in = new AdmissionInput("bed-4", 71, "male", 5, "pending", true, true, null, false, true, null,
                null, null, null, null, null, null, null, null, null, null, 12, true);
        PatientRecord r = in.toRecord();
        assertEquals("bed-4", r.getPatientId());
        assertEquals(71, r.getAge());
        assertEquals(Sex.SEX_MALE, r.getSex());
        assertEquals(CovidStatus.COVID_STATUS_PENDING, r.getCovidStatus());
        assertEquals(PatientType.PATIENT_TYPE_HOSPITALISED, r.getPatientType());
        assertEquals(LocalDate.now().minusDays(5).toString(), r.getSymptomOnsetDate());
        assertTrue(r.getPneumonia());
        assertFalse(r.hasIntubated(), "null means unknown, not 'no'");
        assertTrue(r.hasIcu());
        assertFalse(r.getIcu());
        assertTrue(r.getDiabetes());
        assertFalse(r.hasCopd());
        assertEquals(12, r.getSector());
        assertTrue(r.getUsmer());
        assertEquals("", r.getHospital(), "the hospital is never taken from the request");
    }
}
