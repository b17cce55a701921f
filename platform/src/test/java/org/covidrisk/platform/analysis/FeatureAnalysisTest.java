package org.covidrisk.platform.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class FeatureAnalysisTest {

    @Test
    void mutualInformationOfAPerfectPredictorIsTheOutcomeEntropy() {
        boolean[] y = {true, false, false, false, true, false, false, false};
        double[] x = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            x[i] = y[i] ? 1 : 0;
        }
        double h = -(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75)) / Math.log(2);
        assertEquals(h, FeatureAnalysis.mutualInformation(x, y), 1e-12);
        assertEquals(1.0, FeatureAnalysis.pearson(x, y), 1e-12);
    }

    @Test
    void independentFeaturesCarryAlmostNothingAndContinuousOnesAreBinned() {
        Random r = new Random(5);
        int n = 20000;
        boolean[] y = new boolean[n];
        double[] noise = new double[n];
        double[] age = new double[n];
        for (int i = 0; i < n; i++) {
            age[i] = 20 + r.nextDouble() * 70;
            y[i] = r.nextDouble() < (age[i] > 65 ? 0.4 : 0.05);
            noise[i] = r.nextGaussian();
        }
        assertTrue(FeatureAnalysis.mutualInformation(noise, y) < 0.005);
        assertTrue(Math.abs(FeatureAnalysis.pearson(noise, y)) < 0.03);
        assertTrue(FeatureAnalysis.mutualInformation(age, y) > 0.05, "age carries information");
        assertTrue(FeatureAnalysis.pearson(age, y) > 0.3);
    }

    @Test
    void aurocCountsTiesHalf() {
        boolean[] y = {false, false, true, true};
        assertEquals(0.75, FeatureAnalysis.auroc(new double[]{0.1, 0.4, 0.35, 0.8}, y), 1e-12);
        assertEquals(1.0, FeatureAnalysis.auroc(new double[]{0, 0, 1, 1}, y), 1e-12);
        // a binary feature set in one of two deaths and none of the survivors: (1 + 0.5) / 2
        assertEquals(0.75, FeatureAnalysis.auroc(new double[]{0, 0, 1, 0}, y), 1e-12);
        assertEquals(0.5, FeatureAnalysis.auroc(new double[]{3, 3, 3, 3}, y), 1e-12);
        assertEquals(1.0, FeatureAnalysis.mutualInformation(new int[]{0, 0, 1, 1}, y), 1e-12);
    }

    @Test
    void centralMomentsOfAKnownVector() {
        // 0,0,0,1: mean 0.25, variance 0.1875, skewness 1.1547, kurtosis 2.3333
        double[] m = FeatureAnalysis.centralMoments(new double[]{0, 0, 0, 1});
        assertArrayEquals(new double[]{0.25, 0.1875, 2 / Math.sqrt(3), 7.0 / 3}, m, 1e-9);
        assertArrayEquals(new double[]{1, 0, 0, 0}, FeatureAnalysis.centralMoments(new double[]{1, 1}), 0);
    }
}
