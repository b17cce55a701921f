package org.covidrisk.feature;

import java.util.ArrayList;
import java.util.List;

import org.covidrisk.feature.v1.FeatureSet;
import org.covidrisk.feature.v1.FeatureSpec;

/**
 * The four clinical-stage feature sets of the PLOS ONE 2021 paper (section 2.1, Table 2). Stage 1 holds
 * medical history, demographics and first-contact data (category 1, 2, 3a); stage 2 adds COVID-19 status and
 * pneumonia; stage 3 adds hospitalisation; stage 4 adds intubation and ICU.
 */
public final class StageFeatureSets {

    /** Institution codes (SECTOR) with their own indicator; the rest share {@code sector_other}. */
    public static final int[] SECTORS = {4, 6, 9, 12};

    private StageFeatureSets() {
    }

    /** The feature set of a stage (1-4). */
    public static FeatureSet of(int stage) {
        if (stage < 1 || stage > 4) {
            throw new IllegalArgumentException("stage must be 1-4, was " + stage);
        }
        List<FeatureSpec> f = new ArrayList<>();
        for (String c : List.of("diabetes", "copd", "asthma", "immunosuppressed", "hypertension", "other_disease",
                "cardiovascular", "obesity", "chronic_kidney_disease", "smoker", "pregnant")) {
            f.add(spec(c, "binary", "", 1, "medical history: " + c.replace('_', ' ')));
        }
        f.add(spec("male", "binary", "", 1, "sex (1 male, 0 female)"));
        f.add(spec("age", "continuous", "years", 1, "age at admission"));
        f.add(spec("indigenous_language", "binary", "", 1, "speaks an indigenous language"));
        f.add(spec("mexican_national", "binary", "", 1, "Mexican nationality"));
        f.add(spec("usmer", "binary", "", 1, "treated at a sentinel (USMER) unit"));
        f.add(spec("days_onset_to_care", "continuous", "days", 1,
                "days from symptom onset to first care, clipped to 0-60"));
        f.add(spec("contact_with_case", "binary", "", 1, "contact with a confirmed case"));
        for (int s : SECTORS) {
            f.add(spec("sector_" + s, "categorical-indicator", "", 1, "institution (SECTOR) code " + s));
        }
        f.add(spec("sector_other", "categorical-indicator", "", 1, "institution of any other SECTOR code"));
        List<String> required = new ArrayList<>(List.of("age", "sex"));
        if (stage >= 2) {
            f.add(spec("covid_confirmed", "categorical-indicator", "", 2, "COVID-19 confirmed"));
            f.add(spec("covid_pending", "categorical-indicator", "", 2, "COVID-19 result pending / inconclusive"));
            f.add(spec("pneumonia", "binary", "", 2, "COVID-19-related pneumonia"));
            required.addAll(List.of("covid_status", "pneumonia"));
        }
        if (stage >= 3) {
            f.add(spec("hospitalised", "binary", "", 3, "admitted to hospital"));
            required.add("patient_type");
        }
        if (stage >= 4) {
            f.add(spec("intubated", "binary", "", 4, "mechanical ventilation"));
            f.add(spec("icu", "binary", "", 4, "intensive care unit"));
            required.addAll(List.of("intubated", "icu"));
        }
        return FeatureSet.newBuilder().setName("plos-stage-" + stage).setStage(stage).addAllFeatures(f)
                .addAllRequiredInputs(required).build();
    }

    private static FeatureSpec spec(String name, String type, String unit, int stage, String description) {
        return FeatureSpec.newBuilder().setName(name).setType(type).setUnit(unit).setKnownFromStage(stage)
                .setDescription(description).build();
    }
}
