package org.covidrisk.feature.imputation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RubinsRulesTest {

    /**
     * Worked by hand from Rubin (1987) and Barnard and Rubin (1999): m = 3 estimates 1, 2, 3, each with variance 1.
     * Q-bar = 2; U-bar = 1; B = ((1-2)^2 + 0 + (3-2)^2) / 2 = 1; T = 1 + (4/3) 1 = 7/3; r = 4/3; lambda = (4/3) /
     * (7/3) = 4/7; Rubin's df = (m - 1) / lambda^2 = 2 * 49/16 = 6.125. With complete-data df 10: df_obs = (11/13)
     * 10 (3/7) = 330/91; df = 6.125 (330/91) / (6.125 + 330/91) = 2.2778.
     */
    @Test
    void textbookCase() {
        RubinsRules.Pooled p = RubinsRules.pool(new double[]{1, 2, 3}, new double[]{1, 1, 1},
                Double.POSITIVE_INFINITY);
        assertEquals(2.0, p.estimate(), 1e-12);
        assertEquals(1.0, p.within(), 1e-12);
        assertEquals(1.0, p.between(), 1e-12);
        assertEquals(7.0 / 3, p.total(), 1e-12);
        assertEquals(4.0 / 3, p.relativeIncrease(), 1e-12);
        assertEquals(4.0 / 7, p.lambda(), 1e-12);
        assertEquals(6.125, p.df(), 1e-12);
        assertEquals((4.0 / 3 + 2 / 9.125) / (7.0 / 3), p.fmi(), 1e-12);

        RubinsRules.Pooled small = RubinsRules.pool(new double[]{1, 2, 3}, new double[]{1, 1, 1}, 10);
        double dfObs = 330.0 / 91;
        assertEquals(6.125 * dfObs / (6.125 + dfObs), small.df(), 1e-12);
        assertEquals(2.2778, small.df(), 1e-4);
    }

    /** Identical imputations: no between variance, no missing information, the complete-data df. */
    @Test
    void noBetweenImputationVariance() {
        RubinsRules.Pooled p = RubinsRules.pool(new double[]{0.5, 0.5}, new double[]{0.04, 0.02}, 50);
        assertEquals(0.5, p.estimate(), 1e-12);
        assertEquals(0.03, p.total(), 1e-12);
        assertEquals(0.0, p.lambda(), 1e-12);
        assertEquals(51.0 / 53 * 50, p.df(), 1e-9);
    }
}
