package org.covidrisk.feature.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.covidrisk.feature.imputation.FeatureFrame;
import org.covidrisk.feature.imputation.Mice;
import org.covidrisk.feature.imputation.MiceOptions;
import org.covidrisk.feature.imputation.MiceResult;
import org.covidrisk.feature.v1.FeatureRow;
import org.covidrisk.feature.v1.FeatureSpec;
import org.covidrisk.ingest.v1.AdmissionOutcome;
import org.covidrisk.ingest.v1.AdmissionRecord;
import org.covidrisk.ingest.v1.Comorbidity;
import org.covidrisk.ingest.v1.Measurement;
import org.covidrisk.ingest.v1.Sex;
import org.junit.jupiter.api.Test;

public class AdmissionFeaturizerTest {

    static Measurement m(String code, double value, String unit) {
        return Measurement.newBuilder().setCode(code).setValue(value).setUnit(unit).build();
    }

    public static AdmissionRecord.Builder patient() {
        return AdmissionRecord.newBuilder().setPatientId("a1").setHospital("BR-01").setSource("ADMISSION_CSV")
                .setAdmissionTime("2020-06-10T08:30").setSymptomOnsetDate("2020-06-03").setAge(71)
                .setSex(Sex.SEX_FEMALE).setMechanicalVentilation(false)
                .addComorbidities(Comorbidity.newBuilder().setCode("hypertension").setPresent(true))
                .addComorbidities(Comorbidity.newBuilder().setCode("diabetes").setPresent(false))
                .addVitals(m("spo2", 92, "%")).addVitals(m("fio2", 0.5, "1")).addVitals(m("heart_rate", 104, "/min"))
                .addVitals(m("temperature", 100.4, "[degF]"))
                .addLabs(m("neutrophils", 6.0, "10*9/L")).addLabs(m("lymphocytes", 800, "/uL"))
                .addLabs(m("hemoglobin", 13.5, "g/dL")).addLabs(m("creatinine", 1.2, "mg/dL"))
                .addLabs(m("ph", 7.31, "[pH]"))
                .setOutcome(AdmissionOutcome.ADMISSION_OUTCOME_DIED).setOutcomeTime("2020-06-20T02:00");
    }

    static double value(FeatureRow row, String name) {
        List<String> names = new AdmissionFeaturizer().featureSet().getFeaturesList().stream()
                .map(FeatureSpec::getName).toList();
        return row.getValues(names.indexOf(name));
    }

    @Test
    void valuesRatiosAndUnits() {
        FeatureRow row = new AdmissionFeaturizer().featurize(patient().build());
        assertEquals(71.0, value(row, "age"));
        assertEquals(0.0, value(row, "male"));
        assertEquals(7.0, value(row, "days_from_onset"));
        assertEquals(1.0, value(row, "hypertension"));
        assertEquals(0.0, value(row, "diabetes"));
        assertEquals(50.0, value(row, "fio2"), 1e-9, "a fraction 0.5 is 50 %");
        assertEquals(184.0, value(row, "spo2_fio2_ratio"), 1e-9, "92 / 0.5");
        assertEquals(0.8, value(row, "lymphocytes"), 1e-12, "800 /uL");
        assertEquals(7.5, value(row, "neutrophil_lymphocyte_ratio"), 1e-9, "6.0 / 0.8");
        assertEquals(135.0, value(row, "hemoglobin"), 1e-9, "13.5 g/dL");
        assertEquals(106.1, value(row, "creatinine"), 0.01, "1.2 mg/dL");
        assertEquals(38.0, value(row, "temperature"), 1e-9, "100.4 F");
        assertTrue(row.getDied());
    }

    @Test
    void missingStaysMissingAndIsListed() {
        FeatureRow row = new AdmissionFeaturizer().featurize(patient().clearAge().clearLabs()
                .addLabs(m("neutrophils", 5, "10*9/L")).build());
        assertTrue(Double.isNaN(value(row, "age")));
        assertTrue(Double.isNaN(value(row, "lymphocytes")));
        assertTrue(Double.isNaN(value(row, "neutrophil_lymphocyte_ratio")), "a ratio of an unknown is unknown");
        assertTrue(Double.isNaN(value(row, "obesity")), "a comorbidity not reported is unknown, not 'no'");
        assertTrue(row.getImputedList().containsAll(List.of("age", "lymphocytes", "neutrophil_lymphocyte_ratio")));
        assertFalse(row.getImputedList().contains("neutrophils"));
        assertEquals("missing", row.getImputedInputs(0).getMethod());
        // onset after admission is no delay to care
        assertTrue(Double.isNaN(value(new AdmissionFeaturizer().featurize(patient().setSymptomOnsetDate("2020-06-12")
                .build()), "days_from_onset")));
    }

    @Test
    void theEarliestMeasurementCounts() {
        FeatureRow row = new AdmissionFeaturizer().featurize(patient().clearVitals()
                .addVitals(m("heart_rate", 120, "/min").toBuilder().setTime("2020-06-11T08:00").build())
                .addVitals(m("heart_rate", 96, "/min").toBuilder().setTime("2020-06-10T09:00").build()).build());
        assertEquals(96.0, value(row, "heart_rate"));
    }

    @Test
    void refusesUnknownUnitsAndAnalytesByName() {
        var e = assertThrows(AdmissionFeaturizer.InvalidMeasurementException.class,
                () -> new AdmissionFeaturizer().featurize(patient().addLabs(m("crp", 3, "mmol/L")).build()));
        assertEquals("labs.crp", e.field());
        e = assertThrows(AdmissionFeaturizer.InvalidMeasurementException.class,
                () -> new AdmissionFeaturizer().featurize(patient().addVitals(m("glasgow", 15, "1")).build()));
        assertEquals("vitals[4]", e.field());
    }

    @Test
    void everyFeatureHasNameTypeAndUnit() {
        var set = new AdmissionFeaturizer().featureSet();
        assertEquals("admission-v1", set.getName());
        assertEquals(4 + 11 + 6 + 15 + 2, set.getFeaturesCount());
        for (FeatureSpec s : set.getFeaturesList()) {
            assertTrue(List.of("continuous", "binary").contains(s.getType()), s.getName());
            if (s.getType().equals("continuous")) {
                assertFalse(s.getUnit().isEmpty(), s.getName() + " has a unit");
            }
        }
        assertEquals("10*9/L", set.getFeaturesList().stream().filter(s -> s.getName().equals("lymphocytes"))
                .findFirst().orElseThrow().getUnit());
    }

    @Test
    void miceCompletesAdmissionFeatures() {
        Random r = new Random(6);
        AdmissionFeaturizer f = new AdmissionFeaturizer();
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            var p = patient().setAge(40 + r.nextInt(50)).clearLabs()
                    .addLabs(m("neutrophils", 3 + 5 * r.nextDouble(), "10*9/L"));
            if (r.nextDouble() < 0.7) {
                p.addLabs(m("lymphocytes", 0.5 + r.nextDouble(), "10*9/L"));
            }
            rows.add(f.featurize(p.build()).getValuesList().stream().mapToDouble(Double::doubleValue).toArray());
        }
        FeatureFrame frame = new FeatureFrame(f.featureSet());
        // columns never observed (no crp in any record) cannot be imputed: take the observed ones only
        int lymph = frame.columns().stream().map(c -> c.name()).toList().indexOf("lymphocytes");
        int age = frame.columns().stream().map(c -> c.name()).toList().indexOf("age");
        double[][] data = rows.stream().map(x -> new double[]{frame.toFrame(x)[age], frame.toFrame(x)[lymph]})
                .toArray(double[][]::new);
        MiceResult res = Mice.fit(List.of(frame.columns().get(age), frame.columns().get(lymph)), data, null,
                MiceOptions.defaults(2));
        for (double[] row : res.completed()[0]) {
            assertTrue(row[1] >= 0.5 && row[1] <= 1.5, "an observed lymphocyte count is drawn");
        }
    }
}
