package org.covidrisk.ensemble.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

class XraySecondLayerTest {

    /**
     * Planted: death depends on the CNN's logit and on age, not on sex; the second layer must beat both of its
     * parts on the hold-out, and its coefficients must point the planted way.
     */
    @Test
    void combinesCnnAgeAndSexBetterThanEitherPart() {
        Random r = new Random(3);
        List<double[]> rows = new ArrayList<>();
        boolean[] died = new boolean[2000];
        for (int i = 0; i < died.length; i++) {
            double cnnLogit = r.nextGaussian();
            double age = 20 + 70 * r.nextDouble();
            boolean male = r.nextBoolean();
            double logit = -4 + 1.5 * cnnLogit + 0.05 * age;
            died[i] = r.nextDouble() < 1 / (1 + Math.exp(-logit));
            rows.add(XraySecondLayer.row(1 / (1 + Math.exp(-cnnLogit)), age, male, false, Double.NaN));
        }
        TrainingData all = new TrainingData(XraySecondLayer.features(false), rows, died);
        int[] train = new int[1500];
        int[] hold = new int[500];
        for (int i = 0; i < 2000; i++) {
            if (i < 1500) {
                train[i] = i;
            } else {
                hold[i - 1500] = i;
            }
        }
        XraySecondLayer.Measured m = XraySecondLayer.measure(all.subset(train), all.subset(hold), 1);
        Map<String, Double> c = m.comparison();
        assertEquals(500, m.holdoutProbabilities().length);
        assertTrue(c.get("auroc_cnn_alone") > 0.6 && c.get("auroc_cnn_alone") < 0.9, c.toString());
        assertTrue(c.get("auroc_age_sex_alone") > 0.6 && c.get("auroc_age_sex_alone") < 0.9, c.toString());
        assertTrue(c.get("auroc_second_layer") > c.get("auroc_cnn_alone") + 0.03, c.toString());
        assertTrue(c.get("auroc_second_layer") > c.get("auroc_age_sex_alone") + 0.03, c.toString());
        assertTrue(!c.containsKey("auroc_clinical_alone"));

        FittedModel model = XraySecondLayer.learner(1).fit(all);
        double base = model.predict(XraySecondLayer.row(0.5, 50, false, false, 0));
        assertTrue(model.predict(XraySecondLayer.row(0.9, 50, false, false, 0)) > base + 0.2, "CNN raises risk");
        assertTrue(model.predict(XraySecondLayer.row(0.5, 85, false, false, 0)) > base + 0.2, "age raises risk");
        assertEquals(base, model.predict(XraySecondLayer.row(0.5, 50, true, false, 0)), 0.05, "sex: no effect");
    }

    @Test
    void rowsAreLogitsAgeAndSexWithTheClinicalLogitWhenUsed() {
        double[] x = XraySecondLayer.row(0.5, 60, true, true, 0.8807970779778823);
        assertEquals(List.of("cnn_logit", "age", "sex_male", "clinical_logit"), XraySecondLayer.features(true));
        assertEquals(0, x[0], 1e-12);
        assertEquals(60, x[1]);
        assertEquals(1, x[2]);
        assertEquals(2, x[3], 1e-9);
        assertEquals(Math.log(1e-6 / (1 - 1e-6)), XraySecondLayer.row(0, 60, false, false, 0)[0], 1e-9,
                "a CNN's 0 stays finite");
    }
}
