package org.covidrisk.ingest.admission;

import static org.covidrisk.ingest.admission.Collected.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

import ca.uhn.fhir.context.FhirContext;

class FhirBundleReaderTest {

    private static final FhirContext FHIR = FhirContext.forR4();

    private static FhirBundleReader reader() {
        return new FhirBundleReader("FHIR", Duration.ofHours(48), 1000);
    }

    @Test
    void readsATransactionBundle() throws Exception {
        Collected c = Collected.read(reader(), Collected.resource("fhir-bundle.json"));
        assertTrue(c.problems.isEmpty(), c.problems.toString());
        Admission a = c.records.get("fhir-syn-1");
        assertEquals(1L, c.lines.get("fhir-syn-1"));
        assertEquals("FHIR", a.source);
        assertEquals("DE-BE-01", a.hospital, "Encounter.serviceProvider wins over Patient.managingOrganization");
        assertEquals(Admission.FEMALE, a.sex);
        assertEquals(69.0, a.age);
        assertEquals(LocalDateTime.of(2020, 4, 1, 9, 15), a.admissionTime, "local time as written");
        assertEquals(Admission.DIED, a.outcome, "discharge disposition exp");
        assertEquals(LocalDateTime.of(2020, 4, 12, 11, 0), a.outcomeTime);
        assertEquals(LocalDate.of(2020, 3, 27), a.symptomOnsetDate, "onset of the COVID-19 Condition");
        assertEquals(115, value(a, "hemoglobin"), 1e-9, "11.5 g/dL within 48 h; the day-4 value is ignored");
        assertEquals(142, value(a, "systolic_bp"), "component 8480-6 of the blood pressure panel");
        assertEquals(96, value(a, "heart_rate"), "{beats}/min is /min");
        assertEquals(10, value(a, "urea"), 1e-9, "28.014 mg/dL urea nitrogen is 10 mmol/L urea");
        assertEquals(1.0, value(a, "hypertension"));
        assertEquals(0.0, value(a, "diabetes"), "a refuted Condition is an absent comorbidity");
        assertNull(a.item("copd"), "no Condition: unknown");
        assertEquals(6, a.items.size(), a.items.toString());
    }

    /** Bundles built with HAPI's model and written by its encoder come back as the same admissions. */
    @Test
    void roundTripsBundlesWrittenByHapiOnePerLine() throws Exception {
        String first = FHIR.newJsonParser().encodeResourceToString(bundle("rt-1", AdministrativeGender.MALE,
                "2020-03-10T08:00:00", "2020-03-20T12:30:00", null, 2.4, "mg/dL", 94, "I10"));
        String second = FHIR.newJsonParser().encodeResourceToString(bundle("rt-2", AdministrativeGender.FEMALE,
                "2020-03-11T21:45:00", null, "2020-03-14T06:00:00", 30, "mg/L", 88, "J44.1"));
        Collected c = Collected.read(reader(), Collected.write(first + "\n" + second + "\n"));
        assertTrue(c.problems.isEmpty(), c.problems.toString());
        assertEquals(2, c.summary.recordsRead());
        Admission a = c.records.get("rt-1");
        assertEquals(1L, c.lines.get("rt-1"));
        assertEquals(2L, c.lines.get("rt-2"));
        assertEquals("IT-RM-03", a.hospital);
        assertEquals(Admission.MALE, a.sex);
        assertEquals(70.0, a.age);
        assertEquals(LocalDateTime.of(2020, 3, 10, 8, 0), a.admissionTime);
        assertEquals(Admission.DISCHARGED_ALIVE, a.outcome);
        assertEquals(LocalDateTime.of(2020, 3, 20, 12, 30), a.outcomeTime);
        assertEquals(24, value(a, "crp"), 1e-9);
        assertEquals(94, value(a, "spo2"));
        assertEquals(1.0, value(a, "hypertension"));
        Admission b = c.records.get("rt-2");
        assertEquals(Admission.DIED, b.outcome, "Patient.deceasedDateTime");
        assertEquals(LocalDateTime.of(2020, 3, 14, 6, 0), b.outcomeTime);
        assertEquals(30, value(b, "crp"));
        assertEquals(1.0, value(b, "copd"));
    }

    @Test
    void aBundleWithAProblemIsInvalidAsAWholeAndNamesEntryAndElement() throws Exception {
        String badUnit = FHIR.newJsonParser().encodeResourceToString(bundle("bad-1", AdministrativeGender.MALE,
                "2020-03-10T08:00:00", null, null, 2.4, "mmol/L", 94, "I10"));
        Bundle orphan = bundle("bad-2", AdministrativeGender.MALE, "2020-03-10T08:00:00", null, null, 2.4, "mg/L",
                94, "I10");
        ((Observation) orphan.getEntry().get(2).getResource()).setSubject(new Reference("Patient/elsewhere"));
        Bundle noEncounter = bundle("bad-3", AdministrativeGender.MALE, "2020-03-10T08:00:00", null, null, 2.4,
                "mg/L", 94, "I10");
        noEncounter.getEntry().remove(1);
        String invalidDate = FHIR.newJsonParser().encodeResourceToString(bundle("bad-4", AdministrativeGender.MALE,
                "2020-03-10T08:00:00", null, null, 2.4, "mg/L", 94, "I10")).replace("\"1950-01-01\"",
                        "\"1950-13-45\"");
        String notABundle = "{\"resourceType\":\"Patient\",\"id\":\"x\"}";
        String ok = FHIR.newJsonParser().encodeResourceToString(bundle("ok-1", AdministrativeGender.MALE,
                "2020-03-10T08:00:00", null, null, 2.4, "mg/L", 94, "I10"));
        Collected c = Collected.read(reader(), Collected.write(String.join("\n", badUnit, FHIR.newJsonParser()
                .encodeResourceToString(orphan), FHIR.newJsonParser().encodeResourceToString(noEncounter),
                invalidDate, notABundle, ok)));
        assertEquals(List.of("ok-1"), List.copyOf(c.records.keySet()));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), c.invalidLines);
        assertEquals(List.of("line 1, column entry[2].Observation.valueQuantity",
                "line 2, column entry[2].Observation.subject", "line 3, column entry[0].Patient",
                "line 4, column birthDate", "line 5, column resourceType"), c.where());
        assertTrue(c.problems.stream().noneMatch(v -> v.reason().contains("1950-13-45")));
    }

    @Test
    void refusesWhatIsNotJsonNamingTheLine() throws Exception {
        String ok = FHIR.newJsonParser().encodeResourceToString(bundle("ok-1", AdministrativeGender.MALE,
                "2020-03-10T08:00:00", null, null, 2.4, "mg/L", 94, "I10"));
        AdmissionFileException e = assertThrows(AdmissionFileException.class, () -> Collected.read(reader(),
                Collected.write(ok + "\n" + ok + "\n{\"resourceType\": \"Bundle\", \"entry\": [}\n")));
        assertEquals("line 3", e.violations().get(0).location());
        e = assertThrows(AdmissionFileException.class, () -> Collected.read(reader(), Collected.write(ok
                + "\n[1, 2]\n")));
        assertEquals("line 2", e.violations().get(0).location());
        e = assertThrows(AdmissionFileException.class, () -> Collected.read(reader(), Collected.write("   \n")));
        assertEquals("file", e.violations().get(0).location());
        e = assertThrows(AdmissionFileException.class, () -> Collected.read(reader(), Collected.write(ok
                .substring(0, ok.length() / 2))));
        assertTrue(e.getMessage().contains("ends inside"), e.getMessage());
    }

    /** Patient, Encounter, an Observation of CRP and one of SpO2, a Condition (ICD-10), born 1950-01-01. */
    static Bundle bundle(String id, AdministrativeGender sex, String start, String end, String deceased, double crp,
            String crpUnit, double spo2, String icd10) {
        Bundle b = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        Patient p = new Patient().addIdentifier(new Identifier().setSystem("urn:example:mrn").setValue(id))
                .setGender(sex).setBirthDateElement(new DateType("1950-01-01"));
        if (deceased != null) {
            p.setDeceased(new DateTimeType(deceased));
        }
        String patientUrl = "urn:uuid:" + java.util.UUID.nameUUIDFromBytes(id.getBytes());
        Encounter e = new Encounter().setStatus(end == null
                ? Encounter.EncounterStatus.INPROGRESS
                : Encounter.EncounterStatus.FINISHED).setSubject(new Reference(patientUrl)).setServiceProvider(
                        new Reference().setIdentifier(new Identifier().setValue("IT-RM-03")));
        e.setPeriod(new Period().setStartElement(new DateTimeType(start)).setEndElement(end == null
                ? null
                : new DateTimeType(end)));
        Observation c = observation(patientUrl, "1988-5", crp, crpUnit, start);
        Observation s = observation(patientUrl, "59408-5", spo2, "%", start);
        Condition cond = new Condition().setCode(new CodeableConcept(new Coding("http://hl7.org/fhir/sid/icd-10",
                icd10, null))).setSubject(new Reference(patientUrl));
        add(b, patientUrl, p);
        for (Resource r : new Resource[]{e, c, s, cond}) {
            add(b, "urn:uuid:" + java.util.UUID.randomUUID(), r);
        }
        return b;
    }

    private static Observation observation(String patientUrl, String loinc, double value, String unit,
            String when) {
        Observation o = new Observation().setStatus(Observation.ObservationStatus.FINAL).setCode(new CodeableConcept(
                new Coding("http://loinc.org", loinc, null))).setSubject(new Reference(patientUrl));
        o.setEffective(new DateTimeType(when));
        o.setValue(new Quantity().setValue(BigDecimal.valueOf(value)).setSystem("http://unitsofmeasure.org")
                .setCode(unit));
        return o;
    }

    private static void add(Bundle b, String fullUrl, Resource r) {
        b.addEntry().setFullUrl(fullUrl).setResource(r).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl(r
                .fhirType());
    }
}
