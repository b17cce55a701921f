package org.covidrisk.ensemble.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> BinaryMetrics.of(new double[]{Double.NaN, 0.2}, new boolean[]{true, false}));
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
}
