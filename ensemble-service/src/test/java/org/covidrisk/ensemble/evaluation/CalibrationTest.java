package org.covidrisk.ensemble.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.DoubleUnaryOperator;

import org.junit.jupiter.api.Test;

class CalibrationTest {

    private static final int N = 40_000;

    /** True risks logit ~ N(-1, 1.5²) and outcomes drawn from them, so the true risks are calibrated. */
    private static final double[] RISK = new double[N];
    private static final boolean[] DIED = new boolean[N];

    static {
        Random r = new Random(11);
        for (int i = 0; i < N; i++) {
            RISK[i] = sigmoid(-1 + 1.5 * r.nextGaussian());
            DIED[i] = r.nextDouble() < RISK[i];
        }
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static double logit(double p) {
        return Math.log(p / (1 - p));
    }

    private static Calibration reported(DoubleUnaryOperator distortLogit) {
        double[] p = new double[N];
        for (int i = 0; i < N; i++) {
            p[i] = sigmoid(distortLogit.applyAsDouble(logit(RISK[i])));
        }
        return Calibration.of(p, DIED);
    }

    @Test
    void calibratedRisksHaveSlopeOneAndInterceptZero() {
        Calibration c = reported(x -> x);
        // standard errors at n = 40,000 are about 0.02 (slope) and 0.015 (intercept)
        assertEquals(1.0, c.slope(), 0.06);
        assertEquals(0.0, c.intercept(), 0.05);
    }

    @Test
    void overconfidentRisksHaveSlopeBelowOne() {
        // risks pushed towards 0 and 1: logit doubled, so the recalibration must halve it
        Calibration c = reported(x -> 2 * x);
        assertTrue(c.slope() < 1);
        assertEquals(0.5, c.slope(), 0.03);
        // and too modest risks need a slope above one
        assertEquals(2.0, reported(x -> 0.5 * x).slope(), 0.12);
    }

    @Test
    void overestimatedRisksHaveNegativeIntercept() {
        // every risk shifted up by one unit of log-odds: calibration-in-the-large brings it back by about one
        Calibration c = reported(x -> x + 1);
        assertEquals(-1.0, c.intercept(), 0.06);
        assertEquals(1.0, c.slope(), 0.06);
    }

    @Test
    void perfectSeparationHasNoSlope() {
        // outcomes perfectly separated by the predictions: the likelihood has no maximum
        Calibration c = Calibration.of(new double[]{0.1, 0.2, 0.3, 0.7, 0.8, 0.9},
                new boolean[]{false, false, false, true, true, true});
        assertTrue(Double.isNaN(c.slope()));
        assertTrue(Double.isFinite(c.intercept()));
    }

    @Test
    void certainPredictionsAreClippedNotInfinite() {
        Calibration c = Calibration.of(new double[]{0.0, 1.0, 0.3, 0.6, 0.4, 0.7},
                new boolean[]{false, true, true, false, false, true});
        assertTrue(Double.isFinite(c.intercept()));
        assertTrue(Double.isFinite(c.slope()));
        assertTrue(c.slope() > 0 && c.slope() < 1);
    }
}
