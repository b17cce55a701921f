package org.covidrisk.feature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.covidrisk.feature.v1.FeatureRow;
import org.covidrisk.feature.v1.FeatureSet;
import org.covidrisk.feature.v1.FeatureSpec;
import org.covidrisk.ingest.v1.CovidStatus;
import org.covidrisk.ingest.v1.PatientRecord;
import org.covidrisk.ingest.v1.PatientType;
import org.covidrisk.ingest.v1.Sex;
import org.junit.jupiter.api.Test;

public class FeaturizerTest {

    public static PatientRecord.Builder hospitalisedMan() {
        return PatientRecord.newBuilder().setPatientId("p").setHospital("MX-09-04").setSex(Sex.SEX_MALE).setAge(70)
                .setPatientType(PatientType.PATIENT_TYPE_HOSPITALISED)
                .setCovidStatus(CovidStatus.COVID_STATUS_CONFIRMED).setPneumonia(true).setIntubated(true)
                .setIcu(false).setDiabetes(true).setCopd(false).setAsthma(false).setImmunosuppressed(false)
                .setHypertension(false).setOtherDisease(false).setCardiovascular(false).setObesity(false)
                .setChronicKidneyDisease(false).setSmoker(false).setContactWithCase(false)
                .setIndigenousLanguage(false).setMexicanNational(true).setSector(4).setUsmer(true)
                .setAdmissionDate("2021-07-08").setSymptomOnsetDate("2021-07-01");
    }

    private static List<String> names(FeatureSet s) {
        return s.getFeaturesList().stream().map(FeatureSpec::getName).toList();
    }

    @Test
    void eachStageAddsExactlyThePapersCharacteristics() {
        List<String> s1 = names(StageFeatureSets.of(1));
        assertTrue(s1.containsAll(List.of("diabetes", "copd", "asthma", "immunosuppressed", "hypertension",
                "cardiovascular", "obesity", "chronic_kidney_disease", "other_disease", "smoker", "pregnant",
                "male", "age", "indigenous_language", "usmer", "days_onset_to_care", "contact_with_case",
                "sector_4", "sector_12")));
        assertFalse(s1.contains("pneumonia"));
        List<String> s2 = names(StageFeatureSets.of(2));
        assertEquals(List.of("covid_confirmed", "covid_pending", "pneumonia"), s2.subList(s1.size(), s2.size()));
        List<String> s3 = names(StageFeatureSets.of(3));
        assertEquals(List.of("hospitalised"), s3.subList(s2.size(), s3.size()));
        List<String> s4 = names(StageFeatureSets.of(4));
        assertEquals(List.of("intubated", "icu"), s4.subList(s3.size(), s4.size()));
        for (FeatureSpec f : StageFeatureSets.of(4).getFeaturesList()) {
            assertTrue(f.getKnownFromStage() >= 1 && f.getKnownFromStage() <= 4, f.getName());
        }
        assertThrows(IllegalArgumentException.class, () -> StageFeatureSets.of(5));
    }

    @Test
    void valuesFollowTheRecord() {
        Featurizer f = new Featurizer(4, true);
        FeatureRow row = f.featurize(hospitalisedMan().build());
        List<String> n = names(f.featureSet());
        assertEquals(70.0, row.getValues(n.indexOf("age")));
        assertEquals(1.0, row.getValues(n.indexOf("male")));
        assertEquals(7.0, row.getValues(n.indexOf("days_onset_to_care")));
        assertEquals(1.0, row.getValues(n.indexOf("intubated")));
        assertEquals(0.0, row.getValues(n.indexOf("icu")));
        assertEquals(1.0, row.getValues(n.indexOf("sector_4")));
        assertEquals(0.0, row.getValues(n.indexOf("sector_other")));
        assertEquals(0.0, row.getValues(n.indexOf("pregnant")));
        assertEquals(List.of("pregnant").size() - 1, row.getImputedCount(), "pregnancy of a man is not imputed");
    }

    @Test
    void missingOptionalInputsAreImputedAndListed() {
        FeatureRow row = new Featurizer(4, true).featurize(hospitalisedMan().clearDiabetes().clearSmoker().build());
        assertEquals(List.of("diabetes", "smoker"), row.getImputedList());
    }

    @Test
    void strictModeRefusesMissingStageInputsAndNamesThem() {
        PatientRecord r = hospitalisedMan().clearIcu().clearAge().build();
        Featurizer.MissingInputsException e = assertThrows(Featurizer.MissingInputsException.class,
                () -> new Featurizer(4, true).featurize(r));
        assertEquals(List.of("age", "icu"), e.missing());
        // stage 3 does not need ICU, only age
        e = assertThrows(Featurizer.MissingInputsException.class, () -> new Featurizer(3, true).featurize(r));
        assertEquals(List.of("age"), e.missing());
        // an outpatient has no ICU question: not missing
        PatientRecord out = hospitalisedMan().setPatientType(PatientType.PATIENT_TYPE_OUTPATIENT).clearIcu()
                .clearIntubated().build();
        assertTrue(new Featurizer(4, true).missingRequired(out).isEmpty());
    }
}
