package org.covidrisk.feature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

import org.covidrisk.feature.v1.FeatureRow;
import org.covidrisk.feature.v1.FeatureSet;
import org.covidrisk.feature.v1.FeatureSpec;
import org.covidrisk.feature.v1.FeatureVariant;
import org.covidrisk.feature.v1.MissingValues;
import org.junit.jupiter.api.Test;

/** The full and reduced characteristics vectors against the PLOS ONE 2021 paper (section 2.1, Table 2). */
class StageFeatureSetsTest {

    /** Characteristics of a set: a group of indicators counts once, under its group name. */
    static List<String> characteristics(FeatureSet s) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (FeatureSpec f : s.getFeaturesList()) {
            out.add(f.getGroup().isEmpty() ? f.getName() : f.getGroup());
        }
        return new ArrayList<>(out);
    }

    static final List<String> HISTORY = List.of("diabetes", "copd", "asthma", "immunosuppressed", "hypertension",
            "other_disease", "cardiovascular", "obesity", "chronic_kidney_disease", "smoker");

    @Test
    void reducedVectorHasThePapers21CharacteristicsByStage() {
        List<String> stage1 = new ArrayList<>(HISTORY);
        stage1.addAll(List.of("male", "age", "state_of_birth", "days_onset_to_care", "sector", "state_of_unit"));
        assertEquals(stage1, characteristics(StageFeatureSets.of(1, FeatureVariant.FEATURE_VARIANT_REDUCED)));
        List<String> stage2 = new ArrayList<>(stage1);
        stage2.addAll(List.of("covid_status", "pneumonia"));
        assertEquals(stage2, characteristics(StageFeatureSets.of(2, FeatureVariant.FEATURE_VARIANT_REDUCED)));
        List<String> stage3 = new ArrayList<>(stage2);
        stage3.add("hospitalised");
        assertEquals(stage3, characteristics(StageFeatureSets.of(3, FeatureVariant.FEATURE_VARIANT_REDUCED)));
        List<String> stage4 = new ArrayList<>(stage3);
        stage4.addAll(List.of("intubated", "icu"));
        FeatureSet r4 = StageFeatureSets.of(4, FeatureVariant.FEATURE_VARIANT_REDUCED);
        assertEquals(stage4, characteristics(r4));
        assertEquals(21, stage4.size(), "the shortened 21-element vector");
        assertEquals("plos-reduced-stage-4", r4.getName());
        assertEquals(FeatureVariant.FEATURE_VARIANT_REDUCED, r4.getVariant());
        for (String dropped : StageFeatureSets.REDUCED_DROPS) {
            assertFalse(characteristics(r4).contains(dropped), dropped);
        }
        // 10 history + sex + age + 32 birth states + days + 5 sectors + 32 unit states + 2 + 1 + 1 + 2
        assertEquals(10 + 2 + 32 + 1 + 5 + 32 + 3 + 1 + 2, r4.getFeaturesCount());
    }

    @Test
    void fullVectorHasEveryTable2CharacteristicARecordCarries() {
        FeatureSet f1 = StageFeatureSets.of(1, FeatureVariant.FEATURE_VARIANT_FULL);
        List<String> c1 = characteristics(f1);
        // category 1 (11), category 2 without migrant and indigenous self-identification (6), category 3a (5)
        List<String> expected = new ArrayList<>(HISTORY);
        expected.add("pregnant");
        expected.addAll(List.of("male", "age", "state_of_birth", "state_of_residence", "indigenous_language",
                "mexican_national", "usmer", "days_onset_to_care", "contact_with_case", "sector", "state_of_unit"));
        assertEquals(expected, c1);
        List<String> c4 = characteristics(StageFeatureSets.of(4, FeatureVariant.FEATURE_VARIANT_FULL));
        assertEquals(List.of("covid_status", "pneumonia", "hospitalised", "intubated", "icu"), c4.subList(22, 27));
        for (FeatureSpec s : StageFeatureSets.of(4, FeatureVariant.FEATURE_VARIANT_FULL).getFeaturesList()) {
            int expectedStage = switch (s.getName()) {
                case "covid_confirmed", "covid_pending", "pneumonia" -> 2;
                case "hospitalised" -> 3;
                case "intubated", "icu" -> 4;
                default -> 1;
            };
            assertEquals(expectedStage, s.getKnownFromStage(), s.getName());
        }
        // the standard vector is unchanged by the variants (models trained on it stay valid)
        assertEquals(29, StageFeatureSets.of(4).getFeaturesCount());
        assertEquals("plos-stage-4", StageFeatureSets.of(4).getName());
    }

    @Test
    void stateIndicatorsFollowTheRecordAndStayUnknownWhenKept() {
        var record = FeaturizerTest.hospitalisedMan().setStateOfUnit("09").setStateOfBirth("15").build();
        Featurizer f = new Featurizer(4, FeatureVariant.FEATURE_VARIANT_REDUCED, true,
                MissingValues.MISSING_VALUES_FILL);
        List<String> n = f.featureSet().getFeaturesList().stream().map(FeatureSpec::getName).toList();
        FeatureRow row = f.featurize(record);
        assertEquals(1.0, row.getValues(n.indexOf("state_unit_09")));
        assertEquals(0.0, row.getValues(n.indexOf("state_unit_15")));
        assertEquals(1.0, row.getValues(n.indexOf("state_birth_15")));
        assertEquals(n.size(), row.getValuesCount());

        Featurizer keep = new Featurizer(4, FeatureVariant.FEATURE_VARIANT_REDUCED, false,
                MissingValues.MISSING_VALUES_KEEP);
        FeatureRow unknown = keep.featurize(FeaturizerTest.hospitalisedMan().setStateOfUnit("09").clearDiabetes()
                .build());
        assertTrue(Double.isNaN(unknown.getValues(n.indexOf("state_birth_15"))), "no state of birth: unknown");
        assertTrue(Double.isNaN(unknown.getValues(n.indexOf("diabetes"))));
        assertEquals(List.of("diabetes", "state_of_birth"), unknown.getImputedList());
        assertEquals("missing", unknown.getImputedInputs(0).getMethod());
        // a code outside 01-32 (born abroad) is known: no indicator set, nothing missing
        FeatureRow abroad = keep.featurize(FeaturizerTest.hospitalisedMan().setStateOfUnit("09").setStateOfBirth("36")
                .build());
        assertEquals(0.0, abroad.getValues(n.indexOf("state_birth_15")));
        assertTrue(abroad.getImputedList().isEmpty());
    }
}
