package org.covidrisk.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.covidrisk.ensemble.learn.KnnLearner;
import org.covidrisk.ensemble.learn.TrainingData;
import org.junit.jupiter.api.Test;

class StageBenchmarkTest {

    @Test
    void parsesThePeersFigureLinesOnly() {
        List<StageBenchmark.PeerFigure> p = StageBenchmark.parsePeer(List.of(
                "rows=244858 deaths=12477 balanced=24954 train=17467 test=7487",
                "stage 1 NN(2 sigmoid)  acc=0.812 spec=0.790 sens=0.834 auroc=0.880 fit=12.5s",
                "stage 4 kNN(15)        acc=0.861 spec=0.850 sens=0.872 auroc=0.920 fit=0.3s"));
        assertEquals(2, p.size());
        assertEquals(new StageBenchmark.PeerFigure(1, "NN(2 sigmoid)", 0.812, 0.790, 0.834, 0.880, 12.5), p.get(0));
        assertEquals("kNN(15)", p.get(1).model());
        assertEquals(4, p.get(1).stage());
    }

    @Test
    void tableComparesEachModelWithItsPeerAndTheBestWithTheBest() {
        var knn = new StageBenchmark.Entry("kNN(15)", "kNN(15)", new KnnLearner(new KnnLearner.Options(15, 1)));
        var gbm = new StageBenchmark.Entry("LightGBM", null, new KnnLearner(new KnnLearner.Options(15, 1)));
        List<StageBenchmark.Result> ours = List.of(
                new StageBenchmark.Result(1, knn, Map.of("accuracy", 0.800, "specificity", 0.7, "sensitivity", 0.9,
                        "auroc", 0.85), 1.0),
                new StageBenchmark.Result(1, gbm, Map.of("accuracy", 0.830, "specificity", 0.8, "sensitivity", 0.86,
                        "auroc", 0.9), 2.0));
        List<StageBenchmark.PeerFigure> peer = List.of(new StageBenchmark.PeerFigure(1, "kNN(15)", 0.790, 0, 0, 0,
                0.5), new StageBenchmark.PeerFigure(1, "LR", 0.815, 0, 0, 0, 0.5));
        String t = StageBenchmark.table(ours, peer);
        assertTrue(t.contains("| 1 | kNN(15) | 0.800 | 0.790 | — | +1.0 |"), t);
        assertTrue(t.contains("| 1 | LightGBM | 0.830 | — | — | — |"), t);
        assertTrue(t.contains("| 1 | LightGBM 0.830 | LR 0.815 | +1.5 | met |"), t);
    }

    @Test
    void peerColumnsDropTheStateOfResidence() {
        TrainingData d = new TrainingData(List.of("age", "state_residence_01", "state_unit_01"),
                List.of(new double[]{50, 1, 0}), new boolean[]{true});
        assertEquals(List.of("age", "state_unit_01"), StageBenchmark.peerColumns(d).featureNames());
    }
}
