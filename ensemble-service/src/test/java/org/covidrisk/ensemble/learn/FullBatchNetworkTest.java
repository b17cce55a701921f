package org.covidrisk.ensemble.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.covidrisk.ensemble.evaluation.BinaryMetrics;
import org.junit.jupiter.api.Test;

class FullBatchNetworkTest {

    @Test
    void gradientMatchesFiniteDifferences() {
        Random r = new Random(3);
        double[][] x = new double[40][3];
        boolean[] y = new boolean[40];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < 3; j++) {
                x[i][j] = r.nextGaussian();
            }
            y[i] = r.nextBoolean();
        }
        var f = new FullBatchNetwork.Objective(x, y, 2, 0.5);
        double[] t = new double[f.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = r.nextGaussian();
        }
        double[] g = f.gradient(t);
        for (int i = 0; i < t.length; i++) {
            double[] up = t.clone();
            double[] down = t.clone();
            up[i] += 1e-6;
            down[i] -= 1e-6;
            double numeric = (f.value(up) - f.value(down)) / 2e-6;
            assertEquals(numeric, g[i], 1e-6, "component " + i);
        }
    }

    @Test
    void fullBatchStageNetworkLearnsAPlantedRiskAndKeepsItsFormat() {
        TrainingData train = LogisticLearnerTest.planted(3000, 11);
        TrainingData test = LogisticLearnerTest.planted(2000, 12);
        MlpLearner learner = new MlpLearner(MlpLearner.STAGE_NN, new MlpLearner.Options(new int[]{2}, true, 200, 0, 0,
                0, 0, 7, true, 1e-4, 2));
        MlpLearner.Trained m = learner.fit(train);
        double auroc = BinaryMetrics.auroc(m.predict(test.rows()), test.died());
        // the planted log-odds are linear in age and the protective flag: the oracle's AUROC is about 0.8
        assertTrue(auroc > 0.75, "AUROC " + auroc);
        assertEquals(2, m.hiddenOutputs(test.rows().get(0)).length);
        MlpLearner.Trained back = MlpLearner.deserialize(MlpLearner.STAGE_NN, m.serialize());
        assertEquals(m.predict(test.rows().get(5)), back.predict(test.rows().get(5)), 1e-12);
        assertEquals("full-batch conjugate gradient (Commons Math, Polak-Ribiere)", learner.options().get("optimizer"));
        assertEquals(2, learner.options().get("restarts"));
    }

    @Test
    void fullBatchIsDeterministicForASeed() {
        TrainingData train = LogisticLearnerTest.planted(800, 5);
        var o = new MlpLearner.Options(new int[]{2}, true, 100, 0, 0, 0, 0, 9, true, 1e-4, 2);
        double a = new MlpLearner(MlpLearner.STAGE_NN, o).fit(train).predict(new double[]{60, 0, 0});
        double b = new MlpLearner(MlpLearner.STAGE_NN, o).fit(train).predict(new double[]{60, 0, 0});
        assertEquals(a, b, 0.0);
    }
}
