package org.covidrisk.ensemble.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.covidrisk.ensemble.evaluation.BinaryMetrics;
import org.junit.jupiter.api.Test;

class GamLearnerTest {

    /** Risk U-shaped in age (lowest at 55), raised by a binary input; a noise input. */
    static TrainingData uShaped(int n, long seed) {
        Random r = new Random(seed);
        List<double[]> rows = new ArrayList<>();
        boolean[] y = new boolean[n];
        for (int i = 0; i < n; i++) {
            double age = 20 + 70 * r.nextDouble();
            double[] x = {age, r.nextInt(2), r.nextGaussian()};
            double logit = -3 + 0.004 * (age - 55) * (age - 55) + 1.0 * x[1];
            y[i] = r.nextDouble() < 1 / (1 + Math.exp(-logit));
            rows.add(x);
        }
        return new TrainingData(List.of("age", "pneumonia", "noise"), rows, y);
    }

    @Test
    void recoversAUShapedAgeEffectThatLogisticRegressionMisses() {
        TrainingData train = uShaped(3000, 1);
        TrainingData test = uShaped(2000, 2);
        GamLearner.Trained gam = new GamLearner(GamLearner.Options.defaults()).fit(train);
        FittedModel logistic = Learners.create(LogisticLearner.NAME, 1).fit(train);
        double gamAuroc = BinaryMetrics.auroc(gam.predict(test.rows()), test.died());
        double lrAuroc = BinaryMetrics.auroc(logistic.predict(test.rows()), test.died());
        assertTrue(gamAuroc - lrAuroc > 0.1, "GAM " + gamAuroc + " vs logistic " + lrAuroc);
        // the fitted smooth is a U: both ends above the middle, by about the planted 0.004 × 30² = 3.6
        double middle = gam.partialEffect("age", 55);
        assertTrue(gam.partialEffect("age", 25) - middle > 2.5, "left arm");
        assertTrue(gam.partialEffect("age", 85) - middle > 2.5, "right arm");
        assertEquals(1.0, gam.partialEffect("pneumonia", 1) - gam.partialEffect("pneumonia", 0), 0.3);
        assertTrue(gam.effectiveDegreesOfFreedom() > 4 && gam.effectiveDegreesOfFreedom() < 16,
                "edf " + gam.effectiveDegreesOfFreedom());
    }

    @Test
    void aStrongPenaltyStraightensTheSmooth() {
        TrainingData train = uShaped(3000, 3);
        GamLearner.Trained stiff = new GamLearner(GamLearner.Options.defaults().withPenalty(1e9)).fit(train);
        // second differences penalised away: the age effect is a straight line, so the U is lost
        double a = stiff.partialEffect("age", 25);
        double b = stiff.partialEffect("age", 55);
        double c = stiff.partialEffect("age", 85);
        assertEquals(b - a, c - b, 0.05, "equal steps on a line");
        assertEquals(1e9, stiff.penalty());
    }

    @Test
    void theArtifactRoundTripsAndPredictsIdentically() {
        GamLearner.Trained gam = new GamLearner(GamLearner.Options.defaults()).fit(uShaped(800, 4));
        byte[] artifact = gam.serialize();
        FittedModel back = Learners.load(GamLearner.NAME, artifact);
        assertEquals(GamLearner.FORMAT, back.format());
        assertEquals(gam.featureNames(), back.featureNames());
        List<double[]> probes = List.of(new double[]{20, 0, 0}, new double[]{55, 1, -1}, new double[]{90, 1, 2},
                new double[]{120, 0, 0});
        assertArrayEquals(gam.predict(probes), back.predict(probes), 0.0);
        assertArrayEquals(artifact, back.serialize());
        assertThrows(IllegalStateException.class, () -> GamLearner.deserialize(new byte[]{1, 2, 3, 4, 5}));
        // outside the training range a smooth holds its edge value
        assertEquals(gam.predict(new double[]{90, 0, 0}), gam.predict(new double[]{120, 0, 0}), 0.0);
    }

    @Test
    void theBasisIsAPartitionOfUnityAndMissingInputsAreRefused() {
        for (double x : new double[]{0, 0.05, 0.5, 0.999, 1}) {
            double[] b = GamLearner.bSplineBasis(x, 0, 1, 10);
            assertEquals(13, b.length);
            assertEquals(1.0, Arrays.stream(b).sum(), 1e-12);
            assertTrue(Arrays.stream(b).allMatch(v -> v >= 0));
        }
        TrainingData train = uShaped(300, 5);
        GamLearner.Trained gam = new GamLearner(GamLearner.Options.defaults()).fit(train);
        assertThrows(IllegalArgumentException.class, () -> gam.predict(new double[]{Double.NaN, 1, 0}));
        List<double[]> rows = new ArrayList<>(train.rows());
        rows.set(0, new double[]{Double.NaN, 1, 0});
        assertThrows(IllegalArgumentException.class, () -> new GamLearner(GamLearner.Options.defaults())
                .fit(new TrainingData(train.featureNames(), rows, train.died())));
    }
}
