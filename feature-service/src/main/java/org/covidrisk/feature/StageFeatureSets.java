package org.covidrisk.feature;

import java.util.ArrayList;
import java.util.List;

import org.covidrisk.feature.v1.FeatureSet;
import org.covidrisk.feature.v1.FeatureSpec;
import org.covidrisk.feature.v1.FeatureVariant;

/**
 * The four clinical-stage feature sets of the PLOS ONE 2021 paper (section 2.1, Table 2). Stage 1 holds
 * medical history, demographics and first-contact data (category 1, 2, 3a); stage 2 adds COVID-19 status and
 * pneumonia; stage 3 adds hospitalisation; stage 4 adds intubation and ICU. Three variants: the suite's first
 * (standard) vector, the full vector of every Table 2 characteristic a record carries, and the paper's reduced
 * 21-characteristic vector (see {@link #REDUCED_DROPS}).
 */
public final class StageFeatureSets {

    /** Institution codes (SECTOR) with their own indicator; the rest share {@code sector_other}. */
    public static final int[] SECTORS = {4, 6, 9, 12};

    /** The 32 federal entities (states) of Mexico, DGE codes 01-32; any other code has no indicator. */
    public static final List<String> STATES = java.util.stream.IntStream.rangeClosed(1, 32)
            .mapToObj(i -> String.format("%02d", i)).toList();

    /**
     * The Table 2 characteristics a record carries that the paper's reduced 21-element vector leaves out (in
     * italics there: too little predictive power, or too small a population with the characteristic). The
     * remaining dropped ones, migrant status and indigenous self-identification, are not in a PatientRecord.
     */
    public static final List<String> REDUCED_DROPS = List.of("pregnant", "indigenous_language", "mexican_national",
            "state_of_residence", "usmer", "contact_with_case");

    private StageFeatureSets() {
    }

    /** The standard feature set of a stage (1-4). */
    public static FeatureSet of(int stage) {
        return of(stage, FeatureVariant.FEATURE_VARIANT_STANDARD);
    }

    /** The feature set of a stage (1-4) in a variant. */
    public static FeatureSet of(int stage, FeatureVariant variant) {
        if (stage < 1 || stage > 4) {
            throw new IllegalArgumentException("stage must be 1-4, was " + stage);
        }
        if (variant == FeatureVariant.UNRECOGNIZED) {
            throw new IllegalArgumentException("unknown feature variant");
        }
        boolean full = variant == FeatureVariant.FEATURE_VARIANT_FULL;
        boolean reduced = variant == FeatureVariant.FEATURE_VARIANT_REDUCED;
        List<FeatureSpec> f = new ArrayList<>();
        // category 1: medical history
        for (String c : List.of("diabetes", "copd", "asthma", "immunosuppressed", "hypertension", "other_disease",
                "cardiovascular", "obesity", "chronic_kidney_disease", "smoker", "pregnant")) {
            if (!(reduced && REDUCED_DROPS.contains(c))) {
                f.add(spec(c, "binary", "", 1, "medical history: " + c.replace('_', ' ')));
            }
        }
        // category 2: demographics
        f.add(spec("male", "binary", "", 1, "sex (1 male, 0 female)"));
        f.add(spec("age", "continuous", "years", 1, "age at admission"));
        if (full || reduced) {
            states(f, "state_birth_", "state_of_birth", "state of birth");
        }
        if (full) {
            states(f, "state_residence_", "state_of_residence", "state of residence");
        }
        if (!reduced) {
            f.add(spec("indigenous_language", "binary", "", 1, "speaks an indigenous language"));
            f.add(spec("mexican_national", "binary", "", 1, "Mexican nationality"));
            // category 3a: first contact
            f.add(spec("usmer", "binary", "", 1, "treated at a sentinel (USMER) unit"));
        }
        f.add(spec("days_onset_to_care", "continuous", "days", 1,
                "days from symptom onset to first care, clipped to 0-60"));
        if (!reduced) {
            f.add(spec("contact_with_case", "binary", "", 1, "contact with a confirmed case"));
        }
        for (int s : SECTORS) {
            f.add(spec("sector_" + s, "categorical-indicator", "", 1, "institution (SECTOR) code " + s, "sector"));
        }
        f.add(spec("sector_other", "categorical-indicator", "", 1, "institution of any other SECTOR code", "sector"));
        if (full || reduced) {
            states(f, "state_unit_", "state_of_unit", "state of the medical unit");
        }
        List<String> required = new ArrayList<>(List.of("age", "sex"));
        // category 3b, by stage
        if (stage >= 2) {
            f.add(spec("covid_confirmed", "categorical-indicator", "", 2, "COVID-19 confirmed", "covid_status"));
            f.add(spec("covid_pending", "categorical-indicator", "", 2, "COVID-19 result pending / inconclusive",
                    "covid_status"));
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
        String prefix = switch (variant) {
            case FEATURE_VARIANT_FULL -> "plos-full-stage-";
            case FEATURE_VARIANT_REDUCED -> "plos-reduced-stage-";
            default -> "plos-stage-";
        };
        return FeatureSet.newBuilder().setName(prefix + stage).setStage(stage).setVariant(variant)
                .addAllFeatures(f).addAllRequiredInputs(required).build();
    }

    private static void states(List<FeatureSpec> f, String prefix, String group, String what) {
        for (String s : STATES) {
            f.add(spec(prefix + s, "categorical-indicator", "", 1, what + ": DGE state code " + s, group));
        }
    }

    private static FeatureSpec spec(String name, String type, String unit, int stage, String description) {
        return spec(name, type, unit, stage, description, "");
    }

    private static FeatureSpec spec(String name, String type, String unit, int stage, String description,
            String group) {
        return FeatureSpec.newBuilder().setName(name).setType(type).setUnit(unit).setKnownFromStage(stage)
                .setDescription(description).setGroup(group).build();
    }
}
