package org.covidrisk.ensemble.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class BinaryMetricsTest {

    @Test
    void aurocMatchesAHandComputedCase() {
        // positives at 0.9, 0.4; negatives at 0.8, 0.3, 0.1: pairs won 1+1+1 (0.9) + 0+1+1 (0.4) = 5 of 6
        double[] p = {0.9, 0.8, 0.4, 0.3, 0.1};
        boolean[] y = {true, false, true, false, false};
        assertEquals(5.0 / 6, BinaryMetrics.auroc(p, y), 1e-12);
        // ties count one half
        assertEquals(0.5, BinaryMetrics.auroc(new double[]{0.5, 0.5}, new boolean[]{true, false}), 1e-12);
        assertTrue(Double.isNaN(BinaryMetrics.auroc(new double[]{0.1, 0.2}, new boolean[]{true, true})));
    }

    @Test
    void nonProbabilitiesAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> BinaryMetrics.of(new double[]{Double.NaN, 0.2}, new boolean[]{true, false}));
        assertThrows(IllegalArgumentException.class,
                () -> BinaryMetrics.of(new double[]{1.2, 0.2}, new boolean[]{true, false}));
        assertThrows(IllegalArgumentException.class, () -> BinaryMetrics.of(new double[]{0.2}, new boolean[0]));
    }

    @Test
    void thresholdMetricsAndBrier() {
        Map<String, Double> m = BinaryMetrics.of(new double[]{0.9, 0.2, 0.6, 0.4},
                new boolean[]{true, true, false, false});
        assertEquals(0.5, m.get("accuracy"), 1e-12);
        assertEquals(0.5, m.get("sensitivity"), 1e-12);
        assertEquals(0.5, m.get("specificity"), 1e-12);
        assertEquals((0.01 + 0.64 + 0.36 + 0.16) / 4, m.get("brier"), 1e-12);
    }

    @Test
    void halfIsADeathCall() {
        // sklearn's predict of a binary model: p >= 0.5 is the positive class
        Map<String, Double> m = BinaryMetrics.of(new double[]{0.5, 0.49}, new boolean[]{true, false});
        assertEquals(1.0, m.get("tp"));
        assertEquals(1.0, m.get("tn"));
        assertEquals(1.0, m.get("accuracy"), 1e-12);
    }

    @Test
    void everyMetricMatchesScikitLearn() {
        // printed by sklearn_reference.py: sklearn 1.2.1 roc_auc_score, brier_score_loss, log_loss,
        // accuracy_score, recall_score (pos_label 1 and 0), precision_score, f1_score (binary, macro, micro),
        // confusion_matrix; statsmodels 0.13.5 GLM Binomial on logit(p) (slope) and with offset logit(p)
        // (intercept); ECE from calibration_curve(n_bins=10) weighted by the bin counts
        Map<String, Double> expected = new LinkedHashMap<>();
        expected.put("n", 60.0);
        expected.put("auroc", 0.89337822671156);
        expected.put("brier", 0.13785);
        expected.put("log_loss", 0.4244267915206796);
        expected.put("accuracy", 0.8333333333333334);
        expected.put("sensitivity", 0.7037037037037037);
        expected.put("specificity", 0.9393939393939394);
        expected.put("precision", 0.9047619047619048);
        expected.put("recall", 0.7037037037037037);
        expected.put("f1", 0.7916666666666667);
        expected.put("macro_f1", 0.826388888888889);
        expected.put("micro_f1", 0.8333333333333334);
        expected.put("calibration_intercept", 0.37399185825616293);
        expected.put("calibration_slope", 1.531285085040982);
        expected.put("ece", 0.12833333333333333);
        expected.put("tp", 19.0);
        expected.put("fp", 2.0);
        expected.put("tn", 31.0);
        expected.put("fn", 8.0);
        expected.put("prevalence", 0.45);

        Map<String, Double> m = BinaryMetrics.of(ReferenceData.P, ReferenceData.DIED);
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(m.keySet()));
        expected.forEach((key, value) -> assertEquals(value, m.get(key), 1e-9, key));
    }

    @Test
    void zeroDivisionsGiveZeroAsScikitLearn() {
        // f1_score([0, 0, 0], [0, 0, 0], average='macro') = 1.0 (only the label present counts);
        // f1_score and precision_score with zero_division=0 = 0.0
        Map<String, Double> allSurvived = BinaryMetrics.of(new double[]{0.1, 0.2, 0.3},
                new boolean[]{false, false, false});
        assertEquals(1.0, allSurvived.get("macro_f1"), 1e-12);
        assertEquals(0.0, allSurvived.get("f1"));
        assertEquals(0.0, allSurvived.get("precision"));
        assertEquals(0.0, allSurvived.get("recall"));
        assertEquals(0.0, allSurvived.get("prevalence"));
        assertTrue(Double.isNaN(allSurvived.get("auroc")));
        assertTrue(Double.isNaN(allSurvived.get("calibration_slope")));
        assertTrue(Double.isNaN(allSurvived.get("calibration_intercept")));

        // precision_score([1, 0, 0], [0, 0, 0], zero_division=0) = 0.0; f1_score(..., average='macro') = 0.4
        Map<String, Double> noDeathCalled = BinaryMetrics.of(new double[]{0.4, 0.2, 0.3},
                new boolean[]{true, false, false});
        assertEquals(0.0, noDeathCalled.get("precision"));
        assertEquals(0.4, noDeathCalled.get("macro_f1"), 1e-12);
    }
}
